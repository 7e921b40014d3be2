// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* OUTDIR/index.html: every chart of a run of procmon plot, linked, with a row per
 * process (the ones without a chart of their own too), names HTML-escaped. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "names.h"

/* What a row says of a process. */
struct row {
	size_t proc;			/* index in the log */
	double lived_s, peak_mib, cpu_s;
};

/* Text (valid UTF-8, from the log or a path) as HTML character data or an
 * attribute value. */
static void write_html(FILE *f, const char *text)
{
	for (; *text; text++) {
		switch (*text) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* A path may hold controls; the log's text is clean already. */
			if ((unsigned char)*text < 0x20 || *text == 0x7F)
				fputc('?', f);
			else
				fputc(*text, f);
		}
	}
}

/* A file name of OUTDIR as a relative URL: every byte but the unreserved ones
 * percent-encoded (a stem may hold '#', '?', '%', spaces, quotes). */
static void write_href(FILE *f, const char *stem, const char *suffix)
{
	static const char unreserved[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					 "0123456789-._~";

	fputs("./", f);
	for (const char *s = stem; *s; s++) {
		if (strchr(unreserved, *s))
			fputc(*s, f);
		else
			fprintf(f, "%%%02X", (unsigned char)*s);
	}
	fputs(suffix, f);
}

static struct row make_row(const struct plot_proc *p, size_t i)
{
	struct row r = { .proc = i };
	double first = NAN, last = NAN, peak = 0;
	bool oncpu = p->metrics_present & (1u << PLOT_ONCPU_NS);

	for (size_t k = 0; k < p->nr_samples; k++) {
		const double *m = p->samples[k].metric;
		double cpu = oncpu ? m[PLOT_ONCPU_NS] / 1e9 : m[PLOT_CPU_USER_S] + m[PLOT_CPU_SYSTEM_S];

		peak = fmax(peak, isfinite(m[PLOT_RSS_BYTES]) ? m[PLOT_RSS_BYTES] : 0);
		peak = fmax(peak, isfinite(m[PLOT_RSS_PEAK_BYTES]) ? m[PLOT_RSS_PEAK_BYTES] : 0);
		if (isfinite(cpu)) {
			if (!isfinite(first))
				first = cpu;
			last = cpu;
		}
	}
	if (p->nr_samples)
		r.lived_s = p->samples[p->nr_samples - 1].t_s - p->samples[0].t_s;
	r.peak_mib = peak / 1048576.0;
	r.cpu_s = isfinite(first) && last > first ? last - first : 0;
	return r;
}

static int by_cpu(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->cpu_s > y->cpu_s ? -1 : x->cpu_s < y->cpu_s ? 1 : (x->proc > y->proc) -
								     (x->proc < y->proc);
}

/* A log's table: its processes, the busiest first; a link where a chart is. */
static int write_log(FILE *f, const struct plot_index_log *l)
{
	const struct plot_log *log = l->log;
	struct row *rows = calloc(log->nr_procs + 1, sizeof(*rows));
	size_t n = 0, charts = 0;

	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < log->nr_procs; i++) {
		if (!log->procs[i]->nr_samples)
			continue;
		rows[n++] = make_row(log->procs[i], i);
		charts += l->drawn[i];
	}
	qsort(rows, n, sizeof(*rows), by_cpu);
	fputs("<h2>", f);
	write_html(f, l->path);
	fprintf(f, "</h2>\n<p>%zu processes, %zu with a chart of their own", n, charts);
	if (l->tree_drawn) {
		fputs("; <a href=\"", f);
		write_href(f, l->stem, "_tree.svg");
		fputs("\">the process tree</a>", f);
	}
	fputs(".</p>\n<table>\n<tr><th>process</th><th>pid</th><th>periodic samples</th>"
	      "<th>lived (s)</th><th>peak RSS (MiB)</th><th>CPU (s)</th></tr>\n", f);
	for (size_t k = 0; k < n; k++) {
		const struct plot_proc *p = log->procs[rows[k].proc];
		char *name = plot_proc_name(p), pid[32] = "nopid";

		if (!name) {
			free(rows);
			return -ENOMEM;
		}
		if (p->has_pid)
			snprintf(pid, sizeof(pid), "%lld", p->pid);
		fputs("<tr><td>", f);
		if (l->drawn[rows[k].proc]) {
			fputs("<a href=\"", f);
			write_href(f, l->stem, "_");
			fprintf(f, "%s.svg\">", pid);
			write_html(f, name);
			fputs("</a>", f);
		} else {
			write_html(f, name);
		}
		fprintf(f, "</td><td>%s</td><td>%zu</td><td>%.3f</td><td>%.1f</td><td>%.3f</td></tr>\n",
			pid, p->nr_ticks, rows[k].lived_s, rows[k].peak_mib, rows[k].cpu_s);
		free(name);
	}
	fputs("</table>\n", f);
	free(rows);
	return 0;
}

int plot_write_index(FILE *f, const struct plot_index_log *logs, size_t nr, bool compare,
		     unsigned int min_samples)
{
	int err = 0;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>procmon plot</title>\n"
	      "<style>body{font-family:sans-serif} td,th{padding:2px 8px;text-align:right} "
	      "td:first-child,th:first-child{text-align:left}</style>\n</head><body>\n"
	      "<h1>procmon plot</h1>\n", f);
	if (min_samples)
		fprintf(f, "<p>A process with fewer than %u periodic samples has no chart of its own "
			"(<code>procmon plot --all</code> draws them); the process tree shows "
			"them all.</p>\n", min_samples);
	if (compare)
		fputs("<p><a href=\"./compare.svg\">The runs compared</a></p>\n", f);
	for (size_t i = 0; i < nr && !err; i++)
		if (logs[i].log)
			err = write_log(f, &logs[i]);
	fputs("</body></html>\n", f);
	return err ? err : ferror(f) ? -EIO : 0;
}
