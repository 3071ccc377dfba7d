// SPDX-License-Identifier: Apache-2.0
// Mirrors of read-only trees (a downloaded GOROOT, a module in the module cache) made of
// symbolic links, so the go command accepts overlays for the files goinstr weaves there: it
// refuses overlays beneath GOMODCACHE, but a link farm elsewhere is an ordinary directory.
#pragma once

#include <filesystem>
#include <vector>

#include "common/result.hpp"

namespace goinstr::gobuild {

// Makes `mirror` a directory of links to every entry of `real`, except that each path in
// `real_subdirs` (relative to `real`), and its parents, are real directories of links, where
// woven files can be overlaid. Built beside `mirror` and renamed into place, so a concurrent
// build never sees half a mirror; an existing complete mirror is reused as it is.
Result<> build_link_mirror(const std::filesystem::path& real, const std::filesystem::path& mirror,
                           const std::vector<std::filesystem::path>& real_subdirs);

}  // namespace goinstr::gobuild
