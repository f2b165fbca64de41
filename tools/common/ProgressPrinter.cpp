//===- ProgressPrinter.cpp - progress of long runs on a terminal ----------===//
#include "ProgressPrinter.h"

#include <unistd.h>

namespace hdx::tools {

std::string formatDuration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof(buffer), "%ldh%02ldm", s / 3600, s % 3600 / 60);
  else if (s >= 60)
    std::snprintf(buffer, sizeof(buffer), "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buffer, sizeof(buffer), "%lds", s);
  return buffer;
}

ProgressPrinter::ProgressPrinter(std::FILE *out, bool interactive)
    : out_(out), interactive_(interactive) {}

ProgressPrinter::ProgressPrinter(std::FILE *out)
    : ProgressPrinter(out, ::isatty(::fileno(out)) != 0) {}

void ProgressPrinter::finish() {
  if (lineOpen_)
    std::fputc('\n', out_);
  lineOpen_ = false;
  std::fflush(out_);
}

void ProgressPrinter::stage(const std::string &name) {
  finish();
  stage_ = name;
  stageStart_ = lastPrint_ = Clock::now();
  std::fprintf(out_, "%s\n", name.c_str());
  std::fflush(out_);
}

void ProgressPrinter::note(const std::string &line) {
  finish();
  std::fprintf(out_, "  %s\n", line.c_str());
  std::fflush(out_);
}

void ProgressPrinter::progress(int64_t done, int64_t total,
                               const std::string &status) {
  Clock::time_point now = Clock::now();
  double elapsed = std::chrono::duration<double>(now - stageStart_).count();
  double fraction = total > 0 ? static_cast<double>(done) / total : 0.0;
  std::string eta = done > 0 && done < total
                        ? "ETA " + formatDuration(elapsed / fraction - elapsed)
                        : formatDuration(elapsed);
  if (interactive_) {
    // Redraw at most ten times a second.
    if (done < total &&
        std::chrono::duration<double>(now - lastPrint_).count() < 0.1)
      return;
    const int width = 30;
    int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '-');
    std::fprintf(out_, "\r\033[K  [%s] %3d%% %s %s", bar.c_str(),
                 static_cast<int>(fraction * 100), eta.c_str(), status.c_str());
    lineOpen_ = true;
  } else {
    if (done < total &&
        std::chrono::duration<double>(now - lastPrint_).count() < 10.0)
      return;
    std::fprintf(out_, "  %s: %lld/%lld (%d%%) %s %s\n", stage_.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total),
                 static_cast<int>(fraction * 100), eta.c_str(), status.c_str());
  }
  lastPrint_ = now;
  std::fflush(out_);
}

} // namespace hdx::tools
