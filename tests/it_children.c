// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of -c's children: every one logged with its exit status
 * (sequential, 1,000 at once under ulimit -n 1024, a stalled log reader), and a
 * hold nobody else sees (an interactive shell, a WUNTRACED parent, kill -9). */
#include "check.h"
#include "itest.h"

#define TIMEOUT_S 120.0
/* 20,000 in `make soak` (CH_SEQ=20000); the default suite runs 5,000 (~5 s here). */
#define SEQ_DEFAULT 5000

/* Run `sh -c @script` with PM (procmon), W (ch_forker) and D (a fresh directory)
 * in its environment; its stdout in *out (caller frees). The exit code. */
static int sh(const char *dir, const char *script, char **out)
{
	char pm[PATH_MAX + 4], w[PATH_MAX + 4], d[PATH_MAX + 4];
	const char *env[] = { pm, w, d, NULL };
	const char *argv[] = { "sh", "-c", script, NULL };
	struct it_spawn how = { .env_set = env };
	struct it_proc p;
	int code;

	snprintf(pm, sizeof(pm), "PM=%s", it_procmon());
	snprintf(w, sizeof(w), "W=%s", it_workload("ch_forker"));
	snprintf(d, sizeof(d), "D=%s", dir);
	it_run(&p, argv, &how, TIMEOUT_S);
	code = it_exit_code(p.status);
	if (code != 0 && code != 3)
		fprintf(stderr, "  `%s`: exit %d, stderr: %.2000s\n", script, code, p.err);
	if (out)
		*out = p.out ? strdup(p.out) : strdup("");
	it_proc_free(&p);
	return code;
}

/* The STOP lines of the root's children in @log: how many, with an exit code, and
 * the sum of their codes. */
static void children_of_root(const struct it_log *log, int *stops, int *with_code, long *sum)
{
	long long root = log->n ? it_get_int(log->obj[0], "pid", -1) : -1;

	*stops = *with_code = 0;
	*sum = 0;
	for (int i = 0; i < log->n; i++) {
		long long code;

		if (log->mark[i] != IT_MARK_STOP || it_get_int(log->obj[i], "ppid", -1) != root)
			continue;
		(*stops)++;
		code = it_get_int(log->obj[i], "exit_code", -1);
		if (code >= 0) {
			(*with_code)++;
			*sum += code;
		}
	}
}

/* The workload's "children N sum S" line against the log at @path. */
static void check_all_logged(const char *path, const char *out, const char *what)
{
	struct it_log log;
	int n = -1, stops, with_code;
	long sum = -1, got_sum;

	sscanf(out, "children %d sum %ld", &n, &sum);
	REQUIRE(n > 0, "%s: the workload said %s", what, out);
	REQUIRE(it_log_load(path, &log) == 0, "%s: no log", what);
	children_of_root(&log, &stops, &with_code, &got_sum);
	CHECK(stops == n && with_code == n && got_sum == sum,
	      "%s: %d children, exit-code sum %ld; logged %d STOP lines, %d with a code, sum %ld",
	      what, n, sum, stops, with_code, got_sum);
	CHECK(log.bad == 0, "%s: %d lines not JSON, first: %s", what, log.bad, log.first_bad);
	it_log_free(&log);
}

static void test_sequential_children_all_logged_with_status(void)
{
	char dir[64], script[256], path[128], *out;
	const char *env = getenv("CH_SEQ");
	int n = env ? atoi(env) : SEQ_DEFAULT;
	double t0 = it_now_s();

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	snprintf(script, sizeof(script), "\"$PM\" -q -c -o \"$D/log\" -- \"$W\" seq %d", n);
	CHECK(sh(dir, script, &out) == 3, "procmon exits with the command's status 3");
	snprintf(path, sizeof(path), "%s/log", dir);
	check_all_logged(path, out, "sequential");
	fprintf(stderr, "  %d sequential children in %.1f s\n", n, it_now_s() - t0);
	free(out);
	it_rmdir(dir);
}

/* 1,000 children alive at once under `ulimit -n 1024` (soft and hard): tracees
 * need no descriptor; with --no-ptrace the pidfds run out, and the children
 * beyond end with their BPF exit events, not as "gone". */
static void thousand_at_once(const char *opt)
{
	char dir[64], path[128], script[256], *out;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	snprintf(script, sizeof(script),
		 "ulimit -n 1024 && \"$PM\" -q -c %s -o \"$D/log\" -- \"$W\" wide 1000", opt);
	CHECK(sh(dir, script, &out) == 0, "procmon %s exits 0", opt);
	snprintf(path, sizeof(path), "%s/log", dir);
	check_all_logged(path, out, *opt ? "1000 at once, ulimit -n 1024, --no-ptrace" :
					   "1000 at once, ulimit -n 1024");
	free(out);
	it_rmdir(dir);
}

static void test_thousand_at_once_under_ulimit_1024(void)
{
	thousand_at_once("");
}

static void test_thousand_at_once_without_ptrace_out_of_descriptors(void)
{
	thousand_at_once("--no-ptrace");
}

static void test_stalled_reader_loses_no_child(void)
{
	char dir[64], path[128], *out;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	/* The workload's stdout goes to a file, procmon's log to the stalled pipe. */
	sh(dir, "\"$PM\" -q -c -o - -- sh -c '\"$W\" seq 3000 > \"$D/out\"' | (sleep 5; cat > \"$D/log\")",
	   NULL);
	snprintf(path, sizeof(path), "%s/out", dir);
	out = it_read_file(path);
	REQUIRE(out, "no output from the workload");
	snprintf(path, sizeof(path), "%s/log", dir);
	{
		struct it_log log;
		int n = -1, stops = 0, with_code = 0;
		long sum = -1, got = 0;
		long long sh_pid;

		sscanf(out, "children %d sum %ld", &n, &sum);
		REQUIRE(it_log_load(path, &log) == 0 && log.n > 0, "no log");
		/* The children are the workload's: its pid is the sh's child. */
		sh_pid = it_get_int(log.obj[0], "pid", -1);
		for (int i = 0; i < log.n; i++) {
			long long pp = it_get_int(log.obj[i], "ppid", -1), code;

			if (log.mark[i] != IT_MARK_STOP || pp == sh_pid || pp < 0 ||
			    it_get_int(log.obj[i], "pid", -1) == sh_pid)
				continue;
			stops++;
			code = it_get_int(log.obj[i], "exit_code", -1);
			if (code >= 0) {
				with_code++;
				got += code;
			}
		}
		CHECK(stops == n && with_code == n && got == sum,
		      "stalled reader: %d children sum %ld; logged %d, %d with a code, sum %ld",
		      n, sum, stops, with_code, got);
		it_log_free(&log);
	}
	free(out);
	it_rmdir(dir);
}

static void test_wuntraced_parent_never_sees_the_hold(void)
{
	char dir[64], *out;
	int stops = -1, conts = -1;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	CHECK(sh(dir, "\"$PM\" -q -c -o \"$D/log\" -- \"$W\" wuntraced 100", &out) == 0, "exit 0");
	sscanf(out, "stops %d continues %d", &stops, &conts);
	CHECK(stops == 0 && conts == 0, "a WUNTRACED parent saw %d stops, %d continues (%s)",
	      stops, conts, out);
	free(out);
	it_rmdir(dir);
}

/* An interactive bash in a pty: every command runs, no "Stopped" but Ctrl-Z's. */
static void test_interactive_shell_sees_no_stop_and_ctrl_z_works(void)
{
	/* Each marker is computed, so only a command that ran prints it. */
	static const char script[] =
		"feed() { sleep 0.5; for c in 'echo M-$((40+2))' 'ls / >/dev/null && echo M-$((2+2))ls' "
		"'/bin/true && echo M-$((3+3))t' 'for i in 1 2 3; do /bin/true; done; echo M-$((4+4))loop' "
		"'cat /etc/hostname | wc -l >/dev/null; echo M-$((5+5))pipe'; do printf '%s\\n' \"$c\"; sleep 0.3; done; "
		"printf 'sleep 30\\n'; sleep 1; printf '\\032'; sleep 1; printf 'jobs\\n'; sleep 0.3; "
		"printf 'kill -9 %%1; echo M-$((6+6))end\\n'; sleep 0.5; printf 'exit\\n'; sleep 0.5; }; "
		"feed | script -qfec \"$PM -q -c -o $D/log -- bash --norc -i\" \"$D/tty\" >/dev/null 2>&1; "
		"tr -d '\\r' < \"$D/tty\"";
	static const char *const markers[] = { "M-42", "M-4ls", "M-6t", "M-8loop", "M-10pipe",
					       "M-12end" };
	char dir[64], *out, *p;
	int stopped = 0;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	sh(dir, script, &out);
	for (p = out; (p = strstr(p, "Stopped")); p++)
		stopped++;
	/* Ctrl-Z's notice, `jobs`' line and the report after kill -9 (untraced bash
	 * prints the same 3): job control works, our hold shows nowhere. */
	CHECK(stopped == 3, "\"Stopped\" lines: %d, expected 3; the terminal:\n%s", stopped, out);
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		CHECK(strstr(out, markers[i]), "%s did not run; the terminal:\n%s", markers[i], out);
	free(out);
	it_rmdir(dir);
}

/* kill -9 of procmon in an exec loop (a -c child's: the command itself gets
 * SIGTERM by PR_SET_PDEATHSIG): the loop runs on, nothing left stopped. */
static void test_sigkill_of_procmon_leaves_nothing_stopped(void)
{
	static const char script[] =
		"bad=0; for r in $(seq 20); do : > \"$D/count\"; "
		"setsid \"$PM\" -q -c -o /dev/null -- sh -c \"sh -c 'while :; do /bin/true; ls / >/dev/null; echo >> $D/count; done'; :\" & pm=$!; "
		"for t in $(seq 100); do [ -s \"$D/count\" ] && break; sleep 0.05; done; "
		"sleep 0.0$((RANDOM % 9 + 1)); kill -9 $pm; wait $pm 2>/dev/null; "
		"before=$(wc -l < \"$D/count\"); sleep 0.5; after=$(wc -l < \"$D/count\"); "
		"n=$(ps -eo pgid=,stat= | awk -v g=$pm '$1==g && $2 ~ /^[Tt]/' | wc -l); "
		"if [ \"$after\" -le \"$before\" ] || [ \"$n\" -gt 0 ]; then bad=$((bad+1)); fi; "
		"kill -9 -- -$pm 2>/dev/null; sleep 0.1; kill -9 -- -$pm 2>/dev/null; "
		/* The command may be in a process group of its own: its loop names
		 * this test's own directory, and nothing else does. */
		"pkill -9 -f \"$D/count\"; sleep 0.1; pkill -9 -f \"$D/count\"; done; "
		"echo \"bad $bad\"";
	char dir[64], *out;
	int bad = -1;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	sh(dir, script, &out);
	sscanf(out, "bad %d", &bad);
	CHECK(bad == 0, "%d of 20 runs left a process stopped or the loop stuck", bad);
	free(out);
	it_rmdir(dir);
}

/* The hold is ptrace: the command and its children show procmon as their tracer.
 * --no-ptrace leaves them untraced (a debugger may attach) and still logs every
 * child with its exit status. */
static void test_no_ptrace_leaves_them_free_to_be_traced(void)
{
	static const char script[] =
		"\"$PM\" -q -c $OPT -o \"$D/log\" -- sh -c 'grep TracerPid /proc/self/status; "
		"for i in 1 2 3; do (exit $i); done; grep TracerPid /proc/self/status'";
	char dir[64], path[128], *out = NULL, script_opt[sizeof(script) + 64];
	const char *opts[] = { "", "--no-ptrace" };

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	snprintf(path, sizeof(path), "%s/log", dir);
	for (int k = 0; k < 2; k++) {
		struct it_log log;
		int tracer_pids[2] = { -1, -1 }, stops, with_code;
		long sum;
		char *p;

		snprintf(script_opt, sizeof(script_opt), "OPT='%s'; %s", opts[k], script);
		CHECK(sh(dir, script_opt, &out) == 0, "%s: exit 0", opts[k]);
		p = out;
		for (int i = 0; i < 2 && p && (p = strstr(p, "TracerPid:")); i++, p++)
			tracer_pids[i] = atoi(p + strlen("TracerPid:"));
		if (k == 0)
			CHECK(tracer_pids[0] > 0 && tracer_pids[1] > 0,
			      "by default: TracerPid %d and %d, expected procmon's", tracer_pids[0],
			      tracer_pids[1]);
		else
			CHECK(tracer_pids[0] == 0 && tracer_pids[1] == 0,
			      "--no-ptrace: TracerPid %d and %d, expected 0", tracer_pids[0],
			      tracer_pids[1]);
		REQUIRE_GOTO(it_log_load(path, &log) == 0 && log.n > 0, out, "%s: no log", opts[k]);
		children_of_root(&log, &stops, &with_code, &sum);
		/* Two greps and three subshells exiting 1, 2, 3. */
		CHECK(stops == 5 && with_code == 5 && sum == 6,
		      "%s: %d children logged, %d with a code, sum %ld (expected 5, 5, 6)", opts[k],
		      stops, with_code, sum);
		it_log_free(&log);
		free(out);
		out = NULL;
	}
out:
	free(out);
	it_rmdir(dir);
}

static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Without ptrace the parent reaps each child as it exits, while procmon takes its
 * last counters: each STOP line's faults are still the child's own getrusage
 * (a reaped thread is counted once: from the signal struct, not also as a task). */
static void test_children_reaped_at_once_are_counted_once(void)
{
	enum { N = 150 };
	char dir[64], path[PATH_MAX], script[512];
	long truth[N], logged[2 * N], *top;
	int n_truth = 0, n_logged = 0, bad = 0;
	struct it_log log;

	REQUIRE(it_tmpdir(dir, sizeof(dir)), "tmpdir");
	snprintf(script, sizeof(script), "TP='%s'; \"$PM\" -q -c --no-ptrace --format jsonl "
		 "-o \"$D/log\" -- sh -c 'for i in $(seq %d); do \"$0\" 4 1 \"$1/t.$i\"; done' "
		 "\"$TP\" \"$D\"", it_workload("touch_pages"), N);
	CHECK(sh(dir, script, NULL) == 0, "procmon exits 0");
	for (int i = 1; i <= N; i++) {
		long minflt, majflt;
		FILE *f;

		snprintf(path, sizeof(path), "%s/t.%d", dir, i);
		f = fopen(path, "r");
		if (f && fscanf(f, "%ld %ld", &minflt, &majflt) == 2)
			truth[n_truth++] = minflt + majflt;
		if (f)
			fclose(f);
	}
	snprintf(path, sizeof(path), "%s/log", dir);
	REQUIRE_GOTO(it_log_load(path, &log) == 0, out, "no log");
	/* jsonl has no markers: a child's last line is its STOP line. */
	for (int i = 0; i < log.n; i++) {
		long long pid = it_get_int(log.obj[i], "pid", -1), root = it_get_int(log.obj[0], "pid", -1);
		bool last = true;

		for (int j = i + 1; j < log.n && last; j++)
			last = it_get_int(log.obj[j], "pid", -2) != pid;
		if (last && pid != root && n_logged < 2 * N)
			logged[n_logged++] = (long)it_get_int(log.obj[i], "memory_info.pfaults", -1);
	}
	it_log_free(&log);
	qsort(truth, (size_t)n_truth, sizeof(*truth), by_value);
	qsort(logged, (size_t)n_logged, sizeof(*logged), by_value);
	/* The shell's other children (seq) fault far less: the N largest are ours. */
	top = logged + (n_logged > N ? n_logged - N : 0);
	for (int i = 0; i < n_truth && i < N && i < n_logged; i++)
		bad += labs(top[i] - truth[i]) > truth[i] / 100 + 5;
	printf("  %d children: the top %d faults %ld..%ld logged, %ld..%ld by their getrusage\n",
	       n_logged, N, n_logged ? top[0] : 0, n_logged ? logged[n_logged - 1] : 0,
	       n_truth ? truth[0] : 0, n_truth ? truth[n_truth - 1] : 0);
	CHECK(n_truth == N && n_logged >= N && bad == 0,
	      "%d truths, %d children logged, %d of them off by more than 1%%", n_truth, n_logged,
	      bad);
out:
	it_rmdir(dir);
}

int main(void)
{
	if (geteuid() != 0)
		check_skip_all("needs root to load BPF programs");
	RUN(test_sequential_children_all_logged_with_status);
	RUN(test_thousand_at_once_under_ulimit_1024);
	RUN(test_thousand_at_once_without_ptrace_out_of_descriptors);
	RUN(test_stalled_reader_loses_no_child);
	RUN(test_wuntraced_parent_never_sees_the_hold);
	RUN(test_interactive_shell_sees_no_stop_and_ctrl_z_works);
	RUN(test_sigkill_of_procmon_leaves_nothing_stopped);
	RUN(test_no_ptrace_leaves_them_free_to_be_traced);
	RUN(test_children_reaped_at_once_are_counted_once);
	return check_summary();
}
