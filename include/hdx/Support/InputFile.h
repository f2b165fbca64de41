//===- InputFile.h - reading an input file without surprises ----*- C++ -*-===//
//
// Configuration files, accelerator and technology YAML are read whole. Given
// a FIFO the read would block forever, given /dev/zero it would never end,
// given a folder the error would come from the parser ("expected a map").
// readInputFile refuses all of them, and files beyond a size no real input
// reaches, before reading a byte.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SUPPORT_INPUTFILE_H
#define HDX_SUPPORT_INPUTFILE_H

#include <cstdint>
#include <string>

namespace hdx {

/// Text inputs (YAML) beyond this are refused.
constexpr uint64_t kMaxTextInputBytes = uint64_t{64} << 20;

/// Checks, without reading it, that `path` (symbolic links followed) is a
/// regular file of at most `maxBytes`; its size goes to `size`. Fails, with
/// `error` = "PATH: reason", otherwise.
bool checkInputFile(const std::string &path, uint64_t maxBytes, uint64_t &size,
                    std::string &error);

/// Reads all of `path` (symbolic links followed) into `contents`. Fails,
/// with `error` = "PATH: reason", when it cannot be opened,
/// is not a regular file, is larger than `maxBytes`, or a read fails.
bool readInputFile(const std::string &path, uint64_t maxBytes,
                   std::string &contents, std::string &error);

} // namespace hdx

#endif // HDX_SUPPORT_INPUTFILE_H
