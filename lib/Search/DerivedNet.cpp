//===- DerivedNet.cpp - The network of one discrete architecture ----------===//

#include "hdx/Search/DerivedNet.h"

using namespace hdx;
using namespace hdx::search;

DerivedNetImpl::DerivedNetImpl(const NetworkSpace &space,
                               std::vector<int> choice)
    : space_(space), choice_(std::move(choice)) {
  ConvShape s = space.stemConv();
  stem = register_module("stem", ConvBn(s.input.channels, s.output.channels,
                                        s.kernel, s.stride, 1, true));
  for (int l = 0; l < space.numLayers(); ++l) {
    const SearchableLayer &layer = space.layers()[l];
    const Candidate &c = space.candidates().at(choice_.at(l));
    MBConv block{nullptr};
    if (c.kind == Candidate::Kind::MBConv)
      block = register_module(moduleName(layer.name), MBConv(layer, c));
    layers.push_back(block);
  }
  if (auto h = space.headConv())
    head = register_module("head", ConvBn(h->input.channels,
                                          h->output.channels, 1, 1, 1, true));
  classifier = register_module(
      "classifier",
      torch::nn::Linear(space.featureChannels(), space.numClasses()));
}

torch::Tensor DerivedNetImpl::forward(const torch::Tensor &x) {
  torch::Tensor h = stem(x);
  for (MBConv &block : layers)
    if (block)
      h = block(h);
  if (head)
    h = head(h);
  return classifier(h.mean({2, 3}));
}

Expected<DerivedNet>
hdx::search::makeDerivedNet(const NetworkSpace &space,
                            const std::vector<int> &choice) {
  if (Status s = space.checkChoice(choice); !s)
    return s;
  return DerivedNet(space, choice);
}
