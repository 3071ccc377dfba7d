// SPDX-License-Identifier: Apache-2.0
// Prometheus text exposition format 0.0.4 for the aggregated histograms. OTel names map to
// Prometheus ones as the OTel compatibility spec says: dots become underscores and the unit
// becomes a suffix (http.server.request.duration, "s" -> http_server_request_duration_seconds).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "metrics/aggregator.hpp"

namespace goinstr::metrics {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Every series with `job` (service.name) and `instance` (the pid) labels, so processes that share
// a service name stay apart, then one `target_info` gauge per process with its resource.
std::string render_prometheus(std::span<const HistogramPoint> points,
                              const ResourceFn& resource_for_pid);

// Exposed for tests: name and label-value rules.
std::string prometheus_metric_name(const InstrumentInfo& info);
std::string prometheus_label_name(std::string_view key);
std::string escape_label_value(std::string_view value);
std::string format_sample_value(double value);

}  // namespace goinstr::metrics
