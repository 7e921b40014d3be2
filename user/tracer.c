// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loads procmon's core BPF programs (a light skeleton) and manages the two maps that
 * define a target: `targets` (the counters) and `threads` (task storage, the filter). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "clock.h"
#include "pidfd.h"
#include "procmon.lskel.h"
#include "proc.h"
#include "tracer.h"

/* Largest PID + 1 the kernel hands out: the size of the target bitmap. */
static __u32 pid_max(void)
{
	char buf[32];
	long v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		if (fgets(buf, sizeof(buf), f))
			v = strtol(buf, NULL, 10);
		fclose(f);
	}
	return v > 0 && v <= (1 << 22) ? (__u32)v : (1u << 22);
}

/* Set (@on) or clear the bit of @pid in the mmap'ed bitmap BPF tests first. */
static void write_target_bit(struct tracer *t, pid_t pid, bool on)
{
	__u32 word = (__u32)pid >> 6;
	__u64 bit = 1ull << ((__u32)pid & 63);

	if (!t->target_bits || word >= t->target_bits_words)
		return;
	if (on)
		__atomic_fetch_or(&t->target_bits[word], bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&t->target_bits[word], ~bit, __ATOMIC_SEQ_CST);
}

/* Descriptors open now, or -EMFILE when not even the count can be taken. */
static int fds_open(void)
{
	struct dirent *de;
	int n = 0;
	DIR *dir = opendir("/proc/self/fd");

	if (!dir)
		return errno == EMFILE || errno == ENFILE ? -EMFILE : 0;
	while ((de = readdir(dir)))
		n += de->d_name[0] != '.';
	closedir(dir);
	return n - 1;	/* the directory's own */
}

/* Room for a descriptor per map, per program and per link, the extra object's
 * (its maps, shared, are copies: 8, and 3 programs) and the loop's few: with
 * fewer, the loader fails half-way with whatever error it met first ("Invalid
 * argument" at `ulimit -n 10`). 0 or -EMFILE. */
static int check_fd_room(void)
{
	const struct procmon_core *s = NULL;
	struct rlimit lim;
	int need = 16 + 8 + 2 * 3 + (int)(sizeof(s->maps) / sizeof(s->maps.targets) +
					  2 * sizeof(s->progs) / sizeof(s->progs.snapshot));
	int open_now = fds_open();

	if (open_now < 0)
		return open_now;
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)(open_now + need) > lim.rlim_cur)
		return -EMFILE;
	return 0;
}

/* kernel.sched_schedstats = 1: the kernel keeps every task's sleep and blocked
 * time (CONFIG_SCHEDSTATS kernels, when enabled). */
static bool schedstats_on(void)
{
	FILE *f = fopen("/proc/sys/kernel/sched_schedstats", "re");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '1';
}

/* Every program is loaded (a light skeleton has no autoload switch; an idle one
 * costs its verification, ~0.3 ms), only those the run needs are attached. The
 * core's first: the --cgroup fork hook runs after on_fork, as it did. */
static int attach(struct procmon_core *s, bool switch_hook, bool rss_hook)
{
	int err = 0;

	err = err < 0 ? err : procmon_core__on_fork__attach(s);
	err = err < 0 ? err : procmon_core__on_exec__attach(s);
	err = err < 0 ? err : procmon_core__on_exit__attach(s);
	err = err < 0 ? err : procmon_core__on_free__attach(s);
	err = err < 0 ? err : procmon_core__on_oom_victim__attach(s);
	err = err < 0 ? err : procmon_core__on_mmap__attach(s);
	if (switch_hook)
		err = err < 0 ? err : procmon_core__on_switch__attach(s);
	if (rss_hook)
		err = err < 0 ? err : procmon_core__on_rss_stat__attach(s);
	return err < 0 ? -errno : 0;
}

/* Load the core. With @verbose, a failed load is tried once more with the
 * verifier's log (not the first time: a log too small for a program that loads
 * fails it with ENOSPC), printed for the reason. */
static int load(struct tracer *t, bool verbose)
{
	const size_t log_size = 16 << 20;
	struct procmon_core *again;
	char *log;
	int err = procmon_core__load(t->skel);

	if (!err || !verbose)
		return err;
	again = procmon_core__open();
	log = calloc(1, log_size);
	if (again && log) {
		*again->rodata = *t->skel->rodata;
		again->maps.events.max_entries = t->skel->maps.events.max_entries;
		again->maps.target_bits.max_entries = t->skel->maps.target_bits.max_entries;
		again->ctx.log_level = 1;
		again->ctx.log_buf = (__u64)(unsigned long)log;
		again->ctx.log_size = (__u32)log_size;
		if (procmon_core__load(again) && log[0])
			fprintf(stderr, "procmon: the BPF verifier's log:\n%s\n", log);
	}
	procmon_core__destroy(again);
	free(log);
	return err;
}

int tracer_open(struct tracer *t, bool follow_children, unsigned long ringbuf_bytes,
		__u64 cgroup_id, bool light, bool verbose, const char **stage)
{
	bool schedstats = schedstats_on();
	int err;

	memset(t, 0, sizeof(*t));
	*stage = "open BPF programs";
	t->skel = procmon_core__open();
	if (!t->skel)
		return -errno;
	/* In cgroup mode the cgroup says who is traced, not the parent. */
	t->skel->rodata->follow_children = follow_children && !cgroup_id;
	t->skel->rodata->cgroup_id = cgroup_id;
	/* Where the kernel splits off-CPU time itself, no switch hook is needed. */
	t->skel->rodata->schedstats = schedstats;
	t->light = light;
	t->skel->rodata->holder_tgid = (__u32)getpid();
	t->skel->rodata->page_shift = (__u32)__builtin_ctzl((unsigned long)sysconf(_SC_PAGESIZE));
	t->skel->rodata->light = light;
	t->skel->maps.events.max_entries = (__u32)ringbuf_bytes;
	t->target_bits_words = (pid_max() + 63) / 64;
	t->skel->maps.target_bits.max_entries = t->target_bits_words;
	*stage = "load BPF programs";
	err = check_fd_room();
	if (!err)
		err = load(t, verbose);
	if (err)
		return err;
	*stage = "map the target bitmap";
	t->target_bits_bytes = ((size_t)t->target_bits_words * 8 + 4095) & ~(size_t)4095;
	t->target_bits = mmap(NULL, t->target_bits_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
			      t->skel->maps.target_bits.map_fd, 0);
	if (t->target_bits == MAP_FAILED) {
		t->target_bits = NULL;
		return -errno;
	}
	*stage = "attach BPF programs";
	/* --light: no hook on a per-switch or per-fault path at all. */
	err = attach(t->skel, !light && !schedstats, !light);
	if (err)
		return err;
	if (cgroup_id) {
		*stage = "load the --cgroup BPF programs";
		err = tracer_extra_open_cgroup(t);
		if (err)
			return err;
	}
	t->snapshot_fd = t->skel->progs.snapshot.prog_fd;
	return 0;
}

void tracer_close(struct tracer *t)
{
	if (t->target_bits)
		munmap(t->target_bits, t->target_bits_bytes);
	tracer_extra_close(t);
	procmon_core__destroy(t->skel);	/* links are fds: closing them detaches */
	memset(t, 0, sizeof(*t));
}

int tracer_events_fd(const struct tracer *t)
{
	return t->skel->maps.events.map_fd;
}

/* Run the `snapshot` program for @pid: its counters since the baseline into @c,
 * or (PROCMON_SNAP_BASELINE) take the baseline. 0 or -ENOENT (not a target). */
static int snapshot(struct tracer *t, pid_t pid, __u32 flags, struct procmon_counters *c)
{
	struct procmon_snap_args a = { .pid = pid, .flags = flags };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &a, .ctx_size_in = sizeof(a));

	if (bpf_prog_test_run_opts(t->snapshot_fd, &opts))
		return -errno;
	/* -ESRCH: reaped, and the record holds what all its threads left at exit. */
	if (a.err && a.err != -ESRCH)
		return a.err;
	if (c)
		*c = a.out;
	return 0;
}

/* Create the task storage of thread @tid: BPF takes its baseline when it first
 * sees the thread. -ESRCH if it is gone, -EEXIST if already marked. */
static int mark_thread(struct tracer *t, pid_t tgid, pid_t tid)
{
	struct procmon_thread th = { .tgid = (__u32)tgid };
	int fd, err;

	fd = procmon_pidfd_open(tid, tid == tgid ? 0 : PIDFD_THREAD);
	if (fd < 0)
		return -errno;
	err = bpf_map_update_elem(t->skel->maps.threads.map_fd, &fd, &th, BPF_NOEXIST) ? -errno : 0;
	close(fd);
	return err;
}

/* Mark every thread in /proc/PID/task. Twice: a thread created by a not yet
 * marked thread during the first pass is found by the second (later ones by the
 * fork hook). */
static int mark_existing_threads(struct tracer *t, pid_t pid)
{
	int pass, i, n, marked = 0;
	pid_t *tids;

	for (pass = 0; pass < 2; pass++) {
		n = proc_thread_ids(pid, &tids);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++)
			if (mark_thread(t, pid, tids[i]) == 0)
				marked++;
		free(tids);
	}
	return marked ? 0 : -ESRCH;
}

int tracer_add(struct tracer *t, pid_t pid, pid_t ppid, bool existing)
{
	struct procmon_counters c = { .ppid = (__u32)ppid };
	__u32 key = (__u32)pid;
	int err;

	err = bpf_map_update_elem(t->skel->maps.targets.map_fd, &key, &c, BPF_NOEXIST) ? -errno : 0;
	if (err == -EEXIST)
		return 0;	/* a child the fork hook added first */
	if (err)
		return err;
	write_target_bit(t, pid, true);
	err = existing ? mark_existing_threads(t, pid) : mark_thread(t, pid, pid);
	if (err && err != -EEXIST) {
		tracer_remove(t, pid);
		return err;
	}
	return snapshot(t, pid, PROCMON_SNAP_BASELINE, NULL) ? -ESRCH : 0;
}

int tracer_mark_threads(struct tracer *t, pid_t pid)
{
	struct procmon_thread th = { .tgid = (__u32)pid };
	pid_t *tids;
	int i, n, fd;

	n = proc_thread_ids(pid, &tids);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (tids[i] == pid)
			continue;
		fd = procmon_pidfd_open(tids[i], PIDFD_THREAD);
		if (fd < 0)
			continue;
		/* BPF_ANY: a storage left from an earlier stay holds a stale baseline. */
		bpf_map_update_elem(t->skel->maps.threads.map_fd, &fd, &th, BPF_ANY);
		close(fd);
	}
	free(tids);
	/* Counting starts at the move: what it did before is not the cgroup's. */
	snapshot(t, pid, PROCMON_SNAP_BASELINE, NULL);
	return 0;
}

void tracer_remove(struct tracer *t, pid_t pid)
{
	__u32 key = (__u32)pid;

	write_target_bit(t, pid, false);
	tracer_tick_list_remove(t, pid);
	bpf_map_delete_elem(t->skel->maps.targets.map_fd, &key);
	bpf_map_delete_elem(t->skel->maps.probed.map_fd, &key);
}

int tracer_read(struct tracer *t, pid_t pid, struct procmon_counters *c)
{
	return snapshot(t, pid, 0, c);
}

pid_t tracer_parent(struct tracer *t, pid_t pid)
{
	struct procmon_counters c;
	__u32 key = (__u32)pid;

	/* The record alone, no walk of its threads: only its ppid is wanted. */
	if (bpf_map_lookup_elem(t->skel->maps.targets.map_fd, &key, &c))
		return 0;
	return (pid_t)c.ppid;
}

void tracer_next_sample(struct tracer *t)
{
	__atomic_add_fetch(&t->skel->bss->sample_seq, 1, __ATOMIC_RELAXED);
}

__u64 tracer_children_lost(const struct tracer *t)
{
	return t->skel->bss->children_lost;
}

__u64 tracer_fork_events_lost(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->fork_events_lost, __ATOMIC_RELAXED);
}

__u64 tracer_cgroup_events_lost(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->cgroup_events_lost, __ATOMIC_RELAXED);
}

__u64 tracer_ticks_lost(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->ticks_lost, __ATOMIC_RELAXED);
}

__u64 tracer_sample_seq(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->sample_seq, __ATOMIC_RELAXED);
}

int tracer_plain_files_fd(const struct tracer *t)
{
	return t->skel->maps.plain_files.map_fd;
}

int tracer_probed_fd(const struct tracer *t)
{
	return t->skel->maps.probed.map_fd;
}
