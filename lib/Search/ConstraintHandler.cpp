//===- ConstraintHandler.cpp - Enforcing hard constraints -----------------===//

#include "hdx/Search/ConstraintHandler.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cassert>

using namespace hdx;
using namespace hdx::search;

ConstraintHandler::ConstraintHandler(const MethodConfig &config,
                                     std::vector<double> limits,
                                     bool pointwiseCost)
    : config_(config), limits_(std::move(limits)),
      violated_(limits_.size(), false) {
  switch (config.method) {
  case ConstraintMethod::Hdx:
    combines_ =
        pointwiseCost && size() >= 2 && config.hdx_limits == HdxLimits::Worst;
    rule_.emplace(combines_ ? 1 : size(), config.hdx_delta0, config.hdx_growth,
                  config.hdx_hold);
    break;
  case ConstraintMethod::Soft:
    lambdas_.assign(limits_.size(), config.soft_lambda);
    break;
  case ConstraintMethod::Adaptive:
    lambdas_.assign(limits_.size(), config.adaptive_lambda0);
    break;
  case ConstraintMethod::TfNas:
    lambdas_.assign(limits_.size(), config.tfnas_lambda);
    break;
  case ConstraintMethod::Dance:
  case ConstraintMethod::NasThenHw:
    break;
  }
}

double ConstraintHandler::costWeight(double objectiveLambda) const {
  switch (config_.method) {
  case ConstraintMethod::Dance:
    return config_.dance_lambda;
  case ConstraintMethod::NasThenHw:
    return 0.0;
  default:
    return objectiveLambda;
  }
}

at::Tensor
ConstraintHandler::penalty(const std::vector<at::Tensor> &metrics) const {
  assert(metrics.size() == limits_.size());
  at::Tensor total;
  for (size_t i = 0; i < metrics.size(); ++i) {
    at::Tensor ratio = metrics[i] / limits_[i];
    at::Tensor term;
    switch (config_.method) {
    case ConstraintMethod::Soft:
      term = lambdas_[i] * at::relu(ratio - 1);
      break;
    case ConstraintMethod::Adaptive:
      term = lambdas_[i] * ratio;
      break;
    case ConstraintMethod::TfNas:
      term = lambdas_[i] * (ratio - 1).abs();
      break;
    default:
      return at::Tensor();
    }
    total = total.defined() ? total + term : term;
  }
  return total;
}

bool ConstraintHandler::correctsGradient() const {
  return rule_.has_value() && size() > 0;
}

bool ConstraintHandler::isViolated(size_t i, double value) const {
  double ratio = value / limits_[i];
  if (config_.method == ConstraintMethod::Hdx)
    return ratio >= 1 - config_.hdx_margin;
  return ratio >= 1;
}

bool ConstraintHandler::combinesLimits() const {
  return combines_ && correctsGradient();
}

at::Tensor
ConstraintHandler::worstRatio(const std::vector<at::Tensor> &perPoint,
                              const at::Tensor &hardwareProbs) const {
  assert(perPoint.size() == limits_.size() && !perPoint.empty());
  at::Tensor worst;
  for (size_t i = 0; i < perPoint.size(); ++i) {
    at::Tensor ratio = perPoint[i] / limits_[i];
    worst = worst.defined() ? at::maximum(worst, ratio) : ratio;
  }
  return (hardwareProbs * worst).sum();
}

at::Tensor ConstraintHandler::correct(const at::Tensor &g,
                                      const at::Tensor &metricGrads,
                                      const std::vector<double> &values,
                                      const std::vector<double> &floors) {
  if (!correctsGradient())
    return g;
  if (combines_) {
    double worst = 0;
    for (size_t i = 0; i < values.size(); ++i)
      worst = std::max(worst, values[i] / limits_[i]);
    HdxRule::Outcome out =
        rule_->apply(g, metricGrads, {worst}, {1 - config_.hdx_margin}, floors);
    feasible_ = out.feasible;
    // The worst ratio's one margin stands for every limit it covers.
    deltasUsed_.assign(limits_.size(), out.deltas[0]);
    return out.gradient;
  }
  // The rule on r_i = t_i / T_i: gradients and values divided by T_i, and
  // "violated" while r_i >= 1 - margin.
  std::vector<double> ratios, thresholds(values.size(), 1 - config_.hdx_margin);
  for (size_t i = 0; i < values.size(); ++i)
    ratios.push_back(values[i] / limits_[i]);
  HdxRule::Outcome out =
      rule_->apply(g, ratioGradients(metricGrads), ratios, thresholds, floors);
  feasible_ = out.feasible;
  deltasUsed_ = out.deltas;
  return out.gradient;
}

std::vector<double>
ConstraintHandler::deadlineFloors(const std::vector<double> &expected,
                                  double rate, double stepsLeft) const {
  assert(rate > 0 && stepsLeft > 0);
  assert(expected.size() == (combines_ ? 1 : limits_.size()));
  std::vector<double> floors;
  for (size_t i = 0; i < expected.size(); ++i) {
    double ratio = combines_ ? expected[i] : expected[i] / limits_[i];
    floors.push_back(std::max(0.0, ratio - (1 - config_.hdx_margin)) /
                     (rate * stepsLeft));
  }
  return floors;
}

at::Tensor ConstraintHandler::enforceOnStep(const at::Tensor &step,
                                            const at::Tensor &metricGrads) const {
  if (!correctsGradient())
    return step;
  return rule_->enforce(step,
                        combines_ ? metricGrads : ratioGradients(metricGrads));
}

at::Tensor ConstraintHandler::ratioGradients(const at::Tensor &metricGrads) const {
  at::Tensor scale =
      at::tensor(limits_, at::kDouble).to(metricGrads.options()).reciprocal();
  return metricGrads * scale.unsqueeze(1);
}

void ConstraintHandler::endStep(const std::vector<double> &values) {
  assert(values.size() == limits_.size());
  for (size_t i = 0; i < values.size(); ++i) {
    violated_[i] = isViolated(i, values[i]);
    if (config_.method != ConstraintMethod::Adaptive)
      continue;
    // Raised while the limit is missed, lowered only once the value is
    // below the band under the limit: inside the band lambda holds, so the
    // design is neither pushed further nor let go.
    double ratio = values[i] / limits_[i];
    double lambda = lambdas_[i];
    if (ratio >= 1)
      lambda *= config_.adaptive_factor;
    else if (ratio < 1 - config_.adaptive_band)
      lambda /= config_.adaptive_factor;
    // Doubling on every missed step would overflow within a thousand steps;
    // the clamp keeps lambda finite and able to come back.
    lambdas_[i] = std::clamp(lambda, 1e-6 * config_.adaptive_lambda0,
                             1e6 * config_.adaptive_lambda0);
  }
}

std::vector<double> ConstraintHandler::deltas() const {
  if (!rule_)
    return {};
  // The worst ratio's one margin stands for every limit it covers.
  if (combines_)
    return std::vector<double>(limits_.size(), rule_->deltas()[0]);
  return rule_->deltas();
}

std::vector<double> ConstraintHandler::lambdas() const { return lambdas_; }

// Layout: lambda_i, delta_i and steps since violation_i (hdx only),
// violated_i as 0/1, feasible.
std::vector<double> ConstraintHandler::state() const {
  std::vector<double> state(lambdas_);
  if (rule_) {
    state.insert(state.end(), rule_->deltas().begin(), rule_->deltas().end());
    for (int since : rule_->stepsSinceViolation())
      state.push_back(since);
  }
  for (bool v : violated_)
    state.push_back(v ? 1.0 : 0.0);
  state.push_back(feasible_ ? 1.0 : 0.0);
  return state;
}

bool ConstraintHandler::restoreState(const std::vector<double> &state) {
  size_t n = lambdas_.size(), deltas = rule_ ? rule_->deltas().size() : 0;
  if (state.size() != n + 2 * deltas + violated_.size() + 1)
    return false;
  auto at = state.begin();
  lambdas_.assign(at, at + n);
  at += n;
  if (rule_) {
    rule_->setDeltas(std::vector<double>(at, at + deltas));
    at += deltas;
    rule_->setStepsSinceViolation(std::vector<int>(at, at + deltas));
    at += deltas;
  }
  for (size_t i = 0; i < violated_.size(); ++i)
    violated_[i] = *at++ != 0.0;
  feasible_ = *at != 0.0;
  return true;
}
