// SPDX-License-Identifier: Apache-2.0
#include "gobuild/weave_plan.hpp"

#include <cctype>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "common/digest.hpp"
#include "common/semver.hpp"
#include "gobuild/runtime_module.hpp"
#include "gosrc/parser.hpp"
#include "weave/weaver.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWeaverVersion = "goinstr-weave-1";

using RulePicker = std::function<std::vector<const weave::Rule*>(std::string_view package_name)>;

struct FileOutcome {
  std::optional<fs::path> woven;  // nullopt: no rule applies to the file
  std::vector<std::string> rule_ids;
  std::string package_name;
};

fs::path woven_path(const fs::path& cache, const std::string& key) {
  return cache / "woven" / key.substr(0, 2) / (key + ".go");
}

// Weaves one file, or finds the result of an earlier build in the cache.
// `salt` names the rules that apply, when which ones do depends on more than the file's text.
Result<FileOutcome> weave_one(const fs::path& path, const std::string& text, const RulePicker& pick,
                              const WeaveInputs& in, std::string_view salt = {}) {
  std::string key = Sha256()
                        .add(kWeaverVersion)
                        .add(in.rules->digest)
                        .add(salt)
                        .add(path.string())
                        .add(text)
                        .hex();
  fs::path out = woven_path(in.cache, key);
  fs::path none = out;
  none.replace_extension(".none");
  fs::path ids = out;
  ids.replace_extension(".rules");
  FileOutcome outcome;
  if (fs::exists(none)) return outcome;
  if (fs::exists(out) && fs::exists(ids)) {
    ASSIGN_OR_RETURN(std::string list, read_file(ids));
    size_t nl = list.find('\n');
    outcome.package_name = list.substr(0, nl);
    for (size_t at = nl + 1; at < list.size();) {
      size_t end = list.find('\n', at);
      outcome.rule_ids.push_back(list.substr(at, end - at));
      at = end == std::string::npos ? list.size() : end + 1;
    }
    outcome.woven = out;
    return outcome;
  }
  ASSIGN_OR_RETURN(gosrc::File file, gosrc::parse_source(path.string(), text));
  outcome.package_name = std::string(file.name->name);
  auto rules = pick(outcome.package_name);
  // In a mirror (GOROOT or module) the file is a link: errors and stack traces name the real file.
  std::string line_path = fs::is_symlink(path) ? fs::canonical(path).string() : path.string();
  ASSIGN_OR_RETURN(auto woven, weave::weave_file(file, line_path, rules));
  if (!woven) {
    TRY(write_file_atomic(none, ""));
    return outcome;
  }
  std::string list = outcome.package_name + "\n";
  for (const auto& id : woven->rule_ids) list += id + "\n";
  TRY(write_file_atomic(out, woven->text));
  TRY(write_file_atomic(ids, list));
  outcome.woven = out;
  outcome.rule_ids = woven->rule_ids;
  return outcome;
}

// Puts a woven file into the overlay and its rules into the package's report.
void record_woven(const fs::path& path, const FileOutcome& outcome, WeavePlan& plan,
                  WovenPackage& report) {
  if (!outcome.woven) return;
  plan.replace[path.string()] = outcome.woven->string();
  ++report.files;
  for (const auto& id : outcome.rule_ids)
    if (std::find(report.rule_ids.begin(), report.rule_ids.end(), id) == report.rule_ids.end())
      report.rule_ids.push_back(id);
}

// An added file, stored by content.
Result<fs::path> store_added(const fs::path& cache, const std::string& text) {
  fs::path out = woven_path(cache, Sha256().add("added").add(text).hex());
  if (!fs::exists(out)) TRY(write_file_atomic(out, text));
  return out;
}

bool is_go_source(const fs::path& p) {
  return p.extension() == ".go" && !p.filename().string().ends_with("_test.go");
}

std::vector<fs::path> go_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && is_go_source(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool has_test_files(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().filename().string().ends_with("_test.go")) return true;
  return false;
}

// The package clause's name without a full parse: the first `package X` at a line start.
// The name in the package clause: the first token after whitespace and comments (a doc comment
// may well have a line that starts with "package ").
std::string quick_package_name(const std::string& text) {
  size_t at = 0;
  while (at < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[at]))) {
      ++at;
    } else if (text.compare(at, 2, "//") == 0) {
      at = text.find('\n', at);
    } else if (text.compare(at, 2, "/*") == 0) {
      at = text.find("*/", at + 2);
      if (at != std::string::npos) at += 2;
    } else {
      break;
    }
  }
  if (at == std::string::npos || text.compare(at, 8, "package ") != 0) return {};
  at = text.find_first_not_of(" \t", at + 8);
  if (at == std::string::npos) return {};
  size_t stop = text.find_first_of(" \t\r\n/;", at);
  return text.substr(at, stop == std::string::npos ? std::string::npos : stop - at);
}

}  // namespace

// Standard-library import paths have no dot in their first element.
bool is_standard_library_path(const std::string& import_path) {
  return import_path.substr(0, import_path.find('/')).find('.') == std::string::npos;
}

namespace {

// The rules for `import_path` whose `versions` hold for the release the build uses: its
// module's, or the toolchain's for the standard library. A release goinstr cannot read (a module
// replaced by a directory has none) leaves out every rule with `versions`, and says so in `note`.
Result<std::vector<const weave::Rule*>> rules_for_release(const std::string& import_path,
                                                          const WeaveInputs& in,
                                                          std::string& note) {
  std::vector<const weave::Rule*> out;
  auto third = in.third_party_versions.find(import_path);
  bool standard = is_standard_library_path(import_path);
  std::string release = standard                                 ? in.env->goversion
                        : third != in.third_party_versions.end() ? third->second
                                                                 : std::string();
  auto version = standard ? parse_go_version(release) : parse_semver(release);
  if (standard && version) version->prerelease.clear();  // go1.27rc1 has go1.27's library
  for (const weave::Rule* r : in.rules->for_import_path(import_path)) {
    if (r->versions.empty()) {
      out.push_back(r);
      continue;
    }
    if (!version) {
      note = import_path + " has no release goinstr can read (" +
             (release.empty() ? "a replace to a directory?" : "'" + release + "'") +
             "), and its rules apply by release: it is built as it is, without spans";
      continue;
    }
    ASSIGN_OR_RETURN(bool applies, version_satisfies(r->versions, *version));
    if (applies) out.push_back(r);
  }
  if (out.empty() && note.empty() && !standard)
    note = import_path + " " + release +
           " is outside the releases goinstr's rules cover (data/rules): it is built as it is, "
           "without spans";
  return out;
}

Result<> weave_named_package(const std::string& import_path, const WeaveInputs& in,
                             WeavePlan& plan) {
  auto third = in.third_party_dirs.find(import_path);
  bool used = third != in.third_party_dirs.end() || is_standard_library_path(import_path);
  if (!used) return {};  // the program does not use it
  std::string note;
  ASSIGN_OR_RETURN(auto rules, rules_for_release(import_path, in, note));
  if (!note.empty()) plan.notes.push_back(note);
  if (rules.empty()) return {};  // none for this release
  std::string salt;
  for (const weave::Rule* r : rules) salt += r->id + "\n";
  fs::path dir = in.env->goroot / "src" / import_path;
  if (third != in.third_party_dirs.end()) {
    dir = third->second;
  } else if (!fs::is_directory(dir)) {
    return fail("rule '" + rules[0]->id + "' names package " + import_path + ", which " +
                in.env->goversion + " does not have (" + dir.string() + ")");
  }
  WovenPackage report{import_path, {}, 0};
  std::string package_name;
  auto pick = [&](std::string_view) { return rules; };
  for (const fs::path& path : go_files(dir)) {
    ASSIGN_OR_RETURN(std::string text, read_file(path));
    ASSIGN_OR_RETURN(FileOutcome outcome, weave_one(path, text, pick, in, salt));
    if (package_name.empty())
      package_name = outcome.package_name.empty() ? quick_package_name(text) : outcome.package_name;
    record_woven(path, outcome, plan, report);
  }
  // A rule whose function is gone (a Go release renamed it) must stop the build, not leave it
  // quietly uninstrumented.
  for (const weave::Rule* r : rules) {
    if (r->function.empty()) continue;
    if (std::find(report.rule_ids.begin(), report.rule_ids.end(), r->id) == report.rule_ids.end())
      return fail("rule '" + r->id + "': " + import_path + " in " + in.env->goversion + " has no " +
                  (r->receiver.empty() ? "" : r->receiver + ".") + r->function +
                  "; this Go version is not supported by the rule (update data/rules)");
  }
  if (auto decls = weave::declarations_file(package_name, rules)) {
    ASSIGN_OR_RETURN(fs::path added, store_added(in.cache, *decls));
    plan.replace[(dir / "goinstr_woven_decls.go").string()] = added.string();
  }
  plan.packages.push_back(std::move(report));
  return {};
}

// The blank imports of the file added to main (and tested) packages.
std::string runtime_imports(bool otel_bridge) {
  if (!otel_bridge) return std::string("import _ \"") + kRuntimeModule + "\"\n";
  return std::string("import (\n\t_ \"") + kRuntimeModule + "\"\n\t_ \"" + kOtelBridgePackage +
         "\"\n)\n";
}

bool skip_directory(const fs::directory_entry& e, const fs::path& root) {
  std::string name = e.path().filename().string();
  if (name.starts_with(".") || name.starts_with("_") || name == "testdata" || name == "vendor")
    return true;
  return e.path() != root && fs::exists(e.path() / "go.mod");  // a nested module
}

Result<> weave_module_dir(const fs::path& dir, const WeaveInputs& in, WeavePlan& plan) {
  std::vector<const weave::Rule*> any, main_only;
  for (const auto& r : in.rules->rules) {
    if (r.package == weave::kModulePackages) any.push_back(&r);
    if (r.package == weave::kMainPackages) main_only.push_back(&r);
  }
  auto pick = [&](std::string_view package_name) {
    auto rules = any;
    if (package_name == "main") rules.insert(rules.end(), main_only.begin(), main_only.end());
    return rules;
  };
  WovenPackage report{dir.string(), {}, 0};
  std::string package_name;
  for (const fs::path& path : go_files(dir)) {
    ASSIGN_OR_RETURN(std::string text, read_file(path));
    std::string name = quick_package_name(text);
    if (package_name.empty()) package_name = name;
    if (name != "main" && text.find("//goinstr:") == std::string::npos) continue;
    ASSIGN_OR_RETURN(FileOutcome outcome, weave_one(path, text, pick, in));
    record_woven(path, outcome, plan, report);
  }
  if (package_name.empty()) return {};
  // The runtime must be linked for the hooks to be set: a blank import in every main package,
  // and under go test in every tested package (its test binary has a generated main).
  std::string import_line = runtime_imports(in.otel_bridge);
  if (package_name == "main") {
    ASSIGN_OR_RETURN(fs::path added, store_added(in.cache, "package main\n\n" + import_line));
    plan.replace[(dir / "goinstr_woven_rt.go").string()] = added.string();
  } else if (in.link_into_tests && has_test_files(dir)) {
    ASSIGN_OR_RETURN(fs::path added,
                     store_added(in.cache, "package " + package_name + "\n\n" + import_line));
    plan.replace[(dir / "goinstr_woven_rt_test.go").string()] = added.string();
  }
  if (report.files > 0) plan.packages.push_back(std::move(report));
  return {};
}

Result<> weave_module(const fs::path& root, const WeaveInputs& in, WeavePlan& plan) {
  TRY(weave_module_dir(root, in, plan));
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec), end;
  for (; it != end; it.increment(ec)) {
    if (ec) return fail("cannot list " + root.string() + ": " + ec.message());
    if (!it->is_directory()) continue;
    if (skip_directory(*it, root)) {
      it.disable_recursion_pending();
      continue;
    }
    TRY(weave_module_dir(it->path(), in, plan));
  }
  return {};
}

}  // namespace

Result<WeavePlan> plan_weaving(const WeaveInputs& in) {
  WeavePlan plan;
  for (const std::string& path : in.rules->named_import_paths())
    TRY(weave_named_package(path, in, plan));
  for (const fs::path& root : in.module_roots) TRY(weave_module(root, in, plan));
  return plan;
}

Result<fs::path> write_overlay(const WeavePlan& plan, const fs::path& cache,
                               const std::optional<std::string>& user_overlay) {
  nlohmann::json replace = nlohmann::json::object();
  if (user_overlay) {
    ASSIGN_OR_RETURN(std::string text, read_file(*user_overlay));
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.contains("Replace"))
      return fail("-overlay " + *user_overlay + ": not an overlay file ({\"Replace\": {...}})");
    replace = j["Replace"];
  }
  for (const auto& [from, to] : plan.replace) {
    if (replace.contains(from))
      return fail("-overlay " + *user_overlay + " replaces " + from +
                  ", which goinstr must weave; the two cannot be combined");
    replace[from] = to;
  }
  nlohmann::json doc{{"Replace", replace}};
  std::string text = doc.dump(1);
  fs::path out = cache / "overlay" / (sha256_hex(text).substr(0, 24) + ".json");
  if (!fs::exists(out)) TRY(write_file_atomic(out, text));
  return out;
}

}  // namespace goinstr::gobuild
