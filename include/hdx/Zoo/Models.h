//===- Models.h - Reference CNNs --------------------------------*- C++ -*-===//
//
// Each function builds one network as torchvision defines it, with PyTorch's
// module names, in eval mode (no Dropout): input `input` [batch, 3,
// resolution, resolution], output `output` [batch, 1000].
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ZOO_MODELS_H
#define HDX_ZOO_MODELS_H

#include "hdx/Zoo/NetBuilder.h"

namespace hdx::zoo {

/// MobileNetV2, width 1.0: inverted residuals with ReLU6, Flatten + Gemm
/// head.
void buildMobileNetV2(NetBuilder &net, int64_t batch, int64_t resolution);

/// ResNet-18: basic blocks, `x.view(x.size(0), -1)` head; the fully
/// connected layer is Gemm (TorchScript) or MatMul + Add (torch.export).
void buildResNet18(NetBuilder &net, int64_t batch, int64_t resolution);

/// SqueezeNet 1.1: fire modules, ceil-mode max pooling, a convolutional
/// classifier with global average pooling.
void buildSqueezeNet11(NetBuilder &net, int64_t batch, int64_t resolution);

} // namespace hdx::zoo

#endif // HDX_ZOO_MODELS_H
