// SPDX-License-Identifier: Apache-2.0
#include "agent/probe_offsets.hpp"

#include <fmt/format.h>

#include "agent/probe_field.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace goinstr::agent {
Result<db_offsets> resolve_db_offsets(const obj::GoBinary& binary,
                                      std::vector<std::string>* notes) {
  // A program that never uses Stmt or Tx has neither the types in its DWARF nor their methods in
  // its code, so their probes are not attached either: the offsets can stay 0.
  db_offsets o{};
  if (auto off = probe_field(binary, "database/sql.Stmt", "query", notes)) o.stmt_query = *off;
  if (auto off = probe_field(binary, "database/sql.Stmt", "db", notes)) o.stmt_db = *off;
  if (auto off = probe_field(binary, "database/sql.Tx", "db", notes)) o.tx_db = *off;
  if (auto off = probe_field(binary, "database/sql.Tx", "done", notes)) o.tx_done = *off;
  return o;
}

Result<http_client_offsets> resolve_http_client_offsets(const obj::GoBinary& binary,
                                                        std::vector<std::string>* notes) {
  http_client_offsets o{};
  ASSIGN_OR_RETURN(o.request_method, probe_field(binary, "net/http.Request", "Method", notes));
  ASSIGN_OR_RETURN(o.request_url, probe_field(binary, "net/http.Request", "URL", notes));
  ASSIGN_OR_RETURN(o.url_scheme, probe_field(binary, "net/url.URL", "Scheme", notes));
  ASSIGN_OR_RETURN(o.url_host, probe_field(binary, "net/url.URL", "Host", notes));
  ASSIGN_OR_RETURN(o.url_path, probe_field(binary, "net/url.URL", "Path", notes));
  ASSIGN_OR_RETURN(o.url_raw_query, probe_field(binary, "net/url.URL", "RawQuery", notes));
  ASSIGN_OR_RETURN(o.response_status_code,
                   probe_field(binary, "net/http.Response", "StatusCode", notes));
  ASSIGN_OR_RETURN(o.response_proto_major,
                   probe_field(binary, "net/http.Response", "ProtoMajor", notes));
  ASSIGN_OR_RETURN(o.response_proto_minor,
                   probe_field(binary, "net/http.Response", "ProtoMinor", notes));
  // Only injection needs the writer; without its offsets injection is off, spans still work.
  if (auto buf = probe_field(binary, "bufio.Writer", "buf", notes)) {
    if (auto n = probe_field(binary, "bufio.Writer", "n", notes)) {
      o.bufio_writer_buf = *buf;
      o.bufio_writer_n = *n;
    }
  }
  // The connection chain only links spans across services; without it nothing else is lost.
  auto pc_conn = probe_field(binary, "net/http.persistConn", "conn", notes);
  auto conn_fd = probe_field(binary, "net.conn", "fd", notes);
  auto fd_laddr = probe_field(binary, "net.netFD", "laddr", notes);
  auto addr_ip = probe_field(binary, "net.TCPAddr", "IP", notes);
  auto addr_port = probe_field(binary, "net.TCPAddr", "Port", notes);
  auto pc_tls = probe_field(binary, "net/http.persistConn", "tlsState", notes);
  if (pc_conn && pc_tls && conn_fd && fd_laddr && addr_ip && addr_port) {
    o.persist_conn_conn = *pc_conn;
    o.persist_conn_tls = *pc_tls;
    // A program that never dials TLS has no crypto/tls.Conn: its connections are all plain.
    if (auto tls_conn = probe_field(binary, "crypto/tls.Conn", "conn", notes)) {
      o.tls_conn_conn = *tls_conn;
      o.tls_info = 1;
    }
    o.net_conn_fd = *conn_fd;
    o.net_fd_laddr = *fd_laddr;
    o.tcp_addr_ip = *addr_ip;
    o.tcp_addr_port = *addr_port;
    o.conn_info = 1;
  }
  // HTTP/2 connections (bundled, and Go 1.27's internal package): the same connection chain.
  static constexpr std::array<std::string_view, 2> kH2Conn = {"net/http.http2ClientConn",
                                                              "net/http/internal/http2.ClientConn"};
  for (size_t i = 0; i < kH2Conn.size() && o.conn_info; ++i) {
    auto tconn = probe_field(binary, kH2Conn[i], "tconn", nullptr);
    auto tls = probe_field(binary, kH2Conn[i], "tlsState", nullptr);
    if (tconn && tls) o.h2[i] = {*tconn, *tls, 1, 0};
  }
  uint64_t url_end = std::max({o.url_scheme, o.url_host, o.url_path, o.url_raw_query}) + 16;
  if (url_end > GOINSTR_SNAPSHOT_MAX)
    return fail(fmt::format("unexpected layout: net/url.URL needs {} bytes", url_end));
  o.url_snapshot_size = static_cast<uint32_t>(url_end);
  uint64_t response_end =
      std::max({o.response_status_code, o.response_proto_major, o.response_proto_minor}) + 8;
  if (response_end > GOINSTR_SNAPSHOT_MAX)
    return fail(fmt::format("unexpected layout: net/http.Response needs {} bytes", response_end));
  o.response_snapshot_size = static_cast<uint32_t>(response_end);
  return o;
}

Result<runtime_offsets> resolve_runtime_offsets(const obj::GoBinary& binary,
                                                std::vector<std::string>* notes) {
  runtime_offsets o{};
  ASSIGN_OR_RETURN(o.g_goid, probe_field(binary, "runtime.g", "goid", notes));
  if (auto parent = probe_field(binary, "runtime.g", "parentGoid", notes)) {
    o.g_parent_goid = *parent;
  } else if (notes) {
    notes->push_back("runtime.g.parentGoid: absent (Go < 1.21): goroutine hand-off not followed");
  }
  return o;
}

}  // namespace goinstr::agent
