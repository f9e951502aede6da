// SPDX-License-Identifier: MIT
#pragma once
/// Message templates: a message with its variable parts masked, as lnav's
/// `log_msg_format` does, so that failures no rule explains can be grouped
/// ("Task not found by id: 8734512093" and "... id: 9123" are one template,
/// "Task not found by id: #"). Pure text functions, no regex engine.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace analyzer::core {

/// What a masked part was.
enum class msg_var : unsigned char { none, number, id, hex, uuid, ip, url, quoted, secret };

/// One piece of a message: literal text, or a variable (with the literal
/// suffix of a number's unit in `text`: "10000ms" is {number, "ms"}).
struct msg_piece {
  msg_var var = msg_var::none;
  std::string text;  // literal: the text; quoted: the quote character
};

/// Longest template kept (bytes); a longer message's template is cut.
inline constexpr size_t max_template_bytes = 200;

/// Splits a message into literal pieces and masked variables: URLs, quoted
/// values ('...', "...", `...`), UUIDs, IPv4 addresses, hex numbers,
/// numbers (with a short unit), ids (a token of 6+ characters, a third of
/// them digits), and the redactor's `<redacted>`. Whitespace runs become
/// one space; the result is trimmed and cut at max_template_bytes (then
/// `cut` is set).
std::vector<msg_piece> split_message(std::string_view message, bool* cut = nullptr);

/// The template text: literals as they are, each variable as `#` (a quoted
/// one keeps its quotes: `'#'`, a number its unit: `#ms`). Empty for an
/// empty message.
std::string message_template(std::string_view message);

/// An RE2 pattern that matches every message of the message's template:
/// `^Task\s+not\s+found\s+by\s+id:\s+\S+$` (no `$` when the template was cut).
std::string template_regex(std::string_view message);

/// A stable 64-bit hash of a template (FNV-1a): the same on every machine,
/// so that which templates a bounded table keeps is the same everywhere.
uint64_t template_hash(std::string_view template_text);

}  // namespace analyzer::core
