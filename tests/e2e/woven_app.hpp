// SPDX-License-Identifier: Apache-2.0
// Test programs built by `goinstr go build` and run exporting to the e2e Jaeger: shared by the
// compile-time gRPC and HTTP/2 tests.
#pragma once

#include <csignal>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/go_command.hpp"
#include "tests/e2e/test_apps.hpp"

namespace goinstr::e2e {

// A woven build: its path, or the error text when `goinstr go build` failed.
struct Woven {
  fs::path path;
  std::string error;
};

// `goinstr go build` of the module in `src` (`env` added), into a scratch directory.
inline Woven weave(const fs::path& src, const std::string& name,
                   const std::map<std::string, std::string>& env = {}) {
  fs::path out = scratch_dir("bin-" + name) / name;
  GoRun r = goinstr_go({"build", "-o", out.string(), "."}, src, env);
  if (r.code != 0) return {{}, "goinstr go build failed in " + src.string() + ":\n" + r.output};
  return {out, ""};
}

// Starts a woven program exporting to Jaeger as `service`.
inline Result<testing::Subprocess> start_woven(const fs::path& binary, const std::string& service,
                                               const std::vector<std::string>& args) {
  testing::SubprocessOptions opts;
  opts.env = {{"OTEL_EXPORTER_OTLP_ENDPOINT", kOtlpHttp},
              {"OTEL_BSP_SCHEDULE_DELAY", "100"},
              {"OTEL_SERVICE_NAME", service}};
  std::vector<std::string> argv = {binary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Subprocess::spawn(argv, opts);
}

// Stops a woven service with SIGTERM (the test apps stop gracefully and main returns, which
// flushes the woven runtime).
inline void stop_woven(testing::Subprocess& p) {
  ASSERT_TRUE(p.send_signal(SIGTERM));
  ASSERT_TRUE(p.wait(30s).has_value()) << p.describe();
}

}  // namespace goinstr::e2e
