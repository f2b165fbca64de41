//===- FormatNumber.h - Numbers as text that reads back exactly -*- C++ -*-===//
#ifndef HDX_SUPPORT_FORMATNUMBER_H
#define HDX_SUPPORT_FORMATNUMBER_H

#include <string>

namespace hdx {

/// Shortest decimal text that reads back to exactly `value` ("16.6");
/// integral values print as integers ("200"), never "2e+02".
std::string formatDouble(double value);

/// Four significant digits ("0.05404"): for messages a person compares at a
/// glance, never for files read back.
std::string formatBrief(double value);

} // namespace hdx

#endif // HDX_SUPPORT_FORMATNUMBER_H
