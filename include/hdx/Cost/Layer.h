//===- Layer.h - Layer shapes -----------------------------------*- C++ -*-===//
//
// One network layer as the cost model sees it. Convolutions and fully
// connected layers run as a 7-deep loop nest on the PE array; pooling and
// element-wise layers are memory-bound and are charged as one streaming pass
// (see docs/cost-model.md).
//
// Text form (the hdx-map --layer syntax):
//   conv n=1 k=32 c=16 r=3 s=3 p=56 q=56 stride=1 pad=1 groups=1
//   fc n=1 k=1000 c=1280
//   pool n=1 c=32 r=3 s=3 p=28 q=28 stride=2
//   eltwise n=1 c=32 p=56 q=56 inputs=2
// k and c are total output/input channels, p and q the output height and
// width; depthwise is groups=c=k.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_LAYER_H
#define HDX_COST_LAYER_H

#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hdx::cost {

enum class LayerKind { Conv, FC, Pool, Eltwise };

/// "conv", "fc", "pool", "eltwise".
const char *toString(LayerKind kind);
bool parseLayerKind(std::string_view text, LayerKind &kind);

struct Layer {
  LayerKind kind = LayerKind::Conv;
  std::string name;
  int64_t n = 1; ///< batch
  int64_t k = 1; ///< output channels (total)
  int64_t c = 1; ///< input channels (total)
  int64_t r = 1; ///< filter rows
  int64_t s = 1; ///< filter columns
  int64_t p = 1; ///< output rows
  int64_t q = 1; ///< output columns
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t groups = 1;
  int64_t inputs = 2; ///< operands of an element-wise layer

  /// Multiply-accumulates: n*k*(c/groups)*r*s*p*q for conv and fc, 0 for the
  /// memory-bound kinds.
  int64_t macs() const;
  /// Pooling compares/adds or element-wise operations; macs() for conv/fc.
  int64_t ops() const;
  bool isDepthwise() const {
    return kind == LayerKind::Conv && groups > 1 && groups == c && groups == k;
  }
  /// Conv and FC run on the PE array; pool and eltwise stream.
  bool usesArray() const {
    return kind == LayerKind::Conv || kind == LayerKind::FC;
  }
  /// Input rows/cols the loop nest touches, padding included:
  /// (p-1)*stride + (r-1)*dilation + 1.
  int64_t paddedInputHeight() const;
  int64_t paddedInputWidth() const;

  /// Same shape (every field but the name): the mapper's cache key.
  bool sameShape(const Layer &other) const;
  bool operator==(const Layer &other) const {
    return name == other.name && sameShape(other);
  }
};

/// Checks dimensions, strides, groups; the error names the field.
Status validate(const Layer &layer);

/// Parses the text form above. Unknown keys, missing k/c and non-numbers
/// are errors naming the key and the allowed ones.
Expected<Layer> parseLayer(std::string_view text);

/// The text form; parseLayer() reads it back to the same shape.
std::string toString(const Layer &layer);

} // namespace hdx::cost

#endif // HDX_COST_LAYER_H
