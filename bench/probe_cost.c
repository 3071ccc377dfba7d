// SPDX-License-Identifier: Apache-2.0
// probe_cost: calls a tiny naked function N times and prints ns per call, so that the cost of a
// uprobe on the function's first instruction can be read off as (with probe - without probe).
//
//   probe_cost list      one line per case: NAME 0xFILE_OFFSET (of the probed instruction)
//   probe_cost NAME N    runs case NAME N times, prints "NAME N NS_PER_CALL" (thread CPU time)
//
// Each case is a naked function whose first instruction is the class under test; the probe goes
// on that instruction (the function start) and the rest of the body just returns. The file offset
// is computed from /proc/self/maps, so it is right for PIE and non-PIE builds alike.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CASE(name, body)                                                                          \
  __attribute__((naked, noinline, used)) void probe_case_##name(long x __attribute__((unused))) { \
    __asm__ volatile(body);                                                                       \
  }

// Each body starts with the instruction under test and ends in ret.
CASE(none, "ret\n")
CASE(nop5, ".byte 0x0f,0x1f,0x44,0x00,0x00\n ret\n")
CASE(push_rbp, "push %rbp\n pop %rbp\n ret\n")
CASE(jmp8, "jmp 1f\n 1: ret\n")
CASE(cmp_reg, "cmp $0, %rdi\n jbe 1f\n 1: ret\n")
CASE(jbe8, "jbe 1f\n 1: ret\n")  // flags are whatever the caller left
CASE(call32, "call 1f\n ret\n 1: ret\n")
CASE(cmp_mem, "cmp 0x8(%rsp), %rdi\n ret\n")  // like Go's cmp 0x10(%r14),%rsp
CASE(lea, "lea 1(%rdi), %rax\n ret\n")
CASE(mov, "mov %rdi, %rax\n ret\n")
CASE(ret, "ret\n")  // same bytes as none; probed instead of not

typedef void (*case_fn)(long);
struct entry {
  const char* name;
  case_fn fn;
};
static const struct entry kCases[] = {
    {"none", probe_case_none},         {"nop5", probe_case_nop5},
    {"push_rbp", probe_case_push_rbp}, {"jmp8", probe_case_jmp8},
    {"cmp_reg", probe_case_cmp_reg},   {"jbe8", probe_case_jbe8},
    {"call32", probe_case_call32},     {"cmp_mem", probe_case_cmp_mem},
    {"lea", probe_case_lea},           {"mov", probe_case_mov},
    {"ret", probe_case_ret},
};

// File offset of code address `addr` in this executable, from the mapping that contains it.
static long file_offset(uintptr_t addr) {
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[512];
  long result = -1;
  while (maps && fgets(line, sizeof line, maps)) {
    unsigned long lo, hi, off;
    if (sscanf(line, "%lx-%lx %*s %lx", &lo, &hi, &off) == 3 && addr >= lo && addr < hi) {
      result = (long)(addr - lo + off);
      break;
    }
  }
  if (maps) fclose(maps);
  return result;
}

// CPU time of this thread, not wall time: on a shared machine being descheduled must not count.
// Uprobe handling (trap, handler, emulation or single-step) runs in this thread and is counted.
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char** argv) {
  size_t n_cases = sizeof kCases / sizeof kCases[0];
  if (argc == 2 && strcmp(argv[1], "list") == 0) {
    for (size_t i = 0; i < n_cases; ++i) {
      printf("%s 0x%lx\n", kCases[i].name, file_offset((uintptr_t)kCases[i].fn));
    }
    return 0;
  }
  if (argc != 3) {
    fprintf(stderr, "usage: probe_cost list | probe_cost NAME N\n");
    return 2;
  }
  long n = atol(argv[2]);
  for (size_t i = 0; i < n_cases; ++i) {
    if (strcmp(kCases[i].name, argv[1]) != 0) continue;
    case_fn volatile fn = kCases[i].fn;            // volatile: no inlining or hoisting of the call
    for (long k = 0; k < n / 100 + 1; ++k) fn(k);  // warm up (page in, first-hit setup)
    double t0 = now_ns();
    for (long k = 0; k < n; ++k) fn(k);
    double t1 = now_ns();
    printf("%s %ld %.1f\n", kCases[i].name, n, (t1 - t0) / n);
    return 0;
  }
  fprintf(stderr, "probe_cost: unknown case %s\n", argv[1]);
  return 2;
}
