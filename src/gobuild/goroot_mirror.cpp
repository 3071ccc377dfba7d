// SPDX-License-Identifier: Apache-2.0
#include "gobuild/goroot_mirror.hpp"

#include "common/digest.hpp"
#include "gobuild/link_mirror.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

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
  std::vector<fs::path> woven_dirs;
  for (const auto& pkg : woven_packages) woven_dirs.push_back(fs::path("src") / pkg);
  TRY(build_link_mirror(env.goroot, mirror, woven_dirs));
  return mirror;
}

}  // namespace goinstr::gobuild
