// SPDX-License-Identifier: Apache-2.0
// Shared set-up for the runtime agent's end-to-end tests: root check, the demo binary (built once
// per test binary), the goinstr CLI, Jaeger's addresses, and starting the demo under goinstr.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/jaeger.hpp"
#include "tests/support/net.hpp"
#include "tests/support/process.hpp"

namespace goinstr::e2e {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

inline const char* kJaegerQuery = "http://127.0.0.1:16686";
inline const char* kOtlpHttp = "http://127.0.0.1:4318";
inline const char* kOtlpGrpc = "http://127.0.0.1:4317";

inline std::string goinstr_path() {
  return std::string(GOINSTR_BINARY_DIR) + "/goinstr";
}

// Builds demo/ once per process; fails the test with go's output when it does not build.
const std::string& demo_binary();

// A unique service name per test, so Jaeger answers never mix runs.
std::string unique_service(const std::string& prefix);

// Skips unless root (uprobes and BPF need it); fails if Jaeger is not up, since CI starts it.
void require_root_and_jaeger();

// Parses "listening on 127.0.0.1:PORT" from the demo's stdout.
std::string wait_for_demo_url(testing::Subprocess& process);

std::string traceparent(const std::string& trace_id, const std::string& span_id);

// Every span in an OTLP-JSON lines file (`goinstr --output`), in file order.
std::vector<nlohmann::json> read_jsonl_spans(const fs::path& file);

}  // namespace goinstr::e2e
