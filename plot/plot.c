// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot LOG... OUTDIR [--png] [--pid PID] [--all]`: its command line, and the
 * steps of a run: drop privileges, read the logs, choose the processes, make
 * OUTDIR, draw each log's charts, then the runs compared and the index. */
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
#include "compare.h"
#include "index.h"
#include "render.h"
#include "stem.h"
#include "text.h"

/* A process with fewer periodic samples (lines that are neither labels nor
 * events) gets no chart of its own in a log of several (a build's 1 ms
 * `sh -c printf`): the tree chart and the index show it. */
#define PLOT_MIN_SAMPLES 5

struct plot_opts {
	const char **paths;		/* the logs, then OUTDIR */
	size_t nr_paths, nr_logs;
	const char *out_dir;
	bool png, has_pid, help, all;
	long long pid;
	double timeout_s;
};

enum { OPT_HELP = 'h', OPT_PNG = 0x100, OPT_PID, OPT_USAGE, OPT_ALL };

static const struct argp_option options[] = {
	{ "png", OPT_PNG, NULL, 0, "Also write a PNG next to each SVG", 0 },
	{ "pid", OPT_PID, "PID", 0, "Plot only this process of the log", 0 },
	{ "all", OPT_ALL, NULL, 0, "A chart for every process, also the short-lived ones", 0 },
	{ "help", OPT_HELP, NULL, 0, "Show this help", -1 },
	{ NULL, '?', NULL, OPTION_ALIAS, NULL, -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Show a short usage message", -1 },
	{},
};

static const char doc[] =
	"Plot memory, CPU and page faults of each process in a procmon (or TotalDepth) "
	"log, with its labels, as OUTDIR/<log>_<pid>.svg: one chart per process, "
	"panels sharing the time axis. The .dat and .plt files gnuplot reads stay "
	"next to it. A log of several processes also gets <log>_tree.svg (-c) and "
	"OUTDIR/index.html; its processes of fewer than 5 samples get no chart of "
	"their own unless --all. Several logs: also OUTDIR/compare.svg, each run's "
	"main process on one time axis.\n\n"
	"Needs gnuplot on PATH. PROCMON_GNUPLOT_TIMEOUT=SECONDS changes the time "
	"gnuplot may take per chart (60). Under sudo it reads and writes as the "
	"invoking user. Exit status: 0, or 125 when anything failed."
	"\v"
	"Examples:\n"
	"  procmon plot run.log plots/          plots/run_<pid>.svg for every pid\n"
	"  procmon plot run.log plots/ --png    and plots/run_<pid>.png\n"
	"  procmon plot run.log plots/ --pid 4242\n"
	"  procmon plot before.log after.log plots/   and plots/compare.svg";

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
	case OPT_ALL:
		o->all = true;
		return 0;
	case OPT_PID:
		if (!parse_ll(arg, 0, INT_MAX, &o->pid)) {
			argp_error(state, "invalid pid '%s': expected a whole number", arg);
			return EINVAL;
		}
		o->has_pid = true;
		return 0;
	case ARGP_KEY_ARG:
		o->paths[o->nr_paths++] = arg;	/* room for argc */
		return 0;
	case ARGP_KEY_END:
		if (!o->help && o->nr_paths < 2) {
			argp_error(state, "expected LOG... OUTDIR");
			return EINVAL;
		}
		if (o->nr_paths >= 2) {
			o->nr_logs = o->nr_paths - 1;
			o->out_dir = o->paths[o->nr_logs];
		}
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* Returns 0, or PLOT_EXIT_FAILURE (usage) with the message printed. */
static int parse_args(int argc, char **argv, struct plot_opts *o)
{
	const struct argp argp = { options, parse_opt, "LOG... OUTDIR", doc, NULL, NULL, NULL };
	char *args[argc + 1];
	const char *timeout = getenv("PROCMON_GNUPLOT_TIMEOUT");

	/* argp names the program after argv[0] in its messages. */
	for (int i = 0; i < argc; i++)
		args[i] = argv[i];
	args[0] = "procmon plot";
	args[argc] = NULL;
	memset(o, 0, sizeof(*o));
	o->paths = calloc((size_t)argc + 1, sizeof(*o->paths));
	if (!o->paths)
		return PLOT_EXIT_FAILURE;
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

/* Of a log of several processes, the ones that lived PLOT_MIN_SAMPLES samples or
 * more (all of them, if none did); without --all or --pid. */
static void pick_long_lived(const struct plot_log *log, bool *chosen)
{
	size_t n = 0, kept = 0;

	for (size_t i = 0; i < log->nr_procs; i++) {
		n += chosen[i];
		kept += chosen[i] && log->procs[i]->nr_ticks >= PLOT_MIN_SAMPLES;
	}
	if (n < 2 || !kept)
		return;
	for (size_t i = 0; i < log->nr_procs; i++)
		chosen[i] &= log->procs[i]->nr_ticks >= PLOT_MIN_SAMPLES;
}

/* Finds the processes to plot; 0 or -ENOENT with the reason printed. */
static int pick(const struct plot_log *log, const struct plot_opts *o, const char *path,
		bool *chosen)
{
	size_t n = 0;

	for (size_t i = 0; i < log->nr_procs; i++) {
		const struct plot_proc *p = log->procs[i];

		chosen[i] = p->nr_samples &&
			    (!o->has_pid || (p->has_pid && p->pid == o->pid));
		n += chosen[i];
	}
	if (n && !o->all && !o->has_pid)
		pick_long_lived(log, chosen);
	if (n)
		return 0;
	if (!o->has_pid || !log->nr_records) {
		fprintf(stderr, "procmon: plot: no usable record in '%s': expected JSON samples "
			"with elapsed_time, one per line\n", PLOT_SHOWN(path));
		return -ENOENT;
	}
	fprintf(stderr, "procmon: plot: pid %lld has no samples in '%s'; pids there:",
		o->pid, PLOT_SHOWN(path));
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

/* One log of the run, on its way to its charts. */
struct run {
	struct plot_log log;
	char *stem;
	bool *chosen, *drawn;
	bool tree_drawn;
	bool usable;			/* read, and has something to plot */
};

/* Reads and picks from each log; false when one failed (said), its run unusable. */
static bool read_logs(struct run *runs, const struct plot_opts *o)
{
	bool ok = true;

	for (size_t i = 0; i < o->nr_logs; i++) {
		struct run *r = &runs[i];

		if (read_log(o->paths[i], &r->log)) {
			ok = false;
			continue;
		}
		warn_bad_lines(&r->log);
		r->chosen = calloc(r->log.nr_procs + 1, sizeof(*r->chosen));
		r->drawn = calloc(r->log.nr_procs + 1, sizeof(*r->drawn));
		if (!r->chosen || !r->drawn || pick(&r->log, o, o->paths[i], r->chosen)) {
			ok = false;
			continue;
		}
		r->usable = true;
	}
	return ok;
}

/* Each log's stem; a stem met before gets "-2", "-3"... so no chart overwrites
 * another's. 0 or -ENOMEM. */
static int name_runs(struct run *runs, const struct plot_opts *o)
{
	for (size_t i = 0; i < o->nr_logs; i++) {
		char *mine = plot_log_stem(o->paths[i], 1);
		unsigned int nth = 1;

		for (size_t j = 0; mine && j < i; j++) {
			char *theirs = plot_log_stem(o->paths[j], 1);

			nth += theirs && !strcmp(mine, theirs);
			free(theirs);
		}
		free(mine);
		runs[i].stem = plot_log_stem(o->paths[i], nth);
		if (!runs[i].stem)
			return -ENOMEM;
	}
	return 0;
}

/* OUTDIR/compare.svg of the logs that could be read. 0 or -errno, said. */
static int plot_compare_runs(const struct run *runs, const struct plot_opts *o,
			     const char *dir)
{
	struct plot_compare_run cmp[o->nr_logs];
	size_t n = 0;

	for (size_t i = 0; i < o->nr_logs; i++)
		if (runs[i].usable)
			cmp[n++] = (struct plot_compare_run){ runs[i].stem, &runs[i].log };
	return plot_compare(cmp, n, dir, o->png, o->timeout_s);
}

/* OUTDIR/index.html, for a run of more than one chart. 0 or -errno, said. */
static int write_index(const struct run *runs, const struct plot_opts *o, const char *dir,
		       bool compared)
{
	struct plot_index_log logs[o->nr_logs];
	size_t procs = 0;
	char *path;
	FILE *f;
	int err;

	for (size_t i = 0; i < o->nr_logs; i++) {
		logs[i] = (struct plot_index_log){ o->paths[i], runs[i].stem,
						   runs[i].usable ? &runs[i].log : NULL,
						   runs[i].drawn, runs[i].tree_drawn };
		procs += runs[i].usable ? runs[i].log.nr_procs : 0;
	}
	if (o->nr_logs < 2 && procs < 2)
		return 0;	/* one chart: nothing to index */
	if (asprintf(&path, "%s/index.html", dir) < 0)
		return -ENOMEM;
	f = plot_create_file(path);
	err = f ? plot_write_index(f, logs, o->nr_logs, compared,
				   o->all || o->has_pid ? 0 : PLOT_MIN_SAMPLES) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "procmon: plot: cannot write '%s': %s\n", PLOT_SHOWN(path),
			strerror(-err));
	else
		printf("%s\n", PLOT_SHOWN(path));
	free(path);
	return err;
}

static void free_runs(struct run *runs, size_t n)
{
	for (size_t i = 0; runs && i < n; i++) {
		plot_log_free(&runs[i].log);
		free(runs[i].stem);
		free(runs[i].chosen);
		free(runs[i].drawn);
	}
	free(runs);
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts o;
	struct run *runs = NULL;
	const char *why;
	char *dir = NULL;
	bool ok, compared = false;
	size_t usable = 0;
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
	if (err || o.help) {
		free(o.paths);
		return err;
	}
	runs = calloc(o.nr_logs, sizeof(*runs));
	if (!runs || name_runs(runs, &o))
		goto out;
	ok = read_logs(runs, &o);
	for (size_t i = 0; i < o.nr_logs; i++)
		usable += runs[i].usable;
	if (!usable)
		goto out;
	dir = plot_output_dir(o.out_dir);
	if (!dir)
		goto out;
	for (size_t i = 0; i < o.nr_logs; i++) {
		if (!runs[i].usable)
			continue;
		err = plot_render(&runs[i].log, runs[i].chosen, &(struct plot_render_opts){
			.stem = runs[i].stem, .dir = dir, .png = o.png, .tree = !o.has_pid,
			.timeout_s = o.timeout_s, .drawn = runs[i].drawn,
			.tree_drawn = &runs[i].tree_drawn });
		ok &= !err;
	}
	if (o.nr_logs > 1 && usable > 1) {
		err = plot_compare_runs(runs, &o, dir);
		compared = !err;
		ok &= !err;
	}
	ok &= !write_index(runs, &o, dir, compared);
	/* The paths printed are the output: a failed write of them is a failure. */
	if (fflush(stdout) && ok) {
		fprintf(stderr, "procmon: plot: cannot write to standard output: %s\n",
			strerror(errno));
		ok = false;
	}
	status = ok ? 0 : PLOT_EXIT_FAILURE;
out:
	free(dir);
	free_runs(runs, o.nr_logs);
	free(o.paths);
	return status;
}
