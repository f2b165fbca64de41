//===- WindowSize.h - output size of a sliding window ------------*- C++ -*-===//
//
// One rule for convolution and pooling output sizes, shared by the dialect's
// verifiers, the ONNX importer and the network builder of hdx-zoo (they
// disagreed once, when each had its own).
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_WINDOWSIZE_H
#define HDX_SUPPORT_WINDOWSIZE_H

#include <cstdint>

namespace hdx {

/// Output size of a sliding window along one axis (convolution, pooling);
/// floor or ceil division as ONNX's `ceil_mode` says (a window that would
/// start in the right padding is dropped, as in ONNX and PyTorch); 0 when
/// the window does not fit the padded input.
int64_t windowOutputSize(int64_t input, int64_t padBefore, int64_t padAfter,
                         int64_t window, int64_t stride, int64_t dilation = 1,
                         bool ceilMode = false);

} // namespace hdx

#endif // HDX_SUPPORT_WINDOWSIZE_H
