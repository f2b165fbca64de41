//===- Reference.h - Loop-by-loop executor that counts accesses -*- C++ -*-===//
//
// The ground truth for the cost model's counts: executes a mapped loop nest
// iteration by iteration on real numbers, keeping every buffer's contents
// (GLB, each PE's RF, each MAC's operand registers) and counting every word
// it moves. A MAC only ever reads its operand registers, so a missed refill
// shows up as a wrong output. Slow; meant for tests on small layers.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_TEST_UNIT_COST_REFERENCE_H
#define HDX_TEST_UNIT_COST_REFERENCE_H

#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/LoopNest.h"
#include "hdx/Cost/Mapping.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hdx::cost {

struct ReferenceResult {
  AccessTable accesses{};
  int64_t noc_words = 0;
  int64_t compute_cycles = 0; ///< iterations in which some PE did a MAC
  int64_t macs = 0;           ///< MACs executed
  std::vector<int64_t> outputs; ///< [N][K][P][Q]
  /// Non-empty when a buffer lacked a word it should have held.
  std::string error;
};

/// Runs one copy of the loop nest. weights: [K][C][R][S]; inputs: the
/// zero-padded input [N][inputChannels][paddedH][paddedW] (LoopNest sizes).
ReferenceResult runReference(const LoopNest &nest, const Mapping &mapping,
                             const std::vector<int64_t> &weights,
                             const std::vector<int64_t> &inputs);

/// The convolution computed directly, for comparison: [N][K][P][Q].
std::vector<int64_t> naiveConvolution(const LoopNest &nest,
                                      const std::vector<int64_t> &weights,
                                      const std::vector<int64_t> &inputs);

} // namespace hdx::cost

#endif // HDX_TEST_UNIT_COST_REFERENCE_H
