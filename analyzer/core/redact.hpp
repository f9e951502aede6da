// SPDX-License-Identifier: MIT
#pragma once
/// The redaction policy: what counts as a credential in text the program
/// writes, and how it is shown (`<redacted: 40 chars>`). One policy for
/// every output; the cli applies it to every byte it writes (reports,
/// --events, explain, rule listings, error messages), and text that is cut
/// for display is redacted before the cut (a cut key is no longer
/// recognisable).
///
/// Redacted, in any text:
///  - JWTs: `eyJ` and 16 or more base64url/dot characters;
///  - `Bearer`, `Basic` and `Token` credentials: the token after the word,
///    when it is 8+ characters and looks like one (a digit, mixed case, or
///    one of `+/=_-.`);
///  - `sk-…` / `sk_…` keys (8+ characters after the prefix);
///  - runs of 32 or more hex digits (except a `sha256:` digest);
///  - the password of a URL's `user:password@`;
///  - the value after a credential-like name (is_credential_name) and `=`
///    or `:` — `api_key=…`, `"secret_key": "…"`, `X-Api-Key: …` — whatever
///    its shape when quoted or after `=` / a colon without a space, else
///    when it is key-shaped (8+ characters with a letter and a digit);
///  - a key-shaped token (16+ characters, letters and digits) right after
///    the words key, token, secret, password or signature ("bad key …",
///    "for key …").
/// JSON (`\"`), Markdown (`\_`) and HTML (`&quot;`) escapes are seen
/// through. Not redacted: UUIDs, task ids, endpoint names, numbers of up
/// to 9 digits, the rules' `sha256:` digest.

#include <string>
#include <string_view>

namespace analyzer::core {

/// How the replacement is written, so it stays literal in the format.
enum class redact_style { plain, markdown, html };

/// Is `name` (a header, a body field or a query parameter) one whose value
/// is a credential: authorization, cookie, or any name containing key,
/// token, secret, password, passwd, signature or credential (any case),
/// or exactly `sig` / `auth`.
bool is_credential_name(std::string_view name);

/// `text` with every credential (see above) replaced by
/// `<redacted: N chars>`.
std::string redact(std::string_view text, redact_style style = redact_style::plain);

/// Appends redact(text) to `out`, copying clean text as is. The scan for
/// candidates is cheap (32 bytes at a time where AVX2 is available), and
/// only lines holding one are looked at closely: this runs on every byte
/// of --events.
void redact_into(std::string_view text, std::string& out,
                 redact_style style = redact_style::plain);

/// False when no redaction can apply anywhere in `text` (the fast path).
bool may_hold_secret(std::string_view text);

/// A field's value as shown: fully redacted when `name` is credential-like
/// (its last dotted segment decides: `request.headers.x-api-key`),
/// otherwise redact(value).
std::string redact_field(std::string_view name, std::string_view value);

/// redact(text), then cut to at most `max_bytes` (UTF-8 safe, "…").
std::string clip(std::string_view text, size_t max_bytes);

/// `<redacted: N chars>` in the given style.
std::string redaction_mark(size_t chars, redact_style style = redact_style::plain);

namespace detail {
/// Every line through the careful pass, without the candidate scan: what
/// redact() must equal (the fuzz target checks it).
std::string redact_every_line(std::string_view text, redact_style style);
}  // namespace detail

}  // namespace analyzer::core
