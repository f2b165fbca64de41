//===- ModelFile.cpp - Reading and writing ONNX model files ---------------===//
#include "hdx/Onnx/ModelFile.h"

#include <onnx/onnx_pb.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

namespace hdx::onnxlib {

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

Status writeFileAtomically(const std::string &path, const std::string &bytes) {
  if (path.empty())
    return Status::failure("no output path given");
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
    return Status::failure(systemError("cannot create a file beside", path));

  auto abandon = [&](const std::string &what) {
    Status failed = Status::failure(systemError(what, path));
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
  return Status::success();
}

Status writeModelFile(const onnx::ModelProto &model, const std::string &path) {
  std::string bytes;
  // Protobuf refuses messages of 2 GiB and more.
  if (model.ByteSizeLong() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return Status::failure("the model is too large for one protobuf file "
                           "(2 GiB); '" + path + "' was not written");
  if (!model.SerializeToString(&bytes))
    return Status::failure("cannot serialize the model; '" + path +
                           "' was not written");
  return writeFileAtomically(path, bytes);
}

Status readModelFile(const std::string &path, onnx::ModelProto &model) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::failure(systemError("cannot open", path));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::failure("'" + path + "' is not a regular file");
  }
  std::string bytes(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::read(fd, &bytes[done], bytes.size() - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      // got == 0: the file shrank while being read.
      Status failed = Status::failure(
          got < 0 ? systemError("cannot read", path)
                  : "'" + path + "' ended early while being read");
      ::close(fd);
      return failed;
    }
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  if (!model.ParseFromString(bytes) || !model.has_graph())
    return Status::failure("'" + path + "' is not a binary ONNX model");
  return Status::success();
}

} // namespace hdx::onnxlib
