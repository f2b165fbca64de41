//===- CostModel.h - Analytical latency, energy and area --------*- C++ -*-===//
//
// Counts every access a mapped layer makes at each storage level, then turns
// the counts into cycles (compute vs. each level's bandwidth, overlapped) and
// energy (accesses x per-access energy of the technology table). The counts
// are exact for the buffer semantics of docs/cost-model.md; a loop-by-loop
// reference executor (Reference.h) reproduces them.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_COSTMODEL_H
#define HDX_COST_COSTMODEL_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Cost/Mapping.h"
#include "hdx/Cost/Technology.h"
#include "hdx/Support/Expected.h"

#include <array>
#include <cstdint>

namespace hdx::cost {

struct AccessCounts {
  int64_t reads = 0;
  int64_t writes = 0;
  int64_t total() const { return reads + writes; }
  bool operator==(const AccessCounts &o) const {
    return reads == o.reads && writes == o.writes;
  }
};

/// Word accesses: accesses[level][data type].
using AccessTable =
    std::array<std::array<AccessCounts, kNumDataTypes>, kNumLevels>;

struct EnergyBreakdown {
  double mac_mj = 0, rf_mj = 0, noc_mj = 0, glb_mj = 0, dram_mj = 0;
};

/// Cycle counts saturate here instead of overflowing int64 (a 2^50-MAC layer
/// at 64-bit words and 1/1024 DRAM byte per cycle needs about 2^64 cycles);
/// checkCycles() refuses a cost that reached it.
constexpr int64_t kMaxCycles = int64_t(1) << 62;

struct LayerCost {
  AccessTable accesses{};
  /// Words moved between the GLB and PEs (each PE delivery counted).
  int64_t noc_words = 0;
  int64_t macs = 0;
  /// Operations: macs for conv/fc, compares/adds for pool/eltwise.
  int64_t ops = 0;
  int64_t compute_cycles = 0; ///< array busy, ignoring memory
  int64_t dram_cycles = 0;    ///< DRAM traffic / DRAM bandwidth
  int64_t glb_cycles = 0;     ///< GLB traffic / GLB bandwidth
  int64_t cycles = 0;         ///< max of the three (full overlap)
  double latency_ms = 0;
  double energy_mj = 0;
  double utilization = 0; ///< macs / (PEs x cycles)
  EnergyBreakdown energy;

  const AccessCounts &at(Level level, DataType type) const {
    return accesses[level][type];
  }
  int64_t levelWords(Level level) const;
};

/// An error when a cycle count of `cost` saturated at kMaxCycles: its
/// latency would be wrong.
Status checkCycles(const LayerCost &cost);

struct AreaBreakdown {
  double pe_mm2 = 0;  ///< MACs and PE control
  double rf_mm2 = 0;
  double glb_mm2 = 0;
  double noc_mm2 = 0;
  double total_mm2 = 0;
};

/// Per-access energies for one accelerator (technology scaled to its word
/// width and buffer sizes), in pJ.
struct UnitEnergies {
  double mac_pj = 0; ///< multiply + accumulate
  double op_pj = 0;  ///< compare or add (pool, eltwise)
  double rf_pj = 0;
  double glb_pj = 0;
  double noc_pj = 0;
  double dram_pj = 0;
};

AreaBreakdown areaBreakdown(const Accelerator &accel, const Technology &tech);
double area_mm2(const Accelerator &accel, const Technology &tech);
/// Area with the accelerator's own technology table.
Expected<double> area_mm2(const Accelerator &accel);
UnitEnergies unitEnergies(const Accelerator &accel, const Technology &tech);
/// Words the GLB delivers or accepts per cycle: one per row and one per
/// column bus (pe_rows + pe_cols).
int64_t glbWordsPerCycle(const Accelerator &accel);

/// The part of a cost that does not depend on the loop orders: tile sizes
/// summed over all tile positions, spatial copies and compute cycles. The
/// mapper computes it once per tiling and then tries several orders.
struct TilingAnalysis {
  int64_t weights_words = 0; ///< one copy of the weights
  int64_t outputs_words = 0;
  /// Input words over all tile positions: GLB tiles, PE-array blocks, one
  /// PE's tiles, single elements.
  int64_t inputs_glb = 0, inputs_block = 0, inputs_pe = 0, inputs_mac = 0;
  /// Product of the spatial factors of dimensions each tensor ignores (the
  /// PEs holding copies of one word).
  int64_t spatial_copies[kNumDataTypes] = {1, 1, 1};
  int64_t compute_cycles = 0; ///< of one copy
};

/// Per tensor, what the loops of one level with a factor > 1 contribute to
/// refetching (an implementation detail of CostModel, exposed for speed).
struct LevelReuse {
  bool has_relevant[kNumDataTypes];
  int64_t irrelevant_all[kNumDataTypes];     ///< product of irrelevant factors
  int64_t irrelevant_outside[kNumDataTypes]; ///< ... outside the innermost
                                             ///< relevant loop
};

class CostModel {
public:
  CostModel() = default;
  CostModel(const Accelerator &accel, const Technology &tech);
  /// Validates the accelerator and resolves its technology table.
  static Expected<CostModel> create(const Accelerator &accel);

  const Accelerator &accelerator() const { return accel_; }
  const Technology &technology() const { return tech_; }
  const UnitEnergies &energies() const { return energies_; }

  /// Cost of a loop nest under a mapping. Legality is not checked (use
  /// checkMapping); counts are exact for any structurally valid mapping.
  /// This is the fast path the mapper calls.
  LayerCost evaluate(const LoopNest &nest, const Mapping &mapping) const;
  /// The same in two steps: analyse() the tiling (factors and spatial
  /// unrolling), then evaluate() it under the mapping's loop orders.
  TilingAnalysis analyse(const LoopNest &nest, const Mapping &mapping) const;
  LayerCost evaluate(const LoopNest &nest, const Mapping &mapping,
                     const TilingAnalysis &tiling) const;
  /// One tiling under every combination of up to four DRAM and four GLB
  /// loop orders (the RF order is the mapping's): out[i * numGlb + j] is
  /// exactly evaluate() with dramOrders[i] and glbOrders[j], computed once
  /// per level and order instead of once per combination.
  void evaluateOrders(const LoopNest &nest, const Mapping &mapping,
                      const TilingAnalysis &tiling,
                      const Permutation *dramOrders, size_t numDram,
                      const Permutation *glbOrders, size_t numGlb,
                      LayerCost *out) const;
  /// Any layer: conv/fc with a checked mapping, pool/eltwise streamed (the
  /// mapping is ignored).
  Expected<LayerCost> evaluate(const Layer &layer,
                               const Mapping &mapping) const;
  /// The streaming cost of a pool or eltwise layer; an error when its cycle
  /// count saturates (checkCycles).
  Expected<LayerCost> evaluateStreaming(const Layer &layer) const;

  AreaBreakdown area() const { return areaBreakdown(accel_, tech_); }
  double area_mm2() const { return area().total_mm2; }

  /// Fills cycles, latency, energy and utilization from accesses, macs and
  /// compute_cycles.
  void finish(LayerCost &cost) const;

private:
  LayerCost costFromReuse(const LoopNest &nest, const TilingAnalysis &tiling,
                          const LevelReuse *reuse) const;

  Accelerator accel_;
  Technology tech_;
  UnitEnergies energies_;
  int64_t glb_words_per_cycle_ = 1;
};

} // namespace hdx::cost

#endif // HDX_COST_COSTMODEL_H
