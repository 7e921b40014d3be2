// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `procmon plot LOG OUTDIR [--png] [--pid PID]`: turns a procmon or TotalDepth
 * log into one gnuplot chart per process. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datfile.h"
#include "gnuplot.h"
#include "layout.h"
#include "log.h"
#include "phase_table.h"
#include "plot.h"
#include "proc_chart.h"
#include "strip.h"
#include "table.h"
#include "text.h"
#include "tree.h"
#include "tree_chart.h"

/* Rows per chart: more samples than this are thinned (see table.h). */
#define PLOT_MAX_ROWS 4000

struct plot_opts {
	const char *log_path, *out_dir;
	bool png, has_pid, help;
	long long pid;
	double timeout_s;
};

/* Who owns what we create: the sudo user when run as root under sudo. */
struct owner {
	bool set;
	uid_t uid;
	gid_t gid;
};

enum { OPT_HELP = 'h', OPT_PNG = 0x100, OPT_PID, OPT_USAGE };

static const struct argp_option options[] = {
	{ "png", OPT_PNG, NULL, 0, "Also write a PNG next to each SVG", 0 },
	{ "pid", OPT_PID, "PID", 0, "Plot only this process of the log", 0 },
	{ "help", OPT_HELP, NULL, 0, "Show this help", -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Show a short usage message", -1 },
	{},
};

static const char doc[] =
	"Plot memory, CPU and page faults of each process in a procmon (or TotalDepth) "
	"log, with its labels, as OUTDIR/<log>_<pid>.svg: one chart per process, "
	"panels sharing the time axis. The .dat and .plt files gnuplot reads stay "
	"next to it.\n\n"
	"Needs gnuplot on PATH. PROCMON_GNUPLOT_TIMEOUT=SECONDS changes the time "
	"gnuplot may take per chart (60)."
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

/* Returns 0, or 2 (usage) with the message printed. */
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
		return 2;
	if (timeout && *timeout) {
		char *end;

		errno = 0;
		o->timeout_s = strtod(timeout, &end);
		if (*end || errno || !(o->timeout_s > 0 && o->timeout_s <= 86400)) {
			fprintf(stderr, "procmon: plot: invalid PROCMON_GNUPLOT_TIMEOUT '%s': "
				"expected seconds, more than 0 and at most 86400\n", timeout);
			return 2;
		}
	}
	return 0;
}

/* Creates path for writing: never through a symlink, owned by o. */
static FILE *create_file(const char *path, const struct owner *o)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (o->set && fchown(fd, o->uid, o->gid)) {
		int err = errno;

		close(fd);
		errno = err;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* mkdir -p, giving the directories it creates to o. Returns 0 or -errno. */
static int make_dirs(const char *dir, const struct owner *o)
{
	char *p = strdup(dir);
	struct stat st;
	int err = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; !err; s++) {
		bool last = !*s;

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (!mkdir(p, 0755)) {
			if (o->set && chown(p, o->uid, o->gid))
				err = -errno;
		} else if (errno != EEXIST) {
			err = -errno;
		}
		if (last)
			break;
		*s = '/';
	}
	if (!err && (stat(p, &st) || !S_ISDIR(st.st_mode)))
		err = errno ? -errno : -ENOTDIR;
	free(p);
	return err;
}

/* The log's file name without directory and last extension, with control
 * characters made '_' so every output path is fit for the script. */
static char *log_stem(const char *log_path)
{
	const char *base = strrchr(log_path, '/');
	char *stem, *dot;

	base = base && base[1] ? base + 1 : log_path;
	stem = strdup(*base ? base : "log");
	if (!stem)
		return NULL;
	dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	for (unsigned char *c = (unsigned char *)stem; *c; c++)
		if (*c < 0x20 || *c == 0x7F || *c == '/')
			*c = '_';
	return stem;
}

struct chart_paths {
	char *dat, *labels, *phases, *totals, *plt, *svg, *png;
};

static void free_paths(struct chart_paths *c)
{
	free(c->dat);
	free(c->labels);
	free(c->phases);
	free(c->totals);
	free(c->plt);
	free(c->svg);
	free(c->png);
}

static int make_paths(struct chart_paths *c, const char *dir, const char *stem,
		      const struct plot_proc *p, bool png)
{
	char id[32];

	memset(c, 0, sizeof(*c));
	if (p->has_pid)
		snprintf(id, sizeof(id), "%lld", p->pid);
	else
		strcpy(id, "nopid");
	if (asprintf(&c->dat, "%s/%s_%s.dat", dir, stem, id) < 0 ||
	    asprintf(&c->labels, "%s/%s_%s.labels.dat", dir, stem, id) < 0 ||
	    asprintf(&c->phases, "%s/%s_%s.phases.dat", dir, stem, id) < 0 ||
	    asprintf(&c->totals, "%s/%s_%s.phase_totals.dat", dir, stem, id) < 0 ||
	    asprintf(&c->plt, "%s/%s_%s.plt", dir, stem, id) < 0 ||
	    asprintf(&c->svg, "%s/%s_%s.svg", dir, stem, id) < 0 ||
	    (png && asprintf(&c->png, "%s/%s_%s.png", dir, stem, id) < 0))
		return -ENOMEM;
	return 0;
}

/* Writes the phase table, and the totals per name when a name repeats.
 * Returns 0 or -errno with *failed the file that could not be written. */
static int write_phase_files(const struct chart_paths *c, const struct plot_proc *p,
			     const struct plot_phases *ph, const struct owner *o,
			     const char **failed)
{
	FILE *f;
	int err;

	*failed = c->phases;
	err = (f = create_file(c->phases, o)) ? plot_write_phases(f, p, ph) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (err || !ph->names_repeat)
		return err;
	*failed = c->totals;
	err = (f = create_file(c->totals, o)) ? plot_write_phase_totals(f, p, ph) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	return err;
}

/* Writes the input files of one chart. Prints its own messages. */
static int write_chart_files(const struct chart_paths *c, const struct plot_proc *p,
			     const struct owner *o)
{
	struct plot_paths paths = { c->dat, c->labels, NULL, c->svg, c->png };
	struct plot_phases ph = { 0 };
	struct plot_strip strip;
	struct plot_text_stats st;
	struct plot_layout l;
	struct plot_table t;
	char *title = NULL;
	const char *failed = c->dat;
	FILE *f = NULL;
	int err;

	err = plot_table_build(p, PLOT_MAX_ROWS, &t);
	if (!err)
		err = plot_phases_build(p, &ph);
	if (err)
		goto out;
	plot_proc_layout(&l, p, &t, ph.nr_rows);
	if (!plot_layout_has_data(&l)) {
		fprintf(stderr, "procmon: plot: %s has no memory, CPU or fault values to plot; "
			"skipped\n", c->svg);
		err = -ENODATA;
		goto out;
	}
	title = plot_proc_title(p);
	err = -ENOMEM;
	if (!title)
		goto out;
	err = (f = create_file(c->dat, o)) ? plot_write_dat(f, p, &t) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	f = NULL;
	if (err)
		goto out;
	failed = c->labels;
	strip = plot_proc_strip(p);
	err = (f = create_file(c->labels, o)) ? plot_write_labels(f, &strip, &l, title, &st) :
						-errno;
	if (f && fclose(f) && !err)
		err = -errno;
	f = NULL;
	if (err)
		goto out;
	if (ph.nr_rows) {
		err = write_phase_files(c, p, &ph, o, &failed);
		if (err)
			goto out;
		paths.phases = c->phases;
	}
	failed = c->plt;
	err = (f = create_file(c->plt, o)) ? plot_proc_write_script(f, &paths, &l, &t, &st) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
out:
	if (err && err != -ENODATA)
		fprintf(stderr, "procmon: plot: cannot write '%s': %s\n", failed, strerror(-err));
	free(title);
	plot_phases_free(&ph);
	plot_table_free(&t);
	return err;
}

/* Runs gnuplot on one script. Returns 0, -ENOENT (no gnuplot: the caller
 * stops trying) or another -errno, having said what went wrong. */
static int render(const struct chart_paths *c, double timeout_s)
{
	struct gnuplot_result res;
	int err = gnuplot_run(c->plt, timeout_s, &res);

	if (err == -ENOENT) {
		fprintf(stderr, "procmon: cannot run gnuplot: not found on PATH; install it with: "
			"apt-get install gnuplot-nox\n");
		return err;
	}
	if (err == -EINVAL) {
		fprintf(stderr, "procmon: cannot run gnuplot: SUDO_UID or SUDO_GID is not a "
			"number; unset them or run without sudo\n");
		return err;
	}
	if (err) {
		fprintf(stderr, "procmon: cannot run gnuplot: %s\n", strerror(-err));
		return err;
	}
	if (res.timed_out) {
		fprintf(stderr, "procmon: plot: gnuplot took more than %g s on '%s' and was "
			"killed; its .dat and .plt files are kept (set PROCMON_GNUPLOT_TIMEOUT="
			"SECONDS to wait longer)\n", timeout_s, c->plt);
		return -ETIMEDOUT;
	}
	if (res.term_signal || res.exit_status) {
		fprintf(stderr, "procmon: plot: gnuplot failed on '%s' (%s %d); its .dat and "
			".plt files are kept\n", c->plt,
			res.term_signal ? "signal" : "exit status",
			res.term_signal ? res.term_signal : res.exit_status);
		return -EPROTO;
	}
	printf("%s\n", c->svg);
	if (c->png)
		printf("%s\n", c->png);
	return 0;
}

static int read_log(const char *path, struct plot_log *log)
{
	FILE *f = fopen(path, "re");
	int err;

	if (!f) {
		fprintf(stderr, "procmon: plot: cannot open log '%s': %s\n", path, strerror(errno));
		return -errno;
	}
	err = plot_log_read(f, log);
	fclose(f);
	if (err)
		fprintf(stderr, "procmon: plot: cannot read log '%s': %s\n", path, strerror(-err));
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
			"with elapsed_time, one per line\n", o->log_path);
		return -ENOENT;
	}
	fprintf(stderr, "procmon: plot: pid %lld has no samples in '%s'; pids there:",
		o->pid, o->log_path);
	for (size_t i = 0; i < log->nr_procs; i++)
		if (log->procs[i]->has_pid && log->procs[i]->nr_samples)
			fprintf(stderr, " %lld", log->procs[i]->pid);
	fputc('\n', stderr);
	return -ENOENT;
}

/* Creates OUTDIR and returns its absolute path (caller frees), or NULL. */
static char *output_dir(const char *dir, const struct owner *o)
{
	char *abs;
	int err;

	for (const unsigned char *c = (const unsigned char *)dir; *c; c++) {
		if (*c < 0x20 || *c == 0x7F) {
			fprintf(stderr, "procmon: plot: output directory has a control character "
				"in its name, which gnuplot cannot be given safely; choose another\n");
			return NULL;
		}
	}
	err = make_dirs(dir, o);
	if (err) {
		fprintf(stderr, "procmon: plot: cannot create output directory '%s': %s\n",
			dir, strerror(-err));
		return NULL;
	}
	abs = realpath(dir, NULL);
	if (!abs) {
		fprintf(stderr, "procmon: plot: cannot resolve output directory '%s': %s\n",
			dir, strerror(errno));
		return NULL;
	}
	if (!plot_path_is_safe(abs)) {
		fprintf(stderr, "procmon: plot: output directory '%s' has a control character in "
			"its path, which gnuplot cannot be given safely; choose another\n", dir);
		free(abs);
		return NULL;
	}
	return abs;
}

/* Writes the input files of the tree's chart into c. Returns 0, -ENOENT
 * when the log holds no tree, or -errno with the message printed. */
static int write_tree_files(const struct chart_paths *c, const struct plot_log *log,
			    const struct owner *o)
{
	struct plot_paths paths = { c->dat, c->labels, NULL, c->svg, c->png };
	struct plot_strip strip = { 0 };
	struct plot_text_stats st;
	struct plot_layout l;
	struct plot_tree tree;
	const char *failed = c->dat;
	char *title = NULL;
	FILE *f;
	int err;

	err = plot_tree_build(log, PLOT_MAX_ROWS, &tree);
	if (err == -ENOENT)
		return err;
	if (!err)
		err = plot_tree_strip(&tree, &strip);
	if (err)
		goto out;
	plot_tree_layout(&l, &tree);
	err = -ENOMEM;
	title = plot_tree_title(&tree);
	if (!title)
		goto out;
	err = (f = create_file(c->dat, o)) ? plot_write_tree_dat(f, &tree) : -errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (err)
		goto out;
	failed = c->labels;
	err = (f = create_file(c->labels, o)) ? plot_write_labels(f, &strip, &l, title, &st) :
						-errno;
	if (f && fclose(f) && !err)
		err = -errno;
	if (err)
		goto out;
	failed = c->plt;
	err = (f = create_file(c->plt, o)) ? plot_tree_write_script(f, &paths, &l, &tree, &st) :
					     -errno;
	if (f && fclose(f) && !err)
		err = -errno;
out:
	if (err)
		fprintf(stderr, "procmon: plot: cannot write '%s': %s\n", failed, strerror(-err));
	free(title);
	plot_strip_free(&strip);
	plot_tree_free(&tree);
	return err;
}

/* The combined chart of a process tree, <stem>_tree.svg, when the log holds
 * one. Returns 0 (also for no tree), -ENOENT without gnuplot, or -errno. */
static int plot_tree(const struct plot_log *log, const struct plot_opts *o, const char *dir,
		     const char *stem, const struct owner *own, bool have_gnuplot)
{
	struct chart_paths c = { 0 };
	int err = -ENOMEM;

	if (asprintf(&c.dat, "%s/%s_tree.dat", dir, stem) < 0 ||
	    asprintf(&c.labels, "%s/%s_tree.labels.dat", dir, stem) < 0 ||
	    asprintf(&c.plt, "%s/%s_tree.plt", dir, stem) < 0 ||
	    asprintf(&c.svg, "%s/%s_tree.svg", dir, stem) < 0 ||
	    (o->png && asprintf(&c.png, "%s/%s_tree.png", dir, stem) < 0))
		goto out;
	err = write_tree_files(&c, log, own);
	if (err == -ENOENT)
		err = 0;
	else if (!err && have_gnuplot)
		err = render(&c, o->timeout_s);
out:
	free_paths(&c);
	return err;
}

static int plot_all(const struct plot_log *log, const struct plot_opts *o, const bool *chosen,
		    const char *dir, const struct owner *own)
{
	char *stem = log_stem(o->log_path);
	bool have_gnuplot = true;
	int status = 0;

	if (!stem)
		return 1;
	for (size_t i = 0; i < log->nr_procs; i++) {
		struct chart_paths c;
		int err;

		if (!chosen[i])
			continue;
		err = make_paths(&c, dir, stem, log->procs[i], o->png);
		if (!err)
			err = write_chart_files(&c, log->procs[i], own);
		if (err == -ENODATA)
			err = 0;
		else if (!err && have_gnuplot && (err = render(&c, o->timeout_s)) == -ENOENT)
			have_gnuplot = false;
		if (err)
			status = 1;
		free_paths(&c);
	}
	if (!o->has_pid && plot_tree(log, o, dir, stem, own, have_gnuplot))
		status = 1;
	free(stem);
	return status;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_log log = { 0 };
	struct plot_opts o;
	struct owner own = { 0 };
	bool *chosen = NULL;
	char *dir = NULL;
	int status = 1, ret;

	ret = parse_args(argc, argv, &o);
	if (ret || o.help)
		return ret;
	ret = gnuplot_sudo_ids(&own.uid, &own.gid);
	own.set = ret > 0;
	if (read_log(o.log_path, &log))
		goto out;
	if (log.nr_bad)
		fprintf(stderr, "procmon: plot: skipped %zu bad lines (first at line %zu)\n",
			log.nr_bad, log.first_bad_line);
	chosen = calloc(log.nr_procs + 1, sizeof(*chosen));
	if (!chosen || pick(&log, &o, chosen))
		goto out;
	dir = output_dir(o.out_dir, &own);
	if (!dir)
		goto out;
	status = plot_all(&log, &o, chosen, dir, &own);
out:
	free(dir);
	free(chosen);
	plot_log_free(&log);
	return status;
}
