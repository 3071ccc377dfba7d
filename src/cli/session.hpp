// SPDX-License-Identifier: Apache-2.0
// What `run` and `attach` share: the common flags, configuration, the export pipeline, the agent,
// waiting for signals, and the closing report (every drop counted, never silent).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "agent/agent.hpp"
#include "config/config.hpp"
#include "export/batch_processor.hpp"
#include "metrics/span_metrics.hpp"

namespace goinstr::cli {

// --config, --output, --endpoint, --protocol, --service-name, --prometheus.
void add_common_flags(CLI::App& cmd, config::Flags& flags);

// Signals the agent waits for (and `run` forwards). They are blocked in every thread and taken
// with sigtimedwait, so no handler runs at an arbitrary point.
sigset_t handled_signals();
void block_handled_signals();

class Session {
 public:
  static Result<std::unique_ptr<Session>> create(const config::Flags& flags);
  ~Session();

  agent::Agent& agent() { return *agent_; }
  const config::Config& config() const { return config_; }
  // Traces `executable` in `pid` (-1: all its processes). The executable's path and Go version
  // also describe the resource of processes that exit before their last spans are exported.
  Result<agent::TargetInfo> trace(const std::string& executable, pid_t pid);
  // Stops the agent, exports what is left, prints the summary. Returns false when spans were lost.
  bool finish();

 private:
  Session() = default;
  struct TargetDescription {
    std::mutex mu;
    std::string executable;
    std::string go_version;
  };
  config::Config config_;
  std::shared_ptr<TargetDescription> target_ = std::make_shared<TargetDescription>();
  std::unique_ptr<exporter::BatchProcessor> processor_;
  std::unique_ptr<metrics::SpanMetrics> metrics_;  // null when metrics are off
  std::unique_ptr<agent::Agent> agent_;
  bool finished_ = false;
  bool traced_ = false;
};

}  // namespace goinstr::cli
