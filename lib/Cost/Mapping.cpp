//===- Mapping.cpp - Mappings: text form, tiles and legality --------------===//
#include "hdx/Cost/Mapping.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace hdx::cost {

Permutation identityPermutation() { return {N, K, C, R, S, P, Q}; }

std::string toString(const Permutation &perm) {
  std::string text;
  for (Dim d : perm)
    text += dimLetter(d);
  return text;
}

Status parsePermutation(std::string_view text, Permutation &perm) {
  if (text.size() != kNumDims)
    return Status::failure("permutation '" + std::string(text) +
                           "' must have 7 letters (a permutation of NKCRSPQ)");
  uint32_t seen = 0;
  for (int i = 0; i < kNumDims; ++i) {
    Dim d;
    if (!parseDim(text[i], d))
      return Status::failure("permutation '" + std::string(text) +
                             "': unknown dimension '" + text[i] +
                             "' (expected N, K, C, R, S, P or Q)");
    if (seen & (1u << d))
      return Status::failure("permutation '" + std::string(text) +
                             "': dimension '" + dimLetter(d) +
                             "' appears twice");
    seen |= 1u << d;
    perm[i] = d;
  }
  return Status::success();
}

Mapping::Mapping() {
  for (auto &level : factors)
    level.fill(1);
  spatial_rows.fill(1);
  spatial_cols.fill(1);
  permutation.fill(identityPermutation());
}

int64_t Mapping::coverage(Dim d) const {
  return factors[DRAM][d] * factors[GLB][d] * factors[RF][d] * spatial(d);
}

int64_t Mapping::usedPEs() const {
  int64_t product = 1;
  for (int d = 0; d < kNumDims; ++d)
    product *= spatial(static_cast<Dim>(d));
  return product;
}

bool Mapping::operator==(const Mapping &o) const {
  return factors == o.factors && spatial_rows == o.spatial_rows &&
         spatial_cols == o.spatial_cols && permutation == o.permutation;
}

namespace {

std::string factorList(const PerDim<int64_t> &values) {
  std::string text = "[";
  for (int d = 0; d < kNumDims; ++d) {
    if (d > 0)
      text += ',';
    text += std::to_string(values[d]);
  }
  return text + "]";
}

Status parseFactorList(const std::string &field, const std::string &text,
                       PerDim<int64_t> &values) {
  std::string body = text;
  if (body.size() < 2 || body.front() != '[' || body.back() != ']')
    return Status::failure("mapping." + field +
                           ": expected 7 factors like [1,2,1,1,1,7,7]");
  body = body.substr(1, body.size() - 2);
  std::istringstream in(body);
  std::string item;
  int count = 0;
  while (std::getline(in, item, ',')) {
    if (count == kNumDims)
      return Status::failure("mapping." + field + ": more than 7 factors");
    errno = 0;
    char *end = nullptr;
    long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || errno != 0 || v < 1)
      return Status::failure("mapping." + field +
                             ": factors must be positive integers (got '" +
                             item + "')");
    values[count++] = v;
  }
  if (count != kNumDims)
    return Status::failure("mapping." + field + ": expected 7 factors (got " +
                           std::to_string(count) + ")");
  return Status::success();
}

} // namespace

std::string toString(const Mapping &m) {
  return "dram=" + factorList(m.factors[DRAM]) +
         " glb=" + factorList(m.factors[GLB]) +
         " rf=" + factorList(m.factors[RF]) +
         " rows=" + factorList(m.spatial_rows) +
         " cols=" + factorList(m.spatial_cols) +
         " dram_order=" + toString(m.permutation[DRAM]) +
         " glb_order=" + toString(m.permutation[GLB]) +
         " rf_order=" + toString(m.permutation[RF]);
}

Expected<Mapping> parseMapping(std::string_view text) {
  static const char *const fields[] = {"dram", "glb",        "rf",
                                       "rows", "cols",       "dram_order",
                                       "glb_order", "rf_order"};
  Mapping m;
  uint32_t seen = 0;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    size_t eq = word.find('=');
    std::string key = word.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    int index = -1;
    for (int i = 0; i < 8; ++i)
      if (key == fields[i])
        index = i;
    if (index < 0 || eq == std::string::npos)
      return Status::failure("mapping: unknown field '" + word +
                             "' (expected dram, glb, rf, rows, cols, "
                             "dram_order, glb_order, rf_order as key=value)");
    if (seen & (1u << index))
      return Status::failure("mapping." + key + ": given twice");
    seen |= 1u << index;
    Status status;
    switch (index) {
    case 0:
    case 1:
    case 2:
      status = parseFactorList(key, value, m.factors[index]);
      break;
    case 3:
      status = parseFactorList(key, value, m.spatial_rows);
      break;
    case 4:
      status = parseFactorList(key, value, m.spatial_cols);
      break;
    default:
      status = parsePermutation(value, m.permutation[index - 5]);
      if (!status.ok())
        status = Status::failure("mapping." + key + ": " + status.error());
    }
    if (!status.ok())
      return status;
  }
  for (int i = 0; i < 8; ++i)
    if (!(seen & (1u << i)))
      return Status::failure(std::string("mapping.") + fields[i] +
                             ": missing");
  return m;
}

std::array<int64_t, kNumDataTypes> tileWords(const LoopNest &nest,
                                             const Mapping &m, Level level) {
  PerDim<int64_t> e;
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    int64_t extent = nest.bound[d];
    if (level == RF)
      extent = m.factors[RF][d];
    else if (level == GLB)
      extent = m.factors[RF][d] * m.spatial(d) * m.factors[GLB][d];
    e[d] = std::min(extent, nest.bound[d]);
  }
  int64_t channels = e[C] * (nest.inputs_depend_on_k ? e[K] : 1);
  return {e[K] * e[C] * e[R] * e[S],
          e[N] * channels *
              windowFootprint(e[P], e[R], nest.stride_h, nest.dilation_h) *
              windowFootprint(e[Q], e[S], nest.stride_w, nest.dilation_w),
          e[N] * e[K] * e[P] * e[Q]};
}

int64_t glbWordsNeeded(const LoopNest &nest, const Mapping &m) {
  std::array<int64_t, kNumDataTypes> words = tileWords(nest, m, GLB);
  int64_t total = 0;
  for (int t = 0; t < kNumDataTypes; ++t) {
    // The tile changes iff a DRAM loop over a dimension it depends on runs.
    bool changes = false;
    for (int d = 0; d < kNumDims; ++d)
      changes = changes || (m.factors[DRAM][d] > 1 &&
                            nest.relevant(static_cast<DataType>(t),
                                          static_cast<Dim>(d)));
    total += words[t] * (changes ? 2 : 1);
  }
  return total;
}

bool fitsBuffers(const Accelerator &accel, const LoopNest &nest,
                 const Mapping &m) {
  std::array<int64_t, kNumDataTypes> rf = tileWords(nest, m, RF);
  if ((rf[0] + rf[1] + rf[2]) * accel.wordBytes() > accel.rf_bytes)
    return false;
  return glbWordsNeeded(nest, m) * accel.wordBytes() <= accel.glb_kib * 1024.0;
}

Status checkStructure(const Accelerator &accel, const LoopNest &nest,
                      const Mapping &m) {
  for (int level = 0; level < kNumLevels; ++level) {
    uint32_t seen = 0;
    for (Dim d : m.permutation[level]) {
      if (d < 0 || d >= kNumDims || (seen & (1u << d)))
        return Status::failure(std::string("mapping.") +
                               (level == DRAM  ? "dram_order"
                                : level == GLB ? "glb_order"
                                               : "rf_order") +
                               ": not a permutation of NKCRSPQ");
      seen |= 1u << d;
    }
  }
  int64_t rows = 1, cols = 1;
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    std::string letter(1, dimLetter(d));
    for (int level = 0; level < kNumLevels; ++level)
      if (m.factors[level][d] < 1)
        return Status::failure(std::string("mapping.") +
                               (level == DRAM  ? "dram"
                                : level == GLB ? "glb"
                                               : "rf") +
                               ": factor of " + letter + " must be >= 1");
    if (m.spatial_rows[d] < 1 || m.spatial_cols[d] < 1)
      return Status::failure("mapping: spatial factor of " + letter +
                             " must be >= 1");
    // Bounded factors keep every count of the cost model inside int64.
    int64_t coverage = 1;
    bool tooLarge = false;
    for (int64_t f : {m.factors[DRAM][d], m.factors[GLB][d], m.factors[RF][d],
                      m.spatial_rows[d], m.spatial_cols[d]})
      tooLarge = tooLarge || f > nest.bound[d] ||
                 __builtin_mul_overflow(coverage, f, &coverage);
    if (tooLarge || coverage > 2 * nest.bound[d])
      return Status::failure("mapping: factors of " + letter +
                             " pad its bound " +
                             std::to_string(nest.bound[d]) +
                             " more than twice over");
    if (coverage < nest.bound[d])
      return Status::failure("mapping: factors of " + letter + " cover " +
                             std::to_string(coverage) + " < bound " +
                             std::to_string(nest.bound[d]));
    rows *= m.spatial_rows[d];
    cols *= m.spatial_cols[d];
  }
  if (rows > accel.pe_rows)
    return Status::failure("mapping.rows: unrolls " + std::to_string(rows) +
                           " > pe_rows " + std::to_string(accel.pe_rows));
  if (cols > accel.pe_cols)
    return Status::failure("mapping.cols: unrolls " + std::to_string(cols) +
                           " > pe_cols " + std::to_string(accel.pe_cols));
  return Status::success();
}

DataflowRules dataflowRules(Dataflow dataflow) {
  auto bits = [](std::initializer_list<Dim> dims) {
    uint32_t mask = 0;
    for (Dim d : dims)
      mask |= 1u << d;
    return mask;
  };
  DataflowRules rules;
  switch (dataflow) {
  case Dataflow::WS: // rows reduce over C/R/S, columns hold output channels
    rules.row_dims = bits({C, R, S});
    rules.col_dims = bits({K});
    rules.stationary = Weights;
    break;
  case Dataflow::OS: // each PE owns output pixels/channels
    rules.row_dims = bits({K, P});
    rules.col_dims = bits({K, N, Q});
    rules.stationary = Outputs;
    break;
  case Dataflow::RS: // Eyeriss: filter rows on PE rows, output rows on cols
    rules.row_dims = bits({R, C, K});
    rules.col_dims = bits({P, N, K});
    rules.stationary = Outputs;
    rules.row_stationary = true;
    break;
  }
  return rules;
}

namespace {

std::string allowedList(uint32_t mask) {
  std::string text;
  for (int d = 0; d < kNumDims; ++d)
    if (mask & (1u << d)) {
      if (!text.empty())
        text += ", ";
      text += dimLetter(static_cast<Dim>(d));
    }
  return text;
}

} // namespace

Status checkDataflow(const Accelerator &accel, const LoopNest &nest,
                     const Mapping &m) {
  DataflowRules rules = dataflowRules(accel.dataflow);
  const char *df = toString(accel.dataflow);
  for (int i = 0; i < kNumDims; ++i) {
    Dim d = static_cast<Dim>(i);
    if (m.spatial_rows[d] > 1 && !rules.allowsRow(d))
      return Status::failure(std::string("mapping.rows: ") + dimLetter(d) +
                             " cannot be unrolled over rows in a " + df +
                             " array (allowed: " +
                             allowedList(rules.row_dims) + ")");
    if (m.spatial_cols[d] > 1 && !rules.allowsCol(d))
      return Status::failure(std::string("mapping.cols: ") + dimLetter(d) +
                             " cannot be unrolled over columns in a " + df +
                             " array (allowed: " +
                             allowedList(rules.col_dims) + ")");
  }
  // The stationary tensor's irrelevant RF loops are innermost, so the value
  // in the PE's operand register is reused across them.
  bool sawIrrelevant = false;
  for (Dim d : m.permutation[RF]) {
    if (m.factors[RF][d] <= 1)
      continue;
    bool rel = nest.relevant(rules.stationary, d);
    if (!rel)
      sawIrrelevant = true;
    else if (sawIrrelevant)
      return Status::failure(
          std::string("mapping.rf_order: in a ") + df + " array the " +
          dataTypeName(rules.stationary) + " stay in the PE, so loops over " +
          "dimensions they do not use must be innermost (" + dimLetter(d) +
          " is inside one)");
  }
  if (rules.row_stationary) {
    if (nest.bound[R] <= accel.pe_rows && m.spatial_rows[R] != nest.bound[R])
      return Status::failure(
          "mapping.rows: an rs array spreads all " +
          std::to_string(nest.bound[R]) +
          " filter rows (R) over PE rows (got " +
          std::to_string(m.spatial_rows[R]) + ")");
    if (m.factors[RF][S] != nest.bound[S])
      return Status::failure("mapping.rf: an rs PE holds a whole filter row "
                             "(RF factor of S must be " +
                             std::to_string(nest.bound[S]) + ")");
  }
  return Status::success();
}

Status checkMapping(const Accelerator &accel, const LoopNest &nest,
                    const Mapping &m) {
  if (Status s = checkStructure(accel, nest, m); !s.ok())
    return s;
  if (Status s = checkDataflow(accel, nest, m); !s.ok())
    return s;
  if (fitsBuffers(accel, nest, m))
    return Status::success();
  std::array<int64_t, kNumDataTypes> rf = tileWords(nest, m, RF);
  double rfBytes = (rf[0] + rf[1] + rf[2]) * accel.wordBytes();
  if (rfBytes > accel.rf_bytes)
    return Status::failure(
        "mapping.rf: tiles need " + std::to_string(rf[0] + rf[1] + rf[2]) +
        " words (weights " + std::to_string(rf[0]) + ", inputs " +
        std::to_string(rf[1]) + ", outputs " + std::to_string(rf[2]) +
        ") but rf_bytes " + std::to_string(accel.rf_bytes) + " holds " +
        std::to_string(static_cast<int64_t>(accel.rf_bytes /
                                            accel.wordBytes())));
  int64_t glbWords = glbWordsNeeded(nest, m);
  if (glbWords * accel.wordBytes() > accel.glb_kib * 1024.0)
    return Status::failure(
        "mapping.glb: double-buffered tiles need " + std::to_string(glbWords) +
        " words but glb_kib " + std::to_string(accel.glb_kib) + " holds " +
        std::to_string(static_cast<int64_t>(accel.glb_kib * 1024.0 /
                                            accel.wordBytes())));
  return Status::success();
}

} // namespace hdx::cost
