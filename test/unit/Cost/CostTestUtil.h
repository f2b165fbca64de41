//===- CostTestUtil.h - Layers, mappings and arrays from text ---*- C++ -*-===//
//
// Shared by the Cost and Mapper unit tests: each helper fails the calling
// test when its text does not parse, so a test states only what it checks.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TEST_UNIT_COST_COSTTESTUTIL_H
#define HDX_TEST_UNIT_COST_COSTTESTUTIL_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Cost/Mapping.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace hdx::cost::testing {

inline Layer layerOf(const char *text) {
  auto layer = parseLayer(text);
  EXPECT_TRUE(layer.ok()) << layer.error();
  return *layer;
}

inline LoopNest nestOf(const char *text) {
  auto nest = makeLoopNest(layerOf(text));
  EXPECT_TRUE(nest.ok()) << nest.error();
  return *nest;
}

inline Mapping mappingOf(const char *text) {
  auto m = parseMapping(text);
  EXPECT_TRUE(m.ok()) << m.error();
  return *m;
}

/// The default accelerator with a `rows` x `cols` array running `df`.
inline Accelerator arrayOf(Dataflow df, int64_t rows = 16, int64_t cols = 16) {
  Accelerator a;
  a.dataflow = df;
  a.pe_rows = rows;
  a.pe_cols = cols;
  return a;
}

/// Checks that the name of each value parses back to that value; wrap the
/// call in ASSERT_NO_FATAL_FAILURE to stop the test at a failed parse.
template <typename T>
void expectNamesRoundTrip(std::initializer_list<T> values,
                          bool (*parse)(std::string_view, T &)) {
  for (T value : values) {
    T back;
    ASSERT_TRUE(parse(toString(value), back));
    EXPECT_EQ(back, value);
  }
}

} // namespace hdx::cost::testing

#endif // HDX_TEST_UNIT_COST_COSTTESTUTIL_H
