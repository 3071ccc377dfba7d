// SPDX-License-Identifier: Apache-2.0
// What every BPF object needs before it loads: libbpf's own messages routed to our log (its
// failures are reported by us, once, in words a user can act on), and a privilege check that
// says which capabilities are missing instead of libbpf's "Operation not permitted".
#pragma once

#include "common/result.hpp"

namespace goinstr::agent {

void route_libbpf_logs();
// CAP_BPF + CAP_PERFMON load programs and open perf events; since CVE-2025-38466 perf-based
// uprobes also need CAP_SYS_ADMIN on patched kernels. Root has them all.
Result<> check_bpf_privileges();

}  // namespace goinstr::agent
