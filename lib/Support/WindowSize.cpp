//===- WindowSize.cpp - output size of a sliding window -------------------===//
#include "hdx/Support/WindowSize.h"

int64_t hdx::windowOutputSize(int64_t input, int64_t padBefore,
                              int64_t padAfter, int64_t window, int64_t stride,
                              int64_t dilation, bool ceilMode) {
  int64_t span = input + padBefore + padAfter - dilation * (window - 1) - 1;
  if (span < 0)
    return 0;
  if (!ceilMode)
    return span / stride + 1;
  int64_t out = (span + stride - 1) / stride + 1;
  if ((out - 1) * stride >= input + padBefore)
    --out;
  return out;
}
