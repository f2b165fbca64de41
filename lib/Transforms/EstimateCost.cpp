//===- EstimateCost.cpp - cost of every layer and of the network ----------===//
#include "PassDetail.h"

#include "hdx/Analysis/LayerCost.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Support/FormatNumber.h"
#include "mlir/IR/Builders.h"

#include <cmath>

namespace hdx {
#define GEN_PASS_DEF_ESTIMATECOST
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

CostAttr getCostAttr(Builder &b, const cost::LayerCost &c) {
  return CostAttr::get(b.getContext(), c.macs, c.cycles,
                       b.getF64FloatAttr(c.latency_ms),
                       b.getF64FloatAttr(c.energy_mj),
                       b.getF64FloatAttr(c.utilization));
}

/// The metric of `c` that is not a finite number, if any: a cost the IR
/// cannot hold (a module with `inf` in it is no longer readable) and no limit
/// can be checked against.
const char *nonFiniteMetric(const cost::LayerCost &c) {
  if (!std::isfinite(c.latency_ms))
    return "latency_ms";
  if (!std::isfinite(c.energy_mj))
    return "energy_mj";
  if (!std::isfinite(c.utilization))
    return "utilization";
  return nullptr;
}

double metricValue(const cost::LayerCost &c, StringRef metric) {
  return metric == "latency_ms"  ? c.latency_ms
         : metric == "energy_mj" ? c.energy_mj
                                 : c.utilization;
}

struct EstimateCostPass : hdx::impl::EstimateCostBase<EstimateCostPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<cost::CostModel> model = getCostModel(module);
    if (failed(model))
      return signalPassFailure();
    Builder builder(&getContext());

    for (auto func : module.getOps<func::FuncOp>()) {
      cost::LayerCost total;
      WalkResult result = func.walk([&](LayerOpInterface op) {
        FailureOr<LayerEvaluation> evaluated = evaluateLayer(*model, op);
        if (failed(evaluated))
          return WalkResult::interrupt();
        const cost::LayerCost &layerCost = evaluated->cost;
        if (const char *metric = nonFiniteMetric(layerCost)) {
          InFlightDiagnostic diag = op->emitError();
          diag << metric << " of this layer is not finite (got "
               << hdx::formatDouble(metricValue(layerCost, metric)) << "): ";
          if (StringRef(metric) == "energy_mj")
            diag << "the energies of technology '"
                 << model->technology().name
                 << "' are too large for its accesses";
          else
            diag << "clock_mhz = "
                 << hdx::formatDouble(model->accelerator().clock_mhz)
                 << " is out of range for " << layerCost.cycles << " cycles";
          return WalkResult::interrupt();
        }
        op.setLayerCost(getCostAttr(builder, layerCost));
        // Layers run one after another: cycles, latency and energy add up.
        total.macs += layerCost.macs;
        total.cycles += layerCost.cycles;
        total.latency_ms += layerCost.latency_ms;
        total.energy_mj += layerCost.energy_mj;
        return WalkResult::advance();
      });
      if (result.wasInterrupted())
        return signalPassFailure();
      int64_t peCycles = model->accelerator().numPEs() * total.cycles;
      total.utilization =
          peCycles ? static_cast<double>(total.macs) / peCycles : 0.0;
      if (const char *metric = nonFiniteMetric(total)) {
        func.emitError() << "total " << metric << " of @" << func.getSymName()
                         << " is not finite (got "
                         << hdx::formatDouble(metricValue(total, metric))
                         << "): the layers' costs overflow when added up";
        return signalPassFailure();
      }
      func->setAttr(HDXDialect::getTotalCostAttrName(),
                    getCostAttr(builder, total));
    }
  }
};

} // namespace
