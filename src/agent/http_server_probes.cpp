// SPDX-License-Identifier: Apache-2.0
#include "agent/http_server_probes.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>

// The skeleton names BPF-side types; the shared ABI header must come first.
#include "bpf_intf/http_server.h"
#include "net_http_server.skel.h"

namespace goinstr::agent {
namespace {

// libbpf reports failures as negative errno (or NULL + errno); this is the one place that
// converts that convention into Result.
Result<> check(int rc, const std::string& what) {
  if (rc < 0) return fail_errno(what, -rc);
  return {};
}

Result<> attach_one(bpf_program* prog, bpf_link** slot, const std::string& binary, pid_t pid,
                    uint64_t offset) {
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = false);
  bpf_link* link = bpf_program__attach_uprobe_opts(prog, pid, binary.c_str(), offset, &opts);
  if (!link) {
    int err = errno;
    std::string hint = err == EPERM || err == EACCES
                           ? " (uprobes need root, or CAP_SYS_ADMIN on kernels patched for "
                             "CVE-2025-38466)"
                           : "";
    return fail_errno("attach uprobe " + std::string(bpf_program__name(prog)) + " to " + binary +
                          fmt::format("+{:#x}", offset) + hint,
                      err);
  }
  *slot = link;
  return {};
}

}  // namespace

Result<std::unique_ptr<HttpServerProbes>> HttpServerProbes::load(const http_server_offsets& offsets,
                                                                 uint32_t ringbuf_bytes) {
  net_http_server* skel = net_http_server::open();
  if (!skel) return fail_errno("open BPF skeleton net_http_server");
  std::unique_ptr<HttpServerProbes> probes(new HttpServerProbes(skel));
  skel->rodata->cfg_off = offsets;
  TRY(check(bpf_map__set_max_entries(skel->maps.events, ringbuf_bytes), "size ring buffer"));
  TRY(check(net_http_server::load(skel),
            "load BPF programs (the kernel verifier rejected them, or BPF needs root)"));
  return probes;
}

HttpServerProbes::~HttpServerProbes() {
  net_http_server::destroy(skel_);
}

Result<> HttpServerProbes::attach(const std::string& binary, pid_t pid, uint64_t start_file_offset,
                                  uint64_t end_file_offset) {
  TRY(attach_one(skel_->progs.uprobe__net_http__server_start,
                 &skel_->links.uprobe__net_http__server_start, binary, pid, start_file_offset));
  TRY(attach_one(skel_->progs.uprobe__net_http__server_end,
                 &skel_->links.uprobe__net_http__server_end, binary, pid, end_file_offset));
  return {};
}

int HttpServerProbes::events_fd() const {
  return bpf_map__fd(skel_->maps.events);
}

std::array<uint64_t, GOINSTR_COUNTERS> HttpServerProbes::counters() const {
  std::array<uint64_t, GOINSTR_COUNTERS> totals{};
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return totals;
  std::vector<uint64_t> per_cpu(static_cast<size_t>(ncpu));
  int fd = bpf_map__fd(skel_->maps.counters);
  for (uint32_t key = 0; key < GOINSTR_COUNTERS; ++key) {
    if (bpf_map_lookup_elem(fd, &key, per_cpu.data()) != 0) continue;
    for (uint64_t v : per_cpu) totals[key] += v;
  }
  return totals;
}

}  // namespace goinstr::agent
