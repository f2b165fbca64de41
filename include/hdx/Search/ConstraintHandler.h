//===- ConstraintHandler.h - Enforcing hard constraints ---------*- C++ -*-===//
//
// One interface over the ways the search treats its limits, selected by
// `method.name` (or `--method`). Every method sees each constrained metric
// as the dimensionless ratio r_i = t_i / T_i, so one setting fits every unit:
//   hdx          corrects the gradient with the HDX rule (ConstraintRule.h)
//                while r_i >= 1 - margin; with several limits and
//                `hdx.limits: worst` (the default) the rule's one metric is
//                w = sum_h P(h) * max_i r_i(h), the worst ratio per hardware
//                point h, judged by max_i r_i: a step that lowers w moves
//                the accelerator toward points that meet every limit, where
//                correcting each violated r_i alone favours the points that
//                are best at that one metric and trade the others away;
//   dance        no limit during the search: loss + lambda * Cost_HW with
//                the method's own lambda (DANCE; the trade-off is chosen by
//                sweeping lambda);
//   soft         adds lambda * sum_i max(0, r_i - 1): a penalty only while a
//                limit is exceeded, lambda fixed;
//   adaptive     adds sum_i lambda_i * r_i; lambda_i is multiplied by
//                `factor` after every step with r_i >= 1 and divided by it
//                after a step with r_i < 1 - band, unchanged inside the band
//                (Auto-NBA), kept within [1e-6, 1e6] * lambda0;
//   tfnas        adds lambda * sum_i |r_i - 1| (TF-NAS, lambda = 0.1);
//   nas-then-hw  no hardware term and no limit during the search: the
//                network is searched for accuracy alone; the accelerator is
//                chosen for it afterwards (Oracle.h).
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
  /// keeps for `penalty`, `correct` and `endStep`. `pointwiseCost`: whether
  /// the cost resolves the hardware points (ExpectedCost::per_point), which
  /// the worst ratio needs; without it hdx treats the limits one by one.
  ConstraintHandler(const MethodConfig &config, std::vector<double> limits,
                    bool pointwiseCost = false);

  ConstraintMethod method() const { return config_.method; }
  int size() const { return static_cast<int>(limits_.size()); }
  const std::vector<double> &limits() const { return limits_; }

  /// The weight of the normalised Cost_HW in the search loss: `dance`'s own
  /// lambda, 0 for `nas-then-hw`, `objectiveLambda` for the others.
  double costWeight(double objectiveLambda) const;
  /// False for `nas-then-hw`, whose search leaves the hardware alone.
  bool searchesHardware() const {
    return config_.method != ConstraintMethod::NasThenHw;
  }

  /// The loss-side term for the metrics' current (differentiable) values
  /// t_i; an undefined tensor for the methods without one.
  at::Tensor penalty(const std::vector<at::Tensor> &metrics) const;

  /// Whether `correct` changes the gradient (it then needs the constraint
  /// gradients): true for `hdx` with at least one constraint.
  bool correctsGradient() const;

  /// Whether `hdx` corrects the worst ratio w rather than each r_i (then
  /// `correct` and `enforceOnStep` take w's gradient, [1, n]).
  bool combinesLimits() const;
  /// w = sum_h P(h) * max_i per_point_i(h) / T_i from the metrics expected
  /// per hardware point (`perPoint`, one [points] tensor per constraint)
  /// and the hardware distribution P: differentiable, dimensionless.
  at::Tensor worstRatio(const std::vector<at::Tensor> &perPoint,
                        const at::Tensor &hardwareProbs) const;

  /// `hdx`: the HDX rule on the flat gradient `g` ([n]) with the gradients
  /// of the metrics t_i (`metricGrads`, [m, n]) at the judged values t_i;
  /// the rule works on r_i = t_i / T_i, or, when `combinesLimits`, on w
  /// (`metricGrads` is then w's gradient, judged by max_i t_i / T_i). Other
  /// methods return `g`.
  /// `floors` (empty, or one per rule row) raises a violated row's margin
  /// for this step (HdxRule::apply).
  at::Tensor correct(const at::Tensor &g, const at::Tensor &metricGrads,
                     const std::vector<double> &values,
                     const std::vector<double> &floors = {});

  /// `hdx`: per rule row, the margin a step must ask for so that steps of
  /// learning rate `rate`, each lowering the row's expected ratio by the
  /// same amount to first order, bring it from `expected` down to
  /// 1 - margin within `stepsLeft` steps: max(0, r - (1 - margin)) /
  /// (rate * stepsLeft). `expected` holds the rule rows' expected values:
  /// t_i (ratios r_i = t_i / T_i are taken here), or, when `combinesLimits`,
  /// the worst ratio w itself.
  std::vector<double> deadlineFloors(const std::vector<double> &expected,
                                     double rate, double stepsLeft) const;

  /// `hdx`: the last `correct`'s program applied to the step an optimizer
  /// took instead (per unit of its learning rate), so that the step itself
  /// meets the margins; other methods return `step`. Changes no state.
  at::Tensor enforceOnStep(const at::Tensor &step,
                           const at::Tensor &metricGrads) const;

  /// Ends a step with the judged metric values t_i: adapts lambda_i
  /// (`adaptive`) and records which constraints were violated.
  void endStep(const std::vector<double> &values);

  /// Constraints the last step acted on: for `hdx` those with
  /// r_i >= 1 - margin, for the others those with r_i >= 1.
  const std::vector<bool> &violated() const { return violated_; }
  /// The HDX margins delta_i for the next step (`hdx`; when it combines the
  /// limits, the worst ratio's delta for each), else empty.
  std::vector<double> deltas() const;
  /// The margins the last `correct` used (raised to their floors), one per
  /// limit like deltas(); empty before the first.
  const std::vector<double> &deltasUsed() const { return deltasUsed_; }
  /// The penalty weights lambda_i (penalty methods), else empty.
  std::vector<double> lambdas() const;
  /// `hdx`: whether the last correction met every violated constraint.
  bool lastCorrectionFeasible() const { return feasible_; }

  /// What changes from step to step (lambda_i, delta_i, the last step's
  /// verdicts) as numbers, for a checkpoint; restoreState reads it back into
  /// a handler of the same configuration (false if it does not fit).
  std::vector<double> state() const;
  bool restoreState(const std::vector<double> &state);

private:
  bool isViolated(size_t i, double value) const;
  /// Gradients of t_i as gradients of r_i = t_i / T_i.
  at::Tensor ratioGradients(const at::Tensor &metricGrads) const;

  MethodConfig config_;
  std::vector<double> limits_;
  std::vector<double> lambdas_;
  std::optional<HdxRule> rule_;
  std::vector<bool> violated_;
  bool combines_ = false;
  bool feasible_ = true;
  std::vector<double> deltasUsed_;
};

} // namespace hdx::search

#endif // HDX_SEARCH_CONSTRAINTHANDLER_H
