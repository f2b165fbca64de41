//===- StagingFolderTest.cpp - output folders replaced in one step --------===//
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/StagingFolder.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path makeTempDir() {
  std::string pattern = ::testing::TempDir() + "hdx-staging-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  const char *made = ::mkdtemp(buffer.data());
  EXPECT_NE(made, nullptr);
  return made ? fs::path(made) : fs::path();
}

std::set<std::string> entries(const fs::path &dir) {
  std::set<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir))
    names.insert(entry.path().filename().string());
  return names;
}

void write(const std::string &path, const std::string &text) {
  EXPECT_EQ(hdx::writeFileAtomically(path, text), "");
}

std::string read(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every file below `dir` (relative path -> contents): a folder's snapshot.
std::map<std::string, std::string> snapshot(const fs::path &dir) {
  std::map<std::string, std::string> files;
  for (const auto &entry : fs::recursive_directory_iterator(dir))
    files[fs::relative(entry.path(), dir).string()] =
        entry.is_regular_file() ? read(entry.path()) : "<folder>";
  return files;
}

/// An output folder holding an earlier, complete run.
std::map<std::string, std::string> writeEarlierRun(const fs::path &out) {
  fs::create_directories(out / "plots");
  write((out / "result.json").string(), "old result");
  write((out / "search_trajectory_energy_mj.svg").string(), "old plot");
  write((out / "plots" / "p.svg").string(), "old nested plot");
  return snapshot(out);
}

/// Restores the system's renames when a test ends.
struct RenameOverride {
  explicit RenameOverride(hdx::StagingFolder::RenameFunction f) {
    hdx::StagingFolder::setRenameForTesting(std::move(f));
  }
  ~RenameOverride() { hdx::StagingFolder::setRenameForTesting(nullptr); }
};

/// Runs `body` in a child process that ends with _exit (as if killed: no
/// destructors run); returns once it is gone.
template <typename Body> void inKilledChild(Body body) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
}

TEST(StagingFolder, CommitMovesEveryFileAndLeavesNoStagingBehind) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("a.txt"), "a");
    write(staging.file("b.txt"), "b");
    EXPECT_FALSE(fs::exists(out)); // nothing appears before the commit
    EXPECT_EQ(staging.commit(), "");
  }
  EXPECT_EQ(entries(out), (std::set<std::string>{"a.txt", "b.txt"}));
  EXPECT_EQ(read(out / "a.txt"), "a");
  // No staging folder, backup or lock is left beside the output folder.
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

TEST(StagingFolder, CommitReplacesTheWholeFolder) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  writeEarlierRun(out);
  {
    hdx::StagingFolder staging((out.string() + "/"), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("result.json"), "new result");
    write(staging.file("search_trajectory.svg"), "new plot");
    EXPECT_EQ(staging.commit(), "");
  }
  // The earlier run's extra plots are gone with it.
  EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{
                               {"result.json", "new result"},
                               {"search_trajectory.svg", "new plot"}}));
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

// A file of the earlier run that a new file cannot replace (a folder where
// the new run has a file) no longer makes the commit fail half-way.
TEST(StagingFolder, CommitReplacesFoldersOfTheSameNameAsNewFiles) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  fs::create_directories(out / "b.txt" / "blocker");
  write((out / "old.txt").string(), "old");
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    for (const char *name : {"a.txt", "b.txt", "c.txt"})
      write(staging.file(name), name);
    EXPECT_EQ(staging.commit(), "");
  }
  EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{
                               {"a.txt", "a.txt"},
                               {"b.txt", "b.txt"},
                               {"c.txt", "c.txt"}}));
  fs::remove_all(base);
}

TEST(StagingFolder, FailedRunLeavesNoNewFolder) {
  fs::path base = makeTempDir();
  fs::path out = base / "deeper" / "out";
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("a.txt"), "a");
  } // no commit
  EXPECT_FALSE(fs::exists(out));
  // Not even the parent folder it created, nor the lock.
  EXPECT_EQ(entries(base), std::set<std::string>{});
  fs::remove_all(base);
}

TEST(StagingFolder, FailedRunLeavesTheEarlierRunUntouched) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  auto earlier = writeEarlierRun(out);
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("result.json"), "new result");
    EXPECT_EQ(snapshot(out), earlier); // untouched while the run works
  }
  EXPECT_EQ(snapshot(out), earlier);
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

// The atomic swap is refused (a cross-device rename): the earlier run stays
// whole and the error names the folder.
TEST(StagingFolder, FailedSwapKeepsTheEarlierRun) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  auto earlier = writeEarlierRun(out);
  RenameOverride fail([](const fs::path &from, const fs::path &to,
                         bool exchange) {
    return exchange ? EXDEV
                    : hdx::StagingFolder::systemRename(from, to, exchange);
  });
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("result.json"), "new result");
    std::string error = staging.commit();
    EXPECT_NE(error.find("cannot replace '" + out.string() + "'"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("is unchanged"), std::string::npos) << error;
  }
  EXPECT_EQ(snapshot(out), earlier);
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

// Without RENAME_EXCHANGE the commit moves the earlier run aside, the new
// one in, and deletes the earlier one.
TEST(StagingFolder, CommitWithoutExchangeStillReplacesTheFolder) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  writeEarlierRun(out);
  RenameOverride noExchange([](const fs::path &from, const fs::path &to,
                               bool exchange) {
    return exchange ? EINVAL
                    : hdx::StagingFolder::systemRename(from, to, exchange);
  });
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("result.json"), "new result");
    EXPECT_EQ(staging.commit(), "");
  }
  EXPECT_EQ(snapshot(out), (std::map<std::string, std::string>{
                               {"result.json", "new result"}}));
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

// Without RENAME_EXCHANGE, moving the new run in fails after the earlier run
// was moved aside: the earlier run goes back into place.
TEST(StagingFolder, FailedMoveWithoutExchangeRestoresTheEarlierRun) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  auto earlier = writeEarlierRun(out);
  RenameOverride failSecond([&](const fs::path &from, const fs::path &to,
                                bool exchange) {
    if (exchange)
      return ENOSYS;
    if (to == out && from.filename().string().find("-staging-") !=
                         std::string::npos)
      return EXDEV;
    return hdx::StagingFolder::systemRename(from, to, exchange);
  });
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("result.json"), "new result");
    std::string error = staging.commit();
    EXPECT_NE(error.find("to '" + out.string() + "'"), std::string::npos)
        << error;
    EXPECT_NE(error.find("is unchanged"), std::string::npos) << error;
  }
  EXPECT_EQ(snapshot(out), earlier);
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

// A killed run leaves its staging folder; the next run on the folder removes
// it, and it never shows up inside the output folder.
TEST(StagingFolder, NextRunRemovesWhatAKilledRunLeft) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  writeEarlierRun(out);
  inKilledChild([&] {
    // Deliberately leaked: a killed process runs no destructor.
    auto *staging = new hdx::StagingFolder(out.string(), "tool");
    if (!staging->error().empty())
      ::_exit(1);
    write(staging->file("half.txt"), "half");
  });
  // The staging folder (and the lock file) of the dead process are there.
  EXPECT_EQ(entries(base).size(), 3u);
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    // Only the live run's own staging folder and lock are beside DIR now.
    EXPECT_EQ(entries(base).size(), 3u);
    EXPECT_TRUE(entries(base).count(staging.path().filename().string()));
    write(staging.file("result.json"), "new result");
    EXPECT_EQ(staging.commit(), "");
  }
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  EXPECT_EQ(entries(out), (std::set<std::string>{"result.json"}));
  fs::remove_all(base);
}

// A run killed between the two renames of a commit without RENAME_EXCHANGE
// leaves DIR moved aside; the next run puts the earlier run back before it
// does anything else, so even when that run fails DIR holds a whole run.
TEST(StagingFolder, NextRunRestoresARunAKilledCommitMovedAside) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  auto earlier = writeEarlierRun(out);
  inKilledChild([&] {
    hdx::StagingFolder::setRenameForTesting(
        [&](const fs::path &from, const fs::path &to, bool exchange) {
          if (exchange)
            return ENOSYS;
          if (to == out) // killed right before the new run moves in
            ::_exit(9);
          return hdx::StagingFolder::systemRename(from, to, exchange);
        });
    auto *staging = new hdx::StagingFolder(out.string(), "tool");
    write(staging->file("result.json"), "new result");
    staging->commit();
    ::_exit(1); // not reached
  });
  EXPECT_FALSE(fs::exists(out));
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    EXPECT_EQ(snapshot(out), earlier);
  } // this run fails too
  EXPECT_EQ(snapshot(out), earlier);
  EXPECT_EQ(entries(base), (std::set<std::string>{"out"}));
  fs::remove_all(base);
}

TEST(StagingFolder, SecondRunOnTheSameFolderIsRefused) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  auto earlier = writeEarlierRun(out);
  {
    hdx::StagingFolder first(out.string(), "hdx-first");
    ASSERT_EQ(first.error(), "");
    write(first.file("result.json"), "first");
    {
      hdx::StagingFolder second(out.string() + "/.", "hdx-second");
      EXPECT_NE(second.error().find("output folder '" + out.string() +
                                    "' is in use by hdx-first (pid " +
                                    std::to_string(::getpid()) + ")"),
                std::string::npos)
          << second.error();
      EXPECT_NE(second.commit(), "");
    }
    // The refused run touched nothing of the first one.
    EXPECT_TRUE(fs::exists(first.path() / "result.json"));
    EXPECT_EQ(snapshot(out), earlier);
    // A run on another folder in the same parent is not affected.
    hdx::StagingFolder other((base / "other").string(), "hdx-second");
    EXPECT_EQ(other.error(), "");
    EXPECT_EQ(first.commit(), "");
  }
  EXPECT_EQ(read(out / "result.json"), "first");
  // Once the first run is over, the folder is free again.
  hdx::StagingFolder third(out.string(), "hdx-third");
  EXPECT_EQ(third.error(), "");
  fs::remove_all(base);
}

TEST(StagingFolder, TheLockHoldsAcrossProcesses) {
  fs::path base = makeTempDir();
  fs::path out = base / "out";
  hdx::StagingFolder first(out.string(), "hdx-first");
  ASSERT_EQ(first.error(), "");
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  inKilledChild([&] {
    hdx::StagingFolder second(out.string(), "hdx-second");
    std::string error = second.error();
    (void)!::write(pipeFds[1], error.data(), error.size());
    ::_exit(0);
  });
  ::close(pipeFds[1]);
  char buffer[512] = {};
  ssize_t n = ::read(pipeFds[0], buffer, sizeof(buffer) - 1);
  ::close(pipeFds[0]);
  std::string error(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  EXPECT_NE(error.find("is in use by hdx-first (pid " +
                       std::to_string(::getpid()) + ")"),
            std::string::npos)
      << error;
  fs::remove_all(base);
}

TEST(StagingFolder, UncreatableFolderIsAnError) {
  fs::path base = makeTempDir();
  write((base / "file").string(), "x");
  hdx::StagingFolder staging((base / "file" / "out").string(), "tool");
  EXPECT_NE(staging.error().find("cannot create output folder"),
            std::string::npos)
      << staging.error();
  hdx::StagingFolder onFile((base / "file").string(), "tool");
  EXPECT_NE(onFile.error().find("exists and is not a folder"),
            std::string::npos)
      << onFile.error();
  EXPECT_EQ(read(base / "file"), "x");
  fs::remove_all(base);
}

} // namespace
