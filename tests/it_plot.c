// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot` end to end through cmd_plot with the real gnuplot: files,
 * well-formed SVG, label text, hostile labels and paths, broken gnuplots. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <json-c/json.h>

#include "check.h"
#include "plot.h"

#define DATA "tests/data/plot/"

static char tmp[64];

static void make_tmp(void)
{
	strcpy(tmp, "/tmp/procmon-it-plot-XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		exit(1);
	}
	/* Traversable by the user gnuplot drops to in test_sudo_*. */
	chmod(tmp, 0755);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0;
	FILE *out;
	int c;

	if (!f)
		return NULL;
	out = open_memstream(&buf, &size);
	while ((c = fgetc(f)) != EOF)
		fputc(c, out);
	fclose(out);
	fclose(f);
	return buf;
}

/* tmp/name, in a static buffer. */
static const char *tmp_file(const char *name)
{
	static char path[192];

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	return path;
}

static int copy_file(const char *from, const char *to)
{
	char *text = read_all(from);
	FILE *f = text ? fopen(to, "w") : NULL;
	int err = f && fputs(text, f) != EOF ? 0 : -1;

	if (f && fclose(f))
		err = -1;
	free(text);
	return err;
}

/* Runs cmd_plot with args (NULL-terminated, without "plot"); its stderr goes
 * to *err (caller frees), its stdout is dropped. Returns the exit status. */
static int run_plot(const char *const *args, char **err)
{
	char *argv[16] = { "plot" }, errpath[128];
	int argc = 1, saved_out, saved_err, fd, status;

	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	snprintf(errpath, sizeof(errpath), "%s/stderr.txt", tmp);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	close(fd);
	fd = open("/dev/null", O_WRONLY);
	dup2(fd, 1);
	close(fd);
	status = cmd_plot(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	*err = read_all(errpath);
	if (!*err)
		*err = strdup("");
	return status;
}

static bool exists(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && st.st_size > 0;
}

/* How many times @needle occurs in @text. */
static int count_of(const char *text, const char *needle)
{
	int n = 0;

	for (const char *at = text; (at = strstr(at, needle)); at += strlen(needle))
		n++;
	return n;
}

/* xmllint --noout, run without a shell. True when the file is well-formed. */
static bool well_formed(const char *dir, const char *name)
{
	char path[512];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pid = fork();
	if (pid == 0) {
		execlp("xmllint", "xmllint", "--noout", path, (char *)NULL);
		fprintf(stderr, "  cannot run xmllint (apt-get install libxml2-utils): %s\n",
			strerror(errno));
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* The SVG's character data with gnuplot's entity escapes undone. */
static char *svg_text(const char *dir, const char *name)
{
	static const struct {
		const char *entity, *c;
	} ents[] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		     { "&apos;", "'" } };
	char path[512], *s, *out;
	size_t o = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = read_all(path);
	if (!s)
		return NULL;
	out = malloc(strlen(s) + 1);
	for (size_t i = 0; s[i];) {
		size_t k;

		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			size_t n = strlen(ents[k].entity);

			if (!strncmp(s + i, ents[k].entity, n)) {
				out[o++] = ents[k].c[0];
				i += n;
				break;
			}
		}
		if (k == sizeof(ents) / sizeof(ents[0]))
			out[o++] = s[i++];
	}
	out[o] = '\0';
	free(s);
	return out;
}

/* No child of ours is left, zombie or running. */
static bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static void test_handmade_log_gives_files_wellformed_svg_and_labels(void)
{
	char out[128], *err, *svg, *dat;
	const char *args[] = { DATA "procmon.log", out, "--png", NULL };
	int status;

	snprintf(out, sizeof(out), "%s/hand", tmp);
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	CHECK(strstr(err, "procmon: plot: skipped 4 bad lines (first at line 1)"),
	      "warning about bad lines, got: %s", err);
	free(err);
	static const char *const files[] = {
		"procmon_4242.dat", "procmon_4242.labels.dat", "procmon_4242.plt",
		"procmon_4242.svg", "procmon_4242.png", "procmon_4243.svg",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CHECK(exists(out, files[i]), "%s/%s missing", out, files[i]);
	CHECK(well_formed(out, "procmon_4242.svg"), "SVG not well-formed");
	svg = svg_text(out, "procmon_4242.svg");
	CHECK(svg && strstr(svg, ">phase A<") && strstr(svg, ">phase B<"), "labels not in SVG");
	/* The program and its distinguishing argument, the pid, then the command line. */
	CHECK(svg && strstr(svg, ">workload all (pid 4242), log from 2024-05-06 10:00:00: "
			    "./workload --phase all<"), "title not in SVG");
	free(svg);
	/* Row of t=1.5 s: RSS 20 MiB, peak 22, VMS 110, user 50 %, system 10 %,
	 * on-CPU 70 %, 2000 faults/s, 10 major/s, run-queue 5 %; no off-CPU or I/O keys. */
	snprintf(out + strlen(out), sizeof(out) - strlen(out), "/procmon_4242.dat");
	dat = read_all(out);
	CHECK(dat && strstr(dat, "\n1.5\t20\t22\t110\t50\t10\t70\t2000\t10\t5\t4\t1\t2\tNaN\tNaN\tNaN"
			    "\tNaN\tNaN\tNaN\tNaN\n"),
	      "row at 1.5 s wrong in:\n%s", dat ? dat : "(none)");
	CHECK(dat && strstr(dat, "# time_s\trss_mib\trss_peak_mib\t"), "header in:\n%s", dat ? dat : "(none)");
	free(dat);
	CHECK(no_children(), "a child was left behind");
}

static void test_totaldepth_and_nopid_logs_plot(void)
{
	static const char *const logs[][2] = {
		{ DATA "totaldepth_linux.log", "totaldepth_linux_14052.svg" },
		{ DATA "totaldepth_macos.log", "totaldepth_macos_71519.svg" },
		{ DATA "nopid.log", "nopid_nopid.svg" },
	};
	char out[128];

	snprintf(out, sizeof(out), "%s/td", tmp);
	for (size_t i = 0; i < 3; i++) {
		const char *args[] = { logs[i][0], out, NULL };
		char *err, *svg;
		int status = run_plot(args, &err);

		CHECK(status == 0, "%s: exit %d, stderr: %s", logs[i][0], status, err);
		free(err);
		CHECK(well_formed(out, logs[i][1]), "%s not well-formed", logs[i][1]);
		svg = svg_text(out, logs[i][1]);
		CHECK(svg && (strstr(svg, ">String of 209,715,200 bytes<") ||
			      strstr(svg, ">Touchdown<") || strstr(svg, ">Threshold<")),
		      "%s lacks its label", logs[i][1]);
		free(svg);
	}
}

/* Labels that would run commands if they reached the script, and text that
 * would break the SVG: none may run, all must show. */
static const char *const evil_labels[] = {
	"`touch /tmp/pmx1`",
	"system(\"touch /tmp/pmx2\")",
	"\n!touch /tmp/pmx3",
	"\"; system(\"touch /tmp/pmx4\");",
	"'.system('touch /tmp/pmx5').'",
	"'leading quote",
	"two '' quotes",
	"back\\slash \\n \\\\ x\\",
	"$HOME @x ;semi #hash",
	"\"dq\" & <tag> ]]> end",
	"^_@{} enhanced",
	"\xc3\xbc" "n\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9" " \xe2\x9c\x93" " \xe6\x97\xa5\xe6\x9c\xac",
	"bad \xff\xfe bytes \xc0",
};

/* What each label must look like in the SVG. */
static const char *const evil_shown[] = {
	"`touch /tmp/pmx1`",
	"system(\"touch /tmp/pmx2\")",
	" !touch /tmp/pmx3",
	"\"; system(\"touch /tmp/pmx4\");",
	"'.system('touch /tmp/pmx5').'",
	"'leading quote",
	"two '' quotes",
	"back\\slash \\n \\\\ x\\",
	"$HOME @x ;semi #hash",
	"\"dq\" & <tag> ]]\xe2\x80\x8b> end",
	"^_@{} enhanced",
	"\xc3\xbc" "n\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9" " \xe2\x9c\x93" " \xe6\x97\xa5\xe6\x9c\xac",
	"bad \xef\xbf\xbd\xef\xbf\xbd bytes \xef\xbf\xbd",
};

#define NR_EVIL (sizeof(evil_labels) / sizeof(evil_labels[0]))

static void write_evil_log(const char *path)
{
	FILE *f = fopen(path, "w");

	for (int i = 0; i < 20; i++)
		fprintf(f, "{\"elapsed_time\": %d, \"pid\": 77, \"comm\": \"evil\", \"cmdline\": "
			"\"`touch /tmp/pmx9` $(touch /tmp/pmx9) '\", \"memory_info\": "
			"{\"rss\": %d}, \"cpu_times\": {\"user\": %g, \"system\": 0}}\n",
			i, (i + 1) * 1048576, 0.1 * i);
	for (size_t i = 0; i < NR_EVIL; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "elapsed_time", json_object_new_double(1.0 + (double)i));
		json_object_object_add(o, "pid", json_object_new_int(77));
		json_object_object_add(o, "label", json_object_new_string(evil_labels[i]));
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
								    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
	fclose(f);
}

static void remove_markers(void)
{
	char m[32];

	for (int i = 1; i <= 9; i++) {
		snprintf(m, sizeof(m), "/tmp/pmx%d", i);
		unlink(m);
	}
}

static void check_no_markers(void)
{
	char m[32];

	for (int i = 1; i <= 9; i++) {
		snprintf(m, sizeof(m), "/tmp/pmx%d", i);
		CHECK(access(m, F_OK) != 0, "%s was created: a command ran", m);
	}
}

static void test_hostile_labels_run_nothing_and_show_intact(void)
{
	char log[128], out[128], *err, *svg;
	const char *args[] = { log, out, "--png", NULL };
	int status;

	snprintf(log, sizeof(log), "%s/evil.log", tmp);
	snprintf(out, sizeof(out), "%s/evil", tmp);
	write_evil_log(log);
	remove_markers();
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	check_no_markers();
	CHECK(well_formed(out, "evil_77.svg"), "SVG with hostile labels not well-formed");
	svg = svg_text(out, "evil_77.svg");
	for (size_t i = 0; svg && i < NR_EVIL; i++) {
		char want[256];

		snprintf(want, sizeof(want), ">%s<", evil_shown[i]);
		CHECK(strstr(svg, want), "label %zu not shown intact: want %s", i, want);
	}
	CHECK(svg && strstr(svg, " (pid 77): `touch /tmp/pmx9` $(touch /tmp/pmx9) '<"),
	      "hostile command line not shown in the title");
	free(svg);
	CHECK(exists(out, "evil_77.png"), "PNG missing");
}

static void test_output_dir_with_spaces_quotes_and_shell_syntax(void)
{
	char out[256], *err;
	const char *args[] = { DATA "procmon.log", out, "--pid", "4242", NULL };
	int status;

	snprintf(out, sizeof(out), "%s/out dir 'q' ''x \"dq\" `touch /tmp/pmx6` "
		 "$(touch /tmp/pmx7) ;@x @svg_file <y |z\\", tmp);
	remove_markers();
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	check_no_markers();
	CHECK(exists(out, "procmon_4242.svg"), "SVG missing in '%s'", out);
	CHECK(!exists(out, "procmon_4243.svg"), "--pid 4242 plotted 4243 too");
	CHECK(well_formed(out, "procmon_4242.svg"), "SVG not well-formed");
}

static void test_output_dir_with_newline_is_refused(void)
{
	char out[128], *err;
	const char *args[] = { DATA "procmon.log", out, NULL };
	int status;

	snprintf(out, sizeof(out), "%s/new\nline", tmp);
	status = run_plot(args, &err);
	CHECK(status == 125, "exit %d", status);
	CHECK(strstr(err, "control character"), "message: %s", err);
	free(err);
}

/* Puts dir/gnuplot (a shell script with body) first on PATH; returns the old PATH. */
static char *fake_gnuplot(const char *dir, const char *body)
{
	char path[256];
	char *old = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin"), *newpath;
	FILE *f;

	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/gnuplot", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
	if (asprintf(&newpath, "%s:%s", dir, old) > 0) {
		setenv("PATH", newpath, 1);
		free(newpath);
	}
	return old;
}

static void test_failing_gnuplot_keeps_files_and_fails(void)
{
	char bin[128], out[128], *err, *old;
	const char *args[] = { DATA "procmon.log", out, "--pid", "4242", NULL };
	int status;

	snprintf(bin, sizeof(bin), "%s/failbin", tmp);
	snprintf(out, sizeof(out), "%s/fail", tmp);
	old = fake_gnuplot(bin, "echo 'fake gnuplot: broken' >&2; exit 3");
	status = run_plot(args, &err);
	setenv("PATH", old, 1);
	free(old);
	CHECK(status == 125, "exit %d", status);
	CHECK(strstr(err, "gnuplot failed on") && strstr(err, "exit status 3"), "message: %s",
	      err);
	free(err);
	CHECK(exists(out, "procmon_4242.dat") && exists(out, "procmon_4242.plt"),
	      ".dat/.plt not kept");
	CHECK(no_children(), "a child was left behind");
}

static void test_hanging_gnuplot_is_killed_after_the_timeout(void)
{
	char bin[128], out[128], body[256], pidfile[160], *err, *old, *pidtext;
	const char *args[] = { DATA "procmon.log", out, "--pid", "4242", NULL };
	struct timespec t0, t1;
	int status;

	snprintf(bin, sizeof(bin), "%s/hangbin", tmp);
	snprintf(out, sizeof(out), "%s/hang", tmp);
	snprintf(pidfile, sizeof(pidfile), "%s/sleep.pid", tmp);
	snprintf(body, sizeof(body), "sleep 30 & echo $! > '%s'; wait", pidfile);
	old = fake_gnuplot(bin, body);
	setenv("PROCMON_GNUPLOT_TIMEOUT", "0.5", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = run_plot(args, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unsetenv("PROCMON_GNUPLOT_TIMEOUT");
	setenv("PATH", old, 1);
	free(old);
	CHECK(status == 125, "exit %d", status);
	CHECK(strstr(err, "took more than 0.5 s") && strstr(err, "killed"), "message: %s", err);
	free(err);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(took < 5, "took %.1f s", took);
	CHECK(exists(out, "procmon_4242.dat") && exists(out, "procmon_4242.plt"),
	      ".dat/.plt not kept");
	CHECK(no_children(), "a child was left behind");
	/* The grandchild died with the process group (gone, or a zombie of init). */
	pidtext = read_all(pidfile);
	if (pidtext && atoi(pidtext) > 0) {
		char stat_path[64], *st;

		snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", atoi(pidtext));
		usleep(100000);
		st = read_all(stat_path);
		CHECK(!st || strstr(st, ") Z "), "sleep %d still runs: %s", atoi(pidtext), st);
		free(st);
	}
	free(pidtext);
}

static void test_missing_gnuplot_says_how_to_install(void)
{
	char empty[128], out[128], *err, *old = strdup(getenv("PATH") ? getenv("PATH") : "");
	const char *args[] = { DATA "procmon.log", out, NULL };
	int status;

	snprintf(empty, sizeof(empty), "%s/emptybin", tmp);
	snprintf(out, sizeof(out), "%s/nognuplot", tmp);
	mkdir(empty, 0755);
	setenv("PATH", empty, 1);
	status = run_plot(args, &err);
	setenv("PATH", old, 1);
	free(old);
	CHECK(status == 125, "exit %d", status);
	CHECK(strstr(err, "procmon: cannot run gnuplot: not found on PATH; install it with: "
			  "apt-get install gnuplot-nox"), "message: %s", err);
	/* Said once, not once per process (the log has two). */
	CHECK(count_of(err, "not found") == 1, "said %d times: %s", count_of(err, "not found"), err);
	CHECK(exists(out, "procmon_4242.dat") && exists(out, "procmon_4243.plt"),
	      ".dat/.plt not written");
	free(err);
}

static void test_bad_input_and_usage_exit_codes(void)
{
	char empty[128], out[128], *err;
	FILE *f;

	snprintf(empty, sizeof(empty), "%s/garbage.log", tmp);
	snprintf(out, sizeof(out), "%s/x", tmp);
	f = fopen(empty, "w");
	fputs("nothing\n{\"pid\": 1}\n", f);
	fclose(f);
	{
		const char *args[] = { NULL };

		CHECK(run_plot(args, &err) == 125, "no arguments");
		free(err);
	}
	{
		const char *args[] = { "a", "b", "c", NULL };

		CHECK(run_plot(args, &err) == 125, "three arguments");
		free(err);
	}
	{
		const char *args[] = { DATA "procmon.log", out, "--pid", "12x", NULL };

		CHECK(run_plot(args, &err) == 125, "bad pid");
		free(err);
	}
	{
		const char *args[] = { "--help", NULL };

		CHECK(run_plot(args, &err) == 0, "--help");
		free(err);
	}
	{
		const char *args[] = { "/nonexistent/run.log", out, NULL };

		CHECK(run_plot(args, &err) == 125, "missing log");
		CHECK(strstr(err, "procmon: plot: cannot open log '/nonexistent/run.log': "
				  "No such file or directory"), "message: %s", err);
		free(err);
	}
	{
		const char *args[] = { empty, out, NULL };

		CHECK(run_plot(args, &err) == 125, "no usable record");
		CHECK(strstr(err, "skipped 2 bad lines (first at line 1)") &&
		      strstr(err, "no usable record"), "message: %s", err);
		free(err);
	}
	{
		const char *args[] = { DATA "procmon.log", out, "--pid", "999", NULL };

		CHECK(run_plot(args, &err) == 125, "unknown pid");
		CHECK(strstr(err, "pid 999 has no samples") && strstr(err, " 4242 4243"),
		      "message: %s", err);
		free(err);
	}
}

/* As run_plot, in a child: cmd_plot drops privileges for good under sudo. */
static int run_plot_forked(const char *const *args, char **err)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		exit(run_plot(args, err));	/* exit(): LSan checks the child too */
	*err = NULL;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	*err = read_all(tmp_file("stderr.txt"));
	if (!*err)
		*err = strdup("");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* As root under sudo, plot reads and writes as the invoking user: the files and
 * the directory it makes are theirs, as are gnuplot's. */
static void test_sudo_user_owns_the_plot(void)
{
	char out[128], log[128], path[192], *err;
	const char *args[] = { log, out, "--pid", "4242", NULL };
	struct stat st;
	int status;

	if (geteuid() != 0)
		SKIP("needs root to test dropping to SUDO_UID");
	/* Where nobody may read the log and make the directory. */
	snprintf(log, sizeof(log), "%s/sudo.log", tmp);
	REQUIRE(copy_file(DATA "procmon.log", log) == 0, "cannot copy the log");
	chmod(log, 0644);
	snprintf(out, sizeof(out), "%s/sudo", tmp);
	mkdir(out, 0755);
	REQUIRE(chown(out, 65534, 65534) == 0, "chown: %s", strerror(errno));
	snprintf(out, sizeof(out), "%s/sudo/deeper", tmp);
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	status = run_plot_forked(args, &err);
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	snprintf(path, sizeof(path), "%s/sudo_4242.svg", out);
	CHECK(stat(path, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534,
	      "SVG owner %u:%u", st.st_uid, st.st_gid);
	snprintf(path, sizeof(path), "%s/sudo_4242.dat", out);
	CHECK(stat(path, &st) == 0 && st.st_uid == 65534, ".dat owner %u", st.st_uid);
	CHECK(stat(out, &st) == 0 && st.st_uid == 65534, "created dir owner %u", st.st_uid);
}

/* One jsonl line of a hand-made tree log; cmdline, label and event may be NULL. */
static void tree_line(FILE *f, const char *ts, double elapsed_s, int pid, int ppid,
		      double rss_mib, double user_s, const char *cmdline, const char *label,
		      const char *event)
{
	json_object *o = json_object_new_object(), *mem, *cpu;

	json_object_object_add(o, "timestamp", json_object_new_string(ts));
	json_object_object_add(o, "elapsed_time", json_object_new_double(elapsed_s));
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "ppid", json_object_new_int(ppid));
	if (label) {
		json_object_object_add(o, "label", json_object_new_string(label));
		json_object_object_add(o, "label_elapsed_time", json_object_new_double(elapsed_s));
	} else {
		mem = json_object_new_object();
		json_object_object_add(mem, "rss", json_object_new_int64((int64_t)(rss_mib * 1048576)));
		json_object_object_add(o, "memory_info", mem);
		cpu = json_object_new_object();
		json_object_object_add(cpu, "user", json_object_new_double(user_s));
		json_object_object_add(cpu, "system", json_object_new_double(0));
		json_object_object_add(o, "cpu_times", cpu);
	}
	if (cmdline)
		json_object_object_add(o, "cmdline", json_object_new_string(cmdline));
	if (event)
		json_object_object_add(o, "event", json_object_new_string(event));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/*
 * A tree of three with different time origins (tree time = seconds since the
 * root started = root elapsed + (timestamp - root's first timestamp)):
 *   root 100: elapsed 0.5 at 10:00:00.0, samples at tree 0.5 .. 6.5 every 1 s,
 *             RSS 10 MiB, user CPU 0.1 s per s (10 %);
 *   child 101 (of 100): elapsed 0 at 10:00:01.0 = tree 1.5, samples at tree
 *             1.5, 2.5, 3.5, 4.5, RSS 20, 21, 22, 23 MiB, 50 % CPU;
 *   grandchild 102 (of 101): elapsed 0 at 10:00:02.5 = tree 3.0, samples at
 *             tree 3.0, 4.0, 5.0, RSS 30, 32, 34 MiB, 100 % CPU.
 * cmds[3]: the command lines; label: a label of 101 at its elapsed 1.0.
 */
static void write_tree_log(const char *path, const char *const *cmds, const char *label)
{
	FILE *f = fopen(path, "w");
	char ts[32];

	for (int k = 0; k <= 6; k++) {
		snprintf(ts, sizeof(ts), "2026-01-02 10:00:%02d.000000", k);
		tree_line(f, ts, 0.5 + k, 100, 1, 10, 0.1 * k, k ? NULL : cmds[0], NULL,
			  k == 1 ? "fork" : NULL);
	}
	for (int k = 0; k <= 3; k++) {
		snprintf(ts, sizeof(ts), "2026-01-02 10:00:%02d.000000", 1 + k);
		tree_line(f, ts, k, 101, 100, 20 + k, 0.5 * k, k ? NULL : cmds[1], NULL,
			  k == 3 ? "exit" : NULL);
	}
	snprintf(ts, sizeof(ts), "2026-01-02 10:00:02.000000");
	tree_line(f, ts, 1.0, 101, 100, 0, 0, NULL, label, NULL);
	for (int k = 0; k <= 2; k++) {
		snprintf(ts, sizeof(ts), "2026-01-02 10:00:%02d.500000", 2 + k);
		tree_line(f, ts, k, 102, 101, 30 + 2 * k, 1.0 * k, k ? NULL : cmds[2], NULL, NULL);
	}
	fclose(f);
}

/* The value in column col (from 0) of the row of the tree .dat at time t_s;
 * NAN when there is no such row. */
static double tree_value(const char *dat, double t_s, int col)
{
	for (const char *line = dat; line && *line; line = strchr(line, '\n'), line += !!line) {
		char *end;
		double v;

		if (*line == '#' || fabs(strtod(line, &end) - t_s) > 1e-9)
			continue;
		v = strtod(line, &end);
		for (int c = 0; c < col; c++)
			v = strtod(end, &end);
		return v;
	}
	return NAN;
}

static void test_tree_log_sums_processes_alive_on_one_time_axis(void)
{
	static const char *const cmds[] = { "sh -c work", "/usr/bin/worker --a", "./grand x" };
	static const struct {
		double t_s, rss_mib, live, cpu_pct;
	} want[] = {
		/* Rows are the distinct sample times; a row stands for the time since
		 * the row before, a sample holds until the next of its process. */
		{ 0.5, 10, 1, NAN },
		{ 1.5, 10 + 20, 2, 10 },
		{ 3.0, 10 + 21 + 30, 3, 10 + 50 },	/* 101 held from 2.5 */
		{ 3.5, 10 + 22 + 30, 3, 10 + 50 + 100 },
		{ 4.0, 10 + 22 + 32, 3, 10 + 50 + 100 },
		{ 4.5, 10 + 23 + 32, 3, 10 + 50 + 100 },
		{ 5.0, 10 + 34, 2, 10 + 100 },		/* 101 ended at 4.5 */
		{ 5.5, 10, 1, 10 },			/* 102 ended at 5.0 */
		{ 6.5, 10, 1, 10 },
	};
	char log[128], out[128], path[256], *err, *dat, *svg;
	const char *args[] = { log, out, NULL };
	int status;

	snprintf(log, sizeof(log), "%s/tree.log", tmp);
	snprintf(out, sizeof(out), "%s/tree", tmp);
	write_tree_log(log, cmds, "compute");
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	snprintf(path, sizeof(path), "%s/tree_tree.dat", out);
	dat = read_all(path);
	CHECK(dat, "%s missing", path);
	for (size_t i = 0; dat && i < sizeof(want) / sizeof(want[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "RSS MiB at %g s", want[i].t_s);
		CHECK_NEAR(tree_value(dat, want[i].t_s, 1), want[i].rss_mib, 1e-6, what);
		snprintf(what, sizeof(what), "processes alive at %g s", want[i].t_s);
		CHECK_NEAR(tree_value(dat, want[i].t_s, 3), want[i].live, 0, what);
		snprintf(what, sizeof(what), "CPU %% at %g s", want[i].t_s);
		if (isnan(want[i].cpu_pct))
			CHECK(isnan(tree_value(dat, want[i].t_s, 2)), "%s: want NaN", what);
		else
			CHECK_NEAR(tree_value(dat, want[i].t_s, 2), want[i].cpu_pct, 1e-6, what);
	}
	/* Top by peak RSS: 102 (34), 101 (23), 100 (10); 102 not alive at 2.5. */
	CHECK(dat && strstr(dat, "# rss_top1_mib: pid 102\n# rss_top2_mib: pid 101\n"
			    "# rss_top3_mib: pid 100\n"), "top columns in:\n%s", dat ? dat : "");
	CHECK(isnan(tree_value(dat, 2.5, 5)) && tree_value(dat, 2.5, 6) == 21,
	      "per-process columns at 2.5 s");
	CHECK(dat && !strstr(dat, "\n5.5\t") == false, "row at 5.5 s missing");
	free(dat);
	for (int i = 0; i < 3; i++) {
		static const char *const files[] = { "tree_tree.plt", "tree_tree.labels.dat",
						     "tree_100.svg" };

		CHECK(exists(out, files[i]), "%s missing", files[i]);
	}
	CHECK(well_formed(out, "tree_tree.svg"), "tree SVG not well-formed");
	svg = svg_text(out, "tree_tree.svg");
	CHECK(svg && strstr(svg, ">sh work (pid 100) and 2 descendants, log from "
			    "2026-01-02 10:00:00: sh -c work<"), "title not in the tree SVG");
	/* Each process by name and pid, its whole command line on hover. */
	CHECK(svg && strstr(svg, ">sh work 100<") && strstr(svg, ">worker 101<") &&
	      strstr(svg, ">grand x 102<") && strstr(svg, ">101: compute<") &&
	      strstr(svg, "worker 101 (at ") && strstr(svg, " s): /usr/bin/worker --a"),
	      "process and label texts not in the tree SVG");
	CHECK(svg && strstr(svg, ">grand x 102<") && strstr(svg, ">processes alive<"),
	      "key not in the tree SVG");
	free(svg);
	CHECK(no_children(), "a child was left behind");
}

static void test_single_process_log_has_no_tree_plot(void)
{
	char log[128], out[128], *err;
	const char *args[] = { log, out, NULL };
	FILE *f;
	int status;

	snprintf(log, sizeof(log), "%s/single.log", tmp);
	snprintf(out, sizeof(out), "%s/single", tmp);
	f = fopen(log, "w");
	for (int k = 0; k < 5; k++)
		tree_line(f, "2026-01-02 10:00:00.000000", k, 300, 1, 5 + k, 0.1 * k,
			  k ? NULL : "solo", NULL, NULL);
	fclose(f);
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	CHECK(exists(out, "single_300.svg"), "per-pid SVG missing");
	CHECK(!exists(out, "single_tree.dat") && !exists(out, "single_tree.plt") &&
	      !exists(out, "single_tree.svg"), "tree files for a single process");
	/* Two processes that are not parent and child: no tree either. */
	f = fopen(log, "a");
	for (int k = 0; k < 5; k++)
		tree_line(f, "2026-01-02 10:00:00.000000", k, 301, 2, 5 + k, 0.1 * k,
			  k ? NULL : "other", NULL, NULL);
	fclose(f);
	snprintf(out, sizeof(out), "%s/unrelated", tmp);
	status = run_plot(args, &err);
	free(err);
	CHECK(status == 0 && exists(out, "single_301.svg") && !exists(out, "single_tree.svg"),
	      "unrelated processes: exit %d, tree plotted %d", status,
	      exists(out, "single_tree.svg"));
}

static void test_hostile_tree_commands_run_nothing(void)
{
	static const char *const cmds[] = {
		"`touch /tmp/pmx1` sh", "system(\"touch /tmp/pmx2\") x", "\n!touch /tmp/pmx3",
	};
	char log[128], out[128], path[256], *err, *svg, *plt;
	const char *args[] = { log, out, "--png", NULL };
	int status;

	snprintf(log, sizeof(log), "%s/evtree.log", tmp);
	snprintf(out, sizeof(out), "%s/evtree", tmp);
	write_tree_log(log, cmds, "'.system('touch /tmp/pmx5').' \"; `touch /tmp/pmx4`");
	remove_markers();
	status = run_plot(args, &err);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	check_no_markers();
	CHECK(exists(out, "evtree_tree.png"), "tree PNG missing");
	CHECK(well_formed(out, "evtree_tree.svg"), "tree SVG with hostile text not well-formed");
	svg = svg_text(out, "evtree_tree.svg");
	CHECK(svg && strstr(svg, " (pid 100) and 2 descendants, log from 2026-01-02 10:00:00: "
			    "`touch /tmp/pmx1` sh<"), "hostile root command not in the title");
	/* Label texts are cut at 30 characters, as in the per-process charts; the
	 * whole texts and command lines are in the hover titles. */
	CHECK(svg && strstr(svg, ">!touch 102<") && strstr(svg, " s):  !touch /tmp/pmx3") &&
	      strstr(svg, " s): system(\"touch /tmp/pmx2\") x") &&
	      strstr(svg, ">101: '.system('touch /tmp/pmx5\xe2\x80\xa6<") &&
	      strstr(svg, ">101: '.system('touch /tmp/pmx5').' \"; `touch /tmp/pmx4` (at "),
	      "hostile commands and label not shown intact");
	free(svg);
	snprintf(path, sizeof(path), "%s/evtree_tree.plt", out);
	plt = read_all(path);
	CHECK(plt && !strstr(plt, "pmx") && !strstr(plt, "touch"),
	      "log text in the tree script");
	free(plt);
}

/* 200 children of one root, 60 samples each, all alive at once for a while. */
static void test_tree_of_200_processes_plots(void)
{
	char log[128], out[128], ts[40], *err;
	const char *args[] = { log, out, NULL };
	struct timespec t0, t1;
	FILE *f;
	int status;

	snprintf(log, sizeof(log), "%s/big.log", tmp);
	snprintf(out, sizeof(out), "%s/big", tmp);
	f = fopen(log, "w");
	for (int k = 0; k < 100; k++) {
		snprintf(ts, sizeof(ts), "2026-01-02 10:00:%02d.%06d", k / 10, k % 10 * 100000);
		tree_line(f, ts, 0.1 * k, 1000, 1, 2, 0.01 * k, k ? NULL : "make -j", NULL, NULL);
	}
	for (int c = 0; c < 200; c++) {
		for (int k = 0; k < 60; k++) {
			double t = 0.01 * c + 0.1 * k;

			snprintf(ts, sizeof(ts), "2026-01-02 10:00:%02d.%06d", (int)t,
				 (int)((t - (int)t) * 1e6 + 0.5));
			tree_line(f, ts, 0.1 * k, 1001 + c, 1000, 1 + c % 10, 0.05 * k,
				  k ? NULL : "cc -c file.c", NULL, NULL);
		}
	}
	fclose(f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	status = run_plot(args, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("  201 processes, 201 charts and the tree chart in %.2f s\n", took);
	/* Speed is the benchmark's to judge; this only catches a hang. */
	CHECK(took < 120, "took %.1f s, want < 120", took);
	CHECK(well_formed(out, "big_tree.svg"), "tree SVG of 201 processes not well-formed");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	int status;

	/* cmd_plot runs in this process: under `sudo make check` it would drop to the
	 * invoking user for good. As root, plot as root; test_sudo_* sets these. */
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	make_tmp();
	RUN(test_handmade_log_gives_files_wellformed_svg_and_labels);
	RUN(test_totaldepth_and_nopid_logs_plot);
	RUN(test_hostile_labels_run_nothing_and_show_intact);
	RUN(test_output_dir_with_spaces_quotes_and_shell_syntax);
	RUN(test_output_dir_with_newline_is_refused);
	RUN(test_failing_gnuplot_keeps_files_and_fails);
	RUN(test_hanging_gnuplot_is_killed_after_the_timeout);
	RUN(test_missing_gnuplot_says_how_to_install);
	RUN(test_bad_input_and_usage_exit_codes);
	RUN(test_sudo_user_owns_the_plot);
	RUN(test_tree_log_sums_processes_alive_on_one_time_axis);
	RUN(test_single_process_log_has_no_tree_plot);
	RUN(test_hostile_tree_commands_run_nothing);
	RUN(test_tree_of_200_processes_plots);
	status = check_summary();
	if (!status)
		nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return status;
}
