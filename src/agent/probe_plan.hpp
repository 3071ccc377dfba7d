// SPDX-License-Identifier: Apache-2.0
// The functions goinstr hooks and the struct fields its BPF programs read, as data. `inspect` shows
// this plan resolved against a binary; the agent attaches exactly this plan.
#pragma once

#include <array>
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

}  // namespace goinstr::agent
