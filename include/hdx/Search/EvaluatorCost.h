//===- EvaluatorCost.h - a learned hardware cost (DANCE-style) --*- C++ -*-===//
//
// A small MLP that maps (architecture probabilities, the hardware
// distribution's per-dimension marginals) to (latency, energy, area), trained
// before the search on designs sampled uniformly from the space and
// labelled exactly by the cost tables (mapper + cost model). It predicts
// log-metrics, standardized; its accuracy is measured on held-out designs.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_EVALUATORCOST_H
#define HDX_SEARCH_EVALUATORCOST_H

#include "hdx/Search/CostTables.h"
#include "hdx/Search/DifferentiableCost.h"
#include "hdx/Support/Expected.h"

#include <array>
#include <memory>

namespace hdx::search {

struct EvaluatorAccuracy {
  int train_samples = 0, test_samples = 0;
  /// Per metric (Metric order), on the held-out designs: mean |predicted -
  /// exact| / exact, and accuracy = 1 - that error.
  std::array<double, kNumMetrics> mean_relative_error{};
  std::array<double, kNumMetrics> accuracy{};
  double train_seconds = 0;
};

class EvaluatorCost : public DifferentiableCost {
public:
  ~EvaluatorCost() override;

  /// Samples `samples` designs (80% to train, 20% held out), trains for
  /// `epochs` on `device` and measures the held-out accuracy.
  static Expected<std::unique_ptr<EvaluatorCost>>
  train(const CostTables &tables, const NetworkSpace &space, int samples,
        int epochs, uint64_t seed, c10::Device device = c10::kCPU);

  ExpectedCost expected(const at::Tensor &archProbs,
                        const at::Tensor &hwProbs) override;
  std::string name() const override { return "evaluator"; }
  std::optional<Metrics> exact(const std::vector<int> &architecture,
                               const HardwareChoice &hardware) const override {
    return tables_->measure(architecture, tables_->index(hardware));
  }

  const EvaluatorAccuracy &accuracy() const { return accuracy_; }

private:
  struct Model;
  explicit EvaluatorCost(const CostTables &tables);
  const CostTables *tables_;
  std::unique_ptr<Model> model_;
  EvaluatorAccuracy accuracy_;
};

} // namespace hdx::search

#endif // HDX_SEARCH_EVALUATORCOST_H
