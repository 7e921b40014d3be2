/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The label strip of a chart: the labels with their text and the events, on the
 * chart's time axis, for one process or a process tree; .labels.dat is written from it. */
#ifndef PROCMON_PLOT_STRIP_H
#define PROCMON_PLOT_STRIP_H

#include "log.h"

struct plot_tree;

struct plot_strip {
	struct plot_label *labels;	/* in time order */
	size_t nr_labels;
	struct plot_mark *marks;	/* in time order */
	size_t nr_marks;
};

/* The strip of one process: its own labels and events, borrowed from p (not
 * to be freed). */
struct plot_strip plot_proc_strip(const struct plot_proc *p);

/*
 * The strip of a process tree, in tree time: each member's start as a label
 * "NAME PID" (plot_proc_name(): "cc1 main.c 4242"), its labels as
 * "PID: label", and its events. Returns 0 or -ENOMEM; free with plot_strip_free().
 */
int plot_tree_strip(const struct plot_tree *tree, struct plot_strip *s);

/* Frees a strip made by plot_tree_strip(). */
void plot_strip_free(struct plot_strip *s);

/* Longest label text drawn, in characters, before " (+N)" for folded ones. */
#define PLOT_LABEL_SHOWN_CHARS 30

/*
 * Labels are folded greedily in time order: a label keeps its text when it is
 * at least gap_s after the last label that kept its text, so rotated texts
 * never overlap; the ones after it within gap_s are folded into it, drawn as
 * ticks and counted as "(+N)". Returns the end of the group that starts at
 * label i (the index after its last folded label).
 */
size_t plot_strip_group_end(const struct plot_strip *s, size_t i, double gap_s);

/* The text drawn for the group [i, end): the label's text cut to
 * PLOT_LABEL_SHOWN_CHARS, then " (+N)". Malloc'd; NULL: out of memory. */
char *plot_strip_shown_text(const struct plot_strip *s, size_t i, size_t end);

/* The most characters a drawn text of the strip has (0 without labels). */
size_t plot_strip_longest_text(const struct plot_strip *s, double gap_s);

#endif /* PROCMON_PLOT_STRIP_H */
