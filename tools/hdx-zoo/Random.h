//===- Random.h - Seeded, portable random weights ---------------*- C++ -*-===//
//
// The standard library's distributions may differ between implementations;
// SplitMix64 and the conversions below give the same weights for a seed on
// every platform.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_ZOO_RANDOM_H
#define HDX_ZOO_RANDOM_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hdx::zoo {

class Random {
public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  /// Uniform in [lo, hi); 24 random bits fill a float's mantissa exactly.
  float uniform(float lo, float hi) {
    float unit = static_cast<float>(next() >> 40) * (1.0f / 16777216.0f);
    return lo + (hi - lo) * unit;
  }

  std::vector<float> uniform(int64_t count, float lo, float hi) {
    std::vector<float> values(static_cast<size_t>(count));
    for (float &v : values)
      v = uniform(lo, hi);
    return values;
  }

private:
  uint64_t state_;
};

} // namespace hdx::zoo

#endif // HDX_ZOO_RANDOM_H
