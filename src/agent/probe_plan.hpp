// SPDX-License-Identifier: Apache-2.0
// The functions goinstr hooks and the struct fields its BPF programs read, as data. `inspect` shows
// this plan resolved against a binary; the agent attaches exactly this plan.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace goinstr::agent {

// Where in the function the probe goes.
enum class SiteKind {
  kEntry,            // the prologue's stack-bound jump (emulated), else the entry
  kReturns,          // every RET (single-stepped: only where no emulated alternative exists)
  kCallTo,           // each `call callee` inside the function (emulated)
  kBranchAfterCall,  // the first conditional jump after `call callee` (emulated)
};

struct HookSpec {
  std::string_view symbol;   // Go symbol name
  std::string_view program;  // BPF program in the skeleton
  std::string_view purpose;
  bool optional;  // a missing optional hook is a note, not an error
  SiteKind kind = SiteKind::kEntry;
  std::string_view callee = {};  // for kCallTo and kBranchAfterCall
  uint64_t cookie = 0;           // the probe's bpf_cookie (which HTTP/2 implementation it serves)
  std::string_view unless = {};  // not attached when this function is in the binary (it is the
                                 // newer entry point the hook would otherwise be hit through)
};

inline constexpr std::array kHttpServerHooks = {
    HookSpec{"net/http.serverHandler.ServeHTTP", "uprobe__net_http__server_start",
             "server span start: request, response, goroutine", false},
    HookSpec{"net/http.(*response).finishRequest", "uprobe__net_http__server_end",
             "server span end: status code, route pattern", false},
};

// Operations start at these entries and end where database/sql releases what the operation held
// (see bpf/probes/database_sql.bpf.c): entry probes only.
inline constexpr std::array kDatabaseHooks = {
    // Each optional: the linker drops what a program never calls (no Exec: no execDC).
    HookSpec{"database/sql.(*DB).queryDC", "uprobe__db__query_dc",
             "query start (DB, Conn and Tx queries)", true},
    HookSpec{"database/sql.(*DB).execDC", "uprobe__db__exec_dc",
             "exec start (DB, Conn and Tx execs)", true},
    HookSpec{"database/sql.(*Stmt).QueryContext", "uprobe__db__stmt_query", "prepared query start",
             true},
    HookSpec{"database/sql.(*Stmt).ExecContext", "uprobe__db__stmt_exec", "prepared exec start",
             true},
    HookSpec{"database/sql.(*DB).beginDC", "uprobe__db__begin", "BEGIN start", true},
    HookSpec{"database/sql.(*Tx).Commit", "uprobe__db__commit", "COMMIT start", true},
    HookSpec{"database/sql.(*Tx).rollback", "uprobe__db__rollback", "ROLLBACK start", true},
    HookSpec{"database/sql.(*driverConn).releaseConn", "uprobe__db__release",
             "operation end with its error", true},
    HookSpec{"database/sql.(*driverConn).releaseConn-fm", "uprobe__db__release_fm",
             "operation end with its error", true},
    HookSpec{"database/sql.(*Tx).closemuRUnlockRelease", "uprobe__db__release",
             "operation end in a transaction", true},
    HookSpec{"database/sql.(*Tx).closemuRUnlockRelease-fm", "uprobe__db__release_fm",
             "operation end in a transaction", true},
    HookSpec{"database/sql.(*Conn).closemuRUnlockCondReleaseConn", "uprobe__db__release",
             "operation end on a Conn", true},
    HookSpec{"database/sql.(*Conn).closemuRUnlockCondReleaseConn-fm", "uprobe__db__release_fm",
             "operation end on a Conn", true},
    HookSpec{"database/sql.(*Tx).close", "uprobe__db__release", "COMMIT/ROLLBACK end", true},
    HookSpec{"database/sql.(*Rows).initContextClose", "uprobe__db__rows_ready",
             "query end: rows ready", true},
};

inline constexpr std::array kHttpClientHooks = {
    HookSpec{"net/http.(*Transport).roundTrip", "uprobe__http_client__start",
             "client span start: method, URL", false},
    HookSpec{"net/http.(*Transport).roundTrip", "uprobe__http_client__end",
             "client span end: status, error (RET sites)", false, SiteKind::kReturns},
    HookSpec{"net/http.(*persistConn).roundTrip", "uprobe__http_client__conn",
             "client connection: local address, to link the server span at the other end", true},
    HookSpec{"net/http.(*http2ClientConn).roundTrip", "uprobe__http_client__h2_conn",
             "HTTP/2 client connection: local address (Go 1.20 to 1.26)", true},
    HookSpec{"net/http.(*http2ClientConn).RoundTrip",
             "uprobe__http_client__h2_conn",
             "HTTP/2 client connection: local address (Go < 1.20)",
             true,
             SiteKind::kEntry,
             {},
             0,
             "net/http.(*http2ClientConn).roundTrip"},
    HookSpec{"net/http/internal/http2.(*ClientConn).roundTrip",
             "uprobe__http_client__h2_conn",
             "HTTP/2 client connection: local address (Go 1.27+)",
             true,
             SiteKind::kEntry,
             {},
             1},
};

// Only with instrumentation.http.trace_headers on.
inline constexpr std::array kInjectionHooks = {
    HookSpec{"net/http.(*Request).write", "uprobe__http_client__write_start",
             "traceparent: header block start", false},
    HookSpec{"net/http.(*Request).write", "uprobe__http_client__headers_written",
             "traceparent: written after the program's headers", false, SiteKind::kBranchAfterCall,
             "net/http.Header.writeSubset"},
};

inline constexpr std::array kGoroutineHooks = {
    HookSpec{"runtime.newproc.func1", "uprobe__go__goroutine_created",
             "goroutine started: inherits its creator's request", true, SiteKind::kCallTo,
             "runtime.runqput"},
};

// gRPC servers on grpc's own HTTP/2 transport (bpf/probes/grpc_server.bpf.c). The end is
// WriteStatus before grpc v1.69 and writeStatus since: one of them must be there.
inline constexpr std::array kGrpcServerHooks = {
    HookSpec{"google.golang.org/grpc.(*Server).handleStream", "uprobe__grpc__server_start",
             "gRPC server span start: method, stream, connection", false},
    HookSpec{"google.golang.org/grpc/internal/transport.(*http2Server).operateHeaders",
             "uprobe__grpc__server_headers", "incoming traceparent in the request metadata", true},
    HookSpec{"google.golang.org/grpc/internal/transport.(*http2Server).writeStatus",
             "uprobe__grpc__server_end", "gRPC server span end: status (grpc v1.69+)", true},
    HookSpec{"google.golang.org/grpc/internal/transport.(*http2Server).WriteStatus",
             "uprobe__grpc__server_end", "gRPC server span end: status (before grpc v1.69)", true},
    HookSpec{"google.golang.org/grpc/internal/transport.(*serverHandlerTransport).writeStatus",
             "uprobe__grpc__server_end_net_http",
             "RPC served through Server.ServeHTTP ends: dropped, its HTTP/2 span covers it", true},
    HookSpec{"google.golang.org/grpc/internal/transport.(*serverHandlerTransport).WriteStatus",
             "uprobe__grpc__server_end_net_http",
             "RPC served through Server.ServeHTTP ends: dropped, its HTTP/2 span covers it", true},
};

inline constexpr std::array kGrpcClientHooks = {
    HookSpec{"google.golang.org/grpc.(*clientStream).newAttemptLocked",
             "uprobe__grpc__client_start", "gRPC client span start: method, authority, parent",
             false},
    HookSpec{"google.golang.org/grpc.(*csAttempt).newStream", "uprobe__grpc__client_conn",
             "the call's connection: links the server span at the other end", true},
    HookSpec{"google.golang.org/grpc.(*clientStream).finish", "uprobe__grpc__client_end",
             "gRPC client span end: status", false},
};

// HTTP/2 servers (bpf/probes/net_http2_server.bpf.c); net/http's own starts at the HTTP/1 start
// hook. Cookie 0: net/http's own HTTP/2 (h2_bundle.go up to Go 1.26, net/http/internal/http2
// since 1.27), 1: golang.org/x/net/http2.
inline constexpr std::array kHttp2ServerHooks = {
    HookSpec{"net/http.(*http2responseWriter).handlerDone", "uprobe__net_http2__end",
             "HTTP/2 span end: status, route (Go < 1.27)", true},
    HookSpec{"net/http.(*http2serverConn).processHeaders", "uprobe__net_http2__headers",
             "HTTP/2 incoming traceparent (Go < 1.27)", true},
    HookSpec{"net/http/internal/http2.(*responseWriter).handlerDone", "uprobe__net_http2__end",
             "HTTP/2 span end: status, route (Go 1.27+)", true},
    HookSpec{"net/http/internal/http2.(*serverConn).processHeaders", "uprobe__net_http2__headers",
             "HTTP/2 incoming traceparent (Go 1.27+)", true},
    HookSpec{"golang.org/x/net/http2.(*serverConn).runHandler",
             "uprobe__net_http2__xnet_start",
             "x/net HTTP/2 span start",
             true,
             SiteKind::kEntry,
             {},
             1},
    HookSpec{"golang.org/x/net/http2.(*responseWriter).handlerDone",
             "uprobe__net_http2__end",
             "x/net HTTP/2 span end: status, route",
             true,
             SiteKind::kEntry,
             {},
             1},
    HookSpec{"golang.org/x/net/http2.(*serverConn).processHeaders",
             "uprobe__net_http2__headers",
             "x/net HTTP/2 incoming traceparent",
             true,
             SiteKind::kEntry,
             {},
             1},
};

struct FieldSpec {
  std::string_view type;
  std::string_view field;
  bool optional;  // absent in some Go versions (e.g. Request.Pattern before 1.23)
};

inline constexpr std::array kHttpServerFields = {
    FieldSpec{"runtime.g", "goid", false},
    FieldSpec{"net/http.response", "conn", false},
    FieldSpec{"net/http.response", "req", false},
    FieldSpec{"net/http.response", "status", false},
    FieldSpec{"net/http.conn", "bufr", false},
    FieldSpec{"bufio.Reader", "buf", false},
    FieldSpec{"bufio.Reader", "r", false},
    FieldSpec{"net/http.Request", "Method", false},
    FieldSpec{"net/http.Request", "URL", false},
    FieldSpec{"net/http.Request", "ProtoMajor", false},
    FieldSpec{"net/http.Request", "ProtoMinor", false},
    FieldSpec{"net/http.Request", "Host", false},
    FieldSpec{"net/http.Request", "RemoteAddr", false},
    FieldSpec{"net/http.Request", "Pattern", true},  // Go 1.23+
    FieldSpec{"net/http.Request", "pat", true},      // Go 1.22 only
    FieldSpec{"net/http.pattern", "str", true},      // Go 1.22+
    FieldSpec{"net/url.URL", "Path", false},
};

inline constexpr std::array kOtherFields = {
    FieldSpec{"runtime.g", "parentGoid", true},  // Go 1.21+
    FieldSpec{"database/sql.Stmt", "query", false},
    FieldSpec{"database/sql.Stmt", "db", false},
    FieldSpec{"database/sql.Tx", "db", false},
    FieldSpec{"net/url.URL", "Scheme", false},
    FieldSpec{"net/url.URL", "Host", false},
    FieldSpec{"net/url.URL", "RawQuery", false},
    FieldSpec{"net/http.Response", "StatusCode", false},
    FieldSpec{"bufio.Writer", "buf", false},
    FieldSpec{"bufio.Writer", "n", false},
    FieldSpec{"net/http.persistConn", "conn", true},
    FieldSpec{"net.conn", "fd", true},
    FieldSpec{"net.netFD", "laddr", true},
    FieldSpec{"net.TCPAddr", "IP", true},
    FieldSpec{"net.TCPAddr", "Port", true},
};

// net/http's own HTTP/2 server (one of the two sets exists, by Go version) and x/net's.
inline constexpr std::array kHttp2Fields = {
    FieldSpec{"net/http.http2responseWriterState", "status", true},            // Go < 1.27
    FieldSpec{"net/http.http2stream", "id", true},                             // Go < 1.27
    FieldSpec{"net/http.http2MetaHeadersFrame", "Fields", true},               // Go < 1.27
    FieldSpec{"net/http/internal/http2.responseWriterState", "status", true},  // Go 1.27+
    FieldSpec{"net/http/internal/http2.stream", "id", true},                   // Go 1.27+
    FieldSpec{"vendor/golang.org/x/net/http2/hpack.HeaderField", "Value", true},
    FieldSpec{"golang.org/x/net/http2.responseWriterState", "status", true},
};

// gRPC (the table of the binary's grpc version when it has no DWARF).
inline constexpr std::array kGrpcFields = {
    FieldSpec{"google.golang.org/grpc/internal/transport.Stream", "method", false},
    FieldSpec{"google.golang.org/grpc/internal/transport.Stream", "id", false},
    FieldSpec{"google.golang.org/grpc/internal/transport.ServerStream", "Stream", true},  // v1.69+
    FieldSpec{"google.golang.org/grpc/internal/transport.ClientStream", "status", true},  // v1.69+
    FieldSpec{"google.golang.org/grpc/internal/transport.http2Server", "peer", false},
    FieldSpec{"google.golang.org/grpc/internal/transport.http2Client", "localAddr", false},
    FieldSpec{"google.golang.org/grpc/internal/transport.CallHdr", "Method", false},
    FieldSpec{"google.golang.org/grpc.clientStream", "attempt", false},
    FieldSpec{"google.golang.org/grpc.csAttempt", "transport", true},        // "t" before v1.70
    FieldSpec{"google.golang.org/grpc.csAttempt", "transportStream", true},  // "s" before
    FieldSpec{"google.golang.org/grpc/internal/status.Status", "s", false},
    FieldSpec{"google.golang.org/genproto/googleapis/rpc/status.Status", "Code", false},
    FieldSpec{"golang.org/x/net/http2.MetaHeadersFrame", "Fields", false},
    FieldSpec{"golang.org/x/net/http2/hpack.HeaderField", "Value", false},
};

}  // namespace goinstr::agent
