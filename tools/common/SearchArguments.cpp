//===- SearchArguments.cpp - the command line of a search -----------------===//
#include "SearchArguments.h"

#include "hdx/Search/SearchRun.h"

#include <csignal>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hdx::tools {

namespace {

bool parseNumber(const std::string &text, double &value) {
  char *end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end && *end == '\0';
}

/// A decimal integer that fits a long long; out of range (strtoll would
/// clamp it) or trailing text is refused.
bool parseInteger(const std::string &text, long long &value) {
  char *end = nullptr;
  errno = 0;
  value = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && end && *end == '\0' && errno != ERANGE;
}

} // namespace

std::string searchUsage(const std::string &tool) {
  return "usage: " + tool +
         " CONFIG.yaml -o DIR [--method hdx|dance|soft|adaptive|tfnas|nas-then-hw] [--seed N]\n"
         "       [--latency-ms X] [--energy-mj Y] [--area-mm2 Z] "
         "[--threads N]\n"
         "       [--device auto|cpu|cuda] [--resume] [--nproc N] "
         "[--dist-timeout-s S]\n";
}

std::string parseSearchArguments(int argc, char **argv, SearchArguments &args) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    // Accept both "--flag value" and "--flag=value".
    std::string value;
    bool inlineValue = false;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      inlineValue = true;
    }
    auto next = [&]() -> bool {
      if (inlineValue)
        return true;
      if (i + 1 >= argc)
        return false;
      value = argv[++i];
      return true;
    };
    if (arg == "-h" || arg == "--help") {
      args.help = true;
      return "";
    }
    if (arg == "--resume" && !inlineValue) {
      args.resume = true;
    } else if (arg == "-o") {
      if (!next())
        return "-o needs a folder";
      args.outDir = value;
    } else if (arg == "--method") {
      if (!next())
        return "--method needs a value";
      std::optional<search::ConstraintMethod> method =
          search::parseConstraintMethod(value);
      if (!method)
        return "--method: unknown value '" + value +
               "' (expected hdx, dance, soft, adaptive, tfnas or nas-then-hw)";
      args.overrides.method = *method;
    } else if (arg == "--device") {
      if (!next())
        return "--device needs a value";
      std::optional<search::DeviceKind> device = search::parseDeviceKind(value);
      if (!device)
        return "--device: unknown value '" + value +
               "' (expected auto, cpu or cuda)";
      args.overrides.device = *device;
    } else if (arg == "--seed" || arg == "--threads") {
      long long n;
      if (!next() || !parseInteger(value, n) || n < 0 ||
          (arg == "--threads" && n > 4096))
        return arg + (arg == "--threads"
                          ? " needs an integer from 0 to 4096"
                          : " needs an integer from 0 to 9223372036854775807");
      if (arg == "--seed")
        args.overrides.seed = static_cast<uint64_t>(n);
      else
        args.overrides.threads = static_cast<int>(n);
    } else if (arg == "--nproc") {
      long long n;
      if (!next() || !parseInteger(value, n) || n < 1 || n > 1024)
        return "--nproc needs an integer from 1 to 1024";
      args.nproc = static_cast<int>(n);
    } else if (arg == "--dist-timeout-s") {
      double seconds;
      if (!next() || !parseNumber(value, seconds) || !(seconds > 0) ||
          seconds > 86400)
        return "--dist-timeout-s needs a number of seconds above 0 and at "
               "most 86400";
      args.distTimeoutS = seconds;
    } else if (arg == "--latency-ms" || arg == "--energy-mj" ||
               arg == "--area-mm2") {
      double limit;
      if (!next() || !parseNumber(value, limit) || !(limit > 0) ||
          !std::isfinite(limit))
        return arg + " needs a positive finite number";
      (arg == "--latency-ms"  ? args.overrides.latency_ms
       : arg == "--energy-mj" ? args.overrides.energy_mj
                              : args.overrides.area_mm2) = limit;
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + arg + "'";
    } else if (args.config.empty()) {
      args.config = arg;
    } else {
      return "unexpected argument '" + arg + "'";
    }
  }
  if (args.config.empty())
    return "missing the configuration file";
  if (args.outDir.empty())
    return "missing -o DIR";
  return "";
}

search::SearchProgress searchProgress(ProgressPrinter &printer) {
  search::SearchProgress progress;
  progress.stage = [&printer](const std::string &s) { printer.stage(s); };
  progress.progress = [&printer](int64_t done, int64_t total,
                                 const std::string &s) {
    printer.progress(done, total, s);
  };
  progress.note = [&printer](const std::string &s) { printer.note(s); };
  return progress;
}

void stopSearchOnSignals() {
  struct sigaction action = {};
  action.sa_handler = [](int) { search::requestSearchStop(); };
  // One-shot: the second signal gets the default action and ends the run.
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

} // namespace hdx::tools
