//===- LoopNest.h - The 7-deep loop nest of a layer -------------*- C++ -*-===//
//
// Dimensions, storage levels and data types in their fixed order, and the
// loop nest (bounds, strides, which tensor depends on which dimension) that
// a conv or fc layer becomes.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_COST_LOOPNEST_H
#define HDX_COST_LOOPNEST_H

#include "hdx/Support/Expected.h"

#include <array>
#include <cstdint>

namespace hdx::cost {

struct Layer;

/// Loop dimensions: batch, output channels, input channels (per group),
/// filter rows, filter columns, output rows, output columns.
enum Dim : int { N = 0, K, C, R, S, P, Q };
constexpr int kNumDims = 7;

/// Storage levels, outermost first.
enum Level : int { DRAM = 0, GLB, RF };
constexpr int kNumLevels = 3;

enum DataType : int { Weights = 0, Inputs, Outputs };
constexpr int kNumDataTypes = 3;

/// 'N', 'K', ... 'Q'.
char dimLetter(Dim dim);
/// Maps 'N'..'Q' (either case) to a Dim; false for other letters.
bool parseDim(char letter, Dim &dim);
/// "DRAM", "GLB", "RF".
const char *levelName(Level level);
/// "weights", "inputs", "outputs".
const char *dataTypeName(DataType type);

template <typename T> using PerDim = std::array<T, kNumDims>;

struct LoopNest {
  PerDim<int64_t> bound{1, 1, 1, 1, 1, 1, 1};
  int64_t stride_h = 1, stride_w = 1;
  int64_t dilation_h = 1, dilation_w = 1;
  /// Input channel = k * C + c (each output channel reads its own inputs:
  /// depthwise convolution), so inputs depend on K.
  bool inputs_depend_on_k = false;
  /// A grouped convolution whose groups hold several output channels each is
  /// executed as `copies` independent convolutions one after another.
  int64_t copies = 1;

  /// Whether tensor `type` is indexed by dimension `dim`.
  bool relevant(DataType type, Dim dim) const {
    return (relevance[type] >> dim) & 1u;
  }
  uint32_t relevance[kNumDataTypes] = {0, 0, 0};

  /// MACs of one copy (product of the bounds).
  int64_t macsPerCopy() const;
  int64_t macs() const { return macsPerCopy() * copies; }
  /// Input channels one copy reads: k*c when inputs depend on K, else c.
  int64_t inputChannels() const;
  /// Rows/cols spanned by the zero-padded input one copy reads (with a
  /// stride larger than the window, some of them are never read).
  int64_t paddedInputHeight() const;
  int64_t paddedInputWidth() const;
  /// Elements of each tensor of one copy as stored (inputs: the padded span).
  int64_t tensorSize(DataType type) const;
};

/// The loop nest of a conv or fc layer; an error for pool/eltwise (they do
/// not run as a loop nest) or an invalid layer.
Expected<LoopNest> makeLoopNest(const Layer &layer);

/// Distinct values of p*stride + r*dilation for 0 <= p < np, 0 <= r < nr:
/// the input rows a tile of np output rows and nr filter rows reads.
int64_t windowFootprint(int64_t np, int64_t nr, int64_t stride,
                        int64_t dilation);

} // namespace hdx::cost

#endif // HDX_COST_LOOPNEST_H
