/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `procmon plot LOG OUTDIR [--png] [--pid PID]`: turns a procmon or TotalDepth
 * log into one gnuplot chart per process. */
#ifndef PROCMON_PLOT_H
#define PROCMON_PLOT_H

/* procmon's own failures exit with this, plot's as its tracing's (options.h). */
#define PLOT_EXIT_FAILURE 125

/* argv[0] is "plot". Returns the exit status: 0 ok (also for --help), or
 * PLOT_EXIT_FAILURE for a usage error or any failure, said in one line. */
int cmd_plot(int argc, char **argv);

#endif /* PROCMON_PLOT_H */
