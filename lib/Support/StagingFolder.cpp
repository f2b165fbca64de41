//===- StagingFolder.cpp - outputs that appear all at once ----------------===//
#include "hdx/Support/StagingFolder.h"

#include <unistd.h>

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
  for (const fs::directory_entry &entry : fs::directory_iterator(path_, ec)) {
    fs::rename(entry.path(), outDir_ / entry.path().filename(), ec);
    if (ec)
      return "cannot move '" + entry.path().filename().string() + "' into '" +
             outDir_.string() + "': " + ec.message();
  }
  if (ec)
    return "cannot read '" + path_.string() + "': " + ec.message();
  return "";
}

} // namespace hdx
