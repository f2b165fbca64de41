//===- StagingFolder.cpp - outputs that appear all at once ----------------===//
#include "hdx/Support/StagingFolder.h"

#include <unistd.h>

#include <vector>

namespace fs = std::filesystem;

namespace hdx {

StagingFolder::StagingFolder(const std::string &outDir, const std::string &tool)
    : outDir_(outDir),
      path_(fs::path(outDir) /
            ("." + tool + "-staging-" + std::to_string(::getpid()))) {
  std::error_code ec;
  fs::create_directories(outDir_, ec);
  if (ec) {
    error_ = "cannot create output folder '" + outDir + "': " + ec.message();
    return;
  }
  fs::remove_all(path_, ec);
  fs::create_directories(path_, ec);
  if (ec)
    error_ = "cannot create '" + path_.string() + "': " + ec.message();
}

StagingFolder::~StagingFolder() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string StagingFolder::commit() {
  std::error_code ec;
  std::vector<fs::path> names;
  for (const fs::directory_entry &entry : fs::directory_iterator(path_, ec))
    names.push_back(entry.path().filename());
  if (ec)
    return "cannot read '" + path_.string() + "': " + ec.message();
  for (size_t i = 0; i < names.size(); ++i) {
    fs::rename(path_ / names[i], outDir_ / names[i], ec);
    if (!ec)
      continue;
    std::error_code ignored;
    for (size_t j = 0; j < i; ++j)
      fs::remove(outDir_ / names[j], ignored);
    return "cannot move '" + names[i].string() + "' into '" +
           outDir_.string() + "': " + ec.message();
  }
  return "";
}

} // namespace hdx
