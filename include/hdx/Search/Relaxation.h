//===- Relaxation.h - Continuous relaxation of discrete choices -*- C++ -*-===//
//
// Turns logits over the values of one discrete choice (a layer's candidate, a
// hardware dimension's value) into differentiable weights.
//   softmax: the probabilities softmax(logits); every value contributes.
//   gumbel:  a straight-through Gumbel-softmax sample: one-hot in the forward
//            pass, gradients of softmax((logits + Gumbel noise) / tau) in the
//            backward pass. The noise comes from LibTorch's global generator
//            (seeded with torch::manual_seed).
// Entries whose logit is -inf (values that do not fit) get weight 0.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_RELAXATION_H
#define HDX_SEARCH_RELAXATION_H

#include "hdx/Search/Config.h"

#include <ATen/core/Tensor.h>

namespace hdx::search {

/// Relaxed weights over the last dimension of `logits`; `tau` is the Gumbel
/// temperature (unused for softmax).
at::Tensor relaxedChoice(const at::Tensor &logits, Relaxation relaxation,
                         double tau);

/// Temperature of epoch `epoch` of `epochs`, annealed geometrically from
/// `start` to `end`.
double annealedTau(double start, double end, int epoch, int epochs);

} // namespace hdx::search

#endif // HDX_SEARCH_RELAXATION_H
