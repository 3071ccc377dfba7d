// SPDX-License-Identifier: Apache-2.0
// The talk's setup, written as the YAML a --config file would hold, so that the defaults, the
// documentation (docs/bench.md) and `goinstr bench --print-defaults` cannot disagree.
#include <cstdio>
#include <cstdlib>

#include "bench/config.hpp"

namespace goinstr::bench {
namespace {

constexpr std::string_view kDefaults =
    R"yaml(# goinstr bench: the compiled-in configuration. A --config file is applied on top of it:
# maps override field by field, list entries are matched by name (a new name adds one).
service:
  dir: demo                             # the Go module; relative to the repository root, or absolute
  start: "{bin} -addr {addr} -db {dsn}" # run as `exec START` in dir, so {pid} is the service itself
  ready: "listening on "                # the service prints this and then HOST:PORT on stdout
  ready_timeout: 30s
database:
  dsn: "postgres://postgres@127.0.0.1:55432/demo?sslmode=disable"
otlp:
  endpoint: "http://127.0.0.1:4318"     # every instrumented variant exports here
load:
  threads: 1                            # event-loop threads of the load generator
  timeout: 10s                          # per request
sampling:
  interval: 200ms                       # /proc sampling of CPU and memory
profile:                                # closed-model stages, or a preset name of `goinstr load`
  full: talk                            # 15s:100,30s:100,15s:0,2s:1000,2s:0
  quick: "1s:20,3s:20"
repeats:
  full: 5
  quick: 2
builds:                                 # builds per variant, each one timed
  full: 2
  quick: 1

variants:
  - name: baseline
    description: the demo as it is, no telemetry
    build: "go build -o {bin} ."
    facts:
      privileges: none
      modifies_source: false
      modifies_binary: false
      go_versions: any
      how: plain go build, nothing instruments it

  - name: manual
    description: OpenTelemetry Go SDK by hand (otelhttp and a hand-made database span)
    build: "go build -tags otelmanual -o {bin} ."
    env:
      OTEL_EXPORTER_OTLP_ENDPOINT: "{otlp}"
      OTEL_SERVICE_NAME: bench-manual
    facts:
      privileges: none
      modifies_source: true
      modifies_binary: true
      go_versions: "SDK: Go 1.25+"
      how: the developer adds the SDK, otelhttp and spans to the code

  - name: runtime-agent
    description: goinstr attach, eBPF uprobes on the unmodified binary
    build: "go build -o {bin} ."
    # Traces only, as the other variants export: the endpoint comes from the environment because
    # --endpoint would turn the agent's span metrics back on.
    attach: "{goinstr} attach --pid {pid} --service-name bench-agent"
    attach_env:
      OTEL_EXPORTER_OTLP_ENDPOINT: "{otlp}"
      OTEL_METRICS_EXPORTER: none
    attach_ready: "Ctrl-C to stop"
    needs_root: true
    facts:
      privileges: root (CAP_BPF, CAP_PERFMON)
      modifies_source: false
      modifies_binary: false
      go_versions: "1.19–1.27"
      how: a separate process attaches eBPF uprobes to the running binary

  - name: compile-time
    description: goinstr go build, instrumentation woven in at build time
    build: "{goinstr} go build -o {bin} ."
    env:
      OTEL_EXPORTER_OTLP_ENDPOINT: "{otlp}"
      OTEL_METRICS_EXPORTER: none        # traces only, as the other variants export
      OTEL_SERVICE_NAME: bench-compile-time
    facts:
      privileges: none
      modifies_source: false
      modifies_binary: true
      go_versions: "1.26–1.27"
      how: goinstr go build weaves spans into the binary; the source is not changed

  - name: obi                           # OpenTelemetry eBPF Instrumentation, when it is installed
    description: OpenTelemetry eBPF Instrumentation (OBI), selecting the service by its port
    requires: obi
    needs_root: true
    build: "go build -o {bin} ."
    attach: "obi"
    attach_env:
      OTEL_EBPF_OPEN_PORT: "{port}"
      OTEL_EXPORTER_OTLP_ENDPOINT: "{otlp}"
      OTEL_SERVICE_NAME: bench-obi
    attach_delay: 5s                    # OBI prints no ready line we rely on: give it time to attach
    facts:
      privileges: root (CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, ...)
      modifies_source: false
      modifies_binary: false
      go_versions: see OBI's documentation
      how: a separate process attaches eBPF probes, chosen by the service's open port

scenarios:
  - name: hello
    method: GET
    path: /hello
  - name: insert
    method: POST
    path: /log
    body: '{"instrumentation":"bench","error_status":false}'
    headers:
      Content-Type: application/json
    needs: database
  - name: load
    method: GET
    path: "/load?cpu=20000&alloc=65536&sleep=2ms"
)yaml";

}  // namespace

std::string_view default_config_yaml() {
  return kDefaults;
}

BenchConfig default_config() {
  BenchConfig config;
  // The text is part of the program; a unit test parses it, so this cannot fail in a release.
  if (auto applied = apply_yaml(config, std::string(kDefaults), "(defaults)"); !applied) {
    std::fprintf(stderr, "goinstr bench: built-in configuration: %s\n",
                 applied.error().message.c_str());
    std::abort();
  }
  return config;
}

}  // namespace goinstr::bench
