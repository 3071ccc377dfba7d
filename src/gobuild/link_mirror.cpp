// SPDX-License-Identifier: Apache-2.0
#include "gobuild/link_mirror.hpp"

#include <unistd.h>

#include "gobuild/go_env.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCompleteMarker = ".goinstr-complete";

// Fills `mirror` with links to every entry of `real`.
Result<> link_entries(const fs::path& real, const fs::path& mirror) {
  std::error_code ec;
  fs::create_directories(mirror, ec);
  if (ec) return fail("cannot create " + mirror.string() + ": " + ec.message());
  for (const auto& e : fs::directory_iterator(real, ec)) {
    fs::path link = mirror / e.path().filename();
    if (fs::exists(fs::symlink_status(link))) continue;
    fs::create_symlink(e.path(), link, ec);
    if (ec) return fail("cannot link " + link.string() + ": " + ec.message());
  }
  if (ec) return fail("cannot list " + real.string() + ": " + ec.message());
  return {};
}

// Makes mirror/rel a real directory (its parents too), each level filled with links.
Result<> make_real(const fs::path& real_root, const fs::path& mirror_root, const fs::path& rel) {
  fs::path real = real_root, mirror = mirror_root;
  for (const auto& part : rel) {
    if (part.empty() || part == ".") continue;
    real /= part;
    mirror /= part;
    if (fs::is_symlink(mirror)) fs::remove(mirror);
    TRY(link_entries(real, mirror));
  }
  return {};
}

}  // namespace

Result<> build_link_mirror(const fs::path& real, const fs::path& mirror,
                           const std::vector<fs::path>& real_subdirs) {
  if (fs::exists(mirror / kCompleteMarker)) return {};
  fs::path staging = mirror;
  staging += ".tmp" + std::to_string(getpid());
  fs::remove_all(staging);
  TRY(link_entries(real, staging));
  for (const auto& rel : real_subdirs) TRY(make_real(real, staging, rel));
  TRY(write_file_atomic(staging / kCompleteMarker, real.string()));
  std::error_code ec;
  fs::remove_all(mirror, ec);  // an incomplete one, left by a build that was killed
  fs::rename(staging, mirror, ec);
  if (ec && !fs::exists(mirror / kCompleteMarker))
    return fail("cannot create " + mirror.string() + ": " + ec.message());
  fs::remove_all(staging);
  return {};
}

}  // namespace goinstr::gobuild
