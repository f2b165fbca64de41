//===- SearchSweep.cpp - the constraint-handling methods side by side -----===//
//
// hdx-search-sweep CONFIG.yaml -o DIR --cases CASES --methods METHODS
//                  --seeds 1,2,3,4,5 [--threads N]
// hdx-search-sweep --summarize DIR [--against REPORT]
// hdx-search-sweep --tuned DIR      (prints "CASE SETTING" per tuned method)
// hdx-search-sweep CONFIG.yaml --retrain FROM -o DIR [--train-images N]
//                  [--epochs E] [--shard K/N] [--threads N]
//   (each searched design of FROM trained again from its seed, see retrain;
//   --train-images sets data.train_size, 0 = every image not held out, and
//   --epochs derived.epochs)
//
// CASES: `name:metric=value[+metric=value..]`, separated by `;`, e.g.
//   "tight:latency_ms=0.055;joint:latency_ms=0.07+energy_mj=0.02+area_mm2=0.35"
// Each case replaces the configuration's constraints with its own limits.
// METHODS: `method[@setting]`, separated by `,`: the method's one setting,
//   hdx@delta0, dance@lambda, soft@lambda, adaptive@lambda0, tfnas@lambda
//   (nas-then-hw has none); e.g. "hdx,soft@0.3,soft@1,dance@0.1". A
//   trailing `+hw` sets objective.trains to `hardware` (lambda * Cost_HW
//   trains the accelerator only), e.g. "hdx+hw,tfnas@0.1+hw"; `+step` sets
//   method.hdx.corrects to `step` (hdx corrects the optimizer's step, not
//   the gradient it is handed), e.g. "hdx+step+hw".
//
// Every (case, method setting, seed) runs into DIR/CASE/SETTING/seed-N; a
// folder that already holds a result.json is kept, so an interrupted sweep
// resumes. Then (or with --summarize) it reads every result.json below DIR
// and prints, per case and method setting: runs, runs whose search met every
// limit by itself (the final argmax of alpha and beta), runs met only through
// the last-feasible-step rescue or the greedy repair, test accuracy, Cost_HW
// and the oracle gap (mean +- sample std over seeds); then per case and
// method the setting with the most runs met by the search and, among those,
// the best mean accuracy (the tuned baseline); and it draws, per case with a
// latency limit, the accuracy-latency plane with the limit as a line
// (DIR/CASE/accuracy_vs_latency_ms.svg). Per-run rows go to DIR/runs.md.
// With --against REPORT it also prints, per case and setting of DIR, each
// tuned setting of REPORT's accuracy minus the setting's, paired by seed
// (for settings run on the reported seeds outside the tuned selection).
//
//===----------------------------------------------------------------------===//
#include "hdx/Cost/Accelerator.h"
#include "hdx/Plot/SvgChart.h"
#include "hdx/Search/SearchRun.h"
#include "hdx/Support/AtomicFile.h"
#include "hdx/Support/FormatNumber.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

using namespace hdx;
using namespace hdx::search;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string &text, char by) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, by);)
    if (!part.empty())
      parts.push_back(part);
  return parts;
}

int usage(const std::string &message) {
  std::fprintf(stderr,
               "hdx-search-sweep: error: %s\nusage: hdx-search-sweep "
               "CONFIG.yaml -o DIR --cases NAME:METRIC=V[+METRIC=V..];.. "
               "--methods METHOD[@SETTING],.. --seeds 1,2,.. [--threads N]\n"
               "       hdx-search-sweep --summarize DIR [--against REPORT]\n"
               "       hdx-search-sweep CONFIG.yaml --retrain FROM -o DIR "
               "[--train-images N] [--epochs E] [--shard K/N] [--threads N]\n",
               message.c_str());
  return 1;
}

/// A whole decimal integer, or nothing.
std::optional<long long> parseInteger(const std::string &text) {
  char *end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0)
    return std::nullopt;
  return value;
}

struct Case {
  std::string name;
  ConstraintLimits limits;
};

/// "tight:latency_ms=0.055+area_mm2=0.4".
std::optional<Case> parseCase(const std::string &text, std::string &error) {
  size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) {
    error = "case '" + text + "': expected NAME:METRIC=VALUE[+..]";
    return std::nullopt;
  }
  Case c{text.substr(0, colon), {}};
  for (const std::string &limit : split(text.substr(colon + 1), '+')) {
    size_t eq = limit.find('=');
    double value = 0;
    try {
      value = eq == std::string::npos ? 0 : std::stod(limit.substr(eq + 1));
    } catch (const std::exception &) {
    }
    std::string metric = limit.substr(0, eq);
    if (!(value > 0) || !std::isfinite(value)) {
      error = "case '" + c.name + "': '" + limit + "' needs a positive limit";
      return std::nullopt;
    }
    bool known = false;
    for (int m = 0; m < kNumMetrics; ++m)
      if (metric == metricName(static_cast<Metric>(m))) {
        c.limits.limit(static_cast<Metric>(m)) = value;
        known = true;
      }
    if (!known) {
      error = "case '" + c.name + "': unknown metric '" + metric +
              "' (expected latency_ms, energy_mj or area_mm2)";
      return std::nullopt;
    }
  }
  return c;
}

/// Applies "method[@setting]" to `config`; false with `error` set if bad.
bool applyMethod(std::string token, SearchConfig &config, std::string &error) {
  // Trailing flags, in any order.
  bool stepFlag = false;
  for (size_t plus; (plus = token.rfind('+')) != std::string::npos;) {
    std::string flag = token.substr(plus + 1);
    if (flag == "hw") {
      config.objective.trains = CostTrains::Hardware;
    } else if (flag == "step") {
      config.method.hdx_corrects = HdxCorrects::Step;
      stepFlag = true;
    } else {
      error = "'" + token + "': unknown flag '+" + flag +
              "' (expected +hw or +step)";
      return false;
    }
    token.resize(plus);
  }
  size_t at = token.find('@');
  std::string name = token.substr(0, at);
  std::optional<ConstraintMethod> method = parseConstraintMethod(name);
  if (!method) {
    error = "unknown method '" + name + "'";
    return false;
  }
  config.method.method = *method;
  // The flag, not the configuration's own `corrects`, which other methods
  // ignore.
  if (stepFlag && *method != ConstraintMethod::Hdx) {
    error = "'" + name + "': +step applies to hdx only";
    return false;
  }
  if (at == std::string::npos)
    return true;
  double value = -1;
  try {
    value = std::stod(token.substr(at + 1));
  } catch (const std::exception &) {
  }
  if (!(value >= 0) || !std::isfinite(value)) {
    error = "'" + token + "': the setting must be a number >= 0";
    return false;
  }
  // Each method's one setting.
  static const std::map<ConstraintMethod, double MethodConfig::*> kSetting = {
      {ConstraintMethod::Hdx, &MethodConfig::hdx_delta0},
      {ConstraintMethod::Dance, &MethodConfig::dance_lambda},
      {ConstraintMethod::Soft, &MethodConfig::soft_lambda},
      {ConstraintMethod::Adaptive, &MethodConfig::adaptive_lambda0},
      {ConstraintMethod::TfNas, &MethodConfig::tfnas_lambda}};
  auto setting = kSetting.find(*method);
  if (setting == kSetting.end()) {
    error = "nas-then-hw has no setting";
    return false;
  }
  config.method.*setting->second = value;
  return true;
}

struct Run {
  std::string caseName, setting, method;
  uint64_t seed = 0;
  std::map<std::string, double> limits, values; // per constrained metric
  bool metBySearch = false, metFinally = false, rescued = false;
  size_t repairs = 0;
  double accuracy = 0, costHw = 0, latency = 0;
  std::optional<double> oracleGap;
  /// The host CPU and vector-ISA caps the run was made with (its rounding
  /// depends on them, docs/search.md "Devices"); "unrecorded" before
  /// result.json recorded them.
  std::string machine;
};

/// result.json's search.host_cpu and ISA caps as one label.
std::string machineOf(const YAML::Node &search) {
  YAML::Node host = search["host_cpu"];
  if (!host)
    return "unrecorded";
  auto cap = [&](const char *key) {
    YAML::Node value = search[key];
    return value && !value.IsNull() ? value.as<std::string>()
                                    : std::string("uncapped");
  };
  return host.as<std::string>() + " (ATen " + cap("aten_cpu_capability") +
         ", oneDNN " + cap("dnnl_max_cpu_isa") + ")";
}

/// The runs below DIR: each result.json at DIR/CASE/SETTING/seed-N, as its
/// path relative to DIR, sorted.
std::vector<fs::path> runResults(const std::string &dir) {
  std::vector<fs::path> found;
  for (const auto &entry : fs::recursive_directory_iterator(dir)) {
    fs::path relative = fs::relative(entry.path(), dir);
    if (entry.path().filename() == "result.json" &&
        std::distance(relative.begin(), relative.end()) == 4)
      found.push_back(relative);
  }
  std::sort(found.begin(), found.end());
  return found;
}

/// Every run below DIR (JSON is YAML).
std::vector<Run> readRuns(const std::string &dir) {
  std::vector<Run> runs;
  for (const fs::path &relative : runResults(dir)) {
    fs::path path = fs::path(dir) / relative;
    std::vector<std::string> parts;
    for (const auto &p : relative)
      parts.push_back(p.string());
    try {
      YAML::Node r = YAML::LoadFile(path.string());
      Run run;
      run.caseName = parts[0];
      run.setting = parts[1];
      run.method = r["method"].as<std::string>();
      run.seed = r["seed"].as<uint64_t>();
      run.metFinally = true;
      for (const YAML::Node &c : r["constraints"]) {
        std::string metric = c["metric"].as<std::string>();
        run.limits[metric] = c["limit"].as<double>();
        run.values[metric] = c["value"].as<double>();
        run.metFinally = run.metFinally && c["met"].as<bool>();
      }
      YAML::Node search = r["search"];
      run.metBySearch = search["met_by_search"].as<bool>();
      run.rescued = !search["derived_from_arch_step"].IsNull();
      run.repairs = search["repairs"].size();
      run.machine = machineOf(search);
      run.accuracy = r["test_accuracy"].as<double>();
      run.latency = r["totals"]["latency_ms"].as<double>();
      run.costHw = r["oracle"]["cost_hw"].as<double>();
      if (YAML::Node gap = r["oracle"]["gap"])
        run.oracleGap = gap.as<double>();
      runs.push_back(run);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), e.what());
    }
  }
  std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) {
    return std::tie(a.caseName, a.setting, a.seed) <
           std::tie(b.caseName, b.setting, b.seed);
  });
  return runs;
}

struct Stat {
  double mean = 0, std = 0;
  size_t n = 0;
};

/// Mean and sample standard deviation.
Stat stat(const std::vector<double> &xs) {
  Stat s;
  s.n = xs.size();
  if (xs.empty())
    return s;
  for (double x : xs)
    s.mean += x;
  s.mean /= xs.size();
  for (double x : xs)
    s.std += (x - s.mean) * (x - s.mean);
  s.std = xs.size() > 1 ? std::sqrt(s.std / (xs.size() - 1)) : 0.0;
  // Equal values summed in another order leave a rounding residue, not a
  // spread.
  if (s.std <= 1e-12 * std::abs(s.mean))
    s.std = 0.0;
  return s;
}

std::string show(const Stat &s, const char *format) {
  if (s.n == 0)
    return "–";
  char mean[32], sd[32];
  std::snprintf(mean, sizeof mean, format, s.mean);
  std::string sdFormat = format; // a sign belongs to the mean only
  sdFormat.erase(std::remove(sdFormat.begin(), sdFormat.end(), '+'),
                 sdFormat.end());
  std::snprintf(sd, sizeof sd, sdFormat.c_str(), s.std);
  return std::string(mean) + " ± " + sd;
}

std::string runsTable(const std::vector<Run> &runs) {
  std::ostringstream out;
  out << "| case | setting | seed | values (limit) | met by search | rescued "
         "| repairs | met | test accuracy | Cost_HW | oracle gap % |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Run &r : runs) {
    std::string values;
    for (const auto &[metric, value] : r.values) {
      char text[96];
      std::snprintf(text, sizeof text, "%s%s %.4g (%.4g)",
                    values.empty() ? "" : ", ", metric.c_str(), value,
                    r.limits.at(metric));
      values += text;
    }
    char gap[32] = "–";
    if (r.oracleGap)
      std::snprintf(gap, sizeof gap, "%.1f", 100 * *r.oracleGap);
    char row[512];
    std::snprintf(row, sizeof row,
                  "| %s | %s | %llu | %s | %s | %s | %zu | %s | %.4f | %.4g | %s |\n",
                  r.caseName.c_str(), r.setting.c_str(),
                  static_cast<unsigned long long>(r.seed), values.c_str(),
                  r.metBySearch ? "yes" : "no", r.rescued ? "yes" : "no",
                  r.repairs, r.metFinally ? "yes" : "no", r.accuracy, r.costHw,
                  gap);
    out << row;
  }
  return out.str();
}

/// Per case, the tuned setting of each method: the most runs met by the
/// search, then the best mean test accuracy.
std::map<std::string, std::map<std::string, std::string>>
tunedSettings(const std::vector<Run> &runs) {
  struct Score {
    int met = 0, n = 0;
    double accuracy = 0;
  };
  std::map<std::string, std::map<std::string, Score>> scores; // case, setting
  std::map<std::string, std::string> methodOf;
  for (const Run &r : runs) {
    Score &s = scores[r.caseName][r.setting];
    s.met += r.metBySearch;
    ++s.n;
    s.accuracy += r.accuracy;
    methodOf[r.setting] = r.method;
  }
  std::map<std::string, std::map<std::string, std::string>> tuned;
  for (const auto &[caseName, settings] : scores) {
    std::map<std::string, const Score *> best;
    for (const auto &[setting, s] : settings) {
      const Score *&b = best[methodOf[setting]];
      auto key = [](const Score &x) {
        return std::make_pair(static_cast<double>(x.met) / x.n, x.accuracy / x.n);
      };
      if (!b || key(s) > key(*b)) {
        b = &s;
        tuned[caseName][methodOf[setting]] = setting;
      }
    }
  }
  return tuned;
}

void summarize(const std::vector<Run> &runs, const std::string &dir) {
  std::string error = writeFileAtomically(dir + "/runs.md", runsTable(runs));
  if (!error.empty())
    std::fprintf(stderr, "hdx-search-sweep: %s\n", error.c_str());

  struct Group {
    std::string method;
    std::vector<const Run *> runs;
    int met = 0, rescued = 0, repaired = 0;
    Stat accuracy, costHw, gap;
  };
  // case -> setting -> group, in name order.
  std::map<std::string, std::map<std::string, Group>> groups;
  for (const Run &r : runs) {
    Group &g = groups[r.caseName][r.setting];
    g.method = r.method;
    g.runs.push_back(&r);
  }
  std::printf("| case | setting | runs | met by search | met after rescue | "
              "met after repair | test accuracy | Cost_HW | oracle gap %% |\n"
              "|---|---|---|---|---|---|---|---|---|\n");
  for (auto &[caseName, settings] : groups)
    for (auto &[setting, g] : settings) {
      std::vector<double> acc, cost, gap;
      for (const Run *r : g.runs) {
        g.met += r->metBySearch;
        g.rescued += !r->metBySearch && r->rescued && r->metFinally;
        g.repaired += !r->metBySearch && !r->rescued && r->metFinally;
        acc.push_back(r->accuracy);
        cost.push_back(r->costHw);
        if (r->oracleGap)
          gap.push_back(100 * *r->oracleGap);
      }
      g.accuracy = stat(acc);
      g.costHw = stat(cost);
      g.gap = stat(gap);
      std::printf("| %s | %s | %zu | %d | %d | %d | %s | %s | %s |\n",
                  caseName.c_str(), setting.c_str(), g.runs.size(), g.met,
                  g.rescued, g.repaired, show(g.accuracy, "%.4f").c_str(),
                  show(g.costHw, "%.3g").c_str(), show(g.gap, "%.1f").c_str());
    }

  // The tuned setting of each method.
  std::map<std::string, std::map<std::string, std::string>> tuned =
      tunedSettings(runs);
  std::printf("\n| case | method | tuned setting | met by search | test "
              "accuracy | accuracy - hdx's, same seed | Cost_HW | oracle gap "
              "%% |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (auto &[caseName, settings] : groups) {
    std::map<std::string, const Group *> best;
    std::map<std::string, std::string> &bestSetting = tuned[caseName];
    for (const auto &[method, setting] : bestSetting)
      best[method] = &settings.at(setting);
    // Paired by seed against hdx: the seed fixes the data order and the
    // initial weights of both runs, so the difference has less spread than
    // the accuracies.
    std::map<uint64_t, double> hdxAccuracy;
    if (auto it = best.find("hdx"); it != best.end())
      for (const Run *r : it->second->runs)
        hdxAccuracy[r->seed] = r->accuracy;
    for (const auto &[method, g] : best) {
      std::vector<double> diff;
      for (const Run *r : g->runs)
        if (auto h = hdxAccuracy.find(r->seed);
            method != "hdx" && h != hdxAccuracy.end())
          diff.push_back(r->accuracy - h->second);
      std::printf(
          "| %s | %s | %s | %d/%zu | %s | %s | %s | %s |\n", caseName.c_str(),
          method.c_str(), bestSetting[method].c_str(), g->met, g->runs.size(),
          show(g->accuracy, "%.4f").c_str(), show(stat(diff), "%+.4f").c_str(),
          show(g->costHw, "%.3g").c_str(), show(g->gap, "%.1f").c_str());
    }

    // The accuracy-latency plane of the case, tuned settings only.
    const Run &first = *settings.begin()->second.runs.front();
    plot::Chart chart;
    chart.title = "Test accuracy vs latency, case " + caseName;
    chart.x_label = "latency_ms (exact, derived design)";
    chart.y_label = "test accuracy";
    for (const auto &[method, g] : best) {
      plot::Series series{bestSetting[method], {}};
      series.line = false;
      series.markers = true;
      for (const Run *r : g->runs)
        series.points.push_back({r->latency, r->accuracy});
      chart.series.push_back(series);
    }
    if (auto it = first.limits.find("latency_ms"); it != first.limits.end())
      chart.lines.push_back(
          {"limit " + hdx::formatDouble(it->second), it->second,
           /*vertical=*/true});
    std::string path = dir + "/" + caseName + "/accuracy_vs_latency_ms.svg";
    if (!plot::writeSvg(chart, path, error))
      std::fprintf(stderr, "hdx-search-sweep: %s\n", error.c_str());
  }
  std::printf("\nper-run rows: %s/runs.md; planes: %s/CASE/accuracy_vs_latency_ms.svg\n",
              dir.c_str(), dir.c_str());

  // Runs made with another CPU or ISA cap round differently, and a
  // search its limits do not pin can derive another design there.
  std::map<std::string, int> machines;
  for (const Run &r : runs)
    ++machines[r.machine];
  std::printf("\n| machine | runs |\n|---|---|\n");
  for (const auto &[machine, count] : machines)
    std::printf("| %s | %d |\n", machine.c_str(), count);
  if (machines.size() > 1)
    std::printf("\nthe runs were made on %zu machine setups: their rounding "
                "differs (docs/search.md, Devices)\n",
                machines.size());
}

/// Per case and setting of `runs`, the accuracy of each tuned setting of
/// `report` minus the setting's, paired by seed.
void pairAgainst(const std::vector<Run> &runs, const std::vector<Run> &report) {
  std::map<std::string, std::map<std::string, std::string>> tuned =
      tunedSettings(report);
  // case -> setting -> seed -> accuracy
  using Accuracies =
      std::map<std::string, std::map<std::string, std::map<uint64_t, double>>>;
  Accuracies ours, theirs;
  for (const Run &r : runs)
    ours[r.caseName][r.setting][r.seed] = r.accuracy;
  for (const Run &r : report)
    theirs[r.caseName][r.setting][r.seed] = r.accuracy;
  std::printf("\n| case | setting | against (tuned) | its accuracy - "
              "setting's, same seed | seeds |\n|---|---|---|---|---|\n");
  for (const auto &[caseName, settings] : ours)
    for (const auto &[setting, bySeed] : settings)
      for (const auto &[method, other] : tuned[caseName]) {
        std::vector<double> diff;
        for (const auto &[seed, accuracy] : theirs[caseName][other])
          if (auto it = bySeed.find(seed); it != bySeed.end())
            diff.push_back(accuracy - it->second);
        if (diff.empty())
          continue;
        std::printf("| %s | %s | %s | %s | %zu |\n", caseName.c_str(),
                    setting.c_str(), other.c_str(),
                    show(stat(diff), "%+.4f").c_str(), diff.size());
      }
}

/// A searched design to retrain: the result.json at FROM/CASE/SETTING/seed-N.
struct Searched {
  fs::path relative; // CASE/SETTING/seed-N/result.json
  uint64_t seed = 0;
  std::map<std::string, std::string> architecture;
  /// seed and architecture, a file name: runs that derived the same
  /// network on the same seed train it once.
  std::string key;
};

std::vector<Searched> readSearched(const std::string &dir) {
  std::vector<Searched> found;
  for (const fs::path &relative : runResults(dir)) {
    fs::path path = fs::path(dir) / relative;
    Searched s;
    s.relative = relative;
    try {
      YAML::Node r = YAML::LoadFile(path.string());
      s.seed = r["seed"].as<uint64_t>();
      for (const auto &layer : r["architecture"])
        s.architecture[layer.first.as<std::string>()] =
            layer.second.as<std::string>();
    } catch (const std::exception &e) {
      throw std::runtime_error(path.string() + ": " + e.what());
    }
    s.key = "seed-" + std::to_string(s.seed);
    for (const auto &[layer, candidate] : s.architecture)
      s.key += "_" + candidate; // std::map: in layer order
    found.push_back(s);
  }
  return found;
}

/// --retrain FROM: trains the network of every run below FROM again, from
/// the run's seed, with CONFIG's data and derived sections (derived.init
/// from_seed), into OUT/trained/KEY.json (designs of shard K of N: two
/// processes share the work); then writes OUT/CASE/SETTING/seed-N/result.json
/// for every run whose design is trained: FROM's result with test_accuracy
/// replaced (the search's own in test_accuracy_before_retraining).
int retrain(const SearchConfig &base, const std::string &from,
            const std::string &out, int shard, int shards) {
  std::vector<Searched> runs = readSearched(from);
  std::vector<std::string> keys;
  for (const Searched &s : runs)
    keys.push_back(s.key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  fs::create_directories(out + "/trained");
  for (size_t k = 0; k < keys.size(); ++k) {
    std::string path = out + "/trained/" + keys[k] + ".json";
    if (static_cast<int>(k % shards) != shard || fs::exists(path))
      continue;
    const Searched &s = *std::find_if(
        runs.begin(), runs.end(), [&](auto &r) { return r.key == keys[k]; });
    SearchConfig config = base;
    config.seed = s.seed;
    auto start = std::chrono::steady_clock::now();
    Expected<double> accuracy = trainArchitecture(config, s.architecture);
    if (!accuracy) {
      std::fprintf(stderr, "%s: %s\n", keys[k].c_str(),
                   accuracy.error().c_str());
      return 1;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::string text = "{\"test_accuracy\": " + formatDouble(*accuracy) +
                       ", \"training_s\": " + formatDouble(seconds) + "}\n";
    if (std::string error = writeFileAtomically(path, text); !error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    std::fprintf(stderr, "%s: %.4f in %.0f s\n", keys[k].c_str(), *accuracy,
                 seconds);
  }
  const std::regex accuracyField("\"test_accuracy\": ([^,\n]*),");
  for (const Searched &s : runs) {
    std::string trained = out + "/trained/" + s.key + ".json";
    if (!fs::exists(trained))
      continue;
    double accuracy = YAML::LoadFile(trained)["test_accuracy"].as<double>();
    std::ifstream in(fs::path(from) / s.relative);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    std::string replaced = "\"test_accuracy\": " + formatDouble(accuracy) +
                           ", \"test_accuracy_before_retraining\": $1,";
    text = std::regex_replace(text, accuracyField, replaced,
                              std::regex_constants::format_first_only);
    fs::path target = fs::path(out) / s.relative;
    fs::create_directories(target.parent_path());
    if (std::string error = writeFileAtomically(target.string(), text);
        !error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::map<std::string, std::string> flags;
  std::string configPath;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("-", 0) == 0) {
      if (i + 1 >= argc)
        return usage("missing value of " + arg);
      flags[arg] = argv[++i];
    } else {
      configPath = arg;
    }
  }
  if (flags.count("--tuned")) {
    for (const auto &[caseName, methods] : tunedSettings(readRuns(flags["--tuned"])))
      for (const auto &[method, setting] : methods)
        std::printf("%s %s\n", caseName.c_str(), setting.c_str());
    return 0;
  }
  if (flags.count("--summarize")) {
    std::vector<Run> runs = readRuns(flags["--summarize"]);
    summarize(runs, flags["--summarize"]);
    if (flags.count("--against"))
      pairAgainst(runs, readRuns(flags["--against"]));
    return 0;
  }
  if (flags.count("--retrain")) {
    if (configPath.empty() || !flags.count("-o"))
      return usage("--retrain needs CONFIG and -o");
    Expected<SearchConfig> config = loadConfig(configPath);
    if (!config)
      return usage(config.error());
    int shard = 0, shards = 1;
    if (flags.count("--shard") &&
        (std::sscanf(flags["--shard"].c_str(), "%d/%d", &shard, &shards) != 2 ||
         shards < 1 || shard < 0 || shard >= shards))
      return usage("--shard wants K/N with 0 <= K < N, e.g. 0/2");
    // Whole-number flags; the schedule to train under, when it is not the
    // configuration's.
    std::string bad;
    auto number = [&](const char *flag, long long least, auto &field) {
      if (!flags.count(flag) || !bad.empty())
        return;
      std::optional<long long> value = parseInteger(flags[flag]);
      if (!value || *value < least)
        bad = std::string(flag) +
              " wants a whole number >= " + std::to_string(least) + ", not '" +
              flags[flag] + "'";
      else
        field = static_cast<std::remove_reference_t<decltype(field)>>(*value);
    };
    number("--threads", 1, config->threads);
    number("--train-images", 0, config->data.train_size);
    number("--epochs", 1, config->derived.epochs);
    if (!bad.empty())
      return usage(bad);
    if (!fs::is_directory(flags["--retrain"]))
      return usage(flags["--retrain"] + " is not a folder");
    try {
      return retrain(*config, flags["--retrain"], flags["-o"], shard, shards);
    } catch (const std::exception &e) { // an unreadable result.json
      std::fprintf(stderr, "hdx-search-sweep: error: %s\n", e.what());
      return 1;
    }
  }
  if (configPath.empty() || !flags.count("-o") || !flags.count("--cases") ||
      !flags.count("--methods"))
    return usage("CONFIG, -o, --cases and --methods are required");
  std::vector<Case> cases;
  for (const std::string &text : split(flags["--cases"], ';')) {
    std::string error;
    std::optional<Case> c = parseCase(text, error);
    if (!c)
      return usage(error);
    cases.push_back(*c);
  }
  std::vector<uint64_t> seeds;
  for (const std::string &s : split(flags.count("--seeds") ? flags["--seeds"] : "1", ','))
    seeds.push_back(std::stoull(s));
  Expected<SearchConfig> base = loadConfig(configPath);
  if (!base)
    return usage(base.error());
  for (const std::string &token : split(flags["--methods"], ','))
    for (const Case &c : cases)
      for (uint64_t seed : seeds) {
        SearchConfig config = *base;
        std::string error;
        if (!applyMethod(token, config, error))
          return usage(error);
        config.constraints = c.limits;
        config.seed = seed;
        if (flags.count("--threads"))
          config.threads = std::stoi(flags["--threads"]);
        std::string dir = flags["-o"] + "/" + c.name + "/" + token +
                          "/seed-" + std::to_string(seed);
        if (fs::exists(dir + "/result.json")) {
          std::fprintf(stderr, "%s: kept\n", dir.c_str());
          continue;
        }
        fs::create_directories(fs::path(dir).parent_path());
        Expected<SearchOutcome> outcome = runSearch(config, dir);
        std::fprintf(stderr, "%s: %s\n", dir.c_str(),
                     outcome ? "done" : outcome.error().c_str());
      }
  summarize(readRuns(flags["-o"]), flags["-o"]);
  return 0;
}
