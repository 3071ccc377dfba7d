// SPDX-License-Identifier: Apache-2.0
#include "gobuild/third_party.hpp"

#include <sstream>

#include "common/digest.hpp"
#include "gobuild/link_mirror.hpp"
#include "gobuild/process.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

// Whether some prefix of `import_path` (at a '/') is a module the sums list.
bool module_in_sums(const std::string& import_path, const std::string& sums) {
  for (size_t slash = import_path.size(); slash != std::string::npos && slash > 0;
       slash = import_path.rfind('/', slash - 1)) {
    std::string module = import_path.substr(0, slash) + " ";
    if (sums.starts_with(module) || sums.find("\n" + module) != std::string::npos) return true;
    if (slash == 0) break;
  }
  return false;
}

bool beneath(const fs::path& path, const fs::path& dir) {
  if (dir.empty()) return false;
  auto rel = path.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

// Mirror of module_dir with real directories down to rel (the package inside the module).
Result<fs::path> module_mirror(const fs::path& module_dir, const fs::path& rel,
                               const fs::path& cache) {
  fs::path mirror =
      cache / "mods" / Sha256().add(module_dir.string()).add(rel.string()).hex().substr(0, 24);
  TRY(build_link_mirror(module_dir, mirror, {rel}));
  return mirror;
}

}  // namespace

Result<std::vector<ThirdPartyPackage>> locate_third_party(
    const std::vector<std::string>& import_paths, const GoEnv& env, const ModuleContext& mods,
    const fs::path& cache) {
  std::vector<ThirdPartyPackage> out;
  for (const auto& path : import_paths) {
    if (!module_in_sums(path, mods.sums)) continue;
    std::vector<std::string> argv = {"go", "list", "-find", "-f",
                                     "{{.Dir}}\n{{with .Module}}{{.Path}}\n{{.Dir}}{{end}}"};
    argv.insert(argv.end(), mods.flags.begin(), mods.flags.end());
    argv.push_back(path);
    ASSIGN_OR_RETURN(Captured listed, run_capture(argv, mods.env));
    if (listed.exit_code != 0) continue;  // listed in go.sum, but not in this build's graph
    std::istringstream lines(listed.out);
    std::string pkg_dir, module, module_dir;
    std::getline(lines, pkg_dir);
    std::getline(lines, module);
    std::getline(lines, module_dir);
    if (pkg_dir.empty() || module.empty()) continue;
    ThirdPartyPackage p{path, pkg_dir, module, {}};
    if (beneath(module_dir, env.gomodcache)) {
      fs::path rel = fs::path(pkg_dir).lexically_relative(module_dir);
      ASSIGN_OR_RETURN(p.replace_with, module_mirror(module_dir, rel, cache));
      p.dir = (p.replace_with / rel).lexically_normal();
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<fs::path> modfile_with_replacements(const fs::path& modfile,
                                           const std::vector<ThirdPartyPackage>& packages,
                                           const fs::path& cache) {
  std::vector<std::string> edits;
  for (const auto& p : packages)
    if (!p.replace_with.empty())
      edits.push_back("-replace=" + p.module + "=" + p.replace_with.string());
  if (edits.empty()) return modfile;
  ASSIGN_OR_RETURN(std::string mod_text, read_file(modfile));
  fs::path sum = modfile;
  sum.replace_extension(".sum");
  std::string sum_text;
  if (fs::exists(sum)) {
    ASSIGN_OR_RETURN(sum_text, read_file(sum));
  }
  Sha256 key;
  key.add(mod_text).add(sum_text);
  for (const auto& e : edits) key.add(e);
  fs::path dir = cache / "mod" / key.hex().substr(0, 24);
  fs::path out = dir / "go.mod";
  if (fs::exists(dir / ".complete")) return out;
  TRY(write_file_atomic(out, mod_text));
  TRY(write_file_atomic(dir / "go.sum", sum_text));
  std::vector<std::string> argv = {"go", "mod", "edit", "-modfile=" + out.string()};
  argv.insert(argv.end(), edits.begin(), edits.end());
  TRY(run_checked(argv));
  TRY(write_file_atomic(dir / ".complete", ""));
  return out;
}

}  // namespace goinstr::gobuild
