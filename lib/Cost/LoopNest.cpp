//===- LoopNest.cpp - The loop nest of a conv or fc layer -----------------===//
#include "hdx/Cost/LoopNest.h"

#include "hdx/Cost/Layer.h"

#include <numeric>
#include <vector>

namespace hdx::cost {

char dimLetter(Dim dim) { return "NKCRSPQ"[dim]; }

bool parseDim(char letter, Dim &dim) {
  static const char letters[] = "NKCRSPQ";
  for (int d = 0; d < kNumDims; ++d)
    if (letter == letters[d] || letter == letters[d] - 'A' + 'a') {
      dim = static_cast<Dim>(d);
      return true;
    }
  return false;
}

const char *levelName(Level level) {
  static const char *const names[] = {"DRAM", "GLB", "RF"};
  return names[level];
}

const char *dataTypeName(DataType type) {
  static const char *const names[] = {"weights", "inputs", "outputs"};
  return names[type];
}

int64_t LoopNest::macsPerCopy() const {
  int64_t product = 1;
  for (int64_t b : bound)
    product *= b;
  return product;
}

int64_t LoopNest::inputChannels() const {
  return inputs_depend_on_k ? bound[K] * bound[C] : bound[C];
}

int64_t LoopNest::paddedInputHeight() const {
  return (bound[P] - 1) * stride_h + (bound[R] - 1) * dilation_h + 1;
}

int64_t LoopNest::paddedInputWidth() const {
  return (bound[Q] - 1) * stride_w + (bound[S] - 1) * dilation_w + 1;
}

int64_t LoopNest::tensorSize(DataType type) const {
  switch (type) {
  case Weights:
    return bound[K] * bound[C] * bound[R] * bound[S];
  case Inputs:
    return bound[N] * inputChannels() * paddedInputHeight() *
           paddedInputWidth();
  case Outputs:
    return bound[N] * bound[K] * bound[P] * bound[Q];
  }
  return 0;
}

namespace {
constexpr uint32_t bit(Dim d) { return 1u << d; }
} // namespace

Expected<LoopNest> makeLoopNest(const Layer &layer) {
  if (Status s = validate(layer); !s.ok())
    return s;
  if (!layer.usesArray())
    return Status::failure(std::string("layer: ") + toString(layer.kind) +
                           " layers stream through the array and have no "
                           "loop nest to map");
  LoopNest nest;
  int64_t kPerGroup = layer.k / layer.groups;
  int64_t cPerGroup = layer.c / layer.groups;
  nest.bound = {layer.n, layer.k, cPerGroup, layer.r,
                layer.s, layer.p, layer.q};
  nest.stride_h = layer.stride_h;
  nest.stride_w = layer.stride_w;
  nest.dilation_h = layer.dilation_h;
  nest.dilation_w = layer.dilation_w;
  if (layer.groups > 1) {
    if (kPerGroup == 1) {
      // Depthwise-like: output channel k reads input channels k*C .. k*C+C-1.
      nest.inputs_depend_on_k = true;
    } else {
      // Groups of several output channels run one after another.
      nest.copies = layer.groups;
      nest.bound[K] = kPerGroup;
    }
  }
  nest.relevance[Weights] = bit(K) | bit(C) | bit(R) | bit(S);
  nest.relevance[Inputs] = bit(N) | bit(C) | bit(R) | bit(S) | bit(P) | bit(Q) |
                           (nest.inputs_depend_on_k ? bit(K) : 0u);
  nest.relevance[Outputs] = bit(N) | bit(K) | bit(P) | bit(Q);
  return nest;
}

int64_t windowFootprint(int64_t np, int64_t nr, int64_t stride,
                        int64_t dilation) {
  if (np <= 0 || nr <= 0)
    return 0;
  if (np == 1)
    return nr;
  if (nr == 1)
    return np;
  // Windows of nr taps, dilation apart, start every `stride`: when one of
  // the two steps is 1 the covered rows form runs separated by gaps.
  if (dilation == 1)
    return (np - 1) * std::min(stride, nr) + nr;
  if (stride == 1)
    return (nr - 1) * std::min(dilation, np) + np;
  // Both > 1 (rare): count the distinct sums directly.
  int64_t g = std::gcd(stride, dilation);
  int64_t a = stride / g, b = dilation / g;
  int64_t span = (np - 1) * a + (nr - 1) * b + 1;
  std::vector<char> hit(static_cast<size_t>(span), 0);
  int64_t count = 0;
  for (int64_t i = 0; i < np; ++i)
    for (int64_t j = 0; j < nr; ++j) {
      char &h = hit[static_cast<size_t>(i * a + j * b)];
      count += h == 0;
      h = 1;
    }
  return count;
}

} // namespace hdx::cost
