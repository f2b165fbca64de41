//===- TempDir.h - A fresh directory per test --------------------*- C++ -*-===//
#ifndef HDX_TEST_ONNX_TEMPDIR_H
#define HDX_TEST_ONNX_TEMPDIR_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace hdx::onnxlib::test {

/// A directory created for one test and removed with everything in it.
class TempDir {
public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "hdx-onnx-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (char *made = ::mkdtemp(buffer.data()))
      path_ = made;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

  /// The names of the entries in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto &entry : std::filesystem::directory_iterator(path_))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

private:
  std::string path_;
};

} // namespace hdx::onnxlib::test

#endif // HDX_TEST_ONNX_TEMPDIR_H
