/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What to call a process on a chart: its program and the argument that tells it
 * from its siblings (the source file of a cc1), before its pid. */
#ifndef PROCMON_PLOT_NAMES_H
#define PROCMON_PLOT_NAMES_H

#include <stddef.h>

#include "log.h"

/* Characters of the distinguishing argument kept (its end: the file name). */
#define PLOT_NAME_ARG_CHARS 40

/*
 * The program of the command line @cmdline (its first word, without the
 * directory) and the word that best tells this run from others: the last word
 * that looks like a file name (a '/' or an extension, not an option, not the
 * value of -o, not under /tmp), else the last such word even after -o, else
 * the longest other word; "cc1 common/clock.c", "as build/user/main.o", "sleep".
 * Returns cleaned text (the caller frees it), or NULL when out of memory.
 */
char *plot_command_name(const char *cmdline);

/* plot_command_name() of p's command line, else its comm, else "process". */
char *plot_proc_name(const struct plot_proc *p);

#endif /* PROCMON_PLOT_NAMES_H */
