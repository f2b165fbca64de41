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

/// The bytes of the regular file at `path`.
static Status readWholeFile(const std::string &path, std::string &bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::failure(systemError("cannot open", path));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::failure("'" + path + "' is not a regular file");
  }
  bytes.assign(static_cast<size_t>(info.st_size), '\0');
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
  return Status::success();
}

Status readModelFile(const std::string &path, onnx::ModelProto &model) {
  std::string bytes;
  if (Status read = readWholeFile(path, bytes); !read)
    return read;
  if (!model.ParseFromString(bytes) || !model.has_graph())
    return Status::failure("'" + path + "' is not a binary ONNX model");
  return Status::success();
}

Status readTensorFile(const std::string &path, FloatTensor &tensor) {
  std::string bytes;
  if (Status read = readWholeFile(path, bytes); !read)
    return read;
  onnx::TensorProto proto;
  if (!proto.ParseFromString(bytes))
    return Status::failure("'" + path + "' is not an ONNX TensorProto file");
  if (proto.data_type() != onnx::TensorProto::FLOAT)
    return Status::failure(
        "'" + path + "' holds " +
        onnx::TensorProto::DataType_Name(
            static_cast<onnx::TensorProto::DataType>(proto.data_type())) +
        " elements; only FLOAT tensors are supported");
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return Status::failure("'" + path + "' keeps its data in an external "
                           "file, which tensor files cannot");
  tensor.name = proto.name();
  tensor.shape.assign(proto.dims().begin(), proto.dims().end());
  int64_t count = 1;
  for (int64_t dim : tensor.shape) {
    if (dim < 0 || (dim > 0 && count > (int64_t{1} << 40) / dim))
      return Status::failure("'" + path + "' has an invalid shape");
    count *= dim;
  }
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != static_cast<size_t>(count) * sizeof(float))
      return Status::failure("'" + path + "' holds " +
                             std::to_string(raw.size()) + " bytes of data, " +
                             "its shape needs " +
                             std::to_string(count * sizeof(float)));
    tensor.data.resize(count);
    // TensorProto raw data is little-endian, as is every host HDX targets.
    std::memcpy(tensor.data.data(), raw.data(), raw.size());
  } else {
    if (proto.float_data_size() != count)
      return Status::failure("'" + path + "' holds " +
                             std::to_string(proto.float_data_size()) +
                             " values, its shape needs " +
                             std::to_string(count));
    tensor.data.assign(proto.float_data().begin(), proto.float_data().end());
  }
  return Status::success();
}

Status writeTensorFile(const FloatTensor &tensor, const std::string &path) {
  onnx::TensorProto proto;
  proto.set_name(tensor.name);
  proto.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  proto.set_raw_data(tensor.data.data(), tensor.data.size() * sizeof(float));
  std::string bytes;
  if (!proto.SerializeToString(&bytes))
    return Status::failure("cannot serialize tensor '" + tensor.name +
                           "'; '" + path + "' was not written");
  std::string error = hdx::writeFileAtomically(path, bytes);
  return error.empty() ? Status::success() : Status::failure(error);
}

} // namespace hdx::onnxlib
