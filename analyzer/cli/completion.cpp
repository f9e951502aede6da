// SPDX-License-Identifier: MIT
// Completion scripts for bash, zsh and fish, rendered from the command
// tree. Each shell gets the same facts: the subcommands of every command,
// its options, which options take a value and what completes it (a fixed
// set, a path, a --fail-on condition or nothing), and what its positional
// arguments are.
#include "analyzer/cli/completion.hpp"

#include <fmt/format.h>

namespace analyzer::cli {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = " ") {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

/// A single-quoted word for sh-like shells (bash, zsh): ' becomes '\''.
std::string sh_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// A single-quoted word for fish: \ and ' are escaped with a backslash.
std::string fish_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

/// The first sentence-ish part of a description: completion menus are one
/// line each.
std::string short_text(const std::string& description) {
  std::string s = description.substr(0, description.find('\n'));
  return s.size() > 100 ? s.substr(0, 97) + "..." : s;
}

/// The kind of the first positional, or none when the command takes none.
const cli_option* first_positional(const cli_command& c) {
  return c.positionals.empty() ? nullptr : &c.positionals.front();
}

// ---------------------------------------------------------------- bash

/// `choices a b c`, `path`, `fail-on`, `text`: what _kling_triage_values
/// completes for an option or positional.
std::string bash_kind(const cli_option& o) {
  switch (o.kind) {
    case value_kind::choice: return "choices " + join(o.choices);
    case value_kind::path: return "path";
    case value_kind::fail_on: return "fail-on";
    case value_kind::text:
    case value_kind::none: break;
  }
  return "text";
}

std::string bash_tables(const cli_command& root) {
  auto all = flatten(root);
  std::string subs, opts, values, positional;
  for (const cli_command* c : all) {
    std::vector<std::string> names;
    for (const auto& s : c->subcommands) names.push_back(s.name);
    if (!names.empty()) subs += fmt::format("        {}) echo {} ;;\n", sh_quote(c->path), sh_quote(join(names)));
    names.clear();
    for (const auto& o : c->options) {
      for (const auto& n : o.names) names.push_back(n);
      if (o.is_flag()) continue;
      std::vector<std::string> keys;
      for (const auto& n : o.names) keys.push_back(sh_quote(c->path.empty() ? n : c->path + " " + n));
      values += fmt::format("        {}) echo {} ;;\n", join(keys, " | "), sh_quote(bash_kind(o)));
    }
    opts += fmt::format("        {}) echo {} ;;\n", sh_quote(c->path), sh_quote(join(names)));
    if (const cli_option* p = first_positional(*c)) {
      positional += fmt::format("        {}) echo {} ;;\n", sh_quote(c->path), sh_quote(bash_kind(*p)));
    }
  }
  return fmt::format(
      "# The subcommands of a command path ('' is kling-triage itself).\n"
      "_kling_triage_subcommands() {{\n    case $1 in\n{}    esac\n}}\n\n"
      "# The options of a command path.\n"
      "_kling_triage_options() {{\n    case $1 in\n{}    esac\n}}\n\n"
      "# What completes the value of option $2 of command path $1; status 1\n"
      "# for a flag (or an option the path does not have).\n"
      "_kling_triage_value() {{\n    case \"${{1:+$1 }}$2\" in\n{}        *) return 1 ;;\n    esac\n}}\n\n"
      "# What completes the positional arguments of a command path.\n"
      "_kling_triage_positional() {{\n    case $1 in\n{}        *) echo text ;;\n    esac\n}}\n\n",
      subs, opts, values, positional);
}

// The command-line walk, value completion and readline word trimming:
// the same for every command tree.
constexpr std::string_view bash_body = R"BASH(# COMPREPLY for a value kind ($1) and the text typed so far ($2).
_kling_triage_values() {
    local kind=$1 cur=$2
    case $kind in
        choices\ *)
            mapfile -t COMPREPLY < <(compgen -W "${kind#choices }" -- "$cur") ;;
        path)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
        fail-on)
            compopt -o nospace 2>/dev/null
            case $cur in
                cause:*)
                    mapfile -t COMPREPLY < <(compgen -P cause: -W "$_kling_triage_causes" -- "${cur#cause:}") ;;
                category:*)
                    mapfile -t COMPREPLY < <(compgen -P category: -W "$_kling_triage_categories" -- "${cur#category:}") ;;
                *)
                    mapfile -t COMPREPLY < <(compgen -W "$_kling_triage_fail_on" -- "$cur") ;;
            esac ;;
    esac
}

_kling_triage() {
    local line=${COMP_LINE:0:COMP_POINT} cur= path= kind w s i skip= quoted= prefix=
    local -a words
    read -ra words <<<"$line"
    if [[ $line != *[[:space:]] && ${#words[@]} -gt 0 ]]; then
        cur=${words[-1]}
        unset 'words[-1]'
    fi
    # An opened quote: readline completes the text after it, as one word.
    if [[ $cur == [\'\"]* ]]; then cur=${cur:1} quoted=1; fi
    for ((i = 1; i < ${#words[@]}; i++)); do
        w=${words[i]}
        if [[ -n $skip ]]; then skip=; continue; fi
        case $w in
            -*=*) ;;
            -*) _kling_triage_value "$path" "$w" >/dev/null && skip=1 ;;
            *)
                for s in $(_kling_triage_subcommands "$path"); do
                    if [[ $w == "$s" ]]; then path=${path:+$path }$s; break; fi
                done ;;
        esac
    done
    COMPREPLY=()
    if [[ -n $skip ]]; then
        _kling_triage_values "$(_kling_triage_value "$path" "${words[-1]}")" "$cur"
    elif [[ $cur == -*=* ]]; then
        if kind=$(_kling_triage_value "$path" "${cur%%=*}"); then
            _kling_triage_values "$kind" "${cur#*=}"
            for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${cur%%=*}=${COMPREPLY[i]}; done
        fi
    elif [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_kling_triage_options "$path")" -- "$cur")
    else
        s=$(_kling_triage_subcommands "$path")
        if [[ -n $s ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$s" -- "$cur")
        else
            _kling_triage_values "$(_kling_triage_positional "$path")" "$cur"
        fi
    fi
    # Readline replaces only the text after the last word-break character
    # (COMP_WORDBREAKS holds : and = by default): drop what comes before.
    [[ -n $quoted ]] && return 0
    for ((i = ${#cur} - 1; i >= 0; i--)); do
        if [[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then prefix=${cur:0:i+1}; break; fi
    done
    if [[ -n $prefix ]]; then
        for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}; done
    fi
    return 0
}

complete -F _kling_triage kling-triage
)BASH";

std::string render_bash(const cli_command& root, const completion_ids& ids,
                        const std::string& version) {
  return fmt::format(
      "# bash completion for kling-triage                         -*- shell-script -*-\n"
      "# Generated by `kling-triage completion bash` (kling-triage {}) from its\n"
      "# command-line definition and rule ids; do not edit. Install it in\n"
      "# bash-completion's completionsdir, or: source <(kling-triage completion bash)\n\n"
      "_kling_triage_causes={}\n_kling_triage_categories={}\n_kling_triage_fail_on={}\n\n"
      "{}{}",
      version, sh_quote(join(ids.causes)), sh_quote(join(ids.categories)),
      sh_quote(join(ids.fail_on_subjects)), bash_tables(root), bash_body);
}

// ----------------------------------------------------------------- zsh

/// Text inside an _arguments [description] or a `name:description` item.
std::string zsh_describe(const std::string& s) {
  std::string out;
  for (char c : short_text(s)) {
    if (c == '\\' || c == ']' || c == '[' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh_action(const cli_option& o) {
  switch (o.kind) {
    case value_kind::choice: return "(" + join(o.choices) + ")";
    case value_kind::path: return "_files";
    case value_kind::fail_on: return "_kling-triage_fail_on";
    case value_kind::text:
    case value_kind::none: break;
  }
  return " ";
}

std::string zsh_function_name(const cli_command& c) {
  std::string name = "_kling-triage";
  for (char ch : c.path) name += ch == ' ' ? std::string("__") : std::string(1, ch);
  if (!c.path.empty()) name.insert(std::string("_kling-triage").size(), "__");
  return name;
}

std::string zsh_option_spec(const cli_option& o) {
  std::vector<std::string> forms;
  for (const auto& n : o.names) {
    bool is_long = n.size() > 2 && n[1] == '-';
    forms.push_back(o.is_flag() ? n : n + (is_long ? "=" : "+"));
  }
  std::string spec;
  bool help = o.names.back() == "--help" || o.names.back() == "--version";
  if (help) {
    spec = "(- *)";
  } else if (!o.repeatable) {
    spec = "(" + join(o.names) + ")";
  } else {
    spec = "*";
  }
  std::string tail = "[" + zsh_describe(o.description) + "]";
  // The message above the values: the value's type, or the option's name
  // for plain text.
  std::string message = o.value_name == "TEXT" ? o.names.back().substr(o.names.back().find_first_not_of('-'))
                                               : o.value_name;
  if (!o.is_flag()) tail += ":" + message + ":" + zsh_action(o);
  if (forms.size() == 1) return sh_quote(spec + forms[0] + tail);
  std::vector<std::string> quoted;
  for (const auto& f : forms) quoted.push_back(f);
  return sh_quote(spec) + "{" + join(quoted, ",") + "}" + sh_quote(tail);
}

std::string zsh_command(const cli_command& c) {
  std::string args;
  for (const auto& o : c.options) args += " \\\n    " + zsh_option_spec(o);
  std::string out = fmt::format("{}() {{\n", zsh_function_name(c));
  if (c.subcommands.empty()) {
    for (const auto& p : c.positionals) {
      std::string spec = (p.repeatable ? "*:" : ":") + p.names.front() + ":" + zsh_action(p);
      args += " \\\n    " + sh_quote(spec);
    }
    return out + "  _arguments -s -S" + args + "\n}\n\n";
  }
  std::vector<std::string> items;
  for (const auto& s : c.subcommands) items.push_back(sh_quote(s.name + ":" + zsh_describe(s.description)));
  out += "  local curcontext=$curcontext state state_descr line ret=1\n"
         "  typeset -A opt_args\n";
  out += "  _arguments -C -s -S" + args + " \\\n    ': :->command' \\\n    '*:: :->args' && return 0\n";
  out += "  case $state in\n    command)\n";
  out += fmt::format("      local -a commands=(\n        {}\n      )\n", join(items, "\n        "));
  out += fmt::format("      _describe -t commands {} commands ;;\n",
                     sh_quote((c.path.empty() ? "kling-triage" : c.path) + " command"));
  out += "    args)\n      case $line[1] in\n";
  for (const auto& s : c.subcommands) {
    out += fmt::format("        {}) {} ;;\n", sh_quote(s.name), zsh_function_name(s));
  }
  out += "      esac ;;\n  esac\n}\n\n";
  return out;
}

std::string render_zsh(const cli_command& root, const completion_ids& ids,
                       const std::string& version) {
  std::vector<std::string> subjects;
  for (const auto& s : ids.fail_on_subjects) subjects.push_back(sh_quote(s));
  std::string out = fmt::format(
      "#compdef kling-triage\n"
      "# zsh completion for kling-triage. Generated by `kling-triage completion zsh`\n"
      "# (kling-triage {}) from its command-line definition and rule ids; do not\n"
      "# edit. Install it as _kling-triage in a folder of $fpath, or:\n"
      "# source <(kling-triage completion zsh)\n\n"
      "_kling_triage_causes=({})\n_kling_triage_categories=({})\n\n"
      "_kling-triage_fail_on() {{\n"
      "  if compset -P 'cause:'; then\n"
      "    _wanted causes expl 'cause id' compadd -S '' -a _kling_triage_causes\n"
      "  elif compset -P 'category:'; then\n"
      "    _wanted categories expl 'category id' compadd -S '' -a _kling_triage_categories\n"
      "  else\n"
      "    _wanted conditions expl 'condition' compadd -S '' -- {}\n"
      "  fi\n}}\n\n",
      version, join(ids.causes), join(ids.categories), join(subjects));
  for (const cli_command* c : flatten(root)) out += zsh_command(*c);
  out += "if [[ $funcstack[1] == _kling-triage ]]; then\n"
         "  _kling-triage \"$@\"\n"
         "else\n"
         "  compdef _kling-triage kling-triage\n"
         "fi\n";
  return out;
}

// ---------------------------------------------------------------- fish

std::string fish_condition(const cli_command& c) {
  return fish_quote("__kling_triage_at " + fish_quote(c.path));
}

std::string fish_value(const cli_option& o) {
  switch (o.kind) {
    case value_kind::choice: return " -x -a " + fish_quote(join(o.choices));
    case value_kind::path: return " -r -F";
    case value_kind::fail_on: return " -x -a '(__kling_triage_fail_on)'";
    case value_kind::text:
    case value_kind::none: break;
  }
  return " -x";
}

std::string fish_command(const cli_command& c) {
  std::string out;
  std::string cond = fish_condition(c);
  for (const auto& s : c.subcommands) {
    out += fmt::format("complete -c kling-triage -n {} -a {} -d {}\n", cond, fish_quote(s.name),
                       fish_quote(short_text(s.description)));
  }
  for (const auto& o : c.options) {
    std::string names;
    for (const auto& n : o.names) {
      bool is_long = n.size() > 2 && n[1] == '-';
      names += is_long ? " -l " + n.substr(2) : " -s " + n.substr(1);
    }
    out += fmt::format("complete -c kling-triage -n {}{}{} -d {}\n", cond, names,
                       o.is_flag() ? "" : fish_value(o), fish_quote(short_text(o.description)));
  }
  if (const cli_option* p = first_positional(c); p != nullptr && c.subcommands.empty()) {
    if (p->kind == value_kind::choice) {
      out += fmt::format("complete -c kling-triage -n {} -a {}\n", cond, fish_quote(join(p->choices)));
    } else if (p->kind == value_kind::path) {
      out += fmt::format("complete -c kling-triage -n {} -F\n", cond);
    }
  }
  return out;
}

std::string render_fish(const cli_command& root, const completion_ids& ids,
                        const std::string& version) {
  std::vector<std::string> commands, valued;
  for (const cli_command* c : flatten(root)) {
    commands.push_back(fish_quote(c->path));
    for (const auto& o : c->options) {
      if (o.is_flag()) continue;
      for (const auto& n : o.names) valued.push_back(fish_quote(c->path.empty() ? n : c->path + " " + n));
    }
  }
  std::vector<std::string> subjects;
  for (const auto& s : ids.fail_on_subjects) subjects.push_back(fish_quote(s));
  std::string out = fmt::format(
      "# fish completion for kling-triage. Generated by `kling-triage completion fish`\n"
      "# (kling-triage {}) from its command-line definition and rule ids; do not\n"
      "# edit. Install it in fish's vendor_completions.d, or:\n"
      "# kling-triage completion fish | source\n\n"
      "set -g __kling_triage_commands {}\n"
      "set -g __kling_triage_valued {}\n"
      "set -g __kling_triage_causes {}\n"
      "set -g __kling_triage_categories {}\n\n"
      "# The command path ('' for kling-triage itself, 'rules list', ...) of the\n"
      "# command line before the cursor.\n"
      "function __kling_triage_path\n"
      "    set -l tokens (commandline -opc)\n"
      "    set -e tokens[1]\n"
      "    set -l path ''\n"
      "    set -l skip 0\n"
      "    for t in $tokens\n"
      "        if test $skip = 1\n"
      "            set skip 0\n"
      "            continue\n"
      "        end\n"
      "        switch $t\n"
      "            case '-*=*'\n"
      "                continue\n"
      "            case '-*'\n"
      "                if contains -- (string trim -- \"$path $t\") $__kling_triage_valued\n"
      "                    set skip 1\n"
      "                end\n"
      "                continue\n"
      "        end\n"
      "        set -l next (string trim -- \"$path $t\")\n"
      "        if contains -- $next $__kling_triage_commands\n"
      "            set path $next\n"
      "        end\n"
      "    end\n"
      "    echo $path\n"
      "end\n\n"
      "function __kling_triage_at\n"
      "    set -l path (__kling_triage_path)\n"
      "    test \"$path\" = \"$argv[1]\"\n"
      "end\n\n"
      "function __kling_triage_fail_on\n"
      "    printf '%s\\n' {}\n"
      "    printf 'cause:%s\\n' $__kling_triage_causes\n"
      "    printf 'category:%s\\n' $__kling_triage_categories\n"
      "end\n\n"
      "complete -c kling-triage -f\n",
      version, join(commands), join(valued), join(ids.causes), join(ids.categories),
      join(subjects));
  for (const cli_command* c : flatten(root)) out += fish_command(*c);
  return out;
}

}  // namespace

std::string render_completion(const std::string& shell, const cli_command& root,
                              const completion_ids& ids, const std::string& version) {
  if (shell == "bash") return render_bash(root, ids, version);
  if (shell == "zsh") return render_zsh(root, ids, version);
  if (shell == "fish") return render_fish(root, ids, version);
  return {};
}

}  // namespace analyzer::cli
