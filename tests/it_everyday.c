// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Everyday use (issue 16): -t logs TotalDepth reads, labels all visible in the SVG,
 * one phase table for summary and plot, I/O bytes, -c output, compare charts. */
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

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root (BPF)");
	if (!it_tmpdir(dir, sizeof(dir)))
		check_skip_all("no temporary directory");
	RUN(test_thread_log_read_by_totaldepth_and_plotted);
	it_rmdir(dir);
	return check_summary();
}
