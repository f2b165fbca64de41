//===- FuzzSearchConfig.cpp - libFuzzer target: search configurations -----===//
//
// Any text read as a search configuration gives a configuration or an
// error naming the file and key: never a crash or a sanitizer report.
//
//===----------------------------------------------------------------------===//
#include "hdx/Search/Config.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  (void)hdx::search::parseConfig(text, "fuzz.yaml");
  return 0;
}
