//===- Mapspace.h - The space of mappings the mapper searches ---*- C++ -*-===//
//
// For a layer on an accelerator the mapspace is (docs/cost-model.md,
// "Mapspace"):
//  * a spatial unrolling the dataflow allows, each dimension unrolled by a
//    "useful" factor (the smallest one reaching a given number of steps),
//    and maximal: no factor can grow within the array to save steps;
//  * per dimension, an exact factorisation rf x glb x dram of its remaining
//    steps ceil(bound / spatial) -- or of the next 7-smooth number when that
//    offers better tilings of an awkward size;
//  * per level, one of three canonical loop orders, named by the tensor
//    kept stationary (its irrelevant loops innermost). Any other order is
//    never better for any tensor, so the restriction loses nothing.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_MAPPER_MAPSPACE_H
#define HDX_MAPPER_MAPSPACE_H

#include "hdx/Cost/CostModel.h"

#include <array>
#include <string_view>
#include <vector>

namespace hdx::mapper {

enum class Objective { Latency, Energy, EDP };

/// "latency", "energy", "edp".
const char *toString(Objective objective);
bool parseObjective(std::string_view text, Objective &objective);

/// Lower is better: cycles (latency), energy, or energy x cycles (edp).
double score(const cost::LayerCost &cost, Objective objective);
/// Strict order used everywhere: the objective, then the other metric.
bool better(const cost::LayerCost &a, const cost::LayerCost &b,
            Objective objective);

struct SpatialChoice {
  cost::PerDim<int64_t> rows{1, 1, 1, 1, 1, 1, 1};
  cost::PerDim<int64_t> cols{1, 1, 1, 1, 1, 1, 1};
  /// Array iterations ignoring memory: product of ceil(bound / spatial).
  int64_t steps = 1;
  /// Tensor words times the PEs each is copied into (multicast copies).
  int64_t copied_words = 0;
  int64_t used_pes = 1;
};

/// Every maximal spatial unrolling the dataflow allows, fewest array steps
/// first (ties: fewest multicast copies, then most PEs used, then
/// enumeration order). Unrollings with the same per-dimension products are
/// listed once.
std::vector<SpatialChoice> spatialChoices(const cost::Accelerator &accel,
                                          const cost::LoopNest &nest);

struct TemporalChoice {
  int64_t rf = 1, glb = 1, dram = 1;
};

/// Factorisations rf x glb x dram of the steps of one dimension left after
/// unrolling it `spatial` ways; rs arrays pin the RF factor of S.
std::vector<TemporalChoice> temporalChoices(const cost::Accelerator &accel,
                                            const cost::LoopNest &nest,
                                            cost::Dim dim, int64_t spatial);

/// The canonical loop order keeping `stationary` in place: dimensions that
/// tensor ignores innermost.
cost::Permutation stationaryOrder(cost::DataType stationary);

/// The loop orders the mapper tries at the DRAM and GLB levels (three each)
/// and the one the dataflow fixes at the RF.
const std::array<cost::Permutation, 3> &candidateOrders();
cost::Permutation rfOrder(cost::Dataflow dataflow);

/// Assembles a mapping from a spatial choice and one temporal choice per
/// dimension.
cost::Mapping assemble(const SpatialChoice &spatial,
                       const cost::PerDim<TemporalChoice> &temporal,
                       const cost::Permutation &dramOrder,
                       const cost::Permutation &glbOrder,
                       const cost::Permutation &rfOrder);

} // namespace hdx::mapper

#endif // HDX_MAPPER_MAPSPACE_H
