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

#endif /* PROCMON_PLOT_STRIP_H */
