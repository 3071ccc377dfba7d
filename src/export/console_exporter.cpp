// SPDX-License-Identifier: Apache-2.0
// The default exporter: a human-readable tree per trace, written to stdout (logs go to stderr, so
// the two never interleave). Spans whose parent is not in the same batch are shown at top level
// with the parent id, because parents often finish (and are exported) after their children.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "export/exporter.hpp"
#include "model/semconv.hpp"

namespace goinstr::exporter {
namespace {

std::string_view kind_name(model::SpanKind kind) {
  switch (kind) {
    case model::SpanKind::kInternal:
      return "internal";
    case model::SpanKind::kServer:
      return "server";
    case model::SpanKind::kClient:
      return "client";
    case model::SpanKind::kProducer:
      return "producer";
    case model::SpanKind::kConsumer:
      return "consumer";
    case model::SpanKind::kUnspecified:
      break;
  }
  return "unspecified";
}

const model::Attribute* find_attribute(const std::vector<model::Attribute>& attrs,
                                       std::string_view key) {
  for (const auto& a : attrs)
    if (a.key == key) return &a;
  return nullptr;
}

// "GET /hello  200  1.234 ms  server  span 00f067aa0ba902b7  http.route=/hello ..."
std::string span_line(const model::Span& span, bool orphan) {
  std::string line = span.name;
  const auto* status_code = find_attribute(span.attributes, semconv::kHttpResponseStatusCode);
  if (status_code) line += "  " + model::to_text(status_code->value);
  const double ms = span.end_unix_ns >= span.start_unix_ns
                        ? static_cast<double>(span.end_unix_ns - span.start_unix_ns) / 1e6
                        : 0.0;
  fmt::format_to(std::back_inserter(line), "  {:.3f} ms  {}  span {}", ms, kind_name(span.kind),
                 model::to_hex(span.span_id));
  if (span.status == model::StatusCode::kError) {
    line += span.status_message.empty() ? "  ERROR" : "  ERROR: " + span.status_message;
  }
  if (orphan)
    line += fmt::format("  (parent {}…)", model::to_hex(span.parent_span_id).substr(0, 8));
  // The method is already in the span name ("GET /hello") and the status code has its own column.
  const auto* method = find_attribute(span.attributes, semconv::kHttpRequestMethod);
  const bool method_in_name = method && span.name.starts_with(model::to_text(method->value));
  const char* separator = "  ";  // two spaces before the attributes, one between them
  for (const auto& attr : span.attributes) {
    if (&attr == status_code || (method_in_name && &attr == method)) continue;
    line += fmt::format("{}{}={}", separator, attr.key, model::to_text(attr.value));
    separator = " ";
  }
  return line;
}

class ConsoleExporter final : public SpanExporter {
 public:
  explicit ConsoleExporter(FILE* out) : out_(out) {}

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    std::string text;
    std::string service;
    if (const auto* s = find_attribute(resource.attributes, semconv::kServiceName))
      service = "  service " + model::to_text(s->value);
    for (const auto& trace : group_by_trace(spans)) {
      text += "trace " + model::to_hex(trace.front()->trace_id) + service + "\n";
      render_trace(trace, text);
    }
    if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() || std::fflush(out_) != 0)
      return fail_errno("console exporter: write");
    return {};
  }

  std::string name() const override { return "console"; }

 private:
  using Trace = std::vector<const model::Span*>;

  // Traces in order of first appearance, so output follows arrival order.
  static std::vector<Trace> group_by_trace(std::span<const model::Span> spans) {
    std::vector<Trace> traces;
    std::map<model::TraceId, size_t> index;
    for (const auto& span : spans) {
      auto [it, inserted] = index.try_emplace(span.trace_id, traces.size());
      if (inserted) traces.emplace_back();
      traces[it->second].push_back(&span);
    }
    return traces;
  }

  // Renders one trace as a tree; children are ordered by start time.
  struct TreeRenderer {
    std::map<model::SpanId, std::vector<const model::Span*>> children;
    std::set<const model::Span*> printed;
    std::string& text;

    void node(const model::Span& span, const std::string& indent, bool last, bool top) {
      printed.insert(&span);
      text += indent + (last ? "└─ " : "├─ ") + span_line(span, top && span.has_parent()) + "\n";
      auto it = children.find(span.span_id);
      if (it == children.end()) return;
      const std::string child_indent = indent + (last ? "   " : "│  ");
      const auto& kids = it->second;
      for (size_t i = 0; i < kids.size(); ++i) {
        // Guards against span-id cycles, which would otherwise recurse forever.
        if (printed.contains(kids[i])) continue;
        node(*kids[i], child_indent, i + 1 == kids.size(), false);
      }
    }
  };

  static void render_trace(const Trace& trace, std::string& text) {
    TreeRenderer tree{.children = {}, .printed = {}, .text = text};
    std::set<model::SpanId> present;
    for (const auto* s : trace) present.insert(s->span_id);
    std::vector<const model::Span*> roots;
    for (const auto* s : trace) {
      if (s->has_parent() && s->parent_span_id != s->span_id && present.contains(s->parent_span_id))
        tree.children[s->parent_span_id].push_back(s);
      else
        roots.push_back(s);
    }
    auto by_start = [](const model::Span* a, const model::Span* b) {
      return a->start_unix_ns < b->start_unix_ns;
    };
    std::stable_sort(roots.begin(), roots.end(), by_start);
    for (auto& [id, kids] : tree.children) std::stable_sort(kids.begin(), kids.end(), by_start);
    for (size_t i = 0; i < roots.size(); ++i)
      tree.node(*roots[i], "  ", i + 1 == roots.size(), true);
    // Spans caught in a parent cycle are unreachable from any root; still show every span.
    for (const auto* s : trace)
      if (!tree.printed.contains(s)) tree.node(*s, "  ", true, true);
  }

  FILE* out_;
};

}  // namespace

std::unique_ptr<SpanExporter> make_console_exporter(FILE* out) {
  return std::make_unique<ConsoleExporter>(out);
}

}  // namespace goinstr::exporter
