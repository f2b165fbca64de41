//===- Relaxation.cpp - Softmax and Gumbel-softmax ------------------------===//

#include "hdx/Search/Relaxation.h"

#include <ATen/ATen.h>

#include <cmath>

using namespace hdx;
using namespace hdx::search;

at::Tensor hdx::search::relaxedChoice(const at::Tensor &logits,
                                      Relaxation relaxation, double tau) {
  if (relaxation == Relaxation::Softmax)
    return at::softmax(logits, -1);
  // Gumbel(0, 1) noise; the clamp keeps log() finite at the ends of [0, 1).
  at::Tensor u = at::rand_like(logits).clamp(1e-10, 1.0 - 1e-7);
  at::Tensor soft = at::softmax((logits - at::log(-at::log(u))) / tau, -1);
  at::Tensor hard = at::zeros_like(soft).scatter_(
      -1, soft.argmax(-1, /*keepdim=*/true), 1.0);
  return hard - soft.detach() + soft;
}

double hdx::search::annealedTau(double start, double end, int epoch,
                                int epochs) {
  if (epochs <= 1)
    return start;
  double t = static_cast<double>(epoch) / (epochs - 1);
  return start * std::pow(end / start, t);
}
