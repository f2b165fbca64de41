//===- AtomicFile.h - output files that are whole or absent -----*- C++ -*-===//
#ifndef HDX_SUPPORT_ATOMICFILE_H
#define HDX_SUPPORT_ATOMICFILE_H

#include <string>

namespace hdx {

/// Writes `bytes` to `path` through a temporary file beside it that is
/// flushed and renamed into place: readers see the old file or the whole new
/// one, never a part, and a failure leaves no temporary behind. Returns an
/// empty string, or an error message naming the path.
std::string writeFileAtomically(const std::string &path,
                                const std::string &bytes);

} // namespace hdx

#endif // HDX_SUPPORT_ATOMICFILE_H
