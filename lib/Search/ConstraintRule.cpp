//===- ConstraintRule.cpp - The HDX gradient rule -------------------------===//
//
// The correction solves
//     minimize ||d||^2  subject to  G d >= b,   b_i = delta_i - <g, G_i>.
// Its solution is d = G^T mu with mu >= 0 and mu_i = 0 for the constraints
// that hold without help (KKT). With m constraints (three metrics here) there
// are at most 2^m - 1 candidate active sets; for each, mu_S solves
// (G_S G_S^T) mu_S = b_S, and the active set whose mu_S is non-negative and
// whose d meets every constraint is the optimum. Enumerating them is exact and
// cheaper than any iterative QP solver at this size.
//
//===----------------------------------------------------------------------===//

#include "hdx/Search/ConstraintRule.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace hdx;
using namespace hdx::search;

namespace {

using Matrix = std::vector<std::vector<double>>;

/// Solves A x = b by Gaussian elimination with partial pivoting; false if A
/// is (numerically) singular.
bool solve(Matrix a, std::vector<double> b, std::vector<double> &x) {
  const size_t n = b.size();
  double scale = 0;
  for (const auto &row : a)
    for (double v : row)
      scale = std::max(scale, std::abs(v));
  const double tiny = 1e-12 * std::max(scale, 1e-300);
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r)
      if (std::abs(a[r][col]) > std::abs(a[pivot][col]))
        pivot = r;
    if (std::abs(a[pivot][col]) <= tiny)
      return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t r = col + 1; r < n; ++r) {
      double f = a[r][col] / a[col][col];
      for (size_t c = col; c < n; ++c)
        a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  x.assign(n, 0);
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t c = i + 1; c < n; ++c)
      s -= a[i][c] * x[c];
    x[i] = s / a[i][i];
  }
  return true;
}

} // namespace

at::Tensor hdx::search::minimalCorrection(const at::Tensor &g,
                                          const at::Tensor &constraintGrads,
                                          const std::vector<double> &targets,
                                          bool *feasible) {
  assert(g.dim() == 1 && constraintGrads.dim() == 2 &&
         constraintGrads.size(0) == static_cast<int64_t>(targets.size()) &&
         constraintGrads.size(1) == g.size(0));
  if (feasible)
    *feasible = true;
  at::Tensor gd = g.detach().to(at::kDouble).cpu();
  at::Tensor G = constraintGrads.detach().to(at::kDouble).cpu();
  at::Tensor zero = at::zeros_like(g);

  // Rows that can be influenced, and how far each falls short.
  std::vector<int64_t> rows;
  std::vector<double> shortfall;
  for (int64_t i = 0; i < G.size(0); ++i) {
    if (G[i].dot(G[i]).item<double>() <= 0)
      continue;
    rows.push_back(i);
    shortfall.push_back(targets[i] - gd.dot(G[i]).item<double>());
  }
  bool anyShort = false;
  for (double s : shortfall)
    anyShort |= s > 0;
  if (!anyShort)
    return zero;

  const size_t m = rows.size();
  at::Tensor Gm = G.index_select(0, at::tensor(rows, at::kLong));
  at::Tensor gram = at::mm(Gm, Gm.t()).contiguous();
  Matrix K(m, std::vector<double>(m));
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < m; ++j)
      K[i][j] = gram[i][j].item<double>();
  // Tolerance for "meets the constraint", relative to the problem's scale.
  double scale = 0;
  for (size_t i = 0; i < m; ++i)
    scale = std::max({scale, K[i][i], std::abs(shortfall[i])});
  const double tol = 1e-9 * scale;

  std::vector<double> best;
  double bestNorm = std::numeric_limits<double>::infinity();
  for (uint64_t mask = 1; mask < (uint64_t(1) << m); ++mask) {
    std::vector<size_t> set;
    for (size_t i = 0; i < m; ++i)
      if (mask & (uint64_t(1) << i))
        set.push_back(i);
    Matrix Ks(set.size(), std::vector<double>(set.size()));
    std::vector<double> bs(set.size()), mus;
    for (size_t a = 0; a < set.size(); ++a) {
      bs[a] = shortfall[set[a]];
      for (size_t b = 0; b < set.size(); ++b)
        Ks[a][b] = K[set[a]][set[b]];
    }
    if (!solve(Ks, bs, mus))
      continue;
    bool ok = true;
    std::vector<double> mu(m, 0);
    for (size_t a = 0; a < set.size(); ++a) {
      ok &= mus[a] >= -1e-12;
      mu[set[a]] = std::max(mus[a], 0.0);
    }
    // <d, G_i> = (K mu)_i must cover every shortfall, active or not.
    double norm = 0;
    for (size_t i = 0; i < m && ok; ++i) {
      double achieved = 0;
      for (size_t j = 0; j < m; ++j)
        achieved += K[i][j] * mu[j];
      ok &= achieved >= shortfall[i] - tol;
      norm += mu[i] * achieved;
    }
    if (ok && norm < bestNorm) {
      bestNorm = norm;
      best = mu;
    }
  }

  if (best.empty()) {
    // No direction meets every constraint: least squares with a tiny ridge.
    if (feasible)
      *feasible = false;
    Matrix ridge = K;
    for (size_t i = 0; i < m; ++i)
      ridge[i][i] += 1e-9 * scale + 1e-300;
    if (!solve(ridge, shortfall, best))
      return zero;
  }
  at::Tensor mu = at::tensor(best, at::kDouble);
  at::Tensor d = at::mv(Gm.t(), mu);
  return d.to(g.scalar_type()).to(g.device());
}

at::Tensor hdx::search::boundCorrection(const at::Tensor &correction,
                                        const at::Tensor &rates,
                                        double maxLogits) {
  assert(correction.sizes() == rates.sizes() && maxLogits >= 0);
  if (maxLogits == 0 || correction.numel() == 0)
    return correction;
  double largest = (rates * correction).abs().max().item<double>();
  if (!(largest > maxLogits))
    return correction;
  return correction * (maxLogits / largest);
}

HdxRule::HdxRule(int numConstraints, double delta0, double growth, int hold)
    : delta0_(delta0), growth_(growth), hold_(hold),
      deltas_(numConstraints, delta0), since_(numConstraints, hold + 1) {
  assert(growth >= 1 && delta0 >= 0 && hold >= 0);
}

HdxRule::Outcome HdxRule::apply(const at::Tensor &g,
                                const at::Tensor &constraintGrads,
                                const std::vector<double> &values,
                                const std::vector<double> &limits,
                                const std::vector<double> &floors) {
  assert(values.size() == deltas_.size() && limits.size() == deltas_.size());
  assert(floors.empty() || floors.size() == deltas_.size());
  Outcome out;
  out.deltas = deltas_;
  out.violated.resize(deltas_.size());
  out.held.resize(deltas_.size());
  std::vector<int64_t> &active = active_;
  std::vector<double> &targets = targets_;
  active.clear();
  targets.clear();
  for (size_t i = 0; i < deltas_.size(); ++i) {
    out.violated[i] = values[i] >= limits[i];
    if (out.violated[i]) {
      if (!floors.empty())
        out.deltas[i] = std::max(out.deltas[i], floors[i]);
      active.push_back(static_cast<int64_t>(i));
      targets.push_back(out.deltas[i]);
      deltas_[i] *= growth_; // the next step asks for more while violated
      since_[i] = 0;
      continue;
    }
    deltas_[i] = delta0_;
    if (since_[i] < hold_) {
      out.held[i] = true;
      active.push_back(static_cast<int64_t>(i));
      targets.push_back(0.0); // may not rise
    }
    since_[i] = std::min(since_[i] + 1, hold_ + 1);
  }
  if (active.empty()) {
    out.gradient = g;
    return out;
  }
  at::Tensor rows = constraintGrads.index_select(
      0, at::tensor(active, at::kLong).to(constraintGrads.device()));
  out.gradient = g + minimalCorrection(g, rows, targets, &out.feasible);
  return out;
}

at::Tensor HdxRule::enforce(const at::Tensor &step,
                            const at::Tensor &constraintGrads) const {
  if (active_.empty())
    return step;
  at::Tensor rows = constraintGrads.index_select(
      0, at::tensor(active_, at::kLong).to(constraintGrads.device()));
  return step + minimalCorrection(step, rows, targets_);
}
