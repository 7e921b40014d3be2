// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The per-sample work of procmon's loop, piece by piece, N times on an idle target:
 * where the microseconds go (make bench; also the callgrind profile in bench/README).
 * Usage: sample_cost PID N LOG  — PID is traced with procmon's own BPF objects. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "logformat.h"
#include "logline.h"
#include "proc.h"
#include "tracer.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	struct procmon_counters c;
	struct logformat_cache *cache;
	struct logwriter w;
	struct proc_files pf;
	struct proc_stat st;
	struct sample smp;
	struct tracer t;
	const char *stage;
	double t0, t_proc = 0, t_bpf = 0, t_json = 0, t_write = 0;
	pid_t pid;
	long n, i;
	int fd, err, with_bpf;

	if (argc != 4) {
		fprintf(stderr, "usage: sample_cost PID N LOG\n");
		return 2;
	}
	pid = (pid_t)atoi(argv[1]);
	n = atol(argv[2]);
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	err = fd < 0 ? -errno : proc_open(&pf, pid);
	if (err) {
		fprintf(stderr, "sample_cost: cannot open the log or PID %d: %s\n", (int)pid,
			strerror(-err));
		return 1;
	}
	/* Without BPF (valgrind knows no pidfd_open) the rest is still measured. */
	err = tracer_open(&t, false, 256 * 1024, 0, false, false, &stage);
	if (!err && tracer_add(&t, pid, 0, true))
		err = -ESRCH;
	with_bpf = !err;
	if (!with_bpf)
		fprintf(stderr, "sample_cost: no BPF (%s failed): BPF lookups not measured\n", stage);
	memset(&c, 0, sizeof(c));
	logwriter_init(&w, fd, LOG_FORMAT_TOTALDEPTH);
	cache = logformat_cache_new();
	for (i = 0; i < n; i++) {
		const char *o;

		t0 = now_us();
		proc_read(&pf, &st);
		t_proc += now_us() - t0;

		t0 = now_us();
		if (with_bpf) {
			tracer_read(&t, pid, &c);
			tracer_next_sample(&t);
		}
		t_bpf += now_us() - t0;

		t0 = now_us();
		memset(&smp, 0, sizeof(smp));
		clock_gettime(CLOCK_REALTIME, &smp.wall);
		smp.pid = pid;
		smp.rss_bytes = st.rss_bytes;
		smp.vms_bytes = st.vsize_bytes;
		smp.pfaults = c.faults;
		smp.oncpu_ns = c.oncpu_ns;
		smp.num_threads = st.num_threads;
		o = logformat_sample(cache, &smp);	/* as sample_write does */
		t_json += now_us() - t0;

		t0 = now_us();
		if (o)
			logwriter_put(&w, LOGLINE_PLAIN, o, &smp.wall);
		t_write += now_us() - t0;
	}
	printf("proc_read %.2f us\nbpf_snapshot %.2f us\njson_build %.2f us\n"
	       "format_write %.2f us\ntotal %.2f us\n", t_proc / n, t_bpf / n, t_json / n,
	       t_write / n, (t_proc + t_bpf + t_json + t_write) / n);
	logformat_cache_free(cache);
	if (with_bpf)
		tracer_close(&t);
	close(fd);
	return 0;
}
