//===- hdx-map.cpp - Map one layer onto an accelerator --------------------===//
//
//   hdx-map --accel A.yaml --layer "conv n=1 k=32 c=16 r=3 s=3 p=56 q=56
//           stride=1 pad=1 groups=1" [--objective latency|energy|edp]
//           [--mapping "dram=[...] ... rf_order=..."]
//
// Prints the best mapping and its cost as one JSON object with the keys of
// a report's `layers` entry plus per-level access counts. With --mapping the
// given mapping is checked and costed instead of searched.
//
//===----------------------------------------------------------------------===//
#include "hdx/Cost/Json.h"
#include "hdx/Mapper/Mapper.h"

#include <cstdio>
#include <cstring>
#include <string>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::mapper;

namespace {

const char *kUsage =
    "usage: hdx-map --accel FILE --layer \"KIND key=value ...\"\n"
    "               [--objective latency|energy|edp] [--mapping TEXT]\n"
    "\n"
    "  --accel FILE       accelerator YAML (top-level key 'accelerator')\n"
    "  --layer TEXT       conv n=1 k=32 c=16 r=3 s=3 p=56 q=56 stride=1 "
    "pad=1 groups=1\n"
    "                     fc n=1 k=1000 c=1280 | pool ... | eltwise ...\n"
    "                     (k, c: total output/input channels; p, q: output "
    "size;\n"
    "                     depthwise: groups=c=k)\n"
    "  --objective NAME   what the mapper minimises (default: edp)\n"
    "  --mapping TEXT     cost this mapping instead of searching\n";

int fail(const std::string &message) {
  std::fprintf(stderr, "hdx-map: error: %s\n", message.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  std::string accelPath, layerText, objectiveText = "edp", mappingText;
  bool haveMapping = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (name != "--accel" && name != "--layer" && name != "--objective" &&
        name != "--mapping")
      return fail("unknown option '" + arg + "'\n" + kUsage);
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return fail("option " + name + " needs a value");
    }
    if (name == "--accel")
      accelPath = value;
    else if (name == "--layer")
      layerText = value;
    else if (name == "--objective")
      objectiveText = value;
    else {
      mappingText = value;
      haveMapping = true;
    }
  }
  if (accelPath.empty())
    return fail(std::string("missing --accel\n") + kUsage);
  if (layerText.empty())
    return fail(std::string("missing --layer\n") + kUsage);

  Objective objective;
  if (!parseObjective(objectiveText, objective))
    return fail("--objective: unknown value '" + objectiveText +
                "' (expected latency, energy or edp)");
  Expected<Accelerator> accel = loadAccelerator(accelPath);
  if (!accel.ok())
    return fail(accel.error());
  Expected<Layer> layer = parseLayer(layerText);
  if (!layer.ok())
    return fail("--layer: " + layer.error());
  Expected<CostModel> model = CostModel::create(*accel);
  if (!model.ok())
    return fail(accelPath + ": " + model.error());

  MapResult result;
  if (haveMapping) {
    Expected<Mapping> mapping = parseMapping(mappingText);
    if (!mapping.ok())
      return fail("--mapping: " + mapping.error());
    Expected<LayerCost> cost = model->evaluate(*layer, *mapping);
    if (!cost.ok())
      return fail("--mapping: " + cost.error());
    result.mapping = *mapping;
    result.cost = *cost;
    result.mapped = layer->usesArray();
  } else {
    Expected<MapResult> mapped = mapLayer(*model, *layer, objective);
    if (!mapped.ok())
      return fail(mapped.error());
    result = *mapped;
  }
  std::string json =
      layerEntryJson(*layer, result.mapped ? &result.mapping : nullptr,
                     result.cost);
  std::fputs(json.c_str(), stdout);
  std::fputc('\n', stdout);
  return 0;
}
