// SPDX-License-Identifier: Apache-2.0
// Which process listens on a TCP port: the OTLP collector's CPU and memory belong in the cost of
// an instrumented variant, but the bench did not start it. The port's listening socket is found
// in /proc/net/tcp and tcp6 (its inode), and the process by the descriptor that points at that
// inode in /proc/*/fd. Root sees every process; others only their own.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace goinstr::bench {

// Inodes of the sockets listening on `port` in the text of /proc/net/tcp or /proc/net/tcp6.
std::vector<uint64_t> listening_inodes(std::string_view proc_net_tcp, uint16_t port);

// The process holding a listening socket on `port`, or nothing when none is visible.
std::optional<pid_t> find_listening_pid(uint16_t port);

}  // namespace goinstr::bench
