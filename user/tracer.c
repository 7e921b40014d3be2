// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loads procmon's BPF skeleton and manages the two maps that define a target:
 * `targets` (per process, the counters) and `threads` (task storage, the filter). */
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
#include "procmon.skel.h"
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

/* Room for a descriptor per map, per program and per link, and the loop's few:
 * with fewer, libbpf fails half-way with whatever error it met first
 * ("Invalid argument" at `ulimit -n 10`). 0 or -EMFILE. */
static int check_fd_room(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	struct rlimit lim;
	int need = 16, open_now = fds_open();

	bpf_object__for_each_map(map, obj)
		need++;
	bpf_object__for_each_program(prog, obj)
		need += 2;
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

int tracer_open(struct tracer *t, bool follow_children, unsigned long ringbuf_bytes,
		__u64 cgroup_id, bool light, const char **stage)
{
	int err;

	memset(t, 0, sizeof(*t));
	*stage = "open BPF programs";
	t->skel = procmon_bpf__open();
	if (!t->skel)
		return -errno;
	/* In cgroup mode the cgroup says who is traced, not the parent. */
	t->skel->rodata->follow_children = follow_children && !cgroup_id;
	t->skel->rodata->cgroup_id = cgroup_id;
	if (!cgroup_id) {
		bpf_program__set_autoload(t->skel->progs.on_fork_in_cgroup, false);
		bpf_program__set_autoload(t->skel->progs.on_cgroup_attach, false);
	}
	/* Where the kernel splits off-CPU time itself, no switch hook is needed. */
	t->skel->rodata->schedstats = schedstats_on();
	if (t->skel->rodata->schedstats)
		bpf_program__set_autoload(t->skel->progs.on_switch, false);
	/* --light: no hook on a per-switch or per-fault path at all. */
	if (light) {
		bpf_program__set_autoload(t->skel->progs.on_switch, false);
		bpf_program__set_autoload(t->skel->progs.on_rss_stat, false);
	}
	t->light = light;
	t->skel->rodata->holder_tgid = (__u32)getpid();
	t->skel->rodata->page_shift = (__u32)__builtin_ctzl((unsigned long)sysconf(_SC_PAGESIZE));
	t->skel->rodata->light = light;
	err = bpf_map__set_max_entries(t->skel->maps.events, (__u32)ringbuf_bytes);
	if (err)
		return err;
	t->target_bits_words = (pid_max() + 63) / 64;
	err = bpf_map__set_max_entries(t->skel->maps.target_bits, t->target_bits_words);
	if (err)
		return err;
	*stage = "load BPF programs";
	err = check_fd_room(t->skel->obj);
	if (!err)
		err = procmon_bpf__load(t->skel);
	if (err)
		return err;
	*stage = "map the target bitmap";
	t->target_bits_bytes = ((size_t)t->target_bits_words * 8 + 4095) & ~(size_t)4095;
	t->target_bits = mmap(NULL, t->target_bits_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
			      bpf_map__fd(t->skel->maps.target_bits), 0);
	if (t->target_bits == MAP_FAILED) {
		t->target_bits = NULL;
		return -errno;
	}
	*stage = "attach BPF programs";
	err = procmon_bpf__attach(t->skel);
	if (err)
		return err;
	t->snapshot_fd = bpf_program__fd(t->skel->progs.snapshot);
	return 0;
}

void tracer_close(struct tracer *t)
{
	if (t->target_bits)
		munmap(t->target_bits, t->target_bits_bytes);
	procmon_bpf__destroy(t->skel);	/* links are fds: closing them detaches */
	memset(t, 0, sizeof(*t));
}

int tracer_events_fd(const struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.events);
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
	err = bpf_map__update_elem(t->skel->maps.threads, &fd, sizeof(fd), &th, sizeof(th),
				   BPF_NOEXIST);
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

	err = bpf_map__update_elem(t->skel->maps.targets, &key, sizeof(key), &c, sizeof(c),
				   BPF_NOEXIST);
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
		bpf_map__update_elem(t->skel->maps.threads, &fd, sizeof(fd), &th, sizeof(th), BPF_ANY);
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
	bpf_map__delete_elem(t->skel->maps.targets, &key, sizeof(key), 0);
	bpf_map__delete_elem(t->skel->maps.probed, &key, sizeof(key), 0);
}

int tracer_refresh_oncpu(struct tracer *t)
{
	(void)t;	/* sum_exec_runtime is read per sample: nothing per CPU to read */
	return 0;
}

int tracer_read(struct tracer *t, pid_t pid, struct procmon_counters *c,
		__u64 *running_ns)
{
	*running_ns = 0;
	return snapshot(t, pid, 0, c);
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

__u64 tracer_sample_seq(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->sample_seq, __ATOMIC_RELAXED);
}

struct bpf_program *tracer_label_prog(const struct tracer *t)
{
	return t->skel->progs.on_label;
}

struct bpf_map *tracer_plain_files_map(const struct tracer *t)
{
	return t->skel->maps.plain_files;
}

struct bpf_map *tracer_probed_map(const struct tracer *t)
{
	return t->skel->maps.probed;
}
