//===- HostTensor.h - import-time constant tensors --------------*- C++ -*-===//
//
// Small dense tensors the importer evaluates itself: the shape computations
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) exporters emit, and
// weight rearrangements (transposes, scaling). Elements are int64 or float.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_IMPORT_HOSTTENSOR_H
#define HDX_LIB_IMPORT_HOSTTENSOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <vector>

namespace hdx::onnx_import {

template <typename T>
struct HostTensor {
  llvm::SmallVector<int64_t> shape;
  std::vector<T> data;

  static HostTensor fromAttr(mlir::DenseElementsAttr attr) {
    HostTensor t;
    t.shape.assign(attr.getType().getShape().begin(),
                   attr.getType().getShape().end());
    if constexpr (std::is_same_v<T, float>) {
      if (attr.getElementType().isF32()) {
        auto values = attr.getValues<float>();
        t.data.assign(values.begin(), values.end());
      } else {
        for (int64_t v : attr.getValues<int64_t>())
          t.data.push_back(static_cast<float>(v));
      }
    } else {
      if (attr.getElementType().isInteger(64)) {
        auto values = attr.getValues<int64_t>();
        t.data.assign(values.begin(), values.end());
      } else {
        for (float v : attr.getValues<float>())
          t.data.push_back(static_cast<int64_t>(v));
      }
    }
    return t;
  }

  mlir::DenseElementsAttr toAttr(mlir::MLIRContext *context) const {
    mlir::Type element;
    if constexpr (std::is_same_v<T, float>)
      element = mlir::Float32Type::get(context);
    else
      element = mlir::IntegerType::get(context, 64);
    auto type = mlir::RankedTensorType::get(shape, element);
    return mlir::DenseElementsAttr::get(type, llvm::ArrayRef<T>(data));
  }
};

/// Row-major strides of `shape`.
inline llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Calls `visit(index, offset)` for every multi-index of `shape` in row-major
/// order, with `offset` its linear position.
inline void forEachIndex(
    llvm::ArrayRef<int64_t> shape,
    const std::function<void(llvm::ArrayRef<int64_t>, int64_t)> &visit) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t offset = 0; offset < count; ++offset) {
    visit(index, offset);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// Output dim `i` is input dim `perm[i]`.
template <typename T>
HostTensor<T> transpose(const HostTensor<T> &in, llvm::ArrayRef<int64_t> perm) {
  HostTensor<T> out;
  for (int64_t p : perm)
    out.shape.push_back(in.shape[p]);
  out.data.resize(in.data.size());
  llvm::SmallVector<int64_t> inStrides = stridesOf(in.shape);
  forEachIndex(out.shape, [&](llvm::ArrayRef<int64_t> index, int64_t offset) {
    int64_t source = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      source += index[d] * inStrides[perm[d]];
    out.data[offset] = in.data[source];
  });
  return out;
}

/// Element-wise `fn(a, b)` with NumPy broadcasting; false if the shapes do
/// not broadcast.
template <typename T>
bool broadcastBinary(const HostTensor<T> &a, const HostTensor<T> &b,
                     const std::function<T(T, T)> &fn, HostTensor<T> &out) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  auto padded = [&](llvm::ArrayRef<int64_t> s) {
    llvm::SmallVector<int64_t> p(rank - s.size(), 1);
    p.append(s.begin(), s.end());
    return p;
  };
  llvm::SmallVector<int64_t> sa = padded(a.shape), sb = padded(b.shape);
  out.shape.clear();
  for (size_t d = 0; d < rank; ++d) {
    if (sa[d] != sb[d] && sa[d] != 1 && sb[d] != 1)
      return false;
    out.shape.push_back(sa[d] == 1 ? sb[d] : sa[d]);
  }
  llvm::SmallVector<int64_t> stA = stridesOf(sa), stB = stridesOf(sb);
  int64_t count = 1;
  for (int64_t d : out.shape)
    count *= d;
  out.data.assign(count, T());
  forEachIndex(out.shape, [&](llvm::ArrayRef<int64_t> index, int64_t offset) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia += (sa[d] == 1 ? 0 : index[d]) * stA[d];
      ib += (sb[d] == 1 ? 0 : index[d]) * stB[d];
    }
    out.data[offset] = fn(a.data[ia], b.data[ib]);
  });
  return true;
}

} // namespace hdx::onnx_import

#endif // HDX_LIB_IMPORT_HOSTTENSOR_H
