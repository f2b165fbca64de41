//===- NetworkSpace.h - The network search space, resolved ------*- C++ -*-===//
//
// The search space of the configuration resolved against the input shape:
// every searchable layer with its shapes and allowed candidates, and every
// convolution of every candidate. The supernet, the derived network, the ONNX
// writer and the hardware-cost tables all read this one description, so layer
// names and shapes agree everywhere. Plain data, no Torch.
//
// Layer names follow the ONNX node names: `stem`, `stage<s>.layer<l>`, `head`,
// `classifier`; the convolutions of an MBConv are `<layer>.expand`,
// `<layer>.dw` and `<layer>.project`.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_NETWORKSPACE_H
#define HDX_SEARCH_NETWORKSPACE_H

#include "hdx/Search/Config.h"
#include "hdx/Support/Expected.h"

#include <string>
#include <vector>

namespace hdx::search {

/// A candidate operation of a searchable layer.
struct Candidate {
  enum class Kind { MBConv, Skip };
  Kind kind = Kind::MBConv;
  int kernel = 0;    // MBConv only
  int expansion = 0; // MBConv only
  /// "mb_k3_e6", "skip".
  std::string name() const;
};

/// Input and output shape of a layer (batch 1, NCHW).
struct FeatureShape {
  int channels = 0;
  int height = 0;
  int width = 0;
};

/// One convolution (or the classifier as a 1x1 convolution over a 1x1 map),
/// with the loop bounds the cost model needs.
struct ConvShape {
  std::string name; // e.g. "stage1.layer0.dw"
  FeatureShape input;
  FeatureShape output;
  int kernel = 1;
  int stride = 1;
  int groups = 1; // = channels for depthwise convolutions
  /// Multiply-accumulates for one inference.
  int64_t macs() const;
};

struct SearchableLayer {
  std::string name; // "stage<s>.layer<l>"
  int stage = 0;
  int index = 0; // within the stage
  FeatureShape input;
  FeatureShape output;
  int stride = 1;
  /// Input and output shapes agree: MBConv adds a residual and `skip` is
  /// allowed.
  bool residual = false;
  /// `allowed[k]` for every candidate of the space.
  std::vector<bool> allowed;
};

class NetworkSpace {
public:
  /// Resolves `config` for inputs of `input` shape and `numClasses` classes.
  /// Fails when a layer's feature map would shrink below one pixel.
  static Expected<NetworkSpace> build(const SearchSpaceConfig &config,
                                      FeatureShape input, int numClasses);

  const SearchSpaceConfig &config() const { return config_; }
  FeatureShape input() const { return input_; }
  int numClasses() const { return numClasses_; }

  /// The candidate list shared by all layers (MBConv kernel x expansion,
  /// then skip if enabled).
  const std::vector<Candidate> &candidates() const { return candidates_; }
  int numCandidates() const { return static_cast<int>(candidates_.size()); }
  const std::vector<SearchableLayer> &layers() const { return layers_; }
  int numLayers() const { return static_cast<int>(layers_.size()); }

  /// The stem convolution; output of the stem is the input of layer 0.
  ConvShape stemConv() const;
  /// The head 1x1 convolution, if the space has one.
  std::optional<ConvShape> headConv() const;
  /// The classifier as a 1x1 convolution on the pooled features.
  ConvShape classifier() const;
  /// Channels entering global pooling.
  int featureChannels() const;
  /// The layers outside the search (stem, head, classifier).
  std::vector<ConvShape> fixedConvs() const;
  /// The convolutions of candidate `candidate` at layer `layer`, in execution
  /// order (expand, dw, project; none for skip).
  std::vector<ConvShape> candidateConvs(int layer, int candidate) const;

  /// A discrete architecture: one candidate index per searchable layer.
  /// Fails naming the layer if a choice is out of range or not allowed.
  Status checkChoice(const std::vector<int> &choice) const;
  /// Human-readable "stage0.layer0=mb_k3_e6 ..." form.
  std::string describe(const std::vector<int> &choice) const;

private:
  SearchSpaceConfig config_;
  FeatureShape input_;
  int numClasses_ = 0;
  FeatureShape stemOutput_;
  std::vector<Candidate> candidates_;
  std::vector<SearchableLayer> layers_;
};

} // namespace hdx::search

#endif // HDX_SEARCH_NETWORKSPACE_H
