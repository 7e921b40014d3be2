// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Writes a metrics view in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0
 * (one family table for both), and reads a scraper's Accept header. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "macros.h"
#include "metrics_render.h"

/* Values that are not counters of the view. */
enum { VALUE_RSS = METRICS_N_COUNTERS, VALUE_PEAK, VALUE_LIVE, VALUE_EXITED, VALUE_UNEXPOSED };

/* One metric family: its name without `_total`, its samples (one, or one per value of
 * a split label). Per-process families are shown per series, and again with the
 * run_ prefix for the run totals. */
struct family {
	const char *name, *unit, *help;
	bool counter;
	bool seconds;			/* nanoseconds shown in seconds */
	bool offcpu;			/* only where the off-CPU split is measured */
	const char *split;		/* the split label's name, or NULL */
	int n;
	const char *split_values[3];
	int value[3];
};

static const struct family proc_families[] = {
	{ "page_faults", NULL, "Page faults, minor and major.", true, false, false, NULL, 1,
	  { NULL }, { METRICS_PAGE_FAULTS } },
	{ "major_faults", NULL, "Major page faults (the page was read from a file or swap).",
	  true, false, false, NULL, 1, { NULL }, { METRICS_MAJOR_FAULTS } },
	{ "oncpu_seconds", "seconds", "Time on a CPU.", true, true, false, NULL, 1, { NULL },
	  { METRICS_ONCPU_NS } },
	{ "runqueue_wait_seconds", "seconds", "Time runnable, waiting for a CPU.", true, true,
	  false, NULL, 1, { NULL }, { METRICS_RUNQ_WAIT_NS } },
	{ "context_switches", NULL, "Context switches: voluntary (waits) and involuntary (preempted).",
	  true, false, false, "kind", 2, { "voluntary", "involuntary" },
	  { METRICS_CSW_VOLUNTARY, METRICS_CSW_INVOLUNTARY } },
	{ "offcpu_seconds", "seconds",
	  "Time off the CPU: preempted (runnable), blocked (uninterruptible), sleep (interruptible).",
	  true, true, true, "state", 3, { "preempted", "blocked", "sleep" },
	  { METRICS_OFFCPU_PREEMPTED_NS, METRICS_OFFCPU_BLOCKED_NS, METRICS_OFFCPU_SLEEP_NS } },
	{ "labels", NULL, "procmon_label() calls seen.", true, false, false, NULL, 1, { NULL },
	  { METRICS_LABELS } },
	{ "rss_bytes", "bytes", "Resident set size at the last sample.", false, false, false,
	  NULL, 1, { NULL }, { VALUE_RSS } },
	{ "rss_peak_bytes", "bytes", "Highest resident set size since the previous scrape.", false,
	  false, false, NULL, 1, { NULL }, { VALUE_PEAK } },
};

/* The run's own families; run_ + the counters above come first. */
static const struct family run_families[] = {
	{ "run_rss_bytes", "bytes", "Resident set size of the live traced processes, summed.",
	  false, false, false, NULL, 1, { NULL }, { VALUE_RSS } },
	{ "processes", NULL, "Traced processes alive.", false, false, false, NULL, 1, { NULL },
	  { VALUE_LIVE } },
	{ "processes_exited", NULL, "Traced processes that exited.", true, false, false, NULL, 1,
	  { NULL }, { VALUE_EXITED } },
	{ "processes_unexposed", NULL,
	  "Live traced processes without their own series (over the cap); in the run_ totals.",
	  false, false, false, NULL, 1, { NULL }, { VALUE_UNEXPOSED } },
};

/* ------------------------------------------------------------ buffer */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void reserve(struct buf *b, size_t more)
{
	char *p;
	size_t cap;

	if (b->oom || b->len + more < b->cap)
		return;
	cap = 2 * (b->len + more) + 4096;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void put(struct buf *b, const char *s, size_t n)
{
	reserve(b, n + 1);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_u64(struct buf *b, unsigned long long v)
{
	char d[24];
	int i = sizeof(d);

	do
		d[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(b, d + i, sizeof(d) - (size_t)i);
}

/* Nanoseconds as exact decimal seconds: 1500000000 → "1.5", 2000000000 → "2". */
static void put_seconds(struct buf *b, unsigned long long ns)
{
	char frac[10];
	int n = 9;
	unsigned long long f = ns % 1000000000ull;

	put_u64(b, ns / 1000000000ull);
	if (!f)
		return;
	frac[0] = '.';
	for (int i = 9; i >= 1; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	while (frac[n] == '0')
		n--;
	put(b, frac, (size_t)n + 1);
}

/* A label value: \ " and newline escaped (both formats); @s is valid UTF-8. */
static void put_label_value(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : *s == '\n' ? "\\n" : NULL;

		if (!esc)
			continue;
		put(b, run, (size_t)(s - run));
		put(b, esc, 2);
		run = s + 1;
	}
	put(b, run, (size_t)(s - run));
}

/* ------------------------------------------------------------ families */

static void put_name(struct buf *b, const char *prefix, const struct family *f, bool total)
{
	puts_(b, "procmon_");
	puts_(b, prefix);
	puts_(b, f->name);
	if (total)
		puts_(b, "_total");
}

/* HELP and TYPE (and UNIT in OpenMetrics). The text format names a counter family
 * by its samples' name (with _total), OpenMetrics without it. */
static void put_header(struct buf *b, enum metrics_format fmt, const char *prefix,
		       const struct family *f)
{
	bool om = fmt == METRICS_OPENMETRICS, total = f->counter && !om;
	const char *type = f->counter ? " counter\n" : " gauge\n";

	puts_(b, "# HELP ");
	put_name(b, prefix, f, total);
	puts_(b, *prefix ? " All traced processes, exited too: " : " ");
	puts_(b, f->help);
	puts_(b, "\n# TYPE ");
	put_name(b, prefix, f, total);
	puts_(b, type);
	if (om && f->unit) {
		puts_(b, "# UNIT ");
		put_name(b, prefix, f, false);
		puts_(b, " ");
		puts_(b, f->unit);
		puts_(b, "\n");
	}
}

/* The samples of @f for one label set @labels ("" for none, else `a="x",b="y"`). */
static void put_samples(struct buf *b, const char *prefix, const struct family *f,
			const char *labels, const unsigned long long *values)
{
	for (int i = 0; i < f->n; i++) {
		bool braces = *labels || f->split;

		put_name(b, prefix, f, f->counter);
		if (braces)
			puts_(b, "{");
		puts_(b, labels);
		if (f->split) {
			puts_(b, *labels ? "," : "");
			puts_(b, f->split);
			puts_(b, "=\"");
			puts_(b, f->split_values[i]);
			puts_(b, "\"");
		}
		puts_(b, braces ? "} " : " ");
		if (f->seconds)
			put_seconds(b, values[f->value[i]]);
		else
			put_u64(b, values[f->value[i]]);
		puts_(b, "\n");
	}
}

/* The label sets of the series, each NUL-terminated, one after another. */
static char *series_labels(const struct metrics_view *v, struct buf *b)
{
	for (size_t i = 0; i < v->n_series; i++) {
		const struct metrics_series *s = &v->series[i];

		puts_(b, "pid=\"");
		put_u64(b, (unsigned long long)s->pid);
		puts_(b, "\",comm=\"");
		put_label_value(b, s->comm);
		if (s->cgroup) {
			puts_(b, "\",cgroup=\"");
			put_label_value(b, s->cgroup);
		}
		put(b, "\"", 2);	/* with the NUL */
	}
	return b->p;
}

char *metrics_render(const struct metrics_view *v, enum metrics_format fmt, size_t *len)
{
	struct buf b = { 0 }, lb = { 0 }, run_lb = { 0 };
	unsigned long long values[VALUE_UNEXPOSED + 1];
	const char *labels;

	reserve(&b, 200 * (v->n_series + 8) * ARRAY_SIZE(proc_families));
	labels = series_labels(v, &lb);
	if (v->cgroup) {
		puts_(&run_lb, "cgroup=\"");
		put_label_value(&run_lb, v->cgroup);
		puts_(&run_lb, "\"");
	}
	if (lb.oom || run_lb.oom)
		goto fail;
	for (size_t k = 0; k < ARRAY_SIZE(proc_families); k++) {
		const struct family *f = &proc_families[k];
		const char *l = labels;

		put_header(&b, fmt, "", f);
		for (size_t i = 0; i < v->n_series; l += strlen(l) + 1, i++) {
			const struct metrics_series *s = &v->series[i];

			if (f->offcpu && !s->offcpu_measured)
				continue;
			memcpy(values, s->c, sizeof(s->c));
			values[VALUE_RSS] = s->rss_bytes;
			values[VALUE_PEAK] = s->rss_peak_bytes;
			put_samples(&b, "", f, l, values);
		}
	}
	memcpy(values, v->run, sizeof(v->run));
	values[VALUE_RSS] = v->run_rss_bytes;
	values[VALUE_LIVE] = v->live;
	values[VALUE_EXITED] = v->exited;
	values[VALUE_UNEXPOSED] = v->unexposed;
	for (size_t k = 0; k < ARRAY_SIZE(proc_families); k++) {
		const struct family *f = &proc_families[k];

		if (!f->counter)
			continue;	/* run_rss_bytes is below; a peak does not add up */
		put_header(&b, fmt, "run_", f);
		if (!f->offcpu || v->run_offcpu_measured)
			put_samples(&b, "run_", f, run_lb.p ? run_lb.p : "", values);
	}
	for (size_t k = 0; k < ARRAY_SIZE(run_families); k++) {
		put_header(&b, fmt, "", &run_families[k]);
		put_samples(&b, "", &run_families[k], run_lb.p ? run_lb.p : "", values);
	}
	if (fmt == METRICS_OPENMETRICS)
		puts_(&b, "# EOF\n");
	if (b.oom)
		goto fail;
	free(lb.p);
	free(run_lb.p);
	*len = b.len;
	return b.p;
fail:
	free(lb.p);
	free(run_lb.p);
	free(b.p);
	return NULL;
}

/* ------------------------------------------------------------ negotiation */

const char *metrics_content_type(enum metrics_format f)
{
	return f == METRICS_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
					: "text/plain; version=0.0.4; charset=utf-8";
}

/* @s..@e without the blanks around it and the quotes of a quoted value. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
	if (*e - *s >= 2 && **s == '"' && (*e)[-1] == '"') {
		(*s)++;
		(*e)--;
	}
}

static bool is(const char *s, const char *e, const char *word)
{
	return (size_t)(e - s) == strlen(word) && strncasecmp(s, word, (size_t)(e - s)) == 0;
}

/* One media range of an Accept header, @s..@e: its q (0 when not ours), for
 * OpenMetrics in @om_q or the text format in @text_q, whichever it names. */
static void media_range(const char *s, const char *e, double *om_q, double *text_q)
{
	const char *semi = memchr(s, ';', (size_t)(e - s)), *ts = s, *te = semi ? semi : e;
	const char *version = NULL, *version_end = NULL;
	double q = 1.0;
	bool om, text;

	trim(&ts, &te);
	for (const char *p = semi; p && p < e;) {
		const char *next = memchr(p + 1, ';', (size_t)(e - p - 1)), *pe = next ? next : e;
		const char *eq = memchr(p + 1, '=', (size_t)(pe - p - 1)), *ks = p + 1, *ke = eq;

		if (eq) {
			const char *vs = eq + 1, *ve = pe;

			trim(&ks, &ke);
			trim(&vs, &ve);
			if (is(ks, ke, "q"))
				q = strtod(vs, NULL);
			else if (is(ks, ke, "version")) {
				version = vs;
				version_end = ve;
			}
		}
		p = next;
	}
	om = is(ts, te, "application/openmetrics-text") &&
	     (!version || is(version, version_end, "1.0.0"));
	text = (is(ts, te, "text/plain") && (!version || is(version, version_end, "0.0.4"))) ||
	       is(ts, te, "text/*") || is(ts, te, "*/*");
	if (om && q > *om_q)
		*om_q = q;
	if (text && q > *text_q)
		*text_q = q;
}

enum metrics_format metrics_negotiate(const char *accept)
{
	double om_q = 0, text_q = 0;

	for (const char *s = accept; s && *s;) {
		const char *comma = strchr(s, ','), *e = comma ? comma : s + strlen(s);

		media_range(s, e, &om_q, &text_q);
		s = comma ? comma + 1 : NULL;
	}
	return om_q > 0 && om_q >= text_q ? METRICS_OPENMETRICS : METRICS_TEXT;
}
