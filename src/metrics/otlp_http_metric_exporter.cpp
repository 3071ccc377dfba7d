// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP metrics with binary protobuf bodies. Same transport choices as the span exporter
// (export/otlp_http_exporter.cpp): one reused CURL handle, no signals, bounded response body.
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "common/log.hpp"
#include "metrics/metric_exporter.hpp"

namespace goinstr::metrics {
namespace {

constexpr size_t kMaxResponseBody = 64 * 1024;
constexpr size_t kBodyExcerpt = 200;

size_t collect_body(char* data, size_t size, size_t nmemb, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * nmemb;
  body->append(data, std::min(n, kMaxResponseBody - std::min(kMaxResponseBody, body->size())));
  return n;
}

std::string excerpt(std::string_view body) {
  std::string out(body.substr(0, kBodyExcerpt));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

class OtlpHttpMetricExporter final : public MetricExporter {
 public:
  explicit OtlpHttpMetricExporter(const exporter::OtlpOptions& options)
      : url_(metrics_url(options)) {
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
    headers_ = curl_slist_append(headers_, "Expect:");  // no "100 Continue" round trip
    for (const auto& [key, value] : options.headers)
      headers_ = curl_slist_append(headers_, (key + ": " + value).c_str());
    if (curl_) configure(options.timeout_ms);
  }
  ~OtlpHttpMetricExporter() override {
    if (curl_) curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }
  OtlpHttpMetricExporter(const OtlpHttpMetricExporter&) = delete;
  OtlpHttpMetricExporter& operator=(const OtlpHttpMetricExporter&) = delete;

  Result<> export_metrics(
      const otlp_metrics_collector::ExportMetricsServiceRequest& request) override {
    if (!curl_) return fail("OTLP/HTTP metrics: curl_easy_init failed");
    const std::string payload = request.SerializeAsString();
    std::string body;
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body);
    error_buffer_[0] = '\0';
    const CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK)
      return fail(fmt::format("OTLP/HTTP POST {}: {}", url_,
                              error_buffer_[0] ? error_buffer_ : curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299)
      return fail(fmt::format("OTLP/HTTP POST {}: HTTP {}: {}", url_, status, excerpt(body)));
    log_partial_success(body);
    return {};
  }

  std::string name() const override { return "otlp-http-metrics"; }

 private:
  void configure(int timeout_ms) {
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_USERAGENT, "goinstr/0.1.0");
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
    // Runs on the pipeline's thread; curl's SIGALRM DNS timeout is not thread-safe.
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  }

  // A 2xx answer may still say points were rejected; they are lost, so say so.
  void log_partial_success(const std::string& body) const {
    otlp_metrics_collector::ExportMetricsServiceResponse response;
    if (body.empty() || !response.ParseFromString(body) || !response.has_partial_success()) return;
    const auto& partial = response.partial_success();
    if (partial.rejected_data_points() > 0 || !partial.error_message().empty())
      spdlog::warn("OTLP/HTTP {}: collector rejected {} data point(s): {}", url_,
                   partial.rejected_data_points(), partial.error_message());
  }

  std::string url_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::string metrics_url(const exporter::OtlpOptions& options) {
  std::string url = options.endpoint;
  if (url.find("://") == std::string::npos) url = "http://" + url;
  if (options.endpoint_is_full_url) return url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v1/metrics";
}

std::unique_ptr<MetricExporter> make_otlp_http_metric_exporter(
    const exporter::OtlpOptions& options) {
  return std::make_unique<OtlpHttpMetricExporter>(options);
}

std::unique_ptr<MetricExporter> make_otlp_metric_exporter(const exporter::OtlpOptions& options) {
  return options.protocol == exporter::Protocol::kGrpc ? make_otlp_grpc_metric_exporter(options)
                                                       : make_otlp_http_metric_exporter(options);
}

}  // namespace goinstr::metrics
