//===- Reference.cpp - Loop-by-loop executor that counts accesses ---------===//
//
// Deliberately simple: every buffer is a map from a tensor element to its
// value, every tile change is detected by comparing tile identities (the
// outer loop indices over the dimensions a tensor depends on) and every
// word moved is counted as it moves. Nothing here reuses the analytical
// formulas of CostModel.cpp.
//
//===----------------------------------------------------------------------===//
#include "Reference.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

namespace hdx::cost {

namespace {

using Buffer = std::unordered_map<int64_t, int64_t>;
// Loop indices of all levels of the dimensions a tensor depends on (-1 for
// the others and for levels inside the boundary).
using Identity = std::array<int64_t, kNumLevels * kNumDims>;

struct Loop {
  int level;
  Dim dim;
  int64_t factor;
};

struct Register {
  bool valid = false;
  int64_t key = 0;
  int64_t value = 0;
};

class Executor {
public:
  Executor(const LoopNest &nest, const Mapping &m,
           const std::vector<int64_t> &weights,
           const std::vector<int64_t> &inputs)
      : nest_(nest), m_(m), weights_(weights), inputs_(inputs) {
    outputs_.assign(static_cast<size_t>(nest.tensorSize(Outputs)), 0);
    for (int level = 0; level < kNumLevels; ++level)
      for (Dim d : m.permutation[level])
        if (m.factors[level][d] > 1)
          loops_.push_back({level, d, m.factors[level][d]});
    enumeratePEs();
    rf_.assign(pes_.size(), {});
    regs_.assign(pes_.size(), {});
  }

  ReferenceResult run() {
    std::vector<int64_t> counter(loops_.size(), 0);
    for (bool first = true;; first = false) {
      for (auto &level : idx_)
        level.fill(0);
      for (size_t i = 0; i < loops_.size(); ++i)
        idx_[loops_[i].level][loops_[i].dim] = counter[i];
      step(first);
      // Odometer over the temporal loops, innermost fastest.
      int i = int(loops_.size()) - 1;
      while (i >= 0 && ++counter[i] == loops_[i].factor) {
        counter[i] = 0;
        --i;
      }
      if (i < 0)
        break;
    }
    drainMac();
    drainRf();
    drainGlb();
    result_.outputs = outputs_;
    return result_;
  }

private:
  struct Range {
    int64_t lo, hi; // [lo, hi) clipped to the bound
  };

  void enumeratePEs() {
    // Rows and columns each enumerate their dimensions in mixed radix.
    std::vector<PerDim<int64_t>> rows(1), cols(1);
    rows[0].fill(0);
    cols[0].fill(0);
    auto expand = [](std::vector<PerDim<int64_t>> &list,
                     const PerDim<int64_t> &factors) {
      for (int d = 0; d < kNumDims; ++d) {
        std::vector<PerDim<int64_t>> next;
        for (const auto &entry : list)
          for (int64_t i = 0; i < factors[d]; ++i) {
            PerDim<int64_t> e = entry;
            e[d] = i;
            next.push_back(e);
          }
        list = next;
      }
    };
    expand(rows, m_.spatial_rows);
    expand(cols, m_.spatial_cols);
    for (const auto &col : cols)
      for (const auto &row : rows) {
        PerDim<int64_t> index;
        for (int d = 0; d < kNumDims; ++d)
          index[d] = col[d] * m_.spatial_rows[d] + row[d];
        pes_.push_back(index);
      }
  }

  bool relevant(DataType t, int d) const {
    return nest_.relevant(t, static_cast<Dim>(d));
  }

  Identity identity(DataType t, int levels) const {
    Identity id;
    id.fill(-1);
    for (int l = 0; l < levels; ++l)
      for (int d = 0; d < kNumDims; ++d)
        if (relevant(t, d))
          id[l * kNumDims + d] = idx_[l][d];
    return id;
  }

  // Index ranges of a child's tile below `levels` outer levels; pe < 0
  // means the whole PE-array block (the GLB's view).
  PerDim<Range> tileRanges(int levels, int pe) const {
    PerDim<Range> ranges;
    for (int d = 0; d < kNumDims; ++d) {
      int64_t rf = m_.factors[RF][d], glb = m_.factors[GLB][d];
      int64_t sp = m_.spatial(static_cast<Dim>(d));
      int64_t lo = 0, extent = 0;
      if (levels == 1) { // GLB tile
        extent = glb * sp * rf;
        lo = idx_[DRAM][d] * extent;
      } else if (pe < 0) { // block of all PEs
        extent = sp * rf;
        lo = (idx_[DRAM][d] * glb + idx_[GLB][d]) * extent;
      } else {
        lo = ((idx_[DRAM][d] * glb + idx_[GLB][d]) * sp + pes_[pe][d]) * rf;
        extent = rf;
        if (levels == 3) {
          lo += idx_[RF][d];
          extent = 1;
        }
      }
      int64_t hi = std::min(lo + extent, nest_.bound[d]);
      ranges[d] = {lo, std::max(lo, hi)};
    }
    return ranges;
  }

  // Keys of the tensor elements inside the ranges (distinct, sorted).
  std::vector<int64_t> elements(DataType t, const PerDim<Range> &g) const {
    const PerDim<int64_t> &b = nest_.bound;
    std::vector<int64_t> keys;
    if (t == Weights) {
      for (int64_t k = g[K].lo; k < g[K].hi; ++k)
        for (int64_t c = g[C].lo; c < g[C].hi; ++c)
          for (int64_t r = g[R].lo; r < g[R].hi; ++r)
            for (int64_t s = g[S].lo; s < g[S].hi; ++s)
              keys.push_back(((k * b[C] + c) * b[R] + r) * b[S] + s);
    } else if (t == Outputs) {
      for (int64_t n = g[N].lo; n < g[N].hi; ++n)
        for (int64_t k = g[K].lo; k < g[K].hi; ++k)
          for (int64_t p = g[P].lo; p < g[P].hi; ++p)
            for (int64_t q = g[Q].lo; q < g[Q].hi; ++q)
              keys.push_back(((n * b[K] + k) * b[P] + p) * b[Q] + q);
    } else {
      int64_t height = nest_.paddedInputHeight();
      int64_t width = nest_.paddedInputWidth();
      int64_t channels = nest_.inputChannels();
      Range ks = nest_.inputs_depend_on_k ? g[K] : Range{0, 1};
      for (int64_t n = g[N].lo; n < g[N].hi; ++n)
        for (int64_t k = ks.lo; k < ks.hi; ++k)
          for (int64_t c = g[C].lo; c < g[C].hi; ++c)
            for (int64_t p = g[P].lo; p < g[P].hi; ++p)
              for (int64_t r = g[R].lo; r < g[R].hi; ++r)
                for (int64_t q = g[Q].lo; q < g[Q].hi; ++q)
                  for (int64_t s = g[S].lo; s < g[S].hi; ++s) {
                    int64_t ci = nest_.inputs_depend_on_k ? k * b[C] + c : c;
                    int64_t h = p * nest_.stride_h + r * nest_.dilation_h;
                    int64_t w = q * nest_.stride_w + s * nest_.dilation_w;
                    keys.push_back(((n * channels + ci) * height + h) * width +
                                   w);
                  }
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    }
    return keys;
  }

  int64_t dramValue(DataType t, int64_t key) const {
    return t == Weights ? weights_[key] : inputs_[key];
  }

  void fail(const std::string &message) {
    if (result_.error.empty())
      result_.error = message;
  }

  int64_t take(const Buffer &buffer, int64_t key, const char *where) {
    auto it = buffer.find(key);
    if (it == buffer.end()) {
      fail(std::string(where) + " does not hold element " +
           std::to_string(key));
      return 0;
    }
    return it->second;
  }

  // The PE that receives a block's partial sums from the GLB: the one with
  // index 0 along every dimension outputs do not depend on.
  bool reductionLeader(int pe) const {
    for (int d = 0; d < kNumDims; ++d)
      if (!relevant(Outputs, d) && pes_[pe][d] != 0)
        return false;
    return true;
  }

  AccessCounts &count(Level level, DataType t) {
    return result_.accesses[level][t];
  }

  void drainMac() {
    for (size_t pe = 0; pe < pes_.size(); ++pe) {
      Register &reg = regs_[pe][Outputs];
      if (!reg.valid)
        continue;
      auto it = rf_[pe][Outputs].find(reg.key);
      if (it == rf_[pe][Outputs].end())
        fail("RF lacks the output a register drains");
      else
        it->second = reg.value;
      count(RF, Outputs).writes++;
      reg.valid = false;
    }
  }

  void drainRf() {
    std::map<int64_t, int64_t> sums; // reduced in the network
    for (size_t pe = 0; pe < pes_.size(); ++pe) {
      for (const auto &[key, value] : rf_[pe][Outputs]) {
        count(RF, Outputs).reads++;
        result_.noc_words++;
        sums[key] += value;
      }
      rf_[pe][Outputs].clear();
    }
    for (const auto &[key, value] : sums) {
      auto it = glb_[Outputs].find(key);
      if (it == glb_[Outputs].end())
        fail("GLB lacks an output a PE drains");
      else
        it->second = value;
      count(GLB, Outputs).writes++;
    }
  }

  void drainGlb() {
    for (const auto &[key, value] : glb_[Outputs]) {
      count(GLB, Outputs).reads++;
      count(DRAM, Outputs).writes++;
      outputs_[key] = value;
    }
    glb_[Outputs].clear();
  }

  void step(bool first) {
    bool changed[4][kNumDataTypes];
    Identity ids[4][kNumDataTypes];
    for (int b = 1; b <= 3; ++b)
      for (int t = 0; t < kNumDataTypes; ++t) {
        ids[b][t] = identity(static_cast<DataType>(t), b);
        changed[b][t] = first || ids[b][t] != current_[b][t];
        current_[b][t] = ids[b][t];
      }

    // Partial sums leave inner buffers first.
    if (!first) {
      if (changed[3][Outputs])
        drainMac();
      if (changed[2][Outputs])
        drainRf();
      if (changed[1][Outputs])
        drainGlb();
    }

    // DRAM -> GLB.
    PerDim<Range> glbTile = tileRanges(1, -1);
    for (int ti = 0; ti < kNumDataTypes; ++ti) {
      DataType t = static_cast<DataType>(ti);
      if (!changed[1][t])
        continue;
      glb_[t].clear();
      bool revisit = t == Outputs && !seen_[1].insert(ids[1][t]).second;
      for (int64_t key : elements(t, glbTile)) {
        if (t != Outputs) {
          glb_[t][key] = dramValue(t, key);
          count(DRAM, t).reads++;
          count(GLB, t).writes++;
        } else if (revisit) {
          glb_[t][key] = outputs_[key];
          count(DRAM, t).reads++;
          count(GLB, t).writes++;
        } else {
          glb_[t][key] = 0;
        }
      }
    }

    // GLB -> RF, multicast to every PE that needs a word.
    for (int ti = 0; ti < kNumDataTypes; ++ti) {
      DataType t = static_cast<DataType>(ti);
      if (!changed[2][t])
        continue;
      bool revisit = t == Outputs && !seen_[2].insert(ids[2][t]).second;
      std::set<int64_t> fromGlb;
      for (size_t pe = 0; pe < pes_.size(); ++pe) {
        Buffer &rf = rf_[pe][t];
        rf.clear();
        for (int64_t key : elements(t, tileRanges(2, int(pe)))) {
          if (t != Outputs || (revisit && reductionLeader(int(pe)))) {
            rf[key] = take(glb_[t], key, "GLB");
            count(RF, t).writes++;
            result_.noc_words++;
            fromGlb.insert(key);
          } else {
            rf[key] = 0;
          }
        }
      }
      count(GLB, t).reads += int64_t(fromGlb.size());
    }

    // RF -> operand registers.
    for (int ti = 0; ti < kNumDataTypes; ++ti) {
      DataType t = static_cast<DataType>(ti);
      if (!changed[3][t])
        continue;
      bool revisit = t == Outputs && !seen_[3].insert(ids[3][t]).second;
      for (size_t pe = 0; pe < pes_.size(); ++pe) {
        Register &reg = regs_[pe][t];
        std::vector<int64_t> keys = elements(t, tileRanges(3, int(pe)));
        reg.valid = !keys.empty();
        if (!reg.valid)
          continue;
        reg.key = keys[0];
        if (t != Outputs || revisit) {
          reg.value = take(rf_[pe][t], reg.key, "RF");
          count(RF, t).reads++;
        } else {
          reg.value = 0;
        }
      }
    }

    // One MAC per PE whose seven indices are all real.
    bool busy = false;
    for (size_t pe = 0; pe < pes_.size(); ++pe) {
      PerDim<Range> at = tileRanges(3, int(pe));
      bool real = true;
      for (int d = 0; d < kNumDims; ++d)
        real = real && at[d].hi > at[d].lo;
      if (!real)
        continue;
      Register *r = regs_[pe].data();
      if (!r[Weights].valid || !r[Inputs].valid || !r[Outputs].valid) {
        fail("a MAC found an empty operand register");
        continue;
      }
      r[Outputs].value += r[Weights].value * r[Inputs].value;
      result_.macs++;
      busy = true;
    }
    result_.compute_cycles += busy;
  }

  const LoopNest &nest_;
  const Mapping &m_;
  const std::vector<int64_t> &weights_;
  const std::vector<int64_t> &inputs_;
  std::vector<int64_t> outputs_;
  std::vector<Loop> loops_;
  std::vector<PerDim<int64_t>> pes_;
  std::array<PerDim<int64_t>, kNumLevels> idx_{};
  Identity current_[4][kNumDataTypes];
  std::set<Identity> seen_[4];
  std::array<Buffer, kNumDataTypes> glb_;
  std::vector<std::array<Buffer, kNumDataTypes>> rf_;
  std::vector<std::array<Register, kNumDataTypes>> regs_;
  ReferenceResult result_;
};

} // namespace

ReferenceResult runReference(const LoopNest &nest, const Mapping &mapping,
                             const std::vector<int64_t> &weights,
                             const std::vector<int64_t> &inputs) {
  return Executor(nest, mapping, weights, inputs).run();
}

std::vector<int64_t> naiveConvolution(const LoopNest &nest,
                                      const std::vector<int64_t> &weights,
                                      const std::vector<int64_t> &inputs) {
  const PerDim<int64_t> &b = nest.bound;
  int64_t height = nest.paddedInputHeight(), width = nest.paddedInputWidth();
  int64_t channels = nest.inputChannels();
  std::vector<int64_t> out(static_cast<size_t>(nest.tensorSize(Outputs)), 0);
  for (int64_t n = 0; n < b[N]; ++n)
    for (int64_t k = 0; k < b[K]; ++k)
      for (int64_t p = 0; p < b[P]; ++p)
        for (int64_t q = 0; q < b[Q]; ++q) {
          int64_t sum = 0;
          for (int64_t c = 0; c < b[C]; ++c)
            for (int64_t r = 0; r < b[R]; ++r)
              for (int64_t s = 0; s < b[S]; ++s) {
                int64_t ci = nest.inputs_depend_on_k ? k * b[C] + c : c;
                int64_t h = p * nest.stride_h + r * nest.dilation_h;
                int64_t w = q * nest.stride_w + s * nest.dilation_w;
                sum += weights[((k * b[C] + c) * b[R] + r) * b[S] + s] *
                       inputs[((n * channels + ci) * height + h) * width + w];
              }
          out[((n * b[K] + k) * b[P] + p) * b[Q] + q] = sum;
        }
  return out;
}

} // namespace hdx::cost
