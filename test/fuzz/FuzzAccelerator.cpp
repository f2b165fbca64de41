//===- FuzzAccelerator.cpp - libFuzzer target: accelerator YAML -----------===//
//
// Any text read as an accelerator file gives an accelerator or an error.
// A valid one written back with toYaml must read back identically.
//
//===----------------------------------------------------------------------===//
#include "hdx/Cost/Accelerator.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  hdx::Expected<hdx::cost::Accelerator> accel =
      hdx::cost::parseAccelerator(text, "fuzz.yaml");
  if (!accel)
    return 0;
  std::string written = hdx::cost::toYaml(*accel);
  hdx::Expected<hdx::cost::Accelerator> again =
      hdx::cost::parseAccelerator(written, "written.yaml");
  if (!again || hdx::cost::toYaml(*again) != written)
    std::abort();
  return 0;
}
