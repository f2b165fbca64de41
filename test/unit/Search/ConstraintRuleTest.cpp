//===- ConstraintRuleTest.cpp - The HDX gradient rule ---------------------===//
//
// Small analytic problems in R^2: a quadratic objective whose unconstrained
// minimum violates the constraints. Plain gradient descent ends there; with
// the HDX rule the iterates are driven into the feasible region and, with the
// decaying step size the search uses, end at the constrained optimum.
//
//===----------------------------------------------------------------------===//

#include "hdx/Search/ConstraintHandler.h"
#include "hdx/Search/ConstraintRule.h"
#include "hdx/Support/Random.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace hdx;
using namespace hdx::search;

namespace {

at::Tensor vec(std::vector<double> v) { return at::tensor(v, at::kDouble); }

double dot2(const at::Tensor &a, const at::Tensor &b) {
  return a.dot(b).item<double>();
}

/// A constrained metric: value and gradient at x.
struct Constraint {
  std::function<double(const at::Tensor &)> value;
  std::function<at::Tensor(const at::Tensor &)> gradient;
  double limit;
};

struct Trajectory {
  at::Tensor x;
  /// Every step taken while a constraint was violated had <g', g_i> >=
  /// delta_i: to first order, it lowered each violated metric.
  bool marginsMet = true;
  /// ... and it did lower each violated metric (exact for linear metrics).
  bool violatedMetricsDecreased = true;
};

/// Minimizes ||x - target||^2 from x = 0 with a cosine-decayed step size,
/// optionally under the HDX rule.
Trajectory descend(const at::Tensor &target,
                   const std::vector<Constraint> &constraints, bool hdx,
                   int steps = 400, double eta0 = 0.05) {
  HdxRule rule(static_cast<int>(constraints.size()), 0.01, 1.5);
  Trajectory run;
  at::Tensor x = at::zeros({2}, at::kDouble);
  for (int k = 0; k < steps; ++k) {
    double eta = eta0 * 0.5 * (1 + std::cos(M_PI * k / steps));
    at::Tensor g = 2 * (x - target);
    std::vector<double> values, limits;
    std::vector<at::Tensor> rows;
    for (const Constraint &c : constraints) {
      values.push_back(c.value(x));
      limits.push_back(c.limit);
      rows.push_back(c.gradient(x));
    }
    if (!hdx) {
      x = x - eta * g;
      continue;
    }
    HdxRule::Outcome out = rule.apply(g, at::stack(rows), values, limits);
    at::Tensor next = x - eta * out.gradient;
    for (size_t i = 0; i < constraints.size(); ++i) {
      if (!out.violated[i])
        continue;
      run.marginsMet &= dot2(out.gradient, rows[i]) >= out.deltas[i] - 1e-9;
      run.violatedMetricsDecreased &= constraints[i].value(next) < values[i];
    }
    x = next;
  }
  run.x = x;
  return run;
}

Constraint linearSum(double limit) {
  return {[](const at::Tensor &x) { return x.sum().item<double>(); },
          [](const at::Tensor &x) { return at::ones_like(x); }, limit};
}

Constraint squaredNorm(double limit) {
  return {[](const at::Tensor &x) { return dot2(x, x); },
          [](const at::Tensor &x) { return 2 * x; }, limit};
}

Constraint coordinate(int i, double limit) {
  return {[i](const at::Tensor &x) { return x[i].item<double>(); },
          [i](const at::Tensor &x) {
            at::Tensor e = at::zeros_like(x);
            e[i] = 1;
            return e;
          },
          limit};
}

TEST(SearchHdxRule, SingleConstraintIsTheClosedForm) {
  at::Tensor g = vec({1.0, -2.0, 0.5});
  at::Tensor gi = vec({0.5, 1.0, 2.0});
  HdxRule rule(1, 0.3, 2.0);
  auto out = rule.apply(g, gi.unsqueeze(0), {5.0}, {4.0});
  ASSERT_TRUE(out.violated[0]);
  at::Tensor expected = g + (0.3 - dot2(g, gi)) / dot2(gi, gi) * gi;
  EXPECT_TRUE(at::allclose(out.gradient, expected, 1e-12, 1e-12));
  EXPECT_NEAR(dot2(out.gradient, gi), 0.3, 1e-12);
  EXPECT_TRUE(out.feasible);
}

TEST(SearchHdxRule, LeavesTheGradientAloneWhenConstraintsHoldOrAreMet) {
  at::Tensor g = vec({1.0, 2.0});
  HdxRule rule(1, 0.1, 2.0);
  // Constraint holds: plain gradient.
  auto out = rule.apply(g, vec({1.0, 0.0}).unsqueeze(0), {1.0}, {2.0});
  EXPECT_FALSE(out.violated[0]);
  EXPECT_TRUE(at::equal(out.gradient, g));
  // Violated, but the plain step already lowers t enough: <g, g_i> = 1 >= 0.1.
  out = rule.apply(g, vec({1.0, 0.0}).unsqueeze(0), {3.0}, {2.0});
  EXPECT_TRUE(out.violated[0]);
  EXPECT_TRUE(at::allclose(out.gradient, g));
}

TEST(SearchHdxRule, DeltaGrowsWhileViolatedAndResetsWhenMet) {
  HdxRule rule(2, 0.5, 3.0);
  at::Tensor g = at::zeros({2}, at::kDouble);
  at::Tensor G = at::eye(2, at::kDouble);
  const std::vector<double> limits{1.0, 1.0};
  // Constraint 0 violated three steps, holds, violated again; constraint 1
  // violated throughout.
  const std::vector<std::vector<double>> values{
      {2, 2}, {2, 2}, {2, 2}, {0, 2}, {2, 2}};
  const std::vector<std::vector<double>> used{
      {0.5, 0.5}, {1.5, 1.5}, {4.5, 4.5}, {13.5, 13.5}, {0.5, 40.5}};
  for (size_t step = 0; step < values.size(); ++step) {
    auto out = rule.apply(g, G, values[step], limits);
    EXPECT_DOUBLE_EQ(out.deltas[0], used[step][0]) << "step " << step;
    EXPECT_DOUBLE_EQ(out.deltas[1], used[step][1]) << "step " << step;
    // Each violated constraint is met with exactly its margin here (G = I).
    for (int i = 0; i < 2; ++i)
      if (out.violated[i]) {
        EXPECT_NEAR(out.gradient[i].item<double>(), used[step][i], 1e-12);
      }
  }
  EXPECT_DOUBLE_EQ(rule.deltas()[0], 1.5); // violated again at the last step
  EXPECT_DOUBLE_EQ(rule.deltas()[1], 121.5);
}

// A floor raises a violated constraint's target for one step and leaves the
// schedule alone: delta0 = 0.5, growth 3. Step 0 with floor 2: target
// max(0.5, 2) = 2 (G = I, g = 0, so the corrected gradient is the target
// itself); step 1 with floor 0.1: target max(1.5, 0.1) = 1.5, the schedule's
// own; the held-free constraint 1 (holds, r < 1) gets no floor.
TEST(SearchHdxRule, AFloorRaisesTheTargetButNotTheSchedule) {
  HdxRule rule(2, 0.5, 3.0);
  at::Tensor g = at::zeros({2}, at::kDouble);
  at::Tensor G = at::eye(2, at::kDouble);
  auto out = rule.apply(g, G, {2, 0}, {1, 1}, {2.0, 7.0});
  EXPECT_DOUBLE_EQ(out.deltas[0], 2.0);
  EXPECT_NEAR(out.gradient[0].item<double>(), 2.0, 1e-12);
  EXPECT_NEAR(out.gradient[1].item<double>(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(rule.deltas()[0], 1.5);
  out = rule.apply(g, G, {2, 0}, {1, 1}, {0.1, 0.1});
  EXPECT_DOUBLE_EQ(out.deltas[0], 1.5);
  EXPECT_NEAR(out.gradient[0].item<double>(), 1.5, 1e-12);
}

// The deadline's floor by hand: T = 0.055 ms, expected t = 0.11 ms, so r = 2
// and the gap to 1 - margin = 0.98 is 1.02; with rate 0.05 and 10 steps left
// each step must lower r by 0.102, i.e. ask for 0.102 / 0.05 = 2.04 per unit
// of rate. A row already below 0.98 needs nothing. For the worst ratio the
// expected value is already a ratio.
TEST(SearchConstraintHandler, DeadlineFloorSharesTheGapOverTheStepsLeft) {
  MethodConfig config;
  config.hdx_margin = 0.02;
  ConstraintHandler h(config, {0.055, 2.0});
  std::vector<double> floors = h.deadlineFloors({0.11, 1.5}, 0.05, 10);
  ASSERT_EQ(floors.size(), 2u);
  EXPECT_NEAR(floors[0], 2.04, 1e-12);
  EXPECT_DOUBLE_EQ(floors[1], 0.0);

  ConstraintHandler worst(config, {0.055, 2.0}, /*pointwiseCost=*/true);
  ASSERT_TRUE(worst.combinesLimits());
  floors = worst.deadlineFloors({1.48}, 0.1, 5);
  ASSERT_EQ(floors.size(), 1u);
  EXPECT_NEAR(floors[0], 1.0, 1e-12); // (1.48 - 0.98) / (0.1 * 5)
  // The floor reaches the step: g = 0, grad w = (1, 0), w judged 1.48.
  at::Tensor d =
      worst.correct(at::zeros({2}, at::kDouble), vec({1.0, 0.0}).unsqueeze(0),
                    {0.0, 2.96}, floors);
  EXPECT_NEAR(d[0].item<double>(), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(worst.deltasUsed()[0], 1.0);
  EXPECT_DOUBLE_EQ(worst.deltasUsed()[1], 1.0);
}

TEST(SearchHdxRule, LinearConstraintPlainDescentEndsInfeasible) {
  at::Tensor target = vec({2.0, 2.0}); // t = x0 + x1 = 4 > 1 at the minimum
  std::vector<Constraint> cs{linearSum(1.0)};
  Trajectory plain = descend(target, cs, /*hdx=*/false);
  EXPECT_NEAR(plain.x.sum().item<double>(), 4.0, 1e-6);

  Trajectory hdx = descend(target, cs, /*hdx=*/true);
  EXPECT_TRUE(hdx.marginsMet);
  EXPECT_TRUE(hdx.violatedMetricsDecreased);
  // Ends on the boundary at the constrained optimum (0.5, 0.5), approaching
  // it from outside only by the last (vanishing) step sizes.
  EXPECT_LE(hdx.x.sum().item<double>(), 1.0 + 1e-3);
  EXPECT_TRUE(at::allclose(hdx.x, vec({0.5, 0.5}), 0, 1e-3));
}

TEST(SearchHdxRule, QuadraticConstraint) {
  at::Tensor target = vec({2.0, 1.0}); // ||x||^2 = 5 > 1 at the minimum
  std::vector<Constraint> cs{squaredNorm(1.0)};
  Trajectory plain = descend(target, cs, false);
  EXPECT_GT(dot2(plain.x, plain.x), 4.9);
  Trajectory hdx = descend(target, cs, true);
  EXPECT_TRUE(hdx.marginsMet);
  EXPECT_LE(dot2(hdx.x, hdx.x), 1.0 + 1e-3);
  at::Tensor optimum = target / std::sqrt(5.0);
  EXPECT_TRUE(at::allclose(hdx.x, optimum, 0, 1e-3));
}

TEST(SearchHdxRule, SeveralConstraintsAtOnce) {
  at::Tensor target = vec({2.0, 2.0});
  std::vector<Constraint> cs{coordinate(0, 0.5), coordinate(1, 1.0),
                             squaredNorm(1.2)};
  Trajectory plain = descend(target, cs, false);
  EXPECT_NEAR(plain.x[0].item<double>(), 2.0, 1e-6);
  Trajectory hdx = descend(target, cs, true, 600);
  EXPECT_TRUE(hdx.marginsMet);
  for (const Constraint &c : cs)
    EXPECT_LE(c.value(hdx.x), c.limit + 2e-3);
  // The optimum: x0 = 0.5 and x1 on the circle ||x||^2 = 1.2 (below 1.0).
  EXPECT_NEAR(hdx.x[0].item<double>(), 0.5, 2e-3);
  EXPECT_NEAR(hdx.x[1].item<double>(), std::sqrt(1.2 - 0.25), 2e-3);
}

TEST(SearchMinimalCorrection, OnlyNecessaryConstraintsBecomeActive) {
  // Correcting for the first row (shortfall 2) already meets the second
  // (shortfall 1.5): d = (2, 0), not the two-row solution.
  at::Tensor g = vec({-1.0, 0.0});
  at::Tensor G = at::stack({vec({1.0, 0.0}), vec({1.0, 1.0})});
  at::Tensor d = minimalCorrection(g, G, {1.0, 0.5});
  EXPECT_TRUE(at::allclose(d, vec({2.0, 0.0}), 1e-12, 1e-12));
  // Both rows active: d solves G d = b exactly.
  d = minimalCorrection(g, G, {1.0, 3.0});
  EXPECT_TRUE(at::allclose(at::mv(G, g + d), vec({1.0, 3.0}), 1e-12, 1e-12));
}

TEST(SearchMinimalCorrection, MatchesAnIndependentQpSolver) {
  // Hildreth's dual coordinate ascent as the reference.
  Rng rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const int m = 1 + trial % 3, n = 2 + trial % 5;
    at::Tensor g = at::empty({n}, at::kDouble), G = at::empty({m, n}, at::kDouble);
    for (int j = 0; j < n; ++j) {
      g[j] = rng.normal();
      for (int i = 0; i < m; ++i)
        G[i][j] = rng.normal();
    }
    std::vector<double> targets;
    for (int i = 0; i < m; ++i)
      targets.push_back(rng.normal());
    bool feasible = false;
    at::Tensor d = minimalCorrection(g, G, targets, &feasible);
    if (m <= n) {
      EXPECT_TRUE(feasible); // random rows are independent
    }
    if (!feasible) {
      // Farkas: infeasible iff some mu >= 0 has G^T mu = 0 and b^T mu > 0.
      // For three rows in R^2, mu spans the null space of G^T: the cross
      // product of G's columns, up to sign.
      ASSERT_EQ(m, 3);
      ASSERT_EQ(n, 2);
      at::Tensor mu = at::linalg_cross(G.select(1, 0), G.select(1, 1), 0);
      if (mu[0].item<double>() < 0)
        mu = -mu;
      EXPECT_TRUE((mu >= 0).all().item<bool>()) << "trial " << trial;
      at::Tensor b = at::tensor(targets, at::kDouble) - at::mv(G, g);
      EXPECT_GT(dot2(b, mu), 0) << "trial " << trial;
      continue;
    }

    std::vector<double> mu(m, 0), ref(n, 0), b(m);
    auto row = [&](int i, int j) { return G[i][j].item<double>(); };
    std::vector<std::vector<double>> Gv(m, std::vector<double>(n));
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j)
        Gv[i][j] = row(i, j);
      b[i] = targets[i] - dot2(g, G[i]);
    }
    for (int sweep = 0; sweep < 20000; ++sweep)
      for (int i = 0; i < m; ++i) {
        double gd = 0, gg = 0;
        for (int j = 0; j < n; ++j) {
          gd += Gv[i][j] * ref[j];
          gg += Gv[i][j] * Gv[i][j];
        }
        double next = std::max(0.0, mu[i] + (b[i] - gd) / gg);
        for (int j = 0; j < n; ++j)
          ref[j] += (next - mu[i]) * Gv[i][j];
        mu[i] = next;
      }
    EXPECT_TRUE(at::allclose(d, vec(ref), 1e-6, 1e-6))
        << "trial " << trial << "\n" << d;
    at::Tensor achieved = at::mv(G, g + d);
    for (int i = 0; i < m; ++i)
      EXPECT_GE(achieved[i].item<double>(), targets[i] - 1e-9);
  }
}

TEST(SearchMinimalCorrection, OpposingAndZeroGradients) {
  at::Tensor g = vec({0.0, 0.0});
  // Opposite gradients cannot both be lowered.
  bool feasible = true;
  at::Tensor G = at::stack({vec({1.0, 0.0}), vec({-1.0, 0.0})});
  at::Tensor d = minimalCorrection(g, G, {1.0, 1.0}, &feasible);
  EXPECT_FALSE(feasible);
  EXPECT_TRUE(at::isfinite(d).all().item<bool>());
  // A metric that does not depend on the parameters is left out.
  G = at::stack({vec({0.0, 0.0}), vec({0.0, 2.0})});
  d = minimalCorrection(g, G, {1.0, 1.0}, &feasible);
  EXPECT_TRUE(feasible);
  EXPECT_TRUE(at::allclose(d, vec({0.0, 0.5})));
}

TEST(SearchMinimalCorrection, KeepsDtype) {
  at::Tensor g = at::tensor({1.0f, -1.0f});
  at::Tensor G = at::tensor({0.0f, 1.0f}).unsqueeze(0);
  at::Tensor d = minimalCorrection(g, G, {0.5});
  EXPECT_EQ(d.scalar_type(), at::kFloat);
  EXPECT_NEAR(d[1].item<float>(), 1.5f, 1e-6);
}

TEST(SearchBoundCorrection, ScalesTheLargestLogitMoveDownToTheBound) {
  // Rates 0.05 (alpha) and 0.1 (beta): d moves the logits by 0.05 * 40 = 2,
  // 0.05 * -10 = -0.5 and 0.1 * 5 = 0.5. The largest, 2, is cut to 1: every
  // entry is halved, so the direction (and which constraint it serves) stays.
  at::Tensor d = vec({40.0, -10.0, 5.0});
  at::Tensor rates = vec({0.05, 0.05, 0.1});
  EXPECT_TRUE(at::allclose(boundCorrection(d, rates, 1.0),
                           vec({20.0, -5.0, 2.5})));
  // Within the bound, and with the bound off (0), d itself is returned (the
  // search tells a scaled correction by a new tensor).
  EXPECT_TRUE(boundCorrection(d, rates, 2.0).is_same(d));
  EXPECT_TRUE(boundCorrection(d, rates, 0.0).is_same(d));
  EXPECT_FALSE(boundCorrection(d, rates, 1.0).is_same(d));
  // A correction of 1e19 per unit rate (measured, unbounded, on a saturated
  // softmax) moves no logit by more than the bound.
  at::Tensor huge = boundCorrection(vec({2.6e20, -1.0}), vec({0.05, 0.05}), 1.0);
  EXPECT_NEAR(0.05 * huge[0].item<double>(), 1.0, 1e-12);
}

//===----------------------------------------------------------------------===//
// The loss-side baselines and the common interface
//===----------------------------------------------------------------------===//

double penaltyOf(const ConstraintHandler &h, std::vector<double> values) {
  std::vector<at::Tensor> metrics;
  for (double v : values)
    metrics.push_back(at::scalar_tensor(v, at::kDouble));
  at::Tensor p = h.penalty(metrics);
  return p.defined() ? p.item<double>() : 0.0;
}

TEST(SearchConstraintHandler, SoftAndTfNasPenalties) {
  MethodConfig config;
  config.method = ConstraintMethod::Soft;
  config.soft_lambda = 0.5;
  ConstraintHandler soft(config, {2.0, 4.0});
  EXPECT_FALSE(soft.correctsGradient());
  // Only the exceeded limit is penalised: 0.5 * (max(0, 3/2 - 1) + 0).
  EXPECT_DOUBLE_EQ(penaltyOf(soft, {3.0, 2.0}), 0.25);
  EXPECT_DOUBLE_EQ(penaltyOf(soft, {1.9, 3.9}), 0.0);

  config.method = ConstraintMethod::TfNas;
  config.tfnas_lambda = 2.0;
  ConstraintHandler tfnas(config, {2.0, 4.0});
  // Penalizes distance to the target on both sides.
  EXPECT_DOUBLE_EQ(penaltyOf(tfnas, {3.0, 2.0}), 2.0 * (0.5 + 0.5));
  at::Tensor g = vec({1.0, 2.0});
  EXPECT_TRUE(at::equal(tfnas.correct(g, at::eye(2, at::kDouble), {3.0, 2.0}), g));
}

TEST(SearchConstraintHandler, AdaptiveRaisesOnMissAndLowersBelowItsBand) {
  MethodConfig config;
  config.method = ConstraintMethod::Adaptive;
  config.adaptive_lambda0 = 1.0;
  config.adaptive_factor = 2.0;
  ConstraintHandler h(config, {1.0});
  EXPECT_DOUBLE_EQ(penaltyOf(h, {2.0}), 2.0);
  h.endStep({2.0}); // miss
  h.endStep({2.0}); // miss
  EXPECT_DOUBLE_EQ(h.lambdas()[0], 4.0);
  EXPECT_TRUE(h.violated()[0]);
  EXPECT_DOUBLE_EQ(penaltyOf(h, {2.0}), 8.0);
  h.endStep({0.97}); // met, but inside the band under the limit: holds
  EXPECT_DOUBLE_EQ(h.lambdas()[0], 4.0);
  EXPECT_FALSE(h.violated()[0]);
  h.endStep({0.5}); // below the band: lowered
  EXPECT_DOUBLE_EQ(h.lambdas()[0], 2.0);
  EXPECT_FALSE(h.violated()[0]);
  for (int i = 0; i < 100; ++i)
    h.endStep({2.0});
  EXPECT_DOUBLE_EQ(h.lambdas()[0], 1e6); // clamped, not infinite
}

TEST(SearchConstraintHandler, HdxCorrectsTheGradientWithoutPenalty) {
  MethodConfig config;
  config.hdx_delta0 = 0.25;
  config.hdx_growth = 2.0;
  ConstraintHandler h(config, {1.0});
  EXPECT_TRUE(h.correctsGradient());
  EXPECT_EQ(penaltyOf(h, {5.0}), 0.0);
  at::Tensor g = vec({-1.0, 0.0});
  at::Tensor G = vec({1.0, 0.0}).unsqueeze(0);
  at::Tensor corrected = h.correct(g, G, {5.0});
  EXPECT_NEAR(corrected[0].item<double>(), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(h.deltas()[0], 0.5);
  EXPECT_TRUE(h.lastCorrectionFeasible());
  EXPECT_TRUE(h.lambdas().empty());
}

// The rule works on r = t / T. With T = 4 and grad t = (2, 0), grad r =
// (0.5, 0); g = (-1, 0) gives <g, grad r> = -0.5, so with delta = 0.25 the
// correction is (0.25 + 0.5) / 0.25 * (0.5, 0) = (1.5, 0) and the corrected
// gradient (0.5, 0) has <g', grad r> = 0.25 exactly: the same margin in any
// unit of t.
TEST(SearchConstraintHandler, HdxRuleWorksOnTheRatioToTheLimit) {
  MethodConfig config;
  config.hdx_delta0 = 0.25;
  config.hdx_growth = 1.0; // a constant margin
  config.hdx_margin = 0.02;
  ConstraintHandler h(config, {4.0});
  at::Tensor g = vec({-1.0, 0.0});
  at::Tensor G = vec({2.0, 0.0}).unsqueeze(0);
  at::Tensor corrected = h.correct(g, G, {5.0});
  EXPECT_NEAR(corrected[0].item<double>(), 0.5, 1e-12);
  EXPECT_NEAR(corrected[1].item<double>(), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(h.deltas()[0], 0.25);
  // The same problem in milli-units (T = 4000, grad t = (2000, 0)): the
  // same corrected gradient.
  ConstraintHandler milli(config, {4000.0});
  at::Tensor again = milli.correct(g, vec({2000.0, 0.0}).unsqueeze(0), {5000.0});
  EXPECT_TRUE(at::allclose(again, corrected, 0, 1e-12));

  // Inside the margin (r = 3.95 / 4 = 0.9875 >= 0.98) the rule still acts,
  // so the design does not settle on the boundary; below it
  // (r = 3.9 / 4 = 0.975) the limit is only held (hold = 1 here): for one
  // step r may not rise, <g', grad r> >= 0, so g' = (0, 0); after that g
  // is left alone.
  config.hdx_hold = 1;
  ConstraintHandler held(config, {4.0});
  at::Tensor inside = held.correct(g, G, {3.95});
  EXPECT_NEAR(inside[0].item<double>(), 0.5, 1e-12);
  held.endStep({3.95});
  EXPECT_TRUE(held.violated()[0]);
  at::Tensor below = held.correct(g, G, {3.9});
  EXPECT_NEAR(below[0].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(below[1].item<double>(), 0.0, 1e-12);
  held.endStep({3.9});
  EXPECT_FALSE(held.violated()[0]);
  EXPECT_TRUE(at::equal(held.correct(g, G, {3.9}), g));
}

// A held limit may not rise. G1 = (1, 0) (t1 violated, delta = 0.1), G2 =
// (-1, 1) (t2 violated the step before, held), g = 0. Without the hold the
// correction is 0.1 * G1 = (0.1, 0), and <g', G2> = -0.1: the descent step
// raises t2 again. With it, min ||d||^2 subject to d1 >= 0.1 and
// -d1 + d2 >= 0 is d = (0.1, 0.1) (both active; by hand), <g', G2> = 0.
TEST(SearchHdxRule, AHeldConstraintMayNotRise) {
  at::Tensor g = vec({0.0, 0.0});
  at::Tensor G = at::stack({vec({1.0, 0.0}), vec({-1.0, 1.0})});
  for (int hold : {0, 2}) {
    HdxRule rule(2, 0.1, 1.0, hold);
    rule.apply(g, G, {0.0, 2.0}, {1.0, 1.0}); // t2 violated
    HdxRule::Outcome out = rule.apply(g, G, {2.0, 0.0}, {1.0, 1.0});
    EXPECT_TRUE(out.violated[0]);
    EXPECT_FALSE(out.violated[1]);
    EXPECT_EQ(out.held[1], hold > 0);
    EXPECT_NEAR(out.gradient[0].item<double>(), 0.1, 1e-12);
    EXPECT_NEAR(out.gradient[1].item<double>(), hold > 0 ? 0.1 : 0.0, 1e-12);
  }
  // Held for exactly `hold` steps after the violation.
  HdxRule rule(2, 0.1, 1.0, 2);
  rule.apply(g, G, {0.0, 2.0}, {1.0, 1.0});
  EXPECT_TRUE(rule.apply(g, G, {0.0, 0.0}, {1.0, 1.0}).held[1]);
  EXPECT_TRUE(rule.apply(g, G, {0.0, 0.0}, {1.0, 1.0}).held[1]);
  EXPECT_FALSE(rule.apply(g, G, {0.0, 0.0}, {1.0, 1.0}).held[1]);
}

// enforce holds another direction (the step an optimizer such as Adam took)
// to the last apply's program, without touching the rule's state: with t1
// violated (G1 = (1, 0), delta = 0.1), the step u = (-1, 5) becomes
// (0.1, 5) (by hand: only its first coordinate falls short, by 1.1).
TEST(SearchHdxRule, EnforceHoldsAnotherStepToTheSameProgram) {
  at::Tensor G = vec({1.0, 0.0}).unsqueeze(0);
  HdxRule rule(1, 0.1, 2.0);
  rule.apply(vec({0.0, 0.0}), G, {2.0}, {1.0});
  EXPECT_DOUBLE_EQ(rule.deltas()[0], 0.2);
  at::Tensor step = rule.enforce(vec({-1.0, 5.0}), G);
  EXPECT_NEAR(step[0].item<double>(), 0.1, 1e-12);
  EXPECT_NEAR(step[1].item<double>(), 5.0, 1e-12);
  EXPECT_DOUBLE_EQ(rule.deltas()[0], 0.2); // unchanged
  // A step that already meets the margin is left alone.
  EXPECT_TRUE(at::equal(rule.enforce(vec({3.0, 1.0}), G), vec({3.0, 1.0})));
  // Nothing violated or held: nothing to enforce.
  rule.apply(vec({0.0, 0.0}), G, {0.5}, {1.0});
  EXPECT_TRUE(at::equal(rule.enforce(vec({-1.0, 5.0}), G), vec({-1.0, 5.0})));
}

// Two limits that pull apart, judged on the argmax as the search does. Three
// designs, softmax(theta) over them: A = (latency 1.2, area 0.8) and B =
// (0.8, 1.2) each miss one limit (T = 1 for both), C = (0.97, 0.97) meets
// both but costs more (the objective is the expected cost 0, 0, 0.3).
// Starting on A, the rule without memory corrects latency by moving to B,
// then area by moving back to A, and never settles; with the hold the
// correction of one limit may not raise the other and the search ends on C.
TEST(SearchConstraintHandler, HoldStopsTwoLimitsFromTakingTurns) {
  const std::vector<double> latency{1.2, 0.8, 0.97}, area{0.8, 1.2, 0.97};
  const at::Tensor cost = vec({0.0, 0.0, 0.3});
  auto run = [&](int hold, int &missedSteps) {
    MethodConfig config; // delta0 0.05, growth 1.02, margin 0.02
    config.hdx_hold = hold;
    ConstraintHandler h(config, {1.0, 1.0});
    at::Tensor theta = vec({1.0, 0.0, 0.0});
    int64_t design = 0;
    missedSteps = 0;
    for (int step = 0; step < 300; ++step) {
      at::Tensor p = at::softmax(theta, 0);
      // d E_p[v] / d theta = (diag(p) - p p^T) v.
      at::Tensor jacobian = at::diag(p) - at::outer(p, p);
      at::Tensor g = at::mv(jacobian, cost);
      at::Tensor G = at::stack(
          {at::mv(jacobian, vec(latency)), at::mv(jacobian, vec(area))});
      design = theta.argmax().item<int64_t>();
      std::vector<double> judged{latency[design], area[design]};
      missedSteps += judged[0] > 1 || judged[1] > 1;
      g = h.correct(g, G, judged);
      h.endStep(judged);
      theta = theta - 0.5 * g;
    }
    return design;
  };
  int missedWithout = 0, missedWith = 0;
  EXPECT_NE(run(0, missedWithout), 2);
  EXPECT_GT(missedWithout, 290); // A and B by turns
  EXPECT_EQ(run(20, missedWith), 2);
  EXPECT_LT(missedWith, 30);
}

// The worst ratio w = sum_h P(h) max_i t_i(h) / T_i, by hand: P = (0.5,
// 0.25, 0.25), latency (2.4, 1.2, 1.9) with T = 2, area (0.6, 1.2, 0.95) with
// T = 1: ratios max(1.2, 0.6), max(0.6, 1.2), max(0.95, 0.95), so w = 0.5 *
// 1.2 + 0.25 * 1.2 + 0.25 * 0.95 = 1.1375. With one limit, or with
// `limits: each`, or without a pointwise cost, hdx treats limits one by one.
TEST(SearchConstraintHandler, WorstRatioByHand) {
  MethodConfig config;
  ConstraintHandler h(config, {2.0, 1.0}, /*pointwiseCost=*/true);
  EXPECT_TRUE(h.combinesLimits());
  at::Tensor w = h.worstRatio({vec({2.4, 1.2, 1.9}), vec({0.6, 1.2, 0.95})},
                              vec({0.5, 0.25, 0.25}));
  EXPECT_NEAR(w.item<double>(), 1.1375, 1e-12);
  // One metric for the rule; its margin is logged for each limit.
  EXPECT_EQ(h.deltas(), std::vector<double>(2, config.hdx_delta0));
  EXPECT_FALSE(ConstraintHandler(config, {2.0}, true).combinesLimits());
  EXPECT_FALSE(ConstraintHandler(config, {2.0, 1.0}, false).combinesLimits());
  config.hdx_limits = HdxLimits::Each;
  EXPECT_FALSE(ConstraintHandler(config, {2.0, 1.0}, true).combinesLimits());
}

// The geometry where correcting each limit cannot settle: A = (latency 1.2,
// area 0.6) and B = (0.6, 1.2) each miss one limit (T = 1), F = (0.95, 0.95)
// meets both but costs more (expected cost 0, 0, 0.3), and F is worse on both
// metrics than the mixture A/2 + B/2 = (0.9, 0.9): no weighting of latency
// and area ranks F first, so the per-limit corrections (with the hold) move
// the argmax between A and B. The worst ratio ranks F first (0.95 against
// 1.2), and correcting it ends the search on F.
TEST(SearchConstraintHandler, WorstRatioSettlesWhereEachLimitTakesTurns) {
  const std::vector<double> latency{1.2, 0.6, 0.95}, area{0.6, 1.2, 0.95};
  const at::Tensor cost = vec({0.0, 0.0, 0.3});
  auto run = [&](HdxLimits limits, int &missedSteps) {
    MethodConfig config; // delta0 0.05, growth 1.02, margin 0.02, hold 20
    config.hdx_limits = limits;
    ConstraintHandler h(config, {1.0, 1.0}, /*pointwiseCost=*/true);
    at::Tensor theta = vec({1.0, 0.0, 0.0});
    int64_t design = 0;
    missedSteps = 0;
    for (int step = 0; step < 300; ++step) {
      // The rows: gradients of the metrics the rule corrects, by autograd.
      auto gradient = [&](auto metric) {
        at::Tensor t = theta.detach().requires_grad_(true);
        metric(at::softmax(t, 0)).backward();
        return t.grad().detach();
      };
      at::Tensor rows;
      if (h.combinesLimits())
        rows = gradient([&](const at::Tensor &p) {
                 return h.worstRatio({vec(latency), vec(area)}, p);
               }).unsqueeze(0);
      else
        rows = at::stack({gradient([&](const at::Tensor &p) {
                            return (p * vec(latency)).sum();
                          }),
                          gradient([&](const at::Tensor &p) {
                            return (p * vec(area)).sum();
                          })});
      at::Tensor pd = at::softmax(theta, 0);
      at::Tensor g = at::mv(at::diag(pd) - at::outer(pd, pd), cost);
      design = theta.argmax().item<int64_t>();
      std::vector<double> judged{latency[design], area[design]};
      missedSteps += judged[0] > 1 || judged[1] > 1;
      g = h.correct(g, rows, judged);
      h.endStep(judged);
      theta = theta - 0.5 * g;
    }
    return design;
  };
  int missedEach = 0, missedWorst = 0;
  EXPECT_NE(run(HdxLimits::Each, missedEach), 2);
  EXPECT_GT(missedEach, 250);
  EXPECT_EQ(run(HdxLimits::Worst, missedWorst), 2);
  EXPECT_LT(missedWorst, 30);
}

TEST(SearchConstraintHandler, DanceAndNasThenHwIgnoreTheLimits) {
  MethodConfig config;
  config.method = ConstraintMethod::Dance;
  config.dance_lambda = 3.0;
  ConstraintHandler dance(config, {1.0});
  EXPECT_FALSE(dance.correctsGradient());
  EXPECT_EQ(penaltyOf(dance, {5.0}), 0.0);
  EXPECT_DOUBLE_EQ(dance.costWeight(0.1), 3.0); // its own lambda
  EXPECT_TRUE(dance.searchesHardware());

  config.method = ConstraintMethod::NasThenHw;
  ConstraintHandler twoStage(config, {1.0});
  EXPECT_FALSE(twoStage.correctsGradient());
  EXPECT_EQ(penaltyOf(twoStage, {5.0}), 0.0);
  EXPECT_DOUBLE_EQ(twoStage.costWeight(0.1), 0.0); // accuracy alone
  EXPECT_FALSE(twoStage.searchesHardware());

  config.method = ConstraintMethod::Hdx;
  EXPECT_DOUBLE_EQ(ConstraintHandler(config, {1.0}).costWeight(0.1), 0.1);
}

} // namespace
