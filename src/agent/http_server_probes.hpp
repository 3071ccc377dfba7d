// SPDX-License-Identifier: Apache-2.0
// The loaded net/http server BPF object for one executable: its offsets are baked into rodata
// before load (one object per distinct executable), and its uprobes are attached by file offset.
// Destroying it detaches every probe: nothing is left in the traced process.
#pragma once

#include <sys/types.h>

#include <array>
#include <memory>
#include <string>

#include "bpf_intf/http_server.h"
#include "common/result.hpp"

struct net_http_server;  // the bpftool skeleton

namespace goinstr::agent {

class HttpServerProbes {
 public:
  static Result<std::unique_ptr<HttpServerProbes>> load(const http_server_offsets& offsets,
                                                        uint32_t ringbuf_bytes);
  ~HttpServerProbes();
  HttpServerProbes(const HttpServerProbes&) = delete;
  HttpServerProbes& operator=(const HttpServerProbes&) = delete;

  // pid -1 traces every process that runs `binary`, including ones started later.
  Result<> attach(const std::string& binary, pid_t pid, uint64_t start_file_offset,
                  uint64_t end_file_offset);
  int events_fd() const;
  // Per-CPU counters summed, indexed by enum goinstr_counter.
  std::array<uint64_t, GOINSTR_COUNTERS> counters() const;

 private:
  explicit HttpServerProbes(net_http_server* skel) : skel_(skel) {}
  net_http_server* skel_;
};

}  // namespace goinstr::agent
