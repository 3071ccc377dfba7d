// SPDX-License-Identifier: Apache-2.0
#include "gobuild/third_party.hpp"

#include <algorithm>
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

// Mirror of module_dir with real directories down to each of `rels` (packages in the module).
Result<fs::path> module_mirror(const fs::path& module_dir, const std::vector<fs::path>& rels,
                               const fs::path& cache) {
  Sha256 key;
  key.add(module_dir.string());
  for (const auto& rel : rels) key.add(rel.string());
  fs::path mirror = cache / "mods" / key.hex().substr(0, 24);
  TRY(build_link_mirror(module_dir, mirror, rels));
  return mirror;
}

}  // namespace

Result<std::vector<ThirdPartyPackage>> locate_third_party(
    const std::vector<std::string>& import_paths, const GoEnv& env, const ModuleContext& mods,
    const fs::path& cache) {
  std::vector<ThirdPartyPackage> out;
  std::vector<fs::path> module_dirs;  // out[i]'s module directory
  for (const auto& path : import_paths) {
    if (!module_in_sums(path, mods.sums)) continue;
    std::vector<std::string> argv = {
        "go", "list", "-find", "-f",
        "{{.Dir}}\n{{with .Module}}{{.Path}}\n{{.Dir}}\n"
        "{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}"
        "{{end}}"};
    argv.insert(argv.end(), mods.flags.begin(), mods.flags.end());
    argv.push_back(path);
    // Quiet: a module go.sum lists but this build's graph lacks makes go list fail ("missing
    // go.sum entry"), which only means the program does not use the package.
    ASSIGN_OR_RETURN(Captured listed, run_capture(argv, mods.env, /*quiet=*/true));
    if (listed.exit_code != 0) continue;
    std::istringstream lines(listed.out);
    std::string pkg_dir, module, module_dir, version;
    std::getline(lines, pkg_dir);
    std::getline(lines, module);
    std::getline(lines, module_dir);
    std::getline(lines, version);
    if (pkg_dir.empty() || module.empty()) continue;
    out.push_back(ThirdPartyPackage{path, pkg_dir, module, version, {}});
    module_dirs.emplace_back(module_dir);
  }
  // One mirror per module, with real directories down to each of its woven packages (grpc has
  // two: the root package and internal/transport).
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].replace_with.empty() || !beneath(module_dirs[i], env.gomodcache)) continue;
    std::vector<size_t> same;
    std::vector<fs::path> rels;
    for (size_t j = i; j < out.size(); ++j) {
      if (module_dirs[j] != module_dirs[i]) continue;
      same.push_back(j);
      rels.push_back(fs::path(out[j].dir).lexically_relative(module_dirs[i]));
    }
    ASSIGN_OR_RETURN(fs::path mirror, module_mirror(module_dirs[i], rels, cache));
    for (size_t k = 0; k < same.size(); ++k) {
      out[same[k]].replace_with = mirror;
      out[same[k]].dir = (mirror / rels[k]).lexically_normal();
    }
  }
  return out;
}

Result<fs::path> modfile_with_replacements(const fs::path& modfile,
                                           const std::vector<ThirdPartyPackage>& packages,
                                           const fs::path& cache) {
  std::vector<std::string> edits;
  for (const auto& p : packages) {
    std::string edit = "-replace=" + p.module + "=" + p.replace_with.string();
    if (!p.replace_with.empty() && std::find(edits.begin(), edits.end(), edit) == edits.end())
      edits.push_back(edit);
  }
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
