//===- LocalRanks.cpp - data-parallel ranks of a search tool --------------===//
#include "LocalRanks.h"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace hdx::tools {

namespace {

/// A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks
/// it); 0 if none could be found.
int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t size = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &size) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

volatile std::sig_atomic_t pendingSignal = 0;

std::string describeStatus(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "was killed by signal " + std::to_string(sig) + " (" +
           strsignal(sig) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

/// Starts `nproc` copies of this program as ranks 0..nproc-1 and waits for
/// them; returns the exit status for the launcher.
int launch(const char *tool, int argc, char **argv, int nproc,
           double timeoutSeconds) {
  int port = freeLoopbackPort();
  if (port == 0) {
    std::fprintf(stderr, "%s: error: --nproc: no free port on 127.0.0.1 for "
                         "the ranks' rendezvous\n", tool);
    return 1;
  }
  // The ranks' command line: this one without --nproc.
  std::vector<std::string> words;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--nproc") {
      ++i;
      continue;
    }
    if (arg.rfind("--nproc=", 0) == 0)
      continue;
    words.push_back(arg);
  }
  std::vector<char *> childArgv;
  for (std::string &w : words)
    childArgv.push_back(w.data());
  childArgv.push_back(nullptr);

  // Signals reach the ranks through the launcher only (they run in their
  // own process group), so that Ctrl-C asks each rank once to stop after
  // its epoch.
  struct sigaction action = {};
  action.sa_handler = [](int sig) { pendingSignal = sig; };
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  const pid_t launcher = ::getpid();
  std::vector<pid_t> pids;
  for (int r = 0; r < nproc; ++r) {
    pid_t pid = ::fork();
    if (pid < 0) {
      std::fprintf(stderr, "%s: error: cannot start rank %d: %s\n", tool, r,
                   std::strerror(errno));
      for (pid_t p : pids)
        ::kill(p, SIGKILL);
      return 1;
    }
    if (pid == 0) {
      ::setpgid(0, 0);
      // A rank does not outlive its launcher.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != launcher)
        ::_exit(1);
      ::setenv("RANK", std::to_string(r).c_str(), 1);
      ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      ::setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
      ::setenv("LOCAL_WORLD_SIZE", std::to_string(nproc).c_str(), 1);
      ::setenv("MASTER_ADDR", "127.0.0.1", 1);
      ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
      ::execv("/proc/self/exe", childArgv.data());
      std::fprintf(stderr, "%s: error: cannot start rank %d: %s\n", tool, r,
                   std::strerror(errno));
      ::_exit(127);
    }
    pids.push_back(pid);
  }

  std::vector<std::optional<int>> status(nproc);
  std::vector<bool> killedHere(nproc, false);
  int firstFailed = -1;
  std::optional<std::chrono::steady_clock::time_point> killAt;
  int running = nproc;
  while (running > 0) {
    if (pendingSignal) {
      for (int r = 0; r < nproc; ++r)
        if (!status[r])
          ::kill(pids[r], pendingSignal);
      pendingSignal = 0;
    }
    int st = 0;
    pid_t pid = ::waitpid(-1, &st, WNOHANG);
    if (pid > 0) {
      int r = static_cast<int>(std::find(pids.begin(), pids.end(), pid) -
                               pids.begin());
      if (r < nproc && !status[r]) {
        status[r] = st;
        --running;
        bool failed = !WIFEXITED(st) || WEXITSTATUS(st) != 0;
        if (failed && firstFailed < 0) {
          firstFailed = r;
          // The others stop on their own within their collective timeout;
          // past it they are killed.
          killAt = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(
                       static_cast<int64_t>(1000 * timeoutSeconds) + 5000);
        }
      }
      continue;
    }
    if (killAt && std::chrono::steady_clock::now() > *killAt) {
      for (int r = 0; r < nproc; ++r)
        if (!status[r]) {
          ::kill(pids[r], SIGKILL);
          killedHere[r] = true;
        }
      killAt.reset();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (firstFailed < 0)
    return 0;
  // A rank killed by a signal (not by this launcher) is the cause rather
  // than the ranks that lost contact with it.
  int cause = firstFailed;
  for (int r = 0; r < nproc; ++r)
    if (WIFSIGNALED(*status[r]) && !killedHere[r] &&
        !WIFSIGNALED(*status[cause]))
      cause = r;
  std::string others;
  for (int r = 0; r < nproc; ++r)
    if (r != cause && (!WIFEXITED(*status[r]) || WEXITSTATUS(*status[r]) != 0))
      others += (others.empty() ? "" : ", ") + std::to_string(r);
  std::fprintf(stderr, "%s: error: rank %d of %d %s%s\n", tool, cause, nproc,
               describeStatus(*status[cause]).c_str(),
               others.empty() ? ""
                              : ("; ranks stopped with it: " + others).c_str());
  return 1;
}

} // namespace

RankSetup setUpRanks(const char *tool, int argc, char **argv,
                     const SearchArguments &args,
                     search::SearchConfig &config) {
  RankSetup setup;
  if (args.nproc > 0) {
    if (std::getenv("WORLD_SIZE")) {
      std::fprintf(stderr, "%s: error: --nproc starts ranks itself; it cannot "
                           "run inside a rank (WORLD_SIZE is set)\n", tool);
      setup.exitCode = 1;
      return setup;
    }
    setup.exitCode = launch(tool, argc, argv, args.nproc, args.distTimeoutS);
    return setup;
  }
  hdx::Expected<std::optional<search::RankEnvironment>> env =
      search::rankEnvironmentFromEnv();
  if (!env) {
    std::fprintf(stderr, "%s: error: %s\n", tool, env.error().c_str());
    setup.exitCode = 1;
    return setup;
  }
  if (!*env)
    return setup;
  if (const char *local = std::getenv("LOCAL_WORLD_SIZE");
      local && !args.overrides.threads && config.threads > 0) {
    int ranksHere = std::max(1, std::atoi(local));
    config.threads = std::max(1, config.threads / ranksHere);
  }
  auto group = search::ProcessGroup::connect(
      **env, std::chrono::milliseconds(
                 static_cast<int64_t>(1000 * args.distTimeoutS)));
  if (!group) {
    std::fprintf(stderr, "%s: error: %s\n", tool, group.error().c_str());
    setup.exitCode = 1;
    return setup;
  }
  setup.group = std::move(*group);
  return setup;
}

SearchToolStart startSearchTool(const char *tool, int argc, char **argv) {
  SearchToolStart start;
  if (std::string error = parseSearchArguments(argc, argv, start.args);
      !error.empty()) {
    std::fprintf(stderr, "%s: error: %s\n%s", tool, error.c_str(),
                 searchUsage(tool).c_str());
    start.exitCode = 1;
    return start;
  }
  if (start.args.help) {
    std::printf("%s", searchUsage(tool).c_str());
    start.exitCode = 0;
    return start;
  }
  hdx::Expected<search::SearchConfig> config =
      search::loadConfig(start.args.config);
  if (!config) {
    std::fprintf(stderr, "%s: error: %s\n", tool, config.error().c_str());
    start.exitCode = 1;
    return start;
  }
  start.config = std::move(*config);
  search::applyOverrides(start.config, start.args.overrides);
  start.ranks = setUpRanks(tool, argc, argv, start.args, start.config);
  start.exitCode = start.ranks.exitCode;
  return start;
}

} // namespace hdx::tools
