// SPDX-License-Identifier: Apache-2.0
#include "gobuild/runtime_module.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "common/embedded.hpp"

#include <cstdio>
#include <utility>
#include "gobuild/process.hpp"

namespace goinstr {
extern const EmbeddedFile kEmbeddedRuntime[];
extern const size_t kEmbeddedRuntime_count;
}  // namespace goinstr

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

// The version on go.mod's `go` line, "" when there is none.
std::string go_line(const std::string& mod_text) {
  for (size_t at = 0; at < mod_text.size();) {
    size_t end = mod_text.find('\n', at);
    std::string line = mod_text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.starts_with("go ")) return line.substr(3, line.find_first_of(" \r/", 3) - 3);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

// "1.21.3" → {1, 21}.
std::pair<int, int> major_minor(const std::string& v) {
  int major = 0, minor = 0;
  std::sscanf(v.c_str(), "%d.%d", &major, &minor);
  return {major, minor};
}

std::string runtime_digest() {
  Sha256 h;
  for (size_t i = 0; i < kEmbeddedRuntime_count; ++i)
    h.add(kEmbeddedRuntime[i].path).add(kEmbeddedRuntime[i].text);
  return h.hex();
}

}  // namespace

Result<RuntimeModule> materialize_runtime_module(const fs::path& cache) {
  RuntimeModule rt;
  rt.digest = runtime_digest();
  rt.dir = cache / "rt" / rt.digest.substr(0, 16);
  if (fs::exists(rt.dir / ".complete")) return rt;
  for (size_t i = 0; i < kEmbeddedRuntime_count; ++i)
    TRY(write_file_atomic(rt.dir / kEmbeddedRuntime[i].path, kEmbeddedRuntime[i].text));
  TRY(write_file_atomic(rt.dir / ".complete", rt.digest));
  return rt;
}

Result<ModuleFiles> prepare_modfile(const GoEnv& env, const RuntimeModule& rt,
                                    const fs::path& cache, const fs::path& user_modfile) {
  fs::path gomod = user_modfile.empty() ? env.gomod : user_modfile;
  fs::path gosum = gomod;
  gosum.replace_extension(".sum");
  ASSIGN_OR_RETURN(std::string mod_text, read_file(gomod));
  std::string sum_text;
  if (fs::exists(gosum)) {
    ASSIGN_OR_RETURN(sum_text, read_file(gosum));
  }
  Sha256 key;
  // The recipe's version: bump it whenever the steps below change what the copy holds.
  key.add("modfile-recipe-2").add(gomod.string()).add(mod_text).add(sum_text).add(rt.digest);
  key.add(env.goversion);
  fs::path dir = cache / "mod" / key.hex().substr(0, 24);
  ModuleFiles files{dir / "go.mod", false};
  if (fs::exists(dir / ".complete")) {
    files.reused = true;
    return files;
  }
  TRY(write_file_atomic(dir / "go.mod", mod_text));
  TRY(write_file_atomic(dir / "go.sum", sum_text));
  std::string modfile_flag = "-modfile=" + files.modfile.string();
  std::string require = std::string(kRuntimeModule) + "@v0.0.0";
  TRY(run_checked({"go", "mod", "edit", modfile_flag, "-require=" + require,
                   "-replace=" + std::string(kRuntimeModule) + "=" + rt.dir.string()}));
  // go get resolves the runtime's own requirements (the OpenTelemetry SDK) against the
  // program's, by the go command's minimal version selection, and records their sums.
  fmt::print(
      stderr,
      "goinstr: adding {} and the OpenTelemetry SDK to a copy of {} (yours is not changed)\n",
      kRuntimeModule, gomod.string());
  auto got = run_capture({"go", "get", modfile_flag, require}, {"GOFLAGS=-mod=mod"});
  if (!got) return std::unexpected(got.error());
  if (got->exit_code != 0)
    return fail("could not add " + std::string(kRuntimeModule) +
                " to a copy of go.mod (`go get` failed, its message is above); the instrumented "
                "build needs the OpenTelemetry Go SDK from the module proxy or module cache");
  ASSIGN_OR_RETURN(std::string woven_mod, read_file(files.modfile));
  std::string before = go_line(mod_text), after = go_line(woven_mod);
  if (!before.empty() && before != after) {
    fmt::print(stderr,
               "goinstr: instrumented builds of this module use language version go {} "
               "(the OpenTelemetry SDK needs it; your go.mod says go {} and is not changed)\n",
               after, before);
    if (major_minor(before) < std::pair{1, 22})
      fmt::print(stderr,
                 "goinstr: note: with go >= 1.22, each loop iteration has its own loop "
                 "variables in the instrumented build\n");
  }
  // The runtime may raise versions of modules the program itself imports (x/crypto, testify,
  // ...); go get records full sums only for what the runtime's packages need. Resolving the
  // module's own packages and tests against the copy records the rest (and a module the raised
  // versions newly need), without upgrading anything else.
  auto own =
      run_capture({"go", "get", "-C", gomod.parent_path().string(), modfile_flag, "-t", "./..."},
                  {"GOFLAGS=-mod=mod"});
  if (!own) return std::unexpected(own.error());
  if (own->exit_code != 0)
    return fail("could not resolve this module's packages against a copy of go.mod that adds " +
                std::string(kRuntimeModule) + " (`go get -t ./...` failed, its message is above)");
  TRY(write_file_atomic(dir / ".complete", key.hex()));
  return files;
}

Result<WorkspaceFiles> prepare_workfile(
    const GoEnv& env, const RuntimeModule& rt, const fs::path& cache,
    const std::vector<std::pair<std::string, std::filesystem::path>>& replaces) {
  ASSIGN_OR_RETURN(std::string json,
                   run_checked({"go", "work", "edit", "-json", env.gowork.string()}));
  auto work = nlohmann::json::parse(json, nullptr, false);
  if (work.is_discarded()) return fail("`go work edit -json` printed something that is not JSON");
  fs::path base = env.gowork.parent_path();
  auto absolute = [&](const std::string& p) {
    fs::path path(p);
    return (path.is_absolute() ? path : (base / path).lexically_normal()).string();
  };
  auto quoted = [](const std::string& s) { return nlohmann::json(s).dump(); };
  WorkspaceFiles files;
  std::string text = "go " + work.value("Go", std::string("1.22")) + "\n";
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
  fs::path sum = env.gowork;
  sum += ".sum";
  std::string sum_text;
  if (fs::exists(sum)) {
    ASSIGN_OR_RETURN(sum_text, read_file(sum));
  }
  fs::path dir = cache / "work" / Sha256().add(text).add(sum_text).hex().substr(0, 24);
  files.gowork = dir / "go.work";
  if (!fs::exists(files.gowork)) {
    TRY(write_file_atomic(dir / "go.work.sum", sum_text));
    TRY(write_file_atomic(files.gowork, text));
  }
  return files;
}

}  // namespace goinstr::gobuild
