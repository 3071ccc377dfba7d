// SPDX-License-Identifier: Apache-2.0
#include "go_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace goinstr::obj::testing {
namespace {

// Runs a shell command; returns its trimmed stdout, or nullopt on a non-zero exit.
std::optional<std::string> run(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p.get())) out.append(buf, n);
  int rc = pclose(p.release());
  if (rc != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::optional<Toolchain> probe(const std::string& command) {
  auto v = run("cd " GOINSTR_HTTPSERVER_SRC " && " + command + " env GOVERSION 2>/dev/null");
  if (!v || v->rfind("go1.", 0) != 0) return std::nullopt;
  std::string minor = v->substr(0, v->find('.', 4));
  return Toolchain{minor, command, *v};
}

struct Kind {
  const char* name;
  const char* env;
  const char* flags;
};
// -s -w does not move code, so "plain" and "stripped" share function addresses.
constexpr Kind kKinds[] = {
    {"plain", "", ""},
    {"stripped", "", "-ldflags='-s -w'"},
    {"pie", "", "-buildmode=pie"},
    {"pie-stripped", "", "-buildmode=pie -ldflags='-s -w'"},
    {"static", "CGO_ENABLED=0", ""},
    {"external", "", "-ldflags=-linkmode=external"},
};

}  // namespace

GoFixtures& GoFixtures::get() {
  static GoFixtures f;
  return f;
}

GoFixtures::GoFixtures() {
  if (!run("command -v go >/dev/null")) {
    notes_ = "go is not on PATH";
    return;
  }
  char tmpl[] = "/tmp/goinstr-obj-tests-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return;
  dir_ = tmpl;
  // GOTOOLCHAIN=local pins the PATH toolchain; the 1.27 one is fetched (or reused from the module
  // cache) by the go command itself.
  for (const std::string cmd :
       {"env GOTOOLCHAIN=local go", "/usr/lib/go-1.19/bin/go", "env GOTOOLCHAIN=go1.27.3 go"}) {
    if (auto tc = probe(cmd)) {
      toolchains_.push_back(*tc);
    } else {
      notes_ += "toolchain unavailable: " + cmd + "\n";
    }
  }
  for (const Toolchain& tc : toolchains_) {
    for (const Kind& k : kKinds) {
      // External linking needs gcc and is slow-ish; one toolchain is enough for that path.
      if (std::string(k.name) == "external" && &tc != &toolchains_.front()) continue;
      std::string out = dir_ + "/" + tc.name + "-" + k.name;
      std::string cmd = "cd " GOINSTR_HTTPSERVER_SRC " && env " + std::string(k.env) + " " +
                        tc.command + " build -buildvcs=false " + k.flags + " -o " + out + " . >" +
                        out + ".log 2>&1";
      if (!run(cmd)) {
        notes_ += "build failed: " + cmd + "\n";
        continue;
      }
      variants_.push_back({tc.name + "/" + k.name, tc, k.name, out});
    }
  }
}

const Variant* GoFixtures::find(const std::string& toolchain, const std::string& kind) const {
  for (const Variant& v : variants_) {
    if (v.toolchain.name == toolchain && v.kind == kind) return &v;
  }
  return nullptr;
}

void GoFixtures::cleanup() {
  if (!dir_.empty() && std::getenv("GOINSTR_KEEP_FIXTURES") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace goinstr::obj::testing
