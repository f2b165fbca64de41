//===- StagingFolder.h - outputs that appear all at once --------*- C++ -*-===//
#ifndef HDX_SUPPORT_STAGINGFOLDER_H
#define HDX_SUPPORT_STAGINGFOLDER_H

#include <filesystem>
#include <string>

namespace hdx {

/// A hidden, empty folder inside the output folder where a run writes its
/// files; `commit` moves them all into the output folder, and the staging
/// folder (with whatever is left in it) disappears on destruction. A run
/// that fails before committing leaves no output behind.
class StagingFolder {
public:
  /// Creates `outDir` if needed and `outDir/.<tool>-staging-<pid>`; check
  /// error() afterwards.
  StagingFolder(const std::string &outDir, const std::string &tool);
  ~StagingFolder();
  StagingFolder(const StagingFolder &) = delete;
  StagingFolder &operator=(const StagingFolder &) = delete;

  const std::filesystem::path &path() const { return path_; }
  /// `path() / name`, as a string.
  std::string file(const std::string &name) const {
    return (path_ / name).string();
  }
  /// Empty, or why the folder could not be created.
  const std::string &error() const { return error_; }

  /// Moves every file into the output folder (replacing files of the same
  /// name); returns an empty string or the error. If a move fails, the
  /// files already moved are removed again: the folder never holds part of
  /// one run's outputs.
  std::string commit();

private:
  std::filesystem::path outDir_, path_;
  std::string error_;
};

} // namespace hdx

#endif // HDX_SUPPORT_STAGINGFOLDER_H
