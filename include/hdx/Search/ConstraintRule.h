//===- ConstraintRule.h - Hard constraints on the search gradient -*- C++ -*-===//
//
// The HDX rule. Let g be the gradient of the search objective with respect to
// the flat vector of architecture and hardware parameters, and g_i the
// gradient of constrained metric t_i with limit T_i. While t_i >= T_i a
// descent step (theta <- theta - eta * g) must also lower t_i, so the rule
// requires <g, g_i> >= delta_i. With one violated constraint and
// <g, g_i> < delta_i this is the correction
//     g <- g + ((delta_i - <g, g_i>) / ||g_i||^2) * g_i,
// after which <g, g_i> = delta_i. With several violated constraints the rule
// takes the smallest correction d (minimum ||d||) with
// <g + d, g_i> >= delta_i for all of them: a tiny quadratic program solved
// exactly over the Gram matrix G G^T (see minimalCorrection). delta_i starts
// at delta_0, grows by a factor w > 1 for every step the constraint stays
// violated and returns to delta_0 once it holds.
//
// A constraint that holds this step but was violated within the last `hold`
// steps stays in the program with target 0: the step may not raise it
// (<g, g_i> >= 0), whether it is a correction or the objective's own step.
// Without that memory, two limits that pull the design in opposite
// directions (latency wants a larger array, area a smaller one) take turns:
// each correction, blind to the other limit, undoes the last one, and the
// search ping-pongs between two designs that each miss one limit. When no
// constraint is violated or held, g is left unchanged.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_CONSTRAINTRULE_H
#define HDX_SEARCH_CONSTRAINTRULE_H

#include <ATen/core/Tensor.h>

#include <vector>

namespace hdx::search {

/// The minimum-norm d with <g + d, G_i> >= targets[i] for every row i of
/// `constraintGrads` ([m, n]; `g` is [n]). Rows with zero norm cannot be
/// influenced and are left out. Computed in double precision and returned in
/// g's dtype. `feasible` (optional) reports whether all rows could be met; if
/// not (gradients pulling in opposite directions), d is the least-squares
/// solution of <g + d, G_i> = targets[i].
at::Tensor minimalCorrection(const at::Tensor &g, const at::Tensor &constraintGrads,
                             const std::vector<double> &targets,
                             bool *feasible = nullptr);

/// `correction` ([n], per unit of learning rate) scaled down, direction
/// kept, so that no parameter moves by more than `maxLogits` in one step:
/// max_j rates[j] * |correction[j]| <= maxLogits. The minimal correction
/// grows as one over the norm of the metrics' gradients, which vanishes as
/// the softmax saturates; unbounded, one step can move a logit by 1e19 and
/// freeze the distribution for the rest of the search. 0 leaves it unbounded.
/// Within the bound, `correction` itself is returned (not a copy).
at::Tensor boundCorrection(const at::Tensor &correction, const at::Tensor &rates,
                           double maxLogits);

/// The HDX gradient rule with its per-constraint margins delta_i.
class HdxRule {
public:
  /// `hold`: steps a constraint stays held (target 0) after its last
  /// violation; 0 turns the memory off.
  HdxRule(int numConstraints, double delta0, double growth, int hold = 0);

  struct Outcome {
    at::Tensor gradient;         // the corrected gradient
    std::vector<bool> violated;  // t_i >= T_i this step
    std::vector<bool> held;      // held this step (not violated, recently was)
    std::vector<double> deltas;  // delta_i this step (raised to its floor
                                 // where violated)
    bool feasible = true;        // every active constraint could be met
  };

  /// Applies the rule for one step: `g` is [n], `constraintGrads` is [m, n]
  /// (row i = gradient of t_i), `values` and `limits` hold t_i and T_i.
  /// `floors` (empty, or one per constraint) raises a violated constraint's
  /// target this step to max(delta_i, floors[i]) without changing delta_i's
  /// schedule. Updates the margins for the next step.
  Outcome apply(const at::Tensor &g, const at::Tensor &constraintGrads,
                const std::vector<double> &values,
                const std::vector<double> &limits,
                const std::vector<double> &floors = {});

  /// The last apply's program on another direction `step` ([n]): the
  /// minimal change that makes `step` meet the same targets for the same
  /// constraints, without touching the rule's state. For an optimizer whose
  /// step is not the gradient it was given (Adam), so the step it takes can
  /// be held to the rule too.
  at::Tensor enforce(const at::Tensor &step,
                     const at::Tensor &constraintGrads) const;

  /// The margins the next step will use.
  const std::vector<double> &deltas() const { return deltas_; }
  /// Restores deltas() (from a checkpoint).
  void setDeltas(std::vector<double> deltas) { deltas_ = std::move(deltas); }
  /// Steps since each constraint's last violation (hold + 1 once it is
  /// no longer held), for a checkpoint.
  const std::vector<int> &stepsSinceViolation() const { return since_; }
  void setStepsSinceViolation(std::vector<int> since) {
    since_ = std::move(since);
  }
  double delta0() const { return delta0_; }
  double growth() const { return growth_; }
  int hold() const { return hold_; }

private:
  double delta0_;
  double growth_;
  int hold_;
  std::vector<double> deltas_;
  std::vector<int> since_;
  // The last apply's program: active rows and their targets.
  std::vector<int64_t> active_;
  std::vector<double> targets_;
};

} // namespace hdx::search

#endif // HDX_SEARCH_CONSTRAINTRULE_H
