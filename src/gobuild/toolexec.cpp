// SPDX-License-Identifier: Apache-2.0
#include "gobuild/toolexec.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/digest.hpp"
#include "gobuild/go_args.hpp"
#include "gobuild/process.hpp"
#include "weave/rules.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNestedEnv = "GOINSTR_TOOLEXEC_NESTED";

std::vector<std::string> proc_cmdline(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
  return argv;
}

std::string self_path() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("goinstr") : p.string();
}

// What changes the linker's output under goinstr: part of the link tool ID.
std::string link_id_suffix() {
  Sha256 h;
  h.add(self_path());
  if (auto rules = weave::load_rules()) h.add(rules->digest);
  std::ifstream exe("/proc/self/exe", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(exe)), {});
  h.add(bytes);
  return "goinstr:" + h.hex().substr(0, 16);
}

int version_query(const std::vector<std::string>& args, bool link) {
  auto out = run_capture(args);
  if (!out) {
    fmt::print(stderr, "goinstr toolexec: {}\n", out.error().message);
    return 1;
  }
  std::string text = out->out;
  if (link && out->exit_code == 0) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    text += " " + link_id_suffix() + "\n";
  }
  fmt::print("{}", text);
  return out->exit_code;
}

std::string flag_value(const std::vector<std::string>& args, const std::string& name) {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return args[i + 1];
  return {};
}

// The parent go command's flags that decide what is built (everything but -o, -toolexec and
// the package arguments), in order.
std::vector<std::string> build_flags(const GoArgs& parent) {
  std::vector<std::string> out;
  const auto& rest = parent.rest;
  bool flags_anywhere = parent.subcommand == "test";
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& a = rest[i];
    if (a == "-args" || a == "--") break;
    if (!a.starts_with("-")) {
      if (!flags_anywhere) break;  // build, run, install: flags end at the first package
      continue;
    }
    std::string_view body(a);
    body.remove_prefix(body.starts_with("--") ? 2 : 1);
    std::string name(body.substr(0, body.find('=')));
    bool has_value = flag_takes_value(name) && !a.contains('=');
    if (name == "o" || name == "toolexec") {
      if (has_value) ++i;
      continue;
    }
    out.push_back(a);
    if (has_value && i + 1 < rest.size()) out.push_back(rest[++i]);
  }
  if (!parent.tags.empty()) {
    std::string tags;
    for (const auto& t : parent.tags) tags += (tags.empty() ? "" : ",") + t;
    out.push_back("-tags=" + tags);
  }
  if (parent.mod) out.push_back("-mod=" + *parent.mod);
  if (parent.modfile) out.push_back("-modfile=" + *parent.modfile);
  if (parent.overlay) out.push_back("-overlay=" + *parent.overlay);
  return out;
}

// `go build a.go b.go`: the files, for "command-line-arguments".
std::vector<std::string> file_arguments(const GoArgs& parent) {
  std::vector<std::string> files;
  for (const auto& a : parent.rest)
    if (a.ends_with(".go")) files.push_back(a);
  return files;
}

int link_instrumented(const std::vector<std::string>& args) {
  std::string output = flag_value(args, "-o");
  const char* import_path = std::getenv("TOOLEXEC_IMPORTPATH");
  std::vector<std::string> parent = proc_cmdline(getppid());
  std::vector<std::string> nested =
      nested_build_args(parent, import_path != nullptr ? import_path : "", output);
  if (nested.empty()) {
    fmt::print(stderr,
               "goinstr toolexec: cannot instrument this link: the go command line ({}) is not a "
               "build, install, run or test that goinstr understands; use `goinstr go build` "
               "instead\n",
               join_command(parent));
    return 1;
  }
  std::error_code ec;
  fs::path cwd = fs::read_symlink("/proc/" + std::to_string(getppid()) + "/cwd", ec);
  if (!ec && chdir(cwd.c_str()) != 0) {
    fmt::print(stderr, "goinstr toolexec: cannot enter {}\n", cwd.string());
    return 1;
  }
  nested.insert(nested.begin(), self_path());
  // No -toolexec in GOFLAGS for the nested build, and a guard against any other way back here.
  std::string goflags;
  if (const char* g = std::getenv("GOFLAGS")) {
    std::istringstream words(g);
    for (std::string w; words >> w;)
      if (!w.starts_with("-toolexec") && !w.starts_with("--toolexec"))
        goflags += (goflags.empty() ? "" : " ") + w;
  }
  auto r = run_capture(nested, {"GOFLAGS=" + goflags, std::string(kNestedEnv) + "=1"});
  if (!r) {
    fmt::print(stderr, "goinstr toolexec: {}\n", r.error().message);
    return 1;
  }
  fmt::print("{}", r->out);
  return r->exit_code;
}

}  // namespace

std::vector<std::string> nested_build_args(const std::vector<std::string>& parent_argv,
                                           const std::string& import_path,
                                           const std::string& output) {
  if (parent_argv.size() < 2 || import_path.empty() || output.empty()) return {};
  std::vector<std::string> go_args(parent_argv.begin() + 1, parent_argv.end());
  auto parent = parse_go_args(go_args);
  if (!parent) return {};
  std::vector<std::string> flags = build_flags(*parent);
  if (parent->subcommand == "test") {
    if (!import_path.ends_with(".test")) return {};
    std::vector<std::string> out = {"go", "test", "-c", "-o", output};
    // Only build flags matter for building the test binary; test flags are for running it.
    for (size_t i = 0; i < flags.size(); ++i) {
      const std::string& f = flags[i];
      std::string name = f.substr(f.find_first_not_of('-'));
      name = name.substr(0, name.find('='));
      bool value_follows = flag_takes_value(name) && !f.contains('=') && i + 1 < flags.size();
      bool build_flag = name == "tags" || name == "race" || name == "cover" ||
                        name == "covermode" || name == "coverpkg" || name == "gcflags" ||
                        name == "ldflags" || name == "trimpath" || name == "mod" ||
                        name == "modfile" || name == "overlay";
      if (build_flag) {
        out.push_back(f);
        if (value_follows) out.push_back(flags[i + 1]);
      }
      if (value_follows) ++i;
    }
    out.push_back(import_path.substr(0, import_path.size() - 5));
    return out;
  }
  if (parent->subcommand != "build" && parent->subcommand != "install" &&
      parent->subcommand != "run")
    return {};
  std::vector<std::string> out = {"go", "build", "-o", output};
  out.insert(out.end(), flags.begin(), flags.end());
  if (import_path == "command-line-arguments") {
    auto files = file_arguments(*parent);
    if (files.empty()) return {};
    out.insert(out.end(), files.begin(), files.end());
  } else {
    out.push_back(import_path);
  }
  return out;
}

int run_toolexec(const std::vector<std::string>& args) {
  if (args.empty()) {
    fmt::print(stderr, "usage: go build -toolexec 'goinstr toolexec' [packages]\n");
    return 2;
  }
  std::string tool = fs::path(args[0]).filename().string();
  bool link = tool == "link";
  bool nested = std::getenv(kNestedEnv) != nullptr;
  if (args.size() == 2 && args[1] == "-V=full") return version_query(args, link && !nested);
  if (link && !nested) return link_instrumented(args);
  auto failed = exec_replace(args);
  fmt::print(stderr, "goinstr toolexec: {}\n", failed.error().message);
  return 127;
}

}  // namespace goinstr::gobuild
