//===- HDXCostSpec.cpp - hdx attributes <-> the cost model's types -------===//
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace hdx {

cost::Accelerator toCostAccelerator(int64_t peRows, int64_t peCols,
                                    Dataflow dataflow, int64_t rfBytes,
                                    int64_t glbKib, int64_t wordBits,
                                    double clockMhz, double dramBwBytesPerCycle,
                                    StringRef technology, StringRef name) {
  cost::Accelerator accel;
  if (!name.empty()) // else the template's default name
    accel.name = name.str();
  accel.pe_rows = peRows;
  accel.pe_cols = peCols;
  accel.dataflow = static_cast<cost::Dataflow>(dataflow);
  accel.rf_bytes = rfBytes;
  accel.glb_kib = glbKib;
  accel.word_bits = wordBits;
  accel.clock_mhz = clockMhz;
  accel.dram_bw_bytes_per_cycle = dramBwBytesPerCycle;
  accel.technology = technology.str();
  return accel;
}

cost::Accelerator toCostAccelerator(AcceleratorAttr attr, StringRef name) {
  return toCostAccelerator(attr.getPeRows(), attr.getPeCols(),
                           attr.getDataflow(), attr.getRfBytes(),
                           attr.getGlbKib(), attr.getWordBits(),
                           attr.getClockMhz().getValueAsDouble(),
                           attr.getDramBwBytesPerCycle().getValueAsDouble(),
                           attr.getTechnology(), name);
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
    hdx::Status status =
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
  return MappingAttr::get(
      context, ArrayRef<int64_t>(dram), ArrayRef<int64_t>(glb),
      ArrayRef<int64_t>(rf), ArrayRef<int64_t>(rows), ArrayRef<int64_t>(cols),
      StringRef(dramOrder), StringRef(glbOrder), StringRef(rfOrder));
}

} // namespace hdx
