//===- Schedule.cpp - execution order and DRAM placement ------------------===//
#include "PassDetail.h"

#include "hdx/Cost/LoopNest.h"
#include "hdx/Cost/Mapping.h"
#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <map>

namespace hdx {
#define GEN_PASS_DEF_SCHEDULE
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// DRAM allocations are aligned to a typical burst.
constexpr int64_t kAlignBytes = 64;

int64_t alignUp(int64_t bytes) {
  return (bytes + kAlignBytes - 1) / kAlignBytes * kAlignBytes;
}

int64_t tensorBytes(Value value, int64_t wordBits) {
  auto type = cast<RankedTensorType>(value.getType());
  return type.getNumElements() * wordBits / 8;
}

/// First-fit allocation of activation buffers in one region.
class RegionAllocator {
public:
  int64_t allocate(int64_t bytes) {
    bytes = alignUp(std::max<int64_t>(bytes, 1));
    int64_t offset = 0;
    for (auto [start, size] : used) {
      if (start - offset >= bytes)
        break;
      offset = std::max(offset, start + size);
    }
    used.emplace(offset, bytes);
    peak = std::max(peak, offset + bytes);
    return offset;
  }
  void release(int64_t offset) { used.erase(offset); }
  int64_t getPeak() const { return peak; }

private:
  std::map<int64_t, int64_t> used; // offset -> bytes, sorted
  int64_t peak = 0;
};

/// Views share the buffer of the tensor they look at.
bool isView(Operation *op) { return isa<ReshapeOp, SliceOp>(op); }

struct SchedulePass : hdx::impl::ScheduleBase<SchedulePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<AcceleratorOp> accelerator = getUniqueAccelerator(module);
    if (failed(accelerator))
      return signalPassFailure();
    cost::Accelerator accel = toCostAccelerator(
        accelerator->getConfig(), accelerator->getSymName());
    for (auto func : module.getOps<func::FuncOp>())
      if (failed(schedule(func, accel)))
        return signalPassFailure();
  }

  LogicalResult schedule(func::FuncOp func, const cost::Accelerator &accel) {
    int64_t wordBits = accel.word_bits;
    Block &body = func.getBody().front();

    // The buffer each value lives in (views resolve to their source) and
    // the position of the last operation reading that buffer.
    DenseMap<Value, Value> bufferOf;
    DenseMap<Value, unsigned> lastUse;
    auto buffer = [&](Value v) {
      auto it = bufferOf.find(v);
      return it == bufferOf.end() ? v : it->second;
    };
    unsigned position = 0;
    for (Operation &op : body) {
      ++position;
      if (isView(&op))
        bufferOf[op.getResult(0)] = buffer(op.getOperand(0));
      for (Value operand : op.getOperands())
        lastUse[buffer(operand)] = position;
    }

    RegionAllocator activations;
    DenseMap<Value, int64_t> activationOffset;
    for (BlockArgument arg : func.getArguments())
      activationOffset[arg] = activations.allocate(tensorBytes(arg, wordBits));

    DenseMap<Value, int64_t> weightOffset;
    int64_t weightsEnd = 0, peakGlb = 0, order = 0;
    Builder builder(&getContext());
    position = 0;
    for (Operation &op : body) {
      ++position;
      auto layer = dyn_cast<LayerOpInterface>(op);
      if (!layer)
        continue;
      // Constant operands are weights, packed in the weight region. The
      // layer's range spans its tensors from the lowest offset to the end
      // of the highest, alignment gaps included, so it holds all of them
      // (a bias sits after the weights' 64-byte padding).
      int64_t layerWeightsBegin = -1, layerWeightsEnd = 0;
      for (Value operand : op.getOperands()) {
        if (!matchPattern(operand, m_Constant()))
          continue;
        auto [it, inserted] = weightOffset.try_emplace(operand, weightsEnd);
        int64_t bytes = tensorBytes(operand, wordBits);
        if (inserted)
          weightsEnd += alignUp(bytes);
        layerWeightsBegin = layerWeightsBegin < 0
                                ? it->second
                                : std::min(layerWeightsBegin, it->second);
        layerWeightsEnd = std::max(layerWeightsEnd, it->second + bytes);
      }
      int64_t layerWeightsOffset = std::max<int64_t>(layerWeightsBegin, 0);
      int64_t layerWeightsBytes =
          layerWeightsBegin < 0 ? 0 : layerWeightsEnd - layerWeightsBegin;
      Value output = op.getResult(0);
      int64_t outputBytes = tensorBytes(output, wordBits);
      activationOffset[output] = activations.allocate(outputBytes);

      int64_t glbBytes = 0;
      auto arrayLayer = dyn_cast<ArrayLayerOpInterface>(op);
      if (MappingAttr mapping = arrayLayer ? arrayLayer.getLayerMapping()
                                           : MappingAttr()) {
        hdx::Expected<cost::LoopNest> nest =
            cost::makeLoopNest(layer.getCostLayer());
        if (!nest)
          return op.emitError() << nest.error();
        glbBytes = cost::glbWordsNeeded(*nest, toCostMapping(mapping)) *
                   wordBits / 8;
      }
      peakGlb = std::max(peakGlb, glbBytes);
      op.setAttr(HDXDialect::getScheduleAttrName(),
                 ScheduleAttr::get(&getContext(), order++,
                                   layerWeightsOffset,
                                   layerWeightsBytes,
                                   activationOffset[output], outputBytes,
                                   glbBytes));

      // Free the buffers whose last reader this was; the function's results
      // are read last by the return, so they stay.
      for (Value operand : op.getOperands()) {
        Value source = buffer(operand);
        auto offset = activationOffset.find(source);
        if (offset != activationOffset.end() &&
            lastUse.lookup(source) == position) {
          activations.release(offset->second);
          activationOffset.erase(offset);
        }
      }
    }
    func->setAttr(HDXDialect::getMemoryAttrName(),
                  MemoryAttr::get(&getContext(), weightsEnd,
                                  activations.getPeak(), peakGlb));
    return success();
  }
};

} // namespace
