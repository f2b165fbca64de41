//===- NetworkSpace.cpp - Resolving the network search space --------------===//

#include "hdx/Search/NetworkSpace.h"

using namespace hdx;
using namespace hdx::search;

namespace {

/// "Same" padding (kernel / 2) with odd kernels: the output size does not
/// depend on the kernel, so every candidate of a layer has the same shape.
int convOutput(int size, int stride) { return (size - 1) / stride + 1; }

ConvShape conv(std::string name, FeatureShape in, int outChannels, int kernel,
               int stride, int groups) {
  ConvShape c;
  c.name = std::move(name);
  c.input = in;
  c.output = {outChannels, convOutput(in.height, stride),
              convOutput(in.width, stride)};
  c.kernel = kernel;
  c.stride = stride;
  c.groups = groups;
  return c;
}

} // namespace

std::string Candidate::name() const {
  if (kind == Kind::Skip)
    return "skip";
  return "mb_k" + std::to_string(kernel) + "_e" + std::to_string(expansion);
}

int64_t ConvShape::macs() const {
  return static_cast<int64_t>(output.channels) * output.height * output.width *
         (input.channels / groups) * kernel * kernel;
}

Expected<NetworkSpace> NetworkSpace::build(const SearchSpaceConfig &config,
                                           FeatureShape input, int numClasses) {
  NetworkSpace space;
  space.config_ = config;
  space.input_ = input;
  space.numClasses_ = numClasses;
  if (config.stages.empty())
    return Error{"search space: no stages"};

  for (int k : config.candidates.kernels)
    for (int e : config.candidates.expansions) {
      Candidate c;
      c.kernel = k;
      c.expansion = e;
      space.candidates_.push_back(c);
    }
  if (config.candidates.skip) {
    Candidate c;
    c.kind = Candidate::Kind::Skip;
    space.candidates_.push_back(c);
  }

  space.stemOutput_ = {config.stem.channels,
                       convOutput(input.height, config.stem.stride),
                       convOutput(input.width, config.stem.stride)};
  FeatureShape current = space.stemOutput_;
  for (size_t s = 0; s < config.stages.size(); ++s) {
    const StageConfig &stage = config.stages[s];
    for (int l = 0; l < stage.layers; ++l) {
      SearchableLayer layer;
      layer.name = "stage" + std::to_string(s) + ".layer" + std::to_string(l);
      layer.stage = static_cast<int>(s);
      layer.index = l;
      layer.stride = l == 0 ? stage.stride : 1;
      layer.input = current;
      layer.output = {stage.channels, convOutput(current.height, layer.stride),
                      convOutput(current.width, layer.stride)};
      if (current.height < layer.stride || current.width < layer.stride)
        return Error{"search space: " + layer.name + " strides a " +
                     std::to_string(current.height) + "x" +
                     std::to_string(current.width) +
                     " feature map; use fewer stride-2 stages"};
      layer.residual =
          layer.stride == 1 && layer.input.channels == layer.output.channels;
      for (const Candidate &c : space.candidates_)
        layer.allowed.push_back(c.kind == Candidate::Kind::MBConv ||
                                layer.residual);
      current = layer.output;
      space.layers_.push_back(std::move(layer));
    }
  }
  if (space.layers_.empty())
    return Error{"search space: no searchable layers"};
  return space;
}

ConvShape NetworkSpace::stemConv() const {
  return conv("stem", input_, config_.stem.channels, config_.stem.kernel,
              config_.stem.stride, 1);
}

std::optional<ConvShape> NetworkSpace::headConv() const {
  if (config_.head_channels == 0)
    return std::nullopt;
  return conv("head", layers_.back().output, config_.head_channels, 1, 1, 1);
}

int NetworkSpace::featureChannels() const {
  return config_.head_channels ? config_.head_channels
                               : layers_.back().output.channels;
}

ConvShape NetworkSpace::classifier() const {
  return conv("classifier", {featureChannels(), 1, 1}, numClasses_, 1, 1, 1);
}

std::vector<ConvShape> NetworkSpace::fixedConvs() const {
  std::vector<ConvShape> convs{stemConv()};
  if (auto head = headConv())
    convs.push_back(*head);
  convs.push_back(classifier());
  return convs;
}

std::vector<ConvShape> NetworkSpace::candidateConvs(int layerIndex,
                                                    int candidate) const {
  const SearchableLayer &layer = layers_.at(layerIndex);
  const Candidate &c = candidates_.at(candidate);
  if (c.kind == Candidate::Kind::Skip)
    return {};
  int hidden = layer.input.channels * c.expansion;
  std::vector<ConvShape> convs;
  FeatureShape x = layer.input;
  if (c.expansion != 1) {
    convs.push_back(conv(layer.name + ".expand", x, hidden, 1, 1, 1));
    x = convs.back().output;
  }
  convs.push_back(conv(layer.name + ".dw", x, hidden, c.kernel, layer.stride,
                       hidden));
  convs.push_back(conv(layer.name + ".project", convs.back().output,
                       layer.output.channels, 1, 1, 1));
  return convs;
}

Status NetworkSpace::checkChoice(const std::vector<int> &choice) const {
  if (choice.size() != layers_.size())
    return Error{"architecture has " + std::to_string(choice.size()) +
                 " choices for " + std::to_string(layers_.size()) +
                 " searchable layers"};
  for (size_t l = 0; l < choice.size(); ++l) {
    int k = choice[l];
    if (k < 0 || k >= numCandidates())
      return Error{layers_[l].name + ": candidate index " + std::to_string(k) +
                   " out of range"};
    if (!layers_[l].allowed[k])
      return Error{layers_[l].name + ": candidate " + candidates_[k].name() +
                   " does not fit the layer's shapes"};
  }
  return Status::success();
}

std::string NetworkSpace::describe(const std::vector<int> &choice) const {
  std::string text;
  for (size_t l = 0; l < choice.size() && l < layers_.size(); ++l) {
    if (!text.empty())
      text += ' ';
    int k = choice[l];
    text += layers_[l].name + "=" +
            (k >= 0 && k < numCandidates() ? candidates_[k].name() : "?");
  }
  return text;
}
