// SPDX-License-Identifier: Apache-2.0
// The Go side of compile-time instrumentation: module goinstr.dev/rt (gort/ in this repository,
// its non-test .go files compiled into the goinstr binary) holds the recorder, the exporters and
// the hook functions woven code calls. It depends on nothing but gopkg.in/yaml.v3 and, in a
// program that already uses OpenTelemetry, on the otel API (package goinstr.dev/rt/otelbridge).
// Its go.mod is written per build from the user's module graph: the user's go line and the
// versions the user's graph already selects, so that adding it lifts nothing.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "gobuild/module_list.hpp"

namespace goinstr::gobuild {

inline constexpr const char* kRuntimeModule = "goinstr.dev/rt";
inline constexpr const char* kOtelBridgePackage = "goinstr.dev/rt/otelbridge";
inline constexpr const char* kYamlModule = "gopkg.in/yaml.v3";
inline constexpr const char* kDefaultYamlVersion = "v3.0.1";
inline constexpr const char* kOtelModule = "go.opentelemetry.io/otel";
inline constexpr const char* kOtelTraceModule = "go.opentelemetry.io/otel/trace";

// What the runtime's generated go.mod says.
struct RuntimeRequirements {
  std::string go_line;             // the user's, exactly
  std::string yaml_version;        // the user's graph's, else kDefaultYamlVersion
  std::string otel_version;        // both set when the user's graph selects both modules
  std::string otel_trace_version;  // (the bridge is linked), else both empty
  bool otel_bridge() const { return !otel_version.empty(); }
};

// The requirements for a user whose go.mod (or go.work) says `go_line` and whose build selects
// `user_graph` (`go list -m all`). Fails when the go line is missing or below go 1.13, the
// runtime's own language level. The OpenTelemetry bridge is required only when the program uses
// the API itself (`program_uses_otel`, see otel_use.hpp) and its graph selects both otel modules.
Result<RuntimeRequirements> choose_runtime_requirements(std::string_view go_line,
                                                        const std::vector<ListedModule>& user_graph,
                                                        bool program_uses_otel = true);

// The runtime's go.mod: module, go line, requirements; no toolchain line.
std::string runtime_gomod(const RuntimeRequirements& req);

// Digest of every embedded runtime file: part of the key of each go.mod copy.
std::string embedded_runtime_digest();

struct RuntimeModule {
  std::filesystem::path dir;  // where its go.mod is
  std::string digest;         // of the embedded files and the generated go.mod
  bool otel_bridge = false;   // otelbridge/ is there: main packages import it too
};

// Writes the embedded module with the go.mod for `req` under the cache (once per digest) and
// returns it. otelbridge/ is left out when the user's graph has no otel API to bridge to.
Result<RuntimeModule> materialize_runtime_module(const std::filesystem::path& cache,
                                                 const RuntimeRequirements& req);

// The module a materialised directory holds, from its marker (for a go.mod copy's cached
// result); fails when it is gone.
Result<RuntimeModule> existing_runtime_module(const std::filesystem::path& dir);

}  // namespace goinstr::gobuild
