// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot LOG OUTDIR [--png] [--pid PID]`: its command line, and the steps of
 * a run: drop privileges, read the log, choose the processes, make OUTDIR, draw. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drop.h"
#include "gnuplot.h"
#include "log.h"
#include "outdir.h"
#include "plot.h"
#include "render.h"
#include "text.h"

struct plot_opts {
	const char *log_path, *out_dir;
	bool png, has_pid, help;
	long long pid;
	double timeout_s;
};

enum { OPT_HELP = 'h', OPT_PNG = 0x100, OPT_PID, OPT_USAGE };

static const struct argp_option options[] = {
	{ "png", OPT_PNG, NULL, 0, "Also write a PNG next to each SVG", 0 },
	{ "pid", OPT_PID, "PID", 0, "Plot only this process of the log", 0 },
	{ "help", OPT_HELP, NULL, 0, "Show this help", -1 },
	{ NULL, '?', NULL, OPTION_ALIAS, NULL, -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Show a short usage message", -1 },
	{},
};

static const char doc[] =
	"Plot memory, CPU and page faults of each process in a procmon (or TotalDepth) "
	"log, with its labels, as OUTDIR/<log>_<pid>.svg: one chart per process, "
	"panels sharing the time axis. The .dat and .plt files gnuplot reads stay "
	"next to it.\n\n"
	"Needs gnuplot on PATH. PROCMON_GNUPLOT_TIMEOUT=SECONDS changes the time "
	"gnuplot may take per chart (60). Under sudo it reads and writes as the "
	"invoking user. Exit status: 0, or 125 when anything failed."
	"\v"
	"Examples:\n"
	"  procmon plot run.log plots/          plots/run_<pid>.svg for every pid\n"
	"  procmon plot run.log plots/ --png    and plots/run_<pid>.png\n"
	"  procmon plot run.log plots/ --pid 4242";

/* Parses a whole decimal number in [min, max]; false for anything else. */
static bool parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return *s && !*end && !errno && *out >= min && *out <= max;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct plot_opts *o = state->input;

	switch (key) {
	case OPT_HELP:
	case '?':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK);
		o->help = true;
		return 0;
	case OPT_USAGE:
		argp_state_help(state, stdout, ARGP_HELP_USAGE);
		o->help = true;
		return 0;
	case OPT_PNG:
		o->png = true;
		return 0;
	case OPT_PID:
		if (!parse_ll(arg, 0, INT_MAX, &o->pid)) {
			argp_error(state, "invalid pid '%s': expected a whole number", arg);
			return EINVAL;
		}
		o->has_pid = true;
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num == 0)
			o->log_path = arg;
		else if (state->arg_num == 1)
			o->out_dir = arg;
		else {
			argp_error(state, "too many arguments: expected LOG OUTDIR");
			return EINVAL;
		}
		return 0;
	case ARGP_KEY_END:
		if (!o->help && state->arg_num < 2) {
			argp_error(state, "expected LOG OUTDIR");
			return EINVAL;
		}
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* Returns 0, or PLOT_EXIT_FAILURE (usage) with the message printed. */
static int parse_args(int argc, char **argv, struct plot_opts *o)
{
	const struct argp argp = { options, parse_opt, "LOG OUTDIR", doc, NULL, NULL, NULL };
	char *args[argc + 1];
	const char *timeout = getenv("PROCMON_GNUPLOT_TIMEOUT");

	/* argp names the program after argv[0] in its messages. */
	for (int i = 0; i < argc; i++)
		args[i] = argv[i];
	args[0] = "procmon plot";
	args[argc] = NULL;
	memset(o, 0, sizeof(*o));
	o->timeout_s = GNUPLOT_TIMEOUT_S;
	if (argp_parse(&argp, argc, args, ARGP_NO_EXIT | ARGP_NO_HELP, NULL, o))
		return PLOT_EXIT_FAILURE;
	if (timeout && *timeout) {
		char *end;

		errno = 0;
		o->timeout_s = strtod(timeout, &end);
		if (*end || errno || !(o->timeout_s > 0 && o->timeout_s <= 86400)) {
			fprintf(stderr, "procmon: plot: invalid PROCMON_GNUPLOT_TIMEOUT '%s': "
				"expected seconds, more than 0 and at most 86400\n",
				PLOT_SHOWN(timeout));
			return PLOT_EXIT_FAILURE;
		}
	}
	return 0;
}

/* Opens the log: a regular file or a pipe (a FIFO, /dev/stdin of one), never
 * a device, which may never end (/dev/zero) or act when read. NULL, said. */
static FILE *open_log(const char *path)
{
	struct stat st;
	FILE *f;
	int fd;

	/* stat first, so a device is not even opened. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		goto not_a_file;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "procmon: plot: cannot open log '%s': %s\n", PLOT_SHOWN(path),
			strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))) {
		close(fd);
		goto not_a_file;
	}
	f = fdopen(fd, "r");
	if (!f) {
		fprintf(stderr, "procmon: plot: cannot read log '%s': %s\n", PLOT_SHOWN(path),
			strerror(errno));
		close(fd);
	}
	return f;
not_a_file:
	fprintf(stderr, "procmon: cannot plot '%s': not a regular file or a pipe\n",
		PLOT_SHOWN(path));
	return NULL;
}

static int read_log(const char *path, struct plot_log *log)
{
	FILE *f = open_log(path);
	int err;

	if (!f)
		return -EINVAL;
	err = plot_log_read(f, log);
	fclose(f);
	if (err)
		fprintf(stderr, "procmon: plot: cannot read log '%s': %s\n", PLOT_SHOWN(path),
			strerror(-err));
	return err;
}

/* Finds the processes to plot; 0 or -ENOENT with the reason printed. */
static int pick(const struct plot_log *log, const struct plot_opts *o, bool *chosen)
{
	size_t n = 0;

	for (size_t i = 0; i < log->nr_procs; i++) {
		const struct plot_proc *p = log->procs[i];

		chosen[i] = p->nr_samples &&
			    (!o->has_pid || (p->has_pid && p->pid == o->pid));
		n += chosen[i];
	}
	if (n)
		return 0;
	if (!o->has_pid || !log->nr_records) {
		fprintf(stderr, "procmon: plot: no usable record in '%s': expected JSON samples "
			"with elapsed_time, one per line\n", PLOT_SHOWN(o->log_path));
		return -ENOENT;
	}
	fprintf(stderr, "procmon: plot: pid %lld has no samples in '%s'; pids there:",
		o->pid, PLOT_SHOWN(o->log_path));
	for (size_t i = 0; i < log->nr_procs; i++)
		if (log->procs[i]->has_pid && log->procs[i]->nr_samples)
			fprintf(stderr, " %lld", log->procs[i]->pid);
	fputc('\n', stderr);
	return -ENOENT;
}

/* Says how many lines were skipped, and why when some were too long. */
static void warn_bad_lines(const struct plot_log *log)
{
	if (!log->nr_bad)
		return;
	fprintf(stderr, "procmon: plot: skipped %zu bad lines (first at line %zu", log->nr_bad,
		log->first_bad_line);
	if (log->nr_too_long)
		fprintf(stderr, "; %zu longer than %u MiB", log->nr_too_long, PLOT_LINE_MAX >> 20);
	fputs(")\n", stderr);
}

int cmd_plot(int argc, char **argv)
{
	struct plot_log log = { 0 };
	struct plot_opts o;
	bool *chosen = NULL;
	const char *why;
	char *dir = NULL;
	int status = PLOT_EXIT_FAILURE, err;

	/* Before anything is opened: under sudo, plot reads and writes only what
	 * the invoking user could. */
	err = plot_drop_privileges(&why);
	if (err) {
		fprintf(stderr, "procmon: plot: cannot give up root for the invoking user: %s\n",
			why ? why : strerror(-err));
		return PLOT_EXIT_FAILURE;
	}
	err = parse_args(argc, argv, &o);
	if (err || o.help)
		return err;
	if (read_log(o.log_path, &log))
		goto out;
	warn_bad_lines(&log);
	chosen = calloc(log.nr_procs + 1, sizeof(*chosen));
	if (!chosen || pick(&log, &o, chosen))
		goto out;
	dir = plot_output_dir(o.out_dir);
	if (!dir)
		goto out;
	err = plot_render(&log, chosen, &(struct plot_render_opts){
		.log_path = o.log_path, .dir = dir, .png = o.png, .tree = !o.has_pid,
		.timeout_s = o.timeout_s });
	/* The paths printed are the output: a failed write of them is a failure. */
	if (fflush(stdout) && !err) {
		fprintf(stderr, "procmon: plot: cannot write to standard output: %s\n",
			strerror(errno));
		err = -EIO;
	}
	status = err ? PLOT_EXIT_FAILURE : 0;
out:
	free(dir);
	free(chosen);
	plot_log_free(&log);
	return status;
}
