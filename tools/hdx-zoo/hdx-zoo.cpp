//===- hdx-zoo.cpp - Reference CNNs as ONNX files -------------------------===//
//
// hdx-zoo <mobilenetv2|resnet18|squeezenet> [--batch N] [--resolution R]
//         [--opset 13|18] [--seed S] -o model.onnx
//
// Writes the network with seeded random weights in the form PyTorch's
// TorchScript (opset 13) or torch.export (opset 18) exporter produces.
//
//===----------------------------------------------------------------------===//
#include "hdx/Zoo/Models.h"

#include "hdx/Onnx/GraphBuilder.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

using namespace hdx;
using namespace hdx::zoo;

namespace {

const char *const kUsage =
    "usage: hdx-zoo <mobilenetv2|resnet18|squeezenet> [--batch N] "
    "[--resolution R] [--opset 13|18] [--seed S] -o model.onnx\n";

struct Arguments {
  std::string model;
  int64_t batch = 1;
  int64_t resolution = 224;
  int64_t opset = 13;
  uint64_t seed = 0;
  std::string output;
};

int fail(const std::string &message) {
  std::fprintf(stderr, "hdx-zoo: error: %s\n", message.c_str());
  return 1;
}

int usageError(const std::string &message) {
  std::fprintf(stderr, "hdx-zoo: error: %s\n%s", message.c_str(), kUsage);
  return 1;
}

template <typename T>
bool parseNumber(std::string_view text, T &value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

/// Parses `argv`; returns an error message, empty on success.
std::string parse(int argc, char **argv, Arguments &args) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    std::string_view flag = arg;
    bool isOption = arg.size() > 1 && arg[0] == '-';
    if (isOption) {
      // Both `--flag value` and `--flag=value`.
      size_t eq = arg.find('=');
      if (eq != std::string_view::npos) {
        flag = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return "option '" + std::string(arg) + "' needs a value";
      }
    }
    if (!isOption) {
      if (!args.model.empty())
        return "more than one model given ('" + args.model + "', '" +
               std::string(arg) + "')";
      args.model = arg;
    } else if (flag == "-o" || flag == "--output") {
      args.output = value;
    } else if (flag == "--batch") {
      if (!parseNumber(value, args.batch) || args.batch < 1 || args.batch > 1024)
        return "--batch must be an integer from 1 to 1024, got '" +
               std::string(value) + "'";
    } else if (flag == "--resolution") {
      if (!parseNumber(value, args.resolution) || args.resolution < 1 ||
          args.resolution > 4096)
        return "--resolution must be an integer from 1 to 4096, got '" +
               std::string(value) + "'";
    } else if (flag == "--opset") {
      if (!parseNumber(value, args.opset) ||
          (args.opset != 13 && args.opset != 18))
        return "--opset must be 13 (TorchScript exporter) or 18 "
               "(torch.export), got '" + std::string(value) + "'";
    } else if (flag == "--seed") {
      if (!parseNumber(value, args.seed))
        return "--seed must be a non-negative integer, got '" +
               std::string(value) + "'";
    } else {
      return "unknown option '" + std::string(flag) + "'";
    }
  }
  if (args.model.empty())
    return "no model given";
  if (args.output.empty())
    return "no output file given (-o model.onnx)";
  return {};
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  Arguments args;
  std::string error = parse(argc, argv, args);
  if (!error.empty())
    return usageError(error);

  void (*build)(NetBuilder &, int64_t, int64_t) = nullptr;
  if (args.model == "mobilenetv2")
    build = buildMobileNetV2;
  else if (args.model == "resnet18")
    build = buildResNet18;
  else if (args.model == "squeezenet")
    build = buildSqueezeNet11;
  else
    return usageError("unknown model '" + args.model +
                "' (choose mobilenetv2, resnet18 or squeezenet)");

  onnxlib::ModelOptions options;
  options.opset = args.opset;
  options.producerName = "hdx-zoo";
  options.docString = args.model + ", batch " + std::to_string(args.batch) +
                      ", resolution " + std::to_string(args.resolution) +
                      ", seed " + std::to_string(args.seed);
  onnxlib::GraphBuilder graph(options);
  NetBuilder net(graph, args.seed);
  build(net, args.batch, args.resolution);
  if (!net.error().empty())
    return fail(args.model + " at resolution " +
                std::to_string(args.resolution) + ": " + net.error());
  hdx::Status written = graph.write(args.output);
  if (!written)
    return fail(written.error());
  return 0;
}
