//===- AttachAccelerator.cpp - declare the target accelerator -------------===//
#include "PassDetail.h"

#include "hdx/Dialect/HDX/HDXCostSpec.h"
#include "hdx/Dialect/HDX/HDXOps.h"
#include "mlir/IR/Builders.h"

namespace hdx {
#define GEN_PASS_DEF_ATTACHACCELERATOR
#include "hdx/Transforms/Passes.h.inc"
} // namespace hdx

using namespace mlir;
using namespace hdx;

namespace {

struct AttachAcceleratorPass
    : hdx::impl::AttachAcceleratorBase<AttachAcceleratorPass> {
  using AttachAcceleratorBase::AttachAcceleratorBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (acceleratorPath.empty()) {
      if (failed(getUniqueAccelerator(module)))
        signalPassFailure();
      return;
    }
    hdx::Expected<cost::Accelerator> accel =
        cost::loadAccelerator(acceleratorPath);
    Location fileLoc =
        FileLineColLoc::get(&getContext(), acceleratorPath, 0, 0);
    if (!accel) {
      emitError(fileLoc) << accel.error();
      return signalPassFailure();
    }
    AcceleratorAttr config = getAcceleratorAttr(
        &getContext(), *accel, [&] { return emitError(fileLoc); });
    if (!config)
      return signalPassFailure();
    for (AcceleratorOp existing : module.getOps<AcceleratorOp>()) {
      if (existing.getConfig() == config &&
          existing.getSymName() == accel->name)
        return; // Already declared, e.g. by an earlier run.
      InFlightDiagnostic diag =
          module.emitError() << "the module already declares accelerator @"
                             << existing.getSymName() << ", which differs from '"
                             << acceleratorPath << "'";
      diag.attachNote(existing.getLoc()) << "declared here";
      return signalPassFailure();
    }
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    builder.create<AcceleratorOp>(fileLoc, accel->name, config);
  }
};

} // namespace
