// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace analyzer::audit {

/// The `iss` claim of a JWT (three base64url segments whose first two
/// decode to JSON objects), read without verifying the signature.
/// `is_jwt` says whether the token is a JWT at all; the result is nullopt
/// when it is not, or when its payload has no string `iss`.
std::optional<std::string> jwt_issuer(std::string_view token, bool& is_jwt);

/// The same without allocating: the view is valid on this thread until its
/// next call.
std::optional<std::string_view> jwt_issuer_view(std::string_view token, bool& is_jwt);

}  // namespace analyzer::audit
