// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Everyday use (issue 16): -t logs TotalDepth reads, labels all visible in the SVG,
 * one phase table for summary and plot, I/O bytes, -c output, compare charts. */
#include <dirent.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 60.0

static char dir[64];

static const char *in_dir(const char *name)
{
	return it_in_dir(dir, name);
}

/* procmon @args (after "procmon") run to the end, its log loaded. */
static bool traced(const char *const *args, const char *log_path, struct it_log *log,
		   struct it_proc *p)
{
	return it_run_traced(args, &it_as_root, TIMEOUT_S, 0, log_path, log, p);
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
	it_run(&p, argv, &it_as_root, TIMEOUT_S);
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

/* --------------------------------------------------------------- labels */

/* The character data of every <text> and <title> of an SVG, as xmllint parses
 * it (so the file must be well-formed XML); NULL when it is not. */
static char *svg_texts(const char *svg)
{
	const char *argv[] = { "xmllint", "--xpath",
			       "//*[local-name()='title']//text() | //*[local-name()='text']//text()",
			       svg, NULL };
	struct it_proc p;
	char *out;

	it_run(&p, argv, NULL, TIMEOUT_S);
	out = it_exit_code(p.status) == 0 ? strdup(p.out) : NULL;
	CHECK(out, "xmllint %s: exit %d: %s", svg, it_exit_code(p.status), p.err);
	it_proc_free(&p);
	return out;
}

/* Ten labels within a millisecond: one drawn, nine folded into "(+9)", and all
 * ten whole texts in the SVG (hover titles over the ticks); the strip only as
 * high as its text, nothing of it outside the frame. */
static void test_burst_of_labels_all_in_the_svg(void)
{
	static const char *const texts[] = {
		"loading the index", "sleep 0.5 s \xe2\x9c\x93 d\xc3\xa9j\xc3\xa0 vu",
		"phase three", "a label longer than thirty characters, cut where drawn",
		"five", "six & <seven>", "seven", "eight", "nine", "done",
	};
	const char *log_path = in_dir("burst.log");
	const char *args[24] = { "-q", "-i", "0.1", "-o", log_path, "--",
				 it_workload("label_burst"), "0.3" };
	char path[PATH_MAX], *err, *found;
	double first = NAN, last = NAN;
	struct it_log log;
	struct it_proc p;
	int n = 8, labels = 0;

	for (size_t i = 0; i < 10; i++)
		args[n++] = texts[i];
	args[n] = NULL;
	if (!traced(args, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		double t = it_get_num(log.obj[i], "label_elapsed_time");

		if (!it_get_str(log.obj[i], "label"))
			continue;
		labels++;
		first = isnan(first) ? t : fmin(first, t);
		last = isnan(last) ? t : fmax(last, t);
	}
	CHECK(labels == 10 && last - first < 0.001, "expected 10 labels within 1 ms, got %d in "
	      "%.3f ms", labels, (last - first) * 1e3);
	err = plot((const char *[]){ log_path, in_dir("burst"), NULL });
	free(err);
	snprintf(path, sizeof(path), "%s/burst/burst_%lld.svg", dir, it_get_int(log.obj[0], "pid", 0));
	found = svg_texts(path);
	for (size_t i = 0; found && i < 10; i++) {
		/* xmllint writes '&' and '<' of text nodes as entities. */
		char want[128];
		const char *t = texts[i];

		if (!strcmp(t, "six & <seven>"))
			t = "six &amp; &lt;seven&gt;";
		snprintf(want, sizeof(want), "%s (at ", t);
		CHECK(strstr(found, want), "label %zu '%s' is not in the SVG's texts and titles", i,
		      texts[i]);
	}
	CHECK(found && strstr(found, "loading the index (+9)"),
	      "the drawn label does not say '(+9)'");
	free(found);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

/* --------------------------------------------------------------- phases */

#define MAX_PHASES 16

/* One phase row as both tables can print it: the summary's text of each number. */
struct phase_text {
	char cols[8][32];	/* wall, oncpu, runq, blocked, sleep, preempt, faults, peak KiB */
};

/* The rows of the summary's first phase table ("phases (from each label ..."),
 * the numbers as printed: the 8 last words of each row. */
static int summary_phases(const char *err, struct phase_text *rows)
{
	const char *p = strstr(err, "procmon: phases (from each label");
	int n = 0;

	if (!p || !(p = strchr(p, '\n')) || !(p = strchr(p + 1, '\n')))
		return -1;
	for (p++; *p && n < MAX_PHASES && strncmp(p, "procmon:", 8); n++) {
		const char *end = strchr(p, '\n'), *w[64];
		char line[512];
		int nw = 0;

		if (!end)
			break;
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		for (char *tok = strtok(line, " "); tok && nw < 64; tok = strtok(NULL, " "))
			w[nw++] = tok;
		if (nw < 9)
			break;
		for (int c = 0; c < 8; c++)
			snprintf(rows[n].cols[c], sizeof(rows[n].cols[c]), "%s", w[nw - 8 + c]);
		p = end + 1;
	}
	return n;
}

/* The rows of a .phases.dat, printed as the summary prints them. */
static int plot_phases(const char *path, struct phase_text *rows)
{
	char *text = it_read_file(path), *line, *save = NULL;
	int n = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && n < MAX_PHASES;
	     line = strtok_r(NULL, "\n", &save)) {
		double v[10];

		if (*line == '#' || sscanf(line, "%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf",
					   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
					   &v[8], &v[9]) != 10)
			continue;
		for (int c = 0; c < 6; c++)
			snprintf(rows[n].cols[c], sizeof(rows[n].cols[c]), "%.6f", v[2 + c]);
		snprintf(rows[n].cols[6], sizeof(rows[n].cols[6]), "%.0f", v[8]);
		snprintf(rows[n].cols[7], sizeof(rows[n].cols[7]), "%llu",
			 (unsigned long long)v[9] / 1024);
		n++;
	}
	free(text);
	return n;
}

/* The exit summary's phase table and procmon plot's .phases.dat of the same run:
 * the same rows, the same numbers to the last printed digit (peaks included, the
 * last phase's too: both come from common/phase_cost and the log's at_stop). */
static void check_same_phases(const char *name, const char *const *args, const char *log_path,
			      int want_rows)
{
	struct phase_text sum[MAX_PHASES], dat[MAX_PHASES];
	static const char *const cols[] = { "WALL_s", "ONCPU_s", "RUNQ_s", "BLOCKED_s", "SLEEP_s",
					    "PREEMPT_s", "FAULTS", "PEAK_KiB" };
	char out[256], path[PATH_MAX], *err;
	int n_sum, n_dat, diffs = 0;
	struct it_log log;
	struct it_proc p;

	snprintf(out, sizeof(out), "%s/%s", dir, name);
	if (!traced(args, log_path, &log, &p))
		goto out;
	n_sum = summary_phases(p.err, sum);
	err = plot((const char *[]){ log_path, out, NULL });
	free(err);
	snprintf(path, sizeof(path), "%s/%s_%lld.phases.dat", out, name,
		 it_get_int(log.obj[0], "pid", 0));
	n_dat = plot_phases(path, dat);
	CHECK(n_sum == want_rows && n_dat == want_rows,
	      "%s: expected %d phases, the summary has %d, the plot %d:\n%s", name, want_rows,
	      n_sum, n_dat, p.err);
	for (int r = 0; r < n_sum && r < n_dat; r++)
		for (int c = 0; c < 8; c++)
			if (strcmp(sum[r].cols[c], dat[r].cols[c])) {
				diffs++;
				CHECK(0, "%s: phase %d %s: summary %s, plot %s", name, r, cols[c],
				      sum[r].cols[c], dat[r].cols[c]);
			}
	printf("  %s: %d phases, %d numbers differ; last phase peak %s KiB\n", name, n_sum,
	       diffs, n_sum > 0 ? sum[n_sum - 1].cols[7] : "-");
out:
	it_log_free(&log);
	it_proc_free(&p);
}

static void test_summary_and_plot_phase_tables_equal(void)
{
	const char *log_path = in_dir("phases.log");
	/* 40 MiB touched and unmapped just before the last label ("done"): the
	 * interval of the sample after it holds that peak, the phase does not (the
	 * plot used to say 42 MiB where the summary said 1.5). */
	const char *args[] = { "-i", "0.1", "-o", log_path, "--", it_workload("ph_steps"),
			       in_dir("steps.out"), "touch:48", "spin:150", "sleep:120",
			       "touchspin:24:100", "touch:40", NULL };

	check_same_phases("phases", args, log_path, 7);
}

/* Attached with -p: the summary says which lines count since the start and which
 * since the attach, "(start)" has the RSS as its peak (the tracer saw no change
 * before the first label), and the two phase tables still agree. */
static void test_attached_summary_and_phases(void)
{
	static const char *const env[] = { "BURST_DELAY_MS=1500", NULL };
	const char *argv[] = { it_workload("label_burst"), "0.3", "first", "second", NULL };
	const char *log_path = in_dir("attached.log");
	const struct it_spawn how = { .env_set = env, .env_unset = it_sudo_vars };
	char pid[16];
	const char *args[] = { "-i", "0.1", "-o", log_path, "-p", pid, NULL };
	struct it_proc w, p;
	struct it_log log;

	REQUIRE(it_start(&w, argv, &how) == 0, "cannot start label_burst");
	snprintf(pid, sizeof(pid), "%d", (int)w.pid);
	usleep(100000);
	check_same_phases("attached", args, log_path, 3);
	it_finish(&w, TIMEOUT_S);
	it_proc_free(&w);
	/* The summary of that run, again, for its words. */
	REQUIRE(it_start(&w, argv, &how) == 0, "cannot start label_burst");
	snprintf(pid, sizeof(pid), "%d", (int)w.pid);
	usleep(100000);
	if (traced(args, log_path, &log, &p)) {
		struct phase_text rows[MAX_PHASES];
		int n = summary_phases(p.err, rows);

		CHECK(strstr(p.err, "s after it started: times since its start, BPF counters since "
			      "the attach") && strstr(p.err, "User time since start (s):") &&
		      strstr(p.err, "Page faults since attach:"),
		      "the summary does not say since start / since attach:\n%s", p.err);
		CHECK(n == 3 && atoll(rows[0].cols[7]) > 500,
		      "(start): expected the RSS (> 500 KiB) as its peak, got %s KiB:\n%s",
		      n > 0 ? rows[0].cols[7] : "-", p.err);
	}
	it_finish(&w, TIMEOUT_S);
	it_proc_free(&w);
	it_log_free(&log);
	it_proc_free(&p);
}

/* Told to stop (SIGINT), procmon passes the signal to its command, waits for it,
 * and says so: "Command terminated by procmon's SIGINT", its Exit status line
 * kept, the STOP line with the signal, procmon's status 130. */
static void test_sigint_passed_to_the_command_and_said(void)
{
	const char *log_path = in_dir("sigint.log");
	const char *args[] = { "-i", "0.05", "-o", log_path, "--", it_workload("exit_with"),
			       "sleep", "10", NULL };
	struct it_log log = { 0 };
	struct it_proc p;

	if (!it_start_traced(&p, args, &it_as_root))
		return;
	it_wait_lines(log_path, 3);
	kill(p.pid, SIGINT);
	it_finish(&p, TIMEOUT_S);
	if (it_traced_log(&p, TIMEOUT_S, 130, log_path, &log)) {
		CHECK(strstr(p.err, "\tCommand terminated by procmon's SIGINT\n") &&
		      strstr(p.err, "Exit status:                        130"),
		      "the summary does not say procmon's SIGINT ended the command:\n%s", p.err);
		CHECK(log.n && it_get_int(log.obj[log.n - 1], "signal", 0) == SIGINT,
		      "the STOP line does not say signal 2");
	}
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
/* At 1 kHz /proc is read every 10 ms only: between its reads the I/O counters
 * and the RSS still move with each sample (BPF's counts of the same kernel
 * counters), never go back, and the STOP line has the exact total. */
static void test_io_and_rss_move_between_proc_reads_at_1khz(void)
{
	const int n = 300, bytes = 4096;
	char nb[16], bb[16];
	const char *log_path = in_dir("paced.log");
	const char *args[] = { "-i", "0.001", "-o", log_path, "--", it_workload("io_paced"), nb,
			       bb, NULL };
	long long last_w = -1, first_rss = -1, last_rss = -1, w, rss;
	int lines = 0, w_values = 0, back = 0;
	struct it_log log;
	struct it_proc p;

	snprintf(nb, sizeof(nb), "%d", n);
	snprintf(bb, sizeof(bb), "%d", bytes);
	if (!traced(args, log_path, &log, &p))
		goto out;
	for (int i = 0; i < log.n; i++) {
		w = it_get_int(log.obj[i], "io_counters.write_chars", -1);
		rss = it_get_int(log.obj[i], "memory_info.rss", -1);
		if (w < 0 || log.mark[i] != IT_MARK_PLAIN)
			continue;
		lines++;
		back += w < last_w;
		w_values += w != last_w;
		/* The lowest and highest while it runs (a sample may fall before its
		 * exec, or on its zombie: no memory then). */
		if (rss > 0 && (first_rss < 0 || rss < first_rss))
			first_rss = rss;
		if (rss > last_rss)
			last_rss = rss;
		last_w = w;
	}
	printf("  %d lines: %d write_chars values, %d went back; rss %lld .. %lld KiB\n", lines,
	       w_values, back, first_rss / 1024, last_rss / 1024);
	CHECK(back == 0, "write_chars went back %d times", back);
	/* 300 ms of 1 ms writes: ~30 /proc reads; far more values means BPF's counts. */
	CHECK(lines >= 150 && w_values >= lines / 3,
	      "%d lines, %d write_chars values: expected a third of the lines to differ", lines,
	      w_values);
	/* The kernel's RSS counter moves in per-CPU batches: the pages, not each one. */
	CHECK(last_rss - first_rss >= (long long)n * 4096 * 3 / 4,
	      "rss grew %lld KiB, the workload touched %d KiB", (last_rss - first_rss) / 1024,
	      n * 4);
	CHECK(log.n && it_get_int(log.obj[log.n - 1], "io_counters.write_chars", -1) ==
			       (long long)n * bytes,
	      "STOP line write_chars %lld, expected %lld",
	      log.n ? it_get_int(log.obj[log.n - 1], "io_counters.write_chars", -1) : -1,
	      (long long)n * bytes);
out:
	it_log_free(&log);
	it_proc_free(&p);
}

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

/* -------------------------------------------------------- -c and compare */

/* A traced shell that runs three 1 ms children and one that lives 0.6 s, under a
 * name with HTML's special characters: a chart for each long-lived process only,
 * an index linking them with every name escaped; --all charts all five. */
static void test_children_charts_for_long_lived_and_an_index(void)
{
	char link[PATH_MAX], script[PATH_MAX + 64], path[PATH_MAX], *index, *err;
	const char *log_path = in_dir("tree.log");
	const char *args[] = { "-q", "-c", "-i", "0.1", "-o", log_path, "--", "/bin/sh", "-c",
			       script, NULL };
	int charts = 0, all_charts = 0;
	struct it_log log;
	struct it_proc p;
	DIR *d;
	struct dirent *e;

	snprintf(link, sizeof(link), "%s/sl<&>eep", dir);
	CHECK(symlink("/bin/sleep", link) == 0, "symlink: %s", strerror(errno));
	snprintf(script, sizeof(script), "/bin/true; /bin/true; /bin/true; '%s' 0.6", link);
	if (!traced(args, log_path, &log, &p))
		goto out;
	err = plot((const char *[]){ log_path, in_dir("tree"), NULL });
	free(err);
	err = plot((const char *[]){ log_path, in_dir("tree-all"), "--all", NULL });
	free(err);
	d = opendir(in_dir("tree"));
	while (d && (e = readdir(d)))
		charts += strstr(e->d_name, ".svg") && !strstr(e->d_name, "_tree.svg");
	if (d)
		closedir(d);
	d = opendir(in_dir("tree-all"));
	while (d && (e = readdir(d)))
		all_charts += strstr(e->d_name, ".svg") && !strstr(e->d_name, "_tree.svg");
	if (d)
		closedir(d);
	CHECK(charts == 2, "expected charts of the shell and the sleep only, got %d", charts);
	CHECK(all_charts == 5, "--all: expected 5 process charts, got %d", all_charts);
	snprintf(path, sizeof(path), "%s/tree/index.html", dir);
	index = it_read_file(path);
	CHECK(index && strstr(index, "href=\"./tree_tree.svg\"") &&
	      strstr(index, "sl&lt;&amp;&gt;eep 0.6</a>") && !strstr(index, "<&>") &&
	      strstr(index, "<td>true</td>"),
	      "index.html: no tree link, or a name not escaped, or a short process linked:\n%s",
	      index ? index : "(none)");
	free(index);
out:
	unlink(link);
	it_log_free(&log);
	it_proc_free(&p);
}

/* Two runs of the same labelled steps, the second after a step of its own:
 * compare.svg, well-formed, names both runs (after their logs), and aligns them
 * at the 5 labels they share (4 steps and "done"). */
static void test_compare_two_runs(void)
{
	const char *a = in_dir("cmp_fast.log"), *b = in_dir("cmp_slow.log");
	const char *fast[] = { "-q", "-i", "0.05", "-o", a, "--", it_workload("ph_steps"),
			       in_dir("fast.out"), "touch:16", "spin:100", "sleep:100", "touch:8", NULL };
	const char *slow[] = { "-q", "-i", "0.05", "-o", b, "--", it_workload("ph_steps"),
			       in_dir("slow.out"), "sleep:200", "touch:16", "spin:100", "sleep:100",
			       "touch:8", NULL };
	char path[PATH_MAX], *texts, *err;
	struct it_log log;
	struct it_proc p;

	if (!traced(fast, a, &log, &p))
		goto out;
	it_log_free(&log);
	it_proc_free(&p);
	if (!traced(slow, b, &log, &p))
		goto out;
	err = plot((const char *[]){ a, b, in_dir("cmp"), NULL });
	free(err);
	snprintf(path, sizeof(path), "%s/cmp/compare.svg", dir);
	texts = svg_texts(path);
	CHECK(texts && strstr(texts, "cmp_fast") && strstr(texts, "cmp_slow") &&
	      strstr(texts, "aligned at 5 shared labels"),
	      "compare.svg does not name both runs or is not aligned:\n%s", texts ? texts : "");
	free(texts);
	snprintf(path, sizeof(path), "%s/cmp/index.html", dir);
	texts = it_read_file(path);
	CHECK(texts && strstr(texts, "./compare.svg"), "the index does not link compare.svg");
	free(texts);
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
	RUN(test_io_counters_match_the_workload);
	RUN(test_io_and_rss_move_between_proc_reads_at_1khz);
	RUN(test_summary_and_plot_phase_tables_equal);
	RUN(test_attached_summary_and_phases);
	RUN(test_sigint_passed_to_the_command_and_said);
	RUN(test_burst_of_labels_all_in_the_svg);
	RUN(test_children_charts_for_long_lived_and_an_index);
	RUN(test_compare_two_runs);
	it_rmdir(dir);
	return check_summary();
}
