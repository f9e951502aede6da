// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace analyzer::core {

/// SHA-256 of `data` as 64 lower-case hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view data);

}  // namespace analyzer::core
