//===- Json.h - A small JSON writer and the per-layer entry -----*- C++ -*-===//
//
// The per-layer JSON entry is shared by hdx-map and the report: `name`, `op`,
// `macs`, `cycles`, `latency_ms`, `energy_mj`, `utilization`, `mapping`,
// plus per-level access counts and the cycle/energy breakdowns.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_JSON_H
#define HDX_COST_JSON_H

#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/Mapping.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hdx::cost {

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

/// The mapping as {"dram": [...], "glb", "rf", "rows", "cols",
/// "dram_order", "glb_order", "rf_order"}: the fields of #hdx.mapping.
void writeMapping(JsonWriter &json, const Mapping &mapping);
/// The accelerator as an object with the accelerator YAML's keys.
void writeAccelerator(JsonWriter &json, const Accelerator &accel);
/// One entry of a report's `layers`; `mapping` is null for layers that do
/// not run as a loop nest (pool, eltwise).
void writeLayerEntry(JsonWriter &json, const Layer &layer,
                     const Mapping *mapping, const LayerCost &cost);
std::string layerEntryJson(const Layer &layer, const Mapping *mapping,
                           const LayerCost &cost);

} // namespace hdx::cost

#endif // HDX_COST_JSON_H
