//===- Expected.h - Errors as values, for every library ---------*- C++ -*-===//
//
// The libraries are called from code built with -fno-exceptions (MLIR passes)
// and from LibTorch code, so no public function throws: a failure comes back
// as a value carrying a message that names the file, the key or node and
// what is allowed. One style for all of them: `Status` when there is no
// value, `Expected<T>` when there is one; either is built from an `Error`
// (or `Status::failure`). Code that reports to MLIR turns the message into
// a diagnostic at the op it is about.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_EXPECTED_H
#define HDX_SUPPORT_EXPECTED_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace hdx {

/// A failure's message.
struct Error {
  std::string message;
};

/// Success, or an error message.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}
  static Status success() { return Status(); }
  static Status failure(std::string message) {
    return Status(Error{std::move(message)});
  }

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  /// The message; empty on success.
  const std::string &error() const {
    static const std::string none;
    return error_ ? error_->message : none;
  }

private:
  std::optional<Error> error_;
};

/// A value of type T, or an error message.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  Expected(Error error) : status_(std::move(error)) {}
  /// A failed status passed on (a successful one carries no value).
  Expected(Status status) : status_(std::move(status)) {
    assert(!status_.ok() && "an Expected built from a successful Status");
  }
  static Expected failure(std::string message) {
    return Expected(Error{std::move(message)});
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return status_.error(); }
  /// The error as a `Status`, to pass a failure on.
  const Status &status() const { return status_; }

  // Only meaningful when ok().
  T &value() & {
    assert(value_ && "value() of a failed Expected");
    return *value_;
  }
  const T &value() const & {
    assert(value_ && "value() of a failed Expected");
    return *value_;
  }
  T &&value() && {
    assert(value_ && "value() of a failed Expected");
    return std::move(*value_);
  }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T &&operator*() && { return std::move(*this).value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

private:
  std::optional<T> value_;
  Status status_;
};

} // namespace hdx

#endif // HDX_SUPPORT_EXPECTED_H
