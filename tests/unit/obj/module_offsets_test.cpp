// SPDX-License-Identifier: Apache-2.0
// The module offset table (data/offsets/modules.json): version ordering and selection on the
// embedded table, then real grpc binaries built here with Go 1.26 from the module proxy (v1.60.0
// and v1.85.0, with DWARF and -s -w): every offset the stripped build gets from the table must be
// the DWARF build's. Those builds fail the test, not skip it, when Go or the proxy is missing:
// they are what keeps the table honest. Plus the standard-library table's HTTP/2 types on the
// stripped httpserver fixtures (go_fixture.hpp).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "go_fixture.hpp"
#include "obj/go_binary.hpp"
#include "obj/offset_table.hpp"

namespace goinstr::obj {
namespace {

constexpr const char* kGrpc = "google.golang.org/grpc";
constexpr const char* kNet = "golang.org/x/net";

struct Field {
  const char* module;  // the table the offset must come from
  const char* type;
  const char* field;
};

// What tools/offsets/gen_modules.sh dumps (some only exist in some versions).
constexpr Field kModuleFields[] = {
    {kGrpc, "google.golang.org/grpc/internal/transport.Stream", "id"},
    {kGrpc, "google.golang.org/grpc/internal/transport.Stream", "method"},
    {kGrpc, "google.golang.org/grpc/internal/transport.Stream", "status"},
    {kGrpc, "google.golang.org/grpc/internal/transport.Stream", "ctx"},
    {kGrpc, "google.golang.org/grpc/internal/transport.ServerStream", "Stream"},
    {kGrpc, "google.golang.org/grpc/internal/transport.ClientStream", "Stream"},
    {kGrpc, "google.golang.org/grpc/internal/transport.ClientStream", "status"},
    {kGrpc, "google.golang.org/grpc/internal/transport.http2Server", "peer"},
    {kGrpc, "google.golang.org/grpc/internal/transport.http2Client", "localAddr"},
    {kGrpc, "google.golang.org/grpc/internal/transport.http2Client", "remoteAddr"},
    {kGrpc, "google.golang.org/grpc/internal/transport.CallHdr", "Host"},
    {kGrpc, "google.golang.org/grpc/internal/transport.CallHdr", "Method"},
    {kGrpc, "google.golang.org/grpc.clientStream", "callHdr"},
    {kGrpc, "google.golang.org/grpc.clientStream", "attempt"},
    {kGrpc, "google.golang.org/grpc.clientStream", "desc"},
    {kGrpc, "google.golang.org/grpc.clientStream", "cc"},
    {kGrpc, "google.golang.org/grpc.csAttempt", "cs"},
    {kGrpc, "google.golang.org/grpc.csAttempt", "t"},
    {kGrpc, "google.golang.org/grpc.csAttempt", "transport"},
    {kGrpc, "google.golang.org/grpc.csAttempt", "s"},
    {kGrpc, "google.golang.org/grpc.csAttempt", "transportStream"},
    {kGrpc, "google.golang.org/grpc.StreamDesc", "ServerStreams"},
    {kGrpc, "google.golang.org/grpc.StreamDesc", "ClientStreams"},
    {kGrpc, "google.golang.org/grpc/internal/status.Status", "s"},
    {kGrpc, "google.golang.org/grpc/internal/status.Error", "s"},
    {kGrpc, "google.golang.org/grpc/peer.Peer", "Addr"},
    {kGrpc, "google.golang.org/grpc/peer.Peer", "LocalAddr"},
    {kGrpc, "google.golang.org/genproto/googleapis/rpc/status.Status", "Code"},
    {kGrpc, "google.golang.org/genproto/googleapis/rpc/status.Status", "Message"},
    {kNet, "golang.org/x/net/http2.MetaHeadersFrame", "HeadersFrame"},
    {kNet, "golang.org/x/net/http2.MetaHeadersFrame", "Fields"},
    {kNet, "golang.org/x/net/http2.HeadersFrame", "FrameHeader"},
    {kNet, "golang.org/x/net/http2.FrameHeader", "StreamID"},
    {kNet, "golang.org/x/net/http2/hpack.HeaderField", "Name"},
    {kNet, "golang.org/x/net/http2/hpack.HeaderField", "Value"},
    {kNet, "golang.org/x/net/http2/hpack.HeaderField", "Sensitive"},
    {kNet, "golang.org/x/net/http2.responseWriter", "rws"},
    {kNet, "golang.org/x/net/http2.responseWriterState", "stream"},
    {kNet, "golang.org/x/net/http2.responseWriterState", "req"},
    {kNet, "golang.org/x/net/http2.responseWriterState", "conn"},
    {kNet, "golang.org/x/net/http2.responseWriterState", "status"},
    {kNet, "golang.org/x/net/http2.stream", "id"},
};

SemVer v(const char* s) {
  auto r = parse_semver(s);
  EXPECT_TRUE(r) << s;
  return r.value_or(SemVer{});
}

TEST(SemVer, Parse) {
  EXPECT_EQ(v("v1.70.1"), (SemVer{1, 70, 1, ""}));
  EXPECT_EQ(v("v0.46.1-0.20251013234738-63d1a5100f82"),
            (SemVer{0, 46, 1, "0.20251013234738-63d1a5100f82"}));
  EXPECT_EQ(v("v2.0.0+incompatible"), (SemVer{2, 0, 0, ""}));
  EXPECT_EQ(v("v1.71.0-rc.1+dirty"), (SemVer{1, 71, 0, "rc.1"}));
  for (const char* bad : {"", "1.2.3", "v1.2", "v1.2.", "v1.2.3-", "v1.x.3", "(devel)", "go1.26"}) {
    EXPECT_FALSE(parse_semver(bad)) << bad;
  }
}

TEST(SemVer, Order) {
  // Numeric, not string, order: v1.9 < v1.10, v1.85 < v1.100.
  EXPECT_LT(v("v1.9.0"), v("v1.10.0"));
  EXPECT_LT(v("v1.85.0"), v("v1.100.0"));
  EXPECT_LT(v("v1.70.9"), v("v1.70.10"));
  EXPECT_LT(v("v0.62.0"), v("v1.0.0"));
  // A pre-release (and a pseudo-version, which is one) comes before its release.
  EXPECT_LT(v("v1.71.0-dev"), v("v1.71.0"));
  EXPECT_GT(v("v1.71.0-dev"), v("v1.70.5"));
  EXPECT_LT(v("v0.46.1-0.20251013234738-63d1a5100f82"), v("v0.46.1"));
  EXPECT_GT(v("v0.46.1-0.20251013234738-63d1a5100f82"), v("v0.46.0"));
  // semver.org's own example chain.
  const char* chain[] = {"v1.0.0-alpha",  "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta",
                         "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1",       "v1.0.0"};
  for (size_t i = 1; i < std::size(chain); ++i) EXPECT_LT(v(chain[i - 1]), v(chain[i])) << chain[i];
  EXPECT_EQ(v("v1.2.3+a"), v("v1.2.3+b"));  // build metadata has no precedence
}

TEST(ModuleTable, Versions) {
  EXPECT_EQ(module_table_modules(), (std::vector<std::string>{kNet, kGrpc}));
  std::vector<std::string> grpc = module_table_versions(kGrpc);
  ASSERT_GE(grpc.size(), 50u);
  EXPECT_EQ(grpc.front(), "v1.60.0");
  for (size_t i = 1; i < grpc.size(); ++i) {
    EXPECT_LT(v(grpc[i - 1].c_str()), v(grpc[i].c_str()));
    EXPECT_EQ(grpc[i].find('-'), std::string::npos) << "pre-release in the table: " << grpc[i];
  }
  std::vector<std::string> net = module_table_versions(kNet);
  ASSERT_FALSE(net.empty());
  EXPECT_EQ(net.back(), "v0.62.0");
  EXPECT_TRUE(module_table_versions("example.com/none").empty());
}

TEST(ModuleTable, ForType) {
  EXPECT_EQ(module_table_for_type("google.golang.org/grpc/internal/transport.Stream"), kGrpc);
  EXPECT_EQ(module_table_for_type("google.golang.org/grpc.csAttempt"), kGrpc);
  EXPECT_EQ(module_table_for_type("golang.org/x/net/http2.FrameHeader"), kNet);
  EXPECT_EQ(module_table_for_type("golang.org/x/net/http2/hpack.HeaderField"), kNet);
  // genproto has no table of its own: it is recorded in grpc's entries.
  EXPECT_EQ(module_table_for_type("google.golang.org/genproto/googleapis/rpc/status.Status"),
            kGrpc);
  // Standard library, including its vendored x/net, and look-alike paths stay with the Go table.
  EXPECT_EQ(module_table_for_type("net/http.Request"), std::nullopt);
  EXPECT_EQ(module_table_for_type("vendor/golang.org/x/net/http2/hpack.HeaderField"), std::nullopt);
  EXPECT_EQ(module_table_for_type("google.golang.org/grpcx/foo.T"), std::nullopt);
  EXPECT_EQ(module_table_for_type("golang.org/x/network.T"), std::nullopt);
}

TEST(ModuleTable, ExactAndNearestLower) {
  constexpr const char* kStream = "google.golang.org/grpc/internal/transport.Stream";
  auto exact = module_table_field_offset(kGrpc, "v1.70.0", kStream, "id");
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(exact->source, OffsetSource::kTable);
  EXPECT_EQ(exact->detail, "table google.golang.org/grpc v1.70.0");

  auto patch = module_table_field_offset(kGrpc, "v1.70.1", kStream, "id");
  ASSERT_TRUE(patch) << patch.error().message;
  EXPECT_EQ(patch->offset, exact->offset);
  EXPECT_EQ(patch->detail, "table google.golang.org/grpc v1.70.0 (nearest to v1.70.1)");

  // v1.74.0 and v1.74.1 were never published: v1.73.0 is the nearest lower one.
  auto gap = module_table_field_offset(kGrpc, "v1.74.1", kStream, "id");
  ASSERT_TRUE(gap) << gap.error().message;
  EXPECT_EQ(gap->detail, "table google.golang.org/grpc v1.73.0 (nearest to v1.74.1)");

  // Newer than the table: the newest entry (string order would put v1.100.0 before v1.60.0).
  std::string newest = module_table_versions(kGrpc).back();
  auto future = module_table_field_offset(kGrpc, "v1.100.0", kStream, "id");
  ASSERT_TRUE(future) << future.error().message;
  EXPECT_EQ(future->detail, "table google.golang.org/grpc " + newest + " (nearest to v1.100.0)");

  auto dev = module_table_field_offset(kGrpc, "v1.71.0-dev", kStream, "id");
  ASSERT_TRUE(dev) << dev.error().message;
  EXPECT_EQ(dev->detail, "table google.golang.org/grpc v1.70.0 (nearest to v1.71.0-dev)");
}

TEST(ModuleTable, Errors) {
  constexpr const char* kStream = "google.golang.org/grpc/internal/transport.Stream";
  auto old = module_table_field_offset(kGrpc, "v1.59.0", kStream, "id");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message,
            "offset table google.golang.org/grpc: no entry for v1.59.0 or older (oldest is "
            "v1.60.0)");
  auto devel = module_table_field_offset(kGrpc, "(devel)", kStream, "id");
  ASSERT_FALSE(devel);
  EXPECT_EQ(devel.error().message,
            "offset table google.golang.org/grpc: cannot parse version \"(devel)\"");
  auto none = module_table_field_offset("example.com/none", "v1.0.0", "example.com/none.T", "x");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "offset table example.com/none: no such table");
  // A type that version did not have (ServerStream is v1.69+), and a field it did not have.
  auto absent = module_table_field_offset(
      kGrpc, "v1.60.0", "google.golang.org/grpc/internal/transport.ServerStream", "Stream");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().message,
            "offset table google.golang.org/grpc v1.60.0: no type "
            "google.golang.org/grpc/internal/transport.ServerStream");
  EXPECT_FALSE(
      module_table_field_offset(kGrpc, "v1.85.0", "google.golang.org/grpc.csAttempt", "t"));
  EXPECT_TRUE(module_table_field_offset(kGrpc, "v1.60.0", "google.golang.org/grpc.csAttempt", "t"));
}

TEST(ModuleTable, VersionFromBuildInfo) {
  constexpr const char* kFrame = "golang.org/x/net/http2.FrameHeader";
  BuildInfo info;
  info.main_module = {"example.com/app", "(devel)", ""};
  auto missing = module_table_field_offset(info, kNet, kFrame, "StreamID");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "offset table golang.org/x/net: the binary's build info has no module "
            "golang.org/x/net (needed for golang.org/x/net/http2.FrameHeader)");
  info.deps.push_back({kNet, "v0.35.0", "h1:x"});
  auto dep = module_table_field_offset(info, kNet, kFrame, "StreamID");
  ASSERT_TRUE(dep) << dep.error().message;
  EXPECT_EQ(dep->detail, "table golang.org/x/net v0.35.0");
  // A binary whose main module is the module itself (x/net's own commands, grpc's examples).
  BuildInfo self;
  self.main_module = {kNet, "v0.36.0", ""};
  EXPECT_EQ(module_version(self, kNet), "v0.36.0");
  auto main = module_table_field_offset(self, kNet, kFrame, "StreamID");
  ASSERT_TRUE(main) << main.error().message;
  EXPECT_EQ(main->detail, "table golang.org/x/net v0.35.0 (nearest to v0.36.0)");
}

// Runs a shell command; its combined output, and whether it exited 0.
std::pair<bool, std::string> run(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(("(" + cmd + ") 2>&1").c_str(), "r"), pclose);
  if (!p) return {false, "popen failed"};
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p.get())) out.append(buf, n);
  int rc = pclose(p.release());
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return {rc == 0, out};
}

struct GrpcBuild {
  GoBinary plain;     // with DWARF
  GoBinary stripped;  // -s -w
};

// tools/offsets/grpc (the generator's own target) against two grpc versions, built once for the
// whole suite: Go 1.26, GOTOOLCHAIN=local, modules from the proxy (or the module cache).
class GrpcOffsets : public ::testing::Test {
 protected:
  static constexpr const char* kVersions[] = {"v1.60.0", "v1.85.0"};

  static void SetUpTestSuite() {
    auto [ok, go] = run("GOTOOLCHAIN=local go env GOVERSION");
    if (!ok || go.rfind("go1.26", 0) != 0) {
      error_ = "need Go 1.26 as `go` on PATH, got: " + go;
      return;
    }
    char tmpl[] = "/tmp/goinstr-grpc-offsets-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    for (const char* version : kVersions) {
      std::string dir = dir_ + "/" + version;
      std::string cmd =
          "mkdir -p " + dir + " && cd " + dir + " && cp " GOINSTR_GRPC_TARGET_SRC "/main.go . &&" +
          " printf 'module goinstr.dev/tests/grpc_offsets\\n\\ngo 1.19\\n' >go.mod &&" +
          " export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false &&" +
          " go get google.golang.org/grpc@" + version + " && go mod tidy &&" +
          " go build -o plain . && go build -ldflags='-s -w' -o stripped .";
      auto [built, log] = run(cmd);
      if (!built) {
        error_ += "grpc " + std::string(version) + ": build failed:\n" + log + "\n";
        continue;
      }
      auto plain = GoBinary::open(dir + "/plain");
      auto stripped = GoBinary::open(dir + "/stripped");
      if (!plain || !stripped) {
        error_ += "grpc " + std::string(version) + ": cannot open the builds\n";
        continue;
      }
      builds_.emplace(version, GrpcBuild{std::move(*plain), std::move(*stripped)});
    }
  }
  static void TearDownTestSuite() {
    builds_.clear();
    if (!dir_.empty() && std::getenv("GOINSTR_KEEP_FIXTURES") == nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  // No Go or no proxy is a failure, not a skip: this is the table's only end-to-end check.
  void SetUp() override { ASSERT_TRUE(error_.empty()) << error_; }

  static const GrpcBuild& build(const char* version) { return builds_.at(version); }

  static inline std::string error_;
  static inline std::string dir_;
  static inline std::map<std::string, GrpcBuild> builds_;
};

TEST_F(GrpcOffsets, BuildsSelectTheVersion) {
  for (const char* version : kVersions) {
    const GrpcBuild& b = build(version);
    EXPECT_TRUE(b.plain.has_dwarf());
    EXPECT_FALSE(b.stripped.has_dwarf());
    EXPECT_EQ(module_version(b.stripped.build_info(), kGrpc), version);
    EXPECT_TRUE(module_version(b.stripped.build_info(), kNet));
  }
}

TEST_F(GrpcOffsets, StrippedTableMatchesDwarf) {
  for (const char* version : kVersions) {
    const GrpcBuild& b = build(version);
    size_t checked = 0;
    for (const Field& f : kModuleFields) {
      SCOPED_TRACE(std::string(version) + " " + f.type + "." + f.field);
      auto dwarf = b.plain.field_offset(f.type, f.field);
      auto table = b.stripped.field_offset(f.type, f.field);
      if (!dwarf) {
        // Absent in this version: the table, made from DWARF, must say so too.
        EXPECT_FALSE(table) << "table has it at " << table->offset;
        continue;
      }
      ASSERT_EQ(dwarf->source, OffsetSource::kDwarf);
      ASSERT_TRUE(table) << table.error().message;
      EXPECT_EQ(table->offset, dwarf->offset);
      EXPECT_EQ(table->source, OffsetSource::kTable);
      std::string want = *module_version(b.stripped.build_info(), f.module);
      EXPECT_EQ(table->detail, "table " + std::string(f.module) + " " + want);
      ++checked;
    }
    // Most fields exist in every version; a build that linked none of them checks nothing.
    EXPECT_GE(checked, 35u) << version;
  }
}

// The layout changes the table exists for, as seen in the two builds' DWARF.
TEST_F(GrpcOffsets, VersionsDiffer) {
  const GoBinary& old_bin = build("v1.60.0").plain;
  const GoBinary& new_bin = build("v1.85.0").plain;
  EXPECT_TRUE(old_bin.field_offset("google.golang.org/grpc.csAttempt", "t"));
  EXPECT_FALSE(new_bin.field_offset("google.golang.org/grpc.csAttempt", "t"));
  EXPECT_TRUE(new_bin.field_offset("google.golang.org/grpc.csAttempt", "transport"));
  EXPECT_FALSE(
      old_bin.field_offset("google.golang.org/grpc/internal/transport.ServerStream", "Stream"));
  auto old_id = old_bin.field_offset("google.golang.org/grpc/internal/transport.Stream", "id");
  auto new_id = new_bin.field_offset("google.golang.org/grpc/internal/transport.Stream", "id");
  ASSERT_TRUE(old_id && new_id);
  EXPECT_NE(old_id->offset, new_id->offset);
}

// The standard library's HTTP/2 types: in net/http (h2_bundle.go) up to Go 1.26, in
// net/http/internal/http2 since 1.27; the vendored hpack in both.
enum class InGo { kAll, kUpTo126, kFrom127 };  // which Go versions have the type
struct StdField {
  const char* type;
  const char* field;
  InGo in_go;
};
constexpr StdField kStdHttp2Fields[] = {
    {"net/http.http2responseWriter", "rws", InGo::kUpTo126},
    {"net/http.http2responseWriterState", "stream", InGo::kUpTo126},
    {"net/http.http2responseWriterState", "req", InGo::kUpTo126},
    {"net/http.http2responseWriterState", "conn", InGo::kUpTo126},
    {"net/http.http2responseWriterState", "status", InGo::kUpTo126},
    {"net/http.http2stream", "id", InGo::kUpTo126},
    {"net/http.http2MetaHeadersFrame", "http2HeadersFrame", InGo::kUpTo126},
    {"net/http.http2MetaHeadersFrame", "Fields", InGo::kUpTo126},
    {"net/http.http2HeadersFrame", "http2FrameHeader", InGo::kUpTo126},
    {"net/http.http2FrameHeader", "StreamID", InGo::kUpTo126},
    {"net/http/internal/http2.responseWriter", "rws", InGo::kFrom127},
    {"net/http/internal/http2.responseWriterState", "stream", InGo::kFrom127},
    {"net/http/internal/http2.responseWriterState", "req", InGo::kFrom127},
    {"net/http/internal/http2.responseWriterState", "conn", InGo::kFrom127},
    {"net/http/internal/http2.responseWriterState", "status", InGo::kFrom127},
    {"net/http/internal/http2.stream", "id", InGo::kFrom127},
    {"net/http/internal/http2.MetaHeadersFrame", "HeadersFrame", InGo::kFrom127},
    {"net/http/internal/http2.MetaHeadersFrame", "Fields", InGo::kFrom127},
    {"net/http/internal/http2.HeadersFrame", "FrameHeader", InGo::kFrom127},
    {"net/http/internal/http2.FrameHeader", "StreamID", InGo::kFrom127},
    {"net/http/internal/http2.ServerRequest", "ProtoMajor", InGo::kFrom127},
    {"net/http/internal/http2.ServerRequest", "Method", InGo::kFrom127},
    {"net/http/internal/http2.ServerRequest", "URL", InGo::kFrom127},
    {"net/http/internal/http2.ServerRequest", "Host", InGo::kFrom127},
    {"net/http/internal/http2.ServerRequest", "RemoteAddr", InGo::kFrom127},
    {"vendor/golang.org/x/net/http2/hpack.HeaderField", "Name", InGo::kAll},
    {"vendor/golang.org/x/net/http2/hpack.HeaderField", "Value", InGo::kAll},
    {"vendor/golang.org/x/net/http2/hpack.HeaderField", "Sensitive", InGo::kAll},
};

TEST(StdHttp2Offsets, StrippedFixturesUseGoTable) {
  using testing::GoFixtures;
  GoFixtures& fx = GoFixtures::get();
  if (!fx.find("go1.26", "stripped")) GTEST_SKIP() << "no go1.26 stripped fixture:\n" << fx.notes();
  for (const auto& tc : fx.toolchains()) {
    const auto* sv = fx.find(tc.name, "stripped");
    const auto* pv = fx.find(tc.name, "plain");
    if (!sv || !pv) continue;
    auto stripped = GoBinary::open(sv->path);
    auto plain = GoBinary::open(pv->path);
    ASSERT_TRUE(stripped && plain) << tc.name;
    bool moved = parse_go_minor(tc.version) >= GoMinor{1, 27};
    size_t compared = 0;
    for (const StdField& f : kStdHttp2Fields) {
      SCOPED_TRACE(tc.name + " " + f.type + "." + f.field);
      auto table = stripped->field_offset(f.type, f.field);
      if (f.in_go == (moved ? InGo::kUpTo126 : InGo::kFrom127)) {
        EXPECT_FALSE(table) << "not in " << tc.name;
        continue;
      }
      ASSERT_TRUE(table) << table.error().message;
      EXPECT_EQ(table->detail, "table " + tc.name);
      // The fixture (HTTP/1 only) may not link every HTTP/2 type; compare where its DWARF has it.
      if (auto dwarf = plain->field_offset(f.type, f.field)) {
        EXPECT_EQ(table->offset, dwarf->offset);
        ++compared;
      }
    }
    // It links them today (ListenAndServe sets up HTTP/2); the comparison must not be vacuous.
    EXPECT_GT(compared, 0u) << tc.name;
  }
  fx.cleanup();
}

}  // namespace
}  // namespace goinstr::obj
