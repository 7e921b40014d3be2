// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The charts of one log, each chosen process's and the process tree's: each
 * written as its data files and script, then drawn by gnuplot and checked. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "datfile.h"
#include "gnuplot.h"
#include "hover.h"
#include "outdir.h"
#include "phase_table.h"
#include "proc_chart.h"
#include "render.h"
#include "strip.h"
#include "table.h"
#include "text.h"
#include "tree.h"
#include "tree_chart.h"

/* Rows per chart: more samples than this are thinned (see table.h). */
#define PLOT_MAX_ROWS 4000

/* One chart on its way to an SVG: its files, what it draws, and from what. */
struct chart {
	char *dat, *labels, *phases, *totals, *threads, *names, *plt, *svg, *png;
	const struct plot_proc *p;	/* the process charted; NULL: the tree */
	struct plot_table t;		/* a process's */
	struct plot_phases ph;
	struct plot_tree tree;		/* the tree's */
	const struct plot_chart_desc *desc;
	const void *data;		/* what its curves draw: &t or &tree */
	int (*write_dat)(FILE *f, struct chart *c);
	struct plot_strip strip;
	struct plot_layout l;
	struct plot_paths paths;	/* what its script reads and writes */
	char *title;
	struct plot_text_stats st;	/* of its labels file, for the script */
	bool drawn;			/* gnuplot made its SVG */
};

static char *file_name(const char *dir, const char *stem, const char *id, const char *ext)
{
	char *s;

	return asprintf(&s, "%s/%s_%s%s", dir, stem, id, ext) < 0 ? NULL : s;
}

/* DIR/<stem>_<id>.dat and the rest. 0 or -ENOMEM. */
static int name_files(struct chart *c, const struct plot_render_opts *o, const char *stem,
		      const char *id)
{
	c->dat = file_name(o->dir, stem, id, ".dat");
	c->labels = file_name(o->dir, stem, id, ".labels.dat");
	c->phases = file_name(o->dir, stem, id, ".phases.dat");
	c->totals = file_name(o->dir, stem, id, ".phase_totals.dat");
	c->threads = file_name(o->dir, stem, id, ".threads.dat");
	c->names = file_name(o->dir, stem, id, ".names.dat");
	c->plt = file_name(o->dir, stem, id, ".plt");
	c->svg = file_name(o->dir, stem, id, ".svg");
	if (o->png)
		c->png = file_name(o->dir, stem, id, ".png");
	return c->dat && c->labels && c->phases && c->totals && c->threads && c->names && c->plt && c->svg &&
	       (!o->png || c->png) ? 0 : -ENOMEM;
}

static void chart_free(struct chart *c)
{
	free(c->dat);
	free(c->labels);
	free(c->phases);
	free(c->totals);
	free(c->threads);
	free(c->names);
	free(c->plt);
	free(c->svg);
	free(c->png);
	free(c->title);
	plot_phases_free(&c->ph);
	plot_table_free(&c->t);
	if (!c->p)
		plot_strip_free(&c->strip);	/* a process's is borrowed */
	plot_tree_free(&c->tree);
}

static int write_proc_dat(FILE *f, struct chart *c)
{
	return plot_write_dat(f, c->p, &c->t);
}

static int write_tree_dat(FILE *f, struct chart *c)
{
	return plot_write_tree_dat(f, &c->tree);
}

static int write_labels(FILE *f, struct chart *c)
{
	return plot_write_labels(f, &c->strip, &c->l, c->title, &c->st);
}

static int write_phases(FILE *f, struct chart *c)
{
	return plot_write_phases(f, c->p, &c->ph);
}

static int write_phase_totals(FILE *f, struct chart *c)
{
	return plot_write_phase_totals(f, c->p, &c->ph);
}

static int write_threads(FILE *f, struct chart *c)
{
	return plot_write_threads(f, c->p, &c->t.threads);
}

static int write_names(FILE *f, struct chart *c)
{
	return plot_write_tree_names(f, &c->tree);
}

static int write_script(FILE *f, struct chart *c)
{
	return plot_chart_write(f, c->desc, &c->paths, &c->l, &c->st, c->data);
}

/* The inputs of p's chart; -ENODATA, said, when it has nothing to plot. */
static int build_proc(struct chart *c, const struct plot_proc *p)
{
	int err = plot_table_build(p, PLOT_MAX_ROWS, &c->t);

	if (!err)
		err = plot_phases_build(p, &c->ph);
	if (err)
		return err;
	plot_proc_layout(&c->l, p, &c->t, c->ph.nr_rows);
	if (!plot_layout_has_data(&c->l)) {
		fprintf(stderr, "procmon: plot: %s has no memory, CPU or fault values to plot; "
			"skipped\n", PLOT_SHOWN(c->svg));
		return -ENODATA;
	}
	c->desc = &plot_proc_chart;
	c->data = &c->t;
	c->write_dat = write_proc_dat;
	c->strip = plot_proc_strip(p);
	c->title = plot_proc_title(p);
	return c->title ? 0 : -ENOMEM;
}

/* The inputs of the tree's chart; -ENOENT when the log holds no tree. */
static int build_tree(struct chart *c, const struct plot_log *log)
{
	int err = plot_tree_build(log, PLOT_MAX_ROWS, &c->tree);

	if (!err)
		err = plot_tree_strip(&c->tree, &c->strip);
	if (err)
		return err;
	plot_tree_layout(&c->l, &c->tree, &c->strip);
	c->desc = &plot_tree_chart;
	c->data = &c->tree;
	c->write_dat = write_tree_dat;
	c->title = plot_tree_title(&c->tree);
	return c->title ? 0 : -ENOMEM;
}

/* Creates path (*created) and fills it with write(). Returns 0 or -errno:
 * the errno of the failed write (ENOSPC, EDQUOT, EIO), which stdio leaves. */
static int write_file(const char *path, int (*write)(FILE *f, struct chart *c), struct chart *c,
		      bool *created)
{
	FILE *f = plot_create_file(path);
	int err;

	*created = f != NULL;
	if (!f)
		return -errno;
	errno = 0;
	err = write(f, c);
	if (err == -EIO && ferror(f) && errno)
		err = -errno;
	if (!err && fflush(f))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* Removes what a failed chart left: a cut file is worse than none. */
static void remove_files(const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (paths[i])
			unlink(paths[i]);
}

/* A disk that is full (or over quota): no later chart can be written. */
static bool out_of_space(int err)
{
	return err == -ENOSPC || err == -EDQUOT;
}

/* Writes the files gnuplot reads, then the script. Prints what failed, and
 * removes them all when one cannot be written. */
static int write_inputs(struct chart *c)
{
	const struct {
		const char *path;	/* NULL: not this chart's */
		int (*write)(FILE *f, struct chart *c);
	} files[] = {
		{ c->dat, c->write_dat },
		{ c->labels, write_labels },
		{ c->ph.nr_rows ? c->phases : NULL, write_phases },
		{ c->ph.names_repeat ? c->totals : NULL, write_phase_totals },
		{ c->p && c->t.threads.nr_shown ? c->threads : NULL, write_threads },
		{ !c->p && c->tree.nr_top ? c->names : NULL, write_names },
		{ c->plt, write_script },
	};
	/* What to remove on a failure: the files made so far, and the SVG and PNG
	 * of an earlier run, which would no longer match. */
	const char *written[sizeof(files) / sizeof(files[0]) + 2] = { c->svg, c->png };

	c->paths = (struct plot_paths){ c->dat, c->labels, files[2].path, files[4].path,
					files[5].path, c->svg, c->png };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		bool created = false;
		int err = files[i].path ?
			  write_file(files[i].path, files[i].write, c, &created) : 0;

		written[i + 2] = created ? files[i].path : NULL;
		if (err) {
			remove_files(written, i + 3);
			fprintf(stderr, "procmon: plot: cannot write '%s': %s%s\n",
				PLOT_SHOWN(files[i].path), strerror(-err),
				i || created ? "; this chart's files are removed" : "");
			return err;
		}
	}
	return 0;
}

/* True when the last bytes of path (at most window) hold tail: gnuplot exits 0
 * even when it could not write the whole file (a full disk). */
static bool ends_with(const char *path, const char *tail, size_t tail_len, size_t window)
{
	char buf[256];
	struct stat st;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && window <= sizeof(buf) &&
	    st.st_size >= (off_t)tail_len) {
		off_t from = st.st_size > (off_t)window ? st.st_size - (off_t)window : 0;

		n = pread(fd, buf, (size_t)(st.st_size - from), from);
	}
	close(fd);
	return n >= (ssize_t)tail_len && memmem(buf, (size_t)n, tail, tail_len);
}

/* The output gnuplot did not write whole (the SVG without its closing tag,
 * the PNG without its IEND chunk last), or NULL. */
static const char *cut_output(const char *svg, const char *png)
{
	static const char png_end[] = "IEND\xAE\x42\x60\x82";

	if (!ends_with(svg, "</svg>", 6, 64))
		return svg;
	if (png && !ends_with(png, png_end, sizeof(png_end) - 1, sizeof(png_end) - 1))
		return png;
	return NULL;
}

/* Why gnuplot, which does not say, cut path short: -ENOSPC when its file
 * system has no space left (the usual cause), else -EIO. */
static int cut_reason(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	struct statvfs vfs;

	/* path is absolute (the output directory is resolved): "/x" is in "/". */
	snprintf(dir, sizeof(dir), "%.*s", slash > path ? (int)(slash - path) : 1,
		 slash ? path : ".");
	return !statvfs(dir, &vfs) && vfs.f_bavail == 0 ? -ENOSPC : -EIO;
}

int plot_run_gnuplot(const char *plt, const char *svg, const char *png, double timeout_s)
{
	const char *outputs[] = { svg, png }, *cut;
	struct gnuplot_result res;
	int err = gnuplot_run(plt, timeout_s, &res);

	if (err == -ENOENT) {
		fprintf(stderr, "procmon: cannot run gnuplot: not found on PATH; install it with: "
			"apt-get install gnuplot-nox\n");
		return err;
	}
	if (err) {
		fprintf(stderr, "procmon: cannot run gnuplot: %s\n", strerror(-err));
		return err;
	}
	if (res.timed_out) {
		remove_files(outputs, 2);
		fprintf(stderr, "procmon: plot: gnuplot took more than %g s on '%s' and was "
			"killed; its .dat and .plt files are kept (set PROCMON_GNUPLOT_TIMEOUT="
			"SECONDS to wait longer)\n", timeout_s, PLOT_SHOWN(plt));
		return -ETIMEDOUT;
	}
	if (res.term_signal || res.exit_status) {
		remove_files(outputs, 2);
		fprintf(stderr, "procmon: plot: gnuplot failed on '%s' (%s %d); its .dat and "
			".plt files are kept\n", PLOT_SHOWN(plt),
			res.term_signal ? "signal" : "exit status",
			res.term_signal ? res.term_signal : res.exit_status);
		return -EPROTO;
	}
	cut = cut_output(svg, png);
	if (cut) {
		err = cut_reason(cut);
		fprintf(stderr, "procmon: plot: gnuplot could not write '%s' whole: %s; it is "
			"removed, its .dat and .plt files are kept\n", PLOT_SHOWN(cut),
			err == -ENOSPC ? strerror(ENOSPC) : "the file is cut short");
		remove_files(outputs, 2);
		return err;
	}
	printf("%s\n", PLOT_SHOWN(svg));
	if (png)
		printf("%s\n", PLOT_SHOWN(png));
	return 0;
}

/* Writes the files of a chart (built: how building it went) and draws it.
 * Returns 0, also for a chart with nothing to draw, or -errno. */
static int finish(struct chart *c, int built, const struct plot_render_opts *o,
		  bool *have_gnuplot)
{
	int err = built;

	if (err == -ENODATA)
		return 0;
	if (err)
		fprintf(stderr, "procmon: plot: cannot write '%s': %s\n", PLOT_SHOWN(c->dat),
			strerror(-err));
	else
		err = write_inputs(c);
	if (!err && *have_gnuplot && (err = plot_run_gnuplot(c->plt, c->svg, c->png,
								    o->timeout_s)) == -ENOENT)
		*have_gnuplot = false;
	/* Every label's whole text, also of the folded ones, as hover titles. */
	if (!err && *have_gnuplot && (err = plot_svg_add_hover(c->svg, &c->strip, &c->l)))
		fprintf(stderr, "procmon: plot: cannot add the label texts to '%s': %s\n",
			PLOT_SHOWN(c->svg), strerror(-err));
	c->drawn = !err && *have_gnuplot;
	return err;
}

static int tree_chart(const struct plot_log *log, const struct plot_render_opts *o,
		      const char *stem, bool *have_gnuplot)
{
	struct chart c = { 0 };
	int err = name_files(&c, o, stem, "tree");

	if (!err) {
		err = build_tree(&c, log);
		err = err == -ENOENT ? 0 : finish(&c, err, o, have_gnuplot);
	}
	if (o->tree_drawn)
		*o->tree_drawn = c.drawn;
	chart_free(&c);
	return err;
}

int plot_render(const struct plot_log *log, const bool *chosen, const struct plot_render_opts *o)
{
	const char *stem = o->stem;
	bool have_gnuplot = true;
	int status = 0, err = 0;

	for (size_t i = 0; i < log->nr_procs && !out_of_space(err); i++) {
		const struct plot_proc *p = log->procs[i];
		struct chart c = { .p = p };
		char id[32] = "nopid";

		if (!chosen[i])
			continue;
		if (p->has_pid)
			snprintf(id, sizeof(id), "%lld", p->pid);
		err = name_files(&c, o, stem, id);
		if (!err)
			err = finish(&c, build_proc(&c, p), o, &have_gnuplot);
		if (err)
			status = err;
		else if (o->drawn)
			o->drawn[i] = c.drawn;
		chart_free(&c);
	}
	/* Once the disk is full, one line said it: no more charts, no more lines. */
	if (o->tree && !out_of_space(err) && (err = tree_chart(log, o, stem, &have_gnuplot)))
		status = err;
	return status;
}
