//===- SearchSweep.cpp - constraint satisfaction across targets -----------===//
//
// hdx-search-sweep CONFIG.yaml -o DIR --metric latency_ms
//                  --targets 0.06,0.07,0.08,0.1 --methods hdx,soft,adaptive
//                  --seeds 1,2,3 [--threads N]
// hdx-search-sweep --summarize DIR --metric latency_ms
//
// Runs the search for every (method, target, seed), each into its own folder
// under DIR; a folder that already holds a result.json is kept. Then (or with --summarize, for every result.json below DIR)
// prints one Markdown table row per run: the exact value of the constrained
// metric of the derived design before repair (what the method itself found),
// the search step it was derived from (the end, or the last step whose argmax
// met the target when the final one does not) and after repair, whether the target is met, by how much it is missed, the test
// accuracy and Cost_HW (energy x latency x area); a per-method summary; and
// the accuracy-metric plane with the targets as an SVG
// (DIR/accuracy_vs_<metric>.svg).
//
//===----------------------------------------------------------------------===//
#include "hdx/Cost/Accelerator.h"
#include "hdx/Plot/SvgChart.h"
#include "hdx/Search/SearchRun.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

using namespace hdx;
using namespace hdx::search;

namespace {

std::vector<std::string> split(const std::string &text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty())
      parts.push_back(part);
  return parts;
}

struct Run {
  std::string method;
  double target = 0;
  uint64_t seed = 0;
  double argmaxValue = 0, finalValue = 0, accuracy = 0, costHw = 0;
  size_t repairs = 0;
  /// The alpha/beta step the design was derived from; -1: the final state.
  int64_t derivedFromStep = -1;
};

int usage(const char *message) {
  std::fprintf(stderr,
               "hdx-search-sweep: error: %s\nusage: hdx-search-sweep "
               "CONFIG.yaml -o DIR --metric latency_ms|energy_mj|area_mm2 "
               "--targets A,B,.. --methods hdx,soft,.. --seeds 1,2,.. "
               "[--threads N]\n",
               message);
  return 1;
}

/// Reads every result.json below `dir` (JSON is YAML).
std::vector<Run> readRuns(const std::string &dir, const std::string &metric) {
  std::vector<Run> runs;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().filename() != "result.json")
      continue;
    try {
      YAML::Node r = YAML::LoadFile(entry.path().string());
      YAML::Node constraints = r["constraints"];
      if (!constraints || constraints.size() != 1 ||
          constraints[0]["metric"].as<std::string>() != metric)
        continue;
      Run run;
      run.method = r["method"].as<std::string>();
      run.seed = r["seed"].as<uint64_t>();
      run.target = constraints[0]["limit"].as<double>();
      run.argmaxValue = r["search"]["argmax_metrics"][metric].as<double>();
      run.finalValue = constraints[0]["value"].as<double>();
      run.accuracy = r["test_accuracy"].as<double>();
      YAML::Node t = r["totals"];
      run.costHw = t["latency_ms"].as<double>() * t["energy_mj"].as<double>() *
                   t["area_mm2"].as<double>();
      run.repairs = r["search"]["repairs"].size();
      if (YAML::Node step = r["search"]["derived_from_arch_step"];
          step && !step.IsNull())
        run.derivedFromStep = step.as<int64_t>();
      runs.push_back(run);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s: %s\n", entry.path().c_str(), e.what());
    }
  }
  std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) {
    return std::tie(a.method, a.target, a.seed) <
           std::tie(b.method, b.target, b.seed);
  });
  return runs;
}

void summarize(const std::vector<Run> &runs, const std::string &metricName,
               const std::string &svgPath) {
  std::printf("| method | target | seed | derived from | found (argmax) | final | "
              "met | miss %% | repairs | test accuracy | Cost_HW (mJ*ms*mm2) |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Run &r : runs) {
    std::string from = r.derivedFromStep < 0
                           ? "end"
                           : "step " + std::to_string(r.derivedFromStep);
    std::printf("| %s | %g | %llu | %s | %.4g | %.4g | %s | %.1f | %zu | %.4f | %.4g |\n",
                r.method.c_str(), r.target,
                static_cast<unsigned long long>(r.seed), from.c_str(),
                r.argmaxValue, r.finalValue,
                r.argmaxValue <= r.target ? "yes" : "no",
                std::max(0.0, r.argmaxValue / r.target - 1) * 100, r.repairs,
                r.accuracy, r.costHw);
  }

  // Per method: how often the search itself (before repair) met the target.
  std::printf("\n| method | runs | met before repair | worst miss %% | mean test accuracy |\n"
              "|---|---|---|---|---|\n");
  std::map<std::string, std::vector<const Run *>> byMethod;
  std::set<double> targets;
  for (const Run &r : runs) {
    byMethod[r.method].push_back(&r);
    targets.insert(r.target);
  }
  plot::Chart chart;
  chart.title = "Test accuracy vs " + metricName + " of the derived design";
  chart.x_label = metricName + " (exact, before repair)";
  chart.y_label = "test accuracy";
  for (const auto &[method, list] : byMethod) {
    int met = 0;
    double worst = 0, accuracy = 0;
    plot::Series series{method, {}};
    series.line = false;
    series.markers = true;
    for (const Run *r : list) {
      met += r->argmaxValue <= r->target;
      worst = std::max(worst, r->argmaxValue / r->target - 1);
      accuracy += r->accuracy;
      series.points.push_back({r->argmaxValue, r->accuracy});
    }
    chart.series.push_back(series);
    std::printf("| %s | %zu | %d | %.1f | %.4f |\n", method.c_str(), list.size(),
                met, worst * 100, accuracy / list.size());
  }
  for (double t : targets)
    chart.lines.push_back({"target " + cost::formatDouble(t), t, /*vertical=*/true});
  std::string error;
  if (!plot::writeSvg(chart, svgPath, error))
    std::fprintf(stderr, "hdx-search-sweep: %s\n", error.c_str());
  else
    std::printf("\nwrote %s\n", svgPath.c_str());
}

} // namespace

int main(int argc, char **argv) {
  std::map<std::string, std::string> flags;
  std::string configPath;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("-", 0) == 0) {
      if (i + 1 >= argc)
        return usage(("missing value of " + arg).c_str());
      flags[arg] = argv[++i];
    } else {
      configPath = arg;
    }
  }
  std::string metricName = flags.count("--metric") ? flags["--metric"] : "latency_ms";
  if (flags.count("--summarize")) {
    std::string dir = flags["--summarize"];
    summarize(readRuns(dir, metricName), metricName,
              dir + "/accuracy_vs_" + metricName + ".svg");
    return 0;
  }
  if (configPath.empty() || !flags.count("-o") || !flags.count("--targets"))
    return usage("CONFIG, -o and --targets are required");
  Metric metric = metricName == "energy_mj"  ? Metric::EnergyMj
                  : metricName == "area_mm2" ? Metric::AreaMm2
                                             : Metric::LatencyMs;
  for (const std::string &method : split(flags.count("--methods") ? flags["--methods"] : "hdx"))
    for (const std::string &targetText : split(flags["--targets"]))
      for (const std::string &seedText :
           split(flags.count("--seeds") ? flags["--seeds"] : "1")) {
        std::optional<ConstraintMethod> parsed = parseConstraintMethod(method);
        if (!parsed)
          return usage(("unknown method " + method).c_str());
        Result<SearchConfig> config = loadConfig(configPath);
        if (!config)
          return usage(config.message().c_str());
        // Only the swept metric is constrained.
        config->constraints = ConstraintLimits();
        SearchOverrides o;
        o.method = *parsed;
        o.seed = std::stoull(seedText);
        double target = std::stod(targetText);
        (metric == Metric::LatencyMs  ? o.latency_ms
         : metric == Metric::EnergyMj ? o.energy_mj
                                      : o.area_mm2) = target;
        if (flags.count("--threads"))
          o.threads = std::stoi(flags["--threads"]);
        applyOverrides(*config, o);
        std::string dir = flags["-o"] + "/" + method + "-" + targetText + "-" +
                          seedText;
        // A finished run (its result.json exists) is kept, so an interrupted
        // sweep resumes where it stopped.
        if (std::filesystem::exists(dir + "/result.json")) {
          std::fprintf(stderr, "%s: kept\n", dir.c_str());
          continue;
        }
        Result<SearchOutcome> outcome = runSearch(*config, dir);
        if (!outcome)
          std::fprintf(stderr, "%s: %s\n", dir.c_str(), outcome.message().c_str());
        else
          std::fprintf(stderr, "%s: done\n", dir.c_str());
      }
  std::string dir = flags["-o"];
  summarize(readRuns(dir, metricName), metricName,
            dir + "/accuracy_vs_" + metricName + ".svg");
  return 0;
}
