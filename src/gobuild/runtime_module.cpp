// SPDX-License-Identifier: Apache-2.0
#include "gobuild/runtime_module.hpp"

#include "common/digest.hpp"
#include "common/embedded.hpp"
#include "gobuild/go_env.hpp"

namespace goinstr {
extern const EmbeddedFile kEmbeddedRuntime[];
extern const size_t kEmbeddedRuntime_count;
}  // namespace goinstr

namespace goinstr::gobuild {

namespace fs = std::filesystem;

namespace {

bool in_bridge(std::string_view path) {
  return path.starts_with("otelbridge/");
}

}  // namespace

Result<RuntimeRequirements> choose_runtime_requirements(std::string_view go_line,
                                                        const std::vector<ListedModule>& user_graph,
                                                        bool program_uses_otel) {
  if (go_line.empty())
    return fail(
        "your go.mod (or go.work) has no go line; the instrumented build takes your module's "
        "language version and goinstr's runtime needs at least go 1.13: add one (go mod edit "
        "-go=1.N) and build again");
  if (!go_line_at_least(go_line, 1, 13))
    return fail("your go.mod (or go.work) says go " + std::string(go_line) +
                "; goinstr's runtime is written for go 1.13 and later, and the instrumented "
                "build keeps your go line, so it cannot be built below go 1.13");
  RuntimeRequirements req;
  req.go_line = std::string(go_line);
  const ListedModule* yaml = find_module(user_graph, kYamlModule);
  req.yaml_version =
      yaml != nullptr && !yaml->version.empty() ? yaml->version : kDefaultYamlVersion;
  const ListedModule* otel = find_module(user_graph, kOtelModule);
  const ListedModule* trace = find_module(user_graph, kOtelTraceModule);
  if (program_uses_otel && otel != nullptr && trace != nullptr && !otel->version.empty() &&
      !trace->version.empty()) {
    req.otel_version = otel->version;
    req.otel_trace_version = trace->version;
  }
  return req;
}

std::string runtime_gomod(const RuntimeRequirements& req) {
  // Written by goinstr for this build: the versions are the user's own, so minimal version
  // selection keeps every one of them.
  std::string text = "module " + std::string(kRuntimeModule) + "\n\ngo " + req.go_line +
                     "\n\nrequire (\n\t" + kYamlModule + " " + req.yaml_version + "\n";
  if (req.otel_bridge()) {
    text += "\t" + std::string(kOtelModule) + " " + req.otel_version + "\n";
    text += "\t" + std::string(kOtelTraceModule) + " " + req.otel_trace_version + "\n";
  }
  return text + ")\n";
}

std::string embedded_runtime_digest() {
  Sha256 h;
  for (size_t i = 0; i < kEmbeddedRuntime_count; ++i)
    h.add(kEmbeddedRuntime[i].path).add(kEmbeddedRuntime[i].text);
  return h.hex();
}

Result<RuntimeModule> materialize_runtime_module(const fs::path& cache,
                                                 const RuntimeRequirements& req) {
  std::string gomod = runtime_gomod(req);
  RuntimeModule rt;
  rt.digest = Sha256().add(embedded_runtime_digest()).add(gomod).hex();
  rt.dir = cache / "rt" / rt.digest.substr(0, 16);
  rt.otel_bridge = req.otel_bridge();
  if (fs::exists(rt.dir / ".complete")) return rt;
  for (size_t i = 0; i < kEmbeddedRuntime_count; ++i) {
    const EmbeddedFile& f = kEmbeddedRuntime[i];
    // Without the otel API in the graph the bridge could not build; `go get
    // goinstr.dev/rt/...` would then add the otel modules at their newest versions.
    if (!rt.otel_bridge && in_bridge(f.path)) continue;
    TRY(write_file_atomic(rt.dir / f.path, f.text));
  }
  TRY(write_file_atomic(rt.dir / "go.mod", gomod));
  // The marker says what an earlier build's cached go.mod copy needs to know of the module.
  TRY(write_file_atomic(rt.dir / ".complete",
                        std::string(rt.otel_bridge ? "bridge " : "plain ") + rt.digest + "\n"));
  return rt;
}

Result<RuntimeModule> existing_runtime_module(const fs::path& dir) {
  auto marker = read_file(dir / ".complete");
  if (!marker) return std::unexpected(marker.error());
  RuntimeModule rt;
  rt.dir = dir;
  rt.otel_bridge = marker->starts_with("bridge ");
  size_t space = marker->find(' ');
  if (space == std::string::npos) return fail("unreadable runtime marker in " + dir.string());
  rt.digest = marker->substr(space + 1, marker->find('\n') - space - 1);
  return rt;
}

}  // namespace goinstr::gobuild
