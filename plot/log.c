// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The log (struct plot_log): every process's samples, labels and events in
 * time order, with the counts of lines that were not usable records. */
#include <errno.h>
#include <math.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

/* Returns arr grown so that item nr fits (the same arr if it does), or NULL. */
static void *grow(void *arr, size_t *cap, size_t nr, size_t elem_size)
{
	size_t new_cap;

	if (nr < *cap)
		return arr;
	new_cap = *cap ? *cap * 2 : 16;
	arr = reallocarray(arr, new_cap, elem_size);
	if (arr)
		*cap = new_cap;
	return arr;
}

/* 0 when arr has room for item nr, else -ENOMEM (arr unchanged). */
#define RESERVE(arr, cap, nr)							\
	({									\
		void *grown_ = grow((arr), &(cap), (nr), sizeof(*(arr)));	\
		if (grown_)							\
			(arr) = grown_;						\
		grown_ ? 0 : -ENOMEM;						\
	})

static int proc_cmp(const void *a, const void *b)
{
	const struct plot_proc *x = a, *y = b;

	if (x->has_pid != y->has_pid)
		return x->has_pid ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct plot_proc *plot_log_find(const struct plot_log *log, bool has_pid, long long pid)
{
	struct plot_proc key = { .has_pid = has_pid, .pid = has_pid ? pid : 0 };
	struct plot_proc **found = tfind(&key, &log->by_pid, proc_cmp);

	return found ? *found : NULL;
}

const char *plot_proc_command(const struct plot_proc *p, const char *none)
{
	return p->cmdline && *p->cmdline ? p->cmdline : p->comm && *p->comm ? p->comm : none;
}

static struct plot_proc *get_proc(struct plot_log *log, bool has_pid, long long pid)
{
	struct plot_proc *p = plot_log_find(log, has_pid, pid);

	if (p)
		return p;
	if (RESERVE(log->procs, log->procs_cap, log->nr_procs))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->has_pid = has_pid;
	p->pid = has_pid ? pid : 0;
	p->start_rss_bytes = NAN;
	if (!tsearch(p, &log->by_pid, proc_cmp)) {
		free(p);
		return NULL;
	}
	log->procs[log->nr_procs++] = p;
	return p;
}

/* Replaces *dst with a cleaned copy of src (when src is set). */
static int keep_text(char **dst, const char *src)
{
	char *s;

	if (!src)
		return 0;
	s = plot_text_clean(src, strlen(src), PLOT_LABEL_MAX_CHARS);
	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int thread_cmp(const void *a, const void *b)
{
	long long x = ((const struct plot_thread *)a)->tid, y = ((const struct plot_thread *)b)->tid;

	return x < y ? -1 : x > y;
}

/* The thread tid of p, added when new; NULL when out of memory. */
static struct plot_thread *get_thread(struct plot_proc *p, long long tid)
{
	struct plot_thread key = { .tid = tid }, *th, **found;

	found = tfind(&key, &p->thread_by_tid, thread_cmp);
	if (found)
		return *found;
	if (RESERVE(p->threads, p->threads_cap, p->nr_threads))
		return NULL;
	th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->tid = tid;
	if (!tsearch(th, &p->thread_by_tid, thread_cmp)) {
		free(th);
		return NULL;
	}
	p->threads[p->nr_threads++] = th;
	return th;
}

static int add_thread_record(struct plot_proc *p, const struct plot_record *rec)
{
	struct plot_thread *th = get_thread(p, rec->tid);

	if (!th || keep_text(&th->comm, rec->thread_comm) ||
	    RESERVE(th->samples, th->samples_cap, th->nr_samples))
		return -ENOMEM;
	th->samples[th->nr_samples++] = (struct plot_thread_sample){ rec->elapsed_s,
								      rec->thread_cpu_s };
	return 0;
}

static int add_record(struct plot_proc *p, const struct plot_record *rec)
{
	if (rec->kinds & PLOT_KIND_THREAD)
		return add_thread_record(p, rec);
	if (!p->has_traced_since && isfinite(rec->traced_since_s)) {
		p->has_traced_since = true;
		p->traced_since_s = rec->traced_since_s;
		p->start_rss_bytes = rec->metric[PLOT_RSS_BYTES];
	}
	if (isfinite(rec->cpu_count))
		p->cpu_count = (int)rec->cpu_count;
	if (rec->has_stop) {
		p->has_stop = true;
		p->stop_s = rec->elapsed_s;
		memcpy(p->stop, rec->stop, sizeof(p->stop));
	}
	if (rec->has_ppid) {
		p->has_ppid = true;
		p->ppid = rec->ppid;
	}
	if (keep_text(&p->comm, rec->comm) || keep_text(&p->cmdline, rec->cmdline) ||
	    keep_text(&p->cgroup, rec->cgroup))
		return -ENOMEM;
	if (rec->kinds & PLOT_KIND_SAMPLE) {
		struct plot_sample *s;

		if (RESERVE(p->samples, p->samples_cap, p->nr_samples))
			return -ENOMEM;
		s = &p->samples[p->nr_samples++];
		p->nr_ticks += !(rec->kinds & (PLOT_KIND_LABEL | PLOT_KIND_EVENT));
		s->t_s = rec->elapsed_s;
		memcpy(s->metric, rec->metric, sizeof(s->metric));
		p->metrics_present |= rec->metrics_present;
		if (!p->first_timestamp[0]) {
			memcpy(p->first_timestamp, rec->timestamp, sizeof(rec->timestamp));
			p->first_timestamp_elapsed_s = rec->elapsed_s;
		}
	}
	if (rec->kinds & PLOT_KIND_LABEL) {
		struct plot_label *l;
		char *text = plot_text_clean(rec->label, rec->label_len, PLOT_LABEL_MAX_CHARS);

		if (!text || RESERVE(p->labels, p->labels_cap, p->nr_labels)) {
			free(text);
			return -ENOMEM;
		}
		l = &p->labels[p->nr_labels++];
		l->t_s = rec->label_elapsed_s;
		l->text = text;
		l->hover = NULL;
		l->has_at = rec->has_at;
		memcpy(l->at, rec->at, sizeof(l->at));
	}
	if (rec->kinds & PLOT_KIND_EVENT) {
		if (RESERVE(p->marks, p->marks_cap, p->nr_marks))
			return -ENOMEM;
		p->marks[p->nr_marks].t_s = rec->elapsed_s;
		p->marks[p->nr_marks++].event = rec->event;
	}
	return 0;
}

static void count_bad(struct plot_log *log, size_t lineno)
{
	if (!log->nr_bad++)
		log->first_bad_line = lineno;
}

int plot_log_add_line(struct plot_log *log, const char *line, size_t len, size_t lineno)
{
	struct plot_record rec;
	struct plot_proc *p;
	int err;

	log->nr_lines++;
	err = plot_parse_line(line, len, &rec);
	if (err == -ENODATA)
		return 0;
	if (err == -EINVAL) {
		count_bad(log, lineno);
		return 0;
	}
	if (err)
		return err;
	p = get_proc(log, rec.has_pid, rec.pid);
	err = p ? add_record(p, &rec) : -ENOMEM;
	if (!err)
		log->nr_records++;
	plot_record_release(&rec);
	return err;
}

/* A whole line read: added, or counted when it was too long to keep. */
static int end_line(struct plot_log *log, const char *line, size_t len, size_t lineno,
		    bool too_long)
{
	if (!too_long)
		return plot_log_add_line(log, line, len, lineno);
	log->nr_lines++;
	log->nr_too_long++;
	count_bad(log, lineno);
	return 0;
}

/* Grows *buf to hold at least size bytes. 0 or -ENOMEM (*buf unchanged). */
static int reserve_bytes(char **buf, size_t *cap, size_t size)
{
	size_t new_cap = *cap ? *cap : 4096;
	char *grown;

	if (size <= *cap)
		return 0;
	while (new_cap < size)
		new_cap *= 2;
	grown = realloc(*buf, new_cap);
	if (!grown)
		return -ENOMEM;
	*buf = grown;
	*cap = new_cap;
	return 0;
}

/* Reads f in blocks, line by line: a line longer than PLOT_LINE_MAX is skipped
 * (counted as bad) without being kept, so no input makes the reader grow
 * beyond it (`procmon plot /dev/zero` through a pipe). */
int plot_log_read(FILE *f, struct plot_log *log)
{
	char block[65536], *line = NULL;
	size_t len = 0, cap = 0, lineno = 0, n;
	bool too_long = false;
	int err = 0;

	errno = 0;
	while (!err && (n = fread(block, 1, sizeof(block), f)) > 0) {
		for (size_t i = 0; !err && i < n;) {
			const char *nl = memchr(block + i, '\n', n - i);
			size_t take = (nl ? (size_t)(nl - block) : n) - i;

			if (!too_long && len + take > PLOT_LINE_MAX) {
				too_long = true;
				len = 0;
			}
			if (!too_long && take) {
				err = reserve_bytes(&line, &cap, len + take);
				if (err)
					break;
				memcpy(line + len, block + i, take);
				len += take;
			}
			i += take + (nl != NULL);
			if (!nl)
				break;
			err = end_line(log, line, len, ++lineno, too_long);
			len = 0;
			too_long = false;
		}
	}
	if (!err && ferror(f))
		err = errno ? -errno : -EIO;
	if (!err && (len || too_long))
		err = end_line(log, line, len, ++lineno, too_long);
	free(line);
	return err ? err : plot_log_finish(log);
}

int plot_cmp_time(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts an array whose items start with their double time, if out of order. */
static void sort_by_time(void *arr, size_t nr, size_t size)
{
	for (size_t i = 1; i < nr; i++) {
		if (*(double *)((char *)arr + i * size) < *(double *)((char *)arr + (i - 1) * size)) {
			qsort(arr, nr, size, plot_cmp_time);
			return;
		}
	}
}

/* Moves the labels and marks of q to p. */
static int adopt(struct plot_proc *p, struct plot_proc *q)
{
	for (size_t i = 0; i < q->nr_labels; i++) {
		if (RESERVE(p->labels, p->labels_cap, p->nr_labels))
			return -ENOMEM;
		p->labels[p->nr_labels++] = q->labels[i];
	}
	q->nr_labels = 0;
	for (size_t i = 0; i < q->nr_marks; i++) {
		if (RESERVE(p->marks, p->marks_cap, p->nr_marks))
			return -ENOMEM;
		p->marks[p->nr_marks++] = q->marks[i];
	}
	q->nr_marks = 0;
	return 0;
}

int plot_log_finish(struct plot_log *log)
{
	struct plot_proc *unnamed = plot_log_find(log, false, 0), *only = NULL;

	/* TotalDepth's label lines may lack the pid its samples carry. */
	if (unnamed && !unnamed->nr_samples) {
		for (size_t i = 0; i < log->nr_procs; i++) {
			if (log->procs[i] == unnamed || !log->procs[i]->nr_samples)
				continue;
			if (only) {
				only = NULL;
				break;
			}
			only = log->procs[i];
		}
		if (only && adopt(only, unnamed))
			return -ENOMEM;
	}
	for (size_t i = 0; i < log->nr_procs; i++) {
		struct plot_proc *p = log->procs[i];

		sort_by_time(p->samples, p->nr_samples, sizeof(*p->samples));
		sort_by_time(p->labels, p->nr_labels, sizeof(*p->labels));
		sort_by_time(p->marks, p->nr_marks, sizeof(*p->marks));
		for (size_t t = 0; t < p->nr_threads; t++)
			sort_by_time(p->threads[t]->samples, p->threads[t]->nr_samples,
				     sizeof(*p->threads[t]->samples));
	}
	return 0;
}

static void noop_free(void *node)
{
	(void)node;
}

void plot_log_free(struct plot_log *log)
{
	tdestroy(log->by_pid, noop_free);
	for (size_t i = 0; i < log->nr_procs; i++) {
		struct plot_proc *p = log->procs[i];

		for (size_t j = 0; j < p->nr_labels; j++)
			free(p->labels[j].text);
		free(p->labels);
		free(p->samples);
		free(p->marks);
		free(p->comm);
		free(p->cmdline);
		free(p->cgroup);
		tdestroy(p->thread_by_tid, noop_free);
		for (size_t t = 0; t < p->nr_threads; t++) {
			free(p->threads[t]->comm);
			free(p->threads[t]->samples);
			free(p->threads[t]);
		}
		free(p->threads);
		free(p);
	}
	free(log->procs);
	memset(log, 0, sizeof(*log));
}
