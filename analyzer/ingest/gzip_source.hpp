// SPDX-License-Identifier: MIT
#pragma once
/// ingest: the gzip decoder behind open_input(). ISA-L's igzip inflates
/// (streaming isal_inflate, one member after another); zlib takes over from
/// the start of a member igzip rejects before it produced any of its bytes
/// (a zlib-wrapped member, trailing bytes that are not a member), so what
/// zlib read before, it still reads, and names the same way.

#include <memory>

#include "analyzer/ingest/byte_source.hpp"

namespace analyzer::ingest {

std::unique_ptr<byte_source> gzip_decoder(std::unique_ptr<byte_source> in);

}  // namespace analyzer::ingest
