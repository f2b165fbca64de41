//===- Mapspace.cpp - Spatial and temporal candidates, loop orders --------===//
#include "hdx/Mapper/Mapspace.h"

#include <algorithm>
#include <set>

namespace hdx::mapper {

using namespace hdx;
using namespace hdx::cost;

const char *toString(Objective objective) {
  switch (objective) {
  case Objective::Latency:
    return "latency";
  case Objective::Energy:
    return "energy";
  case Objective::EDP:
    return "edp";
  }
  return "edp";
}

bool parseObjective(std::string_view text, Objective &objective) {
  if (text == "latency")
    objective = Objective::Latency;
  else if (text == "energy")
    objective = Objective::Energy;
  else if (text == "edp")
    objective = Objective::EDP;
  else
    return false;
  return true;
}

double score(const LayerCost &cost, Objective objective) {
  switch (objective) {
  case Objective::Latency:
    return double(cost.cycles);
  case Objective::Energy:
    return cost.energy_mj;
  case Objective::EDP:
    return cost.energy_mj * double(cost.cycles);
  }
  return 0;
}

bool better(const LayerCost &a, const LayerCost &b, Objective objective) {
  double sa = score(a, objective), sb = score(b, objective);
  if (sa != sb)
    return sa < sb;
  if (objective == Objective::Latency)
    return a.energy_mj < b.energy_mj;
  return a.cycles < b.cycles;
}

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Spatial factors up to `limit` worth trying for a bound: the smallest
// factor reaching each number of steps ceil(bound / factor).
std::vector<int64_t> usefulFactors(int64_t bound, int64_t limit) {
  std::vector<int64_t> out;
  for (int64_t v = 1; v <= std::min(bound, limit); ++v)
    if (ceilDiv(bound, ceilDiv(bound, v)) == v)
      out.push_back(v);
  return out;
}

// All assignments of factors to `dims` whose product stays within `budget`.
void enumerateSide(const LoopNest &nest, const std::vector<Dim> &dims,
                   size_t next, int64_t budget, PerDim<int64_t> &current,
                   const PerDim<std::vector<int64_t>> &fixed,
                   std::vector<PerDim<int64_t>> &out) {
  if (next == dims.size()) {
    out.push_back(current);
    return;
  }
  Dim d = dims[next];
  const std::vector<int64_t> &options =
      fixed[d].empty() ? usefulFactors(nest.bound[d], budget) : fixed[d];
  for (int64_t f : options) {
    if (f > budget)
      continue;
    current[d] = f;
    enumerateSide(nest, dims, next + 1, budget / f, current, fixed, out);
  }
  current[d] = 1;
}

// An unrolling is maximal when no single row or column factor can grow,
// within the array, to a value that saves array steps. Smaller ones leave
// PEs idle that the dataflow could use, and are not searched.
bool isMaximal(const Accelerator &accel, const LoopNest &nest,
               const SpatialChoice &s, const DataflowRules &rules,
               const PerDim<std::vector<int64_t>> &fixedRows) {
  int64_t usedRows = 1, usedCols = 1;
  for (int d = 0; d < kNumDims; ++d) {
    usedRows *= s.rows[d];
    usedCols *= s.cols[d];
  }
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    int64_t total = s.rows[d] * s.cols[d];
    int64_t steps = ceilDiv(nest.bound[d], total);
    if (steps == 1)
      continue;
    // The smallest total that needs one step less.
    int64_t target = ceilDiv(nest.bound[d], steps - 1);
    if (rules.allowsRow(d) && fixedRows[d].empty()) {
      int64_t need = ceilDiv(target, s.cols[d]);
      if ((usedRows / s.rows[d]) * need <= accel.pe_rows &&
          need * s.cols[d] <= nest.bound[d])
        return false;
    }
    if (rules.allowsCol(d)) {
      int64_t need = ceilDiv(target, s.rows[d]);
      if ((usedCols / s.cols[d]) * need <= accel.pe_cols &&
          need * s.rows[d] <= nest.bound[d])
        return false;
    }
  }
  return true;
}

int64_t largestPrimeFactor(int64_t n) {
  int64_t largest = 1;
  for (int64_t p = 2; p * p <= n; ++p)
    while (n % p == 0) {
      largest = p;
      n /= p;
    }
  return n > 1 ? std::max(largest, n) : largest;
}

std::vector<int64_t> divisors(int64_t n) {
  std::vector<int64_t> small, large;
  for (int64_t d = 1; d * d <= n; ++d)
    if (n % d == 0) {
      small.push_back(d);
      if (d * d != n)
        large.push_back(n / d);
    }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

void addFactorisations(int64_t steps, int64_t bound,
                       std::vector<TemporalChoice> &out) {
  std::vector<int64_t> all = divisors(steps);
  for (int64_t rf : all)
    for (int64_t glb : all) {
      if ((steps / rf) % glb)
        continue;
      TemporalChoice t{rf, glb, steps / rf / glb};
      if (t.rf <= bound && t.glb <= bound && t.dram <= bound)
        out.push_back(t);
    }
}

} // namespace

std::vector<SpatialChoice> spatialChoices(const Accelerator &accel,
                                          const LoopNest &nest) {
  DataflowRules rules = dataflowRules(accel.dataflow);
  std::vector<Dim> rowDims, colDims;
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    if (nest.bound[d] == 1)
      continue;
    if (rules.allowsRow(d))
      rowDims.push_back(d);
    if (rules.allowsCol(d))
      colDims.push_back(d);
  }
  PerDim<std::vector<int64_t>> fixedRows, noFixed;
  // Row stationary: all filter rows over PE rows whenever they fit.
  if (rules.row_stationary && nest.bound[R] <= accel.pe_rows)
    fixedRows[R] = {nest.bound[R]};

  std::vector<PerDim<int64_t>> rows, cols;
  PerDim<int64_t> ones{1, 1, 1, 1, 1, 1, 1};
  PerDim<int64_t> scratch = ones;
  enumerateSide(nest, rowDims, 0, accel.pe_rows, scratch, fixedRows, rows);
  scratch = ones;
  enumerateSide(nest, colDims, 0, accel.pe_cols, scratch, noFixed, cols);
  // Very large arrays: keep only the assignments of each side that are
  // maximal on their own, so the product stays small.
  if (rows.size() * cols.size() > 200000) {
    auto sideMaximal = [&](std::vector<PerDim<int64_t>> &side, bool isRow) {
      std::vector<PerDim<int64_t>> kept;
      for (const auto &f : side) {
        SpatialChoice alone{isRow ? f : ones, isRow ? ones : f, 1};
        DataflowRules one = rules;
        (isRow ? one.col_dims : one.row_dims) = 0;
        if (isMaximal(accel, nest, alone, one, fixedRows))
          kept.push_back(f);
      }
      side = kept;
    };
    sideMaximal(rows, true);
    sideMaximal(cols, false);
  }

  std::vector<SpatialChoice> out;
  for (const auto &c : cols)
    for (const auto &r : rows) {
      SpatialChoice choice{r, c, 1};
      PerDim<int64_t> total;
      bool legal = true;
      for (int d = 0; d < kNumDims; ++d) {
        total[d] = r[d] * c[d];
        legal = legal && total[d] <= nest.bound[d];
        choice.steps *= ceilDiv(nest.bound[d], total[d]);
      }
      if (legal && isMaximal(accel, nest, choice, rules, fixedRows))
        out.push_back(choice);
    }
  // Ties in steps: fewer words copied into several PEs first (each copy is
  // an RF write and a NoC transfer), then more PEs used.
  std::array<int64_t, kNumDataTypes> words;
  {
    Mapping whole;
    for (int d = 0; d < kNumDims; ++d)
      whole.factors[DRAM][d] = nest.bound[d];
    words = tileWords(nest, whole, DRAM);
  }
  for (SpatialChoice &s : out) {
    s.copied_words = 0;
    s.used_pes = 1;
    for (int t = 0; t < kNumDataTypes; ++t) {
      int64_t copies = 1;
      for (int d = 0; d < kNumDims; ++d)
        if (!nest.relevant(DataType(t), Dim(d)))
          copies *= s.rows[d] * s.cols[d];
      s.copied_words += words[t] * copies;
    }
    for (int d = 0; d < kNumDims; ++d)
      s.used_pes *= s.rows[d] * s.cols[d];
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const SpatialChoice &a, const SpatialChoice &b) {
                     if (a.steps != b.steps)
                       return a.steps < b.steps;
                     if (a.copied_words != b.copied_words)
                       return a.copied_words < b.copied_words;
                     return a.used_pes > b.used_pes;
                   });
  // Drop unrollings with the same per-dimension products (same cost).
  std::set<PerDim<int64_t>> seen;
  std::vector<SpatialChoice> unique;
  for (const SpatialChoice &s : out) {
    PerDim<int64_t> total;
    for (int d = 0; d < kNumDims; ++d)
      total[d] = s.rows[d] * s.cols[d];
    if (seen.insert(total).second)
      unique.push_back(s);
  }
  return unique;
}

std::vector<TemporalChoice> temporalChoices(const Accelerator &accel,
                                            const LoopNest &nest, Dim dim,
                                            int64_t spatial) {
  int64_t bound = nest.bound[dim];
  int64_t steps = ceilDiv(bound, spatial);
  std::vector<TemporalChoice> out;
  if (dataflowRules(accel.dataflow).row_stationary && dim == S) {
    out.push_back({bound, 1, 1}); // a whole filter row per PE
    return out;
  }
  addFactorisations(steps, bound, out);
  // An awkward step count (a large prime factor) also gets the tilings of
  // the next 7-smooth count, padding the last tile.
  if (steps < (1 << 16) && largestPrimeFactor(steps) > 7) {
    int64_t smooth = steps + 1;
    while (largestPrimeFactor(smooth) > 7)
      ++smooth;
    if (smooth * spatial <= 2 * bound)
      addFactorisations(smooth, bound, out);
  }
  return out;
}

Permutation stationaryOrder(DataType stationary) {
  switch (stationary) {
  case Weights:
    return {K, C, R, S, N, P, Q};
  case Inputs:
    return {C, R, S, N, P, Q, K};
  case Outputs:
    return {K, N, P, Q, C, R, S};
  }
  return identityPermutation();
}

const std::array<Permutation, 3> &candidateOrders() {
  static const std::array<Permutation, 3> orders = {
      stationaryOrder(Weights), stationaryOrder(Inputs),
      stationaryOrder(Outputs)};
  return orders;
}

Permutation rfOrder(Dataflow dataflow) {
  return stationaryOrder(dataflowRules(dataflow).stationary);
}

Mapping assemble(const SpatialChoice &spatial,
                 const PerDim<TemporalChoice> &temporal,
                 const Permutation &dramOrder, const Permutation &glbOrder,
                 const Permutation &rf) {
  Mapping m;
  m.spatial_rows = spatial.rows;
  m.spatial_cols = spatial.cols;
  for (int d = 0; d < kNumDims; ++d) {
    m.factors[RF][d] = temporal[d].rf;
    m.factors[GLB][d] = temporal[d].glb;
    m.factors[DRAM][d] = temporal[d].dram;
  }
  m.permutation[DRAM] = dramOrder;
  m.permutation[GLB] = glbOrder;
  m.permutation[RF] = rf;
  return m;
}

} // namespace hdx::mapper
