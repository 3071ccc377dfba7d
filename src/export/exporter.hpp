// SPDX-License-Identifier: Apache-2.0
// Exporters receive finished spans in batches. The agent's event pump never calls an exporter
// directly: it hands spans to a BatchProcessor (batch_processor.hpp), which owns a bounded queue,
// counts every span it has to drop, and calls export_batch() from its own thread.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/result.hpp"
#include "model/span.hpp"

namespace goinstr::exporter {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  // Called from one thread at a time. A failed export is returned, not retried forever: the caller
  // counts the spans as dropped with the error's message.
  virtual Result<> export_batch(const model::Resource& resource,
                                std::span<const model::Span> spans) = 0;
  // Flush anything buffered; called once before exit.
  virtual Result<> shutdown() { return {}; }
  virtual std::string name() const = 0;
};

enum class Protocol { kGrpc, kHttpProtobuf };

struct OtlpOptions {
  std::string
      endpoint;  // http://host:4318 (base URL; /v1/traces is appended) or host:4317 for gRPC
  Protocol protocol = Protocol::kHttpProtobuf;
  std::vector<std::pair<std::string, std::string>> headers;  // OTEL_EXPORTER_OTLP_HEADERS
  int timeout_ms = 10000;
  // true: `endpoint` is the complete traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), so the HTTP
  // exporter must not append /v1/traces.
  bool endpoint_is_full_url = false;
};

// Factories; each exporter lives in its own file.
std::unique_ptr<SpanExporter> make_console_exporter(FILE* out);
std::unique_ptr<SpanExporter> make_otlp_http_exporter(const OtlpOptions& options);
std::unique_ptr<SpanExporter> make_otlp_grpc_exporter(const OtlpOptions& options);
// OTLP-JSON lines: one ExportTraceServiceRequest per line (the Collector file exporter's format).
Result<std::unique_ptr<SpanExporter>> make_json_lines_exporter(const std::string& path);

}  // namespace goinstr::exporter
