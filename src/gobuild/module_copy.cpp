// SPDX-License-Identifier: Apache-2.0
#include "gobuild/module_copy.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "common/digest.hpp"
#include "gobuild/identity_check.hpp"
#include "gobuild/otel_use.hpp"
#include "gobuild/process.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

using Replaces = std::vector<std::pair<std::string, fs::path>>;

std::string read_if_exists(const fs::path& path) {
  auto text = read_file(path);
  return text ? *text : std::string();
}

// Adds to `key` the go.mod of each directory `mod_text` (a go.mod or go.work) replaces a module
// with: their requirements are part of the graph, so a change there must check again.
void add_local_replacements(Sha256& key, std::string_view mod_text, const fs::path& base) {
  for (size_t at = 0; at < mod_text.size();) {
    size_t end = std::min(mod_text.find('\n', at), mod_text.size());
    std::string_view line = mod_text.substr(at, end - at);
    at = end + 1;
    size_t arrow = line.find("=>");
    if (arrow == std::string_view::npos) continue;
    std::string_view target = line.substr(arrow + 2);
    target = target.substr(0, target.find("//"));
    size_t b = target.find_first_not_of(" \t\"");
    size_t e = target.find_last_not_of(" \t\r\"");
    if (b == std::string_view::npos) continue;
    target = target.substr(b, e - b + 1);
    if (!target.starts_with("./") && !target.starts_with("../") && !target.starts_with("/"))
      continue;  // a module path and version: its go.mod is fixed by the sums
    key.add(read_if_exists(base / std::string(target) / "go.mod"));
  }
}

// Plain and woven identity, the verdict saved under `dir` whatever it is.
Result<> verify_and_save(const fs::path& dir, const RuntimeModule& rt, const BuildIdentity& plain,
                         const BuildIdentity& woven, const std::vector<std::string>& woven_flags,
                         const std::vector<std::string>& woven_env) {
  ASSIGN_OR_RETURN(std::string error, check_identity(plain, woven, woven_flags, woven_env));
  TRY(save_verdict(dir, {rt, error}));
  if (!error.empty()) return fail(error);
  return {};
}

// The user's go.work as `go work edit -json` reads it.
struct Workspace {
  nlohmann::json work;
  fs::path base;  // go.work's directory: relative paths are relative to it
  std::string sum_text;
};

Result<Workspace> read_workspace(const GoEnv& env) {
  ASSIGN_OR_RETURN(std::string json,
                   run_checked({"go", "work", "edit", "-json", env.gowork.string()}));
  auto work = nlohmann::json::parse(json, nullptr, false);
  if (work.is_discarded()) return fail("`go work edit -json` printed something that is not JSON");
  fs::path sum = env.gowork;
  sum += ".sum";
  return Workspace{work, env.gowork.parent_path(), read_if_exists(sum)};
}

Result<WorkspaceFiles> write_workfile(const Workspace& ws, const RuntimeModule& rt,
                                      const fs::path& cache, const Replaces& replaces) {
  auto absolute = [&](const std::string& p) {
    fs::path path(p);
    return (path.is_absolute() ? path : (ws.base / path).lexically_normal()).string();
  };
  auto quoted = [](const std::string& s) { return nlohmann::json(s).dump(); };
  const nlohmann::json& work = ws.work;
  WorkspaceFiles files;
  files.rt = rt;
  std::string text = "go " + work.value("Go", std::string()) + "\n";
  if (work.contains("Toolchain") && work["Toolchain"].is_string())
    text += "toolchain " + work["Toolchain"].get<std::string>() + "\n";
  for (const auto& use : work.value("Use", nlohmann::json::array())) {
    std::string dir = absolute(use.value("DiskPath", ""));
    files.module_roots.emplace_back(dir);
    text += "use " + quoted(dir) + "\n";
  }
  text += "use " + quoted(rt.dir.string()) + "\n";
  for (const auto& r : work.value("Replace", nlohmann::json::array())) {
    const auto& from = r["Old"];
    const auto& to = r["New"];
    std::string old = quoted(from.value("Path", ""));
    if (from.contains("Version")) old += " " + from["Version"].get<std::string>();
    std::string target;
    if (to.contains("Version")) {
      target = quoted(to.value("Path", "")) + " " + to["Version"].get<std::string>();
    } else {
      target = quoted(absolute(to.value("Path", "")));
    }
    text += "replace " + old + " => " + target + "\n";
  }
  for (const auto& [module, dir] : replaces)
    text += "replace " + quoted(module) + " => " + quoted(dir.string()) + "\n";
  fs::path dir = cache / "work" / Sha256().add(text).add(ws.sum_text).hex().substr(0, 24);
  files.gowork = dir / "go.work";
  if (!fs::exists(files.gowork)) {
    // The go command adds the sums the runtime needs to this go.work.sum as it goes.
    TRY(write_file_atomic(dir / "go.work.sum", ws.sum_text));
    TRY(write_file_atomic(files.gowork, text));
  }
  return files;
}

}  // namespace

Result<ModuleFiles> prepare_modfile(const GoEnv& env, const fs::path& cache,
                                    const fs::path& user_modfile) {
  fs::path gomod = user_modfile.empty() ? env.gomod : user_modfile;
  fs::path gosum = gomod;
  gosum.replace_extension(".sum");
  ASSIGN_OR_RETURN(std::string mod_text, read_file(gomod));
  std::string sum_text = read_if_exists(gosum);
  Sha256 key;
  // The recipe's version: bump it whenever the steps below change what the copy holds.
  key.add("modfile-recipe-4").add(gomod.string()).add(mod_text).add(sum_text);
  add_local_replacements(key, mod_text, env.gomod.parent_path());
  const bool uses_otel = program_imports_opentelemetry({env.gomod.parent_path()});
  key.add(uses_otel ? "otel" : "no-otel");
  key.add(embedded_runtime_digest()).add(env.goversion);
  fs::path dir = cache / "mod" / key.hex().substr(0, 24);
  ModuleFiles files{dir / "go.mod", {}, false};
  if (auto verdict = load_verdict(dir)) {
    if (!verdict->error.empty()) return fail(verdict->error);
    files.rt = verdict->rt;
    files.reused = true;
    return files;
  }
  // The plain build's identity. -mod=readonly overrides GOFLAGS: the go command must never
  // write the user's go.mod, and vendor mode cannot list `all`.
  std::vector<std::string> plain_flags = {"-mod=readonly"};
  if (!user_modfile.empty()) plain_flags.push_back("-modfile=" + user_modfile.string());
  BuildIdentity plain{go_directive(mod_text), {}};
  ASSIGN_OR_RETURN(plain.modules, list_modules(plain_flags, {}, "your build"));
  ASSIGN_OR_RETURN(RuntimeRequirements req,
                   choose_runtime_requirements(plain.go_line, plain.modules, uses_otel));
  ASSIGN_OR_RETURN(files.rt, materialize_runtime_module(cache, req));

  TRY(write_file_atomic(files.modfile, mod_text));
  TRY(write_file_atomic(dir / "go.sum", sum_text));
  std::string modfile_flag = "-modfile=" + files.modfile.string();
  std::string require = std::string(kRuntimeModule) + "@v0.0.0";
  TRY(run_checked({"go", "mod", "edit", modfile_flag, "-require=" + require,
                   "-replace=" + std::string(kRuntimeModule) + "=" + files.rt.dir.string()}));
  fmt::print(stderr, "goinstr: adding {} to a copy of {} (yours is not changed)\n", kRuntimeModule,
             gomod.string());
  std::fflush(stderr);
  // `go get` of every package of the runtime records the sums of what it adds (yaml.v3, the
  // otel API's packages when the program had not needed them, go.mod sums of their
  // requirements) and, from go 1.17 on, the `// indirect` requirements the copy must list. The
  // pattern form resolves inside the replaced module, where a package path would also be looked
  // up as a module of its own on the proxy. A `go get -t ./...` of the program's own packages
  // was needed when the runtime raised versions the program uses; the check below now
  // guarantees that none changes, so the user's go.sum already holds the program's sums.
  auto got = run_capture({"go", "get", modfile_flag, std::string(kRuntimeModule) + "/...@v0.0.0"},
                         {"GOFLAGS=-mod=mod"});
  if (!got) return std::unexpected(got.error());
  if (got->exit_code != 0)
    return fail("could not add " + std::string(kRuntimeModule) +
                " to a copy of go.mod (`go get` failed, its message is above)");
  ASSIGN_OR_RETURN(std::string woven_mod, read_file(files.modfile));
  BuildIdentity woven{go_directive(woven_mod), {}};
  ASSIGN_OR_RETURN(woven.modules,
                   list_modules({"-mod=mod", modfile_flag}, {}, "the instrumented build"));
  TRY(verify_and_save(dir, files.rt, plain, woven, {modfile_flag}, {}));
  return files;
}

Result<WorkspaceFiles> prepare_workfile(const GoEnv& env, const fs::path& cache,
                                        const Replaces& replaces) {
  ASSIGN_OR_RETURN(Workspace ws, read_workspace(env));
  ASSIGN_OR_RETURN(std::string work_text, read_file(env.gowork));
  Sha256 key;
  key.add("workfile-recipe-2").add(env.gowork.string()).add(work_text).add(ws.sum_text);
  std::vector<fs::path> roots;
  for (const auto& use : ws.work.value("Use", nlohmann::json::array())) {
    fs::path root = ws.base / use.value("DiskPath", "");
    roots.push_back(root);
    std::string root_mod = read_if_exists(root / "go.mod");
    key.add(root_mod).add(read_if_exists(root / "go.sum"));
    add_local_replacements(key, root_mod, root);
  }
  add_local_replacements(key, work_text, ws.base);
  const bool uses_otel = program_imports_opentelemetry(roots);
  key.add(uses_otel ? "otel" : "no-otel");
  key.add(embedded_runtime_digest()).add(env.goversion);
  fs::path check_dir = cache / "workcheck" / key.hex().substr(0, 24);
  if (auto verdict = load_verdict(check_dir)) {
    if (!verdict->error.empty()) return fail(verdict->error);
    return write_workfile(ws, verdict->rt, cache, replaces);
  }
  BuildIdentity plain{ws.work.value("Go", std::string()), {}};
  ASSIGN_OR_RETURN(plain.modules, list_modules({"-mod=readonly"}, {}, "your build"));
  ASSIGN_OR_RETURN(RuntimeRequirements req,
                   choose_runtime_requirements(plain.go_line, plain.modules, uses_otel));
  ASSIGN_OR_RETURN(RuntimeModule rt, materialize_runtime_module(cache, req));
  fmt::print(stderr, "goinstr: adding {} to a copy of {} (yours is not changed)\n", kRuntimeModule,
             env.gowork.string());
  std::fflush(stderr);
  // The identity is that of the workspace without third-party mirrors: they replace modules
  // by the same versions' files.
  ASSIGN_OR_RETURN(WorkspaceFiles checked, write_workfile(ws, rt, cache, {}));
  std::vector<std::string> woven_env = {"GOWORK=" + checked.gowork.string()};
  BuildIdentity woven{};
  ASSIGN_OR_RETURN(woven.modules,
                   list_modules({"-mod=readonly"}, woven_env, "the instrumented build"));
  ASSIGN_OR_RETURN(std::string woven_work, read_file(checked.gowork));
  woven.go_line = go_directive(woven_work);
  TRY(verify_and_save(check_dir, rt, plain, woven, {}, woven_env));
  return replaces.empty() ? checked : write_workfile(ws, rt, cache, replaces);
}

}  // namespace goinstr::gobuild
