// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of the Python drop-in for TotalDepth's process logger (TotalDepth's
 * own demo on procmon, read back by TotalDepth's reader and procmon plot) and of make install. */
#include <ftw.h>
#include "check.h"
#include "itest.h"

#ifndef PROCMON_SRCDIR
#define PROCMON_SRCDIR "."	/* set by lib/lib.mk: the tree this test was built from */
#endif

#define TIMEOUT_S 60.0
#define MIB (1024.0 * 1024.0)
#define N_BUFFERS 8		/* the demo's strings */
#define DEMO_INTERVAL_S 0.1

static const char *src_path(const char *rel)
{
	static char paths[4][PATH_MAX];
	static int next;
	char *path = paths[next++ % 4];

	snprintf(path, PATH_MAX, "%s/%s", PROCMON_SRCDIR, rel);
	return path;
}

/* BUILD (OUTPUT of the build this test belongs to), absolute. */
static const char *build_dir(void)
{
	static char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", it_procmon());
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return dir;
}

/* The python3 sudo would run, where `make install` puts the modules. */
static const char *system_python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

static bool write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fputs(text, f) >= 0;

	if (f && fclose(f))
		ok = false;
	return ok && chmod(path, mode) == 0;
}

/* The last line of @text parsed as a JSON object, or NULL. */
static json_object *last_json_line(const char *text)
{
	const char *line = text, *nl;
	json_object *o;

	while ((nl = strchr(line, '\n')) && nl[1])
		line = nl + 1;
	o = json_tokener_parse(line);
	if (o && !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* ------------------------------------------------ TotalDepth's demo, run once */

static struct {
	bool ran, ok;
	char dir[64], log_path[PATH_MAX];
	struct it_proc p;
	struct it_log log;
} demo;

static void demo_cleanup(void)
{
	it_log_free(&demo.log);
	it_proc_free(&demo.p);
	if (demo.dir[0])
		it_rmdir(demo.dir);
}

/* tests/python/totaldepth_demo.py under log_process(0.1); its stderr (TotalDepth's
 * logging) kept as the log. True when it ran and left a log. */
static bool demo_run(void)
{
	char pythonpath[PATH_MAX + 16], procmon[PATH_MAX + 16], line[300];
	const char *env[] = { pythonpath, procmon, "PROCMON_LABEL_LIB=", "LC_ALL=C.UTF-8", NULL };
	const char *argv[] = { "python3", src_path("tests/python/totaldepth_demo.py"), NULL };
	const struct it_spawn how = { .env_set = env };

	if (demo.ran)
		return demo.ok;
	demo.ran = true;
	atexit(demo_cleanup);
	snprintf(pythonpath, sizeof(pythonpath), "PYTHONPATH=%s", it_path("lib"));
	snprintf(procmon, sizeof(procmon), "PROCMON=%s", it_procmon());
	if (!it_tmpdir(demo.dir, sizeof(demo.dir))) {
		CHECK(0, "cannot make a temporary directory: %s", strerror(errno));
		return false;
	}
	snprintf(demo.log_path, sizeof(demo.log_path), "%s/demo.log", demo.dir);
	it_run(&demo.p, argv, &how, TIMEOUT_S);
	CHECK(!demo.p.timed_out, "the demo still ran after %.0f s", TIMEOUT_S);
	CHECK(it_exit_code(demo.p.status) == 0, "the demo exited %d: %s",
	      it_exit_code(demo.p.status), it_first_line(demo.p.err, line, sizeof(line)));
	CHECK(!strstr(demo.p.err, "Traceback") && !strstr(demo.p.err, "WARNING"),
	      "the demo said: %s", demo.p.err);
	if (!write_file(demo.log_path, demo.p.err, 0644) || it_log_parse(demo.p.err, &demo.log)) {
		CHECK(0, "cannot keep the demo's log at %s", demo.log_path);
		return false;
	}
	demo.ok = it_exit_code(demo.p.status) == 0;
	return demo.ok;
}

/* The demo's bytes in "String of 41,943,040 bytes", or -1. */
static double label_bytes(const char *label)
{
	const char *p = label;
	double bytes = 0;
	int digits = 0;

	if (!label || strncmp(label, "String of ", 10))
		return -1;
	for (p += 10; *p && *p != ' '; p++) {
		if (*p == ',')
			continue;
		if (*p < '0' || *p > '9')
			return -1;
		bytes = bytes * 10 + (*p - '0');
		digits++;
	}
	return digits && !strcmp(p, " bytes") ? bytes : -1;
}

/* The label lines of the demo's log, in order: their texts and times. */
static int demo_labels(const char **texts, double *times, int max)
{
	int n = 0;

	for (int i = 0; i < demo.log.n; i++) {
		const char *label = it_get_str(demo.log.obj[i], "label");

		if (!label)
			continue;
		if (n < max) {
			texts[n] = label;
			times[n] = it_get_num(demo.log.obj[i], "label_elapsed_time");
		}
		n++;
	}
	return n;
}

/* Every line through logging, from this module's relay thread, for the python
 * process itself; one START, one STOP, and a sample every 0.1 s between them. */
static void test_demo_logs_its_own_process_through_logging(void)
{
	double start_s = NAN, stop_s = NAN;
	int samples = 0, marked = 0;
	const char *at;

	REQUIRE(demo_run(), "the demo did not run");
	at = demo.p.err;
	while ((at = strstr(at, IT_MARKER))) {
		const char *bol = at;

		while (bol > demo.p.err && bol[-1] != '\n')
			bol--;
		marked++;
		CHECK(strstr(bol, " - procmon_process.py - ") && strstr(bol, " - (ProcMon   ) - INFO "),
		      "not logged by procmon_process's ProcMon thread at INFO: %.120s", bol);
		at += strlen(IT_MARKER);
	}
	CHECK(marked == demo.log.n, "%d marked lines, %d parsed", marked, demo.log.n);
	CHECK(it_log_count_mark(&demo.log, IT_MARK_START) == 1, "START lines: %d",
	      it_log_count_mark(&demo.log, IT_MARK_START));
	CHECK(it_log_count_mark(&demo.log, IT_MARK_STOP) == 1, "STOP lines: %d",
	      it_log_count_mark(&demo.log, IT_MARK_STOP));
	for (int i = 0; i < demo.log.n; i++) {
		json_object *o = demo.log.obj[i];

		CHECK(it_get_int(o, "pid", -1) == demo.p.pid, "line %d: pid %lld, python was %d", i,
		      it_get_int(o, "pid", -1), (int)demo.p.pid);
		if (demo.log.mark[i] == IT_MARK_START)
			start_s = it_get_num(o, "elapsed_time");
		else if (demo.log.mark[i] == IT_MARK_STOP)
			stop_s = it_get_num(o, "elapsed_time");
		else if (!it_get(o, "label"))
			samples++;
	}
	REQUIRE(isfinite(start_s) && isfinite(stop_s), "no START or STOP line");
	CHECK_NEAR(samples, (stop_s - start_s) / DEMO_INTERVAL_S, 2, "samples between START and STOP");
}

/* Eight labels, after the START line, each with its string's bytes resident:
 * the largest RSS peak until the next label is the string plus the interpreter. */
static void test_demo_labels_each_string_with_its_rss(void)
{
	const char *texts[N_BUFFERS + 4];
	double times[N_BUFFERS + 4], start_s = NAN;
	int n;

	REQUIRE(demo_run(), "the demo did not run");
	n = demo_labels(texts, times, N_BUFFERS + 4);
	REQUIRE(n == N_BUFFERS, "expected %d labels, got %d", N_BUFFERS, n);
	for (int i = 0; i < demo.log.n; i++)
		if (demo.log.mark[i] == IT_MARK_START)
			start_s = it_get_num(demo.log.obj[i], "elapsed_time");
	CHECK(times[0] > start_s, "first label at %.6f s, before procmon attached (%.6f s)",
	      times[0], start_s);
	for (int k = 0; k < n; k++) {
		double bytes = label_bytes(texts[k]), peak = 0;
		double until = k + 1 < n ? times[k + 1] : INFINITY;

		CHECK(bytes >= 16 * MIB && bytes <= 48 * MIB, "label %d: \"%s\"", k, texts[k]);
		for (int i = 0; i < demo.log.n; i++) {
			json_object *o = demo.log.obj[i];
			double t = it_get_num(o, "elapsed_time");

			if (!it_get(o, "label") && t > times[k] && t <= until &&
			    it_get_num(o, "memory_info.rss_peak") > peak)
				peak = it_get_num(o, "memory_info.rss_peak");
		}
		CHECK(peak >= bytes && peak <= bytes + 48 * MIB,
		      "\"%s\": peak RSS until the next label %.1f MiB, expected %.1f to %.1f MiB",
		      texts[k], peak / MIB, bytes / MIB, bytes / MIB + 48);
	}
}

/* TotalDepth's reader (its own functions with TOTALDEPTH_PROCESS_PY=.../process.py,
 * else its regex and keys) takes every marked line, labels included. */
static void test_demo_log_read_by_totaldepth_reader(void)
{
	const char *process_py = getenv("TOTALDEPTH_PROCESS_PY");
	const char *argv[] = { "python3", src_path("tests/python/totaldepth_read.py"), demo.log_path,
			       process_py && *process_py ? process_py : NULL, NULL };
	const char *texts[N_BUFFERS + 4];
	double times[N_BUFFERS + 4];
	struct it_proc p;
	json_object *o = NULL, *labels, *pids;
	char line[300];
	int n;

	REQUIRE(demo_run(), "the demo did not run");
	n = demo_labels(texts, times, N_BUFFERS + 4);
	it_run(&p, argv, NULL, TIMEOUT_S);
	REQUIRE_GOTO(it_exit_code(p.status) == 0, out, "TotalDepth's reader failed: %s", p.err);
	o = last_json_line(p.out);
	REQUIRE_GOTO(o, out, "no result from the reader: %s", it_first_line(p.out, line, sizeof(line)));
	printf("# TotalDepth's reader: %s\n", it_get_str(o, "source"));
	CHECK(it_get_int(o, "records", -1) == demo.log.n && it_get_int(o, "marked_lines", -1) == demo.log.n &&
	      it_get_int(o, "rows", -1) == demo.log.n,
	      "%d marked lines; the reader took %lld records of %lld marked lines into %lld rows",
	      demo.log.n, it_get_int(o, "records", -1), it_get_int(o, "marked_lines", -1),
	      it_get_int(o, "rows", -1));
	pids = it_get(o, "pids");
	CHECK(pids && json_object_array_length(pids) == 1 &&
	      json_object_get_int(json_object_array_get_idx(pids, 0)) == demo.p.pid,
	      "pids %s, expected [%d]", json_object_to_json_string(pids), (int)demo.p.pid);
	labels = it_get(o, "labels");
	REQUIRE_GOTO(labels && (int)json_object_array_length(labels) == n, out,
		     "the reader's labels: %s", json_object_to_json_string(labels));
	for (int k = 0; k < n && k < N_BUFFERS + 4; k++)
		CHECK_STR(json_object_get_string(json_object_array_get_idx(labels, k)), texts[k]);
out:
	json_object_put(o);
	it_proc_free(&p);
}

/* procmon plot draws the Python process with every label, its text in the SVG. */
static void test_demo_log_plotted_with_labels(void)
{
	char outdir[PATH_MAX], svg[PATH_MAX + 64], dat[PATH_MAX + 64], *svg_text, *dat_text;
	const char *argv[] = { it_procmon(), "plot", demo.log_path, outdir, NULL };
	const char *texts[N_BUFFERS + 4];
	double times[N_BUFFERS + 4];
	struct it_proc p;
	int n;

	REQUIRE(demo_run(), "the demo did not run");
	n = demo_labels(texts, times, N_BUFFERS + 4);
	snprintf(outdir, sizeof(outdir), "%s/plots", demo.dir);
	it_run(&p, argv, NULL, TIMEOUT_S);
	CHECK(it_exit_code(p.status) == 0, "procmon plot exited %d: %s", it_exit_code(p.status), p.err);
	snprintf(svg, sizeof(svg), "%s/demo_%d.svg", outdir, (int)demo.p.pid);
	snprintf(dat, sizeof(dat), "%s/demo_%d.labels.dat", outdir, (int)demo.p.pid);
	svg_text = it_read_file(svg);
	dat_text = it_read_file(dat);
	CHECK(svg_text && strstr(svg_text, "</svg>"), "no whole SVG at %s", svg);
	CHECK(dat_text, "no %s", dat);
	for (int k = 0; svg_text && dat_text && k < n && k < N_BUFFERS + 4; k++) {
		CHECK(strstr(svg_text, texts[k]), "\"%s\" not in %s", texts[k], svg);
		CHECK(strstr(dat_text, texts[k]), "\"%s\" not in %s", texts[k], dat);
	}
	free(svg_text);
	free(dat_text);
	it_proc_free(&p);
}

/* ------------------------------------------------ where procmon cannot trace */

/* tests/python/dropin_untraced.py's result: one warning saying @why, both bodies
 * ran at once, the argparse option as TotalDepth's. */
static void check_untraced(struct it_proc *p, const char *why)
{
	json_object *o, *warnings;
	char line[300];

	CHECK(it_exit_code(p->status) == 0, "python exited %d: %s", it_exit_code(p->status), p->err);
	o = last_json_line(p->out);
	REQUIRE(o, "no result: %s %s", it_first_line(p->out, line, sizeof(line)), p->err);
	warnings = it_get(o, "warnings");
	CHECK(warnings && json_object_array_length(warnings) == 1 &&
	      strstr(json_object_get_string(json_object_array_get_idx(warnings, 0)), why),
	      "expected one warning saying \"%s\", got %s", why, json_object_to_json_string(warnings));
	CHECK(it_get_int(o, "bodies", -1) == 2, "bodies run: %lld of 2", it_get_int(o, "bodies", -1));
	CHECK(it_get_num(o, "seconds") < 5, "two untraced blocks took %.3f s", it_get_num(o, "seconds"));
	CHECK(it_get_num(o, "log_process_default") == 0 && it_get_num(o, "log_process_given") == 0.25,
	      "--log-process: default %g, given 0.25 read as %g", it_get_num(o, "log_process_default"),
	      it_get_num(o, "log_process_given"));
	CHECK(json_object_get_boolean(it_get(o, "from_label")),
	      "procmon_label.log_process is not procmon_process.log_process");
	json_object_put(o);
}

static void test_untraced_procmon_missing_warns_once_body_runs(void)
{
	char pythonpath[PATH_MAX + 16];
	const char *env[] = { pythonpath, "PROCMON=/nonexistent", NULL };
	const char *argv[] = { "python3", src_path("tests/python/dropin_untraced.py"), NULL };
	const struct it_spawn how = { .env_set = env };
	struct it_proc p;

	snprintf(pythonpath, sizeof(pythonpath), "PYTHONPATH=%s", it_path("lib"));
	it_run(&p, argv, &how, TIMEOUT_S);
	check_untraced(&p, "PROCMON=/nonexistent");
	it_proc_free(&p);
}

/* As nobody, procmon refuses at once (exit 125): its reason, once, and no wait. */
static void test_untraced_without_privilege_warns_once_body_runs(void)
{
	static const char *const files[] = { "lib/procmon_label.py", "lib/procmon_process.py",
					     "lib/libprocmon_label.so.0", "procmon" };
	char dir[64], pythonpath[96], procmon[96], script[96];
	const char *env[] = { pythonpath, procmon, "PROCMON_LABEL_LIB=", NULL };
	const char *argv[] = { system_python(), script, NULL };
	const char *unset[] = { "SUDO_UID", "SUDO_GID", NULL };
	const struct it_spawn how = { .env_set = env, .env_unset = unset, .as_user = true,
				      .uid = 65534, .gid = 65534, .cwd = "/" };
	struct it_proc p;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "cannot make a temporary directory");
	chmod(dir, 0755);
	for (size_t i = 0; i <= sizeof(files) / sizeof(files[0]); i++) {
		const char *from = i < sizeof(files) / sizeof(files[0]) ? it_path(files[i]) :
				   src_path("tests/python/dropin_untraced.py");
		const char *cp[] = { "cp", from, dir, NULL };

		it_run(&p, cp, NULL, 10);
		CHECK(it_exit_code(p.status) == 0, "cannot copy %s: %s", from, p.err);
		it_proc_free(&p);
	}
	snprintf(pythonpath, sizeof(pythonpath), "PYTHONPATH=%s", dir);
	snprintf(procmon, sizeof(procmon), "PROCMON=%s/procmon", dir);
	snprintf(script, sizeof(script), "%s/dropin_untraced.py", dir);
	{
		const char *chmod_argv[] = { "chmod", "-R", "a+rX", dir, NULL };

		it_run(&p, chmod_argv, NULL, 10);
		it_proc_free(&p);
	}
	it_run(&p, argv, &how, TIMEOUT_S);
	check_untraced(&p, "needs root");
	it_proc_free(&p);
	it_rmdir(dir);
}

/* ------------------------------------------------------------- make install */

/* `make -s -C SRC OUTPUT=BUILD @args...` with make's own environment cleared;
 * never remakes procmon itself (-o). Exit code; output in @p. */
static int run_make(struct it_proc *p, const char *const *args)
{
	char output[PATH_MAX + 8], old[PATH_MAX + 8];
	const char *argv[32] = { "make", "-s", "--no-print-directory", "-C", PROCMON_SRCDIR,
				 output, "-o", old };
	const char *unset[] = { "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DESTDIR", "PREFIX",
				"PYTHONDIR", "LDCONFIG", NULL };
	const struct it_spawn how = { .env_unset = unset };
	int n = 8;

	snprintf(output, sizeof(output), "OUTPUT=%s", build_dir());
	snprintf(old, sizeof(old), "%s/procmon", build_dir());
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	it_run(p, argv, &how, 120);
	return it_exit_code(p->status);
}

/* The label library's .pc names PREFIX: back to the default after an install elsewhere. */
static void restore_pc_file(void)
{
	char pc[PATH_MAX];
	const char *args[] = { pc, NULL };
	struct it_proc p;

	snprintf(pc, sizeof(pc), "%s/lib/procmon-label.pc", build_dir());
	run_make(&p, args);
	it_proc_free(&p);
}

static int entries_seen;

static int count_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)ftw;
	if (type == FTW_F || type == FTW_SL)
		entries_seen++;
	return 0;
}

/* Regular files and links under @dir. */
static int files_under(const char *dir)
{
	entries_seen = 0;
	nftw(dir, count_entry, 16, FTW_PHYS);
	return entries_seen;
}

static bool file_has(const char *path, const char *text)
{
	char *all = it_read_file(path);
	bool has = all && strstr(all, text);

	free(all);
	return has;
}

/* The directory of sys.path (of the system's python3) that holds procmon_process.py
 * under @root, into @out; false if none does. */
static bool installed_site_dir(const char *root, char *out, size_t size)
{
	const char *argv[] = { system_python(), "-c", "import sys; print('\\n'.join(sys.path))", NULL };
	struct it_proc p;
	bool found = false;

	it_run(&p, argv, NULL, 20);
	for (char *line = strtok(p.out, "\n"); line && !found; line = strtok(NULL, "\n")) {
		char path[PATH_MAX];

		if (*line != '/')
			continue;
		snprintf(path, sizeof(path), "%s%s/procmon_process.py", root, line);
		if (access(path, R_OK) == 0) {
			snprintf(out, size, "%s%s", root, line);
			found = true;
		}
	}
	it_proc_free(&p);
	return found;
}

/* make install DESTDIR=... PREFIX=/usr ships the program, the library, the
 * Python modules where the system's python3 finds them, and a clean man page;
 * make uninstall takes all of it back. */
static void test_install_destdir_ships_all_and_uninstall_removes_it(void)
{
	char dir[64], destdir[96], path[PATH_MAX + 64], site[PATH_MAX], line[300];
	char pythonpath[PATH_MAX + 16];
	char label_lib[PATH_MAX + 32];
	const char *install[] = { destdir, "PREFIX=/usr", "install", NULL };
	const char *uninstall[] = { destdir, "PREFIX=/usr", "uninstall", NULL };
	struct it_proc p = { 0 };
	struct stat st, built;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "cannot make a temporary directory");
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", dir);
	REQUIRE_GOTO(run_make(&p, install) == 0, out, "make install failed: %s", p.err);
	it_proc_free(&p);

	snprintf(path, sizeof(path), "%s/usr/bin/procmon", dir);
	CHECK(stat(path, &st) == 0 && stat(it_procmon(), &built) == 0 && st.st_size == built.st_size &&
	      (st.st_mode & 0111), "%s: not the built procmon, executable", path);
	snprintf(path, sizeof(path), "%s/usr/lib/libprocmon_label.so.0", dir);
	CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode), "no %s", path);
	snprintf(path, sizeof(path), "%s/usr/lib/libprocmon_label.a", dir);
	CHECK(access(path, R_OK) == 0, "no %s", path);
	snprintf(path, sizeof(path), "%s/usr/include/procmon_label.h", dir);
	CHECK(access(path, R_OK) == 0, "no %s", path);
	snprintf(path, sizeof(path), "%s/usr/lib/pkgconfig/procmon-label.pc", dir);
	CHECK(file_has(path, "prefix=/usr\n"), "%s does not say prefix=/usr", path);

	snprintf(path, sizeof(path), "%s/usr/share/man/man1/procmon.1", dir);
	{
		const char *version[] = { it_procmon(), "--version", NULL };
		const char *groff[] = { "groff", "-man", "-ww", "-z", path, NULL };
		const char *man[] = { "man", "-l", path, NULL };
		const char *manwidth[] = { "MANWIDTH=80", NULL };
		const struct it_spawn man_how = { .env_set = manwidth };
		char th[64];

		it_run(&p, version, NULL, 10);
		snprintf(th, sizeof(th), "\"%s\"", it_first_line(p.out, line, sizeof(line)));
		it_proc_free(&p);
		CHECK(file_has(path, ".TH PROCMON 1 ") && file_has(path, th),
		      "%s: no .TH line with %s", path, th);
		it_run(&p, groff, NULL, 20);
		CHECK(it_exit_code(p.status) == 0 && !*p.err, "groff -man -ww: exit %d: %s",
		      it_exit_code(p.status), p.err);
		it_proc_free(&p);
		it_run(&p, man, &man_how, 20);
		CHECK(it_exit_code(p.status) == 0 && !*p.err && strstr(p.out, "PROCMON(1)") &&
		      strstr(p.out, "EXIT STATUS") && strstr(p.out, "sudo"),
		      "man -l: exit %d: %s", it_exit_code(p.status), p.err);
		it_proc_free(&p);
	}

	REQUIRE_GOTO(installed_site_dir(dir, site, sizeof(site)), out,
		     "procmon_process.py is in no directory of %s's sys.path under %s",
		     system_python(), dir);
	snprintf(path, sizeof(path), "%s/procmon_label.py", site);
	CHECK(file_has(path, "_INSTALLED_LIB = '/usr/lib/libprocmon_label.so.0'"),
	      "%s does not name the installed library", path);
	snprintf(path, sizeof(path), "%s/procmon_process.py", site);
	CHECK(file_has(path, "_INSTALLED_PROCMON = '/usr/bin/procmon'"),
	      "%s does not name the installed procmon", path);
	snprintf(pythonpath, sizeof(pythonpath), "PYTHONPATH=%s", site);
	snprintf(label_lib, sizeof(label_lib), "PROCMON_LABEL_LIB=%s/usr/lib/libprocmon_label.so.0", dir);
	{
		const char *env[] = { pythonpath, label_lib, NULL };
		const struct it_spawn how = { .env_set = env, .cwd = "/" };
		const char *argv[] = { system_python(), "-c",
				       "import procmon_label, procmon_process\n"
				       "assert procmon_label.available\n"
				       "assert procmon_label.log_process is procmon_process.log_process\n"
				       "print(procmon_process.__file__)\n", NULL };

		it_run(&p, argv, &how, 20);
		CHECK(it_exit_code(p.status) == 0 && !strncmp(p.out, site, strlen(site)),
		      "the installed modules: %s%s", p.out, p.err);
		it_proc_free(&p);
	}

	REQUIRE_GOTO(run_make(&p, uninstall) == 0, out, "make uninstall failed: %s", p.err);
	CHECK(files_under(dir) == 0, "make uninstall left %d files under %s", files_under(dir), dir);
out:
	it_proc_free(&p);
	restore_pc_file();
	it_rmdir(dir);
}

/* ldconfig runs after an install to the system (root, no DESTDIR) and its
 * uninstall, never for a DESTDIR (a package being built). */
static void test_install_runs_ldconfig_only_for_the_system(void)
{
	char dir[64], prefix[96], fake[96], ldconfig[112], marker[96], destdir[112];
	const char *install[] = { prefix, ldconfig, "install", NULL };
	const char *uninstall[] = { prefix, ldconfig, "uninstall", NULL };
	const char *staged[] = { destdir, "PREFIX=/usr", ldconfig, "install", NULL };
	char script[160], *runs = NULL;
	struct it_proc p = { 0 };

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "cannot make a temporary directory");
	snprintf(prefix, sizeof(prefix), "PREFIX=%s/prefix", dir);
	snprintf(fake, sizeof(fake), "%s/fake-ldconfig", dir);
	snprintf(ldconfig, sizeof(ldconfig), "LDCONFIG=%s", fake);
	snprintf(marker, sizeof(marker), "%s/ldconfig-runs", dir);
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s/stage", dir);
	snprintf(script, sizeof(script), "#!/bin/sh\necho run >>%s\n", marker);
	REQUIRE_GOTO(write_file(fake, script, 0755), out, "cannot write %s", fake);

	CHECK(run_make(&p, install) == 0, "make install failed: %s", p.err);
	it_proc_free(&p);
	runs = it_read_file(marker);
	CHECK(runs && it_count_lines(runs) == 1, "after make install: ldconfig ran %d times",
	      runs ? it_count_lines(runs) : 0);
	free(runs);
	CHECK(run_make(&p, uninstall) == 0, "make uninstall failed: %s", p.err);
	it_proc_free(&p);
	runs = it_read_file(marker);
	CHECK(runs && it_count_lines(runs) == 2, "after make uninstall: ldconfig ran %d times in all",
	      runs ? it_count_lines(runs) : 0);
	free(runs);
	CHECK(run_make(&p, staged) == 0, "make install DESTDIR= failed: %s", p.err);
	runs = it_read_file(marker);
	CHECK(runs && it_count_lines(runs) == 2, "make install DESTDIR=...: ldconfig ran (%d in all)",
	      runs ? it_count_lines(runs) : 0);
	free(runs);
out:
	it_proc_free(&p);
	restore_pc_file();
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_demo_logs_its_own_process_through_logging);
	RUN(test_demo_labels_each_string_with_its_rss);
	RUN(test_demo_log_read_by_totaldepth_reader);
	RUN(test_demo_log_plotted_with_labels);
	RUN(test_untraced_procmon_missing_warns_once_body_runs);
	RUN(test_untraced_without_privilege_warns_once_body_runs);
	RUN(test_install_destdir_ships_all_and_uninstall_removes_it);
	RUN(test_install_runs_ldconfig_only_for_the_system);
	return check_summary();
}
