// SPDX-License-Identifier: Apache-2.0
#include "agent/http_server_offsets.hpp"

#include <fmt/format.h>

namespace goinstr::agent {
namespace {

Result<uint64_t> field(const obj::GoBinary& binary, std::string_view type, std::string_view name,
                       std::vector<std::string>* notes) {
  auto off = binary.field_offset(type, name);
  if (!off) return std::unexpected(off.error().context(fmt::format("offset of {}.{}", type, name)));
  if (notes) notes->push_back(fmt::format("{}.{} = {} ({})", type, name, off->offset, off->detail));
  return off->offset;
}

}  // namespace

Result<http_server_offsets> resolve_http_server_offsets(const obj::GoBinary& binary,
                                                        std::vector<std::string>* notes) {
  http_server_offsets o{};
  ASSIGN_OR_RETURN(o.g_goid, field(binary, "runtime.g", "goid", notes));
  ASSIGN_OR_RETURN(o.response_conn, field(binary, "net/http.response", "conn", notes));
  ASSIGN_OR_RETURN(o.response_req, field(binary, "net/http.response", "req", notes));
  ASSIGN_OR_RETURN(o.response_status, field(binary, "net/http.response", "status", notes));
  ASSIGN_OR_RETURN(o.conn_bufr, field(binary, "net/http.conn", "bufr", notes));
  ASSIGN_OR_RETURN(o.bufio_reader_buf, field(binary, "bufio.Reader", "buf", notes));
  ASSIGN_OR_RETURN(o.bufio_reader_r, field(binary, "bufio.Reader", "r", notes));
  ASSIGN_OR_RETURN(o.request_method, field(binary, "net/http.Request", "Method", notes));
  ASSIGN_OR_RETURN(o.request_url, field(binary, "net/http.Request", "URL", notes));
  ASSIGN_OR_RETURN(o.request_proto_major, field(binary, "net/http.Request", "ProtoMajor", notes));
  ASSIGN_OR_RETURN(o.request_proto_minor, field(binary, "net/http.Request", "ProtoMinor", notes));
  ASSIGN_OR_RETURN(o.request_host, field(binary, "net/http.Request", "Host", notes));
  ASSIGN_OR_RETURN(o.request_remote_addr, field(binary, "net/http.Request", "RemoteAddr", notes));
  ASSIGN_OR_RETURN(o.url_path, field(binary, "net/url.URL", "Path", notes));

  // The matched ServeMux pattern: a public field since Go 1.23, a private pointer in Go 1.22.
  if (auto pattern = field(binary, "net/http.Request", "Pattern", nullptr)) {
    o.request_pattern = *pattern;
    o.pattern_mode = GOINSTR_PATTERN_FIELD;
  } else if (auto pat = field(binary, "net/http.Request", "pat", nullptr)) {
    auto str = field(binary, "net/http.pattern", "str", nullptr);
    if (str) {
      o.request_pat = *pat;
      o.pattern_str = *str;
      o.pattern_mode = GOINSTR_PATTERN_VIA_PAT;
    }
  }
  if (notes) {
    static constexpr const char* kModes[] = {"none (Go < 1.22: http.route unavailable)",
                                             "Request.Pattern", "Request.pat.str"};
    notes->push_back(fmt::format("route pattern source: {}", kModes[o.pattern_mode]));
  }
  return o;
}

}  // namespace goinstr::agent
