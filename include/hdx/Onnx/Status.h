//===- Status.h - Errors as values for the ONNX model library ---*- C++ -*-===//
//
// libonnx and protobuf report problems by throwing; the public functions of
// this library never throw. They return a `Status`: `ok`, or a complete,
// user-facing `error` message.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ONNX_STATUS_H
#define HDX_ONNX_STATUS_H

#include <string>
#include <utility>

namespace hdx::onnxlib {

struct [[nodiscard]] Status {
  bool ok = true;
  std::string error;

  static Status success() { return {}; }
  static Status failure(std::string error) { return {false, std::move(error)}; }

  explicit operator bool() const { return ok; }
};

} // namespace hdx::onnxlib

#endif // HDX_ONNX_STATUS_H
