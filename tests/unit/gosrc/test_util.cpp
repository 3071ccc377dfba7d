// SPDX-License-Identifier: Apache-2.0
#include "test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "gosrc/dump.hpp"

namespace goinstr::gosrc::testing {
namespace fs = std::filesystem;

std::optional<File> parse_ok(const std::string& src) {
  auto f = parse_source("t.go", src);
  if (!f) {
    ADD_FAILURE() << f.error().message << "\nin:\n" << src;
    return std::nullopt;
  }
  return std::move(*f);
}

std::string parse_error(const std::string& src) {
  auto f = parse_source("t.go", src);
  return f ? "" : f.error().message;
}

std::string dump_of(const std::string& src, bool positions) {
  auto f = parse_source("t.go", src);
  if (!f) return "ERROR: " + f.error().message;
  std::string d = ast_dump(*f, DumpOptions{.positions = positions});
  if (!d.empty() && d.back() == '\n') d.pop_back();
  return d;
}

std::string dump_stmt(const std::string& body) {
  auto f = parse_source("t.go", "package p; func f() { " + body + " }");
  if (!f) return "ERROR: " + f.error().message;
  auto* fn = dyn_cast<FuncDecl>(f->decls.back());
  if (fn->body->list.size() != 1) return "ERROR: not one statement";
  return ast_dump(fn->body->list[0]);
}

std::string dump_expr(const std::string& expr) {
  auto f = parse_source("t.go", "package p; var _ = " + expr);
  if (!f) return "ERROR: " + f.error().message;
  auto* d = dyn_cast<GenDecl>(f->decls.back());
  return ast_dump(static_cast<ValueSpec*>(d->specs[0])->values[0]);
}

namespace {

std::optional<std::string> run(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p.get())) out.append(buf, n);
  if (pclose(p.release()) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string read_version(const fs::path& root) {
  std::ifstream in(root / "VERSION");
  std::string line;
  std::getline(in, line);
  return line.empty() ? "unknown" : line;
}

}  // namespace

std::vector<Goroot> find_goroots(std::string& notes) {
  std::vector<Goroot> out;
  // Adds `root` (canonical, so one toolchain found two ways is listed once); a missing required
  // root is listed with an empty path, which the tests report as a failure.
  auto add = [&](const std::string& what, const std::string& root, bool required) {
    std::error_code ec;
    const fs::path canon = root.empty() ? fs::path() : fs::canonical(root, ec);
    if (canon.empty()) {
      notes += "not found: " + what + (required ? " (required)" : "") + "\n";
      if (required) out.push_back({"", {}, true});
      return;
    }
    for (Goroot& g : out) {
      if (g.root == canon) {
        g.required = g.required || required;
        return;
      }
    }
    out.push_back({read_version(canon), canon, required});
  };
  if (const char* env = std::getenv("GOINSTR_TEST_GOROOT"); env != nullptr && *env != '\0') {
    add("GOINSTR_TEST_GOROOT", env, true);
  }
  // GOTOOLCHAIN=local keeps the installed go from switching to another version; go1.27.3 is
  // fetched (or reused from the module cache) by the go command itself.
  const std::string go = run("command -v go") ? "go" : "/usr/local/go/bin/go";
  for (const auto& [cmd, required] : {std::pair<std::string, bool>{"GOTOOLCHAIN=local " + go, true},
                                      {"GOTOOLCHAIN=local /usr/lib/go-1.19/bin/go", false},
                                      {"GOTOOLCHAIN=go1.27.3 " + go, false}}) {
    add(cmd, run(cmd + " env GOROOT 2>/dev/null").value_or(""), required);
  }
  return out;
}

std::vector<fs::path> go_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory() && it->path().filename() == "testdata") {
      it.disable_recursion_pending();
    } else if (it->is_regular_file() && it->path().extension() == ".go") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace goinstr::gosrc::testing
