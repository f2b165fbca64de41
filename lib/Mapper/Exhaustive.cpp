//===- Exhaustive.cpp - Brute force over the whole mapspace ---------------===//
#include "hdx/Mapper/Mapper.h"

#include "Evaluator.h"

namespace hdx::mapper {

using namespace hdx;
using namespace hdx::cost;

namespace {

struct Space {
  std::vector<SpatialChoice> spatial;
  std::vector<PerDim<std::vector<TemporalChoice>>> temporal;
};

Space buildSpace(const CostModel &model, const LoopNest &nest) {
  Space space;
  space.spatial = spatialChoices(model.accelerator(), nest);
  for (const SpatialChoice &s : space.spatial) {
    PerDim<std::vector<TemporalChoice>> perDim;
    for (int d = 0; d < kNumDims; ++d)
      perDim[d] = temporalChoices(model.accelerator(), nest, Dim(d),
                                  s.rows[d] * s.cols[d]);
    space.temporal.push_back(perDim);
  }
  return space;
}

int64_t countPoints(const Space &space) {
  int64_t total = 0;
  for (const auto &perDim : space.temporal) {
    int64_t product = 1;
    for (const auto &choices : perDim)
      product = product > (int64_t(1) << 40) ? product
                                             : product * int64_t(choices.size());
    total += product;
  }
  return total;
}

} // namespace

int64_t mapspaceSize(const CostModel &model, const LoopNest &nest) {
  return countPoints(buildSpace(model, nest));
}

Expected<MapResult> exhaustiveSearch(const CostModel &model,
                                     const LoopNest &nest, Objective objective,
                                     int64_t max_points) {
  Space space = buildSpace(model, nest);
  int64_t points = countPoints(space);
  if (points > max_points)
    return Status::failure("mapspace has " + std::to_string(points) +
                           " points, more than the limit " +
                           std::to_string(max_points));
  detail::Evaluator eval(model, nest, objective);
  MapResult best;
  bool found = false;
  for (size_t i = 0; i < space.spatial.size(); ++i) {
    const auto &choices = space.temporal[i];
    PerDim<size_t> index{0, 0, 0, 0, 0, 0, 0};
    while (true) {
      PerDim<TemporalChoice> pick;
      for (int d = 0; d < kNumDims; ++d)
        pick[d] = choices[d][index[d]];
      Mapping m = assemble(space.spatial[i], pick, candidateOrders()[0],
                           candidateOrders()[0], rfOrder(model.accelerator().dataflow));
      LayerCost cost;
      if (eval.evaluate(m, cost) &&
          (!found || better(cost, best.cost, objective))) {
        best.mapping = m;
        best.cost = cost;
        found = true;
      }
      int d = kNumDims - 1;
      while (d >= 0 && ++index[d] == choices[d].size()) {
        index[d] = 0;
        --d;
      }
      if (d < 0)
        break;
    }
  }
  if (!found)
    return Status::failure("no mapping fits the buffers");
  best.evaluations = eval.evaluations();
  return best;
}

} // namespace hdx::mapper
