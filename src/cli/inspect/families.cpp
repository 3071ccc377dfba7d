// SPDX-License-Identifier: Apache-2.0
// The family table (families.hpp): net/http server and client, database/sql, traceparent
// injection, goroutine hand-off, the HTTP/2 server, and gRPC's server and client.
#include "cli/inspect/families.hpp"

namespace goinstr::cli::inspect {
namespace {

// The HTTP/2 family's own hooks and the HTTP/1 start hook, where net/http's own HTTP/2 server
// starts its spans.
std::span<const agent::HookSpec> http2_hooks() {
  static const std::vector<agent::HookSpec> hooks = [] {
    std::vector<agent::HookSpec> v(agent::kHttp2ServerHooks.begin(),
                                   agent::kHttp2ServerHooks.end());
    v.push_back(agent::kHttpServerHooks[0]);
    return v;
  }();
  return hooks;
}

}  // namespace

const std::vector<Family>& families() {
  static const std::vector<Family> kFamilies = {
      {"http_server",
       "net/http server",
       agent::kHttpServerHooks,
       "",
       "request",
       {{"span start", {"uprobe__net_http__server_start"}},
        {"span end", {"uprobe__net_http__server_end"}}},
       ""},
      {"database",
       "database/sql",
       agent::kDatabaseHooks,
       "",
       "operation",
       {{"start",
         {"uprobe__db__query_dc", "uprobe__db__exec_dc", "uprobe__db__stmt_query",
          "uprobe__db__stmt_exec", "uprobe__db__begin", "uprobe__db__commit",
          "uprobe__db__rollback"}},
        {"end marker",
         {"uprobe__db__release", "uprobe__db__release_fm", "uprobe__db__rows_ready"}}},
       "a query hits a release marker once more when its rows are closed (that hit ends nothing)"},
      {"http_client",
       "net/http client",
       agent::kHttpClientHooks,
       "",
       "outgoing request",
       {{"span start", {"uprobe__http_client__start"}},
        {"span end at a RET", {"uprobe__http_client__end"}},
        {"connection", {"uprobe__http_client__conn"}}},
       "a retried request hits the connection probe once per attempt"},
      {"injection",
       "traceparent injection",
       agent::kInjectionHooks,
       "instrumentation.http.trace_headers",
       "outgoing request",
       {{"header block start", {"uprobe__http_client__write_start"}},
        {"after the program's headers", {"uprobe__http_client__headers_written"}}},
       ""},
      {"goroutines",
       "goroutine hand-off",
       agent::kGoroutineHooks,
       "",
       "go statement",
       {{"goroutine created", {"uprobe__go__goroutine_created"}}},
       ""},
      {"http2_server",
       "net/http HTTP/2 server",
       http2_hooks(),
       "",
       "HTTP/2 request",
       {{"traceparent from the HEADERS frame", {"uprobe__net_http2__headers"}},
        {"span start", {"uprobe__net_http__server_start", "uprobe__net_http2__xnet_start"}},
        {"span end", {"uprobe__net_http2__end"}}},
       "a request hits one start: net/http's own server starts at the HTTP/1 start hook, x/net's "
       "at "
       "its runHandler (x/net behind http2.ConfigureServer passes the HTTP/1 hook too, one more "
       "hit that does nothing)"},
      {"grpc_server",
       "gRPC server",
       agent::kGrpcServerHooks,
       "",
       "RPC",
       {{"traceparent from the request metadata", {"uprobe__grpc__server_headers"}},
        {"span start", {"uprobe__grpc__server_start"}},
        {"span end", {"uprobe__grpc__server_end", "uprobe__grpc__server_end_net_http"}}},
       ""},
      {"grpc_client",
       "gRPC client",
       agent::kGrpcClientHooks,
       "",
       "call",
       {{"span start", {"uprobe__grpc__client_start"}},
        {"connection", {"uprobe__grpc__client_conn"}},
        {"span end", {"uprobe__grpc__client_end"}}},
       "a retried call hits the start and connection probes once per attempt"},
  };
  return kFamilies;
}

}  // namespace goinstr::cli::inspect
