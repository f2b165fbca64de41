//===- Json.cpp - A small pretty-printing JSON writer ---------------------===//
#include "hdx/Support/Json.h"
#include "hdx/Support/FormatNumber.h"

#include <cmath>
#include <cstdio>

namespace hdx {

std::string jsonEscape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (static_cast<unsigned char>(ch) < 0x20) {
        char buffer[8];
        std::snprintf(buffer, sizeof(buffer), "\\u%04x", ch);
        out += buffer;
      } else {
        out += ch;
      }
    }
  }
  return out;
}

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(first_.size() * indent_, ' ');
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back())
      out_ += ',';
    first_.back() = false;
    newline();
  }
}

void JsonWriter::open(char bracket) {
  separate();
  out_ += bracket;
  first_.push_back(true);
}

void JsonWriter::close(char bracket) {
  bool empty = first_.back();
  first_.pop_back();
  if (!empty)
    newline();
  out_ += bracket;
}

void JsonWriter::key(std::string_view name) {
  separate();
  out_ += '"';
  out_ += jsonEscape(name);
  out_ += "\": ";
  after_key_ = true;
}

void JsonWriter::value(std::string_view text) {
  separate();
  out_ += '"';
  out_ += jsonEscape(text);
  out_ += '"';
}

void JsonWriter::value(int64_t number) {
  separate();
  out_ += std::to_string(number);
}

void JsonWriter::value(double number) {
  separate();
  out_ += std::isfinite(number) ? formatDouble(number) : "null";
}

void JsonWriter::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
}

void JsonWriter::null() {
  separate();
  out_ += "null";
}

void JsonWriter::inlineArray(const int64_t *values, size_t count) {
  separate();
  out_ += '[';
  for (size_t i = 0; i < count; ++i) {
    if (i > 0)
      out_ += ", ";
    out_ += std::to_string(values[i]);
  }
  out_ += ']';
}

} // namespace hdx
