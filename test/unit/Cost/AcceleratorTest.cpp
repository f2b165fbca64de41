//===- AcceleratorTest.cpp - Accelerator YAML and validation --------------===//
#include "hdx/Cost/Accelerator.h"
#include "hdx/Support/FormatNumber.h"

#include "CostTestUtil.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace hdx;
using namespace hdx::cost;
using namespace hdx::cost::testing;

namespace {

const char *kGood = R"(accelerator:
  name: edge16
  pe_rows: 16
  pe_cols: 8
  dataflow: os
  rf_bytes: 256
  glb_kib: 64
  word_bits: 8
  clock_mhz: 16.6
  dram_bw_bytes_per_cycle: 12.5
)";

std::string replace(std::string text, const std::string &from,
                    const std::string &to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

/// The error from parsing kGood with `from` replaced by `to`; the parse must
/// fail.
std::string parseError(const std::string &from, const std::string &to,
                       const char *file = "a.yaml") {
  auto a = parseAccelerator(replace(kGood, from, to), file);
  EXPECT_FALSE(a.ok()) << to;
  return a.ok() ? std::string() : a.error();
}

} // namespace

TEST(Accelerator, ParsesEveryKey) {
  Expected<Accelerator> a = parseAccelerator(kGood, "accel.yaml");
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->name, "edge16");
  EXPECT_EQ(a->pe_rows, 16);
  EXPECT_EQ(a->pe_cols, 8);
  EXPECT_EQ(a->dataflow, Dataflow::OS);
  EXPECT_EQ(a->rf_bytes, 256);
  EXPECT_EQ(a->glb_kib, 64);
  EXPECT_EQ(a->word_bits, 8);
  EXPECT_EQ(a->clock_mhz, 16.6);
  EXPECT_EQ(a->dram_bw_bytes_per_cycle, 12.5);
  EXPECT_EQ(a->technology, "45nm"); // optional, defaulted
  EXPECT_EQ(a->numPEs(), 128);
  EXPECT_EQ(a->wordBytes(), 1.0);
}

TEST(Accelerator, DataflowNames) {
  ASSERT_NO_FATAL_FAILURE(expectNamesRoundTrip(
      {Dataflow::WS, Dataflow::OS, Dataflow::RS}, parseDataflow));
  Dataflow d;
  EXPECT_FALSE(parseDataflow("WS", d));
  EXPECT_FALSE(parseDataflow("", d));
}

TEST(Accelerator, UnknownDataflowNamesKeyAndValues) {
  EXPECT_EQ(parseError("dataflow: os", "dataflow: xs", "accel.yaml"),
            "accel.yaml: accelerator.dataflow: unknown value 'xs' "
            "(expected ws, os or rs) (line 5)");
}

TEST(Accelerator, UnknownKeyIsAnError) {
  std::string error =
      parseError("  name: edge16\n", "  name: edge16\n  pe_rowz: 3\n");
  EXPECT_NE(error.find("a.yaml: accelerator.pe_rowz: unknown key"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("dram_bw_bytes_per_cycle"), std::string::npos);
}

// yaml-cpp would keep the first of two equal keys; the second one, which a
// user who appended a line expects to win, must not be ignored silently.
TEST(Accelerator, RepeatedKeyIsAnError) {
  EXPECT_EQ(parseError("  pe_cols: 8\n", "  pe_cols: 8\n  pe_rows: 32\n"),
            "a.yaml:5: accelerator.pe_rows: the key appears twice "
            "(first on line 3)");
}

// An unclosed quote runs on over the following lines; the key it swallowed
// is reported missing with the likely cause.
TEST(Accelerator, MissingKeyAfterAnOpenQuoteSaysSo) {
  EXPECT_EQ(parseError("name: edge16", "name: \"edge16"),
            "a.yaml: accelerator.pe_rows: missing required key (the value "
            "of 'name' contains 'pe_rows:'; is a quote left open?) (line 2)");
}

TEST(Accelerator, MissingKeyIsAnError) {
  EXPECT_EQ(parseError("  glb_kib: 64\n", ""),
            "a.yaml: accelerator.glb_kib: missing required key (line 2)");
}

TEST(Accelerator, BadValuesNameTheKey) {
  struct Case {
    const char *from, *to, *expected;
  } cases[] = {
      {"pe_rows: 16", "pe_rows: many",
       "a.yaml: accelerator.pe_rows: expected an integer, got 'many' (line "
       "3)"},
      {"pe_rows: 16", "pe_rows: 0",
       "a.yaml: accelerator.pe_rows: must be between 1 and 4096 (got 0)"},
      {"pe_cols: 8", "pe_cols: 2.5",
       "a.yaml: accelerator.pe_cols: expected an integer, got '2.5' (line "
       "4)"},
      {"clock_mhz: 16.6", "clock_mhz: -1",
       "a.yaml: accelerator.clock_mhz: must be between 0.001 and 1000000 (got "
       "-1)"},
      {"clock_mhz: 16.6", "clock_mhz: 1e300",
       "a.yaml: accelerator.clock_mhz: must be between 0.001 and 1000000 (got "
       "1e+300)"},
      // A bus this narrow made the DRAM cycle count overflow int64.
      {"dram_bw_bytes_per_cycle: 12.5", "dram_bw_bytes_per_cycle: 1e-12",
       "a.yaml: accelerator.dram_bw_bytes_per_cycle: must be between "
       "0.0009765625 (1/1024) and 1048576 (got 1e-12)"},
      {"clock_mhz: 16.6", "clock_mhz: [1, 2]",
       "a.yaml: accelerator.clock_mhz: expected a number, got a list (line "
       "9)"},
      {"word_bits: 8", "word_bits: 65",
       "a.yaml: accelerator.word_bits: must be between 1 and 64 (got 65)"},
      {"rf_bytes: 256", "rf_bytes: 2",
       "a.yaml: accelerator.rf_bytes: must be between 3 (three words) and "
       "1048576 (got 2)"},
  };
  for (const Case &c : cases)
    EXPECT_EQ(parseError(c.from, c.to), c.expected);
}

TEST(Accelerator, StructuralErrors) {
  auto a = parseAccelerator("accel:\n  name: x\n", "a.yaml");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error(),
            "a.yaml: accel: unknown key (expected one of: accelerator) (line "
            "1)");
  a = parseAccelerator("accelerator: 3\n", "a.yaml");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error(),
            "a.yaml: accelerator: expected a mapping, got '3' (line 1)");
  a = parseAccelerator("accelerator: {name: [\n", "a.yaml");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().find("a.yaml:"), std::string::npos);
  EXPECT_NE(a.error().find("invalid YAML"), std::string::npos);
  a = parseAccelerator("", "a.yaml");
  ASSERT_FALSE(a.ok());
}

TEST(Accelerator, YamlRoundTripIsIdentical) {
  Accelerator a;
  a.name = "odd \"name\": with\\ symbols #1";
  a.pe_rows = 12;
  a.pe_cols = 14;
  a.dataflow = Dataflow::RS;
  a.rf_bytes = 520;
  a.glb_kib = 108;
  a.word_bits = 16;
  a.clock_mhz = 0.1 + 0.2; // not a short decimal
  a.dram_bw_bytes_per_cycle = 1e-3;
  a.technology = "tables/my tech.yaml";
  std::string yaml = toYaml(a);
  auto back = parseAccelerator(yaml);
  ASSERT_TRUE(back.ok()) << back.error() << "\n" << yaml;
  EXPECT_EQ(*back, a);
  EXPECT_EQ(toYaml(*back), yaml);
}

TEST(Accelerator, FormatDoubleIsShortestExact) {
  EXPECT_EQ(hdx::formatDouble(16.6), "16.6");
  EXPECT_EQ(hdx::formatDouble(200), "200");
  EXPECT_EQ(hdx::formatDouble(0.5), "0.5");
  EXPECT_EQ(hdx::formatDouble(1e20), "1e+20");
  double tricky = 0.1 + 0.2;
  EXPECT_EQ(std::stod(hdx::formatDouble(tricky)), tricky);
}

TEST(Accelerator, LoadFromFileRecordsDirectory) {
  std::string path = std::string(HDX_TEST_TMPDIR) + "/accel_load_test.yaml";
  {
    std::ofstream out(path);
    out << kGood;
  }
  auto a = loadAccelerator(path);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->base_dir, HDX_TEST_TMPDIR);
  auto missing = loadAccelerator(path + ".nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(),
            path + ".nope: cannot open file (No such file or directory)");
}

TEST(Accelerator, ValidateDefaults) {
  EXPECT_TRUE(validate(Accelerator()).ok());
  Accelerator a;
  a.glb_kib = 0;
  EXPECT_EQ(validate(a).error(),
            "accelerator.glb_kib: must be between 1 and 4194304 (got 0)");
}
