//===- AtomicFile.h - Writing output files atomically -----------*- C++ -*-===//
//
// Outputs are written to a temporary file in the destination's folder, synced
// and renamed over the destination, so a failed or interrupted run leaves
// either the old file or the complete new one, never a partial file.
//
//===----------------------------------------------------------------------===//
#ifndef HDX_SEARCH_ATOMICFILE_H
#define HDX_SEARCH_ATOMICFILE_H

#include "hdx/Search/Result.h"

#include <string>

namespace hdx::search {

/// Replaces the file at `path` with `bytes` atomically (mode 0644).
Status writeFileAtomically(const std::string &path, const std::string &bytes);

} // namespace hdx::search

#endif // HDX_SEARCH_ATOMICFILE_H
