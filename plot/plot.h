/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `procmon plot LOG OUTDIR [--png] [--pid PID]`: turns a procmon or TotalDepth
 * log into one gnuplot chart per process. */
#ifndef PROCMON_PLOT_H
#define PROCMON_PLOT_H

/* argv[0] is "plot". Returns the exit status: 0 ok, 1 failure, 2 usage error. */
int cmd_plot(int argc, char **argv);

#endif /* PROCMON_PLOT_H */
