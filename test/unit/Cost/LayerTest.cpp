//===- LayerTest.cpp - Layer shapes and the layer text form ---------------===//
#include "hdx/Cost/Layer.h"
#include "hdx/Cost/LoopNest.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;

TEST(Layer, ParsesConv) {
  auto l = parseLayer(
      "conv n=1 k=32 c=16 r=3 s=3 p=56 q=56 stride=1 pad=1 groups=1");
  ASSERT_TRUE(l.ok()) << l.error();
  EXPECT_EQ(l->kind, LayerKind::Conv);
  EXPECT_EQ(l->k, 32);
  EXPECT_EQ(l->c, 16);
  EXPECT_EQ(l->pad_h, 1);
  EXPECT_EQ(l->pad_w, 1);
  EXPECT_EQ(l->macs(), 32LL * 16 * 9 * 56 * 56);
  EXPECT_EQ(l->paddedInputHeight(), 58);
}

TEST(Layer, ParsesFcDepthwisePoolEltwise) {
  auto fc = parseLayer("fc n=1 k=1000 c=1280");
  ASSERT_TRUE(fc.ok()) << fc.error();
  EXPECT_EQ(fc->macs(), 1280000);
  auto dw = parseLayer("conv k=96 c=96 groups=96 r=3 s=3 p=56 q=56 stride=2 "
                       "pad=1 name=block1.dw");
  ASSERT_TRUE(dw.ok()) << dw.error();
  EXPECT_TRUE(dw->isDepthwise());
  EXPECT_EQ(dw->name, "block1.dw");
  EXPECT_EQ(dw->macs(), 96LL * 9 * 56 * 56);
  auto pool = parseLayer("pool c=64 r=3 s=3 p=56 q=56 stride=2");
  ASSERT_TRUE(pool.ok()) << pool.error();
  EXPECT_EQ(pool->k, 64);
  EXPECT_EQ(pool->macs(), 0);
  EXPECT_EQ(pool->ops(), 64LL * 56 * 56 * 9);
  auto add = parseLayer("eltwise c=32 p=56 q=56 inputs=3");
  ASSERT_TRUE(add.ok()) << add.error();
  EXPECT_EQ(add->ops(), 32LL * 56 * 56 * 2);
}

TEST(Layer, Errors) {
  struct Case {
    const char *text, *expected;
  } cases[] = {
      {"", "layer: empty description"},
      {"deconv k=1 c=1", "layer: unknown kind 'deconv' (expected conv, fc, "
                         "pool or eltwise)"},
      {"conv k=4 c=4 x=3", "layer: unknown key 'x' (expected name, n, k, c"},
      {"conv k=4 c=four", "layer.c: expected an integer (got 'four')"},
      {"conv k=4", "layer.c: missing (input channels)"},
      {"conv c=4", "layer.k: missing (output channels)"},
      {"conv k=4 c=6 groups=4", "layer.groups: must divide c and k"},
      {"conv k=4 c=4 p=0", "layer.p: must be between 1 and"},
      {"conv k=4 c=4 pad=-1", "layer.pad_h: must be between 0 and 16777216 (got -1)"},
      {"conv k=4 c=4 r=3 p=1 pad=2", "layer.pad_h: padding leaves no input"},
      {"fc k=10 c=10 r=3", "layer.kind: fc layers have r=s=p=q=groups=1"},
      {"conv k=4 c=4 k=5", "layer.k: given twice"},
      {"conv k=4 c=4 stride", "layer: expected key=value, got 'stride'"},
      {"pool k=3 c=4", "layer.k: pool and eltwise layers keep the channels"},
  };
  for (const Case &c : cases) {
    auto l = parseLayer(c.text);
    ASSERT_FALSE(l.ok()) << c.text;
    EXPECT_EQ(l.error().rfind(c.expected, 0), 0u)
        << c.text << " -> " << l.error();
  }
}

TEST(Layer, TextRoundTrip) {
  const char *texts[] = {
      "conv n=2 k=32 c=16 r=3 s=5 p=7 q=9 stride_h=1 stride_w=2 pad_h=1 "
      "pad_w=2 dilation=2 groups=4",
      "fc n=4 k=10 c=20", "pool n=1 k=8 c=8 r=2 s=2 p=4 q=4 stride=2 pad=0 "
                          "groups=1",
      "eltwise n=1 k=8 c=8 r=1 s=1 p=4 q=4 stride=1 pad=0 groups=1 inputs=2"};
  for (const char *text : texts) {
    auto l = parseLayer(text);
    ASSERT_TRUE(l.ok()) << text << ": " << l.error();
    auto back = parseLayer(toString(*l));
    ASSERT_TRUE(back.ok()) << toString(*l) << ": " << back.error();
    EXPECT_TRUE(back->sameShape(*l)) << toString(*l);
  }
}

TEST(LoopNest, GroupsBecomeDepthwiseOrCopies) {
  auto plain = makeLoopNest(*parseLayer("conv k=8 c=4 r=3 s=3 p=5 q=5"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->relevant(Inputs, K));
  EXPECT_TRUE(plain->relevant(Weights, K));
  EXPECT_FALSE(plain->relevant(Outputs, C));
  EXPECT_EQ(plain->copies, 1);

  auto dw = makeLoopNest(*parseLayer("conv k=8 c=8 groups=8 r=3 s=3 p=5 q=5"));
  ASSERT_TRUE(dw.ok());
  EXPECT_TRUE(dw->inputs_depend_on_k);
  EXPECT_TRUE(dw->relevant(Inputs, K));
  EXPECT_EQ(dw->bound[C], 1);
  EXPECT_EQ(dw->bound[K], 8);
  EXPECT_EQ(dw->inputChannels(), 8);

  auto grouped =
      makeLoopNest(*parseLayer("conv k=8 c=12 groups=4 r=1 s=1 p=5 q=5"));
  ASSERT_TRUE(grouped.ok());
  EXPECT_EQ(grouped->copies, 4);
  EXPECT_EQ(grouped->bound[K], 2);
  EXPECT_EQ(grouped->bound[C], 3);
  EXPECT_EQ(grouped->macs(), parseLayer("conv k=8 c=12 groups=4 p=5 q=5")
                                 ->macs());

  auto pool = makeLoopNest(*parseLayer("pool c=4 p=4 q=4"));
  EXPECT_FALSE(pool.ok());
}

TEST(LoopNest, WindowFootprintMatchesBruteForce) {
  for (int64_t stride = 1; stride <= 4; ++stride)
    for (int64_t dil = 1; dil <= 4; ++dil)
      for (int64_t np = 0; np <= 6; ++np)
        for (int64_t nr = 0; nr <= 6; ++nr) {
          std::vector<bool> hit(64, false);
          int64_t count = 0;
          for (int64_t p = 0; p < np; ++p)
            for (int64_t r = 0; r < nr; ++r)
              if (!hit[p * stride + r * dil]) {
                hit[p * stride + r * dil] = true;
                ++count;
              }
          EXPECT_EQ(windowFootprint(np, nr, stride, dil), count)
              << np << " " << nr << " " << stride << " " << dil;
        }
}
