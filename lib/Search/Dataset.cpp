//===- Dataset.cpp - Reading and generating image data sets ---------------===//

#include "hdx/Search/Dataset.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/Random.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>

using namespace hdx;
using namespace hdx::search;
namespace fs = std::filesystem;

ImageSet ImageSet::subset(const std::vector<int64_t> &indices) const {
  ImageSet out;
  out.channels = channels;
  out.height = height;
  out.width = width;
  const int64_t bytes = imageBytes();
  out.pixels.resize(static_cast<size_t>(bytes) * indices.size());
  out.labels.reserve(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    const int64_t src = indices[i];
    std::copy_n(pixels.begin() + src * bytes, bytes,
                out.pixels.begin() + static_cast<int64_t>(i) * bytes);
    out.labels.push_back(labels[src]);
  }
  return out;
}

namespace {

/// Data set files beyond this are refused (Fashion-MNIST's largest is 26 MB
/// gzipped, a CIFAR-10 batch 30 MB).
constexpr uint64_t kMaxDataFileBytes = uint64_t{1} << 30;

/// The whole file, decompressed if it is gzipped (zlib reads plain files
/// transparently).
Expected<std::vector<uint8_t>> readFile(const std::string &path) {
  // A FIFO would block the read and a device never end it.
  uint64_t size = 0;
  std::string error;
  if (!checkInputFile(path, kMaxDataFileBytes, size, error))
    return Error{error};
  errno = 0;
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file)
    return Error{"cannot open '" + path + "': " +
                 (errno ? std::strerror(errno) : "out of memory")};
  std::vector<uint8_t> data;
  std::vector<uint8_t> chunk(1 << 20);
  for (;;) {
    int n = gzread(file, chunk.data(), static_cast<unsigned>(chunk.size()));
    if (n <= 0)
      break;
    data.insert(data.end(), chunk.begin(), chunk.begin() + n);
  }
  int code = Z_OK;
  const char *message = gzerror(file, &code);
  std::string text = message ? message : "";
  gzclose(file);
  if (code != Z_OK && code != Z_STREAM_END)
    return Error{"'" + path + "' is corrupt: " + text};
  return data;
}

uint32_t bigEndian32(const uint8_t *p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) |
         (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

/// Checks an IDX header (unsigned bytes, `dims` dimensions) and returns the
/// dimension sizes.
Expected<std::vector<uint32_t>> idxHeader(const std::vector<uint8_t> &data,
                                          const std::string &path, int dims) {
  const uint32_t magic = 0x0800u | static_cast<uint32_t>(dims);
  const size_t headerBytes = 4 + 4 * static_cast<size_t>(dims);
  if (data.size() < headerBytes || bigEndian32(data.data()) != magic) {
    char expected[16];
    std::snprintf(expected, sizeof expected, "0x%08x", magic);
    return Error{"'" + path + "' is not an IDX file of " +
                 std::to_string(dims) + "-D unsigned bytes (magic " + expected +
                 ")"};
  }
  std::vector<uint32_t> sizes;
  uint64_t total = 1;
  for (int d = 0; d < dims; ++d) {
    sizes.push_back(bigEndian32(data.data() + 4 + 4 * d));
    total *= sizes.back();
  }
  if (data.size() != headerBytes + total)
    return Error{"'" + path + "' is corrupt: header announces " +
                 std::to_string(total) + " bytes of data, file has " +
                 std::to_string(data.size() - headerBytes)};
  return sizes;
}

Status checkLabels(const std::vector<int64_t> &labels, int numClasses,
                   const std::string &path) {
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= numClasses)
      return Error{"'" + path + "' is corrupt: label " +
                   std::to_string(labels[i]) + " of item " + std::to_string(i) +
                   " is not in [0, " + std::to_string(numClasses) + ")"};
  return Status::success();
}

/// `dir/name.gz`, else `dir/name`; an error names the expected file.
Expected<std::string> findIdx(const std::string &dir, const std::string &name) {
  fs::path gz = fs::path(dir) / (name + ".gz");
  fs::path plain = fs::path(dir) / name;
  std::error_code ec;
  if (fs::exists(gz, ec))
    return gz.string();
  if (fs::exists(plain, ec))
    return plain.string();
  return Error{"Fashion-MNIST file '" + gz.string() +
               "' not found (install Debian's dataset-fashion-mnist or set "
               "data.path)"};
}

/// `count` images drawn from the front of a seeded permutation of `set`
/// (0 = all of them, in permuted order).
Expected<ImageSet> take(const ImageSet &set, int64_t count, Rng &rng,
                        const std::string &what) {
  if (count > set.size())
    return Error{what + " (" + std::to_string(count) + ") exceeds the " +
                 std::to_string(set.size()) + " images available"};
  std::vector<int64_t> order = rng.permutation(set.size());
  order.resize(static_cast<size_t>(count ? count : set.size()));
  return set.subset(order);
}

} // namespace

Expected<ImageSet> hdx::search::readIdx(const std::string &imagesPath,
                                        const std::string &labelsPath,
                                        int numClasses) {
  auto images = readFile(imagesPath);
  if (!images)
    return images.status();
  auto imageDims = idxHeader(*images, imagesPath, 3);
  if (!imageDims)
    return imageDims.status();
  auto labels = readFile(labelsPath);
  if (!labels)
    return labels.status();
  auto labelDims = idxHeader(*labels, labelsPath, 1);
  if (!labelDims)
    return labelDims.status();
  if ((*imageDims)[0] != (*labelDims)[0])
    return Error{"'" + labelsPath + "' has " + std::to_string((*labelDims)[0]) +
                 " labels for the " + std::to_string((*imageDims)[0]) +
                 " images of '" + imagesPath + "'"};

  ImageSet set;
  set.channels = 1;
  set.height = static_cast<int>((*imageDims)[1]);
  set.width = static_cast<int>((*imageDims)[2]);
  set.pixels.assign(images->begin() + 16, images->end());
  set.labels.assign(labels->begin() + 8, labels->end());
  if (Status s = checkLabels(set.labels, numClasses, labelsPath); !s)
    return s;
  return set;
}

Expected<ImageSet>
hdx::search::readCifarBatches(const std::vector<std::string> &paths) {
  constexpr int64_t kImageBytes = 3 * 32 * 32;
  constexpr int64_t kRecordBytes = 1 + kImageBytes;
  ImageSet set;
  set.channels = 3;
  set.height = 32;
  set.width = 32;
  for (const std::string &path : paths) {
    Expected<std::vector<uint8_t>> read = readFile(path);
    if (!read)
      return Error{"CIFAR-10 batch: " + read.error()};
    const std::vector<uint8_t> &data = *read;
    if (data.empty() || data.size() % kRecordBytes != 0)
      return Error{"'" + path + "' is not a CIFAR-10 binary batch: " +
                   std::to_string(data.size()) +
                   " bytes is not a positive multiple of the 3073-byte record"};
    std::vector<int64_t> labels;
    for (size_t r = 0; r < data.size() / kRecordBytes; ++r) {
      const uint8_t *record = data.data() + r * kRecordBytes;
      labels.push_back(static_cast<uint8_t>(record[0]));
      set.pixels.insert(set.pixels.end(), record + 1, record + kRecordBytes);
    }
    if (Status s = checkLabels(labels, 10, path); !s)
      return s;
    set.labels.insert(set.labels.end(), labels.begin(), labels.end());
  }
  return set;
}

ImageSet hdx::search::makeSyntheticImages(const SyntheticDataConfig &config,
                                          int64_t count, uint64_t seed) {
  // Class k is a stripe pattern: one of four orientations, and a frequency
  // that grows every four classes. A random phase per image and Gaussian
  // noise per pixel make the task non-trivial, while the classes stay
  // separable by small convolutions followed by global pooling.
  constexpr double kPi = 3.14159265358979323846;
  Rng rng(seed);
  ImageSet set;
  set.channels = config.channels;
  set.height = set.width = config.image_size;
  set.pixels.reserve(static_cast<size_t>(count * set.imageBytes()));
  const double size = config.image_size;
  for (int64_t i = 0; i < count; ++i) {
    const int label = static_cast<int>(rng.below(config.classes));
    const double angle = kPi * (label % 4) / 4.0;
    const double cycles = 1.5 * (1 + label / 4);
    const double phase = 2 * kPi * rng.uniform();
    const double cx = std::cos(angle) / size, cy = std::sin(angle) / size;
    for (int c = 0; c < config.channels; ++c)
      for (int y = 0; y < config.image_size; ++y)
        for (int x = 0; x < config.image_size; ++x) {
          double v = 128 + 90 * std::cos(2 * kPi * cycles * (x * cx + y * cy) +
                                         phase) +
                     25 * rng.normal();
          set.pixels.push_back(
              static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)));
        }
    set.labels.push_back(label);
  }
  return set;
}

Expected<DataSplits> hdx::search::loadData(const DataConfig &config,
                                           uint64_t seed) {
  DataSplits splits;
  ImageSet pool, test;
  switch (config.dataset) {
  case DatasetKind::FashionMnist: {
    splits.name = "fashion-mnist";
    splits.numClasses = 10;
    std::string dir = config.path.empty() ? kDefaultFashionMnistDir : config.path;
    auto trainImages = findIdx(dir, "train-images-idx3-ubyte");
    auto trainLabels = findIdx(dir, "train-labels-idx1-ubyte");
    auto testImages = findIdx(dir, "t10k-images-idx3-ubyte");
    auto testLabels = findIdx(dir, "t10k-labels-idx1-ubyte");
    for (auto *found : {&trainImages, &trainLabels, &testImages, &testLabels})
      if (!*found)
        return Error{found->error()};
    auto train = readIdx(*trainImages, *trainLabels, 10);
    if (!train)
      return train.status();
    auto t10k = readIdx(*testImages, *testLabels, 10);
    if (!t10k)
      return t10k.status();
    pool = std::move(*train);
    test = std::move(*t10k);
    break;
  }
  case DatasetKind::Cifar10: {
    splits.name = "cifar10";
    splits.numClasses = 10;
    fs::path dir = config.path;
    std::error_code ec;
    if (fs::is_directory(dir / "cifar-10-batches-bin", ec))
      dir /= "cifar-10-batches-bin";
    std::vector<std::string> trainFiles;
    for (int b = 1; b <= 5; ++b)
      trainFiles.push_back((dir / ("data_batch_" + std::to_string(b) + ".bin"))
                               .string());
    auto train = readCifarBatches(trainFiles);
    if (!train)
      return train.status();
    auto testSet = readCifarBatches({(dir / "test_batch.bin").string()});
    if (!testSet)
      return testSet.status();
    pool = std::move(*train);
    test = std::move(*testSet);
    break;
  }
  case DatasetKind::Synthetic:
    splits.name = "synthetic";
    splits.numClasses = config.synthetic.classes;
    pool = makeSyntheticImages(config.synthetic,
                               config.synthetic.train_images, seed);
    test = makeSyntheticImages(config.synthetic, config.synthetic.test_images,
                               seed ^ 0x7e57da7aULL);
    break;
  }

  // Held-out and training images are disjoint parts of one permutation.
  if (config.val_size + config.train_size > pool.size() ||
      config.val_size >= pool.size())
    return Error{splits.name + ": data.val_size (" +
                 std::to_string(config.val_size) + ") + data.train_size (" +
                 std::to_string(config.train_size) + ") exceed the " +
                 std::to_string(pool.size()) + " training images"};
  Rng rng(seed ^ 0x5eedda7aULL);
  std::vector<int64_t> order = rng.permutation(pool.size());
  std::vector<int64_t> valIdx(order.begin(), order.begin() + config.val_size);
  int64_t trainCount =
      config.train_size ? config.train_size : pool.size() - config.val_size;
  std::vector<int64_t> trainIdx(order.begin() + config.val_size,
                                order.begin() + config.val_size + trainCount);
  splits.val = pool.subset(valIdx);
  splits.train = pool.subset(trainIdx);
  auto testSplit = take(test, config.test_size, rng, splits.name + ": data.test_size");
  if (!testSplit)
    return testSplit.status();
  splits.test = std::move(*testSplit);
  if (splits.test.size() == 0)
    return Error{splits.name + ": the test set is empty"};
  return splits;
}
