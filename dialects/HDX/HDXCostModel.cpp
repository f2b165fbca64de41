//===- HDXCostModel.cpp - hdx IR <-> the cost model -----------------------===//
#include "hdx/Dialect/HDX/HDXCostModel.h"
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace hdx {

FailureOr<AcceleratorOp> getUniqueAccelerator(ModuleOp module) {
  SmallVector<AcceleratorOp> found(module.getOps<AcceleratorOp>());
  if (found.size() == 1)
    return found.front();
  if (found.empty())
    return module.emitError()
           << "the module declares no hdx.accelerator (attach one with "
              "--hdx-attach-accelerator=\"accel=<file.yaml>\")";
  InFlightDiagnostic diag = module.emitError()
                            << "the module declares " << found.size()
                            << " accelerators; exactly one is needed";
  for (AcceleratorOp op : found)
    diag.attachNote(op.getLoc()) << "accelerator @" << op.getSymName();
  return diag;
}

FailureOr<cost::CostModel> getCostModel(AcceleratorOp accelerator) {
  cost::Expected<cost::CostModel> model = cost::CostModel::create(
      toCostAccelerator(accelerator.getConfig(), accelerator.getSymName()));
  if (!model)
    return accelerator.emitError() << model.error();
  return *model;
}

FailureOr<cost::CostModel> getCostModel(ModuleOp module) {
  FailureOr<AcceleratorOp> accelerator = getUniqueAccelerator(module);
  if (failed(accelerator))
    return failure();
  return getCostModel(*accelerator);
}

cost::Accelerator toCostAccelerator(AcceleratorAttr attr, StringRef name) {
  cost::Accelerator accel;
  accel.name = name.str();
  accel.pe_rows = attr.getPeRows();
  accel.pe_cols = attr.getPeCols();
  accel.dataflow = static_cast<cost::Dataflow>(attr.getDataflow());
  accel.rf_bytes = attr.getRfBytes();
  accel.glb_kib = attr.getGlbKib();
  accel.word_bits = attr.getWordBits();
  accel.clock_mhz = attr.getClockMhz().getValueAsDouble();
  accel.dram_bw_bytes_per_cycle =
      attr.getDramBwBytesPerCycle().getValueAsDouble();
  accel.technology = attr.getTechnology().str();
  return accel;
}

AcceleratorAttr
getAcceleratorAttr(MLIRContext *context, const cost::Accelerator &accel,
                   function_ref<InFlightDiagnostic()> emitError) {
  auto f64 = [&](double v) {
    return FloatAttr::get(Float64Type::get(context), v);
  };
  return AcceleratorAttr::getChecked(
      emitError, context, accel.pe_rows, accel.pe_cols,
      static_cast<Dataflow>(accel.dataflow), accel.rf_bytes, accel.glb_kib,
      accel.word_bits, f64(accel.clock_mhz), f64(accel.dram_bw_bytes_per_cycle),
      StringRef(accel.technology));
}

cost::Mapping toCostMapping(MappingAttr attr) {
  cost::Mapping mapping;
  for (int d = 0; d < cost::kNumDims; ++d) {
    mapping.factors[cost::DRAM][d] = attr.getDram()[d];
    mapping.factors[cost::GLB][d] = attr.getGlb()[d];
    mapping.factors[cost::RF][d] = attr.getRf()[d];
    mapping.spatial_rows[d] = attr.getRows()[d];
    mapping.spatial_cols[d] = attr.getCols()[d];
  }
  StringRef orders[] = {attr.getDramOrder(), attr.getGlbOrder(),
                        attr.getRfOrder()};
  for (int level = 0; level < cost::kNumLevels; ++level) {
    // The attribute verifier guarantees a permutation of NKCRSPQ.
    cost::Status status =
        cost::parsePermutation(orders[level].str(), mapping.permutation[level]);
    (void)status;
  }
  return mapping;
}

MappingAttr getMappingAttr(MLIRContext *context, const cost::Mapping &mapping) {
  auto level = [&](int l) {
    return SmallVector<int64_t>(mapping.factors[l].begin(),
                                mapping.factors[l].end());
  };
  SmallVector<int64_t> rows(mapping.spatial_rows.begin(),
                            mapping.spatial_rows.end());
  SmallVector<int64_t> cols(mapping.spatial_cols.begin(),
                            mapping.spatial_cols.end());
  SmallVector<int64_t> dram = level(cost::DRAM), glb = level(cost::GLB),
                      rf = level(cost::RF);
  std::string dramOrder = cost::toString(mapping.permutation[cost::DRAM]);
  std::string glbOrder = cost::toString(mapping.permutation[cost::GLB]);
  std::string rfOrder = cost::toString(mapping.permutation[cost::RF]);
  return MappingAttr::get(context, ArrayRef<int64_t>(dram),
                          ArrayRef<int64_t>(glb), ArrayRef<int64_t>(rf),
                          ArrayRef<int64_t>(rows), ArrayRef<int64_t>(cols),
                          StringRef(dramOrder), StringRef(glbOrder),
                          StringRef(rfOrder));
}

std::string getLayerName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = getLayerName(inner); !name.empty())
        return name;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLayerName(callSite.getCallee());
  return "";
}

} // namespace hdx
