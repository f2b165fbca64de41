//===- Result.h - Errors as values for the search library -------*- C++ -*-===//
//
// The search library uses yaml-cpp, zlib, protobuf and LibTorch, which throw or
// return codes; its public functions never throw. They return `Status` or
// `Result<T>`, whose error message is complete and user-facing (it names the
// file, key or tensor at fault).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_RESULT_H
#define HDX_SEARCH_RESULT_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace hdx::search {

/// A failure with its user-facing message.
struct Error {
  std::string message;
};

/// Success, or an `Error`.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}

  static Status success() { return Status(); }

  bool ok() const { return !error_; }
  explicit operator bool() const { return ok(); }
  const std::string &message() const {
    assert(error_ && "message() of a successful Status");
    return error_->message;
  }

private:
  std::optional<Error> error_;
};

/// A value of type `T`, or an `Error`.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : value_(std::move(value)) {}
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  const std::string &message() const {
    assert(error_ && "message() of a successful Result");
    return error_->message;
  }
  /// The error as a `Status`, to pass a failure on.
  Status status() const { return error_ ? Status(*error_) : Status(); }

  T &value() & {
    assert(value_ && "value() of a failed Result");
    return *value_;
  }
  const T &value() const & {
    assert(value_ && "value() of a failed Result");
    return *value_;
  }
  T &&value() && {
    assert(value_ && "value() of a failed Result");
    return std::move(*value_);
  }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

private:
  std::optional<T> value_;
  std::optional<Error> error_;
};

} // namespace hdx::search

#endif // HDX_SEARCH_RESULT_H
