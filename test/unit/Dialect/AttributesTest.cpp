//===- AttributesTest.cpp - hdx attribute unit tests ----------------------===//
#include "HDX/HDXAttributes.h"
#include "HDX/HDXDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <cmath>
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
  EXPECT_EQ(shortestDoubleText(1e-9), "1e-09");
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

} // namespace
