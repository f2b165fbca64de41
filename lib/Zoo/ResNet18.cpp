//===- ResNet18.cpp - torchvision's resnet18 ------------------------------===//
#include "hdx/Zoo/Models.h"

#include <string>

namespace hdx::zoo {

namespace {

/// BasicBlock: two 3x3 Conv+BN, a 1x1 Conv+BN shortcut when the shape
/// changes, Add, ReLU. The block's one ReLU module runs twice, so the second
/// call gets the scope `relu_1`.
Activation basicBlock(NetBuilder &net, const Scope &scope, const Activation &x,
                      int64_t planes, int64_t stride) {
  Activation y = net.conv(scope.child("conv1"), x, planes, 3, stride, 1);
  y = net.batchNorm(scope.child("bn1"), y);
  y = net.relu(scope.child("relu"), y);
  y = net.conv(scope.child("conv2"), y, planes, 3, 1, 1);
  y = net.batchNorm(scope.child("bn2"), y);
  Activation identity = x;
  if (stride != 1 || x.channels() != planes) {
    Scope downsample = scope.child("downsample");
    identity = net.conv(downsample.index(0), x, planes, 1, stride, 0);
    identity = net.batchNorm(downsample.index(1), identity);
  }
  y = net.add(scope, y, identity);
  return net.relu(scope.child("relu_1"), y);
}

} // namespace

void buildResNet18(NetBuilder &net, int64_t batch, int64_t resolution) {
  Scope root;
  Activation x = net.input("input", {batch, 3, resolution, resolution});
  x = net.conv(root.child("conv1"), x, 64, 7, 2, 3);
  x = net.batchNorm(root.child("bn1"), x);
  x = net.relu(root.child("relu"), x);
  x = net.maxPool(root.child("maxpool"), x, 3, 2, 1, false);
  for (int stage = 1; stage <= 4; ++stage) {
    Scope layer = root.child("layer" + std::to_string(stage));
    int64_t planes = int64_t(64) << (stage - 1);
    x = basicBlock(net, layer.index(0), x, planes, stage == 1 ? 1 : 2);
    x = basicBlock(net, layer.index(1), x, planes, 1);
  }
  x = net.adaptiveAvgPool(root.child("avgpool"), x);
  x = net.view(root, x);
  Scope fc = root.child("fc");
  x = net.torchExport() ? net.linearMatMul(fc, x, 1000, "output")
                        : net.linearGemm(fc, x, 1000, "output");
  net.output(x);
}

} // namespace hdx::zoo
