//===- SvgChartTest.cpp - SVG charts --------------------------------------===//
#include "hdx/Plot/SvgChart.h"

#include <gtest/gtest.h>
#include <filesystem>
#include <regex>

using namespace hdx::plot;

TEST(NiceTicks, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(niceTicks(0, 10, 5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(niceTicks(0.3, 1.2, 4), (std::vector<double>{0.4, 0.6, 0.8, 1.0, 1.2}));
  std::vector<double> ticks = niceTicks(-37, 1234, 6);
  ASSERT_GE(ticks.size(), 4u);
  EXPECT_DOUBLE_EQ(ticks[1] - ticks[0], 200);
  EXPECT_TRUE(niceTicks(1, 1).empty());
}

TEST(RenderSvg, PlacesPointsInsideThePlotArea) {
  Chart chart;
  chart.title = "latency <= limit & more";
  chart.width_px = 400;
  chart.height_px = 300;
  chart.series.push_back({"latency_ms", {{0, 20}, {1, 17}, {2, 15}}});
  chart.lines.push_back({"limit 16.6", 16.6});
  std::string svg = renderSvg(chart);
  // Escaped title, one polyline with three points, one dashed limit line.
  EXPECT_NE(svg.find("latency &lt;= limit &amp; more"), std::string::npos);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(svg, match, std::regex("points=\"([^\"]*)\"")));
  std::string points = match[1];
  std::regex pair("([-0-9.e]+),([-0-9.e]+)");
  int count = 0;
  double lastY = -1;
  for (auto it = std::sregex_iterator(points.begin(), points.end(), pair);
       it != std::sregex_iterator(); ++it, ++count) {
    double px = std::stod((*it)[1]), py = std::stod((*it)[2]);
    EXPECT_GE(px, 70);
    EXPECT_LE(px, 400 - 30);
    EXPECT_GE(py, 40);
    EXPECT_LE(py, 300 - 55);
    // Falling values climb down the screen: larger pixel y.
    EXPECT_GT(py, lastY);
    lastY = py;
  }
  EXPECT_EQ(count, 3);
  EXPECT_NE(svg.find("stroke-dasharray"), std::string::npos);
  EXPECT_EQ(svg.rfind("</svg>"), svg.size() - 7);
}

TEST(WriteSvg, FailureLeavesNoFile) {
  Chart chart;
  std::string error;
  std::string path = "/nonexistent-dir/chart.svg";
  EXPECT_FALSE(writeSvg(chart, path, error));
  EXPECT_NE(error.find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}
