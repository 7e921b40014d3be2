/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Runs gnuplot on a script: no shell, no start-up file, stdin from /dev/null,
 * PATH as the only environment, a time limit; with plot's ids (see drop.h). */
#ifndef PROCMON_PLOT_GNUPLOT_H
#define PROCMON_PLOT_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>

#define GNUPLOT_TIMEOUT_S 60.0

struct gnuplot_result {
	bool timed_out;		/* killed after the time limit */
	int exit_status;	/* when it exited */
	int term_signal;	/* when a signal ended it, 0 otherwise */
};

/*
 * Runs `gnuplot -d SCRIPT` found on PATH and waits at most timeout_s seconds;
 * then kills its process group and reaps it. Returns 0 with *res filled when
 * gnuplot ran (whatever its exit), or -errno when it could not be started:
 * -ENOENT not on PATH, or the errno of the failed exec.
 */
int gnuplot_run(const char *script, double timeout_s, struct gnuplot_result *res);

#endif /* PROCMON_PLOT_GNUPLOT_H */
