//===- Config.h - The search configuration ----------------------*- C++ -*-===//
//
// Everything a network/accelerator co-exploration needs, read from one YAML
// file: the data set, the network search space, the hardware space, the
// hardware objective, hard constraints, the constraint-handling method, the
// optimizer settings and the seed. docs/search.md documents every key with its
// unit. Unknown keys, wrong types and out-of-range values are errors that name
// the file and the key path, e.g.
//   tiny.yaml: search_space.stages[1].channels: expected an integer, got 'x' (line 12)
// Plain data only: no Torch, no yaml-cpp in this header.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_CONFIG_H
#define HDX_SEARCH_CONFIG_H

#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/Expected.h"

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace hdx::search {

//===----------------------------------------------------------------------===//
// Data
//===----------------------------------------------------------------------===//

enum class DatasetKind { FashionMnist, Cifar10, Synthetic };

/// A small generated data set (oriented stripe patterns, one orientation and
/// frequency per class, plus noise) for tests and quick runs.
struct SyntheticDataConfig {
  int classes = 4;
  int channels = 1;
  int image_size = 16;        // pixels, square images
  int64_t train_images = 512; // pool that is split into train and validation
  int64_t test_images = 256;
};

struct DataConfig {
  DatasetKind dataset = DatasetKind::FashionMnist;
  /// Folder of the data files. Empty: Debian's Fashion-MNIST folder for
  /// Fashion-MNIST; required for CIFAR-10; unused for the synthetic set.
  std::string path;
  /// Training images held out for the architecture/hardware updates.
  int64_t val_size = 10000;
  /// Training images for the weight updates; 0 = all that are not held out.
  int64_t train_size = 0;
  /// Test images; 0 = the whole test set.
  int64_t test_size = 0;
  SyntheticDataConfig synthetic;
};

//===----------------------------------------------------------------------===//
// Network search space
//===----------------------------------------------------------------------===//

struct StemConfig {
  int channels = 16;
  int kernel = 3;
  int stride = 1;
};

/// A stage of searchable layers: the first layer applies the stride and the
/// change of channels, the others keep both.
struct StageConfig {
  int channels = 0;
  int stride = 1;
  int layers = 1;
};

/// Candidate operations of every searchable layer: MBConv for each kernel x
/// expansion pair, and `skip` (identity) in the layers whose input and output
/// shapes agree.
struct CandidateConfig {
  std::vector<int> kernels{3, 5, 7};
  std::vector<int> expansions{3, 6};
  bool skip = true;
};

struct SearchSpaceConfig {
  StemConfig stem;
  std::vector<StageConfig> stages;
  CandidateConfig candidates;
  /// Channels of the 1x1 convolution before global pooling; 0 = none.
  int head_channels = 0;
};

//===----------------------------------------------------------------------===//
// Hardware space
//===----------------------------------------------------------------------===//

/// The cost model's dataflow (ws, os, rs).
using Dataflow = cost::Dataflow;

/// Searchable hardware dimensions, in the order of `HardwareSpaceConfig`'s
/// value lists and of the hardware parameters (beta).
enum class HardwareDim { PeRows = 0, PeCols, RfBytes, GlbKib, Dataflow };
constexpr int kNumHardwareDims = 5;
/// "pe_rows", "pe_cols", "rf_bytes", "glb_kib", "dataflow".
const char *hardwareDimName(HardwareDim dim);

/// One point of the hardware space: an index into each value list.
struct HardwareChoice {
  int pe_rows = 0, pe_cols = 0, rf_bytes = 0, glb_kib = 0, dataflow = 0;
  int index(HardwareDim dim) const;
  void setIndex(HardwareDim dim, int value);
};

/// How beta spreads probability over the accelerators: one categorical over
/// every point of the space (`joint`: the expected cost is exact and
/// couplings such as rows x cols are seen), or one per dimension
/// (`per-dimension`: a product distribution, as DANCE and Auto-NBA relax it).
enum class HardwareDistribution { Joint, PerDimension };
/// "joint", "per-dimension".
const char *hardwareDistributionName(HardwareDistribution distribution);

struct HardwareSpaceConfig {
  std::vector<int> pe_rows;
  std::vector<int> pe_cols;
  std::vector<int> rf_bytes; // per PE
  std::vector<int> glb_kib;
  std::vector<Dataflow> dataflow;
  double clock_mhz = 200.0;
  int word_bits = 8;
  double dram_bw_bytes_per_cycle = 16.0;
  /// Built-in technology name or path to a table; empty = the cost model's
  /// default.
  std::string technology;
  HardwareDistribution distribution = HardwareDistribution::Joint;

  /// Number of values of dimension `dim`.
  int size(HardwareDim dim) const;
  /// Number of points: the product of the sizes.
  int numPoints() const;
  /// Point `index` of the space; points are numbered row-major in
  /// HardwareDim order (pe_rows slowest, dataflow fastest).
  HardwareChoice point(int index) const;
  int index(const HardwareChoice &choice) const;
};

/// Value `index` of dimension `dim` as the YAML writes it: "16", "rs".
std::string hardwareValueText(const HardwareSpaceConfig &space,
                              HardwareDim dim, int index);

/// "pe_rows=16 pe_cols=16 rf_bytes=64 glb_kib=128 dataflow=ws".
std::string describeHardware(const HardwareSpaceConfig &space,
                             const HardwareChoice &choice);

//===----------------------------------------------------------------------===//
// Objective, constraints and their handling
//===----------------------------------------------------------------------===//

/// Constrained (and objective) hardware metrics, per inference.
enum class Metric { LatencyMs = 0, EnergyMj, AreaMm2 };
constexpr int kNumMetrics = 3;
/// "latency_ms", "energy_mj", "area_mm2".
const char *metricName(Metric metric);
/// The one of three per-metric fields that `metric` names.
template <typename T>
T &byMetric(Metric metric, T &latencyMs, T &energyMj, T &areaMm2) {
  switch (metric) {
  case Metric::LatencyMs:
    return latencyMs;
  case Metric::EnergyMj:
    return energyMj;
  case Metric::AreaMm2:
    break;
  }
  return areaMm2;
}

/// Cost_HW: `edap` = energy_mj * latency_ms * area_mm2; `weighted` =
/// sum of weight * metric.
enum class CostObjective { Edap, Weighted };

/// How Cost_HW enters the search loss, so that lambda has no units: `log` =
/// log(Cost_HW / Cost_ref), `reference` = Cost_HW / Cost_ref, `none` =
/// Cost_HW in its own units. Cost_ref is the expected Cost_HW of the
/// untrained search (uniform architecture and hardware distributions).
enum class CostNormalization { Log, Reference, None };
const char *costNormalizationName(CostNormalization normalization);

/// What lambda * N(Cost_HW) trains: `both` the network (alpha) and the
/// accelerator (beta); `hardware` beta alone, so the term picks the cheapest
/// accelerator for the network while only the task loss and the limits
/// decide the network's size.
enum class CostTrains { Both, Hardware };
const char *costTrainsName(CostTrains trains);

struct ObjectiveConfig {
  CostObjective cost = CostObjective::Edap;
  CostNormalization normalize = CostNormalization::Log;
  CostTrains trains = CostTrains::Both;
  /// Weight of the (normalised) Cost_HW in the search loss.
  double lambda = 0.0;
  /// `weighted` only: per ms, per mJ, per mm2.
  double latency_weight = 1.0;
  double energy_weight = 1.0;
  double area_weight = 1.0;
};

/// Cost_HW of (latency_ms, energy_mj, area_mm2) as `objective` defines it;
/// one formula for exact values (double) and expectations (tensors).
template <typename T>
T hardwareCost(const ObjectiveConfig &objective, const T &latency,
               const T &energy, const T &area) {
  if (objective.cost == CostObjective::Edap)
    return energy * latency * area;
  return objective.latency_weight * latency +
         objective.energy_weight * energy + objective.area_weight * area;
}

/// Hard limits (`<=`); unset = unconstrained.
struct ConstraintLimits {
  std::optional<double> latency_ms;
  std::optional<double> energy_mj;
  std::optional<double> area_mm2;

  std::optional<double> &limit(Metric metric);
  const std::optional<double> &limit(Metric metric) const;
  /// The metrics that carry a limit, in `Metric` order.
  std::vector<Metric> constrained() const;
  /// Whether `values` (in `Metric` order) meet every limit (value <= limit).
  bool metBy(const std::array<double, kNumMetrics> &values) const;
};

/// How hard constraints are enforced (ConstraintHandler.h): `hdx` corrects
/// the gradient (ConstraintRule.h); `dance` ignores the limits and weighs
/// Cost_HW by its own lambda; `soft`, `adaptive` and `tfnas` add a penalty
/// to the loss; `nas-then-hw` searches the network for accuracy alone and
/// then picks the best accelerator for it.
enum class ConstraintMethod { Hdx, Dance, Soft, Adaptive, TfNas, NasThenHw };
constexpr int kNumConstraintMethods = 6;
/// "hdx", "dance", "soft", "adaptive", "tfnas", "nas-then-hw".
const char *constraintMethodName(ConstraintMethod method);
/// Parses a method name as written above (for the command line).
std::optional<ConstraintMethod> parseConstraintMethod(const std::string &name);

/// Which value of a constrained metric decides that it is violated: the
/// expectation under the (tempered) relaxed distributions, whose gradient
/// the rule follows, or the exact value of the argmax design.
enum class ConstraintJudge { Expectation, Argmax };
const char *constraintJudgeName(ConstraintJudge judge);

/// How `hdx` treats several limits: `each` corrects every violated r_i on
/// its own; `worst` corrects the one metric w = max_i r_i, expected per
/// hardware point, whose value <= 1 says that every limit holds.
enum class HdxLimits { Each, Worst };
const char *hdxLimitsName(HdxLimits limits);

/// What `hdx` corrects when the optimizer is not plain SGD: `gradient`
/// hands the corrected gradient to the optimizer (its momentum and
/// second moments then carry the correction into later steps) and holds
/// the resulting step to the rule; `step` hands it the objective's own
/// gradient and corrects only the step it takes. With SGD both are the
/// rule as stated (theta <- theta - lr * corrected g).
enum class HdxCorrects { Gradient, Step };
const char *hdxCorrectsName(HdxCorrects corrects);

struct MethodConfig {
  ConstraintMethod method = ConstraintMethod::Hdx;
  /// Which value the methods that act on a violation (hdx, adaptive) judge.
  ConstraintJudge judge = ConstraintJudge::Argmax;
  /// hdx works on r_i = t_i / T_i: while r_i >= 1 - margin, it requires
  /// <g, grad r_i> >= delta_i. delta_i starts at delta0 and grows by the
  /// factor `growth` per consecutive violated step. For `hold` steps after
  /// its last violation a limit may not rise (<g, grad r_i> >= 0), so that
  /// correcting one limit does not undo the correction of another.
  double hdx_delta0 = 0.05;
  double hdx_growth = 1.02;
  double hdx_margin = 0.02;
  int hdx_hold = 20;
  /// With several limits, whether the rule treats them one by one or as
  /// one constrained metric, the worst ratio max_i r_i (ConstraintHandler.h).
  HdxLimits hdx_limits = HdxLimits::Worst;
  HdxCorrects hdx_corrects = HdxCorrects::Gradient;
  /// With `corrects: step`: the fraction of the search's alpha/beta steps
  /// by which a violated limit's expected ratio must be down to 1 - margin.
  /// Each violated step asks at least for an equal share of the remaining
  /// gap (ConstraintHandler::deadlineFloors), so the step's first-order
  /// decrease does not depend on delta's schedule alone. 0 turns it off.
  double hdx_deadline = 0.75;
  /// The most one correction (the gradient's, taken as a plain SGD step, or
  /// the optimizer's step's) may move any alpha or beta logit
  /// (boundCorrection); 0 leaves it unbounded.
  double hdx_max_correction_logits = 0.0;
  double dance_lambda = 1.0;     // dance: weight of the normalised Cost_HW
  double soft_lambda = 1.0;      // soft: lambda * max(0, t/T - 1)
  double adaptive_lambda0 = 1.0; // adaptive: initial weight of t/T
  double adaptive_factor = 2.0;  // adaptive: lambda *= factor while violated
  double adaptive_band = 0.05;   // adaptive: lambda /= factor once t < (1 - band) T
  double tfnas_lambda = 0.1;     // tfnas: lambda of lambda * |t/T - 1|
};

//===----------------------------------------------------------------------===//
// Optimization
//===----------------------------------------------------------------------===//

/// Relaxation of the categorical choices: softmax mixes every candidate;
/// gumbel samples one candidate per step (straight-through Gumbel-softmax).
enum class Relaxation { Softmax, Gumbel };
const char *relaxationName(Relaxation relaxation);

enum class ArchOptimizerKind { Sgd, Adam };

struct OptimizerConfig {
  int epochs = 10;
  /// Epochs of weight-only training before architecture/hardware updates.
  int warmup_epochs = 2;
  int batch_size = 128;
  double weight_lr = 0.05; // SGD with momentum, cosine schedule
  double weight_momentum = 0.9;
  double weight_decay = 4e-5;
  /// Optimizer of alpha (the network choices). Plain SGD keeps the HDX
  /// guarantee that the step lowers a violated metric to first order; Adam
  /// rescales the corrected gradient per coordinate.
  ArchOptimizerKind arch_optimizer = ArchOptimizerKind::Sgd;
  double arch_lr = 0.1;
  /// Optimizer of beta (the hardware choices), a parameter group of its own:
  /// beta learns from Cost_HW and the constraints only, whose gradients are
  /// far smaller than the task loss's on alpha.
  ArchOptimizerKind hw_optimizer = ArchOptimizerKind::Adam;
  double hw_lr = 0.05;
  /// Temperature of the distributions the expected cost is taken under,
  /// softmax(alpha / tau) and softmax(beta / tau), annealed geometrically
  /// over the alpha/beta steps: at the end they are close to one-hot, so the
  /// expected metrics approach the exact ones of the design derived.
  double cost_tau_start = 1.0;
  double cost_tau_end = 0.05;
  Relaxation relaxation = Relaxation::Gumbel;
  double tau_start = 5.0; // Gumbel temperature, annealed geometrically
  double tau_end = 0.5;
};

/// Where the derived network's initial weights are drawn from.
enum class DerivedInit {
  AfterSearch, // the random state the search leaves behind
  FromSeed,    // the run's seed alone: one design trains to one accuracy,
               // whichever search (method, setting, length) derived it
};

/// Stand-alone training of the derived network.
struct DerivedTrainingConfig {
  int epochs = 5;
  int batch_size = 128;
  double lr = 0.05; // momentum and weight decay as in OptimizerConfig
  DerivedInit init = DerivedInit::FromSeed;
};

/// How the expected hardware cost is made differentiable.
enum class CostProxyKind { Tables, Evaluator };

struct CostProxyConfig {
  CostProxyKind kind = CostProxyKind::Tables;
  int evaluator_samples = 8000; // evaluator: sampled (network, hardware) pairs
  int evaluator_epochs = 60;
};

//===----------------------------------------------------------------------===//
// The whole configuration
//===----------------------------------------------------------------------===//

/// Where LibTorch trains: `auto` is CUDA when the LibTorch build has it and
/// a GPU is visible, else the CPU.
enum class DeviceKind { Auto, Cpu, Cuda };
const char *deviceKindName(DeviceKind kind);
std::optional<DeviceKind> parseDeviceKind(const std::string &name);

struct SearchConfig {
  /// The file name the configuration was read from (for messages).
  std::string source;
  uint64_t seed = 1;
  /// CPU threads for LibTorch; 0 = LibTorch's default.
  int threads = 0;
  DeviceKind device = DeviceKind::Auto;
  DataConfig data;
  SearchSpaceConfig search_space;
  HardwareSpaceConfig hardware;
  ObjectiveConfig objective;
  ConstraintLimits constraints;
  MethodConfig method;
  OptimizerConfig optimizer;
  DerivedTrainingConfig derived;
  CostProxyConfig cost_proxy;
};

/// Parses YAML text; `fileName` names it in error messages.
Expected<SearchConfig> parseConfig(const std::string &yamlText,
                                   const std::string &fileName);

/// Reads and parses the file at `path`.
Expected<SearchConfig> loadConfig(const std::string &path);

} // namespace hdx::search

#endif // HDX_SEARCH_CONFIG_H
