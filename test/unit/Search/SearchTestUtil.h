//===- SearchTestUtil.h - Configs, spaces and tables for tests --*- C++ -*-===//
//
// Shared by the Search unit tests: each helper fails the calling test when
// its input is rejected, so a test states only what it checks.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TEST_UNIT_SEARCH_SEARCHTESTUTIL_H
#define HDX_TEST_UNIT_SEARCH_SEARCHTESTUTIL_H

#include "hdx/Search/Config.h"
#include "hdx/Search/CostTables.h"
#include "hdx/Search/NetworkSpace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace hdx::search::test {

/// The search space of the Supernet and cost-table tests: two stages, four
/// MBConv candidates and skip, as a `search_space:` YAML section.
inline const char *const kTinySearchSpaceYaml = R"(
search_space:
  stem: {channels: 4}
  stages:
    - {channels: 8, stride: 2, layers: 2}
    - {channels: 8, stride: 1, layers: 1}
  candidates: {kernels: [3, 5], expansions: [1, 3], skip: true}
  head: {channels: 16}
)";

/// A fresh, empty folder for one test.
inline std::filesystem::path scratchDir(const std::string &name) {
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("hdx-search-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline SearchConfig configOf(const std::string &yaml, const std::string &file) {
  auto config = parseConfig(yaml, file);
  EXPECT_TRUE(config) << config.error();
  return *config;
}

/// By default for the 1 x 8 x 8 images of 3 classes the tests' synthetic
/// data sets have.
inline NetworkSpace spaceOf(const SearchSpaceConfig &config,
                            FeatureShape input = {1, 8, 8},
                            int numClasses = 3) {
  auto space = NetworkSpace::build(config, input, numClasses);
  EXPECT_TRUE(space) << space.error();
  return *space;
}

inline CostTables tablesOf(const NetworkSpace &space,
                           const HardwareSpaceConfig &hardware,
                           const CostTables::Options &options = {}) {
  auto tables = CostTables::build(space, hardware, options);
  EXPECT_TRUE(tables) << tables.error();
  return *tables;
}

} // namespace hdx::search::test

#endif // HDX_TEST_UNIT_SEARCH_SEARCHTESTUTIL_H
