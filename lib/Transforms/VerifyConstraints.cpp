//===- VerifyConstraints.cpp - check the hard constraints -----------------===//
#include "PassDetail.h"

#include "hdx/Analysis/LayerCost.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "hdx/Support/FormatNumber.h"
#include "mlir/IR/Builders.h"

#include <cstdio>

namespace hdx {
#define GEN_PASS_DEF_VERIFYCONSTRAINTS
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

/// How many of the costliest layers a violation lists.
constexpr size_t kTopLayers = 3;

struct LayerShare {
  Operation *op;
  double value;
};

struct VerifyConstraintsPass
    : hdx::impl::VerifyConstraintsBase<VerifyConstraintsPass> {
  using VerifyConstraintsBase::VerifyConstraintsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    ConstraintsAttr constraints = mergedConstraints(module);
    if (!constraints)
      return signalPassFailure();
    FailureOr<AcceleratorOp> accelerator = getUniqueAccelerator(module);
    if (failed(accelerator))
      return signalPassFailure();
    FailureOr<cost::CostModel> model = getCostModel(*accelerator);
    if (failed(model))
      return signalPassFailure();

    bool ok = true;
    for (auto func : module.getOps<func::FuncOp>()) {
      auto total =
          func->getAttrOfType<CostAttr>(HDXDialect::getTotalCostAttrName());
      if (!total) {
        func.emitError() << "no estimated cost (run --hdx-estimate-cost first)";
        return signalPassFailure();
      }
      ok &= check(func, "latency_ms", "ms", constraints.getLatencyMs(),
                  total.getLatencyMs().getValueAsDouble(),
                  [](CostAttr c) { return c.getLatencyMs().getValueAsDouble(); });
      ok &= check(func, "energy_mj", "mJ", constraints.getEnergyMj(),
                  total.getEnergyMj().getValueAsDouble(),
                  [](CostAttr c) { return c.getEnergyMj().getValueAsDouble(); });
    }
    ok &= checkArea(*accelerator, *model, constraints.getAreaMm2());
    if (!ok)
      signalPassFailure();
  }

  /// The module's constraints with the pass options applied on top; the
  /// result is recorded on the module for the emitters.
  ConstraintsAttr mergedConstraints(ModuleOp module) {
    auto current = module->getAttrOfType<ConstraintsAttr>(
        HDXDialect::getConstraintsAttrName());
    Builder b(&getContext());
    auto pick = [&](double option, FloatAttr existing) -> FloatAttr {
      if (option != 0.0)
        return b.getF64FloatAttr(option);
      return existing;
    };
    FloatAttr latency = pick(latencyMs, current ? current.getLatencyMs() : FloatAttr());
    FloatAttr energy = pick(energyMj, current ? current.getEnergyMj() : FloatAttr());
    FloatAttr area = pick(areaMm2, current ? current.getAreaMm2() : FloatAttr());
    ConstraintsAttr merged = ConstraintsAttr::getChecked(
        [&] { return module.emitError(); }, &getContext(), latency, energy,
        area);
    if (merged)
      module->setAttr(HDXDialect::getConstraintsAttrName(), merged);
    return merged;
  }

  /// Checks a per-inference metric of `func` against `limit`.
  bool check(func::FuncOp func, StringRef metric, StringRef unit,
             FloatAttr limit, double value,
             function_ref<double(CostAttr)> layerValue) {
    if (!limit)
      return true;
    double bound = limit.getValueAsDouble();
    if (value <= bound) {
      mlir::emitRemark(func.getLoc())
          << metric << " = " << formatBrief(value) << " meets the limit "
          << formatBrief(bound) << " (slack " << formatBrief(bound - value)
          << " " << unit << ", " << formatBrief(100.0 * (bound - value) / bound)
          << "%)";
      return true;
    }
    SmallVector<LayerShare> layers;
    func.walk([&](LayerOpInterface op) {
      if (CostAttr cost = op.getLayerCost())
        layers.push_back({op, layerValue(cost)});
    });
    llvm::stable_sort(layers, [](const LayerShare &a, const LayerShare &b) {
      return a.value > b.value;
    });
    InFlightDiagnostic diag = mlir::emitError(func.getLoc());
    diag << metric << " = " << formatBrief(value) << " exceeds the limit "
         << formatBrief(bound) << " by " << formatBrief(value - bound) << " "
         << unit << " (" << formatBrief(100.0 * (value - bound) / bound)
         << "%); the layers that cost most:";
    for (size_t i = 0; i < std::min(kTopLayers, layers.size()); ++i) {
      std::string name = getLayerName(layers[i].op->getLoc());
      diag << (i ? ", " : " ") << "'"
           << (name.empty() ? layers[i].op->getName().getStringRef().str()
                            : name)
           << "' " << formatBrief(layers[i].value) << " " << unit << " ("
           << formatBrief(100.0 * layers[i].value / value) << "%)";
      diag.attachNote(layers[i].op->getLoc())
          << "costs " << formatBrief(layers[i].value) << " " << unit;
    }
    return false;
  }

  bool checkArea(AcceleratorOp accelerator, const cost::CostModel &model,
                 FloatAttr limit) {
    if (!limit)
      return true;
    double bound = limit.getValueAsDouble();
    cost::AreaBreakdown area = model.area();
    if (area.total_mm2 <= bound) {
      mlir::emitRemark(accelerator.getLoc())
          << "area_mm2 = " << formatBrief(area.total_mm2) << " meets the limit "
          << formatBrief(bound) << " (slack "
          << formatBrief(bound - area.total_mm2) << " mm2, "
          << formatBrief(100.0 * (bound - area.total_mm2) / bound) << "%)";
      return true;
    }
    mlir::emitError(accelerator.getLoc())
        << "area_mm2 = " << formatBrief(area.total_mm2) << " exceeds the limit "
        << formatBrief(bound) << " by " << formatBrief(area.total_mm2 - bound)
        << " mm2 (" << formatBrief(100.0 * (area.total_mm2 - bound) / bound)
        << "%): PEs " << formatBrief(area.pe_mm2) << ", register files "
        << formatBrief(area.rf_mm2) << ", global buffer "
        << formatBrief(area.glb_mm2) << ", NoC " << formatBrief(area.noc_mm2)
        << " mm2";
    return false;
  }
};

} // namespace
