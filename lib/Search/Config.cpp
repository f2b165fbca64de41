//===- Config.cpp - Reading the search configuration ----------------------===//
//
// The sections of a search configuration, read with HDX's typed YAML reader
// (hdx/Support/YamlReader.h): any error names file, key path and line.
//
//===----------------------------------------------------------------------===//

#include "hdx/Search/Config.h"

#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/YamlReader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

using namespace hdx;
using namespace hdx::search;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//


const char *hdx::search::hardwareDimName(HardwareDim dim) {
  switch (dim) {
  case HardwareDim::PeRows:
    return "pe_rows";
  case HardwareDim::PeCols:
    return "pe_cols";
  case HardwareDim::RfBytes:
    return "rf_bytes";
  case HardwareDim::GlbKib:
    return "glb_kib";
  case HardwareDim::Dataflow:
    return "dataflow";
  }
  return "?";
}

std::string hdx::search::hardwareValueText(const HardwareSpaceConfig &space,
                                           HardwareDim dim, int index) {
  switch (dim) {
  case HardwareDim::PeRows: return std::to_string(space.pe_rows.at(index));
  case HardwareDim::PeCols: return std::to_string(space.pe_cols.at(index));
  case HardwareDim::RfBytes: return std::to_string(space.rf_bytes.at(index));
  case HardwareDim::GlbKib: return std::to_string(space.glb_kib.at(index));
  case HardwareDim::Dataflow: break;
  }
  return hdx::cost::toString(space.dataflow.at(index));
}

std::string hdx::search::describeHardware(const HardwareSpaceConfig &space,
                                          const HardwareChoice &c) {
  std::string text;
  for (int d = 0; d < kNumHardwareDims; ++d) {
    auto dim = static_cast<HardwareDim>(d);
    text += std::string(d ? " " : "") + hardwareDimName(dim) + "=" +
            hardwareValueText(space, dim, c.index(dim));
  }
  return text;
}

const char *hdx::search::metricName(Metric metric) {
  switch (metric) {
  case Metric::LatencyMs:
    return "latency_ms";
  case Metric::EnergyMj:
    return "energy_mj";
  case Metric::AreaMm2:
    return "area_mm2";
  }
  return "?";
}

const char *hdx::search::constraintMethodName(ConstraintMethod method) {
  switch (method) {
  case ConstraintMethod::Hdx:
    return "hdx";
  case ConstraintMethod::Dance:
    return "dance";
  case ConstraintMethod::Soft:
    return "soft";
  case ConstraintMethod::Adaptive:
    return "adaptive";
  case ConstraintMethod::TfNas:
    return "tfnas";
  case ConstraintMethod::NasThenHw:
    return "nas-then-hw";
  }
  return "?";
}

const char *hdx::search::constraintJudgeName(ConstraintJudge judge) {
  return judge == ConstraintJudge::Argmax ? "argmax" : "expectation";
}

const char *hdx::search::hdxLimitsName(HdxLimits limits) {
  return limits == HdxLimits::Worst ? "worst" : "each";
}

const char *hdx::search::hdxCorrectsName(HdxCorrects corrects) {
  return corrects == HdxCorrects::Step ? "step" : "gradient";
}

const char *hdx::search::costTrainsName(CostTrains trains) {
  return trains == CostTrains::Both ? "both" : "hardware";
}

const char *hdx::search::costNormalizationName(CostNormalization n) {
  switch (n) {
  case CostNormalization::Log:
    return "log";
  case CostNormalization::Reference:
    return "reference";
  case CostNormalization::None:
    break;
  }
  return "none";
}

std::optional<ConstraintMethod>
hdx::search::parseConstraintMethod(const std::string &name) {
  for (int i = 0; i < kNumConstraintMethods; ++i)
    if (name == constraintMethodName(static_cast<ConstraintMethod>(i)))
      return static_cast<ConstraintMethod>(i);
  return std::nullopt;
}

const char *hdx::search::deviceKindName(DeviceKind kind) {
  switch (kind) {
  case DeviceKind::Auto:
    return "auto";
  case DeviceKind::Cpu:
    return "cpu";
  case DeviceKind::Cuda:
    return "cuda";
  }
  return "?";
}

std::optional<DeviceKind> hdx::search::parseDeviceKind(const std::string &name) {
  for (DeviceKind k : {DeviceKind::Auto, DeviceKind::Cpu, DeviceKind::Cuda})
    if (name == deviceKindName(k))
      return k;
  return std::nullopt;
}

const char *hdx::search::hardwareDistributionName(HardwareDistribution distribution) {
  return distribution == HardwareDistribution::Joint ? "joint" : "per-dimension";
}

const char *hdx::search::relaxationName(Relaxation relaxation) {
  return relaxation == Relaxation::Softmax ? "softmax" : "gumbel";
}

int HardwareSpaceConfig::size(HardwareDim dim) const {
  switch (dim) {
  case HardwareDim::PeRows:
    return static_cast<int>(pe_rows.size());
  case HardwareDim::PeCols:
    return static_cast<int>(pe_cols.size());
  case HardwareDim::RfBytes:
    return static_cast<int>(rf_bytes.size());
  case HardwareDim::GlbKib:
    return static_cast<int>(glb_kib.size());
  case HardwareDim::Dataflow:
    return static_cast<int>(dataflow.size());
  }
  return 0;
}

int HardwareChoice::index(HardwareDim dim) const {
  switch (dim) {
  case HardwareDim::PeRows:
    return pe_rows;
  case HardwareDim::PeCols:
    return pe_cols;
  case HardwareDim::RfBytes:
    return rf_bytes;
  case HardwareDim::GlbKib:
    return glb_kib;
  case HardwareDim::Dataflow:
    return dataflow;
  }
  return 0;
}

int HardwareSpaceConfig::numPoints() const {
  int points = 1;
  for (int d = 0; d < kNumHardwareDims; ++d)
    points *= size(static_cast<HardwareDim>(d));
  return points;
}

HardwareChoice HardwareSpaceConfig::point(int index) const {
  HardwareChoice choice;
  for (int d = kNumHardwareDims - 1; d >= 0; --d) {
    auto dim = static_cast<HardwareDim>(d);
    choice.setIndex(dim, index % size(dim));
    index /= size(dim);
  }
  return choice;
}

int HardwareSpaceConfig::index(const HardwareChoice &choice) const {
  int index = 0;
  for (int d = 0; d < kNumHardwareDims; ++d) {
    auto dim = static_cast<HardwareDim>(d);
    index = index * size(dim) + choice.index(dim);
  }
  return index;
}

void HardwareChoice::setIndex(HardwareDim dim, int value) {
  switch (dim) {
  case HardwareDim::PeRows:
    pe_rows = value;
    break;
  case HardwareDim::PeCols:
    pe_cols = value;
    break;
  case HardwareDim::RfBytes:
    rf_bytes = value;
    break;
  case HardwareDim::GlbKib:
    glb_kib = value;
    break;
  case HardwareDim::Dataflow:
    dataflow = value;
    break;
  }
}

std::optional<double> &ConstraintLimits::limit(Metric metric) {
  return byMetric(metric, latency_ms, energy_mj, area_mm2);
}

const std::optional<double> &ConstraintLimits::limit(Metric metric) const {
  return const_cast<ConstraintLimits *>(this)->limit(metric);
}

std::vector<Metric> ConstraintLimits::constrained() const {
  std::vector<Metric> metrics;
  for (Metric m : {Metric::LatencyMs, Metric::EnergyMj, Metric::AreaMm2})
    if (limit(m))
      metrics.push_back(m);
  return metrics;
}

bool ConstraintLimits::metBy(
    const std::array<double, kNumMetrics> &values) const {
  for (Metric m : constrained())
    if (values[static_cast<int>(m)] > *limit(m))
      return false;
  return true;
}

namespace {

using yaml::Reader;

std::string child(const std::string &path, const std::string &key) {
  return yaml::childPath(path, key);
}

/// Shorthands binding a reader, a mapping and its path.
struct Section {
  const Reader &r;
  YAML::Node node;
  std::string path;

  void posInt(const char *key, int &out) const {
    r.optional(node, path, key, [&](const YAML::Node &n, const std::string &p) {
      out = r.integer32(n, p);
      r.positive(n, p, out);
    });
  }
  void nonNegInt(const char *key, int64_t &out) const {
    r.optional(node, path, key, [&](const YAML::Node &n, const std::string &p) {
      out = r.integer(n, p);
      r.nonNegative(n, p, static_cast<double>(out));
    });
  }
  void nonNegInt(const char *key, int &out) const {
    r.optional(node, path, key, [&](const YAML::Node &n, const std::string &p) {
      out = r.integer32(n, p);
      r.nonNegative(n, p, out);
    });
  }
  void posNumber(const char *key, double &out) const {
    r.optional(node, path, key, [&](const YAML::Node &n, const std::string &p) {
      out = r.number(n, p);
      r.positive(n, p, out);
    });
  }
  void nonNegNumber(const char *key, double &out) const {
    r.optional(node, path, key, [&](const YAML::Node &n, const std::string &p) {
      out = r.number(n, p);
      r.nonNegative(n, p, out);
    });
  }
  Section sub(const char *key, const std::vector<std::string> &allowed) const {
    std::string p = child(path, key);
    YAML::Node value = node[key];
    if (!value.IsDefined())
      return Section{r, YAML::Node(YAML::NodeType::Map), p};
    return Section{r, r.map(value, p, allowed), p};
  }
};

/// A value listed twice would make two identical choices (two candidates
/// with one name, two equal hardware points splitting one probability).
template <typename T, typename Name>
void rejectDuplicates(const Reader &r, const YAML::Node &node,
                      const std::string &path, const std::vector<T> &values,
                      Name name) {
  for (size_t i = 0; i < values.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        r.fail(node, path, "lists " + name(values[i]) + " twice");
}

std::vector<int> positiveInts(const Reader &r, const YAML::Node &node,
                              const std::string &path) {
  std::vector<int> values =
      r.list<int>(node, path, [&](const YAML::Node &n, const std::string &p) {
        int v = r.integer32(n, p);
        r.positive(n, p, v);
        return v;
      });
  rejectDuplicates(r, node, path, values,
                   [](int v) { return std::to_string(v); });
  return values;
}

void readData(const Section &s, DataConfig &data) {
  s.r.optional(s.node, s.path, "dataset",
               [&](const YAML::Node &n, const std::string &p) {
                 data.dataset = static_cast<DatasetKind>(s.r.choice(
                     n, p, {"fashion-mnist", "cifar10", "synthetic"}));
               });
  s.r.optional(s.node, s.path, "path",
               [&](const YAML::Node &n, const std::string &p) {
                 data.path = s.r.string(n, p);
               });
  s.nonNegInt("val_size", data.val_size);
  s.nonNegInt("train_size", data.train_size);
  s.nonNegInt("test_size", data.test_size);
  if (data.val_size == 0)
    s.r.fail(s.node["val_size"], child(s.path, "val_size"),
             "must be positive: the held-out split drives the architecture "
             "updates");

  Section syn = s.sub("synthetic", {"classes", "channels", "image_size",
                                    "train_images", "test_images"});
  SyntheticDataConfig &sc = data.synthetic;
  syn.posInt("classes", sc.classes);
  syn.posInt("channels", sc.channels);
  syn.posInt("image_size", sc.image_size);
  syn.nonNegInt("train_images", sc.train_images);
  syn.nonNegInt("test_images", sc.test_images);
  // The default held-out split fits the real data sets; a generated set is
  // small, so unset it holds out a fifth of the generated training images.
  if (data.dataset == DatasetKind::Synthetic && !s.node["val_size"].IsDefined())
    data.val_size = std::max<int64_t>(1, sc.train_images / 5);
  if (sc.classes < 2 || sc.classes > 16)
    syn.r.fail(syn.node["classes"], child(syn.path, "classes"),
               "must be between 2 and 16");
  if (sc.channels > 4)
    syn.r.fail(syn.node["channels"], child(syn.path, "channels"),
               "must be between 1 and 4");
  if (sc.image_size < 4 || sc.image_size > 1024)
    syn.r.fail(syn.node["image_size"], child(syn.path, "image_size"),
               "must be between 4 and 1024");
  // The generated images are held in memory as bytes.
  const double bytes = static_cast<double>(sc.train_images + sc.test_images) *
                       sc.channels * sc.image_size * sc.image_size;
  if (bytes > 4.0 * (1 << 30))
    syn.r.fail(syn.node, syn.path,
               "train_images + test_images of channels x image_size^2 bytes "
               "would take " +
                   std::to_string(static_cast<long long>(bytes / (1 << 20))) +
                   " MiB, more than the 4096 MiB generated data may take");
  if (data.dataset == DatasetKind::Cifar10 && data.path.empty())
    s.r.fail(s.node, child(s.path, "path"),
             "required for cifar10 (the folder of the binary batches)");
}

void readSearchSpace(const Section &s, SearchSpaceConfig &space) {
  const Reader &r = s.r;
  Section stem = s.sub("stem", {"channels", "kernel", "stride"});
  stem.posInt("channels", space.stem.channels);
  stem.posInt("kernel", space.stem.kernel);
  stem.posInt("stride", space.stem.stride);
  if (space.stem.kernel % 2 == 0)
    r.fail(stem.node["kernel"], child(stem.path, "kernel"), "must be odd");
  if (space.stem.stride > 2)
    r.fail(stem.node["stride"], child(stem.path, "stride"), "must be 1 or 2");

  YAML::Node stages = r.required(s.node, s.path, "stages");
  space.stages = r.list<StageConfig>(
      stages, child(s.path, "stages"),
      [&](const YAML::Node &n, const std::string &p) {
        Section st{r, r.map(n, p, {"channels", "stride", "layers"}), p};
        StageConfig stage;
        r.required(st.node, p, "channels");
        st.posInt("channels", stage.channels);
        st.posInt("stride", stage.stride);
        st.posInt("layers", stage.layers);
        if (stage.stride > 2)
          r.fail(st.node["stride"], child(p, "stride"), "must be 1 or 2");
        return stage;
      });

  Section cand = s.sub("candidates", {"kernels", "expansions", "skip"});
  r.optional(cand.node, cand.path, "kernels",
             [&](const YAML::Node &n, const std::string &p) {
               space.candidates.kernels = positiveInts(r, n, p);
               for (size_t i = 0; i < n.size(); ++i)
                 if (space.candidates.kernels[i] % 2 == 0)
                   r.fail(n[i], yaml::elementPath(p, i), "must be odd");
             });
  r.optional(cand.node, cand.path, "expansions",
             [&](const YAML::Node &n, const std::string &p) {
               space.candidates.expansions = positiveInts(r, n, p);
             });
  r.optional(cand.node, cand.path, "skip",
             [&](const YAML::Node &n, const std::string &p) {
               space.candidates.skip = r.boolean(n, p);
             });

  Section head = s.sub("head", {"channels"});
  r.optional(head.node, head.path, "channels",
             [&](const YAML::Node &n, const std::string &p) {
               space.head_channels = r.integer32(n, p);
               r.nonNegative(n, p, space.head_channels);
             });
}

void readHardware(const Section &s, HardwareSpaceConfig &hw) {
  const Reader &r = s.r;
  hw.pe_rows = positiveInts(r, r.required(s.node, s.path, "pe_rows"),
                            child(s.path, "pe_rows"));
  hw.pe_cols = positiveInts(r, r.required(s.node, s.path, "pe_cols"),
                            child(s.path, "pe_cols"));
  hw.rf_bytes = positiveInts(r, r.required(s.node, s.path, "rf_bytes"),
                             child(s.path, "rf_bytes"));
  hw.glb_kib = positiveInts(r, r.required(s.node, s.path, "glb_kib"),
                            child(s.path, "glb_kib"));
  hw.dataflow = r.list<Dataflow>(
      r.required(s.node, s.path, "dataflow"), child(s.path, "dataflow"),
      [&](const YAML::Node &n, const std::string &p) {
        return static_cast<Dataflow>(r.choice(n, p, {"ws", "os", "rs"}));
      });
  rejectDuplicates(r, s.node["dataflow"], child(s.path, "dataflow"),
                   hw.dataflow,
                   [](Dataflow d) { return std::string(hdx::cost::toString(d)); });
  s.posNumber("clock_mhz", hw.clock_mhz);
  s.posInt("word_bits", hw.word_bits);
  s.posNumber("dram_bw_bytes_per_cycle", hw.dram_bw_bytes_per_cycle);
  r.optional(s.node, s.path, "technology",
             [&](const YAML::Node &n, const std::string &p) {
               hw.technology = r.string(n, p);
             });
  r.optional(s.node, s.path, "distribution",
             [&](const YAML::Node &n, const std::string &p) {
               hw.distribution = static_cast<HardwareDistribution>(
                   r.choice(n, p, {"joint", "per-dimension"}));
             });
  // Every value must make a valid accelerator, checked now rather than when
  // the tables are built: with each list's extremes, every point of the
  // space is within the cost model's ranges.
  auto check = [&](auto set) {
    hdx::cost::Accelerator a;
    a.name = "space";
    a.pe_rows = hw.pe_rows.front();
    a.pe_cols = hw.pe_cols.front();
    a.rf_bytes = hw.rf_bytes.front();
    a.glb_kib = hw.glb_kib.front();
    a.word_bits = hw.word_bits;
    a.clock_mhz = hw.clock_mhz;
    a.dram_bw_bytes_per_cycle = hw.dram_bw_bytes_per_cycle;
    set(a);
    hdx::Status status = hdx::cost::validate(a);
    if (status.ok())
      return;
    // "accelerator.KEY: what" -> the configuration's own key.
    const std::string &message = status.error();
    size_t dot = message.find('.'), colon = message.find(": ");
    std::string key = message.substr(dot + 1, colon - dot - 1);
    r.fail(s.node[key], child(s.path, key), message.substr(colon + 2));
  };
  for (int v : hw.pe_rows)
    check([&](hdx::cost::Accelerator &a) { a.pe_rows = v; });
  for (int v : hw.pe_cols)
    check([&](hdx::cost::Accelerator &a) { a.pe_cols = v; });
  for (int v : hw.rf_bytes)
    check([&](hdx::cost::Accelerator &a) { a.rf_bytes = v; });
  for (int v : hw.glb_kib)
    check([&](hdx::cost::Accelerator &a) { a.glb_kib = v; });
}

void readObjective(const Section &s, ObjectiveConfig &obj) {
  s.r.optional(s.node, s.path, "cost",
               [&](const YAML::Node &n, const std::string &p) {
                 obj.cost = static_cast<CostObjective>(
                     s.r.choice(n, p, {"edap", "weighted"}));
               });
  s.r.optional(s.node, s.path, "normalize",
               [&](const YAML::Node &n, const std::string &p) {
                 obj.normalize = static_cast<CostNormalization>(
                     s.r.choice(n, p, {"log", "reference", "none"}));
               });
  s.r.optional(
      s.node, s.path, "trains", [&](const YAML::Node &n, const std::string &p) {
        obj.trains =
            static_cast<CostTrains>(s.r.choice(n, p, {"both", "hardware"}));
      });
  s.nonNegNumber("lambda", obj.lambda);
  Section w = s.sub("weights", {"latency_ms", "energy_mj", "area_mm2"});
  w.nonNegNumber("latency_ms", obj.latency_weight);
  w.nonNegNumber("energy_mj", obj.energy_weight);
  w.nonNegNumber("area_mm2", obj.area_weight);
}

void readConstraints(const Section &s, ConstraintLimits &limits) {
  for (Metric m : {Metric::LatencyMs, Metric::EnergyMj, Metric::AreaMm2})
    s.r.optional(s.node, s.path, metricName(m),
                 [&](const YAML::Node &n, const std::string &p) {
                   double v = s.r.number(n, p);
                   s.r.positive(n, p, v);
                   limits.limit(m) = v;
                 });
}

void readMethod(const Section &s, MethodConfig &method) {
  const Reader &r = s.r;
  r.optional(s.node, s.path, "name",
             [&](const YAML::Node &n, const std::string &p) {
               method.method = static_cast<ConstraintMethod>(r.choice(
                   n, p,
                   {"hdx", "dance", "soft", "adaptive", "tfnas", "nas-then-hw"}));
             });
  r.optional(s.node, s.path, "judge",
             [&](const YAML::Node &n, const std::string &p) {
               method.judge = static_cast<ConstraintJudge>(
                   r.choice(n, p, {"expectation", "argmax"}));
             });
  Section hdx = s.sub("hdx", {"delta0", "growth", "margin", "hold", "limits",
                              "corrects", "deadline",
                              "max_correction_logits"});
  hdx.posNumber("delta0", method.hdx_delta0);
  hdx.posNumber("growth", method.hdx_growth);
  if (method.hdx_growth < 1)
    r.fail(hdx.node["growth"], child(hdx.path, "growth"),
           "must be at least 1");
  hdx.nonNegNumber("margin", method.hdx_margin);
  if (method.hdx_margin >= 1)
    r.fail(hdx.node["margin"], child(hdx.path, "margin"),
           "must be smaller than 1 (a fraction of each limit)");
  hdx.nonNegInt("hold", method.hdx_hold);
  r.optional(hdx.node, hdx.path, "limits",
             [&](const YAML::Node &n, const std::string &p) {
               method.hdx_limits =
                   static_cast<HdxLimits>(r.choice(n, p, {"each", "worst"}));
             });
  r.optional(hdx.node, hdx.path, "corrects",
             [&](const YAML::Node &n, const std::string &p) {
               method.hdx_corrects = static_cast<HdxCorrects>(
                   r.choice(n, p, {"gradient", "step"}));
             });
  hdx.nonNegNumber("deadline", method.hdx_deadline);
  if (method.hdx_deadline > 1)
    r.fail(hdx.node["deadline"], child(hdx.path, "deadline"),
           "must be at most 1 (a fraction of the search's steps)");
  hdx.nonNegNumber("max_correction_logits", method.hdx_max_correction_logits);
  Section dance = s.sub("dance", {"lambda"});
  dance.nonNegNumber("lambda", method.dance_lambda);
  Section soft = s.sub("soft", {"lambda"});
  soft.nonNegNumber("lambda", method.soft_lambda);
  Section adaptive = s.sub("adaptive", {"lambda0", "factor", "band"});
  adaptive.posNumber("lambda0", method.adaptive_lambda0);
  adaptive.posNumber("factor", method.adaptive_factor);
  if (method.adaptive_factor <= 1)
    r.fail(adaptive.node["factor"], child(adaptive.path, "factor"),
           "must be greater than 1");
  adaptive.nonNegNumber("band", method.adaptive_band);
  if (method.adaptive_band >= 1)
    r.fail(adaptive.node["band"], child(adaptive.path, "band"),
           "must be smaller than 1 (a fraction of each limit)");
  Section tfnas = s.sub("tfnas", {"lambda"});
  tfnas.nonNegNumber("lambda", method.tfnas_lambda);
}

void readOptimizer(const Section &s, OptimizerConfig &opt) {
  const Reader &r = s.r;
  s.posInt("epochs", opt.epochs);
  // Unset, the warm-up leaves at least one epoch for alpha/beta.
  opt.warmup_epochs = std::min(opt.warmup_epochs, opt.epochs - 1);
  r.optional(s.node, s.path, "warmup_epochs",
             [&](const YAML::Node &n, const std::string &p) {
               opt.warmup_epochs = r.integer32(n, p);
               r.nonNegative(n, p, opt.warmup_epochs);
             });
  if (opt.warmup_epochs >= opt.epochs)
    r.fail(s.node["warmup_epochs"], child(s.path, "warmup_epochs"),
           "must be smaller than epochs (" + std::to_string(opt.epochs) + ")");
  s.posInt("batch_size", opt.batch_size);
  s.posNumber("weight_lr", opt.weight_lr);
  s.nonNegNumber("weight_momentum", opt.weight_momentum);
  s.nonNegNumber("weight_decay", opt.weight_decay);
  r.optional(s.node, s.path, "arch_optimizer",
             [&](const YAML::Node &n, const std::string &p) {
               opt.arch_optimizer =
                   static_cast<ArchOptimizerKind>(r.choice(n, p, {"sgd", "adam"}));
             });
  s.posNumber("arch_lr", opt.arch_lr);
  r.optional(s.node, s.path, "hw_optimizer",
             [&](const YAML::Node &n, const std::string &p) {
               opt.hw_optimizer =
                   static_cast<ArchOptimizerKind>(r.choice(n, p, {"sgd", "adam"}));
             });
  s.posNumber("hw_lr", opt.hw_lr);
  r.optional(s.node, s.path, "relaxation",
             [&](const YAML::Node &n, const std::string &p) {
               opt.relaxation = static_cast<Relaxation>(
                   r.choice(n, p, {"softmax", "gumbel"}));
             });
  s.posNumber("tau_start", opt.tau_start);
  s.posNumber("tau_end", opt.tau_end);
  s.posNumber("cost_tau_start", opt.cost_tau_start);
  s.posNumber("cost_tau_end", opt.cost_tau_end);
  // LibTorch keeps parameters in float: a rate of 1e300 would fail inside
  // the first step with an overflow message that names no key.
  for (auto [key, value] : {std::pair<const char *, double>{"weight_lr", opt.weight_lr},
                            {"arch_lr", opt.arch_lr},
                            {"hw_lr", opt.hw_lr}})
    if (value > 100)
      r.fail(s.node[key], child(s.path, key), "must be at most 100");
}

void readDerived(const Section &s, DerivedTrainingConfig &derived) {
  s.posInt("epochs", derived.epochs);
  s.posInt("batch_size", derived.batch_size);
  s.posNumber("lr", derived.lr);
  if (derived.lr > 100)
    s.r.fail(s.node["lr"], child(s.path, "lr"), "must be at most 100");
  s.r.optional(s.node, s.path, "init",
               [&](const YAML::Node &n, const std::string &p) {
                 derived.init = static_cast<DerivedInit>(
                     s.r.choice(n, p, {"after_search", "from_seed"}));
               });
}

void readCostProxy(const Section &s, CostProxyConfig &proxy) {
  s.r.optional(s.node, s.path, "kind",
               [&](const YAML::Node &n, const std::string &p) {
                 proxy.kind = static_cast<CostProxyKind>(
                     s.r.choice(n, p, {"tables", "evaluator"}));
               });
  s.posInt("evaluator_samples", proxy.evaluator_samples);
  if (proxy.evaluator_samples < 10)
    s.r.fail(s.node["evaluator_samples"], child(s.path, "evaluator_samples"),
             "must be at least 10 (a fifth is held out to measure the "
             "evaluator)");
  s.posInt("evaluator_epochs", proxy.evaluator_epochs);
}

SearchConfig readConfig(const Reader &r, const YAML::Node &root) {
  if (!root.IsMap())
    r.fail(YAML::Node(), "", "expected a mapping at the top level");
  Section top{r,
              r.map(root, "",
                    {"seed", "threads", "device", "data", "search_space", "hardware",
                     "objective", "constraints", "method", "optimizer",
                     "derived", "cost_proxy"}),
              ""};
  SearchConfig config;
  config.source = r.source();
  r.optional(root, "", "seed", [&](const YAML::Node &n, const std::string &p) {
    int64_t seed = r.integer(n, p);
    r.nonNegative(n, p, static_cast<double>(seed));
    config.seed = static_cast<uint64_t>(seed);
  });
  r.optional(root, "", "threads",
             [&](const YAML::Node &n, const std::string &p) {
               config.threads = r.integer32(n, p);
               r.nonNegative(n, p, config.threads);
               // As --threads: more would only exhaust the machine.
               if (config.threads > 4096)
                 r.fail(n, p, "must be at most 4096 (0 = LibTorch's default)");
             });

  r.optional(root, "", "device",
             [&](const YAML::Node &n, const std::string &p) {
               config.device = static_cast<DeviceKind>(
                   r.choice(n, p, {"auto", "cpu", "cuda"}));
             });

  r.required(root, "", "data");
  readData(top.sub("data", {"dataset", "path", "val_size", "train_size",
                            "test_size", "synthetic"}),
           config.data);
  r.required(root, "", "search_space");
  readSearchSpace(top.sub("search_space",
                          {"stem", "stages", "candidates", "head"}),
                  config.search_space);
  r.required(root, "", "hardware");
  readHardware(top.sub("hardware",
                       {"pe_rows", "pe_cols", "rf_bytes", "glb_kib", "dataflow",
                        "clock_mhz", "word_bits", "dram_bw_bytes_per_cycle",
                        "technology", "distribution"}),
               config.hardware);
  readObjective(top.sub("objective",
                        {"cost", "normalize", "trains", "lambda", "weights"}),
                config.objective);
  readConstraints(top.sub("constraints", {"latency_ms", "energy_mj", "area_mm2"}),
                  config.constraints);
  readMethod(top.sub("method", {"name", "judge", "hdx", "dance", "soft",
                                "adaptive", "tfnas"}),
             config.method);
  readOptimizer(top.sub("optimizer",
                        {"epochs", "warmup_epochs", "batch_size", "weight_lr",
                         "weight_momentum", "weight_decay", "arch_optimizer",
                         "arch_lr", "hw_optimizer", "hw_lr", "relaxation",
                         "tau_start", "tau_end", "cost_tau_start",
                         "cost_tau_end"}),
                config.optimizer);
  readDerived(top.sub("derived", {"epochs", "batch_size", "lr", "init"}),
              config.derived);
  readCostProxy(top.sub("cost_proxy",
                        {"kind", "evaluator_samples", "evaluator_epochs"}),
                config.cost_proxy);
  return config;
}

} // namespace

Expected<SearchConfig> hdx::search::parseConfig(const std::string &yamlText,
                                                const std::string &fileName) {
  SearchConfig config;
  Status read = yaml::readYaml(yamlText, fileName,
                               [&](const Reader &r, const YAML::Node &root) {
                                 config = readConfig(r, root);
                               });
  if (!read.ok())
    return read;
  return config;
}

Expected<SearchConfig> hdx::search::loadConfig(const std::string &path) {
  std::string text, error;
  if (!readInputFile(path, kMaxTextInputBytes, text, error))
    return Error{error};
  return parseConfig(text, path);
}
