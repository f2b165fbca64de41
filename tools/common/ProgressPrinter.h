//===- ProgressPrinter.h - progress of long runs on a terminal --*- C++ -*-===//
//
// On a terminal: one live line per stage with a bar, the percentage, the
// estimated time left and a status text. Elsewhere (logs, CI): plain lines,
// at most one every few seconds per stage, so that logs stay readable.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TOOLS_PROGRESSPRINTER_H
#define HDX_TOOLS_PROGRESSPRINTER_H

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace hdx::tools {

class ProgressPrinter {
public:
  /// Writes to `out`; `interactive` when it is a terminal.
  ProgressPrinter(std::FILE *out, bool interactive);
  /// A terminal decides: isatty(fileno(out)).
  explicit ProgressPrinter(std::FILE *out);

  void stage(const std::string &name);
  void progress(int64_t done, int64_t total, const std::string &status);
  /// A line that stays (results of a stage).
  void note(const std::string &line);
  /// Ends the live line, if any.
  void finish();

private:
  using Clock = std::chrono::steady_clock;
  std::FILE *out_;
  bool interactive_;
  bool lineOpen_ = false;
  std::string stage_;
  Clock::time_point stageStart_, lastPrint_;
};

/// "1m05s", "42s", "3h02m".
std::string formatDuration(double seconds);

} // namespace hdx::tools

#endif // HDX_TOOLS_PROGRESSPRINTER_H
