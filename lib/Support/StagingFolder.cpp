//===- StagingFolder.cpp - output folders replaced in one step ------------===//
#include "hdx/Support/StagingFolder.h"

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hdx {

namespace {

/// Linux's RENAME_EXCHANGE flag of renameat2(2) (<linux/fs.h>).
constexpr unsigned kRenameExchange = 1u << 1;

StagingFolder::RenameFunction &renameOverride() {
  static StagingFolder::RenameFunction function;
  return function;
}

std::string inQuotes(const fs::path &path) { return "'" + path.string() + "'"; }

/// Whether process `pid` exists (possibly owned by another user).
bool processAlive(long pid) {
  if (pid <= 0)
    return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// Letters, digits, '-' and '_' only: a tool name never contains the '.'
/// that separates it from DIR's name in the staging folder's name.
std::string sanitize(const std::string &tool) {
  std::string out = tool.empty() ? "run" : tool;
  for (char &c : out)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      c = '_';
  return out;
}

/// What a killed run may have left beside DIR, named after DIR.
struct Leftover {
  enum Kind { Staging, Previous } kind;
  long pid;
};

/// Parses `.<name>.<tool>-staging-<pid>` and `.<name>.<tool>-previous-<pid>`.
std::optional<Leftover> parseLeftover(const std::string &entry,
                                      const std::string &name) {
  std::string prefix = "." + name + ".";
  if (entry.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  std::string rest = entry.substr(prefix.size());
  // A '.' in the rest means the entry belongs to a DIR whose name starts
  // with ours ("out.v2"), not to ours.
  if (rest.find('.') != std::string::npos)
    return std::nullopt;
  size_t dash = rest.rfind('-');
  if (dash == std::string::npos || dash + 1 == rest.size() ||
      rest.size() - dash > 12)
    return std::nullopt;
  std::string digits = rest.substr(dash + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  std::string head = rest.substr(0, dash);
  auto endsWith = [&](const std::string &suffix) {
    return head.size() > suffix.size() &&
           head.compare(head.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  Leftover leftover;
  if (endsWith("-staging"))
    leftover.kind = Leftover::Staging;
  else if (endsWith("-previous"))
    leftover.kind = Leftover::Previous;
  else
    return std::nullopt;
  leftover.pid = std::stol(digits);
  return leftover;
}

} // namespace

void StagingFolder::setRenameForTesting(RenameFunction rename) {
  renameOverride() = std::move(rename);
}

int StagingFolder::systemRename(const fs::path &from, const fs::path &to,
                                bool exchange) {
  if (!exchange)
    return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
#ifdef SYS_renameat2
  if (::syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                kRenameExchange) == 0)
    return 0;
  return errno;
#else
  return ENOSYS;
#endif
}

int StagingFolder::rename(const fs::path &from, const fs::path &to,
                          bool exchange) const {
  if (renameOverride())
    return renameOverride()(from, to, exchange);
  return systemRename(from, to, exchange);
}

StagingFolder::StagingFolder(const std::string &outDir,
                             const std::string &tool)
    : tool_(sanitize(tool)) {
  std::error_code ec;
  // DIR as an absolute path without a trailing separator; a symbolic link to
  // a folder stands for the folder.
  fs::path dir = fs::absolute(outDir.empty() ? fs::path(".") : fs::path(outDir),
                              ec)
                     .lexically_normal();
  if (!ec && !dir.has_filename())
    dir = dir.parent_path();
  if (!ec && fs::is_symlink(dir))
    dir = fs::canonical(dir, ec);
  if (ec || !dir.has_filename() || !dir.has_parent_path() ||
      dir.parent_path() == dir) {
    error_ = "cannot use " + inQuotes(outDir) + " as the output folder" +
             (ec ? ": " + ec.message() : "");
    return;
  }
  outDir_ = dir;
  name_ = dir.filename().string();
  fs::path parent = dir.parent_path();

  // The parent must exist (the lock and the staging folder live in it);
  // remember the outermost folder created here to remove it after a failure.
  for (fs::path p = parent; !p.empty() && !fs::exists(p, ec);
       p = p.parent_path()) {
    createdParent_ = p;
    if (p == p.parent_path())
      break;
  }
  fs::create_directories(parent, ec);
  if (ec) {
    error_ = "cannot create output folder " + inQuotes(outDir_) + ": " +
             ec.message();
    createdParent_.clear();
    return;
  }
  fs::file_status status = fs::symlink_status(outDir_, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    error_ = "output folder " + inQuotes(outDir_) +
             " exists and is not a folder";
    return;
  }

  acquireLock(tool);
  if (!error_.empty())
    return;
  removeLeftovers();

  path_ = parent / ("." + name_ + "." + tool_ + "-staging-" +
                    std::to_string(::getpid()));
  fs::remove_all(path_, ec);
  if (!fs::create_directory(path_, ec) || ec)
    error_ = "cannot create " + inQuotes(path_) + ": " +
             (ec ? ec.message() : "it exists");
}

void StagingFolder::acquireLock(const std::string &tool) {
  lockPath_ = outDir_.parent_path() / ("." + name_ + ".lock");
  // The last run to leave removes the lock file while holding it, so a lock
  // taken on a file that is no longer at lockPath_ is stale: take it again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::open(lockPath_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      error_ = "cannot create the lock " + inQuotes(lockPath_) +
               " of output folder " + inQuotes(outDir_) + ": " +
               std::strerror(errno);
      return;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      std::string holder;
      if (err == EWOULDBLOCK) {
        char buffer[256] = {};
        ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
        holder = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "";
        while (!holder.empty() &&
               (holder.back() == '\n' || holder.back() == '\r'))
          holder.pop_back();
      }
      ::close(fd);
      if (err == EINTR)
        continue;
      if (err == EWOULDBLOCK)
        error_ = "output folder " + inQuotes(outDir_) + " is in use by " +
                 (holder.empty() ? std::string("another run") : holder) +
                 " (lock " + inQuotes(lockPath_) +
                 "); wait until that run ends or choose another folder";
      else
        error_ = "cannot lock " + inQuotes(lockPath_) + " of output folder " +
                 inQuotes(outDir_) + ": " + std::strerror(err);
      return;
    }
    struct stat held, current;
    if (::fstat(fd, &held) == 0 && ::stat(lockPath_.c_str(), &current) == 0 &&
        held.st_dev == current.st_dev && held.st_ino == current.st_ino) {
      lockFd_ = fd;
      std::string holder = tool + " (pid " + std::to_string(::getpid()) + ")\n";
      if (::ftruncate(fd, 0) == 0 &&
          ::pwrite(fd, holder.data(), holder.size(), 0) < 0) {
        // The holder's name only improves the message of a second run.
      }
      return;
    }
    ::close(fd);
  }
  error_ = "cannot lock " + inQuotes(lockPath_) + " of output folder " +
           inQuotes(outDir_) + ": it keeps being replaced";
}

void StagingFolder::removeLeftovers() {
  std::error_code ec;
  fs::path parent = outDir_.parent_path();
  std::vector<std::pair<fs::path, Leftover>> found;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end;
       it.increment(ec))
    if (std::optional<Leftover> leftover =
            parseLeftover(it->path().filename().string(), name_))
      found.push_back({it->path(), *leftover});
  // With the lock held no other run on DIR is in its commit, so a leftover
  // of a process that is gone (or of this process) is garbage. An earlier
  // run moved aside goes back when the commit that moved it never finished.
  for (const auto &[path, leftover] : found) {
    if (leftover.pid != ::getpid() && processAlive(leftover.pid))
      continue;
    std::error_code ignored;
    if (leftover.kind == Leftover::Previous &&
        !fs::exists(fs::symlink_status(outDir_, ignored)) &&
        systemRename(path, outDir_, false) == 0)
      continue;
    fs::remove_all(path, ignored);
  }
}

StagingFolder::~StagingFolder() {
  std::error_code ignored;
  if (!committed_ && !path_.empty())
    fs::remove_all(path_, ignored);
  if (lockFd_ >= 0) {
    ::unlink(lockPath_.c_str());
    ::close(lockFd_);
  }
  // Parent folders created for a run that produced nothing go again (each
  // only if empty).
  if (!committed_ && !createdParent_.empty())
    for (fs::path p = outDir_.parent_path(); !p.empty();
         p = p.parent_path()) {
      if (!fs::remove(p, ignored) || p == createdParent_ ||
          p == p.parent_path())
        break;
    }
}

std::string StagingFolder::commit() {
  if (!error_.empty())
    return error_;
  if (committed_)
    return "the run in " + inQuotes(outDir_) + " was committed already";
  std::error_code ec;
  fs::file_status status = fs::symlink_status(outDir_, ec);
  fs::path previous;
  if (!fs::exists(status)) {
    if (int err = rename(path_, outDir_, false))
      return "cannot move the new run " + inQuotes(path_) + " to " +
             inQuotes(outDir_) + ": " + std::strerror(err);
  } else if (!fs::is_directory(status)) {
    return "output folder " + inQuotes(outDir_) +
           " is no longer a folder; left as it is";
  } else if (int err = rename(path_, outDir_, true); err == 0) {
    previous = path_; // The swap put the earlier run here.
  } else if (err == ENOSYS || err == EINVAL || err == ENOTSUP ||
             err == EOPNOTSUPP) {
    // No atomic exchange here: move the earlier run aside, the new one in,
    // and the earlier one back should that fail.
    fs::path backup = outDir_.parent_path() /
                      ("." + name_ + "." + tool_ + "-previous-" +
                       std::to_string(::getpid()));
    fs::remove_all(backup, ec);
    if (int err = rename(outDir_, backup, false))
      return "cannot move the earlier run " + inQuotes(outDir_) + " aside to " +
             inQuotes(backup) + ": " + std::strerror(err) + "; " +
             inQuotes(outDir_) + " is unchanged";
    if (int err = rename(path_, outDir_, false)) {
      std::string why = std::strerror(err);
      if (int restore = rename(backup, outDir_, false))
        return "cannot move the new run " + inQuotes(path_) + " to " +
               inQuotes(outDir_) + ": " + why + "; the earlier run is in " +
               inQuotes(backup) + " (moving it back failed: " +
               std::strerror(restore) + ")";
      return "cannot move the new run " + inQuotes(path_) + " to " +
             inQuotes(outDir_) + ": " + why + "; " + inQuotes(outDir_) +
             " is unchanged";
    }
    previous = backup;
  } else {
    return "cannot replace " + inQuotes(outDir_) + " by the new run " +
           inQuotes(path_) + ": " + std::strerror(err) + "; " +
           inQuotes(outDir_) + " is unchanged";
  }
  committed_ = true;
  // The new run is in place; the earlier one goes. Should that fail, the
  // next run on DIR removes what is left.
  if (!previous.empty())
    fs::remove_all(previous, ec);
  return "";
}

} // namespace hdx
