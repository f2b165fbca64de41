//===- InputFileTest.cpp - reading input files without surprises ---------===//
#include "hdx/Support/InputFile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

class InputFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("hdx-input-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  /// The error of reading `path` (with at most `maxBytes`), "" on success.
  std::string errorOf(const fs::path &path, uint64_t maxBytes = 1 << 20) {
    std::string contents, error;
    bool ok = hdx::readInputFile(path.string(), maxBytes, contents, error);
    EXPECT_EQ(ok, error.empty());
    return error;
  }

  fs::path dir;
};

TEST_F(InputFileTest, ReadsARegularFileWhole) {
  std::ofstream(dir / "a.yaml", std::ios::binary) << std::string("k: 1\n\0x", 7);
  std::string contents, error;
  ASSERT_TRUE(hdx::readInputFile((dir / "a.yaml").string(), 7, contents, error))
      << error;
  EXPECT_EQ(contents, std::string("k: 1\n\0x", 7));
}

TEST_F(InputFileTest, NamesAMissingFile) {
  EXPECT_EQ(errorOf(dir / "none.yaml"),
            (dir / "none.yaml").string() +
                ": cannot open file (No such file or directory)");
}

// Each of these would block, never end or fail later with a confusing
// parser error.
TEST_F(InputFileTest, RefusesPipesDevicesAndFolders) {
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_EQ(errorOf(dir / "pipe"),
            (dir / "pipe").string() +
                ": is not a regular file (pipes and devices are not read)");
  EXPECT_EQ(errorOf("/dev/zero"),
            "/dev/zero: is not a regular file (pipes and devices are not read)");
  EXPECT_EQ(errorOf(dir), dir.string() + ": is a folder, not a file");
  // A link is followed: to a device it is refused like the device.
  fs::create_symlink("/dev/zero", dir / "zero.yaml");
  EXPECT_NE(errorOf(dir / "zero.yaml").find("is not a regular file"),
            std::string::npos);
}

TEST_F(InputFileTest, RefusesFilesOverTheLimit) {
  std::ofstream(dir / "big.yaml") << std::string(100, 'x');
  EXPECT_EQ(errorOf(dir / "big.yaml", 99),
            (dir / "big.yaml").string() +
                ": is 100 bytes, more than the 99 this input may have");
  EXPECT_EQ(errorOf(dir / "big.yaml", 100), "");
}

} // namespace
