/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers of the reliability and security tests (it_faults, it_hostile, it_security):
 * start procmon with only fds 0-2, wait for it with wait4 (its peak RSS), and list
 * the BPF programs and links it holds. Header-only, on top of itest.h. */
#ifndef PROCMON_RELTEST_H
#define PROCMON_RELTEST_H

#include "itest.h"

/* A run measured: what it_proc has, plus procmon's memory. */
struct rel_run {
	struct it_proc p;
	long maxrss_kb;		/* wait4's ru_maxrss: the largest of procmon and what it reaped */
	long vmhwm_kb;		/* procmon's own VmHWM, last read while it ran */
};

/* it_start with nothing open in the child beyond 0, 1, 2 (it_spawn.close_fds).
 * Its stdout is @stdout_fd if > 2 (a pipe the test reads), else captured. */
static inline int rel_start(struct rel_run *r, const char *const argv[], const struct it_spawn *how,
			    int stdout_fd)
{
	struct it_spawn closed = { 0 };

	if (how)
		closed = *how;
	closed.close_fds = true;
	closed.stdout_fd = stdout_fd;
	memset(r, 0, sizeof(*r));
	r->maxrss_kb = r->vmhwm_kb = -1;
	return it_start(&r->p, argv, &closed);
}

/* Wait up to @timeout_s for the run, reading procmon's VmHWM as it goes; past the
 * timeout SIGKILL its process group. Reaps it with wait4 (ru_maxrss). With
 * @kill_group, whatever is left in the group (a command procmon launched) is
 * SIGKILLed afterwards, as it_finish does; without, it is left to the test.
 * Returns the wait status. */
static inline int rel_finish(struct rel_run *r, double timeout_s, bool kill_group)
{
	struct rusage ru = { 0 };
	int status = it_finish_watched(&r->p, timeout_s, kill_group, &r->vmhwm_kb, &ru);

	r->maxrss_kb = ru.ru_maxrss;
	return status;
}

/* Poll up to @timeout_s until the file at @path has at least @lines lines. */
static inline bool rel_wait_lines(const char *path, int lines, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	for (;;) {
		char *text = it_read_file(path);
		int n = text ? it_count_lines(text) : 0;

		free(text);
		if (n >= lines)
			return true;
		if (it_now_s() > deadline)
			return false;
		usleep(10000);
	}
}

/* Poll up to @timeout_s until @path exists. */
static inline bool rel_wait_file(const char *path, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;

	while (access(path, F_OK)) {
		if (it_now_s() > deadline)
			return false;
		usleep(5000);
	}
	return true;
}

/* Every line of @text starts with "procmon: " (true for ""). */
static inline bool rel_all_lines_procmon(const char *text)
{
	for (const char *p = text; *p;) {
		if (strncmp(p, "procmon: ", 9))
			return false;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return true;
}

/* ------------------------------------------------------------ BPF objects */

/* The BPF programs and links a process holds, and bpftool's lists of them: in
 * itest.h, which it_core uses too. */
#define REL_MAX_IDS IT_MAX_IDS
#define rel_bpf_ids it_bpf_ids
#define rel_bpf_ids_of it_bpf_ids_of
#define rel_bpftool_list it_bpftool_list
#define rel_count_listed it_count_listed

/* Poll up to @timeout_s until none of @ids is listed by bpftool; the programs and
 * links still listed go to *progs_left, *links_left. */
static inline void rel_wait_bpf_gone(const struct rel_bpf_ids *ids, double timeout_s,
				     int *progs_left, int *links_left)
{
	double deadline = it_now_s() + timeout_s;

	for (;;) {
		json_object *progs = it_bpftool_list("prog"), *links = it_bpftool_list("link");

		*progs_left = progs ? it_count_listed(progs, ids->progs, ids->n_progs, NULL, NULL) : -1;
		*links_left = links ? it_count_listed(links, ids->links, ids->n_links, NULL, NULL) : -1;
		json_object_put(progs);
		json_object_put(links);
		if ((!*progs_left && !*links_left) || it_now_s() > deadline)
			return;
		usleep(50000);
	}
}

#endif /* PROCMON_RELTEST_H */
