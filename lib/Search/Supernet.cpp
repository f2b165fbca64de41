//===- Supernet.cpp - The over-parameterized search network ---------------===//

#include "hdx/Search/Supernet.h"
#include "hdx/Search/Relaxation.h"

#include <ATen/ATen.h>

#include <limits>

using namespace hdx;
using namespace hdx::search;

SupernetImpl::SupernetImpl(const NetworkSpace &space) : space_(space) {
  const int L = space.numLayers(), K = space.numCandidates();
  alpha_ = register_parameter("alpha", torch::zeros({L, K}));
  allowed_ = torch::zeros({L, K}, torch::kBool);
  register_buffer("allowed", allowed_);

  ConvShape stem = space.stemConv();
  stem_ = register_module("stem", ConvBn(stem.input.channels,
                                         stem.output.channels, stem.kernel,
                                         stem.stride, 1, true));
  candidates_.resize(L);
  for (int l = 0; l < L; ++l) {
    const SearchableLayer &layer = space.layers()[l];
    for (int k = 0; k < K; ++k) {
      const Candidate &c = space.candidates()[k];
      allowed_[l][k] = static_cast<bool>(layer.allowed[k]);
      MBConv op{nullptr};
      if (layer.allowed[k] && c.kind == Candidate::Kind::MBConv)
        op = register_module(moduleName(layer.name) + "_" + c.name(),
                             MBConv(layer, c));
      candidates_[l].push_back(op);
    }
  }
  if (auto head = space.headConv())
    head_ = register_module("head", ConvBn(head->input.channels,
                                           head->output.channels, 1, 1, 1,
                                           true));
  classifier_ = register_module(
      "classifier",
      torch::nn::Linear(space.featureChannels(), space.numClasses()));
}

torch::Tensor SupernetImpl::maskedAlpha() const {
  return alpha_.masked_fill(allowed_.logical_not(),
                            -std::numeric_limits<float>::infinity());
}

torch::Tensor SupernetImpl::probabilities(double tau) const {
  return at::softmax(maskedAlpha() / tau, -1);
}

torch::Tensor SupernetImpl::sample(Relaxation relaxation, double tau) const {
  return relaxedChoice(maskedAlpha(), relaxation, tau);
}

torch::Tensor SupernetImpl::forward(const torch::Tensor &x,
                                    const torch::Tensor &weights,
                                    bool singlePath) {
  torch::Tensor h = stem_(x);
  for (size_t l = 0; l < candidates_.size(); ++l) {
    torch::Tensor w = weights[static_cast<int64_t>(l)];
    auto run = [&](int64_t k) {
      MBConv &op = candidates_[l][k];
      return w[k] * (op ? op->forward(h) : h); // null: skip (identity)
    };
    if (singlePath) {
      h = run(w.argmax().item<int64_t>());
      continue;
    }
    torch::Tensor sum;
    for (int64_t k = 0; k < static_cast<int64_t>(candidates_[l].size()); ++k) {
      if (!space_.layers()[l].allowed[k])
        continue;
      torch::Tensor y = run(k);
      sum = sum.defined() ? sum + y : y;
    }
    h = sum;
  }
  if (head_)
    h = head_(h);
  return classifier_(h.mean({2, 3}));
}

std::vector<int> SupernetImpl::argmax() const {
  torch::Tensor best = maskedAlpha().argmax(-1);
  std::vector<int> choice;
  for (int64_t l = 0; l < best.size(0); ++l)
    choice.push_back(static_cast<int>(best[l].item<int64_t>()));
  return choice;
}

std::vector<torch::Tensor> SupernetImpl::weightParameters() {
  std::vector<torch::Tensor> params;
  for (const auto &p : named_parameters())
    if (p.key() != "alpha")
      params.push_back(p.value());
  return params;
}
