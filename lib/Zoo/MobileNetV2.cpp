//===- MobileNetV2.cpp - torchvision's mobilenet_v2 -----------------------===//
#include "hdx/Zoo/Models.h"

namespace hdx::zoo {

namespace {

/// Conv2dNormActivation: Conv (no bias) -> BatchNorm -> ReLU6.
Activation convBnRelu6(NetBuilder &net, const Scope &scope, Activation x,
                       int64_t out, int64_t kernel, int64_t stride,
                       int64_t groups) {
  x = net.conv(scope.index(0), x, out, kernel, stride, (kernel - 1) / 2, groups);
  x = net.batchNorm(scope.index(1), x);
  return net.relu6(scope.index(2), x);
}

/// InvertedResidual: expand (unless t = 1), depthwise, linear projection,
/// and the residual when shapes allow.
Activation invertedResidual(NetBuilder &net, const Scope &scope,
                            const Activation &x, int64_t out, int64_t stride,
                            int64_t expansion) {
  int64_t hidden = x.channels() * expansion;
  Scope conv = scope.child("conv");
  int layer = 0;
  Activation y = x;
  if (expansion != 1)
    y = convBnRelu6(net, conv.index(layer++), y, hidden, 1, 1, 1);
  y = convBnRelu6(net, conv.index(layer++), y, hidden, 3, stride, hidden);
  y = net.conv(conv.index(layer++), y, out, 1, 1, 0);
  y = net.batchNorm(conv.index(layer++), y);
  if (stride == 1 && x.channels() == out)
    y = net.add(scope, x, y);
  return y;
}

} // namespace

void buildMobileNetV2(NetBuilder &net, int64_t batch, int64_t resolution) {
  // (expansion t, channels c, repeats n, first stride s), torchvision's table.
  struct Stage {
    int64_t t, c, n, s;
  };
  static const Stage stages[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2},
                                 {6, 64, 4, 2},  {6, 96, 3, 1},  {6, 160, 3, 2},
                                 {6, 320, 1, 1}};
  Scope root;
  Scope features = root.child("features");
  Activation x = net.input("input", {batch, 3, resolution, resolution});
  int index = 0;
  x = convBnRelu6(net, features.index(index++), x, 32, 3, 2, 1);
  for (const Stage &stage : stages)
    for (int64_t i = 0; i < stage.n; ++i)
      x = invertedResidual(net, features.index(index++), x, stage.c,
                           i == 0 ? stage.s : 1, stage.t);
  x = convBnRelu6(net, features.index(index++), x, 1280, 1, 1, 1);

  x = net.adaptiveAvgPool(root, x);
  x = net.flatten(root, x);
  // classifier.0 is Dropout, an identity in eval mode.
  x = net.linearGemm(root.child("classifier").index(1), x, 1000, "output");
  net.output(x);
}

} // namespace hdx::zoo
