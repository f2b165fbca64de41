//===- Json.h - A small pretty-printing JSON writer -------------*- C++ -*-===//
//
// Every JSON file HDX writes (reports, hdx-map's layers, the search's
// result.json) goes through this writer, so numbers always print in their
// shortest round-trip form (FormatNumber.h).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_JSON_H
#define HDX_SUPPORT_JSON_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hdx {

/// Pretty-printing JSON writer; the caller keeps keys and values balanced.
class JsonWriter {
public:
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  void beginObject() { open('{'); }
  void endObject() { close('}'); }
  void beginArray() { open('['); }
  void endArray() { close(']'); }
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char *text) { value(std::string_view(text)); }
  void value(const std::string &text) { value(std::string_view(text)); }
  void value(int64_t number);
  void value(int number) { value(static_cast<int64_t>(number)); }
  void value(double number); ///< shortest round-trip form; null if not finite
  void value(bool flag);
  void null();
  /// `"name": value`, the common case of key() then value().
  template <typename T> void field(std::string_view name, const T &v) {
    key(name);
    value(v);
  }
  /// An array of integers on one line: [1, 2, 4].
  void inlineArray(const int64_t *values, size_t count);

  const std::string &str() const { return out_; }

private:
  void open(char bracket);
  void close(char bracket);
  void separate();
  void newline();

  std::string out_;
  int indent_;
  std::vector<bool> first_; // per open container: no element written yet
  bool after_key_ = false;
};

/// Escapes a string for a JSON string literal (without the quotes).
std::string jsonEscape(std::string_view text);

} // namespace hdx

#endif // HDX_SUPPORT_JSON_H
