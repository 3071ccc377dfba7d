// SPDX-License-Identifier: Apache-2.0
// `goinstr inspect` as a user meets it: one-line errors for what is not a Go binary, `--json` on a
// stripped Go 1.26 binary, and the probe families on a program with database/sql and an HTTP
// client, on one without, on a gRPC server and client (with and without DWARF) and on an HTTP/2
// server. No root needed; the Go test apps are built with `go` from PATH (Go 1.26+, modules from
// the module proxy), and a failed build fails the test.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "tests/cli/cli_support.hpp"

namespace goinstr::cli {
namespace {

const App& stripped_httpserver() {
  static const App app = build_app("httpserver", "srv", {"-ldflags=-s -w"});
  return app;
}

// tests/testapps/dbapp (database/sql with lib/pq, an HTTP client), with symbols and DWARF.
const App& dbapp() {
  static const App app = build_app("dbapp", "dbapp");
  return app;
}

// tests/testapps/grpcapp: a gRPC server and client (google.golang.org/grpc v1.85) in one process,
// on grpc's own HTTP/2 transport, no net/http server.
const App& grpcapp() {
  static const App app = build_app("grpcapp", "grpcapp");
  return app;
}

const App& stripped_grpcapp() {
  static const App app = build_app("grpcapp", "grpcapp-stripped", {"-ldflags=-s -w"});
  return app;
}

// tests/testapps/h2app: net/http's own HTTP/2 server and golang.org/x/net/http2's h2c server.
const App& h2app() {
  static const App app = build_app("h2app", "h2app");
  return app;
}

const nlohmann::json& family(const nlohmann::json& report, const std::string& key) {
  for (const auto& f : report["families"])
    if (f["key"] == key) return f;
  static const nlohmann::json none;
  return none;
}

const nlohmann::json& family_cost(const nlohmann::json& report, const std::string& key) {
  for (const auto& c : report["cost_estimate"]["families"])
    if (c["family"] == key) return c;
  static const nlohmann::json none;
  return none;
}

const nlohmann::json& hook(const nlohmann::json& family, const std::string& symbol) {
  for (const auto& h : family["hooks"])
    if (h["symbol"] == symbol) return h;
  static const nlohmann::json none;
  return none;
}

// Every resolved hook of the family has all its sites emulated; returns how many were resolved.
size_t expect_resolved_hooks_emulated(const nlohmann::json& family) {
  size_t resolved = 0;
  for (const auto& h : family["hooks"]) {
    if (h["status"] != "resolved") {
      EXPECT_EQ(h["status"], "absent") << h.dump();
      continue;
    }
    ++resolved;
    EXPECT_FALSE(h["sites"].empty()) << h.dump();
    for (const auto& site : h["sites"]) EXPECT_EQ(site["class"], "emulated") << h.dump();
  }
  return resolved;
}

// The report of `inspect --json` on `app`, or null after a failed expectation.
nlohmann::json inspect_json(const App& app) {
  auto r = goinstr({"inspect", "--json", app.path.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  if (r.code != 0) return nullptr;
  return nlohmann::json::parse(r.out);
}

TEST(Cli, InspectRejectsANonGoFileInOneLine) {
  auto r = goinstr({"inspect", "/bin/ls"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("not a Go binary"), std::string::npos) << r.err;
}

TEST(Cli, InspectRejectsAMissingFileInOneLine) {
  auto r = goinstr({"inspect", "/no/such/file"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
}

TEST(Cli, InspectJsonReadsAStrippedGo126Binary) {
  ASSERT_TRUE(stripped_httpserver().error.empty()) << stripped_httpserver().error;
  auto r = goinstr({"inspect", "--json", stripped_httpserver().path.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["stripped"].get<bool>());
  EXPECT_FALSE(j["dwarf"].get<bool>());
  EXPECT_EQ(j["go_version"].get<std::string>().rfind("go1.", 0), 0u);
  ASSERT_EQ(j["hooks"].size(), 2u);
  for (const auto& hook : j["hooks"]) {
    EXPECT_TRUE(hook["found"].get<bool>()) << hook.dump();
    EXPECT_EQ(hook["entry_site"]["class"], "emulated") << hook.dump();
    EXPECT_GT(hook["entry_site"]["func_offset"].get<int>(), 0);
  }
  for (const auto& f : j["fields"]) {
    if (f.value("optional", false)) continue;
    EXPECT_TRUE(f.contains("offset")) << f.dump();
  }
}

TEST(Cli, InspectShowsTheDatabaseAndClientFamiliesOfADbApp) {
  ASSERT_TRUE(dbapp().error.empty()) << dbapp().error;
  auto human = goinstr({"inspect", dbapp().path.string()});
  ASSERT_EQ(human.code, 0) << human.err;
  for (const char* want :
       {"database/sql: on", "database/sql.(*DB).queryDC", "uprobe__db__query_dc",
        "database/sql.(*Rows).initContextClose", "db.system.name postgresql", "github.com/lib/pq",
        "net/http client: on", "RET sites", "each single-stepped", "goroutine hand-off: on",
        "traceparent injection (only with trace_headers)", "/sys/kernel/security/lockdown",
        "cost estimate (trap cost only", "per operation: 2 hits (2 emulated)",
        "per outgoing request: 3 hits (2 emulated, 1 single-stepped)", "database/sql.Stmt.query"})
    EXPECT_TRUE(contains(human.out, want)) << want << "\n" << human.out;

  auto r = goinstr({"inspect", "--json", dbapp().path.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // The keys inspect had before families stay as they were.
  for (const char* key : {"path", "go_version", "pie", "stripped", "dwarf", "hooks", "fields"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["hooks"].size(), 2u);

  const auto& db = family(j, "database");
  ASSERT_TRUE(db.is_object()) << j["families"].dump();
  EXPECT_EQ(db["status"], "on") << db.dump();
  EXPECT_EQ(db["name"], "database/sql");
  size_t resolved = 0;
  for (const auto& hook : db["hooks"]) {
    if (hook["status"] != "resolved") {
      EXPECT_TRUE(hook["optional"].get<bool>()) << hook.dump();
      EXPECT_EQ(hook["status"], "absent") << hook.dump();
      continue;
    }
    ++resolved;
    ASSERT_FALSE(hook["sites"].empty()) << hook.dump();
    EXPECT_EQ(hook["sites"][0]["class"], "emulated") << hook.dump();
    EXPECT_GT(hook["sites"][0]["func_offset"].get<int>(), 0) << hook.dump();
  }
  EXPECT_GE(resolved, 3u);  // queryDC, execDC, initContextClose at least

  EXPECT_EQ(j["facts"]["db_system_name"], "postgresql");
  EXPECT_NE(j["facts"]["sql_drivers"].dump().find("github.com/lib/pq"), std::string::npos);
  EXPECT_GT(j["facts"]["error_types"]["known"].get<int>(), 0);
  EXPECT_TRUE(j["facts"]["goroutine_handoff"]["followed"].get<bool>());
  EXPECT_TRUE(j["facts"]["traceparent_injection"]["possible"].get<bool>())
      << j["facts"]["traceparent_injection"].dump();

  const auto& client = family(j, "http_client");
  EXPECT_EQ(client["status"], "on") << client.dump();
  for (const auto& hook : client["hooks"]) {
    if (hook["kind"] != "returns") continue;
    ASSERT_FALSE(hook["sites"].empty());
    for (const auto& site : hook["sites"]) EXPECT_EQ(site["class"], "single-stepped");
  }

  ASSERT_TRUE(j["cost_estimate"].contains("scope"));
  const auto& db_cost = family_cost(j, "database");
  EXPECT_EQ(db_cost["hits"], 2);
  EXPECT_EQ(db_cost["emulated"], 2);
  const auto& client_cost = family_cost(j, "http_client");
  EXPECT_EQ(client_cost["hits"], 3);
  EXPECT_EQ(client_cost["emulated"], 2);
  EXPECT_EQ(client_cost["single_stepped"], 1);
  EXPECT_EQ(family_cost(j, "http_server")["emulated"], 2);
  EXPECT_EQ(family_cost(j, "goroutines")["hits"], 1);
  EXPECT_EQ(j["other_fields"].size(), 15u);
}

TEST(Cli, InspectNotesTheAbsentDatabaseFamilyOfAnHttpServer) {
  ASSERT_TRUE(stripped_httpserver().error.empty()) << stripped_httpserver().error;
  auto human = goinstr({"inspect", stripped_httpserver().path.string()});
  ASSERT_EQ(human.code, 0) << human.err;
  EXPECT_TRUE(contains(human.out,
                       "database/sql: absent\n  note: the program does not use "
                       "database/sql"))
      << human.out;
  EXPECT_FALSE(contains(human.out, "MISSING")) << human.out;
  EXPECT_TRUE(contains(human.out, "db.system.name other_sql")) << human.out;

  auto r = goinstr({"inspect", "--json", stripped_httpserver().path.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  const auto& db = family(j, "database");
  EXPECT_EQ(db["status"], "absent") << db.dump();
  EXPECT_TRUE(contains(db["reason"].get<std::string>(), "does not use database/sql"));
  EXPECT_EQ(family(j, "http_server")["status"], "on");
  EXPECT_EQ(family_cost(j, "database")["status"], "absent");
  EXPECT_FALSE(family_cost(j, "database").contains("hits"));
  EXPECT_TRUE(j["facts"]["sql_drivers"].empty());
}

constexpr const char* kWriteStatus =
    "google.golang.org/grpc/internal/transport.(*http2Server).writeStatus";
constexpr const char* kOldWriteStatus =
    "google.golang.org/grpc/internal/transport.(*http2Server).WriteStatus";

TEST(Cli, InspectShowsTheGrpcServerAndClientFamiliesOfAGrpcApp) {
  ASSERT_TRUE(grpcapp().error.empty()) << grpcapp().error;
  auto j = inspect_json(grpcapp());
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j["dwarf"].get<bool>());

  for (const char* key : {"grpc_server", "grpc_client"}) {
    const auto& fam = family(j, key);
    ASSERT_TRUE(fam.is_object()) << key << ": " << j["families"].dump();
    EXPECT_EQ(fam["status"], "on") << fam.dump();
    EXPECT_FALSE(fam.contains("reason")) << fam.dump();
    EXPECT_GE(expect_resolved_hooks_emulated(fam), 3u) << key;
    for (const auto& h : fam["hooks"]) {
      if (!h["optional"].get<bool>()) {
        EXPECT_EQ(h["status"], "resolved") << h.dump();
      }
    }
    const auto& cost = family_cost(j, key);
    EXPECT_EQ(cost["status"], "on") << cost.dump();
    EXPECT_EQ(cost["hits"], 3) << cost.dump();
    EXPECT_EQ(cost["emulated"], 3) << cost.dump();
    EXPECT_EQ(cost["single_stepped"], 0) << cost.dump();
    EXPECT_FALSE(cost.contains("other")) << cost.dump();
  }
  // grpc v1.85 ends a server span at writeStatus; WriteStatus is the name before v1.69.
  const auto& server = family(j, "grpc_server");
  EXPECT_EQ(hook(server, kWriteStatus)["status"], "resolved") << server.dump();
  EXPECT_EQ(hook(server, kOldWriteStatus)["status"], "absent") << server.dump();

  ASSERT_EQ(j["grpc_fields"].size(), 14u);
  for (const auto& f : j["grpc_fields"]) {
    EXPECT_TRUE(f["found"].get<bool>()) << f.dump();
    EXPECT_EQ(f["source"], "dwarf") << f.dump();
  }

  // grpc serves on its own HTTP/2 transport: no net/http server, so no HTTP/1 or HTTP/2 family.
  const auto& http = family(j, "http_server");
  EXPECT_EQ(http["status"], "absent") << http.dump();
  EXPECT_TRUE(contains(http.value("reason", ""), "no net/http server")) << http.dump();
  EXPECT_EQ(family(j, "http2_server")["status"], "absent");
  EXPECT_EQ(family_cost(j, "http_server")["status"], "absent");
}

TEST(Cli, InspectReadsTheGrpcFieldsOfAStrippedGrpcAppFromItsVersionTable) {
  ASSERT_TRUE(stripped_grpcapp().error.empty()) << stripped_grpcapp().error;
  auto j = inspect_json(stripped_grpcapp());
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j["stripped"].get<bool>());
  EXPECT_FALSE(j["dwarf"].get<bool>());

  ASSERT_EQ(j["grpc_fields"].size(), 14u);
  size_t from_grpc_table = 0;
  for (const auto& f : j["grpc_fields"]) {
    EXPECT_TRUE(f["found"].get<bool>()) << f.dump();
    EXPECT_EQ(f["source"], "table") << f.dump();
    // x/net's frame and header field come from x/net's table, the others from grpc's.
    if (f["type"].get<std::string>().starts_with("golang.org/x/net/")) {
      EXPECT_TRUE(f["detail"].get<std::string>().starts_with("table golang.org/x/net v"))
          << f.dump();
      continue;
    }
    EXPECT_EQ(f["detail"], "table google.golang.org/grpc v1.85.0") << f.dump();
    ++from_grpc_table;
  }
  EXPECT_EQ(from_grpc_table, 12u);

  for (const char* key : {"grpc_server", "grpc_client"}) {
    const auto& fam = family(j, key);
    EXPECT_EQ(fam["status"], "on") << key << ": " << fam.dump();
    expect_resolved_hooks_emulated(fam);
    EXPECT_EQ(family_cost(j, key)["hits"], 3) << key;
    EXPECT_EQ(family_cost(j, key)["single_stepped"], 0) << key;
  }
  EXPECT_EQ(hook(family(j, "grpc_server"), kWriteStatus)["status"], "resolved");
  EXPECT_EQ(family(j, "http_server")["status"], "absent");
}

TEST(Cli, InspectNamesTheGrpcFamiliesAndTheirCostPerRpc) {
  ASSERT_TRUE(grpcapp().error.empty()) << grpcapp().error;
  auto human = goinstr({"inspect", grpcapp().path.string()});
  ASSERT_EQ(human.code, 0) << human.err;
  for (const char* want :
       {"\ngRPC server: on\n", "\ngRPC client: on\n",
        "net/http server: absent\n  note: no net/http server",
        "google.golang.org/grpc.(*Server).handleStream  [uprobe__grpc__server_start, entry]",
        "(*http2Server).writeStatus  [uprobe__grpc__server_end, entry, optional]",
        "(*http2Server).WriteStatus is not in the binary", "\ngRPC fields (byte offsets)\n",
        "gRPC server            ~1.5 us per RPC: 3 hits (3 emulated)\n",
        "gRPC client            ~1.5 us per call: 3 hits (3 emulated)\n",
        "= span start (emulated) + connection (emulated) + span end (emulated)\n"})
    EXPECT_TRUE(contains(human.out, want)) << want << "\n" << human.out;
  EXPECT_FALSE(contains(human.out, "single-stepped)")) << human.out;
}

TEST(Cli, InspectShowsBothHttp2ServersOfAnH2App) {
  ASSERT_TRUE(h2app().error.empty()) << h2app().error;
  auto j = inspect_json(h2app());
  ASSERT_TRUE(j.is_object());
  const auto& h2 = family(j, "http2_server");
  ASSERT_TRUE(h2.is_object()) << j["families"].dump();
  EXPECT_EQ(h2["status"], "on") << h2.dump();
  EXPECT_EQ(h2["name"], "net/http HTTP/2 server");
  EXPECT_EQ(family(j, "http_server")["status"], "on");
  EXPECT_GE(expect_resolved_hooks_emulated(h2), 4u);

  // net/http's own handlerDone: h2_bundle.go's up to Go 1.26, net/http/internal/http2's since.
  size_t std_end = 0;
  for (const char* symbol : {"net/http.(*http2responseWriter).handlerDone",
                             "net/http/internal/http2.(*responseWriter).handlerDone"})
    std_end += hook(h2, symbol)["status"] == "resolved";
  EXPECT_EQ(std_end, 1u) << h2.dump();
  for (const char* symbol : {"golang.org/x/net/http2.(*serverConn).runHandler",
                             "golang.org/x/net/http2.(*responseWriter).handlerDone"}) {
    const auto& h = hook(h2, symbol);
    EXPECT_EQ(h["status"], "resolved") << symbol << ": " << h2.dump();
    EXPECT_EQ(h["kind"], "entry") << h.dump();
    ASSERT_EQ(h["sites"].size(), 1u) << h.dump();
    EXPECT_EQ(h["sites"][0]["class"], "emulated") << h.dump();
    EXPECT_GT(h["sites"][0]["func_offset"].get<int>(), 0) << h.dump();
  }
  EXPECT_EQ(family_cost(j, "http2_server")["single_stepped"], 0);
  // One start per request, whichever server: headers, start, end.
  EXPECT_EQ(family_cost(j, "http2_server")["hits"], 3) << family_cost(j, "http2_server").dump();
  EXPECT_EQ(family(j, "grpc_server")["status"], "absent");
  EXPECT_EQ(family(j, "grpc_client")["status"], "absent");
}

}  // namespace
}  // namespace goinstr::cli
