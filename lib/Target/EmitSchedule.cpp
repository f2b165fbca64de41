//===- EmitSchedule.cpp - the mapped schedule as YAML ---------------------===//
//
// One entry per scheduled layer, in execution order. The `mapping` list uses
// Timeloop's directive format (target, type, factors, permutation innermost
// first, split) so that a mapping can be fed to Timeloop; `rows` and `cols`
// state the spatial unrolling exactly.
//
//===----------------------------------------------------------------------===//
#include "hdx/Target/Emitters.h"

#include "hdx/Analysis/LayerCost.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <yaml-cpp/yaml.h>

using namespace mlir;

namespace hdx {

/// "N1 K2 C4 R1 S1 P7 Q7": Timeloop's factor syntax.
static std::string factorText(const cost::PerDim<int64_t> &factors) {
  std::string text;
  for (int d = 0; d < cost::kNumDims; ++d) {
    if (d)
      text += ' ';
    text += cost::dimLetter(static_cast<cost::Dim>(d));
    text += std::to_string(factors[d]);
  }
  return text;
}

/// Our permutations run outermost first; Timeloop's innermost first.
static std::string timeloopPermutation(const cost::Permutation &perm) {
  std::string text;
  for (auto it = perm.rbegin(); it != perm.rend(); ++it)
    text += cost::dimLetter(*it);
  return text;
}

static void emitTemporal(YAML::Emitter &out, const char *target,
                         const cost::Mapping &m, cost::Level level) {
  out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << target
      << YAML::Key << "type" << YAML::Value << "temporal" << YAML::Key
      << "factors" << YAML::Value << factorText(m.factors[level]) << YAML::Key
      << "permutation" << YAML::Value
      << timeloopPermutation(m.permutation[level]) << YAML::EndMap;
}

/// The GLB -> PE fan-out: dimensions unrolled over columns first (Timeloop's
/// X, before `split`), then those over rows (Y). A directive holds one
/// factor per dimension, so a dimension unrolled over both goes on the
/// column side with the product; the `rows`/`cols` lines keep the split.
static void emitSpatial(YAML::Emitter &out, const cost::Mapping &m) {
  cost::PerDim<int64_t> factors;
  std::string x, y, rest;
  for (int d = 0; d < cost::kNumDims; ++d) {
    factors[d] = m.spatial_rows[d] * m.spatial_cols[d];
    char letter = cost::dimLetter(static_cast<cost::Dim>(d));
    if (m.spatial_cols[d] > 1)
      x += letter;
    else if (m.spatial_rows[d] > 1)
      y += letter;
    else
      rest += letter;
  }
  out << YAML::BeginMap << YAML::Key << "target" << YAML::Value << "GLB"
      << YAML::Key << "type" << YAML::Value << "spatial" << YAML::Key
      << "factors" << YAML::Value << factorText(factors) << YAML::Key
      << "permutation" << YAML::Value << x + y + rest << YAML::Key << "split"
      << YAML::Value << x.size() << YAML::EndMap;
}

static void emitLayer(YAML::Emitter &out, Operation *op,
                      const cost::Layer &layer) {
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << layer.name;
  out << YAML::Key << "op" << YAML::Value
      << op->getName().stripDialect().str();
  if (auto schedule = op->getAttrOfType<ScheduleAttr>(
          HDXDialect::getScheduleAttrName())) {
    out << YAML::Key << "order" << YAML::Value << schedule.getOrder();
    out << YAML::Key << "dram" << YAML::Value << YAML::Flow << YAML::BeginMap
        << YAML::Key << "weights_offset_bytes" << YAML::Value
        << schedule.getWeightsOffsetBytes() << YAML::Key << "weights_bytes"
        << YAML::Value << schedule.getWeightsBytes() << YAML::Key
        << "output_offset_bytes" << YAML::Value
        << schedule.getOutputOffsetBytes() << YAML::Key << "output_bytes"
        << YAML::Value << schedule.getOutputBytes() << YAML::EndMap;
    out << YAML::Key << "glb_bytes" << YAML::Value << schedule.getGlbBytes();
  }
  auto arrayLayer = dyn_cast<ArrayLayerOpInterface>(op);
  MappingAttr mappingAttr =
      arrayLayer ? arrayLayer.getLayerMapping() : MappingAttr();
  hdx::Expected<cost::LoopNest> nest = cost::makeLoopNest(layer);
  if (!mappingAttr || !nest) {
    out << YAML::Key << "stream" << YAML::Value << true << YAML::EndMap;
    return;
  }
  out << YAML::Key << "bounds" << YAML::Value << factorText(nest->bound);
  if (nest->copies > 1)
    out << YAML::Key << "copies" << YAML::Value << nest->copies;
  cost::Mapping m = toCostMapping(mappingAttr);
  out << YAML::Key << "rows" << YAML::Value << factorText(m.spatial_rows);
  out << YAML::Key << "cols" << YAML::Value << factorText(m.spatial_cols);
  out << YAML::Key << "mapping" << YAML::Value << YAML::BeginSeq;
  emitTemporal(out, "DRAM", m, cost::DRAM);
  emitTemporal(out, "GLB", m, cost::GLB);
  emitSpatial(out, m);
  emitTemporal(out, "RF", m, cost::RF);
  out << YAML::EndSeq << YAML::EndMap;
}

LogicalResult emitSchedule(ModuleOp module, raw_ostream &os) {
  FailureOr<AcceleratorOp> accelerator = getUniqueAccelerator(module);
  if (failed(accelerator))
    return failure();
  FailureOr<cost::CostModel> model = getCostModel(*accelerator);
  if (failed(model) || failed(verifyMappedLayers(module, *model)))
    return failure();
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "accelerator" << YAML::Value
      << accelerator->getSymName().str();
  out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
  bool scheduled = true;
  module.walk([&](LayerOpInterface op) {
    if (!op->hasAttr(HDXDialect::getScheduleAttrName()))
      scheduled = false;
    emitLayer(out, op, op.getCostLayer());
  });
  out << YAML::EndSeq << YAML::EndMap;
  if (!scheduled)
    return module.emitError()
           << "the module is not scheduled (compile it with --hdx-compile)";
  os << "# Mapped schedule, generated by hdx-translate --emit-schedule.\n"
     << "# Loop bounds, factors and permutations use the dimensions N K C R S "
        "P Q;\n# permutations list the innermost loop first, as Timeloop "
        "does.\n"
     << out.c_str() << "\n";
  return success();
}

} // namespace hdx
