// slice TID NS: sets a SCHED_OTHER thread's requested slice (EEVDF custom slice, Linux >= 6.12)
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
struct sched_attr { uint32_t size, sched_policy; uint64_t sched_flags; int32_t sched_nice; uint32_t sched_priority; uint64_t sched_runtime, sched_deadline, sched_period; uint32_t util_min, util_max; };
int main(int argc, char **argv) {
  struct sched_attr a; memset(&a, 0, sizeof a); a.size = sizeof a;
  int tid = atoi(argv[1]);
  if (syscall(SYS_sched_getattr, tid, &a, sizeof a, 0)) { perror("getattr"); return 1; }
  printf("before: policy %u nice %d runtime %llu\n", a.sched_policy, a.sched_nice, (unsigned long long)a.sched_runtime);
  a.sched_runtime = strtoull(argv[2], 0, 10); a.sched_flags = 0;
  if (syscall(SYS_sched_setattr, tid, &a, 0)) { perror("setattr"); return 1; }
  syscall(SYS_sched_getattr, tid, &a, sizeof a, 0);
  printf("after: runtime %llu\n", (unsigned long long)a.sched_runtime);
  return 0;
}
