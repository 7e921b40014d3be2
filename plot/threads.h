/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The threads of one process (procmon -t): the busiest by CPU, each as a series of
 * its CPU rate, written as blocks of .threads.dat for the chart's threads panel. */
#ifndef PROCMON_PLOT_THREADS_H
#define PROCMON_PLOT_THREADS_H

#include <stdio.h>

#include "log.h"

/* Threads drawn, the busiest first; the others are counted in the header. */
#define PLOT_THREADS_SHOWN 8

struct plot_thread_table {
	const struct plot_thread *shown[PLOT_THREADS_SHOWN];	/* borrowed from the proc */
	size_t nr_shown;
	size_t nr_threads;		/* threads in the log */
	size_t stride;			/* samples per row: 1 unless thinned */
	double max_pct;			/* highest rate drawn, % of one CPU */
};

/* Picks the threads of p that used the most CPU (at most PLOT_THREADS_SHOWN, each
 * with two samples or more); rows are thinned to about max_rows per thread. */
void plot_threads_build(const struct plot_proc *p, size_t max_rows, struct plot_thread_table *t);

/*
 * Writes one block per shown thread, blocks two blank lines apart (gnuplot's
 * `index`): a header row "time_s" and the thread's name and tid (the legend,
 * read with `title columnheader(2)`), then "time_s cpu_pct" rows, the CPU rate
 * over the interval that ends there. Returns 0 or -EIO.
 */
int plot_write_threads(FILE *f, const struct plot_proc *p, const struct plot_thread_table *t);

#endif /* PROCMON_PLOT_THREADS_H */
