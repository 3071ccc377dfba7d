// SPDX-License-Identifier: Apache-2.0
// The OTLP/HTTP transport both signals share (spans here, metrics in src/metrics): binary protobuf
// POSTs on one reused CURL handle, so the TCP connection to the collector stays open between
// batches; no signals (the callers run on worker threads); a bounded response body.
#pragma once

#include <curl/curl.h>

#include <string>

#include "common/result.hpp"
#include "export/exporter.hpp"

namespace goinstr::exporter {

// base URL (OTEL_EXPORTER_OTLP_ENDPOINT) + path, or the endpoint itself when it is a full URL.
std::string otlp_url(const OtlpOptions& options, const std::string& signal_path);

class OtlpHttpPost {
 public:
  OtlpHttpPost(std::string url, const OtlpOptions& options);
  ~OtlpHttpPost();
  OtlpHttpPost(const OtlpHttpPost&) = delete;
  OtlpHttpPost& operator=(const OtlpHttpPost&) = delete;

  // POSTs `payload`; the 2xx response body (possibly a partial_success message), or an error
  // naming the URL and the HTTP status with an excerpt of the body.
  Result<std::string> post(const std::string& payload);
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace goinstr::exporter
