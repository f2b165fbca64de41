//===- Registration.cpp - hdx-translate's emitters ------------------------===//
#include "hdx/Target/Emitters.h"

#include "HDX/HDXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;

namespace hdx {

void registerEmitTranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registry.insert<HDXDialect, arith::ArithDialect, func::FuncDialect>();
  };
  struct Emitter {
    const char *name, *description;
    LogicalResult (*emit)(ModuleOp, raw_ostream &);
  };
  static const Emitter emitters[] = {
      {"emit-schedule", "Write the mapped schedule (YAML)", emitSchedule},
      {"emit-rtl-params", "Write the RTL parameters (SystemVerilog package)",
       emitRtlParams},
      {"emit-rtl-header", "Write the RTL parameters (C header)", emitRtlHeader},
      {"emit-accel-config", "Write the accelerator (YAML)",
       emitAcceleratorConfig},
      {"emit-report", "Write the compilation report (JSON)", emitReport},
  };
  for (const Emitter &e : emitters)
    TranslateFromMLIRRegistration(
        e.name, e.description,
        [emit = e.emit](Operation *op, raw_ostream &os) -> LogicalResult {
          auto module = dyn_cast<ModuleOp>(op);
          if (!module)
            return op->emitError() << "expected a module";
          return emit(module, os);
        },
        dialects);
}

} // namespace hdx
