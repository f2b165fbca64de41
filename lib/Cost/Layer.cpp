//===- Layer.cpp - Layer shapes and their text form -----------------------===//
#include "hdx/Cost/Layer.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace hdx::cost {

const char *toString(LayerKind kind) {
  switch (kind) {
  case LayerKind::Conv:
    return "conv";
  case LayerKind::FC:
    return "fc";
  case LayerKind::Pool:
    return "pool";
  case LayerKind::Eltwise:
    return "eltwise";
  }
  return "conv";
}

bool parseLayerKind(std::string_view text, LayerKind &kind) {
  if (text == "conv")
    kind = LayerKind::Conv;
  else if (text == "fc")
    kind = LayerKind::FC;
  else if (text == "pool")
    kind = LayerKind::Pool;
  else if (text == "eltwise")
    kind = LayerKind::Eltwise;
  else
    return false;
  return true;
}

int64_t Layer::paddedInputHeight() const {
  return (p - 1) * stride_h + (r - 1) * dilation_h + 1;
}
int64_t Layer::paddedInputWidth() const {
  return (q - 1) * stride_w + (s - 1) * dilation_w + 1;
}

int64_t Layer::macs() const {
  if (!usesArray())
    return 0;
  return n * k * (c / groups) * r * s * p * q;
}

int64_t Layer::ops() const {
  switch (kind) {
  case LayerKind::Conv:
  case LayerKind::FC:
    return macs();
  case LayerKind::Pool:
    return n * c * p * q * r * s;
  case LayerKind::Eltwise:
    return n * c * p * q * (inputs > 1 ? inputs - 1 : 1);
  }
  return 0;
}

bool Layer::sameShape(const Layer &o) const {
  return kind == o.kind && n == o.n && k == o.k && c == o.c && r == o.r &&
         s == o.s && p == o.p && q == o.q && stride_h == o.stride_h &&
         stride_w == o.stride_w && pad_h == o.pad_h && pad_w == o.pad_w &&
         dilation_h == o.dilation_h && dilation_w == o.dilation_w &&
         groups == o.groups && inputs == o.inputs;
}

namespace {

// Every dimension stays below 2^24 so products of a few never overflow.
constexpr int64_t kMaxDim = int64_t(1) << 24;

Status bad(const char *field, const std::string &message) {
  return Status::failure(std::string("layer.") + field + ": " + message);
}

Status checkPositive(const char *field, int64_t value) {
  if (value < 1 || value > kMaxDim)
    return bad(field, "must be between 1 and " + std::to_string(kMaxDim) +
                          " (got " + std::to_string(value) + ")");
  return Status::success();
}

} // namespace

Status validate(const Layer &l) {
  struct Field {
    const char *name;
    int64_t value;
  };
  const Field positive[] = {
      {"n", l.n},           {"k", l.k},
      {"c", l.c},           {"r", l.r},
      {"s", l.s},           {"p", l.p},
      {"q", l.q},           {"stride_h", l.stride_h},
      {"stride_w", l.stride_w}, {"dilation_h", l.dilation_h},
      {"dilation_w", l.dilation_w}, {"groups", l.groups},
      {"inputs", l.inputs}};
  for (const Field &f : positive)
    if (Status s = checkPositive(f.name, f.value); !s.ok())
      return s;
  if (l.pad_h < 0 || l.pad_h > kMaxDim)
    return bad("pad_h", "must be between 0 and " + std::to_string(kMaxDim) +
                            " (got " + std::to_string(l.pad_h) + ")");
  if (l.pad_w < 0 || l.pad_w > kMaxDim)
    return bad("pad_w", "must be between 0 and " + std::to_string(kMaxDim) +
                            " (got " + std::to_string(l.pad_w) + ")");
  if (l.c % l.groups != 0 || l.k % l.groups != 0)
    return bad("groups", "must divide c and k (got groups=" +
                             std::to_string(l.groups) + ", c=" +
                             std::to_string(l.c) +
                             ", k=" + std::to_string(l.k) + ")");
  if (l.kind == LayerKind::FC &&
      (l.r != 1 || l.s != 1 || l.p != 1 || l.q != 1 || l.groups != 1))
    return bad("kind", "fc layers have r=s=p=q=groups=1");
  if ((l.kind == LayerKind::Pool || l.kind == LayerKind::Eltwise) &&
      l.k != l.c)
    return bad("k", "pool and eltwise layers keep the channels (k must equal "
                    "c)");
  // Keeps every access count of the cost model far inside int64.
  double loopProduct = double(l.n) * l.k * l.c * l.r * l.s * l.p * l.q;
  if (loopProduct > double(int64_t(1) << 50))
    return bad("k", "layer too large (n*k*c*r*s*p*q must stay below 2^50)");
  // The unpadded input must have at least one row and column.
  if (l.paddedInputHeight() - 2 * l.pad_h < 1)
    return bad("pad_h", "padding leaves no input rows");
  if (l.paddedInputWidth() - 2 * l.pad_w < 1)
    return bad("pad_w", "padding leaves no input columns");
  return Status::success();
}

namespace {

const char *const kLayerKeys[] = {
    "name",   "n",          "k",          "c",          "r",
    "s",      "p",          "q",          "stride",     "stride_h",
    "stride_w", "pad",      "pad_h",      "pad_w",      "dilation",
    "dilation_h", "dilation_w", "groups", "inputs"};

std::string allowedKeys() {
  std::string out;
  for (const char *key : kLayerKeys) {
    if (!out.empty())
      out += ", ";
    out += key;
  }
  return out;
}

bool parseInt(const std::string &text, int64_t &value) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (*end != '\0' || errno != 0)
    return false;
  value = parsed;
  return true;
}

} // namespace

Expected<Layer> parseLayer(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string word;
  if (!(in >> word))
    return Status::failure(
        "layer: empty description (expected e.g. \"conv n=1 k=32 c=16 r=3 "
        "s=3 p=56 q=56 stride=1 pad=1\")");
  Layer layer;
  if (!parseLayerKind(word, layer.kind))
    return Status::failure("layer: unknown kind '" + word +
                           "' (expected conv, fc, pool or eltwise)");
  bool sawK = false, sawC = false;
  std::vector<std::string> seen;
  while (in >> word) {
    size_t eq = word.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::failure("layer: expected key=value, got '" + word + "'");
    std::string key = word.substr(0, eq), value = word.substr(eq + 1);
    for (const std::string &s : seen)
      if (s == key)
        return Status::failure("layer." + key + ": given twice");
    seen.push_back(key);
    if (key == "name") {
      layer.name = value;
      continue;
    }
    int64_t v = 0;
    bool known = false;
    for (const char *k : kLayerKeys)
      known = known || key == k;
    if (!known)
      return Status::failure("layer: unknown key '" + key + "' (expected " +
                             allowedKeys() + ")");
    if (!parseInt(value, v))
      return Status::failure("layer." + key + ": expected an integer (got '" +
                             value + "')");
    if (key == "n")
      layer.n = v;
    else if (key == "k")
      layer.k = v, sawK = true;
    else if (key == "c")
      layer.c = v, sawC = true;
    else if (key == "r")
      layer.r = v;
    else if (key == "s")
      layer.s = v;
    else if (key == "p")
      layer.p = v;
    else if (key == "q")
      layer.q = v;
    else if (key == "stride")
      layer.stride_h = layer.stride_w = v;
    else if (key == "stride_h")
      layer.stride_h = v;
    else if (key == "stride_w")
      layer.stride_w = v;
    else if (key == "pad")
      layer.pad_h = layer.pad_w = v;
    else if (key == "pad_h")
      layer.pad_h = v;
    else if (key == "pad_w")
      layer.pad_w = v;
    else if (key == "dilation")
      layer.dilation_h = layer.dilation_w = v;
    else if (key == "dilation_h")
      layer.dilation_h = v;
    else if (key == "dilation_w")
      layer.dilation_w = v;
    else if (key == "groups")
      layer.groups = v;
    else if (key == "inputs")
      layer.inputs = v;
  }
  if (!sawC)
    return Status::failure("layer.c: missing (input channels)");
  if (!sawK) {
    if (layer.usesArray())
      return Status::failure("layer.k: missing (output channels)");
    layer.k = layer.c; // pool/eltwise keep the channel count
  }
  if (Status s = validate(layer); !s.ok())
    return s;
  return layer;
}

std::string toString(const Layer &l) {
  std::ostringstream out;
  out << toString(l.kind);
  if (!l.name.empty())
    out << " name=" << l.name;
  out << " n=" << l.n << " k=" << l.k << " c=" << l.c;
  if (l.kind != LayerKind::FC) {
    out << " r=" << l.r << " s=" << l.s << " p=" << l.p << " q=" << l.q;
    if (l.stride_h == l.stride_w)
      out << " stride=" << l.stride_h;
    else
      out << " stride_h=" << l.stride_h << " stride_w=" << l.stride_w;
    if (l.pad_h == l.pad_w)
      out << " pad=" << l.pad_h;
    else
      out << " pad_h=" << l.pad_h << " pad_w=" << l.pad_w;
    if (l.dilation_h != 1 || l.dilation_w != 1) {
      if (l.dilation_h == l.dilation_w)
        out << " dilation=" << l.dilation_h;
      else
        out << " dilation_h=" << l.dilation_h
            << " dilation_w=" << l.dilation_w;
    }
    out << " groups=" << l.groups;
  }
  if (l.kind == LayerKind::Eltwise)
    out << " inputs=" << l.inputs;
  return out.str();
}

} // namespace hdx::cost
