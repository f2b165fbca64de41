//===- MappingTest.cpp - Mapping text form and legality -------------------===//
#include "hdx/Cost/Mapping.h"
#include "hdx/Cost/Layer.h"

#include "CostTestUtil.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;

namespace {

// 16 x 16 weight-stationary array: K over columns, C over rows.
Mapping wsMapping() {
  return mappingOf(
      "dram=[1,2,1,1,1,1,1] glb=[1,1,1,1,1,7,7] rf=[1,1,1,3,3,1,1] "
      "rows=[1,1,16,1,1,1,1] cols=[1,16,1,1,1,1,1] dram_order=NKCRSPQ "
      "glb_order=NKCPQRS rf_order=NKCRSPQ");
}

} // namespace

TEST(Mapping, TextRoundTrip) {
  Mapping m = wsMapping();
  EXPECT_EQ(m.factors[DRAM][K], 2);
  EXPECT_EQ(m.factors[GLB][P], 7);
  EXPECT_EQ(m.spatial_rows[C], 16);
  EXPECT_EQ(toString(m.permutation[GLB]), "NKCPQRS");
  auto back = parseMapping(toString(m));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, m);
  EXPECT_EQ(m.coverage(K), 32);
  EXPECT_EQ(m.usedPEs(), 256);
}

TEST(Mapping, ParseErrors) {
  std::string good = toString(wsMapping());
  auto without = [&](const std::string &field) {
    size_t at = good.find(field + "=");
    size_t end = good.find(' ', at);
    return good.substr(0, at) +
           (end == std::string::npos ? "" : good.substr(end + 1));
  };
  EXPECT_EQ(parseMapping(without("rows")).error(), "mapping.rows: missing");
  auto dup = good;
  dup.replace(dup.find("rf_order=NKCRSPQ"), 16, "rf_order=NKCRSPN");
  EXPECT_EQ(parseMapping(dup).error(),
            "mapping.rf_order: permutation 'NKCRSPN': dimension 'N' appears "
            "twice");
  auto zero = good;
  zero.replace(zero.find("dram=[1,2"), 9, "dram=[0,2");
  EXPECT_EQ(parseMapping(zero).error(),
            "mapping.dram: factors must be positive integers (got '0')");
  EXPECT_EQ(parseMapping("dram=[1,2]").error(),
            "mapping.dram: expected 7 factors (got 2)");
  EXPECT_NE(parseMapping("foo=1").error().find("unknown field 'foo=1'"),
            std::string::npos);
  Permutation perm;
  EXPECT_FALSE(parsePermutation("NKC", perm).ok());
  EXPECT_FALSE(parsePermutation("NKCRSPX", perm).ok());
  ASSERT_TRUE(parsePermutation("qpsrckn", perm).ok());
  EXPECT_EQ(toString(perm), "QPSRCKN");
}

TEST(Mapping, Coverage) {
  Accelerator a;
  LoopNest nest = nestOf("conv k=32 c=16 r=3 s=3 p=7 q=7 pad=1");
  Mapping m = wsMapping();
  EXPECT_TRUE(checkStructure(a, nest, m).ok());
  m.factors[GLB][P] = 3; // 3 < 7
  EXPECT_EQ(checkStructure(a, nest, m).error(),
            "mapping: factors of P cover 3 < bound 7");
  m.factors[GLB][P] = 4;
  m.factors[RF][P] = 2; // 8 >= 7: last tile partial, legal
  EXPECT_TRUE(checkStructure(a, nest, m).ok());
  m.factors[DRAM][P] = 2; // 16 > 2 x 7
  EXPECT_EQ(checkStructure(a, nest, m).error(),
            "mapping: factors of P pad its bound 7 more than twice over");
  m = wsMapping();
  m.spatial_rows[R] = 2; // 32 rows
  EXPECT_EQ(checkStructure(a, nest, m).error(),
            "mapping.rows: unrolls 32 > pe_rows 16");
}

TEST(Mapping, DataflowConstraints) {
  LoopNest nest = nestOf("conv k=32 c=16 r=3 s=3 p=7 q=7 pad=1");
  Accelerator ws;
  Mapping m = wsMapping();
  EXPECT_TRUE(checkDataflow(ws, nest, m).ok());

  Accelerator os = ws;
  os.dataflow = Dataflow::OS;
  EXPECT_EQ(checkDataflow(os, nest, m).error(),
            "mapping.rows: C cannot be unrolled over rows in a os array "
            "(allowed: K, P)");

  // ws keeps weights: loops over P (irrelevant to weights) innermost.
  Mapping order = m;
  order.factors[GLB][P] = 1;
  order.factors[RF][P] = 7;
  ASSERT_TRUE(parsePermutation("NKCPRSQ", order.permutation[RF]).ok());
  EXPECT_NE(
      checkDataflow(ws, nest, order)
          .error()
          .find("loops over dimensions they do not use must be innermost"),
      std::string::npos);
  ASSERT_TRUE(parsePermutation("NKCRSPQ", order.permutation[RF]).ok());
  EXPECT_TRUE(checkDataflow(ws, nest, order).ok());

  Accelerator rs = ws;
  rs.dataflow = Dataflow::RS;
  auto rsMap = parseMapping(
      "dram=[1,1,1,1,1,1,7] glb=[1,8,2,1,1,1,1] rf=[1,1,1,1,3,1,1] "
      "rows=[1,1,4,3,1,1,1] cols=[1,2,1,1,1,7,1] dram_order=NKCRSPQ "
      "glb_order=NKCRSPQ rf_order=NKCRSPQ");
  ASSERT_TRUE(rsMap.ok()) << rsMap.error();
  EXPECT_TRUE(checkDataflow(rs, nest, *rsMap).ok())
      << checkDataflow(rs, nest, *rsMap).error();
  Mapping noRow = *rsMap;
  noRow.spatial_rows[R] = 1;
  noRow.factors[GLB][R] = 3;
  EXPECT_EQ(checkDataflow(rs, nest, noRow).error(),
            "mapping.rows: an rs array spreads all 3 filter rows (R) over PE "
            "rows (got 1)");
  Mapping noS = *rsMap;
  noS.factors[RF][S] = 1;
  noS.factors[GLB][S] = 3;
  EXPECT_EQ(checkDataflow(rs, nest, noS).error(),
            "mapping.rf: an rs PE holds a whole filter row (RF factor of S "
            "must be 3)");
}

TEST(Mapping, TilesAndCapacity) {
  LoopNest nest = nestOf("conv k=32 c=16 r=3 s=3 p=7 q=7 pad=1");
  Mapping m = wsMapping();
  auto rf = tileWords(nest, m, RF);
  EXPECT_EQ(rf[Weights], 9); // one 3x3 filter
  EXPECT_EQ(rf[Inputs], 9);  // 1x1 output needs a 3x3 window
  EXPECT_EQ(rf[Outputs], 1);
  auto glb = tileWords(nest, m, GLB);
  EXPECT_EQ(glb[Weights], 16 * 16 * 9);
  EXPECT_EQ(glb[Inputs], 16 * 9 * 9);
  EXPECT_EQ(glb[Outputs], 16 * 49);
  // K changes between DRAM iterations: weights and outputs double-buffered.
  EXPECT_EQ(glbWordsNeeded(nest, m),
            2 * glb[Weights] + glb[Inputs] + 2 * glb[Outputs]);

  Accelerator a;
  EXPECT_TRUE(checkMapping(a, nest, m).ok())
      << checkMapping(a, nest, m).error();
  a.rf_bytes = 32; // 16 words < 19
  EXPECT_EQ(checkMapping(a, nest, m).error(),
            "mapping.rf: tiles need 19 words (weights 9, inputs 9, outputs 1) "
            "but rf_bytes 32 holds 16");
  a = Accelerator();
  a.glb_kib = 8;
  EXPECT_EQ(checkMapping(a, nest, m).error(),
            "mapping.glb: double-buffered tiles need 7472 words but glb_kib 8 "
            "holds 4096");
}
