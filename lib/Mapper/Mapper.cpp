//===- Mapper.cpp - Mapspace search for one layer -------------------------===//
#include "hdx/Mapper/Mapper.h"

#include "Evaluator.h"

#include <algorithm>
#include <unordered_set>

namespace hdx::mapper {

using namespace hdx;
using namespace hdx::cost;

namespace {

struct Candidate {
  Mapping mapping;
  LayerCost cost;
  bool valid = false;
};

// Block coordinate descent over the tilings of one spatial unrolling, with
// a small beam. The tiling of each dimension is one of its rf x glb x dram
// splits; a step keeps one level's factors and re-optimises the other two
// jointly over all dimensions (keep RF: all glb x dram; keep DRAM: all
// rf x glb; keep GLB: all rf x dram). Joint steps trade one dimension's
// tile against another's within a buffer's capacity, which single-dimension
// moves cannot; the beam keeps the runners-up of each step alive so that a
// move that only pays off after the next step is not lost.
class TilingSearch {
public:
  TilingSearch(detail::Evaluator &eval, const SpatialChoice &spatial,
               const PerDim<std::vector<TemporalChoice>> &choices,
               Objective objective, int beamWidth, int maxSteps)
      : eval_(eval), spatial_(spatial), choices_(choices),
        objective_(objective), width_(std::max(1, beamWidth)),
        max_steps_(maxSteps) {
    seen_.reserve(4096);
  }

  Candidate run(const PerDim<size_t> &start) {
    const Permutation &any = candidateOrders()[0];
    PerDim<TemporalChoice> pick;
    for (int d = 0; d < kNumDims; ++d)
      pick[d] = choices_[d][start[d]];
    base_ = assemble(spatial_, pick, any, any, any);
    State first{start, {}, {}};
    if (!evaluate(first, base_))
      return {};
    std::vector<State> beam{first};
    Candidate best{first.mapping, first.cost, true};
    // Cycle through the three steps until a full cycle finds nothing better.
    int idle = 0;
    for (int step = 0, taken = 0; idle < 3 && taken < max_steps_;
         step = (step + 1) % 3, ++taken) {
      Level kept = step == 0 ? RF : step == 1 ? DRAM : GLB;
      std::vector<State> next;
      for (const State &s : beam) {
        offer(s, next);
        // A state's neighbourhood under a step never changes: expand once.
        if (expanded_[step].insert(key(s.index)).second)
          expand(s, kept, next);
      }
      beam = next;
      bool improved = better(beam.front().cost, best.cost, objective_);
      if (improved)
        best = {beam.front().mapping, beam.front().cost, true};
      idle = improved ? 0 : idle + 1;
    }
    return best;
  }

private:
  struct State {
    PerDim<size_t> index;
    Mapping mapping;
    LayerCost cost;
  };

  static uint64_t key(const PerDim<size_t> &index) {
    uint64_t k = 1469598103934665603ull; // FNV-1a over the indices
    for (size_t i : index)
      k = (k ^ i) * 1099511628211ull;
    return k;
  }

  // Costs s.index; s.mapping is `work` with the index's factors.
  bool evaluate(State &s, Mapping work) {
    for (int d = 0; d < kNumDims; ++d)
      setSplit(work, d, choices_[d][s.index[d]]);
    s.mapping = work;
    return eval_.evaluate(s.mapping, s.cost);
  }

  static void setSplit(Mapping &m, int d, const TemporalChoice &c) {
    m.factors[RF][d] = c.rf;
    m.factors[GLB][d] = c.glb;
    m.factors[DRAM][d] = c.dram;
  }

  // Offers every tiling that keeps `kept`'s factors of `s` to the beam.
  void expand(const State &s, Level kept, std::vector<State> &beam) {
    PerDim<std::vector<size_t>> options;
    for (int d = 0; d < kNumDims; ++d) {
      const TemporalChoice &now = choices_[d][s.index[d]];
      for (size_t i = 0; i < choices_[d].size(); ++i) {
        const TemporalChoice &c = choices_[d][i];
        bool keep = kept == RF    ? c.rf == now.rf
                    : kept == GLB ? c.glb == now.glb
                                  : c.dram == now.dram;
        if (keep)
          options[d].push_back(i);
      }
    }
    PerDim<size_t> index = s.index;
    Mapping work = base_;
    enumerate(options, 0, s.index, index, work, beam);
  }

  // Walks the combinations dimension by dimension, setting each one's
  // factors in `work` on the way down.
  void enumerate(const PerDim<std::vector<size_t>> &options, int d,
                 const PerDim<size_t> &origin, PerDim<size_t> &index,
                 Mapping &work, std::vector<State> &beam) {
    if (d == kNumDims) {
      // A tiling already costed was offered to the beam then; skip it.
      if (index == origin || !seen_.insert(key(index)).second)
        return;
      State s{index, work, {}};
      if (eval_.evaluate(s.mapping, s.cost))
        offer(s, beam);
      return;
    }
    for (size_t i : options[d]) {
      index[d] = i;
      setSplit(work, d, choices_[d][i]);
      enumerate(options, d + 1, origin, index, work, beam);
    }
  }

  // Keeps the beam sorted, best first, without duplicates.
  void offer(const State &s, std::vector<State> &beam) const {
    if (beam.size() == size_t(width_) &&
        !better(s.cost, beam.back().cost, objective_))
      return;
    for (const State &b : beam)
      if (b.index == s.index)
        return;
    auto at = beam.begin();
    while (at != beam.end() && !better(s.cost, at->cost, objective_))
      ++at;
    beam.insert(at, s);
    if (beam.size() > size_t(width_))
      beam.pop_back();
  }

  detail::Evaluator &eval_;
  const SpatialChoice &spatial_;
  const PerDim<std::vector<TemporalChoice>> &choices_;
  Objective objective_;
  int width_;
  int max_steps_;
  Mapping base_; // spatial unrolling and loop orders of every tiling
  std::unordered_set<uint64_t> expanded_[3];
  std::unordered_set<uint64_t> seen_;
};

// A lower bound on the objective for any tiling of a spatial unrolling:
// the array steps bound the cycles, and every MAC plus one pass of each
// tensor through DRAM and the GLB bound the energy.
double lowerBound(const CostModel &model, const LoopNest &nest,
                  const SpatialChoice &s, Objective objective) {
  const UnitEnergies &u = model.energies();
  double words = 0;
  Mapping whole;
  for (int d = 0; d < kNumDims; ++d)
    whole.factors[DRAM][d] = nest.bound[d];
  std::array<int64_t, kNumDataTypes> tensor = tileWords(nest, whole, DRAM);
  for (int64_t w : tensor)
    words += double(w);
  double energy =
      (double(nest.macs()) * u.mac_pj +
       double(nest.copies) * words * (u.dram_pj + 2 * u.glb_pj)) *
      1e-9;
  double cycles = double(s.steps) * double(nest.copies);
  switch (objective) {
  case Objective::Latency:
    return cycles;
  case Objective::Energy:
    return energy;
  case Objective::EDP:
    return energy * cycles;
  }
  return 0;
}

// The split a search starts from: the best tiling found so far for an
// earlier unrolling carried over (same RF factor, nearest GLB factor), or,
// for the first unrolling, everything at DRAM (the smallest tiles).
size_t startingSplit(const std::vector<TemporalChoice> &choices,
                     const Mapping *best, Dim d) {
  int64_t rf = best ? best->factors[RF][d] : 1;
  int64_t glb = best ? best->factors[GLB][d] : 1;
  size_t pick = 0;
  int64_t pickDistance = -1;
  for (size_t i = 0; i < choices.size(); ++i) {
    const TemporalChoice &c = choices[i];
    // A different RF factor weighs most, then the GLB and RF factor ratios.
    int64_t distance = (c.rf == rf ? 0 : 1000000) +
                       (c.glb > glb ? c.glb / glb : glb / c.glb) * 10 +
                       (c.rf > rf ? c.rf / rf : rf / c.rf);
    if (pickDistance < 0 || distance < pickDistance) {
      pick = i;
      pickDistance = distance;
    }
  }
  return pick;
}

} // namespace

Expected<MapResult> mapLoopNest(const CostModel &model, const LoopNest &nest,
                                const MapperOptions &options) {
  const Accelerator &accel = model.accelerator();
  std::vector<SpatialChoice> spatial = spatialChoices(accel, nest);
  detail::Evaluator eval(model, nest, options.objective);
  Candidate best;
  int searched = 0;
  for (const SpatialChoice &s : spatial) {
    // The first few unrollings (fewest array steps) get a full search from
    // scratch. Later ones get a short plain descent from the best tiling so
    // far, and only while a lower bound says they could still win.
    bool full = searched < options.spatial_candidates;
    if (!full && (!best.valid || searched >= options.max_spatial_candidates ||
                  lowerBound(model, nest, s, options.objective) >=
                      score(best.cost, options.objective)))
      continue;
    PerDim<std::vector<TemporalChoice>> choices;
    PerDim<size_t> start;
    for (int d = 0; d < kNumDims; ++d) {
      choices[d] = temporalChoices(accel, nest, Dim(d), s.rows[d] * s.cols[d]);
      start[d] = startingSplit(choices[d], full ? nullptr : &best.mapping,
                               Dim(d));
    }
    int width = full ? options.beam_width : 1;
    int steps = full ? 1000 : options.refine_steps;
    Candidate c = TilingSearch(eval, s, choices, options.objective, width, steps)
                      .run(start);
    if (!c.valid)
      continue; // one block of the array does not fit the GLB
    ++searched;
    if (!best.valid || better(c.cost, best.cost, options.objective))
      best = c;
  }
  if (!best.valid)
    return Status::failure("no mapping fits: the buffers cannot hold one "
                           "block of the PE array (rf_bytes " +
                           std::to_string(accel.rf_bytes) + ", glb_kib " +
                           std::to_string(accel.glb_kib) + ")");
  if (Status s = checkCycles(best.cost); !s.ok())
    return s;
  MapResult result;
  result.mapping = best.mapping;
  result.cost = best.cost;
  result.evaluations = eval.evaluations();
  return result;
}

Expected<MapResult> mapLayer(const CostModel &model, const Layer &layer,
                             Objective objective) {
  MapperOptions options;
  options.objective = objective;
  return mapLayer(model, layer, options);
}

Expected<MapResult> mapLayer(const CostModel &model, const Layer &layer,
                             const MapperOptions &options) {
  if (Status s = validate(layer); !s.ok())
    return s;
  if (!layer.usesArray()) {
    MapResult result;
    result.mapped = false;
    Expected<LayerCost> cost = model.evaluateStreaming(layer);
    if (!cost.ok())
      return cost.status();
    result.cost = *cost;
    return result;
  }
  Expected<LoopNest> nest = makeLoopNest(layer);
  if (!nest.ok())
    return nest.status();
  return mapLoopNest(model, *nest, options);
}

Expected<MapResult> mapLayer(const Accelerator &accel, const Layer &layer,
                             Objective objective) {
  Expected<CostModel> model = CostModel::create(accel);
  if (!model.ok())
    return model.status();
  return mapLayer(*model, layer, objective);
}

Expected<MapResult> NetworkMapper::map(const Layer &layer) {
  for (const auto &[shape, result] : cache_)
    if (shape.sameShape(layer)) {
      ++hits_;
      return result;
    }
  Expected<MapResult> result = mapLayer(model_, layer, options_);
  if (!result.ok())
    return Status::failure((layer.name.empty() ? toString(layer) : layer.name) +
                           ": " + result.error());
  cache_.emplace_back(layer, *result);
  return result;
}

Expected<std::vector<MapResult>>
NetworkMapper::map(const std::vector<Layer> &layers) {
  std::vector<MapResult> results;
  results.reserve(layers.size());
  for (const Layer &layer : layers) {
    Expected<MapResult> r = map(layer);
    if (!r.ok())
      return r.status();
    results.push_back(*r);
  }
  return results;
}

Expected<std::vector<MapResult>> mapNetwork(const CostModel &model,
                                            const std::vector<Layer> &layers,
                                            Objective objective) {
  MapperOptions options;
  options.objective = objective;
  NetworkMapper mapper(model, options);
  return mapper.map(layers);
}

} // namespace hdx::mapper
