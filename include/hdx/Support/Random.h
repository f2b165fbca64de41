//===- Random.h - A small deterministic random generator --------*- C++ -*-===//
//
// SplitMix64 with its own uniform, normal and shuffle helpers. The standard
// library's distributions and std::shuffle are implementation-defined, so
// data sets, splits, batch orders and generated weights use this generator
// to be identical on every platform for a given seed.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_RANDOM_H
#define HDX_SUPPORT_RANDOM_H

#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace hdx {

class Rng {
public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  /// The whole state (a checkpoint keeps it) and its restoration.
  uint64_t state() const { return state_; }
  void setState(uint64_t state) { state_ = state; }

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// `count` floats uniform in [lo, hi); 24 random bits fill each float's
  /// mantissa exactly.
  std::vector<float> uniformFloats(int64_t count, float lo, float hi) {
    std::vector<float> values(static_cast<size_t>(count));
    for (float &v : values)
      v = lo + (hi - lo) * static_cast<float>(next() >> 40) *
                   (1.0f / 16777216.0f);
    return values;
  }

  /// Uniform in [0, n) without modulo bias.
  uint64_t below(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
      x = next();
    while (x >= limit);
    return x % n;
  }

  /// Standard normal (Box-Muller).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u1)) *
           std::cos(6.283185307179586 * u2);
  }

  /// Fisher-Yates shuffle.
  template <typename T> void shuffle(std::vector<T> &values) {
    for (size_t i = values.size(); i > 1; --i)
      std::swap(values[i - 1], values[below(i)]);
  }

  /// A random permutation of 0 .. n-1.
  std::vector<int64_t> permutation(int64_t n) {
    std::vector<int64_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    shuffle(p);
    return p;
  }

private:
  uint64_t state_;
};

} // namespace hdx

#endif // HDX_SUPPORT_RANDOM_H
