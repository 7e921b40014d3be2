// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Everyday use (issue 16): -t logs TotalDepth reads, labels all visible in the SVG,
 * one phase table for summary and plot, I/O bytes, -c output, compare charts. */
#include <linux/magic.h>
#include <sys/vfs.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 60.0

static const char *const sudo_vars[] = { "SUDO_UID", "SUDO_GID", "SUDO_USER", "SUDO_COMMAND",
					 NULL };
static const struct it_spawn as_root = { .env_unset = sudo_vars };

static char dir[64];

static const char *in_dir(const char *name)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *path = paths[next++ % 8];

	snprintf(path, PATH_MAX, "%s/%s", dir, name);
	return path;
}

/* procmon @args (after "procmon") run to the end, its log loaded. */
static bool traced(const char *const *args, const char *log_path, struct it_log *log,
		   struct it_proc *p)
{
	return it_run_traced(args, &as_root, TIMEOUT_S, 0, log_path, log, p);
}

/* `procmon plot @args...`: exit 0 expected; its stderr is returned (caller frees). */
static char *plot(const char *const *args)
{
	const char *argv[16] = { it_procmon(), "plot" };
	struct it_proc p;
	char *err;
	int n = 2;

	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	it_run(&p, argv, &as_root, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "procmon plot %s: exit %d: %s", args[0],
	      it_exit_code(p.status), p.err);
	err = strdup(p.err);
	it_proc_free(&p);
	return err;
}

/* -------------------------------------------------------------- threads */

/* Every line TotalDepth's regex takes is a sample with the keys its table reads;
 * the thread lines are there (their own marker) and procmon plot draws them. */
static void test_thread_log_read_by_totaldepth_and_plotted(void)
{
	const char *log_path = in_dir("threads.log"), *out = in_dir("threads");
	const char *args[] = { "-q", "-t", "-i", "0.1", "-o", log_path, "--",
			       it_workload("bp_threads"), in_dir("report"), "0.3", NULL };
	/* TotalDepth's RE_LOG_LINE and extract_json_as_table's reads, verbatim. */
	const char *check =
		"import json, re, sys\n"
		"RE = re.compile(r'^.+?ProcessLoggingThread-JSON(-START|-STOP)?\\s*(.+)$')\n"
		"n = 0\n"
		"for line in open(sys.argv[1], encoding='utf-8'):\n"
		"    m = RE.match(line)\n"
		"    if not m:\n"
		"        continue\n"
		"    d = json.loads(m.group(2))\n"
		"    (d['pid'], d['elapsed_time'], d['timestamp'], d['memory_info']['rss'],\n"
		"     d['memory_info']['pfaults'], d['cpu_times']['user'])\n"
		"    n += 1\n"
		"print(n)\n";
	const char *py[] = { "python3", "-c", check, log_path, NULL };
	int threads = 0, samples = 0;
	struct it_log log;
	struct it_proc p;
	char *svg, *err, path[PATH_MAX];

	if (!traced(args, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		threads += log.mark[i] == IT_MARK_THREAD;
		samples += log.mark[i] != IT_MARK_THREAD;
		if (log.mark[i] == IT_MARK_THREAD)
			CHECK(it_get(log.obj[i], "thread.tid") && !it_get(log.obj[i], "memory_info"),
			      "line %d: a thread line with a thread and no sample expected", i + 1);
	}
	CHECK(threads >= 8, "expected 4 thread lines a sample, got %d in all", threads);
	it_proc_free(&p);
	it_run(&p, py, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "TotalDepth's reads failed on a -t log:\n%s", p.err);
	CHECK(atoi(p.out) == samples, "TotalDepth's regex: expected the %d sample lines, got %s",
	      samples, p.out);
	err = plot((const char *[]){ log_path, out, NULL });
	free(err);
	snprintf(path, sizeof(path), "%s/threads_%lld.svg", out, it_get_int(log.obj[0], "pid", 0));
	svg = it_read_file(path);
	CHECK(svg && strstr(svg, "CPU per thread") && strstr(svg, "bp-burn-400") &&
	      strstr(svg, "bp-burn-200"), "the chart has no panel of the threads by name");
	free(svg);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* ------------------------------------------------------------------ I/O */

/* A directory on a file system with writeback (tmpfs has none: write_bytes 0). */
static const char *disk_dir(void)
{
	static const char *const dirs[] = { "tests", "/var/tmp", "/tmp" };
	struct statfs fs;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		const char *d = dirs[i][0] == '/' ? dirs[i] : it_path(dirs[i]);

		if (statfs(d, &fs) == 0 && fs.f_type != TMPFS_MAGIC)
			return d;
	}
	return "/tmp";
}

/* io_counters with psutil's keys, from the kernel's accounting: the bytes written
 * and fsynced reach write_bytes, the calls' bytes match what the workload did (its
 * loader reads a few ELF headers too); a summary line and a chart panel show them. */
static void test_io_counters_match_the_workload(void)
{
	const long long w = 3 * 1048576 + 123, r = 2 * 1048576;
	char file[PATH_MAX], wb[32], rb[32], path[PATH_MAX];
	const char *log_path = in_dir("io.log");
	const char *args[] = { "-i", "0.1", "-o", log_path, "--", it_workload("io_bytes"), file,
			       wb, rb, NULL };
	static const char *const keys[] = { "read_count", "write_count", "read_bytes",
					    "write_bytes", "read_chars", "write_chars" };
	json_object *last;
	struct it_log log;
	struct it_proc p;
	char *svg, *err;
	int with_io = 0;

	snprintf(file, sizeof(file), "%s/procmon-io-%d", disk_dir(), (int)getpid());
	snprintf(wb, sizeof(wb), "%lld", w);
	snprintf(rb, sizeof(rb), "%lld", r);
	if (!traced(args, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		bool all = true;

		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
			char key[64];

			snprintf(key, sizeof(key), "io_counters.%s", keys[k]);
			all &= it_get_int(log.obj[i], key, -1) >= 0;
		}
		with_io += all;
	}
	CHECK(with_io == log.n, "io_counters with psutil's 6 keys: on %d of %d lines", with_io,
	      log.n);
	last = log.obj[log.n - 1];
	printf("  wrote %lld, read %lld: write_bytes %lld, write_chars %lld, read_chars %lld, "
	       "write_count %lld, read_count %lld\n", w, r,
	       it_get_int(last, "io_counters.write_bytes", -1),
	       it_get_int(last, "io_counters.write_chars", -1),
	       it_get_int(last, "io_counters.read_chars", -1),
	       it_get_int(last, "io_counters.write_count", -1),
	       it_get_int(last, "io_counters.read_count", -1));
	CHECK(it_get_int(last, "io_counters.write_bytes", -1) >= w,
	      "write_bytes: expected >= %lld (written and fsynced), got %lld", w,
	      it_get_int(last, "io_counters.write_bytes", -1));
	CHECK(it_get_int(last, "io_counters.write_chars", -1) == w,
	      "write_chars: expected the %lld bytes written, got %lld", w,
	      it_get_int(last, "io_counters.write_chars", -1));
	CHECK(it_get_int(last, "io_counters.read_chars", -1) >= r &&
	      it_get_int(last, "io_counters.read_chars", -1) <= r + 16384,
	      "read_chars: expected the %lld bytes read (+ the loader's few KiB), got %lld", r,
	      it_get_int(last, "io_counters.read_chars", -1));
	CHECK(it_get_int(last, "io_counters.write_count", -1) == (w + 65535) / 65536,
	      "write_count: expected %lld write calls, got %lld", (w + 65535) / 65536,
	      it_get_int(last, "io_counters.write_count", -1));
	CHECK(strstr(p.err, "I/O from / to storage (bytes):") &&
	      strstr(p.err, "I/O by read / write calls (bytes):"),
	      "the summary has no I/O lines:\n%s", p.err);
	err = plot((const char *[]){ log_path, in_dir("io"), NULL });
	free(err);
	snprintf(path, sizeof(path), "%s/io/io_%lld.svg", dir, it_get_int(last, "pid", 0));
	svg = it_read_file(path);
	CHECK(svg && strstr(svg, "I/O (MiB/s)") && strstr(svg, "written to storage"),
	      "the chart of %s has no I/O panel", path);
	free(svg);
out:
	unlink(file);
	it_log_free(&log);
	it_proc_free(&p);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root (BPF)");
	if (!it_tmpdir(dir, sizeof(dir)))
		check_skip_all("no temporary directory");
	RUN(test_thread_log_read_by_totaldepth_and_plotted);
	RUN(test_io_counters_match_the_workload);
	it_rmdir(dir);
	return check_summary();
}
