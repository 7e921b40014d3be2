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
	CHECK(svg && strstr(svg, "./workload --phase all (pid 4242)"), "title not in SVG");
	free(svg);
	/* Row of t=1.5 s: RSS 20 MiB, peak 22, VMS 110, user 50 %, system 10 %,
	 * on-CPU 70 %, 2000 faults/s, 10 major/s, run-queue 5 %; no off-CPU keys. */
	snprintf(out + strlen(out), sizeof(out) - strlen(out), "/procmon_4242.dat");
	dat = read_all(out);
	CHECK(dat && strstr(dat, "\n1.5\t20\t22\t110\t50\t10\t70\t2000\t10\t5\t4\t1\t2\tNaN\tNaN\tNaN\n"),
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
	CHECK(svg && strstr(svg, "`touch /tmp/pmx9` $(touch /tmp/pmx9) ' (pid 77)"),
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
	CHECK(status == 1, "exit %d", status);
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
	CHECK(status == 1, "exit %d", status);
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
	CHECK(status == 1, "exit %d", status);
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
	CHECK(status == 1, "exit %d", status);
	CHECK(strstr(err, "procmon: cannot run gnuplot: not found on PATH; install it with: "
			  "apt-get install gnuplot-nox"), "message: %s", err);
	/* Said once, not once per process. */
	CHECK(strstr(err, "not found") == strstr(err, "not found") &&
	      !strstr(strstr(err, "not found") + 1, "not found"), "said twice: %s", err);
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

		CHECK(run_plot(args, &err) == 2, "no arguments");
		free(err);
	}
	{
		const char *args[] = { "a", "b", "c", NULL };

		CHECK(run_plot(args, &err) == 2, "three arguments");
		free(err);
	}
	{
		const char *args[] = { DATA "procmon.log", out, "--pid", "12x", NULL };

		CHECK(run_plot(args, &err) == 2, "bad pid");
		free(err);
	}
	{
		const char *args[] = { "--help", NULL };

		CHECK(run_plot(args, &err) == 0, "--help");
		free(err);
	}
	{
		const char *args[] = { "/nonexistent/run.log", out, NULL };

		CHECK(run_plot(args, &err) == 1, "missing log");
		CHECK(strstr(err, "procmon: plot: cannot open log '/nonexistent/run.log': "
				  "No such file or directory"), "message: %s", err);
		free(err);
	}
	{
		const char *args[] = { empty, out, NULL };

		CHECK(run_plot(args, &err) == 1, "no usable record");
		CHECK(strstr(err, "skipped 2 bad lines (first at line 1)") &&
		      strstr(err, "no usable record"), "message: %s", err);
		free(err);
	}
	{
		const char *args[] = { DATA "procmon.log", out, "--pid", "999", NULL };

		CHECK(run_plot(args, &err) == 1, "unknown pid");
		CHECK(strstr(err, "pid 999 has no samples") && strstr(err, " 4242 4243"),
		      "message: %s", err);
		free(err);
	}
}

/* As root under sudo, gnuplot runs as the invoking user and the files are theirs. */
static void test_sudo_user_owns_the_plot(void)
{
	char out[128], path[192], *err;
	const char *args[] = { DATA "procmon.log", out, "--pid", "4242", NULL };
	struct stat st;
	int status;

	if (geteuid() != 0)
		SKIP("needs root to test dropping to SUDO_UID");
	snprintf(out, sizeof(out), "%s/sudo/deeper", tmp);
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	status = run_plot(args, &err);
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	CHECK(status == 0, "exit %d, stderr: %s", status, err);
	free(err);
	snprintf(path, sizeof(path), "%s/procmon_4242.svg", out);
	CHECK(stat(path, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534,
	      "SVG owner %u:%u", st.st_uid, st.st_gid);
	snprintf(path, sizeof(path), "%s/procmon_4242.dat", out);
	CHECK(stat(path, &st) == 0 && st.st_uid == 65534, ".dat owner %u", st.st_uid);
	CHECK(stat(out, &st) == 0 && st.st_uid == 65534, "created dir owner %u", st.st_uid);
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
	status = check_summary();
	if (!status)
		nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return status;
}
