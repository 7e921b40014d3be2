// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads a thread's stat, schedstat and status files: the names are the kernel's
 * own (comm), the times its own accounting (sum_exec_runtime, run_delay). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "logline.h"
#include "proc.h"
#include "threads.h"
#include "utf8.h"

int thread_ids(pid_t pid, pid_t **tids)
{
	char path[64];
	struct dirent *de;
	pid_t *ids = NULL, *grown;
	int n = 0, cap = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);

		if (*end || tid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(ids, sizeof(*ids) * (size_t)cap);
			if (!grown) {
				free(ids);
				closedir(dir);
				return -ENOMEM;
			}
			ids = grown;
		}
		ids[n++] = (pid_t)tid;
	}
	closedir(dir);
	*tids = ids;
	return n;
}

/* "voluntary_ctxt_switches:\t12" from /proc/.../status. */
static unsigned long long status_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

json_object *thread_object(pid_t pid, pid_t tid, long ticks_per_s)
{
	char path[96], buf[4096], comm[3 * sizeof(((struct proc_stat *)0)->comm) + 1];
	unsigned long long oncpu_ns = 0, runq_ns = 0;
	struct proc_stat st;
	json_object *o;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) <= 0 || proc_parse_stat(buf, &st))
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu %llu", &oncpu_ns, &runq_ns);
	o = json_object_new_object();
	json_object_object_add(o, "tid", json_object_new_int((int)tid));
	utf8_repair(st.comm, strlen(st.comm), comm);
	json_object_object_add(o, "comm", json_object_new_string(comm));
	logline_add_double(o, "user", (double)st.utime / (double)ticks_per_s, 2);
	logline_add_double(o, "system", (double)st.stime / (double)ticks_per_s, 2);
	json_object_object_add(o, "oncpu_ns", json_object_new_uint64(oncpu_ns));
	json_object_object_add(o, "runq_wait_ns", json_object_new_uint64(runq_ns));
	json_object_object_add(o, "minflt", json_object_new_uint64(st.minflt));
	json_object_object_add(o, "majflt", json_object_new_uint64(st.majflt));
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	if (proc_read_file(path, buf, sizeof(buf)) > 0) {
		json_object_object_add(o, "voluntary", json_object_new_uint64(
			status_field(buf, "voluntary_ctxt_switches:")));
		json_object_object_add(o, "involuntary", json_object_new_uint64(
			status_field(buf, "nonvoluntary_ctxt_switches:")));
	}
	return o;
}
