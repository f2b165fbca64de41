//===- JsonTest.cpp - JSON writer and the layer entry ---------------------===//
#include "hdx/Cost/Json.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::cost;

TEST(Json, WriterNestsAndEscapes) {
  JsonWriter json;
  json.beginObject();
  json.key("a");
  json.value("x\"y\n");
  json.key("b");
  json.beginArray();
  json.value(int64_t(1));
  json.value(2.5);
  json.value(true);
  json.null();
  json.endArray();
  json.key("empty");
  json.beginObject();
  json.endObject();
  json.endObject();
  EXPECT_EQ(json.str(), "{\n  \"a\": \"x\\\"y\\n\",\n  \"b\": [\n    1,\n    "
                        "2.5,\n    true,\n    null\n  ],\n  \"empty\": {}\n}");
}

TEST(Json, LayerEntryHasReportKeys) {
  auto layer = parseLayer("fc n=1 k=4 c=3 name=head");
  auto nest = makeLoopNest(*layer);
  Mapping m;
  m.factors[DRAM][K] = 4;
  m.factors[DRAM][C] = 3;
  CostModel cm(Accelerator(), Technology::builtin45nm());
  LayerCost cost = cm.evaluate(*nest, m);
  std::string text = layerEntryJson(*layer, &m, cost);
  for (const char *key :
       {"\"name\": \"head\"", "\"op\": \"fc\"", "\"macs\": 12", "\"cycles\": ",
        "\"latency_ms\": ", "\"energy_mj\": ", "\"utilization\": ",
        "\"mapping\": {", "\"dram\": [1, 4, 3, 1, 1, 1, 1]",
        "\"dram_order\": \"NKCRSPQ\"", "\"accesses\": {", "\"DRAM\": {",
        "\"weights\": {", "\"reads\": 12", "\"noc_words\": "})
    EXPECT_NE(text.find(key), std::string::npos) << key << "\n" << text;
  std::string streaming = layerEntryJson(*parseLayer("pool c=4 p=2 q=2"),
                                         nullptr, cost);
  EXPECT_NE(streaming.find("\"mapping\": null"), std::string::npos);
}
