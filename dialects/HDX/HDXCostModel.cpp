//===- HDXCostModel.cpp - hdx IR <-> the cost model -----------------------===//
#include "HDX/HDXCostModel.h"
#include "HDX/HDXOps.h"

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

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// The layer's ONNX node name, else its op name and place in the schedule.
static std::string layerName(Operation *op) {
  std::string name = getLayerName(op->getLoc());
  if (!name.empty())
    return name;
  name = op->getName().stripDialect().str();
  if (auto schedule = op->getAttrOfType<ScheduleAttr>(
          HDXDialect::getScheduleAttrName()))
    name += "_" + std::to_string(schedule.getOrder());
  return name;
}

std::optional<cost::Layer> toCostLayer(Operation *op) {
  cost::Layer layer;
  layer.name = layerName(op);
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(conv.getInput()), out = shapeOf(conv);
    ArrayRef<int64_t> w = shapeOf(conv.getWeight());
    layer.kind = cost::LayerKind::Conv;
    layer.n = in[0];
    layer.c = in[1];
    layer.k = out[1];
    layer.r = w[2];
    layer.s = w[3];
    layer.p = out[2];
    layer.q = out[3];
    layer.stride_h = conv.getStrides()[0];
    layer.stride_w = conv.getStrides()[1];
    layer.pad_h = conv.getPads()[0];
    layer.pad_w = conv.getPads()[1];
    layer.dilation_h = conv.getDilations()[0];
    layer.dilation_w = conv.getDilations()[1];
    layer.groups = conv.getGroups();
    return layer;
  }
  if (auto fc = dyn_cast<FullyConnectedOp>(op)) {
    layer.kind = cost::LayerKind::FC;
    layer.n = shapeOf(fc.getInput())[0];
    layer.c = shapeOf(fc.getInput())[1];
    layer.k = shapeOf(fc.getWeight())[0];
    return layer;
  }
  if (auto mm = dyn_cast<MatMulOp>(op)) {
    // Rows of all batches are independent: N = batch * M, C = K, K = N.
    ArrayRef<int64_t> lhs = shapeOf(mm.getLhs()), rhs = shapeOf(mm.getRhs());
    layer.kind = cost::LayerKind::FC;
    layer.n = 1;
    for (int64_t d : lhs.drop_back())
      layer.n *= d;
    layer.c = lhs.back();
    layer.k = rhs.back();
    return layer;
  }
  auto poolLayer = [&](ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                       ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> pads) {
    layer.kind = cost::LayerKind::Pool;
    layer.n = in[0];
    layer.c = layer.k = in[1];
    layer.groups = in[1];
    layer.r = kernel[0];
    layer.s = kernel[1];
    layer.p = out[2];
    layer.q = out[3];
    layer.stride_h = strides[0];
    layer.stride_w = strides[1];
    layer.pad_h = pads[0];
    layer.pad_w = pads[1];
    return layer;
  };
  if (auto pool = dyn_cast<MaxPoolOp>(op))
    return poolLayer(shapeOf(pool.getInput()), shapeOf(pool), pool.getKernel(),
                     pool.getStrides(), pool.getPads());
  if (auto pool = dyn_cast<AvgPoolOp>(op))
    return poolLayer(shapeOf(pool.getInput()), shapeOf(pool), pool.getKernel(),
                     pool.getStrides(), pool.getPads());
  if (auto gap = dyn_cast<GlobalAvgPoolOp>(op)) {
    ArrayRef<int64_t> in = shapeOf(gap.getInput());
    int64_t window[2] = {in[2], in[3]}, one[2] = {1, 1}, none[4] = {0, 0, 0, 0};
    return poolLayer(in, shapeOf(gap), window, one, none);
  }
  // Element-wise work streams every output element once; operands are read
  // once each (a broadcast operand is smaller, charged at full size here).
  unsigned inputs = 0;
  if (isa<AddOp, MulOp>(op))
    inputs = 2;
  else if (isa<ReluOp, ClipOp, HardSigmoidOp, HardSwishOp, SigmoidOp,
               TransposeOp, ConcatOp>(op))
    inputs = 1;
  if (inputs == 0)
    return std::nullopt;
  ArrayRef<int64_t> out = shapeOf(op->getResult(0));
  layer.kind = cost::LayerKind::Eltwise;
  layer.inputs = inputs;
  // Elements as N x C x P x Q (lower-rank tensors fold into C).
  layer.n = out.empty() ? 1 : out[0];
  layer.c = layer.k = 1;
  for (size_t d = 1; d < std::min<size_t>(out.size(), 2); ++d)
    layer.c = layer.k = out[d];
  layer.p = out.size() > 2 ? out[2] : 1;
  layer.q = 1;
  for (size_t d = 3; d < out.size(); ++d)
    layer.q *= out[d];
  return layer;
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
