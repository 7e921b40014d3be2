// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of procmon against hostile input: every command-line value
 * fuzzed from a table, and labels holding every byte, injections and overlong text
 * traced for real and plotted: intact in the log and the SVG, and inert. */
#include "check.h"
#include "reltest.h"

#define TIMEOUT_S 20.0

/* ------------------------------------------------------ command-line values */

/* Values hostile to any option; options add their own. Each must either be
 * refused (125 and one `procmon: ` line) or work. */
static const char *const hostile_common[] = {
	"", " ", " 1", "1 ", "\t1", "-1", "0", "-0", "+1", "nan", "NaN", "inf", "-inf",
	"infinity", "0x10", "0x1p3", "1e999", "1e-999", "1e308", "2147483648", "4294967296",
	"18446744073709551616", "99999999999999999999999999999999", "1,5", "1.5.5",
	"\xd9\xa3",			/* ARABIC-INDIC DIGIT THREE */
	"\xef\xbc\x91",			/* FULLWIDTH DIGIT ONE */
	"1\n", "\n", "1\n2", "x\nprocmon: a forged second line", "\r1", "1\x1b[2J",
	"%s%s%s%n%n", "`touch @M@/m1`", "$(touch @M@/m2)", "\xff\xfe\xc0\x80", "-", "--",
	"-h", "--help", "1 2",
};

struct opt_case {
	const char *opt;
	const char *const *extra;	/* values for this option only, NULL-terminated */
	bool attach;			/* -p: no command, and a duration so a live PID ends */
};

static const char *const extra_seconds[] = { "0.5", "1e-9", "0.000000001", "31536000",
					      "31536001", ".5", "5.", "1e0", NULL };
static const char *const extra_pids[] = { "1,", ",1", "1,,2", "0001x", "4194305",
					   "2147483647", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
					   "18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,"
					   "36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,"
					   "54,55,56,57,58,59,60,61,62,63,64,65", NULL };
static const char *const extra_paths[] = { "/dev/full", "/dev/null", "/", ".", "/nonexistent/x",
					    "dir/", "\xe6\x97\xa5\xe6\x9c\xac.log", "a b.log",
					    "a\nb.log", "'q'.log", NULL };
static const char *const extra_users[] = { "root", "nobody", "0", "65534", "no such user",
					    "root\n", "a:b", "../../etc", "-u", NULL };
static const char *const extra_buffers[] = { "4096", "4K", "4k", "1M", "4097", "4095",
					      "2048M", "1G", "1T", "0K", "4KK", "K", NULL };
static const char *const extra_formats[] = { "jsonl", "totaldepth", "JSONL", "jsonl ",
					      "json", "totaldepth\n", NULL };
static const char *const extra_marks[] = { "main", "procmon_label", "sym@plt", "a.b", "1",
					    NULL };

static const struct opt_case opt_cases[] = {
	{ "-i", extra_seconds, false },
	{ "-d", extra_seconds, false },
	{ "-p", extra_pids, true },
	{ "-o", extra_paths, false },
	{ "-u", extra_users, false },
	{ "--buffer", extra_buffers, false },
	{ "--format", extra_formats, false },
	{ "--mark", extra_marks, false },
};

/* @s with control bytes and non-ASCII as \xNN, cut to fit @size (for messages). */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	for (; *s && o + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (*s)
		o += (size_t)snprintf(buf + o, size - o, "...");
	buf[o] = '\0';
	return buf;
}

/* @value with every "@M@" replaced by @dir (markers of injected commands). */
static char *expand(const char *value, const char *dir)
{
	size_t cap = strlen(value) + 8 * strlen(dir) + 1, o = 0;
	char *out = malloc(cap);

	for (const char *p = value; *p;) {
		if (!strncmp(p, "@M@", 3)) {
			o += (size_t)snprintf(out + o, cap - o, "%s", dir);
			p += 3;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

struct fuzz_tally {
	int runs, refused, worked, bad;
};

/* procmon OPT VALUE ... once: refused with 125 and exactly one `procmon: ` line, or
 * worked (exit 0, any stderr line a `procmon: ` one). */
static void fuzz_one(const struct opt_case *c, const char *raw, const char *dir,
		     struct fuzz_tally *tally)
{
	char log_path[128], shown_v[160], shown_e[240];
	const char *argv[16];
	struct rel_run r;
	char *value = expand(raw, dir);
	int i = 0, code, lines;
	bool refused, worked;

	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	argv[i++] = it_procmon();
	argv[i++] = "-q";
	if (strcmp(c->opt, "-o")) {
		argv[i++] = "-o";
		argv[i++] = log_path;
	}
	argv[i++] = c->opt;
	argv[i++] = value;
	if (c->attach) {
		argv[i++] = "-d";
		argv[i++] = "0.2";
	} else {
		argv[i++] = "--";
		argv[i++] = "true";
	}
	argv[i] = NULL;
	rel_start(&r, argv, &(struct it_spawn){ .cwd = dir }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	code = it_exit_code(r.p.status);
	lines = it_count_lines(r.p.err);
	refused = code == 125 && lines == 1 && !strncmp(r.p.err, "procmon: ", 9) &&
		  r.p.err[strlen(r.p.err) - 1] == '\n';
	worked = code == 0 && rel_all_lines_procmon(r.p.err);
	tally->runs++;
	tally->refused += refused;
	tally->worked += worked;
	if (!refused && !worked) {
		tally->bad++;
		CHECK(0, "%s '%s': exit %d, %d stderr lines: %s", c->opt,
		      shown(value, shown_v, sizeof(shown_v)), code, lines,
		      shown(r.p.err, shown_e, sizeof(shown_e)));
	}
	it_proc_free(&r.p);
	free(value);
}

static void test_every_cli_value_fuzzed_is_refused_in_one_line_or_works(void)
{
	char dir[64], huge[100001], longnum[5001], marker[128];

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	chmod(dir, 0777);	/* -u nobody: the command runs in it */
	memset(huge, 'A', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	memset(longnum, '9', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	for (size_t k = 0; k < sizeof(opt_cases) / sizeof(*opt_cases); k++) {
		const struct opt_case *c = &opt_cases[k];
		struct fuzz_tally t = { 0 };

		for (size_t i = 0; i < sizeof(hostile_common) / sizeof(*hostile_common); i++)
			fuzz_one(c, hostile_common[i], dir, &t);
		for (size_t i = 0; c->extra[i]; i++)
			fuzz_one(c, c->extra[i], dir, &t);
		fuzz_one(c, huge, dir, &t);
		fuzz_one(c, longnum, dir, &t);
		printf("  %-8s %3d values: %3d refused in one line, %3d worked, %d neither\n", c->opt,
		       t.runs, t.refused, t.worked, t.bad);
	}
	for (int m = 1; m <= 2; m++) {
		snprintf(marker, sizeof(marker), "%s/m%d", dir, m);
		CHECK(access(marker, F_OK) != 0, "%s exists: an injected command ran", marker);
	}
	it_rmdir(dir);
}

/* ------------------------------------------------------------- labels */

/* Labels that would run commands if anything passed them to a shell or gnuplot,
 * break the JSON or the SVG, or overflow the capture. @M@ is the marker dir. */
static const char *const hostile_labels[] = {
	"`touch @M@/m1`",
	"$(touch @M@/m2)",
	"system(\"touch @M@/m3\")",
	"\n!touch @M@/m4",
	"\"; system(\"touch @M@/m5\"); \"",
	"'.system('touch @M@/m6').'",
	"\nset output '@M@/m7'\nplot 1\n",
	"</text><script>alert(1)</script>",
	"]]><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
	"%s%s%n%n %x",
	"back\\slash \\n \\u0000 \\",
	"\"quoted\" {\"json\": 1}",
	"bad \xff\xfe bytes \xc0\x80 end",
};

/* procmon keeps 256 bytes of a label (README: label_truncated "a label cut at 256
 * bytes"; bpf/procmon.h PROCMON_LABEL_MAX). */
#define CAPTURE_MAX 256

/* Every byte 0x01-0xff once, in order: 255 bytes, one short of the capture limit. */
static void all_bytes(char *out)
{
	for (int i = 1; i <= 255; i++)
		out[i - 1] = (char)i;
	out[255] = '\0';
}

/* The label lines of @log in order into @out (at most @max); their count. */
static int label_lines(const struct it_log *log, json_object **out, int max)
{
	int n = 0;

	for (int i = 0; i < log->n && n < max; i++)
		if (it_get_str(log->obj[i], "label"))
			out[n++] = log->obj[i];
	return n;
}

/* UTF-8 repair of @in as procmon documents it: each invalid byte becomes U+FFFD.
 * Only for the simple cases used here (ASCII plus lone bytes >= 0x80). */
static void repaired_prefix_ascii(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (; *in && o + 4 < size; in++)
		if ((unsigned char)*in < 0x80)
			out[o++] = *in;
	out[o] = '\0';
}

/* The SVG's text with XML's entity escapes undone. */
static char *svg_text(const char *path)
{
	static const char *const ents[][2] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
					      { "&quot;", "\"" }, { "&apos;", "'" } };
	char *s = it_read_file(path), *out;
	size_t o = 0;

	if (!s)
		return NULL;
	out = malloc(strlen(s) + 1);
	for (size_t i = 0; s[i];) {
		size_t k;

		for (k = 0; k < 5; k++) {
			size_t n = strlen(ents[k][0]);

			if (!strncmp(s + i, ents[k][0], n)) {
				out[o++] = ents[k][1][0];
				i += n;
				break;
			}
		}
		if (k == 5)
			out[o++] = s[i++];
	}
	out[o] = '\0';
	free(s);
	return out;
}

/* A workload labels every hostile string for real (uprobe), procmon logs them,
 * `procmon plot` draws them: the log has them byte for byte (or cut at 255 bytes
 * with label_truncated, or invalid bytes as U+FFFD), the SVG is well-formed and
 * shows them, and no injected command ran. */
static void test_hostile_labels_intact_in_log_and_plot_and_inert(void)
{
	char dir[64], log_path[128], out_dir[128], svg_path[256], every[256], long1[1001],
	     long256[257], long257[258], marker[128], want[1024], shown_buf[200];
	char *labels[32];
	const char *argv[48];
	json_object *lines[64];
	struct rel_run r;
	struct it_log log = { 0 };
	int n_labels = 0, n, i;
	const char *env[] = { "LABELS_DELAY_MS=20", NULL };
	char *svg = NULL;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	snprintf(out_dir, sizeof(out_dir), "%s/plots", dir);
	for (i = 0; i < (int)(sizeof(hostile_labels) / sizeof(*hostile_labels)); i++)
		labels[n_labels++] = expand(hostile_labels[i], dir);
	all_bytes(every);
	labels[n_labels++] = strdup(every);
	memset(long256, 'L', 256);
	long256[256] = '\0';
	labels[n_labels++] = strdup(long256);
	memset(long257, 'M', 257);
	long257[257] = '\0';
	labels[n_labels++] = strdup(long257);
	for (i = 0; i < 1000; i++)
		long1[i] = "0123456789"[i % 10];
	long1[1000] = '\0';
	labels[n_labels++] = strdup(long1);

	i = 0;
	argv[i++] = it_procmon();
	argv[i++] = "-q";
	argv[i++] = "-i";
	argv[i++] = "0.05";
	argv[i++] = "-o";
	argv[i++] = log_path;
	argv[i++] = "--";
	argv[i++] = it_workload("labels_own");
	for (int k = 0; k < n_labels; k++)
		argv[i++] = labels[k];
	argv[i] = NULL;
	rel_start(&r, argv, &(struct it_spawn){ .env_set = env, .cwd = dir }, -1);
	rel_finish(&r, TIMEOUT_S, true);
	CHECK(it_exit_code(r.p.status) == 0, "procmon: exit %d, %s", it_exit_code(r.p.status), r.p.err);
	it_proc_free(&r.p);
	CHECK(it_log_load(log_path, &log) == 0, "no log");
	CHECK(log.bad == 0, "%d unparseable lines, first: %s", log.bad, log.first_bad);
	n = label_lines(&log, lines, 64);
	CHECK(n == n_labels, "expected %d label lines, got %d", n_labels, n);
	for (i = 0; i < n && i < n_labels; i++) {
		const char *got = it_get_str(lines[i], "label");
		bool truncated = it_get(lines[i], "label_truncated") != NULL;
		size_t len = strlen(labels[i]);

		if (len > CAPTURE_MAX) {	/* ASCII here: cut at exactly 256 bytes */
			memcpy(want, labels[i], CAPTURE_MAX);
			want[CAPTURE_MAX] = '\0';
			CHECK(got && !strcmp(got, want) && truncated,
			      "label %d (%zu bytes): expected its first %d bytes and label_truncated, "
			      "got %zu bytes, truncated %d", i, len, CAPTURE_MAX, got ? strlen(got) : 0,
			      truncated);
		} else if (strstr(labels[i], "\xff")) {
			/* Invalid UTF-8 inside: its ASCII bytes must all be there, in order. */
			char ascii[1024], got_ascii[1024];

			repaired_prefix_ascii(labels[i], ascii, sizeof(ascii));
			repaired_prefix_ascii(got ? got : "", got_ascii, sizeof(got_ascii));
			CHECK(got && !strcmp(ascii, got_ascii) && strstr(got, "\xef\xbf\xbd") && !truncated,
			      "label %d: ASCII bytes not intact or no U+FFFD: got '%s'", i,
			      shown(got ? got : "", shown_buf, sizeof(shown_buf)));
		} else {
			CHECK(got && !strcmp(got, labels[i]) && !truncated,
			      "label %d: expected '%s', got '%s'", i,
			      shown(labels[i], want, sizeof(want)),
			      shown(got ? got : "(none)", shown_buf, sizeof(shown_buf)));
		}
	}

	{
		const char *plot_argv[] = { it_procmon(), "plot", log_path, out_dir, NULL };
		const char *xmllint[] = { "xmllint", "--noout", svg_path, NULL };
		struct it_proc x;
		long long pid = log.n ? it_get_int(log.obj[0], "pid", -1) : -1;

		rel_start(&r, plot_argv, &(struct it_spawn){ .cwd = dir }, -1);
		rel_finish(&r, TIMEOUT_S, true);
		CHECK(it_exit_code(r.p.status) == 0, "procmon plot: exit %d, %s",
		      it_exit_code(r.p.status), r.p.err);
		it_proc_free(&r.p);
		snprintf(svg_path, sizeof(svg_path), "%s/log_%lld.svg", out_dir, pid);
		it_run(&x, xmllint, NULL, 20);
		CHECK(it_exit_code(x.status) == 0, "xmllint --noout %s: exit %d: %s", svg_path,
		      it_exit_code(x.status), x.err);
		it_proc_free(&x);
		svg = svg_text(svg_path);
		CHECK(svg, "no SVG at %s", svg_path);
	}
	/* Shown: a distinctive piece of each (the plot may fold newlines and cut
	 * long text for the chart; the injections must show as text). */
	{
		static const char *const pieces[] = { "`touch ", "$(touch ", "system(\"touch ",
						      "!touch ", "</text><script>alert(1)",
						      "<!DOCTYPE x [<!ENTITY e SY", "%s%s%n%n %x",
						      "\"quoted\" {\"json\": 1}", "LLLLLLLLLL",
						      "0123456789", NULL };

		for (i = 0; svg && pieces[i]; i++)
			CHECK(strstr(svg, pieces[i]), "the SVG does not show '%s'", pieces[i]);
	}
	for (int m = 1; m <= 7; m++) {
		snprintf(marker, sizeof(marker), "%s/m%d", dir, m);
		CHECK(access(marker, F_OK) != 0, "%s exists: an injected command ran", marker);
	}
	printf("  %d hostile labels traced, logged and plotted; SVG well-formed, no marker file\n",
	       n_labels);
	free(svg);
	for (i = 0; i < n_labels; i++)
		free(labels[i]);
	it_log_free(&log);
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_every_cli_value_fuzzed_is_refused_in_one_line_or_works);
	RUN(test_hostile_labels_intact_in_log_and_plot_and_inert);
	return check_summary();
}
