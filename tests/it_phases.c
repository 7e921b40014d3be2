// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of phases: the costs between labels against the workload's
 * own getrusage at the same points, the off-CPU split of CPU / sleep / fsync
 * phases, and the plot's phase table, bands and event markers. */
#include <sys/statfs.h>
#include <linux/magic.h>

#include "check.h"
#include "itest.h"

#define TIMEOUT_S 30.0
#define MAX_PHASES 16

/* ------------------------------------------------------------- helpers */

/* One phase as the log's label lines give it: the label that opens it and
 * the counters at its two ends. */
struct phase {
	char name[64];
	double wall_s, oncpu_s, runq_s, blocked_s, sleep_s, preempted_s, faults, switches;
};

/* One row of the exit summary's phase table. */
struct summary_row {
	char name[64];
	double wall_s, oncpu_s, runq_s, blocked_s, sleep_s, preempted_s;
	unsigned long long faults, peak_kib;
};

/* The label lines of @pid in @log, in order; returns how many (at most max). */
static int label_lines(const struct it_log *log, pid_t pid, json_object **out, int max)
{
	int n = 0;

	for (int i = 0; i < log->n && n < max; i++)
		if (it_get_int(log->obj[i], "pid", -1) == pid && it_get(log->obj[i], "label") &&
		    it_get(log->obj[i], "at_label"))
			out[n++] = log->obj[i];
	return n;
}

static double at(json_object *label, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "at_label.%s", key);
	return it_get_num(label, path);
}

/* The phase from label line a to label line b, from their at_label counters. */
static void phase_between(json_object *a, json_object *b, struct phase *ph)
{
	snprintf(ph->name, sizeof(ph->name), "%s", it_get_str(a, "label"));
	ph->wall_s = it_get_num(b, "label_elapsed_time") - it_get_num(a, "label_elapsed_time");
	ph->oncpu_s = (at(b, "oncpu_ns") - at(a, "oncpu_ns")) / 1e9;
	ph->runq_s = (at(b, "runq_wait_ns") - at(a, "runq_wait_ns")) / 1e9;
	ph->blocked_s = (at(b, "offcpu_blocked_ns") - at(a, "offcpu_blocked_ns")) / 1e9;
	ph->sleep_s = (at(b, "offcpu_sleep_ns") - at(a, "offcpu_sleep_ns")) / 1e9;
	ph->preempted_s = (at(b, "offcpu_preempted_ns") - at(a, "offcpu_preempted_ns")) / 1e9;
	ph->faults = at(b, "pfaults") - at(a, "pfaults");
	ph->switches = at(b, "voluntary") + at(b, "involuntary") - at(a, "voluntary") -
		       at(a, "involuntary");
}

/* The rows of the first phase table in procmon's stderr; returns how many. */
static int summary_rows(const char *err, struct summary_row *rows, int max)
{
	const char *p = strstr(err, "procmon: phases (from each label to the next)\n");
	int n = 0;

	if (!p)
		return 0;
	p = strchr(p, '\n') + 1;	/* the column header */
	p = strchr(p, '\n');
	while (p && p[1] && n < max) {
		const char *line = p + 1;
		const char *end = strchr(line, '\n');
		int len;

		/* The next table or message ends it; so does a line that is no row. */
		if (!strncmp(line, "procmon:", 8) || !end || end - line < 33)
			break;
		len = 32;
		while (len > 0 && line[len - 1] == ' ')
			len--;
		snprintf(rows[n].name, sizeof(rows[n].name), "%.*s", len, line);
		if (sscanf(line + 33, "%lf %lf %lf %lf %lf %lf %llu %llu", &rows[n].wall_s,
			   &rows[n].oncpu_s, &rows[n].runq_s, &rows[n].blocked_s, &rows[n].sleep_s,
			   &rows[n].preempted_s, &rows[n].faults, &rows[n].peak_kib) != 8)
			break;
		n++;
		p = end;
	}
	return n;
}

/* One row of a plot's .phases.dat. */
struct dat_phase {
	double start_s, end_s, wall_s, oncpu_s, runq_s, blocked_s, sleep_s, preempted_s;
	double faults, peak_bytes;
	char name[64];
};

/* Reads DIR/<stem>_<pid>.phases.dat; returns the rows, -1 if it is missing. */
static int read_phases_dat(const char *dir, const char *stem, pid_t pid, struct dat_phase *rows,
			   int max)
{
	char path[256], *text, *line, *save = NULL;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s_%d.phases.dat", dir, stem, (int)pid);
	text = it_read_file(path);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		struct dat_phase *r = &rows[n];
		char *name;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &r->start_s, &r->end_s,
			   &r->wall_s, &r->oncpu_s, &r->runq_s, &r->blocked_s, &r->sleep_s,
			   &r->preempted_s, &r->faults, &r->peak_bytes) != 10)
			continue;
		/* The name: the last, tab-separated, quoted field. */
		name = strrchr(line, '\t');
		if (!name || name[1] != '"')
			continue;
		snprintf(r->name, sizeof(r->name), "%s", name + 2);
		if (strlen(r->name) && r->name[strlen(r->name) - 1] == '"')
			r->name[strlen(r->name) - 1] = '\0';
		n++;
	}
	free(text);
	return n;
}

/* Runs procmon with @args to the end, loading its log. */
static bool run_traced(const char *const *args, const char *log_path, struct it_log *log,
		       struct it_proc *p)
{
	return it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, log, p) && log->n >= 2;
}

/* `procmon plot --all LOG OUTDIR` (a short-lived child's files too); true when
 * it succeeded. */
static bool plot(const char *log_path, const char *out_dir)
{
	const char *argv[] = { it_procmon(), "plot", "--all", log_path, out_dir, NULL };
	struct it_proc p;
	bool ok;

	it_run(&p, argv, NULL, TIMEOUT_S);
	ok = !p.timed_out && it_exit_code(p.status) == 0;
	CHECK(ok, "procmon plot exit %d: %s", it_exit_code(p.status), p.err);
	it_proc_free(&p);
	return ok;
}

/* ------------------------------------------ per-phase costs vs getrusage */

/* ph_steps' report: `minflt majflt utime_us stime_us pages` per label. */
struct rusage_point {
	long minflt, majflt, pages;
	long long utime_us, stime_us;
};

static int read_points(const char *path, struct rusage_point *pts, int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fscanf(f, "%ld %ld %lld %lld %ld", &pts[n].minflt, &pts[n].majflt,
				 &pts[n].utime_us, &pts[n].stime_us, &pts[n].pages) == 5)
		n++;
	fclose(f);
	return n;
}

static void test_phase_costs_match_getrusage_at_the_labels(void)
{
	static const char *const steps[] = { "touch:32", "spin:300", "touchspin:16:100",
					     "sleep:200" };
	const int nr_steps = 4;
	char dir[64], log_path[128], rep_path[128], plot_dir[128];
	const char *args[] = { "-i", "0.1", "-o", log_path, "--", it_workload("ph_steps"), rep_path,
			       steps[0], steps[1], steps[2], steps[3], NULL };
	struct rusage_point pts[MAX_PHASES];
	json_object *labels[MAX_PHASES];
	struct summary_row rows[MAX_PHASES];
	struct dat_phase dat[MAX_PHASES];
	struct it_log log = { 0 };
	struct it_proc p = { 0 };
	int n_pts, n_labels, n_rows, n_dat;
	pid_t pid;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/steps.log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/rusage", dir);
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", dir);
	if (!run_traced(args, log_path, &log, &p))
		goto out;
	pid = (pid_t)it_get_int(log.obj[0], "pid", -1);
	n_pts = read_points(rep_path, pts, MAX_PHASES);
	n_labels = label_lines(&log, pid, labels, MAX_PHASES);
	CHECK(n_pts == nr_steps + 1, "expected %d getrusage points, got %d", nr_steps + 1, n_pts);
	CHECK(n_labels == nr_steps + 1, "expected %d label lines, got %d", nr_steps + 1, n_labels);
	if (n_pts != nr_steps + 1 || n_labels != nr_steps + 1)
		goto out;

	/* Each step runs from its label to the next; getrusage was taken right
	 * before each of them. */
	for (int k = 0; k < nr_steps; k++) {
		struct phase ph;
		double faults_truth = (double)(pts[k + 1].minflt + pts[k + 1].majflt -
					       pts[k].minflt - pts[k].majflt);
		double cpu_truth = (double)(pts[k + 1].utime_us + pts[k + 1].stime_us -
					    pts[k].utime_us - pts[k].stime_us) / 1e6;
		double pages = (double)(pts[k + 1].pages - pts[k].pages);
		char what[96];

		phase_between(labels[k], labels[k + 1], &ph);
		CHECK_STR(ph.name, steps[k]);
		printf("  %-17s faults %6.0f vs getrusage %6.0f (%+.3f%%), on-CPU %.6f s vs "
		       "utime+stime %.6f s (%+.3f ms)\n", steps[k], ph.faults, faults_truth,
		       faults_truth ? (ph.faults - faults_truth) / faults_truth * 100 : 0,
		       ph.oncpu_s, cpu_truth, (ph.oncpu_s - cpu_truth) * 1e3);
		snprintf(what, sizeof(what), "%s: at_label pfaults delta vs minflt+majflt", steps[k]);
		CHECK_NEAR(ph.faults, faults_truth, fmax(faults_truth * 0.01, 2), what);
		CHECK(ph.faults >= pages, "%s: %.0f faults < %.0f pages touched", steps[k], ph.faults,
		      pages);
		snprintf(what, sizeof(what), "%s: at_label oncpu delta (s) vs utime+stime", steps[k]);
		/* getrusage's utime+stime is sum_exec_runtime in µs: 1 ms is plenty. */
		CHECK_NEAR(ph.oncpu_s, cpu_truth, fmax(cpu_truth * 0.02, 0.001), what);
	}

	/* The exit summary's table: (start), each step, done; the same numbers. */
	n_rows = summary_rows(p.err, rows, MAX_PHASES);
	CHECK(n_rows == nr_steps + 2, "expected %d phase rows in the summary, got %d:\n%s",
	      nr_steps + 2, n_rows, p.err);
	if (n_rows == nr_steps + 2) {
		CHECK_STR(rows[0].name, "(start)");
		CHECK_STR(rows[nr_steps + 1].name, "done");
		for (int k = 0; k < nr_steps; k++) {
			struct phase ph;

			phase_between(labels[k], labels[k + 1], &ph);
			CHECK_STR(rows[k + 1].name, steps[k]);
			CHECK_NEAR(rows[k + 1].oncpu_s, ph.oncpu_s, 1.5e-6, "summary ONCPU_s");
			CHECK_NEAR(rows[k + 1].sleep_s, ph.sleep_s, 1.5e-6, "summary SLEEP_s");
			CHECK_NEAR((double)rows[k + 1].faults, ph.faults, 0, "summary FAULTS");
		}
	}

	/* The plot's phase table agrees with the summary, row by row. */
	if (!plot(log_path, plot_dir))
		goto out;
	n_dat = read_phases_dat(plot_dir, "steps", pid, dat, MAX_PHASES);
	CHECK(n_dat == nr_steps + 2, "expected %d rows in the .phases.dat, got %d", nr_steps + 2,
	      n_dat);
	for (int k = 0; k < n_dat && k < n_rows; k++) {
		bool last = k == n_dat - 1;

		CHECK_STR(dat[k].name, rows[k].name);
		CHECK_NEAR(dat[k].oncpu_s, rows[k].oncpu_s, last ? 1e-3 : 1.5e-6, dat[k].name);
		CHECK_NEAR(dat[k].faults, (double)rows[k].faults, last ? 2 : 0, dat[k].name);
		CHECK_NEAR(dat[k].wall_s, rows[k].wall_s, last ? 0.01 : 1.5e-3, dat[k].name);
		/* The last phase has no closing label: the plot takes its peak from
		 * the samples' RSS (/proc), the summary from BPF's rss_stat; the
		 * kernel's per-CPU RSS counters let them differ by a few batches. */
		CHECK_NEAR(dat[k].peak_bytes / 1024, (double)rows[k].peak_kib,
			   last ? fmax(256, rows[k].peak_kib * 0.1) : 1, dat[k].name);
	}
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* ------------------------------------------------------- off-CPU split */

/* A directory on a real disk for fsync: not tmpfs or ramfs. */
static const char *disk_dir(void)
{
	static const char *const candidates[] = { "/var/tmp", "/root", NULL };
	struct statfs st;

	for (int i = 0; candidates[i]; i++)
		if (!statfs(candidates[i], &st) && st.f_type != TMPFS_MAGIC &&
		    st.f_type != RAMFS_MAGIC && !access(candidates[i], W_OK))
			return candidates[i];
	return it_path("");	/* the build directory */
}

/* The mean of a .dat column over the rows whose interval lies within [t0, t1]. */
static double dat_mean(const char *path, int col, double t0, double t1)
{
	char *text = it_read_file(path), *line, *save = NULL;
	double prev_t = NAN, sum = 0;
	int n = 0;

	if (!text)
		return NAN;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		double v[20];
		char *p = line, *end;
		int c;

		if (line[0] == '#')
			continue;
		for (c = 0; c < 20 && *p; c++) {
			v[c] = strtod(p, &end);
			if (end == p)
				v[c] = NAN, end = strchr(p, '\t') ? strchr(p, '\t') : p + strlen(p);
			p = *end ? end + 1 : end;
		}
		if (c > col && prev_t >= t0 && v[0] <= t1 && !isnan(v[col])) {
			sum += v[col];
			n++;
		}
		prev_t = v[0];
	}
	free(text);
	return n ? sum / n : NAN;
}

static void test_offcpu_split_of_cpu_sleep_and_fsync_phases(void)
{
	char dir[64], log_path[128], rep_path[128], plot_dir[128], dat_path[256];
	const char *disk = disk_dir();
	const char *args[] = { "-q", "-i", "0.1", "-o", log_path, "--", it_workload("ph_offcpu"),
			       disk, rep_path, NULL };
	json_object *labels[MAX_PHASES];
	struct phase phases[3], *cpu = &phases[0], *sleep = &phases[1], *sync = &phases[2];
	struct it_log log = { 0 };
	struct it_proc p = { 0 };
	long fsyncs = 0;
	FILE *rep;
	pid_t pid;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/offcpu.log", dir);
	snprintf(rep_path, sizeof(rep_path), "%s/report", dir);
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", dir);
	if (!run_traced(args, log_path, &log, &p))
		goto out;
	rep = fopen(rep_path, "r");
	CHECK(rep && fscanf(rep, "%ld", &fsyncs) == 1 && fsyncs > 10,
	      "the workload did %ld fsyncs in its second of them", fsyncs);
	if (rep)
		fclose(rep);
	pid = (pid_t)it_get_int(log.obj[0], "pid", -1);
	if (label_lines(&log, pid, labels, MAX_PHASES) != 4) {
		CHECK(0, "expected the labels cpu, sleep, fsync, done");
		goto out;
	}
	for (int i = 0; i < 3; i++)
		phase_between(labels[i], labels[i + 1], &phases[i]);
	CHECK_STR(cpu->name, "cpu");
	CHECK_STR(sleep->name, "sleep");
	CHECK_STR(sync->name, "fsync");
	printf("  fsync in %s, %ld fsyncs of 4 KiB appended in 1 s\n", disk, fsyncs);
	printf("  %-6s %7s %7s %8s %7s %9s %7s\n", "phase", "wall", "oncpu", "blocked", "sleep",
	       "preempted", "runq");
	for (const struct phase *ph = phases; ph < phases + 3; ph++)
		printf("  %-6s %7.3f %7.3f %8.3f %7.3f %9.3f %7.3f\n", ph->name, ph->wall_s,
		       ph->oncpu_s, ph->blocked_s, ph->sleep_s, ph->preempted_s, ph->runq_s);

	/* Every phase: on-CPU and the three off-CPU kinds add up to its wall time.
	 * Off-CPU runs from one sched_switch to the next, while the scheduler starts
	 * charging CPU time a little before the switch-in tracepoint: a few µs per
	 * switch are counted twice (measured 5-6 µs here), so allow 10 µs each. */
	for (const struct phase *ph = phases; ph < phases + 3; ph++) {
		double sum = ph->oncpu_s + ph->blocked_s + ph->sleep_s + ph->preempted_s;

		CHECK(sum >= ph->wall_s * 0.90 && sum <= ph->wall_s * 1.10 + ph->switches * 10e-6,
		      "%s: on-CPU + off-CPU %.3f s for a wall of %.3f s with %.0f switches", ph->name,
		      sum, ph->wall_s, ph->switches);
	}
	/* 1 s of CPU time, however long the machine made it wait. */
	CHECK_NEAR(cpu->oncpu_s, 1.0, 0.10, "cpu phase: on-CPU (s)");
	CHECK(cpu->blocked_s + cpu->sleep_s < 0.10 * cpu->wall_s, "cpu phase: off-CPU asleep %.3f s",
	      cpu->blocked_s + cpu->sleep_s);
	CHECK_NEAR(sleep->sleep_s, 1.0, 0.10, "sleep phase: off-CPU sleeping (s)");
	CHECK(sleep->oncpu_s + sleep->blocked_s < 0.10, "sleep phase: on-CPU %.3f s, blocked %.3f s",
	      sleep->oncpu_s, sleep->blocked_s);
	/* fsync waits in D for the journal and the disk: blocked dominates. On this
	 * VM's virtio disk it is 80-85 % of the phase, on-CPU the rest. */
	CHECK(sync->blocked_s >= 0.5 * sync->wall_s, "fsync phase: blocked %.3f s of %.3f s",
	      sync->blocked_s, sync->wall_s);
	CHECK(sync->blocked_s > 3 * (sync->sleep_s + sync->preempted_s),
	      "fsync phase: blocked %.3f s does not dominate sleep %.3f s + preempted %.3f s",
	      sync->blocked_s, sync->sleep_s, sync->preempted_s);

	/* The plot's off-CPU panel puts the same split in the right intervals. */
	if (!plot(log_path, plot_dir))
		goto out;
	snprintf(dat_path, sizeof(dat_path), "%s/offcpu_%d.dat", plot_dir, (int)pid);
	{
		double t1 = it_get_num(labels[1], "label_elapsed_time");
		double t2 = it_get_num(labels[2], "label_elapsed_time");
		double t3 = it_get_num(labels[3], "label_elapsed_time");
		/* Columns from 0: 13 blocked %, 14 sleep %, 15 preempted %. */
		double sleep_pct = dat_mean(dat_path, 14, t1, t2);
		double blocked_pct = dat_mean(dat_path, 13, t2, t3);

		printf("  plot: sleeping %.1f %% of the sleep phase's intervals, blocked %.1f %% "
		       "of the fsync phase's\n", sleep_pct, blocked_pct);
		CHECK_NEAR(sleep_pct, 100, 10, "offcpu_sleep_pct within the sleep phase");
		CHECK(blocked_pct >= 50, "offcpu_blocked_pct within the fsync phase: %.1f",
		      blocked_pct);
	}
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* ------------------------------------------- labels from several threads */

/* A label's counters include only the calling thread's time since its last
 * switch-out, so when two threads label in turn while both run, the second
 * snapshot can be below the first: no phase may then cost 2^64 ns. */
static void test_two_threads_labelling_in_turn_never_wrap(void)
{
	char dir[64], log_path[128], plot_dir[128];
	const char *args[] = { "-i", "0.1", "-o", log_path, "--", it_workload("ph_threads"), "100",
			       "0.05", NULL };
	struct summary_row rows[256];
	struct dat_phase dat[256];
	struct it_log log = { 0 };
	struct it_proc p = { 0 };
	json_object *labels[256];
	int n_rows, n_dat, n_labels, backwards = 0;
	double total_oncpu_s, total_runq_s;
	pid_t pid;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/threads.log", dir);
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", dir);
	if (!run_traced(args, log_path, &log, &p))
		goto out;
	pid = (pid_t)it_get_int(log.obj[0], "pid", -1);
	n_labels = label_lines(&log, pid, labels, 256);
	for (int i = 1; i < n_labels; i++)
		backwards += at(labels[i], "oncpu_ns") < at(labels[i - 1], "oncpu_ns") ||
			     at(labels[i], "runq_wait_ns") < at(labels[i - 1], "runq_wait_ns");
	printf("  %d labels from 2 threads, %d with a counter below the label before\n", n_labels,
	       backwards);
	CHECK(n_labels == 200, "expected 200 label lines, got %d", n_labels);
	n_rows = summary_rows(p.err, rows, 256);
	CHECK(n_rows == n_labels + 1, "expected %d summary rows, got %d", n_labels + 1, n_rows);
	/* No phase costs more than the whole run (the STOP line), wrapped or not;
	 * the phase after one that went back gets the jump, so not 2 x its wall. */
	total_oncpu_s = it_get_num(log.obj[log.n - 1], "sched.oncpu_ns") / 1e9;
	total_runq_s = it_get_num(log.obj[log.n - 1], "sched.runq_wait_ns") / 1e9;
	for (int i = 0; i < n_rows; i++)
		CHECK(rows[i].oncpu_s <= total_oncpu_s + 0.001 &&
		      rows[i].runq_s <= total_runq_s + 0.001,
		      "summary row %d (%s): on-CPU %.6f s of %.6f s, run-queue %.6f s of %.6f s", i,
		      rows[i].name, rows[i].oncpu_s, total_oncpu_s, rows[i].runq_s, total_runq_s);
	if (!plot(log_path, plot_dir))
		goto out;
	n_dat = read_phases_dat(plot_dir, "threads", pid, dat, 256);
	CHECK(n_dat == n_rows, "expected %d rows in the .phases.dat, got %d", n_rows, n_dat);
	for (int i = 0; i < n_dat; i++)
		CHECK(dat[i].oncpu_s <= total_oncpu_s + 0.001 && dat[i].runq_s <= total_runq_s + 0.001,
		      ".phases.dat row %d: on-CPU %.6f s of %.6f s, run-queue %.6f s of %.6f s", i,
		      dat[i].oncpu_s, total_oncpu_s, dat[i].runq_s, total_runq_s);
out:
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

/* ----------------------------------------------- plot: markers and phases */

/* The x of the first `<use xlink:href='#gpPtN'` after `<text>what</text>` in the
 * SVG: where the plot drew that event's marker; NAN if none. */
static double marker_x(const char *svg, const char *what)
{
	char key[64];
	const char *p;
	double x;

	snprintf(key, sizeof(key), "<text>%s</text>", what);
	p = strstr(svg, key);
	p = p ? strstr(p, "<use xlink:href='#gpPt") : NULL;
	p = p ? strstr(p, "translate(") : NULL;
	return p && sscanf(p, "translate(%lf,", &x) == 1 ? x : NAN;
}

/* The x of a label's text in the SVG (drawn just right of its line). */
static double label_x(const char *svg, const char *text)
{
	char key[96];
	const char *p, *t;
	double x = NAN;

	snprintf(key, sizeof(key), "<text>%s</text>", text);
	p = strstr(svg, key);
	if (!p)
		return NAN;
	for (t = p; t > svg && strncmp(t, "translate(", 10); t--)
		;
	return sscanf(t, "translate(%lf,", &x) == 1 ? x : NAN;
}

static void test_plot_marks_exec_fork_exit_and_writes_phases(void)
{
	static const char *const parent_phases[] = { "(start)", "before fork", "before exec",
						     "after exec" };
	char dir[64], log_path[128], plot_dir[128], path[256], *labels = NULL, *svg = NULL;
	const char *args[] = { "-q", "-c", "-i", "0.05", "-o", log_path, "--",
			       it_workload("ph_events"), NULL };
	struct dat_phase dat[MAX_PHASES];
	struct it_log log = { 0 };
	struct it_proc p = { 0 };
	pid_t pid, child = -1;
	int n;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/events.log", dir);
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", dir);
	if (!run_traced(args, log_path, &log, &p) || !plot(log_path, plot_dir))
		goto out;
	pid = (pid_t)it_get_int(log.obj[0], "pid", -1);
	for (int i = 0; i < log.n; i++)
		if (it_get_int(log.obj[i], "child_pid", -1) > 0)
			child = (pid_t)it_get_int(log.obj[i], "child_pid", -1);
	CHECK(child > 0, "no fork line in the log");

	/* The labels file says which kind each row is: 3 exec, 4 fork, 5 exit. */
	snprintf(path, sizeof(path), "%s/events_%d.labels.dat", plot_dir, (int)pid);
	labels = it_read_file(path);
	CHECK(labels && strstr(labels, "\t3\t\"exec\"\n"), "no exec row in %s", path);
	CHECK(labels && strstr(labels, "\t4\t\"fork\"\n"), "no fork row in %s", path);
	CHECK(labels && strstr(labels, "\t5\t\"exit\"\n"), "no exit row in %s", path);

	/* In the SVG each event is a point marker in the label panel, in time
	 * order between the labels around it, and an entry of the key. */
	snprintf(path, sizeof(path), "%s/events_%d.svg", plot_dir, (int)pid);
	svg = it_read_file(path);
	CHECK(svg != NULL, "no SVG %s", path);
	if (svg) {
		double fork_x = marker_x(svg, "fork"), exec_x = marker_x(svg, "exec");
		double exit_x = marker_x(svg, "exit");
		double before_fork = label_x(svg, "before fork"), before_exec = label_x(svg, "before exec");
		double after_exec = label_x(svg, "after exec");

		printf("  SVG x: before fork %.0f, fork %.0f, before exec %.0f, exec %.0f, "
		       "after exec %.0f, exit %.0f\n", before_fork, fork_x, before_exec, exec_x,
		       after_exec, exit_x);
		CHECK(fork_x > before_fork - 20 && fork_x < before_exec,
		      "fork marker at x %.1f, not by the 'before fork' label (%.1f)", fork_x,
		      before_fork);
		CHECK(exec_x > before_exec && exec_x < after_exec,
		      "exec marker at x %.1f, not between 'before exec' (%.1f) and 'after exec' (%.1f)",
		      exec_x, before_exec, after_exec);
		CHECK(exit_x > after_exec, "exit marker at x %.1f, before 'after exec' (%.1f)", exit_x,
		      after_exec);
	}

	/* One phase per label of each process, named after it; the child has its own. */
	n = read_phases_dat(plot_dir, "events", pid, dat, MAX_PHASES);
	CHECK(n == 4, "expected 4 phases for pid %d, got %d", (int)pid, n);
	for (int i = 0; i < n && i < 4; i++) {
		CHECK_STR(dat[i].name, parent_phases[i]);
		CHECK(dat[i].end_s >= dat[i].start_s && (i == 0 || dat[i].start_s == dat[i - 1].end_s),
		      "phase %d from %.6f to %.6f", i, dat[i].start_s, dat[i].end_s);
	}
	if (n == 4)	/* each nap is >= 100 ms; the exec phase has 100 ms before it */
		CHECK(dat[1].wall_s >= 0.19 && dat[2].wall_s >= 0.09 && dat[3].wall_s >= 0.14,
		      "phase walls %.3f %.3f %.3f", dat[1].wall_s, dat[2].wall_s, dat[3].wall_s);
	n = child > 0 ? read_phases_dat(plot_dir, "events", child, dat, MAX_PHASES) : 0;
	CHECK(n == 2 && !strcmp(dat[0].name, "(start)") && !strcmp(dat[1].name, "child"),
	      "child %d: expected phases (start), child; got %d", (int)child, n);
out:
	free(labels);
	free(svg);
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_phase_costs_match_getrusage_at_the_labels);
	RUN(test_offcpu_split_of_cpu_sleep_and_fsync_phases);
	RUN(test_two_threads_labelling_in_turn_never_wrap);
	RUN(test_plot_marks_exec_fork_exit_and_writes_phases);
	return check_summary();
}
