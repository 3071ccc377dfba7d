// SPDX-License-Identifier: Apache-2.0
#include "agent/go_probes.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>

// The skeleton names BPF-side types; the shared ABI headers must come first.
#include "bpf_intf/database_sql.h"
#include "bpf_intf/grpc.h"
#include "bpf_intf/http2.h"
#include "bpf_intf/http_client.h"
#include "bpf_intf/http_server.h"
#include "bpf_intf/runtime.h"
#include "go_probes.skel.h"

namespace goinstr::agent {
namespace {

// libbpf reports failures as negative errno (or NULL + errno); this is the one place that
// converts that convention into Result.
Result<> check(int rc, const std::string& what) {
  if (rc < 0) return fail_errno(what, -rc);
  return {};
}

bool has_prefix(const char* name, std::string_view prefix) {
  return std::string_view(name).starts_with(prefix);
}

// Programs of families that are off are not loaded at all.
void select_programs(go_probes* skel, const ProbeConfig& c) {
  bpf_program* prog;
  bpf_object__for_each_program(prog, skel->obj) {
    const char* name = bpf_program__name(prog);
    bool on = true;
    if (has_prefix(name, "uprobe__net_http__server")) on = c.http_server;
    if (has_prefix(name, "uprobe__db__")) on = c.database;
    if (has_prefix(name, "uprobe__http_client__")) on = c.http_client;
    if (has_prefix(name, "uprobe__http_client__write_start")) on = c.http_client && c.inject;
    if (has_prefix(name, "uprobe__http_client__headers_written")) on = c.http_client && c.inject;
    if (has_prefix(name, "uprobe__go__")) on = c.goroutines;
    if (has_prefix(name, "uprobe__net_http2__")) on = c.http_server && c.http2;
    if (has_prefix(name, "uprobe__grpc__server")) on = c.grpc_server;
    if (has_prefix(name, "uprobe__grpc__client")) on = c.grpc_client;
    bpf_program__set_autoload(prog, on);
  }
}

}  // namespace

Result<std::unique_ptr<GoProbes>> GoProbes::load(const ProbeConfig& config,
                                                 uint32_t ringbuf_bytes) {
  go_probes* skel = go_probes::open();
  if (!skel) return fail_errno("open BPF skeleton go_probes");
  std::unique_ptr<GoProbes> probes(new GoProbes(skel));
  skel->rodata->cfg_off = config.server;
  skel->rodata->cfg_db = config.db;
  skel->rodata->cfg_db_g_goid = config.runtime.g_goid;
  skel->rodata->cfg_client = config.client;
  skel->rodata->cfg_client.inject = config.inject ? 1 : 0;
  skel->rodata->cfg_client_g_goid = config.runtime.g_goid;
  skel->rodata->cfg_bufio_writer_itab = config.bufio_writer_itab;
  skel->rodata->cfg_rt = config.runtime;
  skel->rodata->cfg_h2 = config.h2;
  skel->rodata->cfg_grpc = config.grpc;
  select_programs(skel, config);
  TRY(check(bpf_map__set_max_entries(skel->maps.events, ringbuf_bytes), "size ring buffer"));
  TRY(check(go_probes::load(skel),
            "load BPF programs (the kernel verifier rejected them, or BPF needs root)"));
  return probes;
}

GoProbes::~GoProbes() {
  for (bpf_link* link : links_) bpf_link__destroy(link);
  go_probes::destroy(skel_);
}

Result<> GoProbes::attach(std::string_view program, const std::string& binary, pid_t pid,
                          uint64_t offset, uint64_t cookie) {
  bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, std::string(program).c_str());
  if (!prog) return fail("no BPF program " + std::string(program));
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = cookie, .retprobe = false);
  bpf_link* link = bpf_program__attach_uprobe_opts(prog, pid, binary.c_str(), offset, &opts);
  if (!link) {
    int err = errno;
    std::string hint = err == EPERM || err == EACCES
                           ? " (uprobes need root, or CAP_SYS_ADMIN on kernels patched for "
                             "CVE-2025-38466)"
                           : "";
    return fail_errno(fmt::format("attach uprobe {} to {}+{:#x}{}", program, binary, offset, hint),
                      err);
  }
  links_.push_back(link);
  return {};
}

Result<> GoProbes::set_error_messages(const std::map<uint64_t, uint32_t>& offsets) {
  int fd = bpf_map__fd(skel_->maps.error_msg_offsets);
  for (const auto& [itab, off] : offsets) {
    if (bpf_map_update_elem(fd, &itab, &off, BPF_ANY) != 0)
      return fail_errno("fill error_msg_offsets");
  }
  return {};
}

int GoProbes::events_fd() const {
  return bpf_map__fd(skel_->maps.events);
}

std::array<uint64_t, GOINSTR_COUNTERS> GoProbes::counters() const {
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
