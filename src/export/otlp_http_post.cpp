// SPDX-License-Identifier: Apache-2.0
#include "export/otlp_http_post.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

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

std::string excerpt(std::string_view body) {
  std::string out(body.substr(0, kBodyExcerpt));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (body.size() > kBodyExcerpt) out += "…";
  return out;
}

}  // namespace

std::string otlp_url(const OtlpOptions& options, const std::string& signal_path) {
  std::string url = options.endpoint;
  if (url.find("://") == std::string::npos) url = "http://" + url;
  if (options.endpoint_is_full_url) return url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + signal_path;
}

OtlpHttpPost::OtlpHttpPost(std::string url, const OtlpOptions& options) : url_(std::move(url)) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
  // Without this curl waits for "100 Continue" before sending bodies over 1 KiB.
  headers_ = curl_slist_append(headers_, "Expect:");
  for (const auto& [key, value] : options.headers)
    headers_ = curl_slist_append(headers_, (key + ": " + value).c_str());
  if (!curl_) return;
  const long timeout_ms = options.timeout_ms;
  curl_easy_setopt(curl_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "goinstr/0.1.0");
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
  // Exporters run on worker threads; curl's SIGALRM-based DNS timeout is not thread-safe.
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_);
}

OtlpHttpPost::~OtlpHttpPost() {
  if (curl_) curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

Result<std::string> OtlpHttpPost::post(const std::string& payload) {
  if (!curl_) return fail("OTLP/HTTP: curl_easy_init failed");
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
  return body;
}

}  // namespace goinstr::exporter
