// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP spans: POST <endpoint>/v1/traces through the shared transport (otlp_http_post.hpp).
#include <spdlog/spdlog.h>

#include <string>

#include "common/log.hpp"
#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"
#include "export/otlp_http_post.hpp"

namespace goinstr::exporter {
namespace {

class OtlpHttpExporter final : public SpanExporter {
 public:
  explicit OtlpHttpExporter(const OtlpOptions& options)
      : http_(otlp_url(options, "/v1/traces"), options) {}

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    ASSIGN_OR_RETURN(std::string body,
                     http_.post(encode_request(resource, spans).SerializeAsString()));
    log_partial_success(body);
    return {};
  }

  std::string name() const override { return "otlp-http"; }

 private:
  // A 2xx answer may still report rejected spans; they are lost, so say so.
  void log_partial_success(const std::string& body) const {
    if (body.empty()) return;
    otlp_collector::ExportTraceServiceResponse response;
    if (!response.ParseFromString(body) || !response.has_partial_success()) return;
    const auto& partial = response.partial_success();
    if (partial.rejected_spans() > 0 || !partial.error_message().empty()) {
      spdlog::warn("OTLP/HTTP {}: collector rejected {} span(s): {}", http_.url(),
                   partial.rejected_spans(), partial.error_message());
    }
  }

  OtlpHttpPost http_;
};

}  // namespace

std::unique_ptr<SpanExporter> make_otlp_http_exporter(const OtlpOptions& options) {
  return std::make_unique<OtlpHttpExporter>(options);
}

}  // namespace goinstr::exporter
