//===- ConfigTest.cpp - The search configuration --------------------------===//

#include "hdx/Search/Config.h"
#include "hdx/Search/NetworkSpace.h"

#include <gtest/gtest.h>

using namespace hdx;
using namespace hdx::search;

namespace {

const char *kMinimal = R"(
data: {dataset: synthetic, val_size: 10}
search_space:
  stages:
    - {channels: 8, stride: 2, layers: 2}
    - {channels: 16, stride: 1, layers: 1}
hardware:
  pe_rows: [4, 8]
  pe_cols: [4]
  rf_bytes: [16]
  glb_kib: [32, 64]
  dataflow: [ws, rs]
)";

/// The error of parsing `text`, or "" if it parses.
std::string errorOf(const std::string &text) {
  auto config = parseConfig(text, "tiny.yaml");
  return config ? "" : config.error();
}

TEST(SearchConfig, MinimalConfigTakesDefaults) {
  auto config = parseConfig(kMinimal, "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->source, "tiny.yaml");
  EXPECT_EQ(config->data.dataset, DatasetKind::Synthetic);
  EXPECT_EQ(config->data.val_size, 10);
  ASSERT_EQ(config->search_space.stages.size(), 2u);
  EXPECT_EQ(config->search_space.stages[0].channels, 8);
  EXPECT_EQ(config->search_space.stages[0].stride, 2);
  EXPECT_EQ(config->search_space.stages[1].layers, 1);
  EXPECT_EQ(config->search_space.candidates.kernels, (std::vector<int>{3, 5, 7}));
  EXPECT_EQ(config->hardware.pe_rows, (std::vector<int>{4, 8}));
  EXPECT_EQ(config->hardware.dataflow,
            (std::vector<Dataflow>{Dataflow::WS,
                                   Dataflow::RS}));
  EXPECT_EQ(config->hardware.size(HardwareDim::GlbKib), 2);
  EXPECT_EQ(config->hardware.distribution, HardwareDistribution::Joint);
  EXPECT_EQ(config->method.method, ConstraintMethod::Hdx);
  EXPECT_EQ(config->objective.trains, CostTrains::Both);
  EXPECT_EQ(config->method.hdx_corrects, HdxCorrects::Gradient);
  EXPECT_DOUBLE_EQ(config->method.hdx_deadline, 0.75);
  EXPECT_DOUBLE_EQ(config->method.hdx_max_correction_logits, 0.0);
  EXPECT_TRUE(config->constraints.constrained().empty());
  EXPECT_EQ(config->optimizer.relaxation, Relaxation::Gumbel);
  EXPECT_EQ(config->device, DeviceKind::Auto);
}

TEST(SearchConfig, ReadsEverySection) {
  std::string text = std::string(kMinimal) + R"(
seed: 7
threads: 3
device: cpu
objective: {cost: weighted, normalize: reference, trains: hardware, lambda: 0.5, weights: {latency_ms: 2, energy_mj: 3, area_mm2: 0.25}}
constraints: {latency_ms: 1.5, area_mm2: 4}
method:
  name: tfnas
  judge: expectation
  hdx: {delta0: 0.01, growth: 2, margin: 0.1, hold: 7, limits: each, corrects: step,
        deadline: 0.5, max_correction_logits: 2.5}
  dance: {lambda: 4}
  adaptive: {band: 0.2}
  tfnas: {lambda: 0.3}
optimizer: {epochs: 3, warmup_epochs: 1, relaxation: softmax, arch_optimizer: adam, arch_lr: 1e-3,
            hw_optimizer: sgd, hw_lr: 2, cost_tau_start: 2, cost_tau_end: 0.5}
derived: {epochs: 2, lr: 0.1}
cost_proxy: {kind: evaluator, evaluator_samples: 100}
)";
  auto config = parseConfig(text, "full.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->seed, 7u);
  EXPECT_EQ(config->threads, 3);
  EXPECT_EQ(config->device, DeviceKind::Cpu);
  EXPECT_EQ(config->objective.cost, CostObjective::Weighted);
  EXPECT_DOUBLE_EQ(config->objective.energy_weight, 3);
  EXPECT_DOUBLE_EQ(config->objective.area_weight, 0.25);
  EXPECT_EQ(config->constraints.constrained(),
            (std::vector<Metric>{Metric::LatencyMs, Metric::AreaMm2}));
  EXPECT_DOUBLE_EQ(*config->constraints.latency_ms, 1.5);
  EXPECT_EQ(config->method.method, ConstraintMethod::TfNas);
  EXPECT_DOUBLE_EQ(config->method.hdx_growth, 2);
  EXPECT_DOUBLE_EQ(config->method.tfnas_lambda, 0.3);
  EXPECT_EQ(config->objective.normalize, CostNormalization::Reference);
  EXPECT_EQ(config->objective.trains, CostTrains::Hardware);
  EXPECT_EQ(config->method.judge, ConstraintJudge::Expectation);
  EXPECT_DOUBLE_EQ(config->method.hdx_margin, 0.1);
  EXPECT_EQ(config->method.hdx_hold, 7);
  EXPECT_EQ(config->method.hdx_limits, HdxLimits::Each);
  EXPECT_EQ(config->method.hdx_corrects, HdxCorrects::Step);
  EXPECT_DOUBLE_EQ(config->method.hdx_deadline, 0.5);
  EXPECT_DOUBLE_EQ(config->method.hdx_max_correction_logits, 2.5);
  EXPECT_DOUBLE_EQ(config->method.dance_lambda, 4);
  EXPECT_DOUBLE_EQ(config->method.adaptive_band, 0.2);
  EXPECT_EQ(config->optimizer.hw_optimizer, ArchOptimizerKind::Sgd);
  EXPECT_DOUBLE_EQ(config->optimizer.hw_lr, 2);
  EXPECT_DOUBLE_EQ(config->optimizer.cost_tau_start, 2);
  EXPECT_DOUBLE_EQ(config->optimizer.cost_tau_end, 0.5);
  EXPECT_EQ(config->optimizer.relaxation, Relaxation::Softmax);
  EXPECT_EQ(config->optimizer.arch_optimizer, ArchOptimizerKind::Adam);
  EXPECT_DOUBLE_EQ(config->optimizer.arch_lr, 1e-3);
  EXPECT_EQ(config->derived.epochs, 2);
  EXPECT_EQ(config->cost_proxy.kind, CostProxyKind::Evaluator);
  EXPECT_EQ(config->cost_proxy.evaluator_samples, 100);
}

TEST(SearchConfig, WrongTypeNamesFileAndKeyPath) {
  std::string text = kMinimal;
  text.replace(text.find("channels: 16"), 12, "channels: x");
  std::string error = errorOf(text);
  EXPECT_NE(error.find("tiny.yaml: search_space.stages[1].channels: expected "
                       "an integer, got 'x'"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("(line 6)"), std::string::npos) << error;
}

TEST(SearchConfig, UnknownKeysAreErrors) {
  EXPECT_NE(errorOf(std::string(kMinimal) + "optimiser: {epochs: 2}\n")
                .find("tiny.yaml: optimiser: unknown key"),
            std::string::npos);
  std::string text = kMinimal;
  text.replace(text.find("layers: 1"), 9, "layer: 1");
  std::string error = errorOf(text);
  EXPECT_NE(error.find("tiny.yaml: search_space.stages[1].layer: unknown key "
                       "(expected one of: channels, stride, layers)"),
            std::string::npos)
      << error;
}

TEST(SearchConfig, HardwareDistributionIsJointOrPerDimension) {
  std::string text = kMinimal;
  text.replace(text.find("dataflow: [ws, rs]"), 18,
               "dataflow: [ws, rs]\n  distribution: per-dimension");
  auto config = parseConfig(text, "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->hardware.distribution, HardwareDistribution::PerDimension);

  text.replace(text.find("per-dimension"), 13, "factorised");
  EXPECT_NE(errorOf(text).find("tiny.yaml: hardware.distribution: expected one "
                               "of joint, per-dimension, got 'factorised'"),
            std::string::npos)
      << errorOf(text);
}

TEST(SearchConfig, DeepNestingIsNamed) {
  std::string text = "seed: " + std::string(600, '[') + std::string(600, ']');
  EXPECT_NE(errorOf(text).find("tiny.yaml:1:1207: invalid YAML: nested deeper "
                               "than the 500 levels a YAML input may have"),
            std::string::npos)
      << errorOf(text);
}

TEST(SearchConfig, MissingAndBadValues) {
  EXPECT_NE(errorOf("data: {dataset: synthetic}\n")
                .find("tiny.yaml: search_space: missing required key"),
            std::string::npos);
  struct Case {
    const char *extra;
    const char *expected;
  };
  const Case cases[] = {
      {"constraints: {latency_ms: -1}",
       "tiny.yaml: constraints.latency_ms: must be positive"},
      {"constraints: {latency_ms: fast}",
       "tiny.yaml: constraints.latency_ms: expected a number, got 'fast'"},
      {"method: {name: magic}",
       "tiny.yaml: method.name: expected one of hdx, dance, soft, adaptive, "
       "tfnas, nas-then-hw, got 'magic'"},
      {"method: {hdx: {growth: 0.5}}",
       "tiny.yaml: method.hdx.growth: must be at least 1"},
      {"method: {hdx: {margin: 1}}",
       "tiny.yaml: method.hdx.margin: must be smaller than 1"},
      {"method: {hdx: {hold: -1}}",
       "tiny.yaml: method.hdx.hold: must not be negative"},
      {"method: {hdx: {limits: both}}",
       "tiny.yaml: method.hdx.limits: expected one of each, worst, got "
       "'both'"},
      {"method: {hdx: {deadline: 1.5}}",
       "tiny.yaml: method.hdx.deadline: must be at most 1"},
      {"method: {hdx: {deadline: -0.1}}",
       "tiny.yaml: method.hdx.deadline: must not be negative"},
      {"method: {hdx: {corrects: update}}",
       "tiny.yaml: method.hdx.corrects: expected one of gradient, step, got "
       "'update'"},
      {"method: {judge: mean}",
       "tiny.yaml: method.judge: expected one of expectation, argmax, got "
       "'mean'"},
      {"objective: {normalize: z}",
       "tiny.yaml: objective.normalize: expected one of log, reference, none, "
       "got 'z'"},
      {"objective: {trains: alpha}",
       "tiny.yaml: objective.trains: expected one of both, hardware, got "
       "'alpha'"},
      {"optimizer: {epochs: 2, warmup_epochs: 2}",
       "tiny.yaml: optimizer.warmup_epochs: must be smaller than epochs (2)"},
      {"optimizer: {relaxation: [softmax]}",
       "tiny.yaml: optimizer.relaxation: expected a string, got a list"},
      {"device: gpu",
       "tiny.yaml: device: expected one of auto, cpu, cuda, got 'gpu'"},
      {"optimizer: {weight_lr: 1e300}",
       "tiny.yaml: optimizer.weight_lr: must be at most 100"},
      {"derived: {lr: 1000}", "tiny.yaml: derived.lr: must be at most 100"},
      {"objective: {weights: 3}",
       "tiny.yaml: objective.weights: expected a mapping, got '3'"},
  };
  for (const Case &c : cases) {
    std::string error = errorOf(std::string(kMinimal) + c.extra + "\n");
    EXPECT_NE(error.find(c.expected), std::string::npos)
        << "got: " << error << "\nwanted: " << c.expected;
  }
  std::string text = kMinimal;
  text.replace(text.find("dataflow: [ws, rs]"), 18, "dataflow: [ws, xs]");
  EXPECT_NE(errorOf(text).find("tiny.yaml: hardware.dataflow[1]: expected one "
                               "of ws, os, rs, got 'xs'"),
            std::string::npos);
  text = kMinimal;
  text.replace(text.find("pe_cols: [4]"), 12, "pe_cols: []");
  EXPECT_NE(errorOf(text).find("hardware.pe_cols: expected a non-empty list"),
            std::string::npos);
  // A value listed twice is an error naming the list and the value.
  text = kMinimal;
  text.replace(text.find("pe_rows: [4, 8]"), 15, "pe_rows: [4, 8, 4]");
  EXPECT_NE(errorOf(text).find("tiny.yaml: hardware.pe_rows: lists 4 twice"),
            std::string::npos)
      << errorOf(text);
  text = kMinimal;
  text.replace(text.find("dataflow: [ws, rs]"), 18, "dataflow: [rs, ws, rs]");
  EXPECT_NE(errorOf(text).find("tiny.yaml: hardware.dataflow: lists rs twice"),
            std::string::npos)
      << errorOf(text);
  text = kMinimal;
  text.replace(text.find("search_space:\n"), 14,
               "search_space:\n  candidates: {kernels: [3, 3]}\n");
  EXPECT_NE(errorOf(text).find(
                "tiny.yaml: search_space.candidates.kernels: lists 3 twice"),
            std::string::npos)
      << errorOf(text);
  // Hardware values out of the cost model's range fail when the
  // configuration is read, not after the search.
  text = kMinimal;
  text.replace(text.find("  dataflow: [ws, rs]"), 20,
               "  dataflow: [ws, rs]\n  clock_mhz: 1e300");
  EXPECT_EQ(errorOf(text), "tiny.yaml: hardware.clock_mhz: must be between "
                           "0.001 and 1000000 (got 1e+300) (line 13)");
  text = kMinimal;
  text.replace(text.find("pe_rows: [4, 8]"), 15, "pe_rows: [4, 8, 5000]");
  EXPECT_EQ(errorOf(text), "tiny.yaml: hardware.pe_rows: must be between 1 "
                           "and 4096 (got 5000) (line 8)");
  // Generated data that could not fit in memory is refused up front (it
  // ended in std::bad_alloc during the search).
  text = kMinimal;
  text.replace(text.find("data: {dataset: synthetic, val_size: 10}"), 40,
               "data: {dataset: synthetic, val_size: 10, synthetic: "
               "{image_size: 1024, train_images: 100000}}");
  EXPECT_NE(errorOf(text).find("tiny.yaml: data.synthetic: train_images + "
                               "test_images of channels x image_size^2 bytes "
                               "would take "),
            std::string::npos)
      << errorOf(text);
  text = kMinimal;
  text.replace(text.find("data: {dataset: synthetic, val_size: 10}"), 40,
               "data: {dataset: synthetic, val_size: 10, synthetic: "
               "{image_size: 100000}}");
  EXPECT_NE(errorOf(text).find("tiny.yaml: data.synthetic.image_size: must be "
                               "between 4 and 1024"),
            std::string::npos)
      << errorOf(text);
  // A key given twice would keep its first value silently.
  text = kMinimal;
  text.replace(text.find("  pe_cols: [4]\n"), 15,
               "  pe_cols: [4]\n  pe_rows: [16]\n");
  EXPECT_EQ(errorOf(text), "tiny.yaml:10: hardware.pe_rows: the key appears "
                           "twice (first on line 8)");
  EXPECT_NE(errorOf(std::string(kMinimal) + "threads: 100000\n")
                .find("tiny.yaml: threads: must be at most 4096"),
            std::string::npos)
      << errorOf(std::string(kMinimal) + "threads: 100000\n");
  EXPECT_NE(errorOf(std::string(kMinimal) +
                    "cost_proxy: {kind: evaluator, evaluator_samples: 9}\n")
                .find("tiny.yaml: cost_proxy.evaluator_samples: must be at "
                      "least 10"),
            std::string::npos);
}

// Defaults that follow other keys: the warm-up leaves an epoch for
// alpha/beta, and a generated data set holds out a fifth of its images.
TEST(SearchConfig, DefaultsFitShortRunsAndGeneratedData) {
  std::string text = kMinimal;
  text.replace(text.find("data: {dataset: synthetic, val_size: 10}"), 40,
               "data: {dataset: synthetic, synthetic: {train_images: 100}}");
  auto config = parseConfig(text + "optimizer: {epochs: 1}\n", "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->data.val_size, 20);
  EXPECT_EQ(config->optimizer.warmup_epochs, 0);
  config = parseConfig(text + "optimizer: {epochs: 2}\n", "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->optimizer.warmup_epochs, 1);
  config = parseConfig(text + "optimizer: {epochs: 6}\n", "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->optimizer.warmup_epochs, 2);
  // Real data sets keep the documented default.
  text = kMinimal;
  text.replace(text.find("data: {dataset: synthetic, val_size: 10}"), 40,
               "data: {dataset: fashion-mnist}");
  config = parseConfig(text, "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->data.val_size, 10000);
}

TEST(SearchConfig, InvalidYamlNamesLine) {
  std::string error = errorOf("data: {dataset: synthetic\nsearch_space: [\n");
  EXPECT_EQ(error.rfind("tiny.yaml:", 0), 0u) << error;
  EXPECT_NE(error.find("invalid YAML"), std::string::npos) << error;
}

TEST(SearchConfig, MissingFileIsAnError) {
  auto config = loadConfig("/nonexistent/dir/search.yaml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().find("/nonexistent/dir/search.yaml"),
            std::string::npos);
}

TEST(SearchConfig, ExamplesParse) {
  for (const char *name : {"tiny.yaml", "fashion-mnist.yaml"}) {
    auto config = loadConfig(std::string(HDX_SOURCE_DIR) + "/examples/" + name);
    ASSERT_TRUE(config) << config.error();
    EXPECT_FALSE(config->constraints.constrained().empty()) << name;
  }
}

TEST(SearchConfig, MethodNamesRoundTrip) {
  for (int i = 0; i < kNumConstraintMethods; ++i) {
    auto m = static_cast<ConstraintMethod>(i);
    EXPECT_EQ(parseConstraintMethod(constraintMethodName(m)), m);
  }
  EXPECT_EQ(parseConstraintMethod("nas-then-hw"), ConstraintMethod::NasThenHw);
  EXPECT_FALSE(parseConstraintMethod("fast"));
  for (DeviceKind k : {DeviceKind::Auto, DeviceKind::Cpu, DeviceKind::Cuda})
    EXPECT_EQ(parseDeviceKind(deviceKindName(k)), k);
  EXPECT_FALSE(parseDeviceKind("gpu"));
}

TEST(SearchNetworkSpace, ResolvesShapesAndCandidates) {
  auto config = parseConfig(kMinimal, "tiny.yaml");
  ASSERT_TRUE(config) << config.error();
  config->search_space.head_channels = 32;
  auto space = NetworkSpace::build(config->search_space, {1, 16, 16}, 4);
  ASSERT_TRUE(space) << space.error();
  // 3 kernels x 2 expansions + skip.
  ASSERT_EQ(space->numCandidates(), 7);
  EXPECT_EQ(space->candidates()[1].name(), "mb_k3_e6");
  EXPECT_EQ(space->candidates()[6].name(), "skip");
  ASSERT_EQ(space->numLayers(), 3);
  const SearchableLayer &first = space->layers()[0];
  EXPECT_EQ(first.name, "stage0.layer0");
  EXPECT_EQ(first.input.channels, 16); // stem
  EXPECT_EQ(first.output.height, 8);
  EXPECT_FALSE(first.residual);
  EXPECT_FALSE(first.allowed[6]);
  EXPECT_TRUE(space->layers()[1].residual);
  EXPECT_TRUE(space->layers()[1].allowed[6]);
  EXPECT_EQ(space->layers()[2].name, "stage1.layer0");
  EXPECT_FALSE(space->layers()[2].residual); // 8 -> 16 channels

  // mb_k5_e3 at stage0.layer0: expand 16->48 at 16x16, dw 5x5 stride 2,
  // project 48->8 at 8x8.
  auto convs = space->candidateConvs(0, 2);
  ASSERT_EQ(convs.size(), 3u);
  EXPECT_EQ(convs[0].name, "stage0.layer0.expand");
  EXPECT_EQ(convs[0].macs(), 48 * 16 * 16 * 16);
  EXPECT_EQ(convs[1].groups, 48);
  EXPECT_EQ(convs[1].macs(), 48 * 8 * 8 * 25);
  EXPECT_EQ(convs[2].macs(), 8 * 8 * 8 * 48);
  EXPECT_TRUE(space->candidateConvs(1, 6).empty());
  EXPECT_EQ(space->fixedConvs().size(), 3u);
  EXPECT_EQ(space->classifier().input.channels, 32);

  EXPECT_TRUE(space->checkChoice({0, 6, 1}).ok());
  Status bad = space->checkChoice({6, 0, 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("stage0.layer0: candidate skip"),
            std::string::npos);
}

TEST(SearchNetworkSpace, RejectsOverStridedSpaces) {
  auto config = parseConfig(kMinimal, "tiny.yaml");
  ASSERT_TRUE(config);
  for (int i = 0; i < 4; ++i)
    config->search_space.stages.push_back({8, 2, 1});
  auto space = NetworkSpace::build(config->search_space, {1, 4, 4}, 4);
  EXPECT_FALSE(space);
}

} // namespace
