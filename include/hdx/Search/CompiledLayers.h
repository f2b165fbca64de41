//===- CompiledLayers.h - the layers the compiler charges -------*- C++ -*-===//
//
// The search costs a network with the layers the compiler will charge for
// it, derived the compiler's way: the derived network is written as ONNX
// (OnnxWriter), imported, prepared as --hdx-compile prepares it (batch
// norms and biases folded, activations fused) and read through
// LayerOpInterface. There is no second derivation to keep in step.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_COMPILEDLAYERS_H
#define HDX_SEARCH_COMPILEDLAYERS_H

#include "hdx/Cost/Layer.h"
#include "hdx/Search/NetworkSpace.h"
#include "hdx/Support/Expected.h"

#include <vector>

namespace hdx::search {

/// The cost-model layers of the network `architecture` derives, in
/// execution order. Leaves LibTorch's random generator as it found it.
Expected<std::vector<cost::Layer>>
compiledLayers(const NetworkSpace &space, const std::vector<int> &architecture);

/// compiledLayers, grouped: the stem, each searchable layer's own layers
/// (named "<layer>.*"; none for a skip) and the tail.
struct LayerGroups {
  std::vector<cost::Layer> stem, tail;
  std::vector<std::vector<cost::Layer>> layers; // per searchable layer
};
Expected<LayerGroups> compiledLayerGroups(const NetworkSpace &space,
                                          const std::vector<int> &architecture);

/// Every candidate's layers as the cost tables use them, derived the
/// compiler's way: per candidate k, one network with k in every layer that
/// allows it (the others on their first allowed candidate), split by layer.
/// A candidate's layers do not depend on its neighbours' choices (each
/// searchable layer has fixed input and output shapes), so the stem, the
/// chosen candidates' layers and the tail, in order, are compiledLayers of
/// any architecture.
struct CandidateLayers {
  std::vector<cost::Layer> stem, tail;
  /// [layer][candidate]; empty for a skip or a candidate not allowed.
  std::vector<std::vector<std::vector<cost::Layer>>> candidates;
};
Expected<CandidateLayers> compiledCandidateLayers(const NetworkSpace &space);

} // namespace hdx::search

#endif // HDX_SEARCH_COMPILEDLAYERS_H
