// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests: what procmon prints for a person (summary, phase table,
 * errors, -v) has no byte a terminal acts on, and the log is the same JSON with
 * DEL, C1 and bidi controls as \u escapes, whatever the target's text holds. */
#include "itest.h"
#include "utf8.h"

#define TIMEOUT_S 20.0

/* A label with everything a terminal acts on: ESC [2J, BEL, CR, backspace, DEL,
 * C1 (U+0085, U+009B CSI), U+202E, and invalid UTF-8. */
static const char hostile[] = "a\x1b[2Jb\x07" "c\rd\be\x7f" "f\xc2\x85g\xc2\x9bh"
			      "\xe2\x80\xaei\xff\xfej";

/* The first offending byte of @text for a terminal, or NULL: a byte < 0x20 other
 * than '\n' and '\t', DEL, a C1 control, a bidi control, or invalid UTF-8. A line
 * starting "procmon: fake" is a forged one. */
static const char *terminal_unsafe(const char *text, const char **why)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		*why = NULL;
		if (!n)
			*why = "invalid UTF-8";
		else if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
			*why = "a C0 control or DEL";
		else if (cp >= 0x80 && cp <= 0x9f)
			*why = "a C1 control";
		else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			*why = "a bidi control";
		else if (cp == '\n' && !strncmp(text + i + 1, "procmon: fake", 13))
			*why = "a forged procmon: line";
		if (*why)
			return text + i;
		i += n;
	}
	return NULL;
}

/* CHECK that @text (stderr of @what) is safe on a terminal, showing where not. */
static void check_terminal_safe(const char *what, const char *text)
{
	const char *why = NULL, *at = terminal_unsafe(text, &why);
	char near[64];
	size_t k = 0;

	if (at) {
		for (const char *p = at > text + 8 ? at - 8 : text; *p && k + 5 < sizeof(near); p++)
			k += (size_t)snprintf(near + k, sizeof(near) - k, "%02x ", (unsigned char)*p);
	}
	CHECK(!at, "%s: %s at byte %td of stderr (bytes from 8 before: %s)", what,
	      why ? why : "", at ? at - text : 0, at ? near : "");
}

/* Runs procmon @args (NULL-terminated) in @dir with @env; its stderr, malloc'd. */
static char *procmon_stderr(const char *const *args, const char *dir, const char *const *env,
			    int *code)
{
	const char *argv[64];
	struct it_proc p;
	char *err;

	it_run(&p, it_procmon_argv(argv, 64, args), &(struct it_spawn){ .cwd = dir, .env_set = env },
	       TIMEOUT_S);
	*code = it_exit_code(p.status);
	err = p.err;
	p.err = NULL;
	it_proc_free(&p);
	return err;
}

/* The case: a newline in argv forges a procmon: line, an OSC sets the
 * title; and the summary header and table, on one command and on several. */
static void test_summary_of_hostile_command_lines_is_inert(void)
{
	const char *one[] = { "-o", "/dev/null", "--", "/bin/echo", "\x1b]0;T\x07",
			      "x\nprocmon: fake", hostile, NULL };
	const char *several[] = { "-c", "-o", "/dev/null", "--", "/bin/sh", "-c",
				  "/bin/echo \"$0\"; /bin/echo \"$0\" x; true", "\x1b]0;T\x07\nprocmon: fake\xc2\x9b",
				  NULL };
	int code;
	char *err = procmon_stderr(one, "/tmp", NULL, &code);

	CHECK(code == 0, "procmon -- echo: exit %d", code);
	CHECK(strstr(err, "procmon: pid "), "no summary header in: %s", err);
	CHECK(strstr(err, "\\x1b]0;T\\x07 x\\nprocmon: fake"),
	      "the command line is not shown escaped in: %s", err);
	check_terminal_safe("procmon -- echo ESC]0;T BEL 'x\\nprocmon: fake'", err);
	free(err);

	err = procmon_stderr(several, "/tmp", NULL, &code);
	CHECK(code == 0, "procmon -c sh: exit %d", code);
	CHECK(strstr(err, "COMMAND"), "no process table in: %s", err);
	check_terminal_safe("procmon -c (the process table)", err);
	free(err);
}

/* The character at index @n (0-based) of UTF-8 @s, or NULL. */
static const char *nth_char(const char *s, size_t n)
{
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80 && n-- == 0)
			return s;
	return NULL;
}

/* Hostile labels in the phase table: escaped; a long name of 3-byte characters
 * cut at 32 characters (not bytes), so the next column starts where it should. */
static void test_phase_table_escapes_and_cuts_on_characters(void)
{
	char long_cjk[3 * 40 + 1] = "";
	const char *args[] = { "-o", "/dev/null", "--", it_workload("labels_own"), hostile,
			       long_cjk, "end", NULL };
	const char *env[] = { "LABELS_DELAY_MS=20", NULL };
	const char *row, *col;
	int code;
	char *err;

	for (int i = 0; i < 40; i++)
		strcat(long_cjk, "\xe6\x97\xa5");	/* 日 */
	err = procmon_stderr(args, "/tmp", env, &code);
	CHECK(code == 0, "procmon -- labels_own: exit %d: %s", code, err);
	CHECK(strstr(err, "PHASE"), "no phase table in: %s", err);
	check_terminal_safe("the phase table of hostile labels", err);
	/* 27 characters of escapes, then "…" (not the "\u00" of a "\u0085"). */
	CHECK(strstr(err, "\na\\x1b[2Jb\\x07c\\rd\\x08e\\x7ff\xe2\x80\xa6     "),
	      "the hostile label is not shown escaped and cut in: %s", err);
	row = strstr(err, "\n\xe6\x97\xa5");
	REQUIRE(row, "no row for the long label in: %s", err);
	row++;
	col = nth_char(row, 31);
	CHECK(col && !strncmp(col, "\xe2\x80\xa6 ", 4),
	      "the name column is not 31 characters and a '…' then a space: %.*s",
	      (int)strcspn(row, "\n"), row);
	free(err);
}

/* Every procmon: line that quotes a user's or a target's text: paths, option
 * values, a --mark symbol, the command, and -v's file paths. */
static void test_error_and_verbose_lines_are_inert(void)
{
	char dir[64], evil_dir[128], bad_log[256], exe[256];
	const char *cases[][12] = {
		{ "-o", bad_log, "--", "true", NULL },
		{ "-o", "/dev/null", "--", "/nonexistent/\x1b[2J\nprocmon: fake\xe2\x80\xae", NULL },
		{ "-u", "\x1b]0;T\x07\nprocmon: fake", "--", "true", NULL },
		{ "--\x1b[2J\nprocmon: fake", "--", "true", NULL },
		{ "-i", "\xc2\x85\nprocmon: fake", "--", "true", NULL },
		{ "-p", "1\x1b[2J", NULL },
		{ "--mark", "\x1b[2J\nprocmon: fake", "-o", "/dev/null", "--", "true", NULL },
		{ "-v", "-o", "/dev/null", "--", exe, "x", NULL },
	};
	const char *argv[] = { "cp", it_workload("labels_own"), exe, NULL };
	struct it_proc p;
	int code;

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(evil_dir, sizeof(evil_dir), "%s/\x1b]0;T\x07\nprocmon: fake\xc2\x9b", dir);
	REQUIRE_GOTO(mkdir(evil_dir, 0755) == 0, out, "mkdir: %s", strerror(errno));
	snprintf(bad_log, sizeof(bad_log), "%s/no/such/dir/log", evil_dir);
	snprintf(exe, sizeof(exe), "%s/labels_own", evil_dir);
	it_run(&p, argv, NULL, 10);
	it_proc_free(&p);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char what[128], *err = procmon_stderr(cases[i], "/tmp", NULL, &code);

		snprintf(what, sizeof(what), "case %zu (%s)", i, cases[i][0]);
		CHECK(strstr(err, "procmon: "), "%s: no procmon: line: %s", what, err);
		check_terminal_safe(what, err);
		if (!strcmp(cases[i][0], "-v"))
			CHECK(strstr(err, "\\x1b]0;T\\x07\\nprocmon: fake\\u009b/labels_own"),
			      "-v does not name the probed file escaped: %s", err);
		free(err);
	}
out:
	it_rmdir(dir);
}

/* One hostile label to every log destination: stdout, a file and the default,
 * stderr. Parsed back with json-c it is the original string (invalid bytes
 * aside, repaired to U+FFFD); the raw bytes have no DEL, C1 or bidi control. */
static void test_log_escapes_del_c1_and_bidi_and_parses_back(void)
{
	static const char label[] = "DEL\x7f C1\xc2\x80\xc2\x85\xc2\x9f RLO\xe2\x80\xae"
				    "LRI\xe2\x81\xa6 esc\x1b[2J nl\n end";
	char dir[64], log_path[128];
	const char *dests[][4] = { { "-o", log_path, NULL }, { "-o", "-", NULL }, { NULL } };
	const char *env[] = { "LABELS_DELAY_MS=10", NULL };

	if (!it_tmpdir(dir, sizeof(dir)))
		SKIP("no temporary directory");
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	for (size_t d = 0; d < 3; d++) {
		const char *args[16], *argv[24], *why = NULL;
		struct it_log log = { 0 };
		struct it_proc p;
		const char *raw, *got = NULL;
		char *file = NULL;
		int n = 0;

		for (int k = 0; dests[d][k]; k++)
			args[n++] = dests[d][k];
		args[n++] = "-q";
		args[n++] = "--";
		args[n++] = it_workload("labels_own");
		args[n++] = label;
		args[n] = NULL;
		it_run(&p, it_procmon_argv(argv, 24, args), &(struct it_spawn){ .env_set = env },
		       TIMEOUT_S);
		CHECK(it_exit_code(p.status) == 0, "dest %zu: exit %d: %s", d,
		      it_exit_code(p.status), p.err);
		raw = d == 0 ? (file = it_read_file(log_path)) : d == 1 ? p.out : p.err;
		REQUIRE_GOTO(raw && it_log_parse(raw, &log) == 0, next, "dest %zu: no log", d);
		CHECK(log.bad == 0, "dest %zu: %d unparseable lines, first: %s", d, log.bad,
		      log.first_bad);
		for (int i = 0; i < log.n; i++)
			if ((got = it_get_str(log.obj[i], "label")))
				break;
		CHECK(got && !strcmp(got, label), "dest %zu: the label did not come back intact: %s",
		      d, got ? got : "(none)");
		CHECK(!terminal_unsafe(raw, &why), "dest %zu: the raw log has %s", d, why);
		CHECK(strstr(raw, "\\u007f") && strstr(raw, "\\u0080") && strstr(raw, "\\u202e") &&
		      strstr(raw, "\\u2066"), "dest %zu: the log has not the \\u escapes", d);
next:
		it_log_free(&log);
		free(file);
		it_proc_free(&p);
	}
	it_rmdir(dir);
}

int main(void)
{
	RUN(test_summary_of_hostile_command_lines_is_inert);
	RUN(test_phase_table_escapes_and_cuts_on_characters);
	RUN(test_error_and_verbose_lines_are_inert);
	RUN(test_log_escapes_del_c1_and_bidi_and_parses_back);
	return check_summary();
}
