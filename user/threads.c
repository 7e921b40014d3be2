// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads a thread's stat, schedstat and status files: the names are the kernel's
 * own (comm), the times its own accounting (sum_exec_runtime, run_delay). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logformat.h"
#include "proc.h"
#include "threads.h"
#include "utf8.h"

/* "voluntary_ctxt_switches:\t12" from /proc/.../status. */
static unsigned long long status_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

_Static_assert(LOG_COMM_SIZE >= 3 * sizeof(((struct proc_stat *)0)->comm) + 1,
	       "room for a comm with every byte repaired");

int thread_read(pid_t pid, pid_t tid, long ticks_per_s, struct thread_sample *th)
{
	char path[96], buf[4096];
	struct proc_stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &st))
		return -ESRCH;
	memset(th, 0, sizeof(*th));
	th->tid = tid;
	utf8_repair(st.comm, strlen(st.comm), th->comm);
	th->user_s = (double)st.utime / (double)ticks_per_s;
	th->system_s = (double)st.stime / (double)ticks_per_s;
	th->minflt = st.minflt;
	th->majflt = st.majflt;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu %llu", &th->oncpu_ns, &th->runq_wait_ns);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) > 0) {
		th->have_switches = true;
		th->voluntary = status_field(buf, "voluntary_ctxt_switches:");
		th->involuntary = status_field(buf, "nonvoluntary_ctxt_switches:");
	}
	return 0;
}
