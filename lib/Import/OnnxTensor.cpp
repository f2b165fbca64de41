//===- OnnxTensor.cpp - ONNX tensors to MLIR constants --------------------===//
#include "NodeContext.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace hdx::onnx_import {

namespace {
enum class Kind { Float, Integer, Unsupported };
} // namespace

static Kind kindOf(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::FLOAT16:
    return Kind::Float;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::BOOL:
    return Kind::Integer;
  default:
    return Kind::Unsupported;
  }
}

/// Bytes per element in raw_data.
static size_t rawElementSize(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return 1;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
    return 2;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::FLOAT:
    return 4;
  default:
    return 8;
  }
}

static float halfToFloat(uint16_t bits) {
  llvm::APFloat value(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
  bool losesInfo;
  value.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToFloat();
}

/// Decodes one little-endian raw element as a double (floats) or int64.
static double rawFloat(const char *p, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT: {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case onnx::TensorProto::DOUBLE: {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  default: {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return halfToFloat(bits);
  }
  }
}

static int64_t rawInteger(const char *p, int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::INT8: return static_cast<int8_t>(*p);
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL: return static_cast<uint8_t>(*p);
  case onnx::TensorProto::INT16: { int16_t v; std::memcpy(&v, p, 2); return v; }
  case onnx::TensorProto::UINT16: { uint16_t v; std::memcpy(&v, p, 2); return v; }
  case onnx::TensorProto::INT32: { int32_t v; std::memcpy(&v, p, 4); return v; }
  case onnx::TensorProto::UINT32: { uint32_t v; std::memcpy(&v, p, 4); return v; }
  case onnx::TensorProto::UINT64: { uint64_t v; std::memcpy(&v, p, 8); return static_cast<int64_t>(v); }
  default: { int64_t v; std::memcpy(&v, p, 8); return v; }
  }
}

/// Reads the external data of `tensor` from beside the model: exactly
/// `expectedBytes` bytes of a regular file whose real path (symbolic links
/// resolved) lies inside the model's directory. Anything else is refused
/// before a byte is read, so a link to /etc/passwd, /dev/zero or a FIFO
/// neither leaks data nor blocks.
static bool readExternalData(const onnx::TensorProto &tensor,
                             StringRef modelDirectory, uint64_t expectedBytes,
                             std::string &bytes, std::string &error) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value)) {
        error = "external data " + entry.key() + " '" + entry.value() +
                "' is not a non-negative integer";
        return false;
      }
      if (entry.key() == "offset")
        offset = value;
      else
        length = value;
    }
  }
  if (location.empty()) {
    error = "external data has no 'location'";
    return false;
  }
  if (llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         "..")) {
    error = "external data location '" + location +
            "' must be a relative path inside the model's directory";
    return false;
  }
  llvm::SmallString<256> path(modelDirectory.empty() ? "." : modelDirectory);
  llvm::sys::path::append(path, location);
  llvm::SmallString<256> realDirectory, realPath;
  if (std::error_code ec = llvm::sys::fs::real_path(
          modelDirectory.empty() ? "." : modelDirectory, realDirectory)) {
    error = "cannot resolve the model's directory '" + modelDirectory.str() +
            "': " + ec.message();
    return false;
  }
  if (std::error_code ec = llvm::sys::fs::real_path(path, realPath)) {
    error = "cannot read external data file '" + std::string(path) +
            "': " + ec.message();
    return false;
  }
  llvm::SmallString<256> inside(realDirectory);
  llvm::sys::path::append(inside, "");
  if (!StringRef(realPath).starts_with(inside)) {
    error = "external data location '" + location + "' resolves to '" +
            std::string(realPath) + "', outside the model's directory '" +
            std::string(realDirectory) + "'";
    return false;
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(realPath, status)) {
    error = "cannot read external data file '" + std::string(path) +
            "': " + ec.message();
    return false;
  }
  if (status.type() != llvm::sys::fs::file_type::regular_file) {
    error = "external data file '" + std::string(path) +
            "' is not a regular file";
    return false;
  }
  uint64_t size = status.getSize();
  uint64_t count = length.value_or(size - std::min(offset, size));
  if (offset > size || count > size - offset) {
    error = "external data range [" + std::to_string(offset) + ", " +
            std::to_string(offset + count) + ") lies outside '" +
            std::string(path) + "' (" + std::to_string(size) + " bytes)";
    return false;
  }
  if (count != expectedBytes) {
    error = "external data in '" + std::string(path) + "' holds " +
            std::to_string(count) + " bytes from offset " +
            std::to_string(offset) + ", the tensor needs " +
            std::to_string(expectedBytes);
    return false;
  }
  if (count == 0) {
    bytes.clear();
    return true;
  }
  auto buffer = llvm::MemoryBuffer::getFileSlice(realPath, count, offset);
  if (!buffer) {
    error = "cannot read external data file '" + std::string(path) +
            "': " + buffer.getError().message();
    return false;
  }
  bytes.assign((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  return true;
}

DenseElementsAttr convertTensor(const onnx::TensorProto &tensor,
                                StringRef modelDirectory, MLIRContext *context,
                                std::string &error) {
  int32_t dataType = tensor.data_type();
  Kind kind = kindOf(dataType);
  if (kind == Kind::Unsupported) {
    error = "tensor '" + tensor.name() + "' has unsupported element type " +
            onnx::TensorProto::DataType_Name(
                static_cast<onnx::TensorProto::DataType>(dataType));
    return {};
  }
  llvm::SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "tensor '" + tensor.name() + "' has a negative dimension";
      return {};
    }
    // Real tensors stay far below 2^40 elements; a larger product is a
    // corrupt header, and multiplying on would overflow.
    if (dim > 0 && count > (int64_t{1} << 40) / dim) {
      error = "tensor '" + tensor.name() + "' has too many elements";
      return {};
    }
    shape.push_back(dim);
    count *= dim;
  }

  std::string external;
  const std::string *raw = tensor.has_raw_data() ? &tensor.raw_data() : nullptr;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    if (!readExternalData(tensor, modelDirectory,
                          static_cast<uint64_t>(count) *
                              rawElementSize(dataType),
                          external, error)) {
      error = "tensor '" + tensor.name() + "': " + error;
      return {};
    }
    raw = &external;
  }

  llvm::SmallVector<double> floats;
  llvm::SmallVector<int64_t> ints;
  if (raw) {
    size_t elementSize = rawElementSize(dataType);
    if (raw->size() != static_cast<size_t>(count) * elementSize) {
      error = "tensor '" + tensor.name() + "' holds " +
              std::to_string(raw->size()) + " bytes, expected " +
              std::to_string(count * elementSize);
      return {};
    }
    for (int64_t i = 0; i < count; ++i) {
      const char *p = raw->data() + i * elementSize;
      if (kind == Kind::Float)
        floats.push_back(rawFloat(p, dataType));
      else
        ints.push_back(rawInteger(p, dataType));
    }
  } else {
    switch (dataType) {
    case onnx::TensorProto::FLOAT:
      floats.assign(tensor.float_data().begin(), tensor.float_data().end());
      break;
    case onnx::TensorProto::DOUBLE:
      floats.assign(tensor.double_data().begin(), tensor.double_data().end());
      break;
    case onnx::TensorProto::FLOAT16:
      for (int32_t bits : tensor.int32_data())
        floats.push_back(halfToFloat(static_cast<uint16_t>(bits)));
      break;
    case onnx::TensorProto::INT64:
      ints.assign(tensor.int64_data().begin(), tensor.int64_data().end());
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      for (uint64_t v : tensor.uint64_data())
        ints.push_back(static_cast<int64_t>(v));
      break;
    default:
      ints.assign(tensor.int32_data().begin(), tensor.int32_data().end());
      break;
    }
    size_t actual = kind == Kind::Float ? floats.size() : ints.size();
    if (actual != static_cast<size_t>(count)) {
      error = "tensor '" + tensor.name() + "' holds " + std::to_string(actual) +
              " values, expected " + std::to_string(count);
      return {};
    }
  }

  if (kind == Kind::Float) {
    llvm::SmallVector<float> values(floats.begin(), floats.end());
    auto type = RankedTensorType::get(shape, Float32Type::get(context));
    return DenseElementsAttr::get(type, llvm::ArrayRef<float>(values));
  }
  auto type = RankedTensorType::get(shape, IntegerType::get(context, 64));
  return DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>(ints));
}

} // namespace hdx::onnx_import
