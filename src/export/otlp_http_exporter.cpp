// SPDX-License-Identifier: Apache-2.0
// OTLP/HTTP with binary protobuf bodies (POST <endpoint>/v1/traces). One CURL easy handle is kept
// for the exporter's lifetime so the TCP connection to the collector is reused between batches.
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "common/log.hpp"
#include "export/exporter.hpp"
#include "export/otlp_encode.hpp"

namespace goinstr::exporter {
namespace {

// Enough of an error body to recognise the backend's complaint without flooding the log.
constexpr size_t kBodyExcerpt = 200;
// The response body is only parsed for partial_success; anything larger is not an OTLP reply.
constexpr size_t kMaxResponseBody = 64 * 1024;

size_t collect_body(char* data, size_t size, size_t nmemb, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * nmemb;
  body->append(data, std::min(n, kMaxResponseBody - std::min(kMaxResponseBody, body->size())));
  return n;
}

// OTEL_EXPORTER_OTLP_ENDPOINT is a base URL that gets /v1/traces; the traces-specific variable is
// used verbatim (OTLP exporter specification).
std::string traces_url(const OtlpOptions& options) {
  std::string url = options.endpoint;
  if (url.find("://") == std::string::npos) url = "http://" + url;
  if (options.endpoint_is_full_url) return url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/v1/traces";
}

std::string excerpt(std::string_view body) {
  std::string out(body.substr(0, kBodyExcerpt));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (body.size() > kBodyExcerpt) out += "…";
  return out;
}

class OtlpHttpExporter final : public SpanExporter {
 public:
  explicit OtlpHttpExporter(const OtlpOptions& options) : url_(traces_url(options)) {
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
    // Without this curl waits for "100 Continue" before sending bodies over 1 KiB.
    headers_ = curl_slist_append(headers_, "Expect:");
    for (const auto& [key, value] : options.headers)
      headers_ = curl_slist_append(headers_, (key + ": " + value).c_str());
    if (curl_) configure(options.timeout_ms);
  }

  ~OtlpHttpExporter() override {
    if (curl_) curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }

  Result<> export_batch(const model::Resource& resource,
                        std::span<const model::Span> spans) override {
    if (!curl_) return fail("OTLP/HTTP: curl_easy_init failed");
    const std::string payload = encode_request(resource, spans).SerializeAsString();
    std::string body;
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body);
    error_buffer_[0] = '\0';
    const CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      return fail(fmt::format("OTLP/HTTP POST {}: {}", url_,
                              error_buffer_[0] ? error_buffer_ : curl_easy_strerror(rc)));
    }
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299)
      return fail(fmt::format("OTLP/HTTP POST {}: HTTP {}: {}", url_, status, excerpt(body)));
    log_partial_success(body);
    return {};
  }

  std::string name() const override { return "otlp-http"; }

 private:
  void configure(int timeout_ms) {
    curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_USERAGENT, "goinstr/0.1.0");
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
    // The exporter runs on a worker thread; curl's SIGALRM-based DNS timeout is not thread-safe.
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
  }

  // A 2xx answer may still report rejected spans; they are lost, so say so.
  void log_partial_success(const std::string& body) const {
    if (body.empty()) return;
    otlp_collector::ExportTraceServiceResponse response;
    if (!response.ParseFromString(body) || !response.has_partial_success()) return;
    const auto& partial = response.partial_success();
    if (partial.rejected_spans() > 0 || !partial.error_message().empty()) {
      spdlog::warn("OTLP/HTTP {}: collector rejected {} span(s): {}", url_,
                   partial.rejected_spans(), partial.error_message());
    }
  }

  std::string url_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<SpanExporter> make_otlp_http_exporter(const OtlpOptions& options) {
  return std::make_unique<OtlpHttpExporter>(options);
}

}  // namespace goinstr::exporter
