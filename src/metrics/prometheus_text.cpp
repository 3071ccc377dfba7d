// SPDX-License-Identifier: Apache-2.0
#include "metrics/prometheus_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/semconv.hpp"

namespace goinstr::metrics {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

std::string resource_string(const model::Resource& resource, std::string_view key) {
  for (const auto& attr : resource.attributes)
    if (attr.key == key) return model::to_text(attr.value);
  return "";
}

// Two OTel keys may sanitize to the same label ("a.b", "a_b"); a repeated label name makes the
// whole exposition invalid, so the first one wins.
void add_label(Labels& labels, std::string_view key, std::string value) {
  std::string name = prometheus_label_name(key);
  for (const auto& [existing, _] : labels)
    if (existing == name) return;
  labels.emplace_back(std::move(name), std::move(value));
}

Labels identity_labels(const model::Resource& resource, int32_t pid) {
  Labels labels;
  std::string job = resource_string(resource, semconv::kServiceName);
  if (auto ns = resource_string(resource, "service.namespace"); !ns.empty()) job = ns + "/" + job;
  add_label(labels, "job", std::move(job));
  add_label(labels, "instance", std::to_string(pid));
  return labels;
}

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + '"';
  }
  return out + "}";
}

// HELP text escapes only backslash and newline (the format's rule for docstrings).
std::string escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void render_point(const std::string& name, const HistogramPoint& point, Labels labels,
                  std::string& out) {
  for (const auto& attr : point.attributes) add_label(labels, attr.key, model::to_text(attr.value));
  // Prometheus buckets are cumulative ("le": at most), OTLP's are per bucket.
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    cumulative += point.bucket_counts[i];
    Labels with_le = labels;
    with_le.emplace_back(
        "le", i < kDurationBounds.size() ? format_sample_value(kDurationBounds[i]) : "+Inf");
    out += fmt::format("{}_bucket{} {}\n", name, render_labels(with_le), cumulative);
  }
  out += fmt::format("{}_sum{} {}\n", name, render_labels(labels), format_sample_value(point.sum));
  out += fmt::format("{}_count{} {}\n", name, render_labels(labels), point.count);
}

void render_target_info(const std::map<int32_t, model::Resource>& resources, std::string& out) {
  if (resources.empty()) return;
  out += "# HELP target_info Target metadata\n# TYPE target_info gauge\n";
  for (const auto& [pid, resource] : resources) {
    Labels labels = identity_labels(resource, pid);
    // service.name and service.namespace are already job (OTel's Prometheus compatibility rule).
    for (const auto& attr : resource.attributes)
      if (attr.key != semconv::kServiceName && attr.key != "service.namespace")
        add_label(labels, attr.key, model::to_text(attr.value));
    out += fmt::format("target_info{} 1\n", render_labels(labels));
  }
}

}  // namespace

std::string prometheus_metric_name(const InstrumentInfo& info) {
  std::string name = prometheus_label_name(info.name);
  if (info.unit == "s") name += "_seconds";
  return name;
}

// [a-zA-Z_][a-zA-Z0-9_]*: anything else becomes '_', and a leading digit gets a '_' prefix.
std::string prometheus_label_name(std::string_view key) {
  std::string out;
  if (!key.empty() && std::isdigit(static_cast<unsigned char>(key.front()))) out += '_';
  for (char c : key) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() ? "_" : out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Shortest text that parses back to the same double (Go's ParseFloat reads it), and the
// format's spellings of the special values.
std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string render_prometheus(std::span<const HistogramPoint> points,
                              const ResourceFn& resource_for_pid) {
  std::map<int32_t, model::Resource> resources;
  for (const auto& point : points)
    if (!resources.contains(point.pid)) resources.emplace(point.pid, resource_for_pid(point.pid));

  // One HELP/TYPE block per metric family; points may come in any order.
  std::map<Instrument, std::vector<const HistogramPoint*>> families;
  for (const auto& point : points) families[point.instrument].push_back(&point);

  std::string out;
  for (const auto& [instrument, series] : families) {
    const auto& meta = info(instrument);
    const std::string name = prometheus_metric_name(meta);
    out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, escape_help(meta.description),
                       name);
    for (const auto* point : series)
      render_point(name, *point, identity_labels(resources.at(point->pid), point->pid), out);
  }
  render_target_info(resources, out);
  return out;
}

}  // namespace goinstr::metrics
