/* SPDX-License-Identifier: GPL-2.0-only */
/* A net.Addr read from BPF: the interface's data word is taken as a *net.TCPAddr {IP []byte; Port
 * int; ...}. A non-TCP address (a unix socket) does not pass the IP length check and stays
 * unknown (ip_len 0) rather than becoming garbage. */
#ifndef GOINSTR_BPF_NET_ADDR_H
#define GOINSTR_BPF_NET_ADDR_H

#include "bpf_intf/grpc.h"
#include "lib/read.bpf.h"

/* Bytes of a net.TCPAddr read at once; user space checks that IP and Port lie within them. */
#define GOINSTR_TCP_ADDR_READ 40

static __always_inline void tcp_addr__read(struct goinstr_tcp_addr* out, __u64 addr, __u64 ip_off,
                                           __u64 port_off) {
  __builtin_memset(out, 0, sizeof(*out));
  if (!addr) return;
  __u8 raw[GOINSTR_TCP_ADDR_READ];
  if (bpf_probe_read_user(raw, sizeof(raw), (void*)addr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return;
  }
  struct go_string ip = {}; /* the slice's {ptr, len}; cap is not needed */
  __s64 port = 0;
  if (ip_off <= sizeof(raw) - sizeof(ip)) __builtin_memcpy(&ip, raw + ip_off, sizeof(ip));
  if (port_off <= sizeof(raw) - sizeof(port)) __builtin_memcpy(&port, raw + port_off, 8);
  if (!ip.ptr || (ip.len != 4 && ip.len != 16) || port < 0 || port > 65535) return;
  __u32 n = ip.len == 4 ? 4 : 16;
  if (bpf_probe_read_user(out->ip, n, (void*)ip.ptr) != 0) {
    counter__inc(GOINSTR_COUNTER_READ_FAILED);
    return;
  }
  out->ip_len = (__u16)n;
  out->port = (__u16)port;
}

#endif
