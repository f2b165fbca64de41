//===- SearchRun.cpp - one co-exploration run, start to finish ------------===//
#include "hdx/Search/SearchRun.h"

#include "hdx/Cost/Json.h"
#include "hdx/Plot/SvgChart.h"
#include "hdx/Search/BilevelSearch.h"
#include "hdx/Search/Dataset.h"
#include "hdx/Search/DerivedNet.h"
#include "hdx/Search/Device.h"
#include "hdx/Search/EvaluatorCost.h"
#include "hdx/Search/OnnxWriter.h"
#include "hdx/Search/Oracle.h"
#include "hdx/Search/TableCost.h"
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/InputFile.h"
#include "hdx/Support/StagingFolder.h"
#include "hdx/Search/Training.h"
#include "hdx/Support/FormatNumber.h"

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace hdx::search {

void applyOverrides(SearchConfig &config, const SearchOverrides &o) {
  if (o.method)
    config.method.method = *o.method;
  if (o.seed)
    config.seed = *o.seed;
  if (o.threads)
    config.threads = *o.threads;
  if (o.device)
    config.device = *o.device;
  if (o.latency_ms)
    config.constraints.latency_ms = *o.latency_ms;
  if (o.energy_mj)
    config.constraints.energy_mj = *o.energy_mj;
  if (o.area_mm2)
    config.constraints.area_mm2 = *o.area_mm2;
}

namespace {

/// One row of search_log.csv: an architecture/hardware step.
struct LogRow {
  int epoch = 0, step = 0;
  double task_loss = 0, batch_accuracy = 0;
  Metrics expected{}, exact{};
  double hardware_objective = 0;
  std::vector<double> deltas, lambdas;
  std::vector<bool> violated;
  std::optional<bool> correction_met;
  double cost_tau = 1;
};

std::string csvNumber(double v) { return hdx::formatDouble(v); }

std::string searchLogCsv(const std::vector<LogRow> &rows,
                         const std::vector<Metric> &constrained) {
  std::ostringstream csv;
  csv << "epoch,step,task_loss,batch_accuracy,expected_latency_ms,"
         "expected_energy_mj,expected_area_mm2,exact_latency_ms,"
         "exact_energy_mj,exact_area_mm2,hardware_objective";
  for (Metric m : constrained)
    csv << ",delta_" << metricName(m) << ",lambda_" << metricName(m);
  csv << ",active_constraints,correction_met,cost_tau\n";
  for (const LogRow &r : rows) {
    csv << r.epoch << ',' << r.step << ',' << csvNumber(r.task_loss) << ','
        << csvNumber(r.batch_accuracy);
    for (double v : r.expected)
      csv << ',' << csvNumber(v);
    for (double v : r.exact)
      csv << ',' << csvNumber(v);
    csv << ',' << csvNumber(r.hardware_objective);
    for (size_t i = 0; i < constrained.size(); ++i)
      csv << ',' << (i < r.deltas.size() ? csvNumber(r.deltas[i]) : "")
          << ',' << (i < r.lambdas.size() ? csvNumber(r.lambdas[i]) : "");
    std::string active;
    for (size_t i = 0; i < r.violated.size(); ++i)
      if (r.violated[i])
        active += (active.empty() ? "" : ";") +
                  std::string(metricName(constrained[i]));
    csv << ',' << active << ','
        << (r.correction_met ? (*r.correction_met ? "1" : "0") : "") << ','
        << csvNumber(r.cost_tau) << '\n';
  }
  return csv.str();
}

void writeMetrics(hdx::JsonWriter &json, const Metrics &m) {
  json.beginObject();
  for (int i = 0; i < kNumMetrics; ++i) {
    json.field(metricName(static_cast<Metric>(i)), m[i]);
  }
  json.endObject();
}

struct RunFacts {
  const SearchConfig &config;
  const NetworkSpace &space;
  const SearchOutcome &outcome;
  std::string dataset, costProxy, device;
  double tableSeconds = 0, searchSeconds = 0, derivedSeconds = 0;
  int points = 0;
  std::optional<EvaluatorAccuracy> evaluator;
  double costReference = 0;
  FeasibilityAnswer feasibility;
};

std::string resultJson(const RunFacts &f) {
  const DesignReport &r = f.outcome.report;
  const Derivation &d = f.outcome.derivation;
  hdx::JsonWriter json;
  json.beginObject();
  json.key("method"); json.value(constraintMethodName(f.config.method.method));
  json.key("seed"); json.value(static_cast<int64_t>(f.config.seed));
  json.key("dataset"); json.value(f.dataset);
  json.key("test_accuracy"); json.value(f.outcome.test_accuracy);
  json.key("wall_time_s"); json.value(f.outcome.wall_seconds);
  json.key("architecture");
  json.beginObject();
  for (int l = 0; l < f.space.numLayers(); ++l) {
    json.field(f.space.layers()[l].name,
               f.space.candidates()[d.design.architecture[l]].name());
  }
  json.endObject();
  json.key("accelerator");
  cost::writeAccelerator(json, r.accelerator);
  json.key("totals");
  json.beginObject();
  json.key("latency_ms"); json.value(r.metrics[0]);
  json.key("cycles"); json.value(r.cycles);
  json.key("energy_mj"); json.value(r.metrics[1]);
  json.key("area_mm2"); json.value(r.metrics[2]);
  json.key("macs"); json.value(r.macs);
  // As the compiler computes it: MACs over PE-cycles of the whole network.
  int64_t peCycles = r.accelerator.numPEs() * r.cycles;
  json.field("utilization",
             peCycles ? static_cast<double>(r.macs) / peCycles : 0.0);
  json.endObject();
  json.key("constraints");
  json.beginArray();
  for (Metric m : f.config.constraints.constrained()) {
    double limit = *f.config.constraints.limit(m);
    double value = r.metrics[static_cast<int>(m)];
    json.beginObject();
    json.key("metric"); json.value(metricName(m));
    json.key("limit"); json.value(limit);
    json.key("value"); json.value(value);
    json.key("met"); json.value(value <= limit);
    json.endObject();
  }
  json.endArray();
  json.key("search");
  json.beginObject();
  json.key("cost_proxy"); json.value(f.costProxy);
  json.key("device"); json.value(f.device);
  // What the CPU run's rounding depends on besides the seed (Device.h).
  CpuNumerics cpu = cpuNumerics();
  json.field("host_cpu", cpu.model);
  auto capOrNull = [&](const char *key, const std::string &cap) {
    json.key(key);
    if (cap.empty())
      json.null();
    else
      json.value(cap);
  };
  capOrNull("aten_cpu_capability", cpu.atenCapability);
  capOrNull("dnnl_max_cpu_isa", cpu.dnnlMaxIsa);
  json.key("hardware_points"); json.value(static_cast<int64_t>(f.points));
  json.key("table_build_s"); json.value(f.tableSeconds);
  json.key("search_s"); json.value(f.searchSeconds);
  json.key("epochs"); json.value(f.config.optimizer.epochs);
  json.key("derived_training_s"); json.value(f.derivedSeconds);
  if (f.evaluator) {
    json.key("evaluator_accuracy");
    json.beginObject();
    for (int i = 0; i < kNumMetrics; ++i) {
      json.field(metricName(static_cast<Metric>(i)), f.evaluator->accuracy[i]);
    }
    json.endObject();
    json.key("evaluator_samples"); json.value(f.evaluator->train_samples + f.evaluator->test_samples);
    json.key("evaluator_train_s"); json.value(f.evaluator->train_seconds);
  }
  json.key("derived_from_arch_step");
  if (f.outcome.derived_from_arch_step)
    json.value(*f.outcome.derived_from_arch_step);
  else
    json.null();
  json.field("cost_normalization",
             costNormalizationName(f.config.objective.normalize));
  json.field("cost_trains", costTrainsName(f.config.objective.trains));
  json.key("cost_reference"); json.value(f.costReference);
  json.key("judge"); json.value(constraintJudgeName(f.config.method.judge));
  if (f.config.method.method == ConstraintMethod::Hdx) {
    json.field("hdx_limits", hdxLimitsName(f.config.method.hdx_limits));
    json.field("hdx_corrects", hdxCorrectsName(f.config.method.hdx_corrects));
    json.key("hdx_deadline");
    json.value(f.config.method.hdx_deadline);
    json.key("hdx_max_correction_logits");
    json.value(f.config.method.hdx_max_correction_logits);
  }
  json.field("hardware_distribution",
             hardwareDistributionName(f.config.hardware.distribution));
  json.key("alpha_probabilities");
  json.beginObject();
  for (int l = 0; l < f.space.numLayers(); ++l) {
    json.key(f.space.layers()[l].name);
    json.beginObject();
    const std::vector<double> &row = f.outcome.alpha_probabilities[l];
    for (size_t k = 0; k < row.size(); ++k)
      if (row[k] > 0) { // candidates the layer does not allow have 0
        json.field(f.space.candidates()[k].name(), row[k]);
      }
    json.endObject();
  }
  json.endObject();
  json.key("final_argmax_metrics");
  writeMetrics(json, f.outcome.final_argmax_metrics);
  json.key("met_by_search"); json.value(f.outcome.met_by_search);
  json.key("argmax_metrics");
  writeMetrics(json, d.argmax.metrics);
  json.key("repairs");
  json.beginArray();
  for (const std::string &repair : d.repairs)
    json.value(repair);
  json.endArray();
  json.endObject();
  // Exact answers from the tables (Oracle.h).
  json.key("oracle");
  json.beginObject();
  json.key("space_feasible"); json.value(f.feasibility.feasible);
  json.key("decided_s"); json.value(f.feasibility.seconds);
  json.key("pareto_states"); json.value(f.feasibility.states);
  json.key("cost_hw"); json.value(hardwareObjectiveValue(f.config.objective, r.metrics));
  if (f.outcome.oracle_accelerator) {
    const Design &best = *f.outcome.oracle_accelerator;
    json.field("best_accelerator",
               describeHardware(f.config.hardware, best.hardware));
    json.key("best_metrics");
    writeMetrics(json, best.metrics);
    json.field("best_cost_hw",
               hardwareObjectiveValue(f.config.objective, best.metrics));
    json.key("gap"); json.value(*f.outcome.oracle_gap);
  }
  json.endObject();
  json.key("layers");
  json.beginArray();
  for (size_t i = 0; i < r.layers.size(); ++i)
    cost::writeLayerEntry(json, r.layers[i],
                          r.mappings[i] ? &*r.mappings[i] : nullptr,
                          r.costs[i]);
  json.endArray();
  json.endObject();
  return json.str() + "\n";
}

/// One metric's trajectory: expected and exact per step against its limit,
/// with the batch accuracy on the right axis.
plot::Chart trajectoryChart(const std::vector<LogRow> &rows,
                            const ConstraintLimits &limits, Metric metric) {
  plot::Chart chart;
  int i = static_cast<int>(metric);
  chart.title = std::string("Search trajectory: ") + metricName(metric);
  chart.x_label = "architecture step";
  chart.y_label = metricName(metric);
  chart.y2_label = "batch accuracy";
  plot::Series expected{"expected (relaxed)", {}}, exact{"exact (argmax design)", {}},
      accuracy{"accuracy", {}};
  accuracy.right_axis = true;
  accuracy.color = "#aaaaaa";
  for (size_t s = 0; s < rows.size(); ++s) {
    expected.points.push_back({double(s), rows[s].expected[i]});
    exact.points.push_back({double(s), rows[s].exact[i]});
    accuracy.points.push_back({double(s), rows[s].batch_accuracy});
  }
  chart.series = {accuracy, expected, exact};
  if (limits.limit(metric))
    chart.lines.push_back({"limit " + hdx::formatDouble(*limits.limit(metric)),
                           *limits.limit(metric)});
  return chart;
}

double since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

std::atomic<bool> stopRequested{false};

/// FNV-1a over the configuration file's bytes and the settings the command
/// line overrides: a checkpoint is resumed only by the run it belongs to.
/// (The thread count may differ; results are then equal up to float
/// reassociation.)
int64_t configFingerprint(const SearchConfig &config) {
  std::string text;
  std::ifstream in(config.source, std::ios::binary);
  text.assign(std::istreambuf_iterator<char>(in), {});
  auto limit = [](std::optional<double> v) {
    return v ? hdx::formatDouble(*v) : std::string("none");
  };
  text += "|seed=" + std::to_string(config.seed) +
          "|device=" + deviceKindName(config.device) +
          "|method=" + constraintMethodName(config.method.method) +
          "|latency_ms=" + limit(config.constraints.latency_ms) +
          "|energy_mj=" + limit(config.constraints.energy_mj) +
          "|area_mm2=" + limit(config.constraints.area_mm2);
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text)
    hash = (hash ^ c) * 0x100000001b3ULL;
  return static_cast<int64_t>(hash);
}

/// The log rows as numbers: per row the fixed fields, then each list as
/// its length followed by its values.
std::vector<double> encodeRows(const std::vector<LogRow> &rows) {
  std::vector<double> out;
  for (const LogRow &r : rows) {
    out.insert(out.end(), {double(r.epoch), double(r.step), r.task_loss,
                           r.batch_accuracy});
    out.insert(out.end(), r.expected.begin(), r.expected.end());
    out.insert(out.end(), r.exact.begin(), r.exact.end());
    out.insert(out.end(), {r.hardware_objective, r.cost_tau,
                           r.correction_met ? double(*r.correction_met) : -1.0});
    for (const std::vector<double> *list : {&r.deltas, &r.lambdas}) {
      out.push_back(double(list->size()));
      out.insert(out.end(), list->begin(), list->end());
    }
    out.push_back(double(r.violated.size()));
    for (bool v : r.violated)
      out.push_back(v ? 1.0 : 0.0);
  }
  return out;
}

std::optional<std::vector<LogRow>> decodeRows(const std::vector<double> &in) {
  std::vector<LogRow> rows;
  size_t at = 0;
  auto take = [&](double &v) {
    if (at >= in.size())
      return false;
    v = in[at++];
    return true;
  };
  while (at < in.size()) {
    LogRow r;
    double epoch, step, met, count;
    if (!take(epoch) || !take(step) || !take(r.task_loss) ||
        !take(r.batch_accuracy))
      return std::nullopt;
    r.epoch = int(epoch);
    r.step = int(step);
    for (double &v : r.expected)
      if (!take(v))
        return std::nullopt;
    for (double &v : r.exact)
      if (!take(v))
        return std::nullopt;
    if (!take(r.hardware_objective) || !take(r.cost_tau) || !take(met))
      return std::nullopt;
    if (met >= 0)
      r.correction_met = met != 0;
    for (std::vector<double> *list : {&r.deltas, &r.lambdas}) {
      if (!take(count))
        return std::nullopt;
      for (int64_t i = 0; i < int64_t(count); ++i)
        if (!take(list->emplace_back()))
          return std::nullopt;
    }
    if (!take(count))
      return std::nullopt;
    for (int64_t i = 0; i < int64_t(count); ++i) {
      double v;
      if (!take(v))
        return std::nullopt;
      r.violated.push_back(v != 0);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

constexpr int64_t kCheckpointFormat = 1;
/// Checkpoints beyond this are refused (a search's state is megabytes).
constexpr uint64_t kMaxCheckpointBytes = uint64_t{1} << 32;

/// Writes the state after `epochsDone` search epochs to `path` atomically.
Status writeCheckpoint(const std::string &path, const BilevelSearch &search,
                       int epochsDone, const std::vector<LogRow> &rows,
                       int64_t fingerprint) {
  try {
    torch::serialize::OutputArchive archive;
    if (Status s = search.saveCheckpoint(archive); !s.ok())
      return s;
    archive.write("format", torch::tensor(kCheckpointFormat, torch::kLong));
    archive.write("fingerprint", torch::tensor(fingerprint, torch::kLong));
    archive.write("epochs_done",
                  torch::tensor(int64_t(epochsDone), torch::kLong));
    archive.write("log_rows", torch::tensor(encodeRows(rows), torch::kDouble));
    std::ostringstream bytes;
    archive.save_to(bytes);
    if (std::string error = hdx::writeFileAtomically(path, bytes.str());
        !error.empty())
      return Error{error};
  } catch (const std::exception &e) {
    return Error{"cannot write the checkpoint '" + path + "': " + e.what()};
  }
  return Status::success();
}

/// Restores `search` and `rows` from `path`; returns the search epochs done.
Expected<int> readCheckpoint(const std::string &path, BilevelSearch &search,
                             std::vector<LogRow> &rows, int64_t fingerprint,
                             int epochs) {
  std::string where = "checkpoint '" + path + "'";
  std::string error;
  std::string bytes;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Error{"--resume: there is no checkpoint at '" + path +
                 "' (a run writes one after each search epoch)"};
  if (!readInputFile(path, kMaxCheckpointBytes, bytes, error))
    return Error{"--resume: " + error};
  try {
    torch::serialize::InputArchive archive;
    std::istringstream in(bytes);
    archive.load_from(in);
    // A fresh tensor per key: reading into a defined tensor keeps its
    // element type.
    auto readTensor = [&](const char *key) {
      torch::Tensor t;
      archive.read(key, t);
      return t;
    };
    if (readTensor("format").item<int64_t>() != kCheckpointFormat)
      return Error{where + " has another format"};
    if (readTensor("fingerprint").item<int64_t>() != fingerprint)
      return Error{where + " was written for another configuration (file, "
                   "seed, method, device or limits differ); run without "
                   "--resume to start over"};
    int64_t done = readTensor("epochs_done").item<int64_t>();
    if (done < 0 || done > epochs)
      return Error{where + " is after epoch " + std::to_string(done) +
                   " of a search of " + std::to_string(epochs)};
    torch::Tensor log = readTensor("log_rows").to(torch::kDouble).contiguous();
    std::optional<std::vector<LogRow>> decoded = decodeRows(
        std::vector<double>(log.data_ptr<double>(),
                            log.data_ptr<double>() + log.numel()));
    if (!decoded)
      return Error{where + " holds a malformed search log"};
    if (Status s = search.loadCheckpoint(archive); !s.ok())
      return Error{where + ": " + s.error()};
    rows = std::move(*decoded);
    return static_cast<int>(done);
  } catch (const std::exception &e) {
    return Error{where + " cannot be read: " + e.what()};
  }
}

/// The first kReferenceImages test images and the trained network's logits
/// on them, into outcome.reference_*.
Status recordReferenceOutputs(DerivedNet &net, const ImageSet &test,
                              SearchOutcome &outcome) {
  const int64_t count = std::min<int64_t>(kReferenceImages, test.size());
  std::vector<int64_t> indices(count);
  for (int64_t i = 0; i < count; ++i)
    indices[i] = i;
  try {
    torch::NoGradGuard noGrad;
    const bool wasTraining = net->is_training();
    net->eval();
    Batch batch = makeBatch(test, indices, deviceOf(*net));
    torch::Tensor logits = net->forward(batch.images).to(torch::kCPU).contiguous();
    net->train(wasTraining);
    torch::Tensor images = batch.images.to(torch::kCPU).contiguous();
    outcome.reference_image_shape = {test.channels, test.height, test.width};
    for (int64_t i = 0; i < count; ++i) {
      const float *image = images[i].data_ptr<float>();
      const float *row = logits[i].data_ptr<float>();
      outcome.reference_images.emplace_back(image, image + test.imageBytes());
      outcome.reference_logits.emplace_back(row, row + logits.size(1));
    }
  } catch (const std::exception &e) {
    return Error{std::string("evaluating the reference images failed: ") +
                 e.what()};
  }
  return Status::success();
}

/// The data splits config.data names and the network space over them, the
/// first steps of a search and of a retraining alike.
struct DataAndSpace {
  DataSplits data;
  NetworkSpace space;
};

Expected<DataAndSpace> loadDataAndSpace(const SearchConfig &config) {
  Expected<DataSplits> data = loadData(config.data, config.seed);
  if (!data)
    return data.status();
  Expected<NetworkSpace> space = NetworkSpace::build(
      config.search_space, data->inputShape(), data->numClasses);
  if (!space)
    return Error{config.source + ": " + space.error()};
  return DataAndSpace{std::move(*data), std::move(*space)};
}

/// The derived network of `choice`, initialised as derived.init says (from
/// the random state at the call, or from the seed alone) and trained with
/// config.derived.
Expected<DerivedNet>
trainedDerivedNet(const SearchConfig &config, const NetworkSpace &space,
                  const std::vector<int> &choice, const DataSplits &data,
                  torch::Device device,
                  const std::function<void(const EpochReport &)> &onEpoch,
                  ProcessGroup *group) {
  if (config.derived.init == DerivedInit::FromSeed)
    torch::manual_seed(config.seed);
  Expected<DerivedNet> net = makeDerivedNet(space, choice);
  if (!net)
    return net.status();
  (*net)->to(device);
  auto trained = trainDerived(*net, data, config.derived, config.optimizer,
                              config.seed, onEpoch, group);
  if (!trained)
    return trained.status();
  return net;
}

} // namespace

Expected<double>
trainArchitecture(const SearchConfig &config,
                  const std::map<std::string, std::string> &architecture) {
  try {
    if (config.threads > 0)
      torch::set_num_threads(config.threads);
    Expected<torch::Device> device = resolveDevice(config.device);
    if (!device)
      return Error{config.source + ": " + device.error()};
    Expected<DataAndSpace> loaded = loadDataAndSpace(config);
    if (!loaded)
      return loaded.status();
    const DataSplits &data = loaded->data;
    const NetworkSpace &space = loaded->space;
    if (architecture.size() != static_cast<size_t>(space.numLayers()))
      return Error{"the architecture names " +
                   std::to_string(architecture.size()) + " layers; " +
                   config.source + "'s space has " +
                   std::to_string(space.numLayers())};
    std::vector<int> choice;
    for (const SearchableLayer &layer : space.layers()) {
      auto named = architecture.find(layer.name);
      if (named == architecture.end())
        return Error{"the architecture has no choice for layer " + layer.name};
      const auto &candidates = space.candidates();
      auto found = std::find_if(
          candidates.begin(), candidates.end(),
          [&](const Candidate &c) { return c.name() == named->second; });
      if (found == candidates.end())
        return Error{layer.name + ": " + named->second +
                     " is not a candidate of " + config.source + "'s space"};
      choice.push_back(static_cast<int>(found - candidates.begin()));
    }
    SearchConfig fromSeed = config;
    fromSeed.derived.init = DerivedInit::FromSeed;
    Expected<DerivedNet> net =
        trainedDerivedNet(fromSeed, space, choice, data, *device, {}, nullptr);
    if (!net)
      return net.status();
    Expected<Accuracy> test = evaluate(*net, data.test);
    if (!test)
      return test.status();
    return test->accuracy;
  } catch (const std::exception &e) {
    return Error{std::string("training the architecture: ") + e.what()};
  }
}

std::string checkpointPathFor(const std::string &outDir) {
  std::filesystem::path dir(outDir);
  if (!dir.has_filename())
    dir = dir.parent_path();
  return (dir.parent_path() / ("." + dir.filename().string() + ".checkpoint"))
      .string();
}

void requestSearchStop() { stopRequested.store(true); }

Expected<SearchOutcome> runSearch(const SearchConfig &config,
                                  const std::string &outDir,
                                  const SearchProgress &progress,
                                  const CheckpointOptions &checkpoint,
                                  ProcessGroup *group) {
  auto start = std::chrono::steady_clock::now();
  auto stage = [&](const std::string &name) {
    if (progress.stage)
      progress.stage(name);
  };
  auto note = [&](const std::string &line) {
    if (progress.note)
      progress.note(line);
  };
  auto report = [&](int64_t done, int64_t total, const std::string &status) {
    if (progress.progress)
      progress.progress(done, total, status);
  };

  // Only rank 0 of a data-parallel run writes.
  const bool parallel = group && group->size() > 1;
  const bool writer = !group || group->rank() == 0;
  // Outputs go to a staging folder and move into place at the very end.
  std::optional<StagingFolder> staging;
  if (writer) {
    staging.emplace(outDir, "hdx-search");
    if (!staging->error().empty())
      return Error{staging->error()};
  }

  try {
    const int64_t fingerprint = configFingerprint(config);
    if (parallel) {
      if (config.optimizer.batch_size < group->size() ||
          config.derived.batch_size < group->size())
        return Error{config.source + ": optimizer.batch_size and "
                     "derived.batch_size must be at least the number of "
                     "ranks (" + std::to_string(group->size()) + ")"};
      std::vector<int64_t> prints =
          group->allGather(fingerprint, "compare the configurations");
      for (int r = 1; r < group->size(); ++r)
        if (prints[r] != prints[0])
          return Error{"rank " + std::to_string(r) +
                       " runs another configuration than rank 0 (file, "
                       "seed, method, device or limits differ); every rank "
                       "must run the same search"};
    }
    // Batch norms see the global batch while the search and the derived
    // network train.
    ActiveBatchNormGroup syncBatchNorm(parallel ? group : nullptr);
    if (config.threads > 0)
      torch::set_num_threads(config.threads);
    torch::manual_seed(config.seed);
    Expected<torch::Device> device = resolveDevice(config.device);
    if (!device)
      return Error{config.source + ": " + device.error()};
    {
      // What the CPU's rounding depends on (Device.h), for comparing runs
      // between machines.
      CpuNumerics cpu = cpuNumerics();
      auto cap = [](const std::string &c) { return c.empty() ? "uncapped" : c; };
      note(std::string("device: ") + device->str() + " (host CPU " +
           (cpu.model.empty() ? "unknown" : cpu.model) + ", ATen " +
           cap(cpu.atenCapability) + ", oneDNN " + cap(cpu.dnnlMaxIsa) + ")");
    }
    if (parallel)
      note("data parallel: rank " + std::to_string(group->rank()) + " of " +
           std::to_string(group->size()) + " over Gloo, " +
           std::to_string(torch::get_num_threads()) + " thread(s) per rank");

    stage("loading data");
    Expected<DataAndSpace> loaded = loadDataAndSpace(config);
    if (!loaded)
      return loaded.status();
    const DataSplits &data = loaded->data;
    const NetworkSpace &space = loaded->space;

    stage("tabulating the hardware cost");
    CostTables::Options tableOptions;
    tableOptions.objective = kMappingObjective;
    // threads: 0 means LibTorch's default, for the tables too.
    tableOptions.threads =
        config.threads > 0 ? config.threads : std::max(1, torch::get_num_threads());
    tableOptions.progress = [&](int done, int total) {
      report(done, total, "hardware points mapped");
    };
    if (parallel) {
      tableOptions.shard = group->rank();
      tableOptions.shards = group->size();
    }
    Expected<CostTables> tables =
        CostTables::build(space, config.hardware, tableOptions);
    if (!tables)
      return Error{config.source + ": hardware: " + tables.error()};
    if (parallel) {
      // Each rank mapped its share of the points; the sum of the shares'
      // rows is the whole table.
      std::vector<double> rows = tables->pointRows();
      group->allReduceSum(rows, "exchange the cost tables");
      if (Status s = tables->setPointRows(rows); !s.ok())
        return s;
    }
    note("cost tables: " + std::to_string(tables->numPoints()) +
         " hardware points x " + std::to_string(space.numLayers()) +
         " layers x " + std::to_string(space.numCandidates()) +
         " candidates in " + formatBrief(tables->buildSeconds()) + " s");
    // Limits no design of the space meets together fail before any
    // training, decided exactly from the tables.
    FeasibilityAnswer feasibility =
        decideFeasibility(*tables, config.constraints);
    if (!feasibility.feasible)
      return Error{
          describeInfeasible(feasibility, *tables, space, config.constraints)};
    if (!config.constraints.constrained().empty())
      note("oracle: a design of the space meets every limit (decided in " +
           formatBrief(feasibility.seconds) + " s, " +
           std::to_string(feasibility.states) + " Pareto states)");

    std::unique_ptr<DifferentiableCost> cost;
    std::optional<EvaluatorAccuracy> evaluatorAccuracy;
    if (config.cost_proxy.kind == CostProxyKind::Tables) {
      cost = std::make_unique<TableCost>(*tables, *device);
    } else {
      stage("training the cost evaluator");
      auto evaluator = EvaluatorCost::train(
          *tables, space, config.cost_proxy.evaluator_samples,
          config.cost_proxy.evaluator_epochs, config.seed, *device);
      if (!evaluator)
        return evaluator.status();
      evaluatorAccuracy = (*evaluator)->accuracy();
      note("cost evaluator: held-out accuracy latency " +
           formatBrief(evaluatorAccuracy->accuracy[0]) + ", energy " +
           formatBrief(evaluatorAccuracy->accuracy[1]) + ", area " +
           formatBrief(evaluatorAccuracy->accuracy[2]));
      cost = std::move(*evaluator);
    }

    auto search = BilevelSearch::create(config, space, cost.get(), *device,
                                        parallel ? group : nullptr);
    if (!search)
      return search.status();
    std::vector<LogRow> rows;
    const std::string checkpointPath = checkpoint.path.empty()
                                           ? checkpointPathFor(outDir)
                                           : checkpoint.path;
    int firstEpoch = 0;
    if (checkpoint.resume) {
      auto loadStart = std::chrono::steady_clock::now();
      Expected<int> done = readCheckpoint(checkpointPath, **search, rows,
                                          fingerprint, config.optimizer.epochs);
      if (!done)
        return done.status();
      firstEpoch = *done;
      note("resumed from " + checkpointPath + " after search epoch " +
           std::to_string(firstEpoch) + " (read in " +
           formatBrief(since(loadStart)) + " s)");
    }
    auto searchStart = std::chrono::steady_clock::now();
    for (int epoch = firstEpoch; epoch < config.optimizer.epochs; ++epoch) {
      stage("search epoch " + std::to_string(epoch + 1) + "/" +
            std::to_string(config.optimizer.epochs));
      auto stats = (*search)->runEpoch(
          data, epoch, [&](int step, int steps, const ArchStepStats *arch) {
            std::string status;
            if (arch && arch->expected) {
              LogRow row;
              row.epoch = epoch;
              row.step = static_cast<int>(rows.size());
              row.task_loss = arch->taskLoss;
              row.batch_accuracy = arch->accuracy;
              row.expected = *arch->expected;
              // The design the step judged (before its update), so each row's
              // exact values and active constraints describe one design.
              row.exact = arch->exact
                              ? *arch->exact
                              : tables->measure((*search)->architecture(),
                                                tables->index((*search)->hardwareChoice()));
              row.hardware_objective = arch->hardwareObjective.value_or(0);
              row.deltas = arch->deltas;
              row.lambdas = arch->lambdas;
              row.violated = arch->violated;
              row.correction_met = arch->correctionMet;
              row.cost_tau = arch->costTau;
              rows.push_back(row);
              status = "latency_ms " + formatBrief(row.exact[0]) +
                       ", accuracy " + formatBrief(row.batch_accuracy);
            }
            report(step, steps, status);
          });
      if (!stats)
        return stats.status();
      Metrics exact = tables->measure(stats->architecture,
                                      tables->index(stats->hardware));
      note("epoch " + std::to_string(epoch + 1) + ": train accuracy " +
           formatBrief(stats->train.accuracy) + ", held-out accuracy " +
           formatBrief(stats->val.accuracy) + "; design latency_ms " +
           formatBrief(exact[0]) + ", energy_mj " + formatBrief(exact[1]) +
           ", area_mm2 " + formatBrief(exact[2]) + "; " +
           formatBrief(stats->images / std::max(stats->stepSeconds, 1e-9)) +
           " images/s" +
           (parallel ? " on " + std::to_string(group->size()) + " ranks, " +
                           formatBrief(group->bytesReduced() / 1e6) +
                           " MB all-reduced so far"
                     : std::string()));
      if (parallel) {
        // Every rank must have taken the same steps; a drift would
        // otherwise only show as a wrong result.
        std::vector<int64_t> sums = group->allGather(
            (*search)->stateChecksum(), "compare the parameter checksums");
        for (int r = 1; r < group->size(); ++r)
          if (sums[r] != sums[0])
            return Error{"after search epoch " + std::to_string(epoch + 1) +
                         " the parameters of rank " + std::to_string(r) +
                         " differ from rank 0's: the ranks no longer take "
                         "the same steps"};
      }
      auto checkpointStart = std::chrono::steady_clock::now();
      if (writer) {
        if (Status s = writeCheckpoint(checkpointPath, **search, epoch + 1,
                                       rows, fingerprint);
            !s.ok())
          return s;
        note("checkpoint " + checkpointPath + " written in " +
             formatBrief(since(checkpointStart)) + " s");
      }
      // Test seam: die as SIGKILL would, right after this checkpoint (on
      // rank HDX_TEST_KILL_RANK only, where set).
      const char *kill = std::getenv("HDX_TEST_KILL_AFTER_EPOCH");
      const char *killRank = std::getenv("HDX_TEST_KILL_RANK");
      if (kill && std::atoi(kill) == epoch + 1 &&
          (!killRank || std::atoi(killRank) == (group ? group->rank() : 0)))
        std::raise(SIGKILL);
      // A signal to any rank stops every rank after the same epoch.
      std::vector<double> stop{stopRequested.load() ? 1.0 : 0.0};
      if (parallel)
        group->allReduceSum(stop, "agree on stopping");
      if (stop[0] > 0 && epoch + 1 < config.optimizer.epochs)
        return Error{"interrupted after search epoch " +
                     std::to_string(epoch + 1) + " of " +
                     std::to_string(config.optimizer.epochs) +
                     "; its checkpoint is " + checkpointPath +
                     "; rerun with --resume to continue"};
    }
    double searchSeconds = since(searchStart);

    stage("deriving the design");
    SearchOutcome outcome;
    outcome.final_argmax_metrics = tables->measure(
        (*search)->architecture(), tables->index((*search)->hardwareChoice()));
    outcome.met_by_search =
        config.constraints.metBy(outcome.final_argmax_metrics);
    SearchedDistributions source = (*search)->derivationSource();
    if (config.method.method == ConstraintMethod::NasThenHw) {
      // The second stage: the best accelerator for the network the first
      // stage found, straight from the tables.
      std::vector<int> arch;
      for (const std::vector<double> &row : source.architecture)
        arch.push_back(static_cast<int>(
            std::max_element(row.begin(), row.end()) - row.begin()));
      std::optional<Design> best = bestAcceleratorFor(
          *tables, arch, config.constraints, config.objective);
      if (best) {
        std::fill(source.hardware.begin(), source.hardware.end(), 0.0);
        source.hardware[tables->index(best->hardware)] = 1.0;
        note("nas-then-hw: the best accelerator for the searched network: " +
             describeHardware(config.hardware, best->hardware));
      } else {
        note("nas-then-hw: no accelerator of the space runs the searched "
             "network within the limits");
      }
      outcome.met_by_search = best.has_value();
    }
    outcome.alpha_probabilities = source.architecture;
    if (source.archStep)
      note("the final argmax misses a hard constraint: deriving from alpha/beta "
           "step " + std::to_string(*source.archStep) +
           ", the last whose argmax met every one");
    Expected<Derivation> derivation =
        deriveDesign(*tables, space, source.architecture, source.hardware,
                     config.constraints);
    if (!derivation)
      return Error{"the hard constraints cannot be met: " + derivation.error()};
    for (const std::string &repair : derivation->repairs)
      note("repair: " + repair);
    const Design &design = derivation->design;
    Expected<DesignReport> designReport =
        evaluateDesign(space, config.hardware, design.architecture,
                       design.hardware, kMappingObjective);
    if (!designReport)
      return designReport.status();
    designReport->accelerator.name = "hdx_searched";
    // How far the searched accelerator is from the best one of the space
    // for the same network.
    outcome.oracle_accelerator = bestAcceleratorFor(
        *tables, design.architecture, config.constraints, config.objective);
    if (outcome.oracle_accelerator) {
      double best = hardwareObjectiveValue(config.objective,
                                           outcome.oracle_accelerator->metrics);
      double found = hardwareObjectiveValue(config.objective, design.metrics);
      outcome.oracle_gap = best > 0 ? found / best - 1 : 0.0;
      note("oracle: the best accelerator for this network is " +
           describeHardware(config.hardware,
                            outcome.oracle_accelerator->hardware) +
           "; the derived design's Cost_HW is " +
           formatBrief(100 * *outcome.oracle_gap) + " % above it");
    }
    note("design: " + space.describe(design.architecture) + "; " +
         (*search)->hardware()->describe(design.hardware));

    stage("training the derived network");
    auto derivedStart = std::chrono::steady_clock::now();
    Expected<DerivedNet> net = trainedDerivedNet(
        config, space, design.architecture, data, *device,
        [&](const EpochReport &epoch) {
          report(epoch.epoch + 1, config.derived.epochs,
                 "held-out accuracy " + formatBrief(epoch.val.accuracy));
        },
        parallel ? group : nullptr);
    if (!net)
      return net.status();
    Expected<Accuracy> test = evaluate(*net, data.test);
    if (!test)
      return test.status();
    if (Status s = recordReferenceOutputs(*net, data.test, outcome); !s.ok())
      return s;
    double derivedSeconds = since(derivedStart);

    outcome.derivation = *derivation;
    outcome.derived_from_arch_step = source.archStep;
    outcome.report = *designReport;
    outcome.test_accuracy = test->accuracy;

    outcome.wall_seconds = since(start);
    if (!writer)
      return outcome;
    stage("writing outputs");
    OnnxExportOptions onnxOptions;
    onnxOptions.docString = space.describe(design.architecture);
    if (Status s = writeOnnx(**net, staging->file("network.onnx"),
                             onnxOptions);
        !s.ok())
      return s;
    std::vector<std::pair<std::string, std::string>> texts = {
        {"accelerator.yaml", cost::toYaml(outcome.report.accelerator)},
        {"search_log.csv",
         searchLogCsv(rows, config.constraints.constrained())}};
    for (const auto &[name, text] : texts)
      if (std::string error =
              hdx::writeFileAtomically(staging->file(name), text);
          !error.empty())
        return Error{error};
    // search_trajectory.svg for the first constrained metric (latency when
    // none is), search_trajectory_<metric>.svg for each further one.
    std::vector<Metric> plotted = config.constraints.constrained();
    if (plotted.empty())
      plotted.push_back(Metric::LatencyMs);
    for (size_t m = 0; m < plotted.size(); ++m) {
      std::string name =
          m == 0 ? "search_trajectory.svg"
                 : "search_trajectory_" + std::string(metricName(plotted[m])) +
                       ".svg";
      std::string svgError;
      if (!plot::writeSvg(trajectoryChart(rows, config.constraints, plotted[m]),
                          staging->file(name), svgError))
        return Error{svgError};
    }
    outcome.wall_seconds = since(start);
    RunFacts facts{config,
                   space,
                   outcome,
                   data.name,
                   cost->name(),
                   device->str(),
                   tables->buildSeconds(),
                   searchSeconds,
                   derivedSeconds,
                   tables->numPoints(),
                   evaluatorAccuracy,
                   (*search)->costReference(),
                   feasibility};
    if (std::string error = hdx::writeFileAtomically(
            staging->file("result.json"), resultJson(facts));
        !error.empty())
      return Error{error};

    // Everything was written: move the files into place.
    if (std::string error = staging->commit(); !error.empty())
      return Error{error};
    if (checkpoint.removeWhenDone) {
      std::error_code ignored;
      std::filesystem::remove(checkpointPath, ignored);
    }
    return outcome;
  } catch (const std::exception &e) {
    return Error{std::string("search failed: ") + e.what()};
  }
}

} // namespace hdx::search
