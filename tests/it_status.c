// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of the live status line: through a pty (script(1)) it is
 * drawn each second and cleared before the summary; on a pipe, a file, with -q,
 * or when the log itself goes to the terminal, not a byte of it is written. */
#include "itest.h"

#define TIMEOUT_S 30.0
#define STATUS_START "\r\033[Kprocmon 0:00:0"

/* `script -qfec COMMAND /dev/null`: @shell_cmd runs with a pty of 160 columns as
 * its terminal; what it wrote there comes back in @p->out. */
static void run_on_a_pty(struct it_proc *p, const char *shell_cmd)
{
	char wide[1200];
	const char *argv[] = { "script", "-qfec", wide, "/dev/null", NULL };

	snprintf(wide, sizeof(wide), "stty cols 160 rows 40; %s", shell_cmd);
	it_run(p, argv, NULL, TIMEOUT_S);
	CHECK(!p->timed_out && it_exit_code(p->status) == 0, "script -qfec '%s': exit %d: %s%s",
	      shell_cmd, it_exit_code(p->status), p->out, p->err);
}

static int count_of(const char *text, const char *what)
{
	int n = 0;

	for (const char *at = text; (at = strstr(at, what)); at += strlen(what))
		n++;
	return n;
}

static void test_status_line_is_drawn_on_a_terminal_and_cleared(void)
{
	char dir[64], cmd[1024], log_path[128];
	struct it_proc p;
	char *log_text, *summary;
	int lines;

	if (!it_tmpdir(dir, sizeof(dir)))
		return;
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	/* 1.3 s of CPU under the label "spin:1300", then 1.2 s asleep. */
	snprintf(cmd, sizeof(cmd), "%s -o %s -- %s %s/truth spin:1300 sleep:1200", it_procmon(),
		 log_path, it_workload("ph_steps"), dir);
	run_on_a_pty(&p, cmd);
	lines = count_of(p.out, STATUS_START);
	CHECK(lines >= 2, "%d status lines in: %s", lines, p.out);
	CHECK(strstr(p.out, "1 alive  RSS "), "no target count in: %s", p.out);
	CHECK(strstr(p.out, "labels 1 \"spin:1300\"") || strstr(p.out, "labels 2 \"sleep:1200\""),
	      "the last label is not shown: %s", p.out);
	/* The second spent spinning shows as a CPU-bound second. */
	{
		const char *at = strstr(p.out, "\"spin:1300\"");
		const char *cpu = at ? strstr(at - 80 > p.out ? at - 80 : p.out, "CPU ") : NULL;

		CHECK(cpu && atoi(cpu + 4) >= 30, "CPU while spinning: %.12s", cpu ? cpu : "(none)");
	}
	summary = strstr(p.out, "procmon: pid ");
	CHECK(summary && summary - p.out >= 4 && !strncmp(summary - 4, "\r\033[K", 4),
	      "the line is not cleared before the summary: %s", p.out);
	CHECK(summary && !strstr(summary, "\033"), "a status line after the summary: %s",
	      summary ? summary : "");
	log_text = it_read_file(log_path);
	CHECK(log_text && !strchr(log_text, '\033') && !strstr(log_text, "alive"),
	      "the status line went into the log");
	free(log_text);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_status_line_follows_the_log_and_q(void)
{
	char dir[64], cmd[1024];
	struct it_proc p;

	if (!it_tmpdir(dir, sizeof(dir)))
		return;
	/* The log on stdout, a pipe: the terminal is free for the line. */
	snprintf(cmd, sizeof(cmd), "%s -o - -- sleep 1.2 | cat > %s/log", it_procmon(), dir);
	run_on_a_pty(&p, cmd);
	CHECK(count_of(p.out, STATUS_START) >= 1, "no status line with the log on a pipe: %s", p.out);
	it_proc_free(&p);
	/* The log on the terminal itself (stderr, or stdout there): no line in it. */
	snprintf(cmd, sizeof(cmd), "%s -- sleep 1.2", it_procmon());
	run_on_a_pty(&p, cmd);
	CHECK(!strstr(p.out, "\033[K"), "a status line in a log on the terminal: %s", p.out);
	it_proc_free(&p);
	snprintf(cmd, sizeof(cmd), "%s -o - -- sleep 1.2", it_procmon());
	run_on_a_pty(&p, cmd);
	CHECK(!strstr(p.out, "\033[K"), "a status line in a log on stdout, the terminal: %s", p.out);
	it_proc_free(&p);
	/* -q: neither the line nor the summary. */
	snprintf(cmd, sizeof(cmd), "%s -q -o %s/log -- sleep 1.2", it_procmon(), dir);
	run_on_a_pty(&p, cmd);
	CHECK(!*p.out, "-q still wrote: %s", p.out);
	it_proc_free(&p);
	it_rmdir(dir);
}

static void test_no_status_line_when_stderr_is_not_a_terminal(void)
{
	char dir[64], log_path[128];
	const char *args[] = { "-o", log_path, "--", "sleep", "1.2", NULL };
	struct it_log log;
	struct it_proc p;

	if (!it_tmpdir(dir, sizeof(dir)))
		return;
	snprintf(log_path, sizeof(log_path), "%s/log", dir);
	it_run_traced(args, NULL, TIMEOUT_S, 0, log_path, &log, &p);
	CHECK(!strchr(p.err, '\033') && !strchr(p.err, '\r') && !strstr(p.err, " alive "),
	      "status bytes on a stderr that is a file: %s", p.err);
	CHECK(strstr(p.err, "procmon: pid "), "no summary: %s", p.err);
	it_log_free(&log);
	it_proc_free(&p);
	it_rmdir(dir);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (access("/usr/bin/script", X_OK))
		check_skip_all("script(1) is missing (util-linux's bsdutils)");
	RUN(test_status_line_is_drawn_on_a_terminal_and_cleared);
	RUN(test_status_line_follows_the_log_and_q);
	RUN(test_no_status_line_when_stderr_is_not_a_terminal);
	return check_summary();
}
