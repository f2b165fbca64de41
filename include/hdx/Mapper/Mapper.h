//===- Mapper.h - Best mapping of a layer on an accelerator -----*- C++ -*-===//
//
// mapLayer() searches the mapspace (Mapspace.h) for the mapping that
// minimises an objective: latency, energy or their product (edp). The search
// is deterministic: the same inputs always give the same mapping.
// mapNetwork() maps layer after layer and reuses the result for layers of
// identical shape.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_MAPPER_MAPPER_H
#define HDX_MAPPER_MAPPER_H

#include "hdx/Cost/CostModel.h"
#include "hdx/Mapper/Mapspace.h"

#include <cstdint>
#include <vector>

namespace hdx::mapper {

struct MapperOptions {
  Objective objective = Objective::EDP;
  /// Spatial unrollings (those with the fewest array steps first) that always
  /// get a tiling search; further ones are searched only while a lower bound
  /// says they could win, up to max_spatial_candidates in all.
  int spatial_candidates = 4;
  int max_spatial_candidates = 12;
  /// Steps of the plain descent that refines the best tiling so far on
  /// each unrolling beyond the first spatial_candidates.
  int refine_steps = 3;
  /// Tilings kept alive between the search's steps (1: plain descent).
  int beam_width = 3;
};

struct MapResult {
  cost::Mapping mapping;
  cost::LayerCost cost;
  /// False for pool/eltwise layers: they stream and have no mapping.
  bool mapped = true;
  /// Cost evaluations the search spent (for a shape NetworkMapper had
  /// cached: those of its first search).
  int64_t evaluations = 0;
};

/// Best mapping of a loop nest. Fails only when no mapping fits the
/// buffers (e.g. a GLB too small for one block of the PE array).
hdx::Expected<MapResult> mapLoopNest(const cost::CostModel &model,
                                     const cost::LoopNest &nest,
                                     const MapperOptions &options = {});

/// Any layer: conv/fc are searched, pool/eltwise are costed as a stream.
hdx::Expected<MapResult> mapLayer(const cost::CostModel &model,
                                  const cost::Layer &layer,
                                  Objective objective = Objective::EDP);
hdx::Expected<MapResult> mapLayer(const cost::CostModel &model,
                                  const cost::Layer &layer,
                                  const MapperOptions &options);
/// Same, resolving the accelerator's technology table first.
hdx::Expected<MapResult> mapLayer(const cost::Accelerator &accel,
                                  const cost::Layer &layer,
                                  Objective objective = Objective::EDP);

/// Maps the layers of a network one by one, caching results by shape.
class NetworkMapper {
public:
  NetworkMapper(const cost::CostModel &model, MapperOptions options = {})
      : model_(model), options_(options) {}

  hdx::Expected<MapResult> map(const cost::Layer &layer);
  hdx::Expected<std::vector<MapResult>>
  map(const std::vector<cost::Layer> &layers);

  int64_t cacheHits() const { return hits_; }
  size_t cacheSize() const { return cache_.size(); }

private:
  const cost::CostModel &model_;
  MapperOptions options_;
  std::vector<std::pair<cost::Layer, MapResult>> cache_;
  int64_t hits_ = 0;
};

hdx::Expected<std::vector<MapResult>>
mapNetwork(const cost::CostModel &model, const std::vector<cost::Layer> &layers,
           Objective objective = Objective::EDP);

/// Exhaustive search of the whole mapspace, for measuring the mapper's
/// optimality on small layers. Fails if the space has more than
/// `max_points` mappings (each point: one tiling with all loop orders).
hdx::Expected<MapResult> exhaustiveSearch(const cost::CostModel &model,
                                          const cost::LoopNest &nest,
                                          Objective objective,
                                          int64_t max_points = 50000000);

/// Mapspace points (spatial x tilings, loop orders not counted).
int64_t mapspaceSize(const cost::CostModel &model, const cost::LoopNest &nest);

} // namespace hdx::mapper

#endif // HDX_MAPPER_MAPPER_H
