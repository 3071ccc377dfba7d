// SPDX-License-Identifier: Apache-2.0
#include "gobuild/goroot_mirror.hpp"

#include <unistd.h>

#include "common/digest.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

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
    real /= part;
    mirror /= part;
    if (fs::is_symlink(mirror)) fs::remove(mirror);
    TRY(link_entries(real, mirror));
  }
  return {};
}

}  // namespace

bool goroot_in_module_cache(const GoEnv& env) {
  if (env.gomodcache.empty()) return false;
  auto rel =
      fs::weakly_canonical(env.goroot).lexically_relative(fs::weakly_canonical(env.gomodcache));
  return !rel.empty() && *rel.begin() != "..";
}

Result<fs::path> goroot_mirror(const GoEnv& env, const fs::path& cache,
                               const std::vector<std::string>& woven_packages) {
  Sha256 key;
  key.add(env.goroot.string());
  for (const auto& p : woven_packages) key.add(p);
  fs::path mirror = cache / "goroot" / (env.goversion + "-" + key.hex().substr(0, 12));
  if (fs::exists(mirror / ".complete")) return mirror;
  // Built beside and renamed into place, so a concurrent build never sees half a mirror.
  fs::path staging = mirror;
  staging += ".tmp" + std::to_string(getpid());
  fs::remove_all(staging);
  TRY(link_entries(env.goroot, staging));
  for (const auto& pkg : woven_packages) TRY(make_real(env.goroot, staging, fs::path("src") / pkg));
  TRY(write_file_atomic(staging / ".complete", env.goroot.string()));
  std::error_code ec;
  fs::rename(staging, mirror, ec);
  if (ec && !fs::exists(mirror / ".complete"))
    return fail("cannot create " + mirror.string() + ": " + ec.message());
  fs::remove_all(staging);
  return mirror;
}

}  // namespace goinstr::gobuild
