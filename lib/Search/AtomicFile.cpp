//===- AtomicFile.cpp - Writing output files atomically -------------------===//

#include "hdx/Search/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hdx::search;
namespace fs = std::filesystem;

Status hdx::search::writeFileAtomically(const std::string &path,
                                        const std::string &bytes) {
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // The temporary file lives next to the target: rename() is atomic only
  // within one file system.
  std::string pattern =
      (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0)
    return Error{"cannot write '" + path + "': cannot create a temporary file: " +
                 std::strerror(errno)};
  auto fail = [&](const std::string &what) {
    std::string message = "cannot write '" + path + "': " + what + ": " +
                          std::strerror(errno);
    if (fd >= 0)
      close(fd);
    unlink(name.data());
    return Status(Error{message});
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail("write failed");
    done += static_cast<size_t>(n);
  }
  if (fchmod(fd, 0644) != 0)
    return fail("chmod failed");
  if (fsync(fd) != 0)
    return fail("fsync failed");
  int closed = close(fd);
  fd = -1;
  if (closed != 0)
    return fail("close failed");
  if (rename(name.data(), path.c_str()) != 0)
    return fail("rename failed");
  return Status::success();
}
