//===- StagingFolder.h - output folders replaced in one step ----*- C++ -*-===//
#ifndef HDX_SUPPORT_STAGINGFOLDER_H
#define HDX_SUPPORT_STAGINGFOLDER_H

#include <filesystem>
#include <functional>
#include <string>

namespace hdx {

/// The output folder DIR of one run, replaced as a whole or not at all.
///
/// The run writes its files into a hidden staging folder *beside* DIR (same
/// parent, hence the same file system): `.<name>.<tool>-staging-<pid>`, where
/// <name> is DIR's last component. `commit` puts the staging folder in DIR's
/// place in one step, and only then deletes the earlier run:
///  * DIR absent: one rename(2);
///  * DIR present: renameat2(RENAME_EXCHANGE) swaps the two folders
///    atomically; where the kernel or file system lacks it, DIR is renamed to
///    `.<name>.<tool>-previous-<pid>`, the staging folder to DIR, and the
///    earlier run is renamed back if the second step fails.
/// So DIR always holds one whole run: the earlier one, untouched, until the
/// commit succeeds, the new one after it. Nothing of the earlier run stays
/// beside the new files. A run that fails, or is destroyed without a commit,
/// leaves no DIR if there was none, and leaves an existing DIR as it was.
///
/// For the whole life of the object, `.<name>.lock` beside DIR is held with
/// flock(2): a second run on DIR (any tool using this class) fails at
/// construction with an error naming DIR and the holder. Having the lock,
/// the constructor removes what killed runs on DIR left behind (staging
/// folders of processes that are gone; an earlier run a killed commit had
/// moved aside is put back into DIR if DIR is missing).
class StagingFolder {
public:
  /// Locks DIR (`outDir`), creates its parent folders if needed, cleans up
  /// after killed runs and creates the empty staging folder; check error()
  /// afterwards.
  StagingFolder(const std::string &outDir, const std::string &tool);
  /// Without a commit: removes the staging folder (and the parent folders
  /// the constructor created, when empty). Always releases the lock.
  ~StagingFolder();
  StagingFolder(const StagingFolder &) = delete;
  StagingFolder &operator=(const StagingFolder &) = delete;

  /// The staging folder the run writes into.
  const std::filesystem::path &path() const { return path_; }
  /// `path() / name`, as a string.
  std::string file(const std::string &name) const {
    return (path_ / name).string();
  }
  /// The output folder, absolute.
  const std::filesystem::path &outDir() const { return outDir_; }
  /// Empty, or why the folder cannot be used (it could not be created, or
  /// another run holds it).
  const std::string &error() const { return error_; }

  /// Replaces DIR by the staging folder (see above); returns an empty string
  /// or the error, after which DIR is as it was before.
  std::string commit();

  /// For tests: performs each rename of a commit instead of the system.
  /// `exchange` asks for renameat2(RENAME_EXCHANGE). Returns 0 or an errno
  /// value. An empty function restores the system calls.
  using RenameFunction = std::function<int(const std::filesystem::path &from,
                                           const std::filesystem::path &to,
                                           bool exchange)>;
  static void setRenameForTesting(RenameFunction rename);
  /// The system's rename (exchange: renameat2 with RENAME_EXCHANGE, ENOSYS
  /// where the C library has no way to call it); 0 or an errno value.
  static int systemRename(const std::filesystem::path &from,
                          const std::filesystem::path &to, bool exchange);

private:
  void acquireLock(const std::string &tool);
  void removeLeftovers();
  int rename(const std::filesystem::path &from, const std::filesystem::path &to,
             bool exchange) const;

  std::filesystem::path outDir_, path_, lockPath_;
  /// The outermost parent folder the constructor created, if any.
  std::filesystem::path createdParent_;
  std::string name_, tool_, error_;
  int lockFd_ = -1;
  bool committed_ = false;
};

} // namespace hdx

#endif // HDX_SUPPORT_STAGINGFOLDER_H
