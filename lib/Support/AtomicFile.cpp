//===- AtomicFile.cpp - output files that are whole or absent -------------===//
#include "hdx/Support/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace hdx {

namespace {

std::string systemError(const std::string &what, const std::string &path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

/// Writes all of `bytes` to `fd`, retrying short writes and interrupts.
bool writeAll(int fd, const std::string &bytes) {
  const char *data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
  return true;
}

} // namespace

std::string writeFileAtomically(const std::string &path,
                                const std::string &bytes) {
  if (path.empty())
    return "no output path given";
  // The temporary file lives beside the destination so rename() stays within
  // one file system and is atomic. open() with a mode applies the umask, as
  // for any other output file.
  static std::atomic<unsigned> counter{0};
  std::string tempPath;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tempPath = path + ".tmp-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter++);
    fd = ::open(tempPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0)
    return systemError("cannot create a file beside", path);

  auto abandon = [&](const std::string &what) {
    std::string failed = systemError(what, path);
    if (fd >= 0)
      ::close(fd);
    ::unlink(tempPath.c_str());
    return failed;
  };
  if (!writeAll(fd, bytes))
    return abandon("cannot write");
  if (::fsync(fd) != 0)
    return abandon("cannot flush");
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0)
    return abandon("cannot close");
  if (::rename(tempPath.c_str(), path.c_str()) != 0)
    return abandon("cannot replace");
  return "";
}

} // namespace hdx
