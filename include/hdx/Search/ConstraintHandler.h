//===- ConstraintHandler.h - Enforcing hard constraints ---------*- C++ -*-===//
//
// One interface over the four ways the search enforces its constraints,
// selected by `method.name` (or `--method`):
//   hdx       corrects the gradient with the HDX rule (ConstraintRule.h);
//   soft      adds lambda * sum_i t_i / T_i to the loss, lambda fixed
//             (DANCE-style penalty);
//   adaptive  adds sum_i lambda_i * t_i / T_i; after every step lambda_i is
//             multiplied by `factor` if t_i >= T_i and divided by it otherwise
//             (Auto-NBA), kept within [1e-6, 1e6] * lambda0;
//   tfnas     adds lambda * sum_i |t_i / T_i - 1| (TF-NAS).
// Metrics are divided by their limits so that one lambda fits all units.
// A constraint counts as violated while t_i >= T_i, as in the HDX rule.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_CONSTRAINTHANDLER_H
#define HDX_SEARCH_CONSTRAINTHANDLER_H

#include "hdx/Search/Config.h"
#include "hdx/Search/ConstraintRule.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <vector>

namespace hdx::search {

class ConstraintHandler {
public:
  /// `limits`: T_i of each constrained metric, in a fixed order the caller
  /// keeps for `penalty`, `correct` and `endStep`.
  ConstraintHandler(const MethodConfig &config, std::vector<double> limits);

  ConstraintMethod method() const { return config_.method; }
  int size() const { return static_cast<int>(limits_.size()); }
  const std::vector<double> &limits() const { return limits_; }

  /// The loss-side term for the metrics' current (differentiable) values;
  /// an undefined tensor for `hdx` or without constraints.
  at::Tensor penalty(const std::vector<at::Tensor> &metrics) const;

  /// Whether `correct` changes the gradient (it then needs the constraint
  /// gradients): true for `hdx` with at least one constraint.
  bool correctsGradient() const;

  /// `hdx`: the HDX rule on the flat gradient `g` ([n]) with the constraint
  /// gradients `constraintGrads` ([m, n]); other methods return `g`.
  at::Tensor correct(const at::Tensor &g, const at::Tensor &constraintGrads,
                     const std::vector<double> &values);

  /// Ends a step with the metric values it was taken at: adapts lambda_i
  /// (`adaptive`) and records which constraints were violated.
  void endStep(const std::vector<double> &values);

  /// Constraints violated at the last step.
  const std::vector<bool> &violated() const { return violated_; }
  /// The HDX margins delta_i for the next step (`hdx`), else empty.
  std::vector<double> deltas() const;
  /// The penalty weights lambda_i (loss-side methods), else empty.
  std::vector<double> lambdas() const;
  /// `hdx`: whether the last correction met every violated constraint.
  bool lastCorrectionFeasible() const { return feasible_; }

private:
  MethodConfig config_;
  std::vector<double> limits_;
  std::vector<double> lambdas_;
  std::optional<HdxRule> rule_;
  std::vector<bool> violated_;
  bool feasible_ = true;
};

} // namespace hdx::search

#endif // HDX_SEARCH_CONSTRAINTHANDLER_H
