//===- CostModel.cpp - Access counts, cycles and energy -------------------===//
//
// The counting rules (docs/cost-model.md, "What is counted"):
//  * A child buffer holds one tile of each tensor, identified by the indices
//    of the outer loops over dimensions the tensor depends on. When the next
//    iteration needs another tile, the child refills it from its parent.
//    Successive refills of one tile happen only when a loop the tensor does
//    not depend on runs outside its innermost relevant loop, so
//      fills = (product of those irrelevant factors) x (distinct tiles).
//  * Only elements inside the tensor move (padding indices move nothing).
//  * GLB -> PE: one GLB read per distinct word a block needs (multicast);
//    each PE that needs the word gets an RF write. Partial sums going back
//    are reduced in the network: every PE sends, the GLB is written once.
//  * Outputs: a tile that returns to a child brings its partial sums back
//    (parent read + child write); every tile leaving a child is written back.
//  * The MAC's operand registers are the last level: the RF is read when the
//    operand a MAC needs differs from the one it used last.
//
//===----------------------------------------------------------------------===//
#include "hdx/Cost/CostModel.h"
#include "hdx/Support/FormatNumber.h"

#include <algorithm>
#include <cmath>

namespace hdx::cost {

int64_t LayerCost::levelWords(Level level) const {
  int64_t total = 0;
  for (const AccessCounts &c : accesses[level])
    total += c.total();
  return total;
}

UnitEnergies unitEnergies(const Accelerator &a, const Technology &t) {
  double scale = double(a.word_bits) / double(t.reference_word_bits);
  double e = t.sram_energy_exponent;
  UnitEnergies u;
  u.mac_pj = t.mult_pj * scale * scale + t.add_pj * scale;
  u.op_pj = t.add_pj * scale;
  u.rf_pj = t.rf_pj * std::pow(a.rf_bytes / t.rf_reference_bytes, e) * scale;
  u.glb_pj = t.glb_pj * std::pow(a.glb_kib / t.glb_reference_kib, e) * scale;
  u.noc_pj = t.noc_pj * scale;
  u.dram_pj = t.dram_pj * scale;
  return u;
}

AreaBreakdown areaBreakdown(const Accelerator &a, const Technology &t) {
  double scale = double(a.word_bits) / double(t.reference_word_bits);
  double pes = double(a.numPEs());
  AreaBreakdown area;
  area.pe_mm2 = pes *
                (t.mult_um2 * scale * scale + t.add_um2 * scale +
                 t.pe_overhead_um2) *
                1e-6;
  area.rf_mm2 = pes * a.rf_bytes * 8.0 * t.rf_um2_per_bit * 1e-6;
  area.glb_mm2 = a.glb_kib * 8192.0 * t.glb_um2_per_bit * 1e-6;
  area.noc_mm2 = pes * a.word_bits * t.noc_um2_per_pe_bit * 1e-6;
  area.total_mm2 = area.pe_mm2 + area.rf_mm2 + area.glb_mm2 + area.noc_mm2;
  return area;
}

double area_mm2(const Accelerator &a, const Technology &t) {
  return areaBreakdown(a, t).total_mm2;
}

Expected<double> area_mm2(const Accelerator &a) {
  Expected<Technology> tech = resolveTechnology(a);
  if (!tech.ok())
    return tech.status();
  return area_mm2(a, *tech);
}

int64_t glbWordsPerCycle(const Accelerator &a) { return a.pe_rows + a.pe_cols; }

CostModel::CostModel(const Accelerator &accel, const Technology &tech)
    : accel_(accel), tech_(tech), energies_(unitEnergies(accel, tech)),
      glb_words_per_cycle_(glbWordsPerCycle(accel)) {}

Expected<CostModel> CostModel::create(const Accelerator &accel) {
  if (Status s = validate(accel); !s.ok())
    return s;
  Expected<Technology> tech = resolveTechnology(accel);
  if (!tech.ok())
    return tech.status();
  CostModel model(accel, *tech);
  // A table of finite but huge numbers (1e308 pJ) scaled to this accelerator
  // can overflow; no later cost is meaningful then, so refuse it here, by key.
  const UnitEnergies &u = model.energies_;
  std::pair<const char *, double> energies[] = {
      {"mult_pj and add_pj (one MAC)", u.mac_pj}, {"add_pj", u.op_pj},
      {"rf_pj", u.rf_pj},   {"glb_pj", u.glb_pj},
      {"noc_pj", u.noc_pj}, {"dram_pj", u.dram_pj}};
  for (const auto &[key, value] : energies)
    if (!std::isfinite(value))
      return Status::failure("technology '" + tech->name + "': " + key +
                             " scaled to accelerator '" + accel.name +
                             "' is not a finite energy (got " +
                             formatDouble(value) + " pJ)");
  AreaBreakdown area = model.area();
  std::pair<const char *, double> areas[] = {
      {"mult_um2, add_um2 and pe_overhead_um2 (the PEs)", area.pe_mm2},
      {"rf_um2_per_bit (the register files)", area.rf_mm2},
      {"glb_um2_per_bit (the global buffer)", area.glb_mm2},
      {"noc_um2_per_pe_bit (the NoC)", area.noc_mm2},
      {"the areas of all blocks together", area.total_mm2}};
  for (const auto &[key, value] : areas)
    if (!std::isfinite(value))
      return Status::failure("technology '" + tech->name + "': area_mm2 of " +
                             "accelerator '" + accel.name + "' from " + key +
                             " is not finite (got " + formatDouble(value) +
                             " mm2)");
  return model;
}

namespace {


void summarise(const LoopNest &nest, const PerDim<int64_t> &f,
               const Permutation &order, LevelReuse &out) {
  for (int t = 0; t < kNumDataTypes; ++t) {
    out.has_relevant[t] = false;
    out.irrelevant_all[t] = 1;
    out.irrelevant_outside[t] = 1;
  }
  for (Dim d : order) {
    int64_t factor = f[d];
    if (factor == 1)
      continue;
    for (int t = 0; t < kNumDataTypes; ++t) {
      if ((nest.relevance[t] >> d) & 1u) {
        out.has_relevant[t] = true;
        out.irrelevant_outside[t] = out.irrelevant_all[t];
      } else {
        out.irrelevant_all[t] *= factor;
      }
    }
  }
}

// How many times each distinct tile of tensor t is filled into a child
// whose outer loops are the levels [0, levels).
int64_t refetches(const LevelReuse *reuse, int t, int levels) {
  for (int l = levels - 1; l >= 0; --l) {
    if (!reuse[l].has_relevant[t])
      continue;
    int64_t product = reuse[l].irrelevant_outside[t];
    for (int outer = 0; outer < l; ++outer)
      product *= reuse[outer].irrelevant_all[t];
    return product;
  }
  return 1;
}

// Sum over every (P tile, R tile) pair of the input rows the pair reads,
// when the bounds bp, br are cut into tiles of tp, tr (the last one
// partial): only four distinct tile shapes exist.
int64_t haloSum(int64_t bp, int64_t tp, int64_t br, int64_t tr, int64_t stride,
                int64_t dilation) {
  int64_t fullP = bp / tp, remP = bp % tp;
  int64_t fullR = br / tr, remR = br % tr;
  int64_t sum = fullP * fullR * windowFootprint(tp, tr, stride, dilation);
  if (remP)
    sum += fullR * windowFootprint(remP, tr, stride, dilation);
  if (remR)
    sum += fullP * windowFootprint(tp, remR, stride, dilation);
  if (remP && remR)
    sum += windowFootprint(remP, remR, stride, dilation);
  return sum;
}

// Sum over all positions of an input tile of extents `tile` of the words
// it holds.
int64_t inputWordsOverTiles(const LoopNest &nest, const int64_t *tile) {
  const PerDim<int64_t> &b = nest.bound;
  int64_t channels = b[C] * (nest.inputs_depend_on_k ? b[K] : 1);
  return b[N] * channels *
         haloSum(b[P], tile[P], b[R], tile[R], nest.stride_h,
                 nest.dilation_h) *
         haloSum(b[Q], tile[Q], b[S], tile[S], nest.stride_w,
                 nest.dilation_w);
}

// Iterations of dimension d in which PE 0 (the one with the lowest index)
// holds a real index: only then does the array spend a cycle.
int64_t busyIterations(int64_t bound, int64_t rf, int64_t spatial,
                       int64_t outer) {
  int64_t step = rf * spatial;
  int64_t full = bound >= rf ? std::min(outer, (bound - rf) / step + 1) : 0;
  int64_t count = full * rf;
  if (full < outer)
    count += std::max<int64_t>(0, bound - full * step);
  return count;
}

/// ceil(a / b) as a cycle count, saturated at kMaxCycles.
int64_t ceilCycles(double a, double b) {
  double q = std::ceil(a / b);
  return q >= double(kMaxCycles) ? kMaxCycles : static_cast<int64_t>(q);
}

} // namespace

TilingAnalysis CostModel::analyse(const LoopNest &nest,
                                  const Mapping &m) const {
  TilingAnalysis t;
  const PerDim<int64_t> &b = nest.bound;
  int64_t rfTile[kNumDims], blockTile[kNumDims], glbTile[kNumDims];
  int64_t ones[kNumDims] = {1, 1, 1, 1, 1, 1, 1};
  t.compute_cycles = 1;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t sp = m.spatial_rows[d] * m.spatial_cols[d];
    rfTile[d] = m.factors[RF][d];
    blockTile[d] = rfTile[d] * sp;
    glbTile[d] = blockTile[d] * m.factors[GLB][d];
    for (int ty = 0; ty < kNumDataTypes; ++ty)
      if (!((nest.relevance[ty] >> d) & 1u))
        t.spatial_copies[ty] *= sp;
    t.compute_cycles *= busyIterations(b[d], rfTile[d], sp,
                                       m.factors[GLB][d] * m.factors[DRAM][d]);
  }
  t.weights_words = nest.tensorSize(Weights);
  t.outputs_words = nest.tensorSize(Outputs);
  // Inputs: tiles overlap by their halo, so sizes depend on the tiling.
  t.inputs_glb = inputWordsOverTiles(nest, glbTile);
  t.inputs_block = inputWordsOverTiles(nest, blockTile);
  t.inputs_pe = inputWordsOverTiles(nest, rfTile);
  t.inputs_mac = inputWordsOverTiles(nest, ones);
  return t;
}

LayerCost CostModel::evaluate(const LoopNest &nest, const Mapping &m) const {
  return evaluate(nest, m, analyse(nest, m));
}

LayerCost CostModel::evaluate(const LoopNest &nest, const Mapping &m,
                              const TilingAnalysis &tiling) const {
  LevelReuse reuse[kNumLevels];
  for (int l = 0; l < kNumLevels; ++l)
    summarise(nest, m.factors[l], m.permutation[l], reuse[l]);
  return costFromReuse(nest, tiling, reuse);
}

void CostModel::evaluateOrders(const LoopNest &nest, const Mapping &m,
                               const TilingAnalysis &tiling,
                               const Permutation *dramOrders, size_t numDram,
                               const Permutation *glbOrders, size_t numGlb,
                               LayerCost *out) const {
  // Each level's loops are summarised once per order, then combined.
  LevelReuse dram[4], glb[4], reuse[kNumLevels];
  numDram = std::min<size_t>(numDram, 4);
  numGlb = std::min<size_t>(numGlb, 4);
  for (size_t i = 0; i < numDram; ++i)
    summarise(nest, m.factors[DRAM], dramOrders[i], dram[i]);
  for (size_t j = 0; j < numGlb; ++j)
    summarise(nest, m.factors[GLB], glbOrders[j], glb[j]);
  summarise(nest, m.factors[RF], m.permutation[RF], reuse[RF]);
  for (size_t i = 0; i < numDram; ++i)
    for (size_t j = 0; j < numGlb; ++j) {
      reuse[DRAM] = dram[i];
      reuse[GLB] = glb[j];
      out[i * numGlb + j] = costFromReuse(nest, tiling, reuse);
    }
}

LayerCost CostModel::costFromReuse(const LoopNest &nest,
                                   const TilingAnalysis &tiling,
                                   const LevelReuse *reuse) const {
  LayerCost cost;
  // Fill multipliers at the three boundaries: DRAM->GLB, GLB->RF, RF->MAC.
  int64_t toGlb[kNumDataTypes], toRf[kNumDataTypes], toMac[kNumDataTypes];
  for (int t = 0; t < kNumDataTypes; ++t) {
    toGlb[t] = refetches(reuse, t, 1);
    toRf[t] = refetches(reuse, t, 2);
    toMac[t] = refetches(reuse, t, 3);
  }

  AccessTable &a = cost.accesses;
  // Weights: every tile position covers the weights once.
  int64_t w = tiling.weights_words;
  int64_t sw = tiling.spatial_copies[Weights];
  a[DRAM][Weights].reads = toGlb[Weights] * w;
  a[GLB][Weights].writes = toGlb[Weights] * w;
  a[GLB][Weights].reads = toRf[Weights] * w;
  a[RF][Weights].writes = toRf[Weights] * w * sw;
  a[RF][Weights].reads = toMac[Weights] * w * sw;

  int64_t si = tiling.spatial_copies[Inputs];
  a[DRAM][Inputs].reads = toGlb[Inputs] * tiling.inputs_glb;
  a[GLB][Inputs].writes = a[DRAM][Inputs].reads;
  a[GLB][Inputs].reads = toRf[Inputs] * tiling.inputs_block;
  a[RF][Inputs].writes = toRf[Inputs] * tiling.inputs_pe * si;
  a[RF][Inputs].reads = toMac[Inputs] * tiling.inputs_mac * si;

  // Outputs: the first visit of a tile starts from zero; later visits read
  // the partial sums back; every visit ends with a write-back.
  int64_t o = tiling.outputs_words;
  int64_t so = tiling.spatial_copies[Outputs];
  int64_t visitsGlb = toGlb[Outputs] * o;
  int64_t visitsBlock = toRf[Outputs] * o;
  int64_t visitsPe = visitsBlock * so;
  int64_t visitsMac = toMac[Outputs] * o * so;
  a[DRAM][Outputs].writes = visitsGlb;
  a[DRAM][Outputs].reads = visitsGlb - o;
  a[GLB][Outputs].reads = visitsGlb + (visitsBlock - o);
  a[GLB][Outputs].writes = (visitsGlb - o) + visitsBlock;
  a[RF][Outputs].reads = visitsPe + (visitsMac - o * so);
  a[RF][Outputs].writes = (visitsBlock - o) + visitsMac;

  cost.noc_words = a[RF][Weights].writes + a[RF][Inputs].writes +
                   (visitsBlock - o) + visitsPe;
  cost.macs = nest.macsPerCopy();
  cost.ops = cost.macs;
  cost.compute_cycles = tiling.compute_cycles;

  // A grouped convolution runs its copies back to back.
  if (nest.copies > 1) {
    for (auto &level : a)
      for (AccessCounts &c : level) {
        c.reads *= nest.copies;
        c.writes *= nest.copies;
      }
    cost.noc_words *= nest.copies;
    cost.macs *= nest.copies;
    cost.ops *= nest.copies;
    cost.compute_cycles *= nest.copies;
  }
  finish(cost);
  return cost;
}

void CostModel::finish(LayerCost &cost) const {
  int64_t dramWords = cost.levelWords(DRAM);
  int64_t glbWords = cost.levelWords(GLB);
  int64_t rfWords = cost.levelWords(RF);
  cost.dram_cycles =
      ceilCycles(dramWords * accel_.wordBytes(), accel_.dram_bw_bytes_per_cycle);
  cost.glb_cycles = (glbWords + glb_words_per_cycle_ - 1) / glb_words_per_cycle_;
  cost.cycles =
      std::max({cost.compute_cycles, cost.dram_cycles, cost.glb_cycles});
  cost.latency_ms = cost.cycles / (accel_.clock_mhz * 1e3);

  const UnitEnergies &u = energies_;
  constexpr double kPjToMj = 1e-9;
  bool array = cost.macs > 0;
  cost.energy.mac_mj =
      (array ? cost.macs * u.mac_pj : cost.ops * u.op_pj) * kPjToMj;
  cost.energy.rf_mj = rfWords * u.rf_pj * kPjToMj;
  cost.energy.noc_mj = cost.noc_words * u.noc_pj * kPjToMj;
  cost.energy.glb_mj = glbWords * u.glb_pj * kPjToMj;
  cost.energy.dram_mj = dramWords * u.dram_pj * kPjToMj;
  cost.energy_mj = cost.energy.mac_mj + cost.energy.rf_mj +
                   cost.energy.noc_mj + cost.energy.glb_mj +
                   cost.energy.dram_mj;
  cost.utilization =
      cost.cycles > 0
          ? double(cost.ops) / (double(accel_.numPEs()) * cost.cycles)
          : 0.0;
}

Expected<LayerCost> CostModel::evaluateStreaming(const Layer &layer) const {
  LayerCost cost;
  int64_t outWords = layer.n * layer.c * layer.p * layer.q;
  int64_t inWords =
      layer.kind == LayerKind::Pool
          ? layer.n * layer.c *
                windowFootprint(layer.p, layer.r, layer.stride_h,
                                layer.dilation_h) *
                windowFootprint(layer.q, layer.s, layer.stride_w,
                                layer.dilation_w)
          : layer.inputs * outWords;
  int64_t ops = layer.ops();
  AccessTable &a = cost.accesses;
  // One pass: DRAM -> GLB -> PEs -> GLB -> DRAM, every word once per level.
  a[DRAM][Inputs].reads = inWords;
  a[GLB][Inputs].writes = inWords;
  a[GLB][Inputs].reads = inWords;
  a[RF][Inputs].writes = inWords;
  // Pooling reads each window tap; element-wise reads each operand once.
  a[RF][Inputs].reads = layer.kind == LayerKind::Pool ? ops : inWords;
  a[RF][Outputs].writes = outWords;
  a[RF][Outputs].reads = outWords;
  a[GLB][Outputs].writes = outWords;
  a[GLB][Outputs].reads = outWords;
  a[DRAM][Outputs].writes = outWords;
  cost.noc_words = inWords + outWords;
  cost.macs = 0;
  cost.ops = ops;
  cost.compute_cycles = (ops + accel_.numPEs() - 1) / accel_.numPEs();
  finish(cost);
  if (Status s = checkCycles(cost); !s.ok())
    return s;
  return cost;
}

Expected<LayerCost> CostModel::evaluate(const Layer &layer,
                                        const Mapping &mapping) const {
  if (Status s = validate(layer); !s.ok())
    return s;
  if (!layer.usesArray())
    return evaluateStreaming(layer);
  Expected<LoopNest> nest = makeLoopNest(layer);
  if (!nest.ok())
    return nest.status();
  if (Status s = checkMapping(accel_, *nest, mapping); !s.ok())
    return s;
  LayerCost cost = evaluate(*nest, mapping);
  if (Status s = checkCycles(cost); !s.ok())
    return s;
  return cost;
}

Status checkCycles(const LayerCost &cost) {
  if (cost.cycles < kMaxCycles)
    return Status::success();
  const char *bound = cost.dram_cycles >= kMaxCycles ? "DRAM"
                      : cost.glb_cycles >= kMaxCycles ? "GLB"
                                                      : "compute";
  return Status::failure(std::string("the layer takes 2^62 or more cycles "
                                     "on this accelerator (") +
                         bound + " bound); such counts are not represented");
}

} // namespace hdx::cost
