//===- Mapping.h - How a loop nest is laid onto the accelerator -*- C++ -*-===//
//
// Temporal tile factors per storage level, spatial unrolling over the PE
// rows and columns, and the loop order per level. The nest reads, outermost
// first:
//
//   DRAM loops (permutation[DRAM])      -- each iteration: one GLB tile
//     GLB loops (permutation[GLB])      -- each iteration: one PE-array block
//       spatial rows x cols (parallel)  -- each PE: one RF tile
//         RF loops (permutation[RF])    -- each iteration: one MAC per PE
//
// Index of dimension d: ((dram*glb_f + glb)*spatial + pe)*rf_f + rf, with
// pe = col*spatial_rows[d] + row. The product of a dimension's factors may
// exceed its bound: indices past the bound are padding, move no data and do
// no MAC (docs/cost-model.md, "Non-dividing sizes").
//
// Text form (also the dialect's #hdx.mapping fields):
//   dram=[1,2,1,1,1,1,1] glb=[1,1,1,1,1,7,7] rf=[1,1,1,3,3,1,1]
//   rows=[1,1,16,1,1,1,1] cols=[1,16,1,1,1,1,1]
//   dram_order=NKCRSPQ glb_order=NKCPQRS rf_order=NKCPQRS
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_MAPPING_H
#define HDX_COST_MAPPING_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Support/Expected.h"

#include <array>
#include <string>
#include <string_view>

namespace hdx::cost {

/// A loop order, outermost dimension first.
using Permutation = std::array<Dim, kNumDims>;

/// "NKCRSPQ"-style text of a permutation.
std::string toString(const Permutation &perm);
/// Parses a 7-letter permutation of NKCRSPQ; the error says what is wrong.
Status parsePermutation(std::string_view text, Permutation &perm);
/// N, K, C, R, S, P, Q.
Permutation identityPermutation();

struct Mapping {
  /// Temporal factors: factors[level][dim].
  std::array<PerDim<int64_t>, kNumLevels> factors;
  PerDim<int64_t> spatial_rows;
  PerDim<int64_t> spatial_cols;
  std::array<Permutation, kNumLevels> permutation;

  /// All factors 1, every order NKCRSPQ.
  Mapping();

  int64_t spatial(Dim d) const { return spatial_rows[d] * spatial_cols[d]; }
  /// Product of all factors of d (temporal and spatial).
  int64_t coverage(Dim d) const;
  /// PEs the mapping uses: product of all spatial factors.
  int64_t usedPEs() const;

  bool operator==(const Mapping &other) const;
  bool operator!=(const Mapping &other) const { return !(*this == other); }
};

/// The text form shown above (one line, fields separated by spaces).
std::string toString(const Mapping &mapping);
/// Parses the text form; all eight fields are required.
Expected<Mapping> parseMapping(std::string_view text);

/// Words each tensor's tile occupies at a level (inputs include the halo),
/// computed on full (not partial) tiles clipped to the bounds.
/// GLB: the tile below one DRAM iteration; RF: one PE's tile.
std::array<int64_t, kNumDataTypes> tileWords(const LoopNest &nest,
                                             const Mapping &mapping,
                                             Level level);

/// Words the GLB must hold: a tensor whose GLB tile changes during the layer
/// is double-buffered (2x), one that stays resident is held once.
int64_t glbWordsNeeded(const LoopNest &nest, const Mapping &mapping);

/// Whether the RF tiles (one PE) and the double-buffered GLB tiles fit;
/// the fast form of the capacity part of checkMapping().
bool fitsBuffers(const Accelerator &accel, const LoopNest &nest,
                 const Mapping &mapping);

/// Structural checks only: factors >= 1, permutations, coverage of every
/// bound, spatial products within the array.
Status checkStructure(const Accelerator &accel, const LoopNest &nest,
                      const Mapping &mapping);
/// Full legality: structure, the dataflow's constraints and buffer
/// capacities (RF: one PE's three tiles; GLB: double-buffered tiles).
Status checkMapping(const Accelerator &accel, const LoopNest &nest,
                    const Mapping &mapping);

/// Dataflow constraints (docs/cost-model.md, "Dataflows"): which dimensions
/// may be unrolled over rows and over columns, and which tensor's
/// irrelevant RF loops must be innermost.
struct DataflowRules {
  uint32_t row_dims = 0; ///< bit d set: d may be unrolled over rows
  uint32_t col_dims = 0;
  DataType stationary = Weights; ///< tensor kept in the PE across RF loops
  /// rs: filter rows spread over PE rows (spatial R = R when R fits the
  /// rows) and each PE holds a whole filter row (RF factor of S = S).
  bool row_stationary = false;
  bool allowsRow(Dim d) const { return (row_dims >> d) & 1u; }
  bool allowsCol(Dim d) const { return (col_dims >> d) & 1u; }
};
DataflowRules dataflowRules(Dataflow dataflow);
/// Checks the spatial and loop-order constraints of accel.dataflow.
Status checkDataflow(const Accelerator &accel, const LoopNest &nest,
                     const Mapping &mapping);

} // namespace hdx::cost

#endif // HDX_COST_MAPPING_H
