// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The label strip of a chart: the labels with their text and the events, on the
 * chart's time axis, for one process or a process tree; .labels.dat is written from it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "strip.h"
#include "text.h"
#include "tree.h"

struct plot_strip plot_proc_strip(const struct plot_proc *p)
{
	return (struct plot_strip){ p->labels, p->nr_labels, p->marks, p->nr_marks };
}

/* "NAME PID": the program and its distinguishing argument, then the pid:
 * "cc1 common/clock.c 4242"; NULL when out of memory. */
static char *start_text(const struct plot_proc *p)
{
	char *name = plot_proc_name(p), *s;

	if (!name)
		return NULL;
	if (asprintf(&s, "%s %lld", name, p->pid) < 0)
		s = NULL;
	free(name);
	return s;
}

/* Adds raw (malloc'd, freed here; NULL: out of memory), cleaned, as a label at
 * t_s, with @hover (borrowed, may be NULL) to show on hover; s->labels has room. */
static int add_label(struct plot_strip *s, double t_s, char *raw, const char *hover)
{
	char *clean, *more = NULL;

	if (!raw)
		return -ENOMEM;
	clean = plot_text_clean(raw, strlen(raw), PLOT_LABEL_MAX_CHARS);
	free(raw);
	if (hover && *hover)
		more = plot_text_clean(hover, strlen(hover), PLOT_LABEL_MAX_CHARS);
	if (!clean || (hover && *hover && !more)) {
		free(clean);
		free(more);
		return -ENOMEM;
	}
	s->labels[s->nr_labels++] = (struct plot_label){ .t_s = t_s, .text = clean, .hover = more };
	return 0;
}

/* A member's start (its whole command line on hover), labels and events,
 * moved to tree time. */
static int add_member(struct plot_strip *s, const struct plot_tree_member *m)
{
	int err = add_label(s, m->start_s, start_text(m->p), plot_proc_command(m->p, NULL));

	for (size_t k = 0; !err && k < m->p->nr_labels; k++) {
		char *raw;

		if (asprintf(&raw, "%lld: %s", m->p->pid, m->p->labels[k].text) < 0)
			raw = NULL;
		err = add_label(s, m->p->labels[k].t_s + m->offset_s, raw, NULL);
	}
	for (size_t k = 0; !err && k < m->p->nr_marks; k++) {
		s->marks[s->nr_marks] = m->p->marks[k];
		s->marks[s->nr_marks++].t_s += m->offset_s;
	}
	return err;
}

int plot_tree_strip(const struct plot_tree *tree, struct plot_strip *s)
{
	size_t nr_labels = 0, nr_marks = 0;
	int err = 0;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < tree->nr_members; i++) {
		nr_labels += 1 + tree->members[i].p->nr_labels;
		nr_marks += tree->members[i].p->nr_marks;
	}
	s->labels = calloc(nr_labels + 1, sizeof(*s->labels));
	s->marks = calloc(nr_marks + 1, sizeof(*s->marks));
	if (!s->labels || !s->marks)
		err = -ENOMEM;
	for (size_t i = 0; !err && i < tree->nr_members; i++)
		err = add_member(s, &tree->members[i]);
	if (err) {
		plot_strip_free(s);
		return err;
	}
	qsort(s->labels, s->nr_labels, sizeof(*s->labels), plot_cmp_time);
	qsort(s->marks, s->nr_marks, sizeof(*s->marks), plot_cmp_time);
	return 0;
}

void plot_strip_free(struct plot_strip *s)
{
	for (size_t i = 0; i < s->nr_labels; i++) {
		free(s->labels[i].text);
		free(s->labels[i].hover);
	}
	free(s->labels);
	free(s->marks);
	memset(s, 0, sizeof(*s));
}

size_t plot_strip_group_end(const struct plot_strip *s, size_t i, double gap_s)
{
	size_t j = i + 1;

	while (j < s->nr_labels && s->labels[j].t_s - s->labels[i].t_s < gap_s)
		j++;
	return j;
}

char *plot_strip_shown_text(const struct plot_strip *s, size_t i, size_t end)
{
	const char *text = s->labels[i].text;
	char *cut = plot_text_clean(text, strlen(text), PLOT_LABEL_SHOWN_CHARS), *shown;

	if (!cut || end - i < 2)
		return cut;
	if (asprintf(&shown, "%s (+%zu)", cut, end - i - 1) < 0)
		shown = NULL;
	free(cut);
	return shown;
}

size_t plot_strip_longest_text(const struct plot_strip *s, double gap_s)
{
	size_t longest = 0;

	for (size_t i = 0, end; i < s->nr_labels; i = end) {
		size_t chars = plot_text_chars(s->labels[i].text), digits = 0;

		end = plot_strip_group_end(s, i, gap_s);
		if (chars > PLOT_LABEL_SHOWN_CHARS)
			chars = PLOT_LABEL_SHOWN_CHARS + 1;	/* and "…" */
		for (size_t n = end - i - 1; n; n /= 10)
			digits++;
		if (end - i > 1)
			chars += 4 + digits;		/* " (+N)" */
		if (chars > longest)
			longest = chars;
	}
	return longest;
}
