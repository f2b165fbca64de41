//===- SvgChart.cpp - line and scatter charts as SVG ----------------------===//
#include "hdx/Plot/SvgChart.h"
#include "hdx/Support/AtomicFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace hdx::plot {

namespace {

const char *const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};

std::string escapeXml(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

/// A data range, widened when empty so that scaling never divides by zero.
struct Range {
  double lo = 0, hi = 1;
  bool empty = true;
  void add(double v) {
    if (!std::isfinite(v))
      return;
    if (empty) {
      lo = hi = v;
      empty = false;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void finish() {
    if (empty) {
      lo = 0;
      hi = 1;
    } else if (hi == lo) {
      double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
  }
};

/// Maps data coordinates to pixels inside the plot area.
struct Axis {
  Range range;
  double pixelLo, pixelHi; // pixel of range.lo and range.hi
  double map(double v) const {
    return pixelLo + (v - range.lo) / (range.hi - range.lo) * (pixelHi - pixelLo);
  }
};

} // namespace

std::vector<double> niceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
    return ticks;
  double raw = (hi - lo) / std::max(target, 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  // The 1/2/5 step giving the tick count closest to the target.
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (std::fabs((hi - lo) / (m * magnitude) - target) <
        std::fabs((hi - lo) / step - target))
      step = m * magnitude;
  // Multiples of the step, rounded to 12 digits so that 3 x 0.2 reads 0.6.
  long long first = static_cast<long long>(std::ceil(lo / step - 1e-9));
  long long last = static_cast<long long>(std::floor(hi / step + 1e-9));
  for (long long k = first; k <= last; ++k) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.12g", k * step);
    ticks.push_back(std::strtod(buffer, nullptr));
  }
  return ticks;
}

std::string renderSvg(const Chart &chart) {
  const double left = 70, right = 30 + (chart.y2_label.empty() ? 0 : 50),
               top = 40, bottom = 55;
  const double w = chart.width_px, h = chart.height_px;
  Range xr, yr, y2r;
  for (const Series &s : chart.series)
    for (const Point &p : s.points) {
      xr.add(p.x);
      (s.right_axis ? y2r : yr).add(p.y);
    }
  for (const ReferenceLine &l : chart.lines)
    (l.vertical ? xr : (l.right_axis ? y2r : yr)).add(l.value);
  xr.finish();
  yr.finish();
  y2r.finish();
  // Axes start at the first tick at or below the data: ticks sit on edges.
  auto snap = [](Range &r) {
    std::vector<double> ticks = niceTicks(r.lo, r.hi);
    if (ticks.size() >= 2) {
      double step = ticks[1] - ticks[0];
      r.lo = std::min(r.lo, ticks.front() - (ticks.front() > r.lo ? step : 0));
      r.hi = std::max(r.hi, ticks.back() + (ticks.back() < r.hi ? step : 0));
    }
  };
  snap(xr);
  snap(yr);
  snap(y2r);
  Axis x{xr, left, w - right}, y{yr, h - bottom, top}, y2{y2r, h - bottom, top};

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w
      << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " " << h
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" "
      << "font-size=\"15\">" << escapeXml(chart.title) << "</text>\n";

  // Grid and ticks.
  for (double t : niceTicks(xr.lo, xr.hi)) {
    double px = x.map(t);
    svg << "<line x1=\"" << number(px) << "\" y1=\"" << top << "\" x2=\""
        << number(px) << "\" y2=\"" << h - bottom
        << "\" stroke=\"#eee\"/>\n<text x=\"" << number(px) << "\" y=\""
        << h - bottom + 16 << "\" text-anchor=\"middle\">" << number(t)
        << "</text>\n";
  }
  for (double t : niceTicks(yr.lo, yr.hi)) {
    double py = y.map(t);
    svg << "<line x1=\"" << left << "\" y1=\"" << number(py) << "\" x2=\""
        << w - right << "\" y2=\"" << number(py)
        << "\" stroke=\"#eee\"/>\n<text x=\"" << left - 6 << "\" y=\""
        << number(py + 4) << "\" text-anchor=\"end\">" << number(t)
        << "</text>\n";
  }
  if (!chart.y2_label.empty())
    for (double t : niceTicks(y2r.lo, y2r.hi))
      svg << "<text x=\"" << w - right + 6 << "\" y=\"" << number(y2.map(t) + 4)
          << "\">" << number(t) << "</text>\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\""
      << w - left - right << "\" height=\"" << h - top - bottom
      << "\" fill=\"none\" stroke=\"#333\"/>\n";
  svg << "<text x=\"" << (left + w - right) / 2 << "\" y=\"" << h - 12
      << "\" text-anchor=\"middle\">" << escapeXml(chart.x_label)
      << "</text>\n<text transform=\"translate(16," << (top + h - bottom) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escapeXml(chart.y_label)
      << "</text>\n";
  if (!chart.y2_label.empty())
    svg << "<text transform=\"translate(" << w - 12 << ","
        << (top + h - bottom) / 2 << ") rotate(90)\" text-anchor=\"middle\">"
        << escapeXml(chart.y2_label) << "</text>\n";

  // Reference lines, then the series on top.
  for (const ReferenceLine &l : chart.lines) {
    const Axis &ya = l.right_axis ? y2 : y;
    double x1 = l.vertical ? x.map(l.value) : left;
    double x2 = l.vertical ? x.map(l.value) : w - right;
    double y1 = l.vertical ? top : ya.map(l.value);
    double y2p = l.vertical ? h - bottom : ya.map(l.value);
    svg << "<line x1=\"" << number(x1) << "\" y1=\"" << number(y1)
        << "\" x2=\"" << number(x2) << "\" y2=\"" << number(y2p)
        << "\" stroke=\"" << l.color
        << "\" stroke-dasharray=\"6 4\" stroke-width=\"1.5\"/>\n<text x=\""
        << number(x2 - 4) << "\" y=\"" << number(y1 - 4)
        << "\" text-anchor=\"end\" fill=\"" << l.color << "\">"
        << escapeXml(l.label) << "</text>\n";
  }
  size_t colorIndex = 0;
  std::vector<std::string> colors;
  for (const Series &s : chart.series) {
    std::string color = s.color.empty()
                            ? kPalette[colorIndex++ % (sizeof(kPalette) /
                                                       sizeof(kPalette[0]))]
                            : s.color;
    colors.push_back(color);
    const Axis &ya = s.right_axis ? y2 : y;
    if (s.line && s.points.size() > 1) {
      svg << "<polyline fill=\"none\" stroke=\"" << color
          << "\" stroke-width=\"1.5\" points=\"";
      for (const Point &p : s.points)
        if (std::isfinite(p.x) && std::isfinite(p.y))
          svg << number(x.map(p.x)) << "," << number(ya.map(p.y)) << " ";
      svg << "\"/>\n";
    }
    if (s.markers || s.points.size() == 1)
      for (const Point &p : s.points)
        if (std::isfinite(p.x) && std::isfinite(p.y))
          svg << "<circle cx=\"" << number(x.map(p.x)) << "\" cy=\""
              << number(ya.map(p.y)) << "\" r=\"3.5\" fill=\"" << color
              << "\"/>\n";
  }
  // Legend, top left inside the plot.
  for (size_t i = 0; i < chart.series.size(); ++i) {
    double ly = top + 16 + 16.0 * i;
    svg << "<rect x=\"" << left + 10 << "\" y=\"" << ly - 9
        << "\" width=\"12\" height=\"12\" fill=\"" << colors[i]
        << "\"/>\n<text x=\"" << left + 28 << "\" y=\"" << ly + 1 << "\">"
        << escapeXml(chart.series[i].label) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

bool writeSvg(const Chart &chart, const std::string &path, std::string &error) {
  error = hdx::writeFileAtomically(path, renderSvg(chart));
  return error.empty();
}

} // namespace hdx::plot
