//===- DatasetTest.cpp - Data set readers and splits ----------------------===//

#include "hdx/Search/Dataset.h"

#include "SearchTestUtil.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>

using namespace hdx;
using namespace hdx::search;
using namespace hdx::search::test;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> idx(uint32_t magic, std::vector<uint32_t> dims,
                         const std::vector<uint8_t> &data) {
  std::vector<uint8_t> bytes;
  auto put = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8)
      bytes.push_back(static_cast<uint8_t>(v >> s));
  };
  put(magic);
  for (uint32_t d : dims)
    put(d);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void writeGzip(const fs::path &path, const std::vector<uint8_t> &bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  gzclose(f);
}

void writePlain(const fs::path &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

/// Three 2x2 images with labels 0, 1, 2.
void writeTinyIdx(const fs::path &dir, const std::string &prefix) {
  writeGzip(dir / (prefix + "-images-idx3-ubyte.gz"),
            idx(0x803, {3, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
  writeGzip(dir / (prefix + "-labels-idx1-ubyte.gz"),
            idx(0x801, {3}, {0, 1, 2}));
}

TEST(SearchData, ReadsGzippedIdx) {
  fs::path dir = scratchDir("idx");
  writeTinyIdx(dir, "train");
  auto set = readIdx((dir / "train-images-idx3-ubyte.gz").string(),
                     (dir / "train-labels-idx1-ubyte.gz").string(), 10);
  ASSERT_TRUE(set) << set.error();
  EXPECT_EQ(set->size(), 3);
  EXPECT_EQ(set->height, 2);
  EXPECT_EQ(set->channels, 1);
  EXPECT_EQ(set->pixels[5], 5);
  EXPECT_EQ(set->labels, (std::vector<int64_t>{0, 1, 2}));
}

TEST(SearchData, CorruptIdxNamesTheFile) {
  fs::path dir = scratchDir("corrupt");
  fs::path images = dir / "images.gz", labels = dir / "labels.gz";
  writeGzip(labels, idx(0x801, {3}, {0, 1, 2}));

  // Wrong magic number.
  writeGzip(images, idx(0x801, {3, 2, 2}, std::vector<uint8_t>(12)));
  auto r = readIdx(images.string(), labels.string(), 10);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find(images.string()), std::string::npos);
  EXPECT_NE(r.error().find("not an IDX file"), std::string::npos);

  // Header announces more data than the file holds.
  writeGzip(images, idx(0x803, {3, 2, 2}, std::vector<uint8_t>(11)));
  r = readIdx(images.string(), labels.string(), 10);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("corrupt"), std::string::npos) << r.error();

  // A truncated gzip stream.
  std::vector<uint8_t> whole =
      idx(0x803, {300, 2, 2}, std::vector<uint8_t>(1200, 7));
  writeGzip(images, whole);
  std::ifstream in(images, std::ios::binary);
  std::vector<char> gz((std::istreambuf_iterator<char>(in)), {});
  in.close();
  writePlain(images,
             std::vector<uint8_t>(gz.begin(), gz.begin() + gz.size() / 2));
  r = readIdx(images.string(), labels.string(), 10);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find(images.string()), std::string::npos) << r.error();

  // Label out of range, and label count mismatch.
  writeGzip(images, idx(0x803, {3, 2, 2}, std::vector<uint8_t>(12)));
  writeGzip(labels, idx(0x801, {3}, {0, 1, 12}));
  r = readIdx(images.string(), labels.string(), 10);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("label 12 of item 2"), std::string::npos);
  writeGzip(labels, idx(0x801, {2}, {0, 1}));
  r = readIdx(images.string(), labels.string(), 10);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("has 2 labels for the 3 images"), std::string::npos);
}

TEST(SearchData, MissingFashionMnistNamesTheFile) {
  DataConfig config;
  config.path = scratchDir("empty").string();
  config.val_size = 1;
  auto data = loadData(config, 1);
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().find("train-images-idx3-ubyte.gz' not found"),
            std::string::npos)
      << data.error();
}

TEST(SearchData, FashionMnistFolderWithSmallFiles) {
  fs::path dir = scratchDir("fmnist");
  writeTinyIdx(dir, "train");
  writeTinyIdx(dir, "t10k");
  DataConfig config;
  config.path = dir.string();
  config.val_size = 1;
  auto data = loadData(config, 3);
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->val.size(), 1);
  EXPECT_EQ(data->train.size(), 2);
  EXPECT_EQ(data->test.size(), 3);
  // Held-out and training images are disjoint: labels 0..2 each appear once.
  std::set<int64_t> labels(data->train.labels.begin(),
                           data->train.labels.end());
  labels.insert(data->val.labels[0]);
  EXPECT_EQ(labels.size(), 3u);

  config.val_size = 3;
  data = loadData(config, 3);
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().find("data.val_size (3)"), std::string::npos);
}

TEST(SearchData, DebianFashionMnist) {
  if (!fs::exists(std::string(kDefaultFashionMnistDir) +
                  "/t10k-images-idx3-ubyte.gz")) {
    // Under CI a missing data set is an install error, not a skip.
    const char *ci = std::getenv("CI");
    ASSERT_FALSE(ci && std::string(ci) == "true")
        << "CI=true but Debian's dataset-fashion-mnist is not installed";
    GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  }
  std::string dir = kDefaultFashionMnistDir;
  auto test = readIdx(dir + "/t10k-images-idx3-ubyte.gz",
                      dir + "/t10k-labels-idx1-ubyte.gz", 10);
  ASSERT_TRUE(test) << test.error();
  EXPECT_EQ(test->size(), 10000);
  EXPECT_EQ(test->height, 28);
  EXPECT_EQ(test->width, 28);
  std::vector<int> perClass(10);
  for (int64_t l : test->labels)
    ++perClass[l];
  for (int n : perClass)
    EXPECT_EQ(n, 1000); // the test set is balanced
}

TEST(SearchData, CifarBatches) {
  fs::path dir = scratchDir("cifar") / "cifar-10-batches-bin";
  fs::create_directories(dir);
  auto batch = [](int records, uint8_t label) {
    std::vector<uint8_t> bytes;
    for (int r = 0; r < records; ++r) {
      bytes.push_back(label);
      for (int i = 0; i < 3072; ++i)
        bytes.push_back(static_cast<uint8_t>(i % 251));
    }
    return bytes;
  };
  for (int b = 1; b <= 5; ++b)
    writePlain(dir / ("data_batch_" + std::to_string(b) + ".bin"),
               batch(2, static_cast<uint8_t>(b)));
  writePlain(dir / "test_batch.bin", batch(3, 9));

  DataConfig config;
  config.dataset = DatasetKind::Cifar10;
  config.path = dir.parent_path().string(); // the extracted archive's parent
  config.val_size = 4;
  auto data = loadData(config, 1);
  ASSERT_TRUE(data) << data.error();
  EXPECT_EQ(data->inputShape().channels, 3);
  EXPECT_EQ(data->inputShape().height, 32);
  EXPECT_EQ(data->train.size() + data->val.size(), 10);
  EXPECT_EQ(data->test.size(), 3);
  EXPECT_EQ(data->test.labels[0], 9);
  EXPECT_EQ(data->test.pixels[3071], 3071 % 251);

  // A FIFO in place of a batch used to block the read forever.
  fs::remove(dir / "data_batch_2.bin");
  ASSERT_EQ(::mkfifo((dir / "data_batch_2.bin").c_str(), 0600), 0);
  data = loadData(config, 1);
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().find("data_batch_2.bin: is not a regular file"),
            std::string::npos)
      << data.error();
  fs::remove(dir / "data_batch_2.bin");
  writePlain(dir / "data_batch_2.bin", batch(2, 2));

  std::vector<uint8_t> broken = batch(1, 1);
  broken.pop_back();
  writePlain(dir / "data_batch_3.bin", broken);
  data = loadData(config, 1);
  ASSERT_FALSE(data);
  EXPECT_NE(
      data.error().find("data_batch_3.bin' is not a CIFAR-10 binary batch"),
      std::string::npos)
      << data.error();
}

TEST(SearchData, SyntheticIsDeterministicAndBalancedEnough) {
  SyntheticDataConfig config;
  ImageSet a = makeSyntheticImages(config, 200, 42);
  ImageSet b = makeSyntheticImages(config, 200, 42);
  ImageSet c = makeSyntheticImages(config, 200, 43);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_NE(a.pixels, c.pixels);
  EXPECT_EQ(a.pixels.size(), 200u * 16 * 16);
  std::vector<int> perClass(config.classes);
  for (int64_t l : a.labels)
    ++perClass.at(l);
  for (int n : perClass)
    EXPECT_GT(n, 25);

  DataConfig data;
  data.dataset = DatasetKind::Synthetic;
  data.val_size = 100;
  data.train_size = 300;
  auto splits = loadData(data, 5);
  ASSERT_TRUE(splits) << splits.error();
  EXPECT_EQ(splits->numClasses, 4);
  EXPECT_EQ(splits->train.size(), 300);
  EXPECT_EQ(splits->val.size(), 100);
  EXPECT_EQ(splits->test.size(), 256);
}

} // namespace
