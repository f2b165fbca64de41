//===- hdx-run.cpp - run a network module on the host ---------------------===//
//
//   hdx-run MODULE.mlir -i input_0.pb [-i input_1.pb ...] -o DIR
//
// Lowers the module's network (each mapped layer tiled by its #hdx.mapping;
// an uncompiled module untiled), JIT-compiles it with MLIR's ExecutionEngine,
// runs it once on the TensorProto inputs and writes DIR/output_0.pb, ... in
// the format of ONNX's test data. Nothing is written unless the run succeeds.
//
//===----------------------------------------------------------------------===//
#include "hdx/Conversion/Registration.h"
#include "hdx/Dialect/HDX/HDXDialect.h"
#include "hdx/Execution/CompiledNetwork.h"
#include "hdx/Onnx/ModelFile.h"
#include "hdx/Support/MlirInput.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "mlir/IR/Diagnostics.h"

#include <chrono>

namespace cl = llvm::cl;

static cl::opt<std::string> modulePath(cl::Positional, cl::Required,
                                       cl::desc("<module.mlir|.mlirbc>"));
static cl::list<std::string> inputPaths(
    "i", cl::desc("Input TensorProto file, one per network input, in order"),
    cl::value_desc("input_N.pb"));
static cl::opt<std::string> outputDir(
    "o", cl::Required, cl::desc("Folder for output_0.pb, output_1.pb, ..."),
    cl::value_desc("dir"));
static cl::opt<bool> noTile("no-tile",
                            cl::desc("Run every layer untiled, ignoring the "
                                     "mappings"));
static cl::opt<bool> printTimings(
    "timings", cl::desc("Print the lowering, JIT and run times to stderr"));

static int fail(const std::string &message) {
  llvm::errs() << "hdx-run: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "HDX network runner\n");

  std::string error;
  if (!hdx::checkMlirInputFile(modulePath, error))
    return fail(error);
  std::vector<hdx::onnxlib::FloatTensor> inputs(inputPaths.size());
  for (size_t i = 0; i < inputPaths.size(); ++i)
    if (hdx::Status read =
            hdx::onnxlib::readTensorFile(inputPaths[i], inputs[i]);
        !read)
      return fail("input " + std::to_string(i) + ": " + read.error());

  mlir::DialectRegistry registry;
  registry.insert<hdx::HDXDialect>();
  hdx::registerLoweringDialects(registry);
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(modulePath, sourceMgr,
                                            mlir::ParserConfig(&context));
  if (!module)
    return 1;

  auto network = hdx::exec::CompiledNetwork::compile(*module, !noTile);
  if (!network)
    return fail(modulePath + ": " + llvm::toString(network.takeError()));
  auto start = std::chrono::steady_clock::now();
  auto outputs = (*network)->run(inputs);
  double runSeconds = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  if (!outputs)
    return fail(llvm::toString(outputs.takeError()));

  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
    return fail("cannot create '" + outputDir + "': " + ec.message());
  for (size_t i = 0; i < outputs->size(); ++i) {
    std::string path = outputDir + "/output_" + std::to_string(i) + ".pb";
    if (hdx::Status written =
            hdx::onnxlib::writeTensorFile((*outputs)[i], path);
        !written)
      return fail(written.error());
  }
  if (printTimings)
    llvm::errs() << llvm::format(
        "lower_s %.3f jit_s %.3f run_s %.3f\n", (*network)->lowerSeconds(),
        (*network)->jitSeconds(), runSeconds);
  return 0;
}
