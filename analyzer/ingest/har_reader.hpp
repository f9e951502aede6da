// SPDX-License-Identifier: MIT
#pragma once

#include "analyzer/ingest/reader.hpp"

namespace analyzer::ingest {

/// Streams `log.entries` of a HAR document one entry at a time, never
/// holding the whole document: a small scanner walks the top-level object,
/// skips everything else (`pages`, `creator`), and copies each entry's bytes
/// into the current chunk as one record. `initial` holds the first `fill`
/// bytes already read from `src`, after `skipped` bytes (a BOM) that
/// byte offsets in errors still count. Structural problems (not a HAR, invalid
/// JSON, truncation) go to report.errors with the byte offset; a cut
/// entry becomes a malformed record.
void read_har(uint32_t source, byte_source& src, input_report& report,
              buffer initial, size_t fill, bool eof, int64_t skipped,
              const reader_options& options, buffer_pool& pool,
              const chunk_emitter& emit);

}  // namespace analyzer::ingest
