//===- SvgChart.h - line and scatter charts as SVG --------------*- C++ -*-===//
//
// Charts the tools write next to their results (search trajectories, the
// accuracy-latency plane of a sweep) as self-contained SVG: no runtime, any
// browser shows them. One chart: a title, two labelled linear axes with
// "nice" ticks, any number of series drawn as lines and/or markers, optional
// horizontal/vertical reference lines (a constraint's limit), and a legend.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_PLOT_SVGCHART_H
#define HDX_PLOT_SVGCHART_H

#include <string>
#include <vector>

namespace hdx::plot {

struct Point {
  double x, y;
};

struct Series {
  std::string label;
  std::vector<Point> points;
  std::string color; ///< any SVG color; empty picks one from the palette
  bool line = true;
  bool markers = false;
  /// Use the chart's second y axis (drawn on the right).
  bool right_axis = false;
};

/// A horizontal (`vertical = false`, at y = value) or vertical reference line.
struct ReferenceLine {
  std::string label;
  double value;
  bool vertical = false;
  bool right_axis = false;
  std::string color = "#c0392b";
};

struct Chart {
  std::string title;
  std::string x_label, y_label, y2_label;
  std::vector<Series> series;
  std::vector<ReferenceLine> lines;
  int width_px = 720, height_px = 420;
};

/// Ticks covering [lo, hi] at 1, 2 or 5 x 10^k steps, about `target` of them.
std::vector<double> niceTicks(double lo, double hi, int target = 6);

/// The chart as a complete SVG document.
std::string renderSvg(const Chart &chart);

/// Writes the SVG to `path` atomically (hdx/Support/AtomicFile.h); false with
/// `error` set on failure.
bool writeSvg(const Chart &chart, const std::string &path, std::string &error);

} // namespace hdx::plot

#endif // HDX_PLOT_SVGCHART_H
