// SPDX-License-Identifier: Apache-2.0
#include "agent/http_server_offsets.hpp"

#include <fmt/format.h>

#include "agent/probe_field.hpp"

#include <algorithm>

namespace goinstr::agent {
Result<http_server_offsets> resolve_http_server_offsets(const obj::GoBinary& binary,
                                                        std::vector<std::string>* notes) {
  http_server_offsets o{};
  ASSIGN_OR_RETURN(o.g_goid, probe_field(binary, "runtime.g", "goid", notes));
  ASSIGN_OR_RETURN(o.response_conn, probe_field(binary, "net/http.response", "conn", notes));
  ASSIGN_OR_RETURN(o.response_req, probe_field(binary, "net/http.response", "req", notes));
  ASSIGN_OR_RETURN(o.response_status, probe_field(binary, "net/http.response", "status", notes));
  ASSIGN_OR_RETURN(o.conn_bufr, probe_field(binary, "net/http.conn", "bufr", notes));
  ASSIGN_OR_RETURN(o.bufio_reader_buf, probe_field(binary, "bufio.Reader", "buf", notes));
  ASSIGN_OR_RETURN(o.bufio_reader_r, probe_field(binary, "bufio.Reader", "r", notes));
  ASSIGN_OR_RETURN(o.request_method, probe_field(binary, "net/http.Request", "Method", notes));
  ASSIGN_OR_RETURN(o.request_url, probe_field(binary, "net/http.Request", "URL", notes));
  ASSIGN_OR_RETURN(o.request_proto_major,
                   probe_field(binary, "net/http.Request", "ProtoMajor", notes));
  ASSIGN_OR_RETURN(o.request_proto_minor,
                   probe_field(binary, "net/http.Request", "ProtoMinor", notes));
  ASSIGN_OR_RETURN(o.request_host, probe_field(binary, "net/http.Request", "Host", notes));
  ASSIGN_OR_RETURN(o.request_remote_addr,
                   probe_field(binary, "net/http.Request", "RemoteAddr", notes));
  ASSIGN_OR_RETURN(o.url_path, probe_field(binary, "net/url.URL", "Path", notes));

  // The matched ServeMux pattern: a public field since Go 1.23, a private pointer in Go 1.22.
  if (auto pattern = probe_field(binary, "net/http.Request", "Pattern", nullptr)) {
    o.request_pattern = *pattern;
    o.pattern_mode = GOINSTR_PATTERN_FIELD;
  } else if (auto pat = probe_field(binary, "net/http.Request", "pat", nullptr)) {
    auto str = probe_field(binary, "net/http.pattern", "str", nullptr);
    if (str) {
      o.request_pat = *pat;
      o.pattern_str = *str;
      o.pattern_mode = GOINSTR_PATTERN_VIA_PAT;
    }
  }
  // The probes copy a Request and a bufio.Reader with one read each, up to their last used field.
  uint64_t request_end =
      std::max({o.request_method + 16, o.request_url + 8, o.request_proto_major + 8,
                o.request_proto_minor + 8, o.request_host + 16, o.request_remote_addr + 16});
  uint64_t bufio_end = std::max(o.bufio_reader_buf + 8, o.bufio_reader_r + 8);
  uint64_t response_end = std::max(o.response_req + 8, o.response_status + 8);
  if (std::max({request_end, bufio_end, response_end}) > GOINSTR_SNAPSHOT_MAX) {
    return fail(
        fmt::format("unexpected struct layout: net/http.Request needs {} bytes, "
                    "bufio.Reader {}, net/http.response {}; the probes copy at most {}",
                    request_end, bufio_end, response_end, GOINSTR_SNAPSHOT_MAX));
  }
  o.response_snapshot_size = static_cast<uint32_t>(response_end);
  o.request_snapshot_size = static_cast<uint32_t>(request_end);
  o.bufio_reader_snapshot_size = static_cast<uint32_t>(bufio_end);
  if (notes) {
    static constexpr const char* kModes[] = {"none (Go < 1.22: http.route unavailable)",
                                             "Request.Pattern", "Request.pat.str"};
    notes->push_back(fmt::format("route pattern source: {}", kModes[o.pattern_mode]));
  }
  return o;
}

}  // namespace goinstr::agent
