//===- ConstraintHandler.cpp - Enforcing hard constraints -----------------===//

#include "hdx/Search/ConstraintHandler.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cassert>

using namespace hdx::search;

ConstraintHandler::ConstraintHandler(const MethodConfig &config,
                                     std::vector<double> limits)
    : config_(config), limits_(std::move(limits)),
      violated_(limits_.size(), false) {
  switch (config.method) {
  case ConstraintMethod::Hdx:
    rule_.emplace(size(), config.hdx_delta0, config.hdx_growth);
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
  }
}

at::Tensor
ConstraintHandler::penalty(const std::vector<at::Tensor> &metrics) const {
  assert(metrics.size() == limits_.size());
  at::Tensor total;
  if (config_.method == ConstraintMethod::Hdx)
    return total;
  for (size_t i = 0; i < metrics.size(); ++i) {
    at::Tensor ratio = metrics[i] / limits_[i];
    at::Tensor term = config_.method == ConstraintMethod::TfNas
                          ? lambdas_[i] * (ratio - 1).abs()
                          : lambdas_[i] * ratio;
    total = total.defined() ? total + term : term;
  }
  return total;
}

bool ConstraintHandler::correctsGradient() const {
  return rule_.has_value() && size() > 0;
}

at::Tensor ConstraintHandler::correct(const at::Tensor &g,
                                      const at::Tensor &constraintGrads,
                                      const std::vector<double> &values) {
  if (!correctsGradient())
    return g;
  HdxRule::Outcome out = rule_->apply(g, constraintGrads, values, limits_);
  feasible_ = out.feasible;
  return out.gradient;
}

void ConstraintHandler::endStep(const std::vector<double> &values) {
  assert(values.size() == limits_.size());
  for (size_t i = 0; i < values.size(); ++i) {
    violated_[i] = values[i] >= limits_[i];
    if (config_.method != ConstraintMethod::Adaptive)
      continue;
    // Doubling on every missed step would overflow within a thousand steps;
    // the clamp keeps lambda finite and able to come back.
    double lambda = violated_[i] ? lambdas_[i] * config_.adaptive_factor
                                 : lambdas_[i] / config_.adaptive_factor;
    lambdas_[i] = std::clamp(lambda, 1e-6 * config_.adaptive_lambda0,
                             1e6 * config_.adaptive_lambda0);
  }
}

std::vector<double> ConstraintHandler::deltas() const {
  return rule_ ? rule_->deltas() : std::vector<double>{};
}

std::vector<double> ConstraintHandler::lambdas() const { return lambdas_; }
