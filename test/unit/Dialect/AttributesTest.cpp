//===- AttributesTest.cpp - hdx attribute unit tests ----------------------===//
#include "hdx/Dialect/HDX/HDXAttributes.h"
#include "hdx/Dialect/HDX/HDXDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <cstdlib>
#include <random>

using namespace mlir;
using namespace hdx;

namespace {

class HDXAttributesTest : public ::testing::Test {
protected:
  HDXAttributesTest() { context.loadDialect<HDXDialect>(); }

  /// Parses an attribute, collecting diagnostics instead of printing them.
  Attribute parse(llvm::StringRef text) {
    return parseAttribute(text, &context);
  }

  MLIRContext context;
  std::string diagnostics;
  ScopedDiagnosticHandler handler{&context, [this](Diagnostic &diag) {
                                    diagnostics += diag.str() + "\n";
                                  }};
};

TEST_F(HDXAttributesTest, PrintedDoublesReadBackExactly) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 20000; ++i) {
    double value = std::ldexp(mantissa(rng), exponent(rng));
    std::string text = shortestDoubleText(value);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
    EXPECT_NE(text.find_first_of(".e"), std::string::npos) << text;
  }
  EXPECT_EQ(shortestDoubleText(16.6), "16.6");
  EXPECT_EQ(shortestDoubleText(200.0), "200.0");
  EXPECT_EQ(shortestDoubleText(0.0), "0.0");
  EXPECT_EQ(shortestDoubleText(1e-9), "1.0e-09");
  EXPECT_EQ(shortestDoubleText(5e-6), "5.0e-06");
  EXPECT_EQ(shortestDoubleText(1e20), "1.0e+20");
  EXPECT_EQ(shortestDoubleText(-0.0), "-0.0");
}

TEST_F(HDXAttributesTest, AcceleratorParsesAndExposesParameters) {
  auto accel = dyn_cast_or_null<AcceleratorAttr>(parse(
      "#hdx.accel<pe_rows = 12, pe_cols = 14, dataflow = rs, rf_bytes = 512, "
      "glb_kib = 108, word_bits = 16, clock_mhz = 200.0, "
      "dram_bw_bytes_per_cycle = 4.0>"));
  ASSERT_TRUE(accel) << diagnostics;
  EXPECT_EQ(accel.getPeRows(), 12);
  EXPECT_EQ(accel.getPeCols(), 14);
  EXPECT_EQ(accel.getNumPEs(), 168);
  EXPECT_EQ(accel.getDataflow(), Dataflow::rs);
  EXPECT_EQ(accel.getWordBytes(), 2);
  EXPECT_DOUBLE_EQ(accel.getClockMhz().getValueAsDouble(), 200.0);
  EXPECT_EQ(accel.getTechnology(), "45nm");
}

TEST_F(HDXAttributesTest, InvalidAcceleratorIsRejectedWithTheKey) {
  EXPECT_FALSE(parse("#hdx.accel<pe_rows = 16, pe_cols = 0, dataflow = ws, "
                     "rf_bytes = 64, glb_kib = 128, word_bits = 8, "
                     "clock_mhz = 200.0, dram_bw_bytes_per_cycle = 8.0>"));
  EXPECT_NE(diagnostics.find("accelerator.pe_cols: must be between 1 and 4096 (got 0)"),
            std::string::npos)
      << diagnostics;
}

TEST_F(HDXAttributesTest, MappingCoverageMultipliesEveryLevel) {
  auto mapping = dyn_cast_or_null<MappingAttr>(parse(
      "#hdx.mapping<dram = [1, 2, 1, 1, 1, 1, 1], glb = [1, 1, 1, 1, 1, 8, 8], "
      "rf = [1, 1, 1, 3, 3, 7, 7], rows = [1, 1, 16, 1, 1, 1, 1], "
      "cols = [1, 16, 1, 1, 1, 1, 1], dram_order = \"NKCRSPQ\", "
      "glb_order = \"NKCPQRS\", rf_order = \"NKCPQRS\">"));
  ASSERT_TRUE(mapping) << diagnostics;
  // N K C R S P Q
  int64_t expected[] = {1, 32, 16, 3, 3, 56, 56};
  for (unsigned dim = 0; dim < kNumLoopDims; ++dim)
    EXPECT_EQ(mapping.getCoverage(dim), expected[dim]) << kLoopDims[dim];
}

TEST_F(HDXAttributesTest, ConstraintsKeepOnlyTheLimitsGiven) {
  auto constraints = dyn_cast_or_null<ConstraintsAttr>(
      parse("#hdx.constraints<area_mm2 = 2.5>"));
  ASSERT_TRUE(constraints) << diagnostics;
  EXPECT_FALSE(constraints.getLatencyMs());
  EXPECT_FALSE(constraints.getEnergyMj());
  ASSERT_TRUE(constraints.getAreaMm2());
  EXPECT_DOUBLE_EQ(constraints.getAreaMm2().getValueAsDouble(), 2.5);
  std::string printed;
  llvm::raw_string_ostream os(printed);
  Attribute(constraints).print(os);
  EXPECT_EQ(printed, "#hdx.constraints<area_mm2 = 2.5>");
}

uint64_t bitsOf(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

double fromBits(uint64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Doubles that printers get wrong: every decade from 1e-300 to 1e300 (with
/// random mantissas too), subnormals, integral values below and above 2^53,
/// the extremes, and negative zero.
std::vector<double> awkwardDoubles() {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                5e-06,
                                1e20,
                                0.1,
                                1.0 / 3.0,
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::epsilon()};
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> unit(1.0, 10.0);
  for (int e = -300; e <= 300; ++e) {
    double decade = std::pow(10.0, e);
    values.push_back(decade);
    values.push_back(std::nextafter(decade, 0.0));
    values.push_back(std::nextafter(decade, HUGE_VAL));
    values.push_back(unit(rng) * decade);
  }
  // Subnormals: every bit pattern below the smallest normal is one.
  std::uniform_int_distribution<uint64_t> subnormal(1, (uint64_t(1) << 52) - 1);
  for (int i = 0; i < 200; ++i)
    values.push_back(fromBits(subnormal(rng)));
  values.push_back(fromBits((uint64_t(1) << 52) - 1)); // largest subnormal
  // Integral values, small and large, exact and beyond 2^53.
  for (double v : {2.0, 16.0, 200.0, 1000.0, 65536.0, 1e6, 123456789.0,
                   1e15, 1e16, 1e17, 1e22, 1e23, 9007199254740992.0,
                   9007199254740994.0, 123456789012345678.0, 0x1p+63,
                   0x1p+64, 0x1p+1023})
    values.push_back(v);
  for (int i = 0; i < 200; ++i)
    values.push_back(std::floor(std::ldexp(unit(rng), i % 64)));
  // Random bit patterns over the whole finite range.
  std::uniform_int_distribution<uint64_t> bits(0, 0x7FEFFFFFFFFFFFFFull);
  for (int i = 0; i < 2000; ++i)
    values.push_back(fromBits(bits(rng)));
  return values;
}

// Every real-valued hdx attribute parameter prints so that MLIR's parser
// reads it back as the same double, bit for bit, and prints it again the same.
TEST_F(HDXAttributesTest, RealParametersRoundTripBitExactly) {
  for (double value : awkwardDoubles()) {
    std::string number = shortestDoubleText(value);
    ASSERT_NE(number.find('.'), std::string::npos) << number;
    std::string text = "#hdx.cost<macs = 0, cycles = 0, latency_ms = " +
                       number + ", energy_mj = " + number +
                       ", utilization = 0.0>";
    auto parsed = dyn_cast_or_null<CostAttr>(parse(text));
    ASSERT_TRUE(parsed) << text << "\n" << diagnostics;
    EXPECT_EQ(bitsOf(parsed.getLatencyMs().getValueAsDouble()), bitsOf(value))
        << number;
    EXPECT_EQ(bitsOf(parsed.getEnergyMj().getValueAsDouble()), bitsOf(value))
        << number;
    std::string printed;
    llvm::raw_string_ostream os(printed);
    Attribute(parsed).print(os);
    EXPECT_EQ(printed, text);
  }
}

// Negative values (no hdx parameter admits one) read back through MLIR's
// float literal as well.
TEST_F(HDXAttributesTest, NegativeDoublesReadBackBitExactly) {
  for (double magnitude : awkwardDoubles()) {
    double value = -magnitude;
    std::string number = shortestDoubleText(value);
    auto parsed = dyn_cast_or_null<FloatAttr>(parse(number + " : f64"));
    ASSERT_TRUE(parsed) << number << "\n" << diagnostics;
    EXPECT_EQ(bitsOf(parsed.getValueAsDouble()), bitsOf(value)) << number;
  }
}

// A value with no decimal spelling reads back (as its bit pattern) and the
// verifier, not the lexer, refuses it with the key.
TEST_F(HDXAttributesTest, NonFiniteValuesPrintReadablyAndAreRefused) {
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(shortestDoubleText(inf), "0x7FF0000000000000");
  EXPECT_EQ(shortestDoubleText(-inf), "0xFFF0000000000000");
  EXPECT_FALSE(parse("#hdx.cost<macs = 0, cycles = 0, latency_ms = " +
                     shortestDoubleText(inf) +
                     ", energy_mj = 0.0, utilization = 0.0>"));
  EXPECT_NE(diagnostics.find("latency_ms and energy_mj must be non-negative"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  EXPECT_FALSE(parse("#hdx.constraints<latency_ms = " +
                     shortestDoubleText(inf) + ">"));
  EXPECT_NE(diagnostics.find("latency_ms limit must be positive, got inf"),
            std::string::npos)
      << diagnostics;
}

} // namespace
