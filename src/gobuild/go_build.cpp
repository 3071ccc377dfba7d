// SPDX-License-Identifier: Apache-2.0
#include "gobuild/go_build.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "gobuild/go_args.hpp"
#include "gobuild/go_env.hpp"
#include "gobuild/goroot_mirror.hpp"
#include "gobuild/module_copy.hpp"
#include "gobuild/process.hpp"
#include "gobuild/runtime_module.hpp"
#include "gobuild/third_party.hpp"
#include "gobuild/weave_plan.hpp"
#include "weave/rules.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWovenTag = "goinstr_woven";

std::string join_tags(std::vector<std::string> tags) {
  tags.emplace_back(kWovenTag);
  std::string out;
  for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
  return out;
}

void print_plan(const WeavePlan& plan) {
  for (const auto& p : plan.packages) {
    std::string rules;
    for (const auto& id : p.rule_ids) rules += (rules.empty() ? "" : ", ") + id;
    fmt::print(stderr, "goinstr: wove {} ({} file{}): {}\n", p.package, p.files,
               p.files == 1 ? "" : "s", rules);
  }
}

// The `module` path of the go.mod in `root`.
std::string module_path(const fs::path& root) {
  auto text = read_file(root / "go.mod");
  if (!text) return {};
  size_t at = text->starts_with("module ") ? 0 : text->find("\nmodule ");
  if (at == std::string::npos) return {};
  at = text->find("module ", at) + 7;
  std::string path = text->substr(at, text->find_first_of("\r\n", at) - at);
  while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.pop_back();
  if (path.size() >= 2 && path.front() == '"') path = path.substr(1, path.size() - 2);
  return path;
}

// goinstr links its runtime into the main (and tested) packages of the build's own modules; a
// package named by import path outside them would build with woven hooks but no runtime, a
// quietly uninstrumented binary. Refuse it instead.
Result<> check_packages_inside(const GoArgs& args, const std::vector<fs::path>& roots) {
  std::vector<std::string> modules;
  for (const auto& root : roots) modules.push_back(module_path(root));
  bool flags_anywhere = args.subcommand == "test" || args.subcommand == "vet";
  for (size_t i = 0; i < args.rest.size(); ++i) {
    const std::string& a = args.rest[i];
    if (a == "-args" || a == "--") break;
    if (a.starts_with("-")) {
      std::string name = a.substr(a.find_first_not_of('-'));
      if (!a.contains('=') && flag_takes_value(name)) ++i;
      continue;
    }
    bool local = a.starts_with(".") || a.starts_with("/") || a.ends_with(".go");
    bool inside = std::any_of(modules.begin(), modules.end(), [&](const std::string& m) {
      return !m.empty() && (a == m || a.starts_with(m + "/"));
    });
    if (!local && !inside && a != "all" && a != "std" && a != "cmd")
      return fail("package " + a +
                  " is outside the module(s) being built; goinstr links its "
                  "runtime into your own modules' packages only, so it would build without "
                  "instrumentation. Build it from inside its module");
    if (!flags_anywhere)
      break;  // build, run, install: the rest are program arguments or more packages
  }
  return {};
}

struct Command {
  std::vector<std::string> argv;
  std::vector<std::string> env;
};

// The build's module set-up: a go.mod copy (-modfile) for a module, a go.work copy (GOWORK)
// for a workspace, where -modfile is refused; both checked to keep the plain build's versions.
struct Modules {
  ModuleContext mods;
  std::vector<fs::path> module_roots;
  fs::path modfile;  // empty in a workspace
  RuntimeModule rt;
};

Result<Modules> prepare_modules(const GoArgs& args, const GoEnv& env, const fs::path& cache) {
  Modules m;
  if (!env.gowork.empty()) {
    if (args.modfile)
      return fail("-modfile cannot be used in workspace mode (" + env.gowork.string() + ")");
    ASSIGN_OR_RETURN(WorkspaceFiles work, prepare_workfile(env, cache));
    m.mods.env.push_back("GOWORK=" + work.gowork.string());
    m.module_roots = work.module_roots;
    m.rt = work.rt;
    if (auto text = read_file(work.gowork.string() + ".sum")) m.mods.sums += *text;
    for (const auto& root : m.module_roots)
      if (auto text = read_file(root / "go.sum")) m.mods.sums += "\n" + *text;
  } else {
    ASSIGN_OR_RETURN(ModuleFiles mod, prepare_modfile(env, cache, args.modfile.value_or("")));
    m.modfile = mod.modfile;
    m.rt = mod.rt;
    m.mods.flags.push_back("-modfile=" + m.modfile.string());
    m.module_roots = {env.gomod.parent_path()};
    fs::path sum = m.modfile;
    if (auto text = read_file(sum.replace_extension(".sum"))) m.mods.sums = *text;
  }
  return m;
}

// -mod for the go command: vendor/ cannot hold the runtime module.
Result<std::optional<std::string>> module_mode(const GoArgs& args, const GoEnv& env) {
  std::optional<std::string> mod_mode = args.mod;
  if (!mod_mode && env.gowork.empty() &&
      fs::exists(env.gomod.parent_path() / "vendor" / "modules.txt")) {
    fmt::print(stderr,
               "goinstr: vendor/ does not hold {}; building with -mod=mod (vendor/ is "
               "not used, not changed)\n",
               kRuntimeModule);
    mod_mode = "mod";
  }
  if (mod_mode == "vendor")
    return fail("-mod=vendor cannot be instrumented: vendor/ lacks " + std::string(kRuntimeModule) +
                "; drop -mod=vendor (goinstr then uses -mod=mod)");
  return mod_mode;
}

// `goinstr go list ...`: go list over the instrumented build's module graph (the checked copy,
// the same tags), so that `goinstr go list -m all` shows what an instrumented build uses. No
// overlay and no third-party mirrors: listing needs neither, and a mirror replaces a module by
// the same version's files.
Result<Command> prepare_list(const GoArgs& args, const GoEnv& env, const Modules& m) {
  Command cmd{{"go", "list"}, m.mods.env};
  cmd.argv.insert(cmd.argv.end(), m.mods.flags.begin(), m.mods.flags.end());
  cmd.argv.push_back("-tags=" + join_tags(args.tags));
  ASSIGN_OR_RETURN(std::optional<std::string> mod_mode, module_mode(args, env));
  if (mod_mode) cmd.argv.push_back("-mod=" + *mod_mode);
  cmd.argv.insert(cmd.argv.end(), args.rest.begin(), args.rest.end());
  return cmd;
}

Result<Command> prepare(const GoArgs& args) {
  if (args.chdir && chdir(args.chdir->c_str()) != 0) return fail_errno("-C " + *args.chdir);
  ASSIGN_OR_RETURN(GoEnv env, query_go_env());
  if (env.gomod.empty())
    return fail("no go.mod here: goinstr builds modules (run it inside one, or use -C DIR)");
  ASSIGN_OR_RETURN(fs::path cache, cache_root());
  ASSIGN_OR_RETURN(Modules modules, prepare_modules(args, env, cache));
  if (args.subcommand == "list") return prepare_list(args, env, modules);
  ASSIGN_OR_RETURN(weave::RuleSet rules, weave::load_rules());
  ModuleContext& mods = modules.mods;
  const std::vector<fs::path>& module_roots = modules.module_roots;
  const fs::path& modfile = modules.modfile;

  TRY(check_packages_inside(args, module_roots));

  // Third-party packages that rules name and the build uses: woven through module mirrors.
  std::vector<std::string> third_party_paths;
  for (const auto& path : rules.named_import_paths())
    if (!is_standard_library_path(path)) third_party_paths.push_back(path);
  ASSIGN_OR_RETURN(auto third_party, locate_third_party(third_party_paths, env, mods, cache));
  if (!modfile.empty()) {
    ASSIGN_OR_RETURN(fs::path replaced, modfile_with_replacements(modfile, third_party, cache));
    mods.flags = {"-modfile=" + replaced.string()};
  } else if (!third_party.empty()) {
    std::vector<std::pair<std::string, fs::path>> replaces;
    for (const auto& p : third_party)
      if (!p.replace_with.empty()) replaces.emplace_back(p.module, p.replace_with);
    ASSIGN_OR_RETURN(WorkspaceFiles work, prepare_workfile(env, cache, replaces));
    mods.env = {"GOWORK=" + work.gowork.string()};
  }
  std::vector<std::string>& module_flags = mods.flags;
  std::vector<std::string>& module_env = mods.env;

  // A GOTOOLCHAIN-downloaded Go lives in the module cache, where overlays are refused: weave
  // and build through a mirror of it, with that toolchain's own go command.
  Command cmd{{"go"}, {}};
  GoEnv build_env = env;
  if (goroot_in_module_cache(env)) {
    std::vector<std::string> std_paths;
    for (const auto& path : rules.named_import_paths())
      if (is_standard_library_path(path)) std_paths.push_back(path);
    ASSIGN_OR_RETURN(build_env.goroot, goroot_mirror(env, cache, std_paths));
    cmd.argv = {(build_env.goroot / "bin" / "go").string()};
    cmd.env = {"GOROOT=" + build_env.goroot.string(), "GOTOOLCHAIN=local"};
  }

  WeaveInputs in;
  in.env = &build_env;
  in.rules = &rules;
  in.module_roots = module_roots;
  for (const auto& p : third_party) {
    in.third_party_dirs[p.import_path] = p.dir;
    in.third_party_versions[p.import_path] = p.version;
  }
  in.cache = cache;
  in.link_into_tests = args.subcommand == "test";
  in.otel_bridge = modules.rt.otel_bridge;
  ASSIGN_OR_RETURN(WeavePlan plan, plan_weaving(in));
  if (args.verbose) print_plan(plan);
  for (const auto& note : plan.notes) fmt::print(stderr, "goinstr: note: {}\n", note);
  ASSIGN_OR_RETURN(fs::path overlay, write_overlay(plan, cache, args.overlay));

  std::vector<std::string>& argv = cmd.argv;
  argv.push_back(args.subcommand);
  argv.insert(argv.end(), module_flags.begin(), module_flags.end());
  argv.insert(argv.end(), {"-overlay=" + overlay.string(), "-tags=" + join_tags(args.tags)});
  cmd.env.insert(cmd.env.end(), module_env.begin(), module_env.end());
  ASSIGN_OR_RETURN(std::optional<std::string> mod_mode, module_mode(args, env));
  if (mod_mode) argv.push_back("-mod=" + *mod_mode);
  argv.insert(argv.end(), args.rest.begin(), args.rest.end());
  return cmd;
}

}  // namespace

int run_go_command(const std::vector<std::string>& args) {
  auto parsed = parse_go_args(args);
  if (!parsed) {
    fmt::print(stderr, "goinstr go: {}\n", parsed.error().message);
    return 2;
  }
  auto cmd = prepare(*parsed);
  if (!cmd) {
    fmt::print(stderr, "goinstr go {}: {}\n", parsed->subcommand, cmd.error().message);
    return 1;
  }
  if (parsed->verbose) fmt::print(stderr, "goinstr: {}\n", join_command(cmd->argv));
  auto failed = exec_replace(cmd->argv, cmd->env);
  fmt::print(stderr, "goinstr go {}: {}\n", parsed->subcommand, failed.error().message);
  return 127;
}

}  // namespace goinstr::gobuild
