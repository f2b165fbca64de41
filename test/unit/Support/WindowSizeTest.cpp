//===- WindowSizeTest.cpp - the sliding-window output size ----------------===//
//
// Expected sizes by hand: floor((in + pads - dil*(k-1) - 1) / stride) + 1,
// the ceiling in ceil mode unless the last window starts in the right
// padding (PyTorch's and ONNX's rule).
//
//===----------------------------------------------------------------------===//
#include "hdx/Support/WindowSize.h"

#include <gtest/gtest.h>

using hdx::windowOutputSize;

namespace {

TEST(WindowSize, FloorAndCeilModes) {
  // 7, k3, s2: span 4 -> 3 either way.
  EXPECT_EQ(windowOutputSize(7, 0, 0, 3, 2), 3);
  EXPECT_EQ(windowOutputSize(7, 0, 0, 3, 2, 1, true), 3);
  // 8, k3, s2: span 5 -> floor 3, ceil 4 (the last window starts at 6 < 8).
  EXPECT_EQ(windowOutputSize(8, 0, 0, 3, 2), 3);
  EXPECT_EQ(windowOutputSize(8, 0, 0, 3, 2, 1, true), 4);
  // 112, k3, s2, pad 1: ResNet's stem pooling, 56.
  EXPECT_EQ(windowOutputSize(112, 1, 1, 3, 2), 56);
}

TEST(WindowSize, CeilModeDropsAWindowStartingInThePadding) {
  // 5, pad 1+1, k2, s2: span 5, ceil 4, but window 4 would start at 6 =
  // input + left pad: dropped, 3 (PyTorch MaxPool2d(2, 2, 1, ceil_mode=True)).
  EXPECT_EQ(windowOutputSize(5, 1, 1, 2, 2, 1, true), 3);
}

TEST(WindowSize, DilationAndWindowsThatDoNotFit) {
  // 7, k3 dilated by 2 (extent 5), s1: 3.
  EXPECT_EQ(windowOutputSize(7, 0, 0, 3, 1, 2), 3);
  EXPECT_EQ(windowOutputSize(2, 0, 0, 3, 1), 0);
  EXPECT_EQ(windowOutputSize(2, 1, 0, 3, 1), 1);
}

} // namespace
