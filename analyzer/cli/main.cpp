// SPDX-License-Identifier: MIT
// kling-triage: parse → run → exit code. Everything else lives in the
// libraries; this file only checks the CPU and catches what escapes them.
#include <csignal>
#include <cstdio>
#include <exception>

#include "analyzer/cli/messages.hpp"
#include "analyzer/cli/run.hpp"

int main(int argc, char** argv) {
#if defined(ANALYZER_NEEDS_AVX2)
  // The JSON parser was built for AVX2 (see ANALYZER_PORTABLE): say so
  // instead of dying on an illegal instruction.
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi")) {
    std::fputs("kling-triage: error: this build needs a CPU with AVX2; rebuild "
               "with -DANALYZER_PORTABLE=ON\n", stderr);
    return 2;
  }
#endif
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an EPIPE, handled below
  using namespace analyzer::cli;
  try {
    int code = static_cast<int>(main_entry(argc, argv));
    close_stdout();  // a full disk may only show in the final flush
    return code;
  } catch (const broken_pipe&) {
    return 0;
  } catch (const write_failed& e) {
    print_error(write_error_text(e));
    return 2;
  } catch (const std::exception& e) {
    print_error(e.what());
    return 2;
  }
}
