// SPDX-License-Identifier: MIT
#include "analyzer/cli/cli_tree.hpp"

#include <CLI/CLI.hpp>

namespace analyzer::cli {

namespace {

/// CLI11 writes an IsMember check's set as `{a,b,c}` after the type name:
/// `TEXT:{text,json,markdown,html}`.
std::vector<std::string> choices_of(const std::string& full_type) {
  std::vector<std::string> out;
  size_t open = full_type.find(":{");
  if (open == std::string::npos || full_type.back() != '}') return out;
  std::string set = full_type.substr(open + 2, full_type.size() - open - 3);
  size_t start = 0;
  while (start <= set.size()) {
    size_t comma = set.find(',', start);
    if (comma == std::string::npos) comma = set.size();
    if (comma > start) out.push_back(set.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// Values that name no file: times, durations, numbers. Any other free
/// text (TEXT, FILE, PATH, ...) completes as a path.
bool is_free_text(const std::string& type) {
  for (const char* t : {"TIME", "DURATION", "N", "UINT", "INT", "FLOAT", "NUMBER", "ID"}) {
    if (type == t) return true;
  }
  return false;
}

cli_option describe_option(const CLI::Option& opt) {
  cli_option o;
  for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
  if (o.names.empty()) o.names.push_back(opt.get_name());
  o.description = opt.get_description();
  o.repeatable = opt.get_expected_max() > 1;
  if (opt.get_items_expected_max() == 0) return o;  // a flag
  std::string full = opt.get_type_name();
  o.value_name = full.substr(0, full.find(':'));
  if (o.value_name.empty()) o.value_name = "TEXT";
  o.choices = choices_of(full);
  o.kind = !o.choices.empty()          ? value_kind::choice
           : o.value_name == "COND"    ? value_kind::fail_on
           : is_free_text(o.value_name) ? value_kind::text
                                       : value_kind::path;
  return o;
}

cli_command describe_command(const CLI::App& app, const std::string& parent_path) {
  cli_command c;
  c.name = app.get_parent() == nullptr ? "" : app.get_name();
  c.path = parent_path.empty() ? c.name : parent_path + " " + c.name;
  c.description = app.get_description();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    (opt->nonpositional() ? c.options : c.positionals).push_back(describe_option(*opt));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;
    c.subcommands.push_back(describe_command(*sub, c.path));
  }
  return c;
}

void flatten_into(const cli_command& c, std::vector<const cli_command*>& out) {
  out.push_back(&c);
  for (const auto& sub : c.subcommands) flatten_into(sub, out);
}

}  // namespace

cli_command describe(const CLI::App& app) { return describe_command(app, ""); }

std::vector<const cli_command*> flatten(const cli_command& root) {
  std::vector<const cli_command*> out;
  flatten_into(root, out);
  return out;
}

}  // namespace analyzer::cli
