//===- FormatNumber.cpp - Numbers as text that reads back exactly ---------===//
#include "hdx/Support/FormatNumber.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace hdx {

std::string formatDouble(double value) {
  char buffer[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  std::string text = buffer;
  // Keep integral values readable as numbers ("200"), never "2e+02".
  if (text.find('e') != std::string::npos && std::fabs(value) < 1e15 &&
      value == std::floor(value)) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    text = buffer;
  }
  return text;
}

std::string formatBrief(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

} // namespace hdx
