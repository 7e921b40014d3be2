// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot` run as build/procmon where it must hold: under sudo it reads and
 * writes as the user, nothing raw on the terminal, bounded input, full disks. */
#include <pwd.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "check.h"
#include "itest.h"
#include "utf8.h"

#define TIMEOUT_S 60.0
#define USER_NAME "procmon-plot-t"
#define GROUP_NAME "procmon-plot-g"

/* Plot's own commands run as root, whoever ran the tests (even `sudo make check`). */
static char dir[64];		/* this run's directory, 0755 */
static uid_t user_uid;		/* USER_NAME, in GROUP_NAME besides its own group */
static gid_t user_gid, group_gid;

/* dir/name in one of four rotating buffers. */
static const char *at(const char *name)
{
	static char paths[4][PATH_MAX];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* Runs `procmon plot ARGS...` (NULL-terminated) with @env_set (or none), as root
 * without sudo's variables when @env_set is NULL. Returns the exit code. */
static int plot(struct it_proc *p, const char *const *env_set, const char *const *args)
{
	const char *argv[16] = { it_procmon(), "plot" };
	struct it_spawn how = { .env_set = env_set, .env_unset = it_sudo_vars };
	int n = 2;

	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	it_run(p, argv, &how, TIMEOUT_S);
	return it_exit_code(p->status);
}

/* One sample line of pid 4242 at @t_s, with @rss bytes. */
static void sample_line(FILE *f, double t_s, double rss)
{
	fprintf(f, "{\"elapsed_time\": %.3f, \"pid\": 4242, \"comm\": \"w\", \"memory_info\": "
		"{\"rss\": %.0f, \"vms\": %.0f, \"pfaults\": %d}, \"cpu_times\": "
		"{\"user\": %.3f, \"system\": 0}}\n", t_s, rss, rss * 2, (int)(t_s * 100),
		t_s / 2);
}

/* A log of @n samples of pid 4242, 0.1 s apart. */
static void write_log(const char *path, int n)
{
	FILE *f = fopen(path, "w");

	for (int i = 0; f && i < n; i++)
		sample_line(f, 0.1 * i, 1048576.0 * (10 + i % 7));
	if (f)
		fclose(f);
	chmod(path, 0644);
}

static bool file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Names in @path (a directory), "." and ".." aside; -1 if it cannot be read. */
static int entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* useradd/groupadd once: a user with a supplementary group, as under sudo. */
static bool make_user(void)
{
	const char *groupadd[] = { "groupadd", "-f", GROUP_NAME, NULL };
	const char *useradd[] = { "useradd", "-M", "-N", "-g", "nogroup", "-G", GROUP_NAME,
				  "-s", "/usr/sbin/nologin", USER_NAME, NULL };
	struct passwd *pw = getpwnam(USER_NAME);
	struct group *gr;
	struct it_proc p;

	if (!pw) {
		it_run(&p, groupadd, NULL, 20);
		it_proc_free(&p);
		it_run(&p, useradd, NULL, 20);
		it_proc_free(&p);
		pw = getpwnam(USER_NAME);
	}
	gr = getgrnam(GROUP_NAME);
	if (!pw || !gr)
		return false;
	user_uid = pw->pw_uid;
	user_gid = pw->pw_gid;
	group_gid = gr->gr_gid;
	return true;
}

/* SUDO_UID/SUDO_GID of the test user. */
static const char *const *sudo_env(void)
{
	static char uid[32], gid[32];
	static const char *env[] = { uid, gid, "SUDO_USER=" USER_NAME, NULL };

	snprintf(uid, sizeof(uid), "SUDO_UID=%u", (unsigned)user_uid);
	snprintf(gid, sizeof(gid), "SUDO_GID=%u", (unsigned)user_gid);
	return env;
}

/* A directory owned by the test user: where it may write. */
static const char *user_dir(const char *name)
{
	const char *path = at(name);

	mkdir(path, 0755);
	if (chown(path, user_uid, user_gid))
		CHECK(0, "chown %s: %s", path, strerror(errno));
	return path;
}

static bool only_procmon_lines(const char *text)
{
	for (const char *l = text; *l; l = strchr(l, '\n') + 1) {
		if (strncmp(l, "procmon: ", 9) || !strchr(l, '\n'))
			return false;
	}
	return true;
}

static void test_sudo_plot_reads_only_what_the_user_may(void)
{
	const char *out = user_dir("readout"), *secret = at("root-only.log"),
		   *shared = at("group.log");
	const char *args_secret[] = { secret, out, NULL }, *args_shared[] = { shared, out, NULL };
	char svg[PATH_MAX];
	struct it_proc p;
	struct stat st;
	int code;

	write_log(secret, 20);
	chmod(secret, 0600);
	write_log(shared, 20);
	REQUIRE(chown(shared, 0, group_gid) == 0, "chown: %s", strerror(errno));
	chmod(shared, 0640);

	code = plot(&p, sudo_env(), args_secret);
	CHECK(code == 125, "a root-only log was plotted under sudo: exit %d", code);
	CHECK(strstr(p.err, "Permission denied") && only_procmon_lines(p.err), "stderr: %s",
	      p.err);
	CHECK(entries(out) == 0, "%d files written from a root-only log", entries(out));
	it_proc_free(&p);

	/* The user's supplementary group (getgrouplist) opens it. */
	code = plot(&p, sudo_env(), args_shared);
	CHECK(code == 0, "a log of the user's group: exit %d: %s", code, p.err);
	it_proc_free(&p);
	snprintf(svg, sizeof(svg), "%s/group_4242.svg", out);
	CHECK(stat(svg, &st) == 0 && st.st_uid == user_uid && st.st_gid == user_gid,
	      "SVG owner %u:%u, want %u:%u", st.st_uid, st.st_gid, user_uid, user_gid);
}

static void test_sudo_plot_writes_only_where_the_user_may(void)
{
	const char *log = at("x.log"), *etc = at("etc"), *victim = at("etc/x_4242.dat"),
		   *deep = at("etc/systemd/system/cron.service.d");
	const char *args_etc[] = { log, etc, NULL }, *args_deep[] = { log, deep, NULL };
	char *text;
	struct it_proc p;
	struct stat st;
	FILE *f;
	int code;

	write_log(log, 20);
	mkdir(etc, 0755);
	f = fopen(victim, "w");
	REQUIRE(f, "cannot create %s", victim);
	fputs("root's\n", f);
	fclose(f);

	code = plot(&p, sudo_env(), args_etc);
	CHECK(code == 125, "wrote into a root directory under sudo: exit %d", code);
	CHECK(strstr(p.err, "Permission denied") && only_procmon_lines(p.err), "stderr: %s",
	      p.err);
	it_proc_free(&p);
	text = it_read_file(victim);
	CHECK(text && !strcmp(text, "root's\n"), "root's file now holds: %.60s", text);
	free(text);
	CHECK(stat(victim, &st) == 0 && st.st_uid == 0, "root's file now belongs to %u",
	      st.st_uid);
	CHECK(entries(etc) == 1, "%d entries in the root directory, want 1", entries(etc));

	code = plot(&p, sudo_env(), args_deep);
	CHECK(code == 125, "exit %d", code);
	CHECK(strstr(p.err, "cannot create output directory") &&
	      strstr(p.err, "Permission denied"), "stderr: %s", p.err);
	it_proc_free(&p);
	CHECK(!file_exists(at("etc/systemd")), "a directory was made in a root directory");
}

static void test_sudo_plot_refuses_ids_it_cannot_take(void)
{
	const char *env[] = { "SUDO_UID=12ab", "SUDO_GID=0", NULL };
	const char *log = at("refuse.log"), *out = at("refused");
	const char *args[] = { log, out, NULL };
	struct it_proc p;
	int code;

	write_log(log, 20);
	code = plot(&p, env, args);
	CHECK(code == 125, "exit %d", code);
	CHECK(strstr(p.err, "procmon: plot: cannot give up root") && only_procmon_lines(p.err) &&
	      it_count_lines(p.err) == 1, "stderr: %s", p.err);
	it_proc_free(&p);
	CHECK(!file_exists(out), "ran as root with a SUDO_UID it could not take");
}

/* A file-capability install (CAP_DAC_READ_SEARCH, as make install-caps gives)
 * does not let plot read a file its user cannot. */
static void test_file_capabilities_do_not_reach_plot(void)
{
	const char *bin = at("capbin"), *copy = at("capbin/procmon"), *secret = at("cap.log");
	const char *out = user_dir("capout");
	const char *cp[] = { "cp", it_procmon(), copy, NULL };
	const char *setcap[] = { "setcap", "cap_dac_read_search+ep", copy, NULL };
	const char *argv[] = { copy, "plot", secret, out, NULL };
	struct it_spawn how = { .env_unset = it_sudo_vars, .as_user = true, .uid = user_uid,
				.gid = user_gid };
	struct it_proc p;
	int code;

	write_log(secret, 20);
	chmod(secret, 0600);
	mkdir(bin, 0755);
	it_run(&p, cp, NULL, 20);
	it_proc_free(&p);
	it_run(&p, setcap, NULL, 20);
	code = it_exit_code(p.status);
	REQUIRE(code == 0, "setcap: exit %d: %s", code, p.err);
	it_proc_free(&p);

	it_run(&p, argv, &how, TIMEOUT_S);
	code = it_exit_code(p.status);
	CHECK(code == 125, "read a root-only log with a file capability: exit %d", code);
	CHECK(strstr(p.err, "Permission denied"), "stderr: %s", p.err);
	CHECK(entries(out) == 0, "%d files written", entries(out));
	it_proc_free(&p);
}

/* No C0 control but the newline ending a line, no DEL, no C1, valid UTF-8. */
static bool terminal_safe(const char *text, char *why, size_t size)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (!n || (cp < 0x20 && cp != '\n') || (cp >= 0x7F && cp <= 0x9F)) {
			snprintf(why, size, "byte %#x at %zu", s[i], i);
			return false;
		}
		i += n;
	}
	return true;
}

#define CHECK_SAFE(text, what)							\
	do {									\
		char why_[64];							\
		CHECK(terminal_safe((text), why_, sizeof(why_)), "%s: raw %s in: %s", \
		      (what), why_, (text));					\
	} while (0)

static void test_messages_show_no_raw_control_bytes(void)
{
	/* ESC [2J, a newline that would forge a line, invalid UTF-8 and a raw C1 CSI. */
	const char *hostile = "e\x1b[2J\nprocmon: fake\xff\x9b";
	char missing[PATH_MAX], log[PATH_MAX], out[PATH_MAX], garbage[PATH_MAX], odd[PATH_MAX];
	struct it_proc p;
	int code;
	FILE *f;

	snprintf(missing, sizeof(missing), "%s/%s.log", dir, hostile);
	snprintf(log, sizeof(log), "%s/%s.log", dir, hostile);
	snprintf(out, sizeof(out), "%s/out %s", dir, hostile);
	snprintf(garbage, sizeof(garbage), "%s/%sgarbage.log", dir, hostile);
	snprintf(odd, sizeof(odd), "%s/latin1 \xe9\x9b dir", dir);
	{
		const char *args[] = { missing, at("never"), NULL };

		code = plot(&p, NULL, args);
		CHECK(code == 125, "missing log: exit %d", code);
		CHECK(it_count_lines(p.err) == 1 && strstr(p.err, "No such file"), "stderr: %s",
		      p.err);
		CHECK_SAFE(p.err, "missing log");
		it_proc_free(&p);
	}
	write_log(log, 20);
	{
		const char *args[] = { log, out, NULL };

		code = plot(&p, NULL, args);
		CHECK(code == 125, "control characters in OUTDIR: exit %d", code);
		CHECK(it_count_lines(p.err) == 1 && strstr(p.err, "control character"),
		      "stderr: %s", p.err);
		CHECK_SAFE(p.err, "output directory");
		it_proc_free(&p);
	}
	{
		const char *args[] = { log, odd, NULL };

		/* Allowed, but shown escaped: the paths it prints and any message. */
		code = plot(&p, NULL, args);
		CHECK(code == 0, "invalid UTF-8 in OUTDIR: exit %d: %s", code, p.err);
		CHECK(strstr(p.out, "\\xe9\\x9b dir/e_[2J_procmon: fake\\xff\\x9b_4242.svg"),
		      "stdout: %s", p.out);
		CHECK_SAFE(p.out, "printed paths");
		CHECK_SAFE(p.err, "warnings");
		it_proc_free(&p);
	}
	f = fopen(garbage, "w");
	REQUIRE(f, "cannot create the log");
	fputs("not a record\n", f);
	fclose(f);
	{
		const char *args[] = { garbage, at("gout"), NULL };

		code = plot(&p, NULL, args);
		CHECK(code == 125, "no usable record: exit %d", code);
		CHECK(strstr(p.err, "no usable record") && strstr(p.err, "\\x1b[2J\\nprocmon"),
		      "stderr: %s", p.err);
		CHECK(only_procmon_lines(p.err), "a forged line: %s", p.err);
		CHECK_SAFE(p.err, "no usable record");
		it_proc_free(&p);
	}
}

static void test_devices_are_refused_quickly(void)
{
	const char *args[] = { "/dev/zero", at("zero"), NULL };
	struct it_proc p;
	int code;

	code = plot(&p, NULL, args);
	CHECK(code == 125, "exit %d", code);
	CHECK(p.secs < 5, "took %.1f s", p.secs);
	CHECK(!strcmp(p.err, "procmon: cannot plot '/dev/zero': not a regular file or a pipe\n"),
	      "stderr: %s", p.err);
	CHECK(!file_exists(at("zero")), "made the output directory anyway");
	it_proc_free(&p);
}

/* 160 MiB without a newline through a FIFO, then a log: read in bounded memory. */
static void test_pipe_of_zeros_is_read_in_bounded_memory(void)
{
	const char *fifo = at("zeros.fifo"), *out = at("zout");
	const char *argv[] = { it_procmon(), "plot", fifo, out, NULL };
	struct it_spawn how = { .env_unset = it_sudo_vars };
	struct rusage ru = { 0 };
	struct it_proc p;
	pid_t writer;
	int code;

	REQUIRE(mkfifo(fifo, 0600) == 0, "mkfifo: %s", strerror(errno));
	REQUIRE(it_start(&p, argv, &how) == 0, "cannot start procmon");
	writer = fork();
	if (writer == 0) {
		static char zeros[1 << 20];
		FILE *f = fopen(fifo, "w");

		for (int i = 0; f && i < 160; i++)
			fwrite(zeros, 1, sizeof(zeros), f);
		if (f) {
			fputc('\n', f);
			for (int i = 0; i < 20; i++)
				sample_line(f, 0.1 * i, 1048576.0 * 10);
			fclose(f);
		}
		_exit(f ? 0 : 1);
	}
	it_finish_watched(&p, TIMEOUT_S, true, NULL, &ru);
	kill(writer, SIGKILL);	/* blocked on the FIFO if procmon never read it */
	waitpid(writer, NULL, 0);
	code = it_exit_code(p.status);
	CHECK(code == 0, "exit %d: %s", code, p.err);
	CHECK(strstr(p.err, "skipped 1 bad lines (first at line 1; 1 longer than 16 MiB)"),
	      "stderr: %s", p.err);
	printf("  160 MiB line through a pipe: procmon plot's peak RSS %ld MiB\n",
	       ru.ru_maxrss / 1024);
	/* 16 MiB of line at most, plus the program (an ASan build: more). */
	CHECK(ru.ru_maxrss < 120 * 1024, "peak RSS %ld KiB", ru.ru_maxrss);
	it_proc_free(&p);
}

static void test_long_line_is_skipped_and_counted(void)
{
	const char *log = at("longline.log"), *out = at("lout");
	const char *args[] = { log, out, "--pid", "4242", NULL };
	struct it_proc p;
	char path[PATH_MAX];
	FILE *f = fopen(log, "w");
	int code;

	REQUIRE(f, "cannot create the log");
	for (int i = 0; i < 10; i++)
		sample_line(f, 0.1 * i, 1048576.0 * 10);
	/* A well-formed label of 20 MiB: only its length makes it bad. */
	fputs("{\"elapsed_time\": 1.05, \"pid\": 4242, \"label\": \"", f);
	for (int i = 0; i < 20 << 20; i++)
		fputc('a', f);
	fputs("\"}\n", f);
	for (int i = 11; i < 20; i++)
		sample_line(f, 0.1 * i, 1048576.0 * 10);
	fclose(f);
	code = plot(&p, NULL, args);
	CHECK(code == 0, "exit %d: %s", code, p.err);
	CHECK(strstr(p.err, "skipped 1 bad lines (first at line 11; 1 longer than 16 MiB)"),
	      "stderr: %s", p.err);
	it_proc_free(&p);
	snprintf(path, sizeof(path), "%s/longline_4242.svg", out);
	CHECK(file_exists(path), "no SVG of the good lines");
}

/* A tmpfs of @size bytes at @path, filled but for @free_bytes when not 0. */
static bool small_disk(const char *path, const char *size, long free_bytes)
{
	struct statvfs vfs;
	char fill[PATH_MAX];
	FILE *f;

	mkdir(path, 0755);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, size))
		return false;
	if (!free_bytes)
		return true;
	snprintf(fill, sizeof(fill), "%s/fill", path);
	f = fopen(fill, "w");
	if (!f || statvfs(path, &vfs)) {
		if (f)
			fclose(f);
		return false;
	}
	for (long n = (long)(vfs.f_bavail * vfs.f_frsize) - free_bytes; n > 0; n--)
		fputc('x', f);
	return fclose(f) == 0;
}

static void test_full_disk_fails_and_leaves_no_cut_file(void)
{
	const char *big = at("big.log"), *small = at("small.log"), *disk = at("disk"),
		   *disk2 = at("disk2");
	const char *args_big[] = { big, disk, NULL }, *args_small[] = { small, disk2, NULL };
	char path[PATH_MAX];
	struct it_proc p;
	int code;

	if (geteuid() != 0)
		SKIP("needs root to mount a small tmpfs");
	write_log(big, 4000);
	REQUIRE(small_disk(disk, "size=64k,mode=0755", 0), "cannot mount a tmpfs: %s",
		strerror(errno));
	/* Its .dat (some 600 KB) does not fit. */
	code = plot(&p, NULL, args_big);
	CHECK(code == 125, "exit %d on a full disk", code);
	CHECK(it_count_lines(p.err) == 1 && strstr(p.err, "/disk/big_4242.dat") &&
	      strstr(p.err, "No space left on device"), "stderr: %s", p.err);
	CHECK(entries(disk) == 0, "%d files left on the full disk", entries(disk));
	it_proc_free(&p);
	umount2(disk, MNT_DETACH);

	/* The inputs fit; gnuplot's SVG does not, and gnuplot exits 0 all the same. */
	write_log(small, 30);
	REQUIRE(small_disk(disk2, "size=1m,mode=0755", 24 << 10), "cannot mount a tmpfs: %s",
		strerror(errno));
	code = plot(&p, NULL, args_small);
	CHECK(code == 125, "exit %d with a cut SVG", code);
	CHECK(it_count_lines(p.err) == 1 && strstr(p.err, "/disk2/small_4242.svg") &&
	      strstr(p.err, "No space left on device"), "stderr: %s", p.err);
	CHECK(!strstr(p.out, ".svg"), "a cut SVG printed as made: %s", p.out);
	it_proc_free(&p);
	snprintf(path, sizeof(path), "%s/small_4242.svg", disk2);
	CHECK(!file_exists(path), "the cut SVG is left");
	snprintf(path, sizeof(path), "%s/small_4242.dat", disk2);
	CHECK(file_exists(path), "the .dat (said kept) is gone");
	umount2(disk2, MNT_DETACH);
}

static void test_existing_file_as_outdir_is_not_a_directory(void)
{
	const char *log = at("nd.log"), *file = at("afile");
	const char *args[] = { log, file, NULL };
	struct it_proc p;
	FILE *f;
	int code;

	write_log(log, 10);
	f = fopen(file, "w");
	REQUIRE(f, "cannot create %s", file);
	fclose(f);
	code = plot(&p, NULL, args);
	CHECK(code == 125, "exit %d", code);
	CHECK(strstr(p.err, "not a directory") && !strstr(p.err, "File exists") &&
	      it_count_lines(p.err) == 1, "stderr: %s", p.err);
	it_proc_free(&p);
}

/* A 240-character log name: every output name fits NAME_MAX, one per log. */
static void test_long_log_name_fits_a_file_name(void)
{
	char name[2][260], log[2][PATH_MAX], svg[PATH_MAX] = "";
	const char *out = at("longname");
	struct it_proc p;
	DIR *d;
	struct dirent *e;
	int code, svgs = 0;

	for (int k = 0; k < 2; k++) {
		const char *args[] = { log[k], out, NULL };

		memset(name[k], 'n', 240);
		name[k][239] = (char)('a' + k);	/* the same but for its last character */
		snprintf(name[k] + 240, 20, ".log");
		snprintf(log[k], sizeof(log[k]), "%s/%s", dir, name[k]);
		write_log(log[k], 10);
		code = plot(&p, NULL, args);
		CHECK(code == 0, "exit %d: %s", code, p.err);
		it_proc_free(&p);
	}
	d = opendir(out);
	REQUIRE(d, "no output directory");
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		CHECK(len <= NAME_MAX, "name of %zu bytes", len);
		if (len > 4 && !strcmp(e->d_name + len - 4, ".svg")) {
			svgs++;
			CHECK(!strncmp(e->d_name, name[0], 200), "name: %s", e->d_name);
			snprintf(svg, sizeof(svg), "%s/%s", out, e->d_name);
		}
	}
	closedir(d);
	CHECK(svgs == 2, "%d SVGs for two logs", svgs);
	/* The same name every time: a second run replaces, never adds. */
	{
		const char *args[] = { log[0], out, NULL };

		plot(&p, NULL, args);
		it_proc_free(&p);
		CHECK(entries(out) > 0 && file_exists(svg), "SVG gone");
		CHECK(strstr(svg, "~") && strstr(svg, "_4242.svg"), "name: %s", svg);
	}
}

/* Values no machine has are bad lines, counted, never plotted. */
static void test_absurd_values_are_bad_lines(void)
{
	static const char *const absurd[] = {
		"{\"elapsed_time\": 1e308, \"pid\": 4242, \"memory_info\": {\"rss\": 1}}",
		"{\"elapsed_time\": -1, \"pid\": 4242, \"memory_info\": {\"rss\": 1}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"memory_info\": {\"rss\": 1e30}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"memory_info\": {\"rss\": -4096}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"memory_info\": {\"vms\": 1125899906842625}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"memory_info\": {\"pfaults\": -1}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"cpu_times\": {\"user\": 1e300}}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"num_threads\": 1e12}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"label\": \"x\", \"label_elapsed_time\": 1e300}",
		"{\"elapsed_time\": 0.55, \"pid\": 4242, \"label\": \"x\", \"at_label\": {\"rss\": 1e30}}",
	};
	const char *log = at("absurd.log"), *out = at("aout");
	const char *args[] = { log, out, NULL };
	char want[80], dat[PATH_MAX], *text;
	struct it_proc p;
	FILE *f = fopen(log, "w");
	int code;

	REQUIRE(f, "cannot create the log");
	for (int i = 0; i < 10; i++)
		sample_line(f, 0.1 * i, 1048576.0 * 10);
	for (size_t i = 0; i < sizeof(absurd) / sizeof(absurd[0]); i++)
		fprintf(f, "%s\n", absurd[i]);
	fclose(f);
	code = plot(&p, NULL, args);
	CHECK(code == 0, "exit %d: %s", code, p.err);
	snprintf(want, sizeof(want), "skipped %zu bad lines (first at line 11)",
		 sizeof(absurd) / sizeof(absurd[0]));
	CHECK(strstr(p.err, want), "want '%s', stderr: %s", want, p.err);
	it_proc_free(&p);
	snprintf(dat, sizeof(dat), "%s/absurd_4242.dat", out);
	text = it_read_file(dat);
	CHECK(text && !strstr(text, "e+30") && !strstr(text, "e+308") && !strstr(text, "\t-"),
	      "an absurd value reached the chart: %.300s", text);
	free(text);
}

static void test_exit_codes_and_help(void)
{
	static const struct {
		const char *args[4];
		int code;
		const char *out, *err;
	} cases[] = {
		{ { "-h" }, 0, "Usage: procmon plot", "" },
		{ { "--help" }, 0, "Usage: procmon plot", "" },
		{ { "-?" }, 0, "Usage: procmon plot", "" },
		{ { "--usage" }, 0, "Usage: procmon plot", "" },
		{ { NULL }, 125, "", "expected LOG... OUTDIR" },
		{ { "a" }, 125, "", "expected LOG... OUTDIR" },
		{ { "--bogus", "a", "b" }, 125, "", "unrecognized option" },
		/* Several logs: each is read, none is there. */
		{ { "a", "b", "c" }, 125, "", "cannot open log 'b'" },
		{ { "/nonexistent/x.log", "/tmp/never" }, 125, "", "No such file or directory" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct it_proc p;
		int code = plot(&p, NULL, cases[i].args);

		CHECK(code == cases[i].code, "plot %s: exit %d, want %d", cases[i].args[0],
		      code, cases[i].code);
		CHECK(strstr(p.out, cases[i].out) && strstr(p.err, cases[i].err),
		      "plot %s: stdout %.80s, stderr %s", cases[i].args[0], p.out, p.err);
		it_proc_free(&p);
	}
}

int main(void)
{
	int status;

	if (!it_tmpdir(dir, sizeof(dir))) {
		perror("mkdtemp");
		return 1;
	}
	chmod(dir, 0755);
	if (geteuid() != 0)
		check_skip_all("needs root: sudo, other users, file capabilities, mounts");
	else if (!make_user())
		check_skip_all("cannot create the test user " USER_NAME);
	RUN(test_sudo_plot_reads_only_what_the_user_may);
	RUN(test_sudo_plot_writes_only_where_the_user_may);
	RUN(test_sudo_plot_refuses_ids_it_cannot_take);
	RUN(test_file_capabilities_do_not_reach_plot);
	RUN(test_messages_show_no_raw_control_bytes);
	RUN(test_devices_are_refused_quickly);
	RUN(test_pipe_of_zeros_is_read_in_bounded_memory);
	RUN(test_long_line_is_skipped_and_counted);
	RUN(test_full_disk_fails_and_leaves_no_cut_file);
	RUN(test_existing_file_as_outdir_is_not_a_directory);
	RUN(test_long_log_name_fits_a_file_name);
	RUN(test_absurd_values_are_bad_lines);
	RUN(test_exit_codes_and_help);
	status = check_summary();
	/* A test stopped by a failed REQUIRE may have left its disks mounted. */
	umount2(at("disk"), MNT_DETACH);
	umount2(at("disk2"), MNT_DETACH);
	it_rmdir(dir);
	return status;
}
