//===- CostTables.cpp - exact costs of every candidate on every accelerator ===//
#include "hdx/Search/CostTables.h"

#include "hdx/Cost/CostModel.h"
#include "hdx/Mapper/Mapper.h"
#include "hdx/Search/CompiledLayers.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <thread>

namespace hdx::search {

cost::Accelerator makeAccelerator(const HardwareSpaceConfig &space,
                                  const HardwareChoice &choice,
                                  const std::string &name) {
  cost::Accelerator accel;
  accel.name = name;
  accel.pe_rows = space.pe_rows.at(choice.pe_rows);
  accel.pe_cols = space.pe_cols.at(choice.pe_cols);
  accel.rf_bytes = space.rf_bytes.at(choice.rf_bytes);
  accel.glb_kib = space.glb_kib.at(choice.glb_kib);
  accel.dataflow = space.dataflow.at(choice.dataflow);
  accel.word_bits = space.word_bits;
  accel.clock_mhz = space.clock_mhz;
  accel.dram_bw_bytes_per_cycle = space.dram_bw_bytes_per_cycle;
  if (!space.technology.empty())
    accel.technology = space.technology;
  return accel;
}

/// Maps and costs `layers` in order, appending each layer's cost and mapping.
static Status costLayers(mapper::NetworkMapper &mapper,
                         const cost::CostModel &model,
                         const std::vector<cost::Layer> &layers,
                         std::vector<cost::LayerCost> &costs,
                         std::vector<std::optional<cost::Mapping>> *mappings) {
  for (const cost::Layer &layer : layers) {
    if (!layer.usesArray()) {
      hdx::Expected<cost::LayerCost> streamed = model.evaluateStreaming(layer);
      if (!streamed)
        return Error{"layer " + layer.name + " (" + cost::toString(layer) +
                     "): " + streamed.error()};
      costs.push_back(*streamed);
      if (mappings)
        mappings->push_back(std::nullopt);
      continue;
    }
    hdx::Expected<mapper::MapResult> mapped = mapper.map(layer);
    if (!mapped)
      return Error{"layer " + layer.name + " (" + cost::toString(layer) +
                   ") cannot be mapped onto " + model.accelerator().name +
                   ": " + mapped.error()};
    costs.push_back(mapped->cost);
    if (mappings)
      mappings->push_back(mapped->mapping);
  }
  return Status::success();
}

/// Sums like the compiler's estimate: in execution order, from zero.
static double sumInOrder(double total, const std::vector<double> &values) {
  for (double v : values)
    total += v;
  return total;
}

Expected<DesignReport> evaluateDesign(const NetworkSpace &space,
                                      const HardwareSpaceConfig &hardware,
                                      const std::vector<int> &architecture,
                                      const HardwareChoice &choice,
                                      mapper::Objective objective) {
  if (Status status = space.checkChoice(architecture); !status.ok())
    return status;
  DesignReport report;
  report.accelerator = makeAccelerator(hardware, choice);
  hdx::Expected<cost::CostModel> model =
      cost::CostModel::create(report.accelerator);
  if (!model)
    return model.status();
  mapper::MapperOptions options;
  options.objective = objective;
  mapper::NetworkMapper mapper(*model, options);
  Expected<std::vector<cost::Layer>> layers =
      compiledLayers(space, architecture);
  if (!layers)
    return layers.status();
  report.layers = std::move(*layers);
  if (Status status = costLayers(mapper, *model, report.layers, report.costs,
                                 &report.mappings);
      !status.ok())
    return status;
  double latency = 0, energy = 0;
  for (const cost::LayerCost &c : report.costs) {
    latency += c.latency_ms;
    energy += c.energy_mj;
    report.cycles += c.cycles;
    report.macs += c.macs;
  }
  report.metrics[static_cast<int>(Metric::LatencyMs)] = latency;
  report.metrics[static_cast<int>(Metric::EnergyMj)] = energy;
  report.metrics[static_cast<int>(Metric::AreaMm2)] = model->area_mm2();
  return report;
}

/// The latency and energy of each layer of `costs` into `values`.
static void keep(const std::vector<cost::LayerCost> &costs,
                 std::vector<double> &latency, std::vector<double> &energy) {
  for (const cost::LayerCost &c : costs) {
    latency.push_back(c.latency_ms);
    energy.push_back(c.energy_mj);
  }
}

double CostTables::LayerValues::total(Metric metric) const {
  return sumInOrder(0, metric == Metric::LatencyMs ? latency_ms : energy_mj);
}

HardwareChoice CostTables::point(int index) const {
  return hardware_.point(index);
}

int CostTables::index(const HardwareChoice &choice) const {
  return hardware_.index(choice);
}

Expected<CostTables> CostTables::build(const NetworkSpace &space,
                                       const HardwareSpaceConfig &hardware,
                                       const Options &options) {
  auto start = std::chrono::steady_clock::now();
  CostTables tables;
  tables.hardware_ = hardware;
  tables.numLayers_ = space.numLayers();
  tables.numCandidates_ = space.numCandidates();
  tables.numPoints_ = 1;
  for (int d = 0; d < kNumHardwareDims; ++d)
    tables.numPoints_ *= hardware.size(static_cast<HardwareDim>(d));
  for (const SearchableLayer &layer : space.layers())
    tables.allowed_.push_back(layer.allowed);
  tables.candidates_.resize(static_cast<size_t>(tables.numLayers_) *
                            tables.numCandidates_ * tables.numPoints_);
  tables.stem_.resize(tables.numPoints_);
  tables.tail_.resize(tables.numPoints_);
  tables.area_.resize(tables.numPoints_);

  Expected<CandidateLayers> compiled = compiledCandidateLayers(space);
  if (!compiled)
    return compiled.status();
  const std::vector<cost::Layer> &stem = compiled->stem, &tail = compiled->tail;
  const auto &candidates = compiled->candidates;

  tables.groupLayers_.push_back(stem.size());
  for (int l = 0; l < tables.numLayers_; ++l)
    for (int k = 0; k < tables.numCandidates_; ++k)
      tables.groupLayers_.push_back(candidates[l][k].size());
  tables.groupLayers_.push_back(tail.size());

  // Points are independent: workers take the next one of this shard until
  // none is left.
  const int shards = std::max(1, options.shards);
  std::atomic<int> next{options.shard}, done{0};
  std::mutex mutex;
  std::optional<Error> failure;
  auto work = [&] {
    for (int h = next.fetch_add(shards); h < tables.numPoints_;
         h = next.fetch_add(shards)) {
      Status status = [&]() -> Status {
        cost::Accelerator accel = makeAccelerator(hardware, tables.point(h));
        hdx::Expected<cost::CostModel> model = cost::CostModel::create(accel);
        if (!model)
          return model.status();
        mapper::MapperOptions mapperOptions;
        mapperOptions.objective = options.objective;
        mapper::NetworkMapper mapper(*model, mapperOptions);
        tables.area_[h] = model->area_mm2();
        auto fill = [&](const std::vector<cost::Layer> &layers,
                        LayerValues &values) -> Status {
          std::vector<cost::LayerCost> costs;
          if (Status s = costLayers(mapper, *model, layers, costs, nullptr);
              !s.ok())
            return s;
          keep(costs, values.latency_ms, values.energy_mj);
          return Status::success();
        };
        if (Status s = fill(stem, tables.stem_[h]); !s.ok())
          return s;
        for (int l = 0; l < tables.numLayers_; ++l)
          for (int k = 0; k < tables.numCandidates_; ++k)
            if (Status s = fill(candidates[l][k],
                                tables.candidates_[tables.slot(l, k, h)]);
                !s.ok())
              return s;
        return fill(tail, tables.tail_[h]);
      }();
      std::lock_guard<std::mutex> lock(mutex);
      if (!status.ok() && !failure)
        failure = Error{"hardware point " + std::to_string(h) + ": " +
                        status.error()};
      ++done;
      if (options.progress)
        options.progress(done, (tables.numPoints_ - options.shard + shards - 1) /
                                   shards);
      if (failure)
        return;
    }
  };
  int threads = std::max(1, std::min(options.threads, tables.numPoints_));
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t)
    workers.emplace_back(work);
  work();
  for (std::thread &worker : workers)
    worker.join();
  if (failure)
    return *failure;
  tables.buildSeconds_ = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  return tables;
}

namespace {
size_t rowSize(const std::vector<size_t> &groupLayers) {
  size_t size = 1; // area
  for (size_t n : groupLayers)
    size += 2 * n; // latency, energy
  return size;
}
} // namespace

std::vector<double> CostTables::pointRows() const {
  const size_t width = rowSize(groupLayers_);
  std::vector<double> rows(width * numPoints_, 0.0);
  for (int h = 0; h < numPoints_; ++h) {
    if (stem_[h].latency_ms.size() != groupLayers_.front())
      continue; // another shard's point
    double *out = rows.data() + width * h;
    *out++ = area_[h];
    auto put = [&](const LayerValues &v) {
      out = std::copy(v.latency_ms.begin(), v.latency_ms.end(), out);
      out = std::copy(v.energy_mj.begin(), v.energy_mj.end(), out);
    };
    put(stem_[h]);
    for (int l = 0; l < numLayers_; ++l)
      for (int k = 0; k < numCandidates_; ++k)
        put(candidates_[slot(l, k, h)]);
    put(tail_[h]);
  }
  return rows;
}

Status CostTables::setPointRows(const std::vector<double> &rows) {
  const size_t width = rowSize(groupLayers_);
  if (rows.size() != width * numPoints_)
    return Error{"the exchanged cost table has " + std::to_string(rows.size()) +
                 " values, not " + std::to_string(width * numPoints_)};
  for (int h = 0; h < numPoints_; ++h) {
    const double *in = rows.data() + width * h;
    area_[h] = *in++;
    size_t group = 0;
    auto take = [&](LayerValues &v) {
      size_t n = groupLayers_[group++];
      v.latency_ms.assign(in, in + n);
      v.energy_mj.assign(in + n, in + 2 * n);
      in += 2 * n;
    };
    take(stem_[h]);
    for (int l = 0; l < numLayers_; ++l)
      for (int k = 0; k < numCandidates_; ++k)
        take(candidates_[slot(l, k, h)]);
    take(tail_[h]);
  }
  return Status::success();
}

double CostTables::candidate(int layer, int candidate, int h,
                             Metric metric) const {
  return candidates_[slot(layer, candidate, h)].total(metric);
}

double CostTables::fixed(int h, Metric metric) const {
  return stem_[h].total(metric) + tail_[h].total(metric);
}

Metrics CostTables::measure(const std::vector<int> &architecture,
                            int h) const {
  Metrics metrics{};
  for (Metric metric : {Metric::LatencyMs, Metric::EnergyMj}) {
    bool latency = metric == Metric::LatencyMs;
    auto of = [&](const LayerValues &v) -> const std::vector<double> & {
      return latency ? v.latency_ms : v.energy_mj;
    };
    double total = sumInOrder(0, of(stem_[h]));
    for (size_t l = 0; l < architecture.size(); ++l)
      total = sumInOrder(
          total, of(candidates_[slot(static_cast<int>(l), architecture[l], h)]));
    metrics[static_cast<int>(metric)] = sumInOrder(total, of(tail_[h]));
  }
  metrics[static_cast<int>(Metric::AreaMm2)] = area_[h];
  return metrics;
}

double CostTables::bestReachable(Metric metric) const {
  double best = std::numeric_limits<double>::infinity();
  for (int h = 0; h < numPoints_; ++h) {
    if (metric == Metric::AreaMm2) {
      best = std::min(best, area_[h]);
      continue;
    }
    // The cheapest candidate of every layer (the metric adds up per layer),
    // measured as `measure` sums, so a limit set to this value is met.
    std::vector<int> cheapest(numLayers_, -1);
    for (int l = 0; l < numLayers_; ++l)
      for (int k = 0; k < numCandidates_; ++k)
        if (allowed_[l][k] &&
            (cheapest[l] < 0 ||
             candidate(l, k, h, metric) < candidate(l, cheapest[l], h, metric)))
          cheapest[l] = k;
    best = std::min(best, measure(cheapest, h)[static_cast<int>(metric)]);
  }
  return best;
}

} // namespace hdx::search
