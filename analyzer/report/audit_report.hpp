// SPDX-License-Identifier: MIT
#pragma once
/// report/audit_report: the "Audit" section of every report format (task
/// lifecycles, then each detector that fired with its count, wasted calls,
/// the fix in one line from rules/audit/detectors.yaml, and examples).
/// Each writer does nothing when the summary holds no audit.

#include <string>

#include "analyzer/report/json_writer.hpp"
#include "analyzer/report/summary.hpp"

namespace analyzer::report {

void write_audit_json(json_writer& w, const summary& s);
void write_audit_text(std::string& out, const summary& s, bool color);
void write_audit_markdown(std::string& out, const summary& s);
void write_audit_html(std::string& out, const summary& s);

/// "path:line" or "path#entry" of an audit record.
std::string audit_position(const audit::audit_result& r, const audit::record_pos& p);

}  // namespace analyzer::report
