//===- StagingFolderTest.cpp - outputs that appear all at once ------------===//
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/StagingFolder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
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

TEST(StagingFolder, CommitMovesEveryFileAndLeavesNoStagingBehind) {
  fs::path out = makeTempDir() / "out";
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    write(staging.file("a.txt"), "a");
    write(staging.file("b.txt"), "b");
    EXPECT_EQ(entries(out).size(), 1u); // only the hidden staging folder
    EXPECT_EQ(staging.commit(), "");
  }
  EXPECT_EQ(entries(out), (std::set<std::string>{"a.txt", "b.txt"}));
  std::ifstream a(out / "a.txt");
  std::string text;
  a >> text;
  EXPECT_EQ(text, "a");
  fs::remove_all(out.parent_path());
}

TEST(StagingFolder, FailedCommitLeavesNoPartOfTheOutputs) {
  fs::path out = makeTempDir() / "out";
  fs::create_directories(out / "b.txt" / "blocker"); // b.txt cannot move here
  {
    hdx::StagingFolder staging(out.string(), "tool");
    ASSERT_EQ(staging.error(), "");
    for (const char *name : {"a.txt", "b.txt", "c.txt"})
      write(staging.file(name), name);
    std::string error = staging.commit();
    EXPECT_NE(error.find("cannot move 'b.txt' into '" + out.string() + "'"),
              std::string::npos)
        << error;
  }
  // Whatever order the moves took, the files moved before the failure are
  // gone again and the staging folder is removed.
  EXPECT_EQ(entries(out), (std::set<std::string>{"b.txt"}));
  EXPECT_TRUE(fs::is_directory(out / "b.txt"));
  fs::remove_all(out.parent_path());
}

TEST(StagingFolder, UncreatableFolderIsAnError) {
  fs::path base = makeTempDir();
  write((base / "file").string(), "x");
  hdx::StagingFolder staging((base / "file" / "out").string(), "tool");
  EXPECT_NE(staging.error().find("cannot create output folder"),
            std::string::npos)
      << staging.error();
  fs::remove_all(base);
}

} // namespace
