//===- ModelFile.cpp - Reading and writing ONNX model files ---------------===//
#include "hdx/Onnx/ModelFile.h"
#include "hdx/Support/AtomicFile.h"

#include <onnx/onnx_pb.h>

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

} // namespace

Status writeModelFile(const onnx::ModelProto &model, const std::string &path) {
  std::string bytes;
  // Protobuf refuses messages of 2 GiB and more.
  if (model.ByteSizeLong() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return Status::failure("the model is too large for one protobuf file "
                           "(2 GiB); '" + path + "' was not written");
  if (!model.SerializeToString(&bytes))
    return Status::failure("cannot serialize the model; '" + path +
                           "' was not written");
  std::string error = hdx::writeFileAtomically(path, bytes);
  return error.empty() ? Status::success() : Status::failure(error);
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
