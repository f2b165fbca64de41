//===- Evaluator.h - Cost of a tiling under its best loop orders -*- C++ -*-===//
//
// Internal to lib/Mapper. Loop orders change only how often tiles are
// refetched, never what fits, so a tiling is checked for capacity and
// analysed once, then costed under the candidate DRAM x GLB orders. A level
// whose loops all belong to one tensor's group behaves the same under
// several canonical orders; those duplicates are skipped.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_LIB_MAPPER_EVALUATOR_H
#define HDX_LIB_MAPPER_EVALUATOR_H

#include "hdx/Mapper/Mapspace.h"

namespace hdx::mapper::detail {

class Evaluator {
public:
  Evaluator(const cost::CostModel &model, const cost::LoopNest &nest,
            Objective objective)
      : model_(model), nest_(nest), objective_(objective),
        orders_(candidateOrders()),
        rf_order_(rfOrder(model.accelerator().dataflow)) {}

  /// Costs `m` (its factors and spatial unrolling) under every distinct
  /// candidate order; on success `m` carries the best orders and `cost`
  /// their cost. False when the tiles do not fit.
  bool evaluate(cost::Mapping &m, cost::LayerCost &cost) {
    if (!cost::fitsBuffers(model_.accelerator(), nest_, m))
      return false;
    cost::TilingAnalysis tiling = model_.analyse(nest_, m);
    m.permutation[cost::RF] = rf_order_;
    size_t dram[3] = {0, 0, 0}, glb[3] = {0, 0, 0};
    size_t numDram = distinctOrders(m, cost::DRAM, dram);
    size_t numGlb = distinctOrders(m, cost::GLB, glb);
    cost::Permutation dramOrders[3], glbOrders[3];
    for (size_t i = 0; i < numDram; ++i)
      dramOrders[i] = orders_[dram[i]];
    for (size_t j = 0; j < numGlb; ++j)
      glbOrders[j] = orders_[glb[j]];
    model_.evaluateOrders(nest_, m, tiling, dramOrders, numDram, glbOrders,
                          numGlb, costs_);
    evaluations_ += int64_t(numDram * numGlb);
    size_t best = 0;
    for (size_t k = 1; k < numDram * numGlb; ++k)
      if (better(costs_[k], costs_[best], objective_))
        best = k;
    m.permutation[cost::DRAM] = dramOrders[best / numGlb];
    m.permutation[cost::GLB] = glbOrders[best % numGlb];
    cost = costs_[best];
    return true;
  }

  int64_t evaluations() const { return evaluations_; }

private:
  // Candidate orders of a level that differ in effect: each keeps the
  // tensor of the innermost group that has a loop with factor > 1.
  size_t distinctOrders(const cost::Mapping &m, cost::Level level,
                        size_t *out) const {
    int seen = 0;
    size_t count = 0;
    for (size_t i = 0; i < orders_.size(); ++i) {
      int effect = -1; // innermost dimension with a factor > 1
      for (int pos = cost::kNumDims - 1; pos >= 0 && effect < 0; --pos)
        if (m.factors[level][orders_[i][pos]] > 1)
          effect = orders_[i][pos];
      int group = effect < 0 ? 3 : groupOf(static_cast<cost::Dim>(effect));
      if (seen & (1 << group))
        continue;
      seen |= 1 << group;
      out[count++] = i;
    }
    return count;
  }

  // The tensor whose irrelevant dimensions contain d: weights ignore N, P,
  // Q; inputs ignore K (unless depthwise); outputs ignore C, R, S.
  int groupOf(cost::Dim d) const {
    for (int t = 0; t < cost::kNumDataTypes; ++t)
      if (!nest_.relevant(static_cast<cost::DataType>(t), d))
        return t;
    return 3; // relevant to every tensor
  }

  const cost::CostModel &model_;
  const cost::LoopNest &nest_;
  Objective objective_;
  const std::array<cost::Permutation, 3> &orders_;
  cost::Permutation rf_order_;
  int64_t evaluations_ = 0;
  cost::LayerCost costs_[9]; // scratch, reused across calls
};

} // namespace hdx::mapper::detail

#endif // HDX_LIB_MAPPER_EVALUATOR_H
