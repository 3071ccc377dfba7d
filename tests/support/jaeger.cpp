// SPDX-License-Identifier: Apache-2.0
#include "tests/support/jaeger.hpp"

#include <cctype>
#include <cstdint>
#include <thread>
#include <utility>

#include "tests/support/net.hpp"

namespace goinstr::testing {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

std::string url_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<json> get_json(const std::string& url) {
  ASSIGN_OR_RETURN(HttpResponse resp, http_get(url));
  if (resp.status != 200) {
    return fail("GET " + url + ": HTTP " + std::to_string(resp.status) + ": " + resp.body);
  }
  json parsed = json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return fail("GET " + url + ": response is not JSON");
  return parsed;
}

int64_t unix_micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

JaegerClient::JaegerClient(std::string base_url) : base_url_(std::move(base_url)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<std::vector<std::string>> JaegerClient::services() const {
  ASSIGN_OR_RETURN(json answer, get_json(base_url_ + "/api/services"));
  std::vector<std::string> out;
  // Jaeger answers "data": null rather than [] when nothing has been stored yet.
  if (answer.contains("data") && answer["data"].is_array()) {
    for (const auto& s : answer["data"]) {
      if (s.is_string()) out.push_back(s.get<std::string>());
    }
  }
  return out;
}

Result<json> JaegerClient::traces(const std::string& service, int limit,
                                  std::chrono::seconds lookback) const {
  // Explicit start/end (microseconds) rather than the UI's "lookback" shorthand, whose parsing
  // has changed across Jaeger versions. The end is padded for clock skew on a busy machine.
  auto now = std::chrono::system_clock::now();
  std::string url = base_url_ + "/api/traces?service=" + url_escape(service) +
                    "&limit=" + std::to_string(limit) +
                    "&start=" + std::to_string(unix_micros(now - lookback)) +
                    "&end=" + std::to_string(unix_micros(now + std::chrono::minutes(1)));
  return get_json(url);
}

Result<json> JaegerClient::trace(const std::string& trace_id) const {
  return get_json(base_url_ + "/api/traces/" + url_escape(trace_id));
}

Result<std::vector<json>> JaegerClient::wait_for_span_count(const std::string& service,
                                                            std::size_t count,
                                                            std::chrono::milliseconds timeout,
                                                            const SpanPredicate& match) const {
  auto deadline = Clock::now() + timeout;
  std::string last_error;
  std::size_t last_seen = 0;
  while (true) {
    auto answer = traces(service, /*limit=*/1000);
    if (answer) {
      std::vector<json> found;
      for (auto& [span, trace] : spans_with_traces(*answer)) {
        if (!match || match(span, trace)) found.push_back(std::move(span));
      }
      last_seen = found.size();
      if (found.size() >= count) return found;
      last_error.clear();
    } else {
      // A service Jaeger has not seen yet can be an error rather than an empty list: keep going.
      last_error = answer.error().message;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string msg = "timed out waiting for " + std::to_string(count) + " span(s) of service " +
                    service + " in Jaeger: " + std::to_string(last_seen) + " matched";
  if (!last_error.empty()) msg += "; last query error: " + last_error;
  return fail(msg);
}

std::vector<std::pair<json, json>> spans_with_traces(const json& traces_answer) {
  std::vector<std::pair<json, json>> out;
  if (!traces_answer.contains("data") || !traces_answer["data"].is_array()) return out;
  for (const auto& trace : traces_answer["data"]) {
    if (!trace.contains("spans") || !trace["spans"].is_array()) continue;
    for (const auto& span : trace["spans"]) out.emplace_back(span, trace);
  }
  return out;
}

std::vector<json> all_spans(const json& traces_answer) {
  std::vector<json> out;
  for (auto& [span, trace] : spans_with_traces(traces_answer)) out.push_back(std::move(span));
  return out;
}

std::optional<json> span_tag(const json& span, std::string_view key) {
  if (!span.contains("tags") || !span["tags"].is_array()) return std::nullopt;
  for (const auto& tag : span["tags"]) {
    if (tag.value("key", "") == key && tag.contains("value")) return tag["value"];
  }
  return std::nullopt;
}

std::optional<std::string> span_tag_string(const json& span, std::string_view key) {
  auto v = span_tag(span, key);
  if (!v) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  return v->dump();
}

std::optional<std::string> parent_span_id(const json& span) {
  if (!span.contains("references") || !span["references"].is_array()) return std::nullopt;
  for (const auto& ref : span["references"]) {
    if (ref.value("refType", "") == "CHILD_OF") return ref.value("spanID", "");
  }
  return std::nullopt;
}

std::optional<std::string> span_service(const json& span, const json& trace) {
  std::string pid = span.value("processID", "");
  if (pid.empty() || !trace.contains("processes")) return std::nullopt;
  const auto& procs = trace["processes"];
  if (!procs.contains(pid)) return std::nullopt;
  return procs[pid].value("serviceName", "");
}

}  // namespace goinstr::testing
