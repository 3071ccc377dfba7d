// SPDX-License-Identifier: Apache-2.0
#include "gobuild/go_env.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gobuild/process.hpp"

namespace goinstr::gobuild {

namespace fs = std::filesystem;

Result<GoEnv> query_go_env() {
  auto out = run_capture(
      {"go", "env", "-json", "GOROOT", "GOMOD", "GOWORK", "GOVERSION", "GOFLAGS", "GOMODCACHE"});
  if (!out)
    return std::unexpected(
        out.error().context("the go command is needed (is Go installed and on PATH?)"));
  if (out->exit_code != 0)
    return fail("`go env` failed (exit " + std::to_string(out->exit_code) + ")");
  nlohmann::json j = nlohmann::json::parse(out->out, nullptr, false);
  if (j.is_discarded()) return fail("`go env -json` printed something that is not JSON");
  GoEnv env;
  env.goroot = j.value("GOROOT", "");
  std::string gomod = j.value("GOMOD", "");
  if (gomod != "/dev/null" && gomod != "NUL") env.gomod = gomod;
  std::string gowork = j.value("GOWORK", "");
  if (gowork != "off") env.gowork = gowork;
  env.goversion = j.value("GOVERSION", "");
  env.goflags = j.value("GOFLAGS", "");
  env.gomodcache = j.value("GOMODCACHE", "");
  if (env.goroot.empty()) return fail("`go env` reports no GOROOT");
  return env;
}

Result<fs::path> cache_root() {
  fs::path root;
  if (const char* c = std::getenv("GOINSTR_CACHE"); c != nullptr && *c != '\0') {
    root = c;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    root = fs::path(x) / "goinstr";
  } else if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    root = fs::path(h) / ".cache" / "goinstr";
  } else {
    return fail("no cache directory: set GOINSTR_CACHE or HOME");
  }
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return fail("cannot create cache directory " + root.string() + ": " + ec.message());
  return root;
}

Result<> write_file_atomic(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return fail("cannot create " + path.parent_path().string() + ": " + ec.message());
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return fail("cannot write " + tmp.string());
  }
  fs::rename(tmp, path, ec);
  if (ec) return fail("cannot rename " + tmp.string() + ": " + ec.message());
  return {};
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail_errno("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace goinstr::gobuild
