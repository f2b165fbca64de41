//===- Dataset.h - Image classification data sets ---------------*- C++ -*-===//
//
// Fashion-MNIST (gzipped IDX, read with zlib as Debian ships it), CIFAR-10
// binary batches, and a generated data set for tests. Images stay 8-bit here;
// training scales them to [0, 1] (the exported ONNX model expects the same
// input). Plain data, no Torch.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_DATASET_H
#define HDX_SEARCH_DATASET_H

#include "hdx/Search/Config.h"
#include "hdx/Search/NetworkSpace.h"
#include "hdx/Support/Expected.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hdx::search {

/// Images in NCHW byte order with their class labels.
struct ImageSet {
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<uint8_t> pixels; // size() * channels * height * width
  std::vector<int64_t> labels;

  int64_t size() const { return static_cast<int64_t>(labels.size()); }
  int64_t imageBytes() const {
    return static_cast<int64_t>(channels) * height * width;
  }
  /// The images at `indices`, in that order.
  ImageSet subset(const std::vector<int64_t> &indices) const;
};

/// The three splits of a search: weights train on `train`, architecture and
/// hardware parameters on the held-out `val`, and `test` measures the
/// derived network.
struct DataSplits {
  std::string name; // "fashion-mnist", "cifar10", "synthetic"
  int numClasses = 0;
  ImageSet train;
  ImageSet val;
  ImageSet test;

  FeatureShape inputShape() const {
    return {train.channels, train.height, train.width};
  }
};

/// Debian's Fashion-MNIST folder.
inline constexpr const char *kDefaultFashionMnistDir =
    "/usr/share/datasets/fashion-mnist";

/// Reads an IDX image file (magic 0x00000803) and its label file (0x00000801),
/// gzipped or not. Errors name the file at fault.
Expected<ImageSet> readIdx(const std::string &imagesPath,
                           const std::string &labelsPath, int numClasses);

/// Reads CIFAR-10 binary batch files (records of 1 label byte + 3072 pixel
/// bytes) into one set.
Expected<ImageSet> readCifarBatches(const std::vector<std::string> &paths);

/// `count` generated images of `config` (deterministic in `seed`).
ImageSet makeSyntheticImages(const SyntheticDataConfig &config, int64_t count,
                             uint64_t seed);

/// Loads the data set of `config` and splits its training images into the
/// train and held-out sets with a permutation drawn from `seed`.
Expected<DataSplits> loadData(const DataConfig &config, uint64_t seed);

} // namespace hdx::search

#endif // HDX_SEARCH_DATASET_H
