// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* procmon's entry point: `procmon plot ...` goes to the plotter; otherwise the story
 * of a run: options, checks, log, BPF, launch or attach, the loop, the summary. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "checks.h"
#include "launch.h"
#include "options.h"
#include "output.h"
#include "plot.h"
#include "privs.h"
#include "run_as.h"
#include "session.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!verbose && level != LIBBPF_WARN)
		return 0;
	if (!verbose)
		return 0;	/* libbpf's warnings come back to us as error codes */
	return vfprintf(stderr, fmt, args);
}

/* `procmon: WHAT: REASON (HINT)` on one line. */
static void fail(const char *what, int err, const char *hint)
{
	fprintf(stderr, "procmon: %s: %s%s%s%s\n", what, strerror(err > 0 ? err : -err),
		hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
}

static void install_signals(sigset_t *blocked)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(blocked);
	sigaddset(blocked, SIGINT);
	sigaddset(blocked, SIGTERM);
	sigaddset(blocked, SIGHUP);
	sigprocmask(SIG_BLOCK, blocked, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed log pipe is a write error we report */
}

static int start_command(struct session *s, const struct procmon_opts *o,
			 const struct run_as *ra)
{
	struct launch l;
	const char *stage;
	char *exe;
	char what[512], shown[OPTIONS_SHOWN_SIZE];
	int err;

	s->launch_mono_s = mono_now_s();
	err = launch_prepare(&l, o->command, ra);
	if (err) {
		fail("cannot start the command", err, NULL);
		return PROCMON_EXIT_FAILURE;
	}
	s->launched_pid = l.pid;
	/* The executable is probed before its first instruction; its libraries as
	 * the loader maps them (BPF holds the process meanwhile). */
	exe = labels_resolve_command(o->command[0]);
	if (exe)
		labels_probe_file(&s->labels, exe);
	free(exe);
	err = tracer_add(&s->tracer, l.pid, getpid(), false);
	if (err) {
		launch_abort(&l);
		fail("cannot trace the command", err, NULL);
		return PROCMON_EXIT_FAILURE;
	}
	err = launch_release(&l, &stage);
	if (err) {
		s->launched_reaped = true;
		snprintf(what, sizeof(what), "%s '%s'", stage,
			 options_shown(o->command[0], shown, sizeof(shown)));
		fail(what, err, err == -ENOENT ? "check the name and PATH" : NULL);
		return err == -ENOENT ? PROCMON_EXIT_NOT_FOUND : PROCMON_EXIT_CANNOT_RUN;
	}
	err = session_add_target(s, l.pid, true, s->launch_mono_s);
	if (err) {
		fail("cannot write the log", err, NULL);
		return PROCMON_EXIT_FAILURE;
	}
	return 0;
}

static int attach_pids(struct session *s, const struct procmon_opts *o)
{
	char what[64];
	int i, err;

	for (i = 0; i < o->n_pids; i++) {
		err = tracer_add(&s->tracer, o->pids[i], 0, true);
		/* Probes first: a label right after the START line must not be missed. */
		if (!err)
			labels_scan_process(&s->labels, o->pids[i]);
		if (!err)
			err = session_add_target(s, o->pids[i], false, 0);
		if (err) {
			snprintf(what, sizeof(what), "cannot attach to PID %d", (int)o->pids[i]);
			fail(what, err, err == -ESRCH ? "it has exited" : NULL);
			return PROCMON_EXIT_FAILURE;
		}
	}
	return 0;
}

/* A --mark that matched nothing yet is likely a typo; libraries loaded later may
 * still define it, so this is a warning. */
static void warn_missing_marks(const struct label_probes *lp)
{
	char shown[OPTIONS_SHOWN_SIZE];
	int i;

	for (i = 0; i < lp->n_marks; i++)
		if (!(lp->marks_found & (1u << i)))
			fprintf(stderr, "procmon: warning: --mark '%s': no such function in the "
				"target's code yet (a library loaded later may define it)\n",
				options_shown(lp->marks[i], shown, sizeof(shown)));
}

/* What procmon exits with: the command's own status, as time(1) and strace do. */
static int exit_status(const struct session *s, int run_err)
{
	if (run_err)
		return PROCMON_EXIT_FAILURE;
	if (!s->launched_pid)
		return 0;
	if (!s->launched_reaped)
		return 128 + (stop_signal ? stop_signal : SIGTERM);
	if (WIFSIGNALED(s->launched_status))
		return 128 + WTERMSIG(s->launched_status);
	return WEXITSTATUS(s->launched_status);
}

int main(int argc, char **argv)
{
	struct session s = { .epoll_fd = -1, .timer_fd = -1 };
	struct procmon_opts o;
	struct run_as ra;
	const char *why = NULL, *hint = NULL, *stage;
	char what[PATH_MAX + 64], shown[OPTIONS_SHOWN_SIZE];
	sigset_t blocked;
	int i, err, log_fd = -1, status = PROCMON_EXIT_FAILURE;

	if (argc > 1 && !strcmp(argv[1], "plot"))
		return cmd_plot(argc - 1, argv + 1);
	options_parse(argc, argv, &o);
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);

	if (check_btf(&why, &hint) || check_capabilities(&why, &hint) ||
	    check_tracefs(&why, &hint)) {
		fprintf(stderr, "procmon: %s (%s)\n", why, hint);
		return PROCMON_EXIT_FAILURE;
	}
	for (i = 0; i < o.n_pids; i++) {
		err = check_attach_pid(o.pids[i], &why, &hint);
		if (err) {
			fprintf(stderr, "procmon: cannot attach to PID %d: %s%s%s%s\n", (int)o.pids[i],
				why, hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
			return PROCMON_EXIT_FAILURE;
		}
	}
	err = run_as_resolve(o.user, &ra, &why);
	if (err) {
		fprintf(stderr, "procmon: cannot run as '%s': %s\n",
			options_shown(o.user, shown, sizeof(shown)), why);
		return PROCMON_EXIT_FAILURE;
	}
	log_fd = output_open(o.output, ra.have_owner, ra.owner_uid, ra.owner_gid, &why);
	if (log_fd < 0) {
		snprintf(what, sizeof(what), "cannot open the log '%s'",
			 options_shown(o.output, shown, sizeof(shown)));
		if (why)
			fprintf(stderr, "procmon: %s: %s\n", what, why);
		else
			fail(what, log_fd, "check the directory exists and is writable");
		return PROCMON_EXIT_FAILURE;
	}

	err = tracer_open(&s.tracer, o.children, o.ringbuf_bytes, &stage);
	if (err) {
		snprintf(what, sizeof(what), "cannot %s", stage);
		fail(what, err, verbose ? NULL : "run with -v for libbpf's messages");
		goto cleanup;
	}
	err = session_init(&s, &o, log_fd, &stop_signal);
	if (err) {
		fail("cannot set up the event loop", err, NULL);
		goto cleanup;
	}
	status = o.command ? start_command(&s, &o, &ra) : attach_pids(&s, &o);
	if (status)
		goto cleanup;
	/* The command runs with its own credentials already: what is left of the
	 * run needs only a few of root's capabilities. */
	err = privs_drop_unneeded();
	if (err && verbose)
		fail("warning: cannot drop capabilities", err, NULL);
	install_signals(&blocked);
	warn_missing_marks(&s.labels);

	err = session_run(&s);
	if (s.log.err)
		fail(o.output ? "cannot write the log" : "cannot write the log to stderr",
		     s.log.err, s.log.err == -ENOSPC ? "free some space; the lines written so far are intact" : NULL);
	else if (err)
		fail("tracing failed", err, NULL);
	session_stop_tracing(&s);
	/* A reader that closed the log pipe (`procmon -o - -- CMD | head -1`) is gone
	 * for good: stop now, as SIGPIPE would have stopped us, rather than wait for
	 * the command; it gets SIGTERM from PR_SET_PDEATHSIG, as after SIGTERM. */
	if (s.log.err != -EPIPE)
		session_wait_launched(&s);
	if (!o.quiet)
		session_summary(&s, stderr);
	status = exit_status(&s, err);
cleanup:
	session_stop_tracing(&s);
	session_destroy(&s);
	if (s.tracer.skel)
		tracer_close(&s.tracer);	/* session_init failed half-way */
	if (log_fd >= 0 && close(log_fd) && status == 0)
		status = PROCMON_EXIT_FAILURE;
	return status;
}
