//===- Registration.cpp - hdx-translate's emitters ------------------------===//
#include "hdx/Target/Emitters.h"
#include "hdx/Support/AtomicFile.h"

#include "hdx/Dialect/HDX/HDXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"

using namespace mlir;

namespace hdx {

namespace {

struct Emitter {
  const char *name, *description, *file;
  LogicalResult (*emit)(ModuleOp, raw_ostream &);
};

const Emitter kEmitters[] = {
    {"emit-schedule", "Write the mapped schedule (YAML)", "schedule.yaml",
     emitSchedule},
    {"emit-rtl-params", "Write the RTL parameters (SystemVerilog package)",
     "accelerator_pkg.sv", emitRtlParams},
    {"emit-rtl-header", "Write the RTL parameters (C header)", "accelerator.h",
     emitRtlHeader},
    {"emit-accel-config", "Write the accelerator (YAML)", "accelerator.yaml",
     emitAcceleratorConfig},
    {"emit-report", "Write the compilation report (JSON)", "report.json",
     emitReport},
};

} // namespace

FailureOr<std::vector<EmittedFile>> emitAllFiles(ModuleOp module) {
  std::vector<EmittedFile> files;
  for (const Emitter &e : kEmitters) {
    EmittedFile file{e.file, ""};
    llvm::raw_string_ostream os(file.contents);
    if (failed(e.emit(module, os)))
      return failure();
    files.push_back(std::move(file));
  }
  return files;
}

void registerEmitTranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registry.insert<HDXDialect, arith::ArithDialect, func::FuncDialect>();
  };
  static llvm::cl::opt<std::string> emitDir(
      "emit-dir", llvm::cl::value_desc("dir"),
      llvm::cl::desc("Folder --emit-all writes its files into"));
  // Every file from one parse; none is written unless all emitters succeed.
  TranslateFromMLIRRegistration(
      "emit-all",
      "Write every emitter's file into --emit-dir (the output lists them)",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expected a module";
        if (emitDir.empty())
          return emitError(op->getLoc()) << "--emit-all needs --emit-dir=DIR";
        FailureOr<std::vector<EmittedFile>> files = emitAllFiles(module);
        if (failed(files))
          return failure();
        if (std::error_code ec = llvm::sys::fs::create_directories(emitDir))
          return emitError(op->getLoc()) << "cannot create '" << emitDir
                                         << "': " << ec.message();
        for (const EmittedFile &file : *files) {
          std::string path = emitDir + "/" + file.name;
          if (std::string error = writeFileAtomically(path, file.contents);
              !error.empty())
            return emitError(op->getLoc()) << error;
          os << path << "\n";
        }
        return success();
      },
      dialects);
  for (const Emitter &e : kEmitters)
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
