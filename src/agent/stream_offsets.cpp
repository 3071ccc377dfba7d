// SPDX-License-Identifier: Apache-2.0
#include "agent/stream_offsets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "agent/probe_field.hpp"
#include "bpf_intf/common.h"

namespace goinstr::agent {
namespace {

// Looks fields up one after another and remembers the first that is missing, so that a family's
// offsets read as a list and fail with one reason.
class Fields {
 public:
  Fields(const obj::GoBinary& binary, std::vector<std::string>* notes)
      : binary_(binary), notes_(notes) {}

  uint64_t get(std::string_view type, std::string_view field) {
    auto off = probe_field(binary_, type, field, notes_);
    if (off) return *off;
    if (error_.empty()) error_ = off.error().message;
    return 0;
  }
  // A field grpc renamed between releases (csAttempt.t became .transport): the first name found.
  uint64_t first(std::string_view type, std::initializer_list<std::string_view> names) {
    for (std::string_view name : names)
      if (auto off = probe_field(binary_, type, name, notes_)) return *off;
    if (error_.empty())
      error_ = fmt::format("{} has none of the fields {}", type, fmt::join(names, ", "));
    return 0;
  }
  // Where `outer` (grpc's ServerStream or ClientStream, v1.69+) keeps its embedded Stream, and
  // whether as a pointer (v1.69 to v1.76) or by value (v1.77+): the field declared right after
  // the embedding, `next`, follows it at +8 after a pointer. No `outer` (before v1.69): the probes
  // get the Stream itself.
  goinstr_grpc_stream_embed embed(std::string_view outer, std::string_view next) {
    goinstr_grpc_stream_embed e{};
    auto at = probe_field(binary_, outer, "Stream", notes_);
    if (!at) return e;
    e.offset = *at;
    e.indirect = get(outer, next) == *at + 8 ? 1 : 0;
    return e;
  }
  bool has(std::string_view type, std::string_view field) const {
    return binary_.field_offset(type, field).has_value();
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  const obj::GoBinary& binary_;
  std::vector<std::string>* notes_;
  std::string error_;
};

uint32_t snapshot_size(std::initializer_list<uint64_t> ends) {
  return static_cast<uint32_t>(std::max(ends));
}

// hpack.HeaderField {Name, Value string; Sensitive bool}: its size, for walking a []HeaderField.
goinstr_headers_frame_offsets headers_frame(Fields& f, std::string_view meta,
                                            std::string_view meta_headers, std::string_view frame,
                                            std::string_view frame_header, std::string_view header,
                                            std::string_view field) {
  goinstr_headers_frame_offsets o{};
  o.meta_headers = f.get(meta, meta_headers);
  o.meta_fields = f.get(meta, "Fields");
  o.frame_stream_id = f.get(frame, frame_header) + f.get(header, "StreamID");
  o.field_name = f.get(field, "Name");
  o.field_value = f.get(field, "Value");
  uint64_t sensitive = f.get(field, "Sensitive");
  o.field_size = static_cast<uint32_t>((sensitive + 1 + 7) / 8 * 8);
  return o;
}

struct Http2Names {
  std::string_view rw, rws, stream, meta, meta_headers, frame, frame_header, header;
};

constexpr std::string_view kHpackStd = "vendor/golang.org/x/net/http2/hpack.HeaderField";
constexpr Http2Names kBundled = {"net/http.http2responseWriter",
                                 "net/http.http2responseWriterState",
                                 "net/http.http2stream",
                                 "net/http.http2MetaHeadersFrame",
                                 "http2HeadersFrame",
                                 "net/http.http2HeadersFrame",
                                 "http2FrameHeader",
                                 "net/http.http2FrameHeader"};
constexpr Http2Names kInternal = {"net/http/internal/http2.responseWriter",
                                  "net/http/internal/http2.responseWriterState",
                                  "net/http/internal/http2.stream",
                                  "net/http/internal/http2.MetaHeadersFrame",
                                  "HeadersFrame",
                                  "net/http/internal/http2.HeadersFrame",
                                  "FrameHeader",
                                  "net/http/internal/http2.FrameHeader"};
constexpr Http2Names kXnet = {"golang.org/x/net/http2.responseWriter",
                              "golang.org/x/net/http2.responseWriterState",
                              "golang.org/x/net/http2.stream",
                              "golang.org/x/net/http2.MetaHeadersFrame",
                              "HeadersFrame",
                              "golang.org/x/net/http2.HeadersFrame",
                              "FrameHeader",
                              "golang.org/x/net/http2.FrameHeader"};

http2_server_impl_offsets http2_impl(const obj::GoBinary& binary, const Http2Names& n,
                                     std::string_view hpack, bool req_is_ptr, const char* what,
                                     std::vector<std::string>* notes) {
  Fields f(binary, notes);
  http2_server_impl_offsets o{};
  o.rw_rws = f.get(n.rw, "rws");
  o.rws_stream = f.get(n.rws, "stream");
  o.rws_conn = f.get(n.rws, "conn");
  o.rws_status = f.get(n.rws, "status");
  if (req_is_ptr) o.rws_req = f.get(n.rws, "req");
  o.req_is_ptr = req_is_ptr ? 1 : 0;
  o.stream_id = f.get(n.stream, "id");
  o.rws_snapshot_size =
      snapshot_size({o.rws_stream + 8, o.rws_conn + 8, o.rws_status + 8, o.rws_req + 8});
  if (!f.ok() || o.rws_snapshot_size > GOINSTR_SNAPSHOT_MAX) {
    if (notes) notes->push_back(fmt::format("{} HTTP/2 server not traced: {}", what, f.error()));
    return {};
  }
  o.on = 1;
  Fields h(binary, notes);
  o.headers = headers_frame(h, n.meta, n.meta_headers, n.frame, n.frame_header, n.header, hpack);
  o.headers.valid = h.ok() && o.headers.field_size <= GOINSTR_HPACK_FIELD_SIZE_MAX ? 1 : 0;
  if (!o.headers.valid && notes)
    notes->push_back(fmt::format("{} HTTP/2: incoming traceparent not read: {}", what, h.error()));
  return o;
}

}  // namespace

http2_server_offsets resolve_http2_server_offsets(const obj::GoBinary& binary,
                                                  std::vector<std::string>* notes) {
  http2_server_offsets o{};
  // Go 1.27 moved net/http's HTTP/2 into an internal package with its own request type: the
  // route then comes from the *http.Request ServeHTTP got (bpf_intf/http2.h req_is_ptr).
  bool internal = binary.field_offset(kInternal.rw, "rws").has_value();
  o.impl[GOINSTR_HTTP2_STD] =
      internal ? http2_impl(binary, kInternal, kHpackStd, false, "net/http", notes)
               : http2_impl(binary, kBundled, kHpackStd, true, "net/http", notes);
  if (binary.find_function("golang.org/x/net/http2.(*serverConn).runHandler"))
    o.impl[GOINSTR_HTTP2_XNET] =
        http2_impl(binary, kXnet, "golang.org/x/net/http2/hpack.HeaderField", true,
                   "golang.org/x/net/http2", notes);
  return o;
}

GrpcOffsets resolve_grpc_offsets(const obj::GoBinary& binary, uint64_t status_error_itab,
                                 std::vector<std::string>* notes) {
  constexpr std::string_view kTransport = "google.golang.org/grpc/internal/transport.";
  auto t = [&](std::string_view name) { return std::string(kTransport) + std::string(name); };
  GrpcOffsets r;
  grpc_offsets& o = r.offsets;

  Fields common(binary, notes);
  o.g_goid = common.get("runtime.g", "goid");
  o.tcp_addr_ip = common.get("net.TCPAddr", "IP");
  o.tcp_addr_port = common.get("net.TCPAddr", "Port");
  o.status_proto = common.get("google.golang.org/grpc/internal/status.Status", "s");
  o.proto_code = common.get("google.golang.org/genproto/googleapis/rpc/status.Status", "Code");
  o.proto_message =
      common.get("google.golang.org/genproto/googleapis/rpc/status.Status", "Message");
  if (!common.ok() || std::max(o.tcp_addr_ip + 16, o.tcp_addr_port + 8) > 40 ||
      std::max(o.proto_code, o.proto_message) + 16 > GOINSTR_SNAPSHOT_MAX) {
    if (notes) notes->push_back("gRPC not traced: " + common.error());
    return r;
  }

  Fields server(binary, notes);
  std::string stream = t("Stream");
  o.server_embed = server.embed(t("ServerStream"), "st");
  o.server_stream_method = server.get(stream, "method");
  o.server_stream_id = server.get(stream, "id");
  uint64_t peer = server.get(t("http2Server"), "peer");
  o.server_peer_addr = peer + server.get("google.golang.org/grpc/peer.Peer", "Addr");
  o.server_peer_local = peer + server.get("google.golang.org/grpc/peer.Peer", "LocalAddr");
  o.stream_snapshot_size = snapshot_size({o.server_stream_method + 16, o.server_stream_id + 8});
  o.headers = headers_frame(server, "golang.org/x/net/http2.MetaHeadersFrame", "HeadersFrame",
                            "golang.org/x/net/http2.HeadersFrame", "FrameHeader",
                            "golang.org/x/net/http2.FrameHeader",
                            "golang.org/x/net/http2/hpack.HeaderField");
  o.headers.valid = o.headers.field_size <= GOINSTR_HPACK_FIELD_SIZE_MAX ? 1 : 0;
  r.server = server.ok() && o.server_peer_local == o.server_peer_addr + 16 &&
             o.stream_snapshot_size <= GOINSTR_SNAPSHOT_MAX;
  if (!r.server && notes) notes->push_back("gRPC server not traced: " + server.error());

  Fields client(binary, notes);
  constexpr std::string_view kCs = "google.golang.org/grpc.clientStream";
  constexpr std::string_view kAttempt = "google.golang.org/grpc.csAttempt";
  o.cs_callhdr = client.get(kCs, "callHdr");
  o.cs_desc = client.get(kCs, "desc");
  o.cs_attempt = client.get(kCs, "attempt");
  o.callhdr_method = client.get(t("CallHdr"), "Method");
  o.callhdr_host = client.get(t("CallHdr"), "Host");
  o.desc_server_streams = client.get("google.golang.org/grpc.StreamDesc", "ServerStreams");
  o.desc_client_streams = client.get("google.golang.org/grpc.StreamDesc", "ClientStreams");
  o.attempt_cs = client.get(kAttempt, "cs");
  o.attempt_transport = client.first(kAttempt, {"transport", "t"});
  o.attempt_stream = client.first(kAttempt, {"transportStream", "s"});
  o.client_embed = client.embed(t("ClientStream"), "ct");
  o.client_stream_id = client.get(stream, "id");
  o.client_stream_status = client.has(t("ClientStream"), "status")
                               ? client.get(t("ClientStream"), "status")
                               : client.get(stream, "status");
  o.client_remote_addr = client.get(t("http2Client"), "remoteAddr");
  o.client_local_addr = client.get(t("http2Client"), "localAddr");
  o.error_status = client.get("google.golang.org/grpc/internal/status.Error", "s");
  o.status_error_itab = status_error_itab;
  o.cs_snapshot_size = snapshot_size({o.cs_callhdr + 8, o.cs_desc + 8, o.cs_attempt + 8});
  o.attempt_snapshot_size =
      snapshot_size({o.attempt_cs + 8, o.attempt_transport + 16, o.attempt_stream + 8});
  r.client = client.ok() && o.desc_client_streams == o.desc_server_streams + 1 &&
             o.client_local_addr == o.client_remote_addr + 16 &&
             std::max(o.cs_snapshot_size, o.attempt_snapshot_size) <= GOINSTR_SNAPSHOT_MAX;
  if (!r.client && notes) notes->push_back("gRPC client not traced: " + client.error());
  return r;
}

}  // namespace goinstr::agent
