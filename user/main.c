// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* procmon's entry point: `procmon plot ...` goes to the plotter; otherwise the story
 * of a run: options, checks, log, BPF, launch or attach, the loop, the summary. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cgroup_run.h"
#include "checks.h"
#include "clock.h"
#include "exporter.h"
#include "fail.h"
#include "launch.h"
#include "options.h"
#include "output.h"
#include "plot.h"
#include "privs.h"
#include "run_as.h"
#include "safe_text.h"
#include "session.h"
#include "status.h"
#include "summary.h"
#include "tracees.h"
#include "targets.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static bool verbose;

/* libbpf's messages, with -v only: they name files and symbols (a target's
 * paths, which may hold a newline), so each goes out as one terminal-safe line. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char *text = NULL, *safe;
	size_t len;

	(void)level;	/* libbpf's warnings come back to us as error codes */
	if (!verbose || vasprintf(&text, fmt, args) < 0)
		return 0;
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	safe = safe_text_dup(text);
	if (safe)
		fprintf(stderr, "%s\n", safe);
	free(safe);
	free(text);
	return 0;
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
	/* The hold as ptrace: seen by procmon only, gone with it. */
	err = o->no_ptrace ? 0 : tracees_seize(s, l.pid);
	if (err)
		fprintf(stderr, "procmon: warning: cannot ptrace the command: %s "
			"(it is held with SIGSTOP instead, which its parent can see)\n", strerror(-err));
	/* The executable is probed before its first instruction; its libraries as
	 * the loader maps them (BPF holds the process meanwhile). A file-capability
	 * procmon is not dumpable, nor is the child before exec: the kernel would
	 * refuse it a uprobe, and the hold at exec probes the program instead. */
	exe = prctl(PR_GET_DUMPABLE) == 1 ? labels_resolve_command(o->command[0]) : NULL;
	if (exe)
		labels_probe_file(&s->labels, l.pid, exe);
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
	err = targets_add(s, l.pid, true, s->launch_mono_s);
	if (err) {
		fail("cannot write the log", err, NULL);
		return PROCMON_EXIT_FAILURE;
	}
	return 0;
}

/* -p: every PID made a target first, then the log opened, then their START
 * lines: a process that exits during the attach leaves no empty log behind. */
static int attach_pids(struct session *s, const struct procmon_opts *o,
		       const struct run_as *ra, int *log_fd)
{
	char what[64];
	int i, err = 0;

	bool warned = false;

	for (i = 0; i < o->n_pids && !err; i++) {
		/* -c: its children are attached at birth (held invisibly, counted
		 * exactly); refused (traced already): the old way, said once. */
		if (o->children && !o->no_ptrace &&
		    (err = tracees_seize_running(s, o->pids[i])) && !warned) {
			warned = true;
			fprintf(stderr, "procmon: warning: cannot ptrace PID %d: %s (its children "
				"are found by BPF events and held with SIGSTOP, which their parent can "
				"see)\n", (int)o->pids[i], strerror(-err));
		}
		err = tracer_add(&s->tracer, o->pids[i], 0, true);
		/* Probes first: a label right after the START line must not be missed. */
		if (!err)
			labels_scan_process(&s->labels, o->pids[i]);
	}
	if (err) {
		i--;
		snprintf(what, sizeof(what), "cannot attach to PID %d", (int)o->pids[i]);
		/* Its /proc/PID/task went away under us: it has exited. */
		if (err == -ENOENT || err == -ESRCH)
			fail_line(stderr, what, "no such process", "it has exited");
		else
			fail(what, err, NULL);
		return PROCMON_EXIT_FAILURE;
	}
	*log_fd = output_open_log(o->output, ra);
	if (*log_fd < 0)
		return PROCMON_EXIT_FAILURE;
	session_set_log(s, *log_fd);
	for (i = 0; i < o->n_pids; i++) {
		err = targets_add(s, o->pids[i], false, 0);
		if (err) {
			fail("cannot write the log", err, NULL);
			return PROCMON_EXIT_FAILURE;
		}
		targets_find(s, o->pids[i])->attached = true;
	}
	return 0;
}

/* --cgroup DIR, or --unit NAME's cgroup, checked into @cg: a cgroup v2 directory
 * the invoking user may read. 0, or -errno after one `procmon: ...` line. */
static int open_cgroup(const struct procmon_opts *o, const struct run_as *ra,
		       struct cgroup_dir *cg)
{
	char what[64 + OPTIONS_SHOWN_SIZE], shown[OPTIONS_SHOWN_SIZE], dir[PATH_MAX];
	const char *why, *hint;
	int err;

	if (o->unit) {
		err = cgroup_unit_dir(o->unit, dir, sizeof(dir), &why, &hint);
		if (err) {
			snprintf(what, sizeof(what), "cannot find the cgroup of unit '%s'",
				 options_shown(o->unit, shown, sizeof(shown)));
			fail_line(stderr, what, why, hint);
			return err;
		}
	} else {
		snprintf(dir, sizeof(dir), "%s", o->cgroup);
	}
	snprintf(what, sizeof(what), "cannot trace cgroup '%s'", options_shown(dir, shown, sizeof(shown)));
	err = cgroup_dir_resolve(dir, cg, &why, &hint);
	if (err) {
		fail_line(stderr, what, why, hint);
		return err;
	}
	/* Under sudo: the processes of a cgroup the user may not even list are not theirs. */
	err = cgroup_dir_check_reader(cg, ra);
	if (err)
		fail_line(stderr, what, strerror(-err), "the sudo user must be able to read its cgroup.procs");
	return err;
}

/* --prometheus: bound before anything is traced, so a busy port fails first. */
static int start_exporter(const struct procmon_opts *o, const struct cgroup_dir *cg,
			  struct exporter **ex)
{
	char what[160];
	int err;

	*ex = NULL;
	if (!o->prometheus)
		return 0;
	err = exporter_start(&o->prom, o->prom_hold_s, cg ? cg->rel : NULL, ex);
	if (err) {
		snprintf(what, sizeof(what), "cannot serve metrics on %s", o->prom.text);
		fail(what, err, err == -EADDRINUSE ? "another program listens there" :
				err == -ELIBACC ? "install libmicrohttpd12" : NULL);
	}
	return err;
}

/* The processes to trace: the command, the -p PIDs, or the cgroup's. */
static int start_targets(struct session *s, const struct procmon_opts *o,
			 const struct run_as *ra, int *log_fd)
{
	if (o->command)
		return start_command(s, o, ra);
	if (o->n_pids)
		return attach_pids(s, o, ra, log_fd);
	if (cgroup_run_scan(s)) {
		fail("cannot write the log", s->log.err, NULL);
		return PROCMON_EXIT_FAILURE;
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

/* What the run needs of the options. */
static struct session_config session_config(const struct procmon_opts *o)
{
	return (struct session_config){
		.interval_s = o->interval_s,
		.duration_s = o->duration_s,
		.format = o->format,
		.threads = o->threads,
		.follow_children = o->children,
		.ringbuf_bytes = o->ringbuf_bytes,
		.marks = o->marks,
		.n_marks = o->n_marks,
		.verbose = o->verbose,
		.light = o->light,
	};
}

/* After the run: the write error or the loop's, on one line. */
static void report_run_error(const struct session *s, const struct procmon_opts *o, int err)
{
	if (s->log.err)
		fail(o->output ? "cannot write the log" : "cannot write the log to stderr",
		     s->log.err, s->log.err == -ENOSPC ?
		     "free some space; the lines written so far are intact" : NULL);
	else if (err)
		fail("tracing failed", err, NULL);
}

/* The end of a run: last lines, the command's exit, the summary. Returns the
 * exit status. */
static int finish_run(struct session *s, const struct procmon_opts *o, struct exporter *ex,
		      int err)
{
	report_run_error(s, o, err);
	session_stop_tracing(s);
	/* A reader that closed the log pipe (`procmon -o - -- CMD | head -1`) is gone
	 * for good: stop now, as SIGPIPE would have stopped us, rather than wait for
	 * the command; it gets SIGTERM from PR_SET_PDEATHSIG, as after SIGTERM. */
	if (s->log.err != -EPIPE)
		session_wait_launched(s);
	if (ex)
		exporter_publish(ex);	/* the last STOP lines' values */
	status_stop(s->status);
	s->status = NULL;
	if (s->ticks_lost || s->ticks_dropped)
		fprintf(stderr, "procmon: samples skipped: too many processes for this interval "
			"(%llu ticks skipped in the kernel, %llu samples in procmon); use a longer -i\n",
			s->ticks_lost, s->ticks_dropped);
	if (!o->quiet) {
		summary_print(s, stderr);
		if (s->cgroup)
			cgroup_run_summary(s, stderr);
	}
	return exit_status(s, err);
}

/* --cgroup/--unit and --prometheus: what they need before the log. 0 or -1
 * after one `procmon: ` line. */
static int start_production(const struct procmon_opts *o, const struct run_as *ra,
			    struct cgroup_dir *cg, struct exporter **ex)
{
	bool by_cgroup = o->cgroup || o->unit;

	if ((by_cgroup && open_cgroup(o, ra, cg)) || start_exporter(o, by_cgroup ? cg : NULL, ex))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct procmon_opts o;
	struct session_config cfg;
	struct session s = { .epoll_fd = -1, .timer_fd = -1 };
	struct cgroup_dir cg = { 0 };
	struct exporter *ex = NULL;
	struct run_as ra;
	sigset_t blocked;
	int err, log_fd = -1, status = PROCMON_EXIT_FAILURE;

	if (argc > 1 && !strcmp(argv[1], "plot"))
		return cmd_plot(argc - 1, argv + 1);
	options_parse(argc, argv, &o);
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	if (preflight(&o, &ra))
		return PROCMON_EXIT_FAILURE;
	launch_raise_fd_limit();
	tracees_block_sigchld();	/* before any thread: only the signalfd gets it */
	if (start_production(&o, &ra, &cg, &ex))
		return PROCMON_EXIT_FAILURE;
	/* -p opens the log once the PIDs are attached (none is left if they have
	 * gone meanwhile); a command is not started unless its log can be written. */
	if (!o.n_pids && (log_fd = output_open_log(o.output, &ra)) < 0)
		goto cleanup;
	cfg = session_config(&o);
	cfg.cgroup_id = (o.cgroup || o.unit) ? cg.id : 0;
	if (session_start(&s, &cfg, log_fd, &stop_signal))
		goto cleanup;
	s.exporter = ex;
	if ((o.cgroup || o.unit) && cgroup_run_new(&s, &cg, &ra))
		goto cleanup;
	status = start_targets(&s, &o, &ra, &log_fd);
	if (status)
		goto cleanup;
	if (status_wanted(log_fd, o.quiet))
		s.status = status_start(s.epoll_fd, SESSION_EPOLL_KEY(SESSION_TAG_STATUS, 0));
	/* The command runs with its own credentials already: what is left of the
	 * run needs only a few of root's capabilities. */
	err = privs_drop_unneeded();
	if (err && verbose)
		fail("warning: cannot drop capabilities", err, NULL);
	install_signals(&blocked);
	warn_missing_marks(&s.labels);
	status = finish_run(&s, &o, ex, session_run(&s));
cleanup:
	status_stop(s.status);
	session_stop_tracing(&s);
	session_destroy(&s);
	cgroup_run_free(&s);
	exporter_stop(ex);
	if (log_fd >= 0 && close(log_fd) && status == 0)
		status = PROCMON_EXIT_FAILURE;
	return status;
}
