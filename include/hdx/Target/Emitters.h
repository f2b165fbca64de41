//===- Emitters.h - files written from a compiled module --------*- C++ -*-===//
//
// Each emitter reads one truth, the compiled module (its accelerator, and the
// mapping, cost and schedule attributes the passes recorded), and writes one
// deployable file. Errors are diagnostics; nothing is written on failure.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TARGET_EMITTERS_H
#define HDX_TARGET_EMITTERS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace hdx {

/// The mapped schedule as YAML: per layer, in execution order, the loop nest
/// per storage level and the spatial unrolling (Timeloop-style directives).
mlir::LogicalResult emitSchedule(mlir::ModuleOp module, llvm::raw_ostream &os);
/// The RTL parameters as a SystemVerilog package.
mlir::LogicalResult emitRtlParams(mlir::ModuleOp module, llvm::raw_ostream &os);
/// The RTL parameters as a C header for the driver.
mlir::LogicalResult emitRtlHeader(mlir::ModuleOp module, llvm::raw_ostream &os);
/// The accelerator YAML (re-reads into an identical accelerator).
mlir::LogicalResult emitAcceleratorConfig(mlir::ModuleOp module,
                                          llvm::raw_ostream &os);
/// The report JSON: totals, constraints, layers, accelerator, memory.
mlir::LogicalResult emitReport(mlir::ModuleOp module, llvm::raw_ostream &os);

/// One deployable file: its name in an output folder and its contents.
struct EmittedFile {
  std::string name;
  std::string contents;
};

/// Every emitter's file for `module`, from one parse: schedule.yaml,
/// accelerator_pkg.sv, accelerator.h, accelerator.yaml and report.json.
/// Fails (with that emitter's diagnostics) if any emitter does.
mlir::FailureOr<std::vector<EmittedFile>> emitAllFiles(mlir::ModuleOp module);

/// Registers --emit-schedule, --emit-rtl-params, --emit-rtl-header,
/// --emit-accel-config, --emit-report, and --emit-all (every file into
/// the folder --emit-dir names).
void registerEmitTranslations();

} // namespace hdx

#endif // HDX_TARGET_EMITTERS_H
