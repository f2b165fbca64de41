//===- SqueezeNet.cpp - torchvision's squeezenet1_1 -----------------------===//
#include "hdx/Zoo/Models.h"

namespace hdx::zoo {

namespace {

/// Fire: a 1x1 squeeze, then 1x1 and 3x3 expansions concatenated on
/// channels; every convolution has a bias and a ReLU.
Activation fire(NetBuilder &net, const Scope &scope, const Activation &x,
                int64_t squeeze, int64_t expand1x1, int64_t expand3x3) {
  Activation s = net.conv(scope.child("squeeze"), x, squeeze, 1, 1, 0, 1, true);
  s = net.relu(scope.child("squeeze_activation"), s);
  Activation a = net.conv(scope.child("expand1x1"), s, expand1x1, 1, 1, 0, 1, true);
  a = net.relu(scope.child("expand1x1_activation"), a);
  Activation b = net.conv(scope.child("expand3x3"), s, expand3x3, 3, 1, 1, 1, true);
  b = net.relu(scope.child("expand3x3_activation"), b);
  return net.concatChannels(scope, {a, b});
}

} // namespace

void buildSqueezeNet11(NetBuilder &net, int64_t batch, int64_t resolution) {
  Scope root;
  Scope features = root.child("features");
  Activation x = net.input("input", {batch, 3, resolution, resolution});
  x = net.conv(features.index(0), x, 64, 3, 2, 0, 1, true);
  x = net.relu(features.index(1), x);
  x = net.maxPool(features.index(2), x, 3, 2, 0, true);
  x = fire(net, features.index(3), x, 16, 64, 64);
  x = fire(net, features.index(4), x, 16, 64, 64);
  x = net.maxPool(features.index(5), x, 3, 2, 0, true);
  x = fire(net, features.index(6), x, 32, 128, 128);
  x = fire(net, features.index(7), x, 32, 128, 128);
  x = net.maxPool(features.index(8), x, 3, 2, 0, true);
  x = fire(net, features.index(9), x, 48, 192, 192);
  x = fire(net, features.index(10), x, 48, 192, 192);
  x = fire(net, features.index(11), x, 64, 256, 256);
  x = fire(net, features.index(12), x, 64, 256, 256);

  // classifier.0 is Dropout, an identity in eval mode.
  Scope classifier = root.child("classifier");
  x = net.conv(classifier.index(1), x, 1000, 1, 1, 0, 1, true);
  x = net.relu(classifier.index(2), x);
  x = net.adaptiveAvgPool(classifier.index(3), x);
  x = net.flatten(root, x, "output");
  net.output(x);
}

} // namespace hdx::zoo
