//===- Networks.h - Layer lists of reference networks -----------*- C++ -*-===//
//
// The benchmarks cost the networks hdx-zoo builds (lib/Zoo), as the
// compiler sees them: built as ONNX, imported, batch norms and biases
// folded and activations fused, then each layer op's cost::Layer through
// LayerOpInterface. So the benchmarks measure exactly what hdx-opt maps.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_BENCH_NETWORKS_H
#define HDX_BENCH_NETWORKS_H

#include "hdx/Cost/Layer.h"

#include <vector>

namespace hdx::bench {

/// MobileNetV2 (width 1.0, 224 x 224, batch 1): 52 convolutions, the global
/// average pool, the fully connected classifier and the residual additions.
std::vector<cost::Layer> mobileNetV2();

/// ResNet-18 (224 x 224, batch 1): 20 convolutions, the max and average
/// pools, the residual additions and the classifier.
std::vector<cost::Layer> resNet18();

/// Only the layers that run on the PE array (conv and fc).
std::vector<cost::Layer> arrayLayers(const std::vector<cost::Layer> &layers);

} // namespace hdx::bench

#endif // HDX_BENCH_NETWORKS_H
