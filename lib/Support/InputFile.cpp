//===- InputFile.cpp - reading an input file without surprises -----------===//
#include "hdx/Support/InputFile.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

bool hdx::checkInputFile(const std::string &path, uint64_t maxBytes,
                         uint64_t &size, std::string &error) {
  struct stat status;
  if (::stat(path.c_str(), &status) != 0) {
    error = path + ": cannot open file (" + std::strerror(errno) + ")";
    return false;
  }
  if (S_ISDIR(status.st_mode)) {
    error = path + ": is a folder, not a file";
    return false;
  }
  if (!S_ISREG(status.st_mode)) {
    error = path + ": is not a regular file (pipes and devices are not read)";
    return false;
  }
  size = static_cast<uint64_t>(status.st_size);
  if (size > maxBytes) {
    error = path + ": is " + std::to_string(size) +
            " bytes, more than the " + std::to_string(maxBytes) +
            " this input may have";
    return false;
  }
  return true;
}

bool hdx::readInputFile(const std::string &path, uint64_t maxBytes,
                        std::string &contents, std::string &error) {
  uint64_t size = 0;
  if (!checkInputFile(path, maxBytes, size, error))
    return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open file (" + std::strerror(errno) + ")";
    return false;
  }
  contents.assign(size, '\0');
  in.read(contents.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) {
    error = path + ": cannot read file: it ended after " +
            std::to_string(in.gcount()) + " of " + std::to_string(size) +
            " bytes";
    return false;
  }
  return true;
}
