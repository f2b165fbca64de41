//===- TechnologyTest.cpp - Technology tables -----------------------------===//
#include "hdx/Cost/Accelerator.h"
#include "hdx/Cost/CostModel.h"
#include "hdx/Cost/Technology.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace hdx;
using namespace hdx::cost;

TEST(Technology, BuiltinAndRoundTrip) {
  auto t = builtinTechnology("45nm");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, Technology::builtin45nm());
  EXPECT_TRUE(validate(*t).ok());
  auto back = parseTechnology(toYaml(*t));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, *t);
  auto unknown = builtinTechnology("7nm");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("expected 45nm"), std::string::npos);
}

TEST(Technology, UnknownAndMissingKeys) {
  std::string yaml = toYaml(Technology::builtin45nm());
  auto t = parseTechnology(yaml + "  leakage_mw: 3\n", "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().find("t.yaml: technology.leakage_mw: unknown key"),
            std::string::npos);
  size_t at = yaml.find("  dram_pj");
  std::string without = yaml.substr(0, at) + yaml.substr(yaml.find('\n', at) + 1);
  t = parseTechnology(without, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(),
            "t.yaml: technology.dram_pj: missing required key (line 2)");
  std::string negative = yaml;
  negative.replace(negative.find("dram_pj: 200"), 12, "dram_pj: -2");
  t = parseTechnology(negative, "t.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error(), "t.yaml: technology.dram_pj: must be a non-negative "
                       "number (got -2)");
}

TEST(Technology, AcceleratorResolvesRelativePath) {
  Technology custom = Technology::builtin45nm();
  custom.name = "custom";
  custom.dram_pj = 100;
  std::string dir = HDX_TEST_TMPDIR;
  {
    std::ofstream out(dir + "/custom_tech.yaml");
    out << toYaml(custom);
  }
  Accelerator a;
  a.technology = "custom_tech.yaml";
  a.base_dir = dir;
  auto t = resolveTechnology(a);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(*t, custom);

  a.technology = "28nm";
  t = resolveTechnology(a);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().find("accelerator.technology: unknown built-in"),
            std::string::npos);
  a.technology = "missing.yaml";
  t = resolveTechnology(a);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().find("cannot open"), std::string::npos);
}

// A relative technology file in an accelerator file is made absolute when
// the file is loaded: the IR and emitted copies carry no base directory.
TEST(Technology, LoadedAcceleratorCarriesAnAbsoluteTechnologyPath) {
  Technology custom = Technology::builtin45nm();
  custom.name = "custom";
  custom.dram_pj = 150;
  std::string dir = HDX_TEST_TMPDIR;
  std::filesystem::create_directories(dir + "/accel-dir/tech");
  {
    std::ofstream out(dir + "/accel-dir/tech/custom.yaml");
    out << toYaml(custom);
  }
  Accelerator a;
  a.technology = "tech/custom.yaml";
  {
    std::ofstream out(dir + "/accel-dir/accel.yaml");
    out << toYaml(a);
  }
  auto loaded = loadAccelerator(dir + "/accel-dir/accel.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->technology[0], '/') << loaded->technology;
  Accelerator copy = *loaded;
  copy.base_dir.clear(); // as after a round trip through the IR
  auto t = resolveTechnology(copy);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(*t, custom);
}

TEST(Technology, EnergiesScaleWithWidthAndSize) {
  Technology t = Technology::builtin45nm();
  Accelerator a; // 16-bit words, 512 B RF, 128 KiB GLB
  UnitEnergies e16 = unitEnergies(a, t);
  EXPECT_DOUBLE_EQ(e16.mac_pj, t.mult_pj + t.add_pj);
  EXPECT_DOUBLE_EQ(e16.rf_pj, t.rf_pj); // reference size
  EXPECT_DOUBLE_EQ(e16.glb_pj, t.glb_pj * 4.0); // sqrt(128 / 8)
  EXPECT_DOUBLE_EQ(e16.dram_pj, t.dram_pj);
  a.word_bits = 8;
  UnitEnergies e8 = unitEnergies(a, t);
  EXPECT_DOUBLE_EQ(e8.mac_pj, t.mult_pj / 4 + t.add_pj / 2);
  EXPECT_DOUBLE_EQ(e8.dram_pj, t.dram_pj / 2);
  // Expected order of magnitude (Eyeriss: RF ~ MAC < NoC < GLB << DRAM).
  EXPECT_LT(e16.rf_pj, e16.noc_pj);
  EXPECT_LT(e16.noc_pj, e16.glb_pj);
  EXPECT_LT(e16.glb_pj * 10, e16.dram_pj);
}

TEST(Technology, AreaBreakdownAddsUp) {
  Accelerator a;
  AreaBreakdown area = areaBreakdown(a, Technology::builtin45nm());
  EXPECT_GT(area.pe_mm2, 0);
  EXPECT_GT(area.rf_mm2, 0);
  EXPECT_GT(area.glb_mm2, 0);
  EXPECT_GT(area.noc_mm2, 0);
  EXPECT_DOUBLE_EQ(area.total_mm2,
                   area.pe_mm2 + area.rf_mm2 + area.glb_mm2 + area.noc_mm2);
  // GLB: 128 KiB x 8192 bit x 0.5 um^2.
  EXPECT_DOUBLE_EQ(area.glb_mm2, 128 * 8192 * 0.5e-6);
  Accelerator bigger = a;
  bigger.pe_rows *= 2;
  EXPECT_GT(area_mm2(bigger, Technology::builtin45nm()), area.total_mm2);
  auto resolved = area_mm2(a);
  ASSERT_TRUE(resolved.ok());
  EXPECT_DOUBLE_EQ(*resolved, area.total_mm2);
}
