// SPDX-License-Identifier: Apache-2.0
// The loaded BPF object for one executable (bpf/probes/*.bpf.c linked into the go_probes
// skeleton): its offsets are baked into rodata before load, and each probe is attached by file
// offset, possibly at several sites. Destroying it detaches every probe: nothing is left in the
// traced process.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bpf_intf/database_sql.h"
#include "bpf_intf/grpc.h"
#include "bpf_intf/http2.h"
#include "bpf_intf/http_client.h"
#include "bpf_intf/http_server.h"
#include "bpf_intf/runtime.h"
#include "common/result.hpp"

struct go_probes;  // the bpftool skeleton
struct bpf_link;

namespace goinstr::agent {

// Everything baked into the object before load.
struct ProbeConfig {
  http_server_offsets server{};
  db_offsets db{};
  http_client_offsets client{};
  runtime_offsets runtime{};
  http2_server_offsets h2{};  // impl[i].on says which HTTP/2 servers are traced
  grpc_offsets grpc{};
  uint64_t bufio_writer_itab = 0;
  // Families whose programs are loaded; a family that is off costs nothing.
  bool http_server = true;
  bool database = false;
  bool http_client = false;
  bool goroutines = false;
  bool http2 = false;
  bool grpc_server = false;
  bool grpc_client = false;
  bool inject = false;  // the one program that writes into the traced process
};

class GoProbes {
 public:
  static Result<std::unique_ptr<GoProbes>> load(const ProbeConfig& config, uint32_t ringbuf_bytes);
  ~GoProbes();
  GoProbes(const GoProbes&) = delete;
  GoProbes& operator=(const GoProbes&) = delete;

  // Attaches BPF program `program` at `file_offset` of `binary`; pid -1 traces every process that
  // runs it, including ones started later. The program reads `cookie` with bpf_get_attach_cookie.
  Result<> attach(std::string_view program, const std::string& binary, pid_t pid,
                  uint64_t file_offset, uint64_t cookie = 0);
  // Error types whose message the probes may copy: itab address -> offset of the message string.
  Result<> set_error_messages(const std::map<uint64_t, uint32_t>& offsets);
  int events_fd() const;
  // Per-CPU counters summed, indexed by enum goinstr_counter.
  std::array<uint64_t, GOINSTR_COUNTERS> counters() const;

 private:
  explicit GoProbes(go_probes* skel) : skel_(skel) {}
  go_probes* skel_;
  std::vector<bpf_link*> links_;
};

}  // namespace goinstr::agent
