//===- Expected.h - Errors as values ----------------------------*- C++ -*-===//
//
// The cost model is called from code built with -fno-exceptions (MLIR passes)
// and from LibTorch code, so no public function throws: failures come back as
// values carrying a message that names the file, the key and what is allowed.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_EXPECTED_H
#define HDX_COST_EXPECTED_H

#include <string>
#include <utility>

namespace hdx::cost {

/// Success, or an error message.
class Status {
public:
  Status() = default;
  static Status success() { return Status(); }
  static Status failure(std::string message) {
    Status s;
    s.failed_ = true;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return message_; }

private:
  bool failed_ = false;
  std::string message_;
};

/// A value of type T, or an error message. T must be default-constructible.
template <typename T> class Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  Expected(Status status) : status_(std::move(status)) {}
  static Expected failure(std::string message) {
    return Expected(Status::failure(std::move(message)));
  }

  bool ok() const { return status_.ok(); }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return status_.error(); }
  const Status &status() const { return status_; }

  // Only meaningful when ok().
  T &value() { return value_; }
  const T &value() const { return value_; }
  T &operator*() { return value_; }
  const T &operator*() const { return value_; }
  T *operator->() { return &value_; }
  const T *operator->() const { return &value_; }

private:
  T value_{};
  Status status_;
};

} // namespace hdx::cost

#endif // HDX_COST_EXPECTED_H
