// SPDX-License-Identifier: Apache-2.0
#include "gobuild/go_args.hpp"

#include <algorithm>
#include <array>
#include <sstream>
#include <string_view>

namespace goinstr::gobuild {
namespace {

// Build and test flags that take a value (`-flag value` or `-flag=value`); the others are bools.
constexpr std::array kValueFlags = {
    // build flags
    std::string_view("C"), std::string_view("o"), std::string_view("p"),
    std::string_view("asmflags"), std::string_view("buildmode"), std::string_view("compiler"),
    std::string_view("gccgoflags"), std::string_view("gcflags"), std::string_view("installsuffix"),
    std::string_view("ldflags"), std::string_view("mod"), std::string_view("modfile"),
    std::string_view("overlay"), std::string_view("pgo"), std::string_view("pkgdir"),
    std::string_view("tags"), std::string_view("toolexec"), std::string_view("covermode"),
    std::string_view("coverpkg"), std::string_view("exec"),
    // go test flags
    std::string_view("run"), std::string_view("bench"), std::string_view("count"),
    std::string_view("timeout"), std::string_view("skip"), std::string_view("parallel"),
    std::string_view("cpu"), std::string_view("benchtime"), std::string_view("shuffle"),
    std::string_view("vet"), std::string_view("list"), std::string_view("fuzz"),
    std::string_view("fuzztime"), std::string_view("fuzzminimizetime"),
    std::string_view("coverprofile"), std::string_view("cpuprofile"),
    std::string_view("memprofile"), std::string_view("memprofilerate"),
    std::string_view("blockprofile"), std::string_view("blockprofilerate"),
    std::string_view("mutexprofile"), std::string_view("mutexprofilefraction"),
    std::string_view("trace"), std::string_view("outputdir"),
    // go list flags
    std::string_view("f"), std::string_view("reuse")};

bool takes_value(std::string_view name) {
  return std::find(kValueFlags.begin(), kValueFlags.end(), name) != kValueFlags.end();
}

std::vector<std::string> split_tags(const std::string& value) {
  std::vector<std::string> out;
  std::string tag;
  for (char c : value) {
    if (c == ',' || c == ' ') {
      if (!tag.empty()) out.push_back(tag);
      tag.clear();
    } else {
      tag += c;
    }
  }
  if (!tag.empty()) out.push_back(tag);
  return out;
}

}  // namespace

bool flag_takes_value(std::string_view name) {
  return takes_value(name);
}

bool supported_subcommand(const std::string& name) {
  return name == "build" || name == "run" || name == "test" || name == "install" || name == "vet" ||
         name == "list";
}

Result<GoArgs> parse_go_args(const std::vector<std::string>& args) {
  if (args.empty())
    return fail("usage: goinstr go build|run|test|install|vet|list [go flags] [packages]");
  GoArgs out;
  out.subcommand = args[0];
  if (!supported_subcommand(out.subcommand))
    return fail("goinstr go " + out.subcommand +
                ": not a command goinstr instruments (build, run, test, install, vet; list shows "
                "the instrumented build's packages and modules); run `go " +
                out.subcommand + "` directly");
  // `go run` passes everything after the package to the program; `go test` stops at -args.
  bool flags_anywhere = out.subcommand == "test" || out.subcommand == "vet";
  bool done = false;  // past the flags goinstr reads: the rest is the go command's or the program's
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (done) {
      out.rest.push_back(a);
      continue;
    }
    if (a == "-args" || a == "--") {
      done = true;
      out.rest.push_back(a);
      continue;
    }
    if (!a.starts_with("-") || a == "-") {
      out.rest.push_back(a);
      if (!flags_anywhere) done = true;  // build, run, install: flags end at the first package
      continue;
    }
    std::string_view body(a);
    body.remove_prefix(body.starts_with("--") ? 2 : 1);
    std::string name(body.substr(0, body.find('=')));
    std::optional<std::string> value;
    if (size_t eq = body.find('='); eq != std::string_view::npos) {
      value = std::string(body.substr(eq + 1));
    } else if (takes_value(name)) {
      if (i + 1 >= args.size()) return fail("flag -" + name + " needs a value");
      value = args[++i];
    }
    if (name == "tags") {
      auto tags = split_tags(*value);
      out.tags.insert(out.tags.end(), tags.begin(), tags.end());
    } else if (name == "overlay") {
      out.overlay = *value;
    } else if (name == "modfile") {
      out.modfile = *value;
    } else if (name == "mod") {
      out.mod = *value;
    } else if (name == "C") {
      if (i != 1 && i != 2) return fail("-C must be the first flag, as for the go command");
      out.chdir = *value;
    } else {
      if (name == "v") out.verbose = true;
      out.rest.push_back(a);
      if (value && !a.contains('=')) out.rest.push_back(*value);
    }
  }
  return out;
}

}  // namespace goinstr::gobuild
