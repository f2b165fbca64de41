//===- Registration.h - what the lowering needs registered ------*- C++ -*-===//
#ifndef HDX_CONVERSION_REGISTRATION_H
#define HDX_CONVERSION_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace hdx {

/// The dialects the lowering produces and the upstream interface models it
/// relies on (tiling of linalg ops, bufferization, deallocation, translation
/// of the LLVM dialect to LLVM IR). Tools that run `--hdx-lower` call this
/// on their registry.
void registerLoweringDialects(mlir::DialectRegistry &registry);

/// Registers the conversion passes and the `--hdx-lower` pipeline.
void registerLoweringPasses();

} // namespace hdx

#endif // HDX_CONVERSION_REGISTRATION_H
