//===- RandomMappings.h - Random layers and mappings for tests --*- C++ -*-===//
#ifndef HDX_TEST_UNIT_COST_RANDOMMAPPINGS_H
#define HDX_TEST_UNIT_COST_RANDOMMAPPINGS_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Cost/Mapping.h"

#include <algorithm>
#include <random>

namespace hdx::cost::testing {

inline int64_t uniform(std::mt19937_64 &rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// A small conv (plain, strided, dilated, depthwise or grouped) or fc layer.
inline Layer randomLayer(std::mt19937_64 &rng) {
  while (true) {
    Layer l;
    int shape = int(uniform(rng, 0, 5));
    l.kind = shape == 5 ? LayerKind::FC : LayerKind::Conv;
    l.n = uniform(rng, 1, 2);
    l.k = uniform(rng, 1, 5);
    l.c = uniform(rng, 1, 4);
    if (l.kind == LayerKind::Conv) {
      l.r = uniform(rng, 1, 3);
      l.s = uniform(rng, 1, 3);
      l.p = uniform(rng, 1, 5);
      l.q = uniform(rng, 1, 4);
      l.stride_h = uniform(rng, 1, 3);
      l.stride_w = uniform(rng, 1, 2);
      l.dilation_h = uniform(rng, 1, 2);
      l.dilation_w = uniform(rng, 1, 3);
      l.pad_h = uniform(rng, 0, 1);
      l.pad_w = uniform(rng, 0, 1);
      if (shape == 3) { // depthwise
        l.c = l.k;
        l.groups = l.k;
      } else if (shape == 4) { // two groups of several channels
        l.k = 2 * uniform(rng, 1, 3);
        l.c = 2 * uniform(rng, 1, 2);
        l.groups = 2;
      }
    }
    if (validate(l).ok())
      return l;
  }
}

/// A random structurally valid mapping: random tile factors (often not
/// dividing the bounds), spatial unrolling within rows x cols, random loop
/// orders.
inline Mapping randomMapping(const LoopNest &nest, int64_t rows, int64_t cols,
                             std::mt19937_64 &rng) {
  Mapping m;
  int order[kNumDims] = {0, 1, 2, 3, 4, 5, 6};
  std::shuffle(order, order + kNumDims, rng);
  int64_t rowBudget = rows, colBudget = cols;
  for (int d : order) {
    int64_t b = nest.bound[d];
    int64_t rf = uniform(rng, 1, b);
    int64_t sr = uniform(rng, 1, std::min(rowBudget, ceilDiv(b, rf)));
    int64_t sc = uniform(rng, 1, std::min(colBudget, ceilDiv(b, rf * sr)));
    if (uniform(rng, 0, 2) == 0)
      sr = sc = 1;
    rowBudget /= sr;
    colBudget /= sc;
    int64_t glb = uniform(rng, 1, ceilDiv(b, rf * sr * sc));
    m.factors[RF][d] = rf;
    m.spatial_rows[d] = sr;
    m.spatial_cols[d] = sc;
    m.factors[GLB][d] = glb;
    m.factors[DRAM][d] = ceilDiv(b, rf * sr * sc * glb);
  }
  for (auto &perm : m.permutation)
    std::shuffle(perm.begin(), perm.end(), rng);
  return m;
}

/// Moves `m` into the mapspace of a dataflow: disallowed spatial factors
/// go to DRAM, the stationary tensor's irrelevant RF loops go innermost,
/// rs gets its filter rows on PE rows and whole filter rows in the RF.
inline Mapping conformToDataflow(const Accelerator &accel,
                                 const LoopNest &nest, Mapping m) {
  DataflowRules rules = dataflowRules(accel.dataflow);
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    if (!rules.allowsRow(d))
      m.spatial_rows[d] = 1;
    if (!rules.allowsCol(d))
      m.spatial_cols[d] = 1;
  }
  if (rules.row_stationary) {
    m.spatial_cols[R] = 1;
    m.factors[RF][R] = m.factors[GLB][R] = 1;
    m.spatial_rows[R] = 1;
    if (nest.bound[R] <= accel.pe_rows) {
      int64_t used = 1;
      for (int d = 0; d < kNumDims; ++d)
        used *= m.spatial_rows[d];
      if (nest.bound[R] * used > accel.pe_rows)
        for (int d = 0; d < kNumDims; ++d)
          m.spatial_rows[d] = 1;
      m.spatial_rows[R] = nest.bound[R];
    } else {
      m.factors[GLB][R] = nest.bound[R];
    }
    m.factors[RF][S] = nest.bound[S];
    m.factors[GLB][S] = 1;
    m.spatial_rows[S] = m.spatial_cols[S] = 1;
    m.factors[RF][S] = nest.bound[S];
  }
  for (int d = 0; d < kNumDims; ++d) {
    int64_t inner = m.factors[RF][d] * m.spatial(static_cast<Dim>(d)) *
                    m.factors[GLB][d];
    m.factors[DRAM][d] = ceilDiv(nest.bound[d], inner);
  }
  std::stable_partition(m.permutation[RF].begin(), m.permutation[RF].end(),
                        [&](Dim d) { return nest.relevant(rules.stationary, d); });
  return m;
}

} // namespace hdx::cost::testing

#endif // HDX_TEST_UNIT_COST_RANDOMMAPPINGS_H
