//===- Networks.cpp - Layer lists of reference networks -------------------===//
#include "Networks.h"

#include <string>

namespace hdx::bench {

using cost::Layer;
using cost::LayerKind;

namespace {

Layer conv(const std::string &name, int64_t cin, int64_t cout, int64_t kernel,
           int64_t stride, int64_t outSize, int64_t groups = 1) {
  Layer l;
  l.kind = LayerKind::Conv;
  l.name = name;
  l.c = cin;
  l.k = cout;
  l.r = l.s = kernel;
  l.p = l.q = outSize;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = kernel / 2;
  l.groups = groups;
  return l;
}

Layer fc(const std::string &name, int64_t cin, int64_t cout) {
  Layer l;
  l.kind = LayerKind::FC;
  l.name = name;
  l.c = cin;
  l.k = cout;
  return l;
}

Layer pool(const std::string &name, int64_t channels, int64_t window,
           int64_t stride, int64_t outSize) {
  Layer l;
  l.kind = LayerKind::Pool;
  l.name = name;
  l.c = l.k = channels;
  l.r = l.s = window;
  l.stride_h = l.stride_w = stride;
  l.pad_h = l.pad_w = window == 3 ? 1 : 0;
  l.p = l.q = outSize;
  return l;
}

Layer add(const std::string &name, int64_t channels, int64_t size) {
  Layer l;
  l.kind = LayerKind::Eltwise;
  l.name = name;
  l.c = l.k = channels;
  l.p = l.q = size;
  return l;
}

} // namespace

std::vector<Layer> mobileNetV2() {
  std::vector<Layer> net;
  net.push_back(conv("conv0", 3, 32, 3, 2, 112));
  struct Stage {
    int64_t expand, channels, repeats, stride;
  };
  const Stage stages[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2},
                          {6, 64, 4, 2},  {6, 96, 3, 1},  {6, 160, 3, 2},
                          {6, 320, 1, 1}};
  int64_t cin = 32, size = 112;
  int block = 0;
  for (const Stage &stage : stages)
    for (int64_t i = 0; i < stage.repeats; ++i, ++block) {
      int64_t stride = i == 0 ? stage.stride : 1;
      int64_t hidden = cin * stage.expand;
      int64_t out = size / stride;
      std::string prefix = "block" + std::to_string(block) + ".";
      if (stage.expand != 1)
        net.push_back(conv(prefix + "expand", cin, hidden, 1, 1, size));
      net.push_back(conv(prefix + "dw", hidden, hidden, 3, stride, out, hidden));
      net.push_back(conv(prefix + "project", hidden, stage.channels, 1, 1, out));
      if (stride == 1 && cin == stage.channels)
        net.push_back(add(prefix + "add", stage.channels, out));
      cin = stage.channels;
      size = out;
    }
  net.push_back(conv("conv_last", 320, 1280, 1, 1, 7));
  net.push_back(pool("avgpool", 1280, 7, 7, 1));
  net.push_back(fc("classifier", 1280, 1000));
  return net;
}

std::vector<Layer> resNet18() {
  std::vector<Layer> net;
  net.push_back(conv("conv1", 3, 64, 7, 2, 112));
  net.push_back(pool("maxpool", 64, 3, 2, 56));
  int64_t cin = 64, size = 56;
  const int64_t widths[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage)
    for (int b = 0; b < 2; ++b) {
      int64_t cout = widths[stage];
      int64_t stride = (stage > 0 && b == 0) ? 2 : 1;
      int64_t out = size / stride;
      std::string prefix =
          "layer" + std::to_string(stage + 1) + "." + std::to_string(b) + ".";
      net.push_back(conv(prefix + "conv1", cin, cout, 3, stride, out));
      net.push_back(conv(prefix + "conv2", cout, cout, 3, 1, out));
      if (stride != 1 || cin != cout)
        net.push_back(conv(prefix + "downsample", cin, cout, 1, stride, out));
      net.push_back(add(prefix + "add", cout, out));
      cin = cout;
      size = out;
    }
  net.push_back(pool("avgpool", 512, 7, 7, 1));
  net.push_back(fc("fc", 512, 1000));
  return net;
}

std::vector<Layer> arrayLayers(const std::vector<Layer> &layers) {
  std::vector<Layer> out;
  for (const Layer &l : layers)
    if (l.usesArray())
      out.push_back(l);
  return out;
}

} // namespace hdx::bench
