/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A hash from PID to a pointer: finding a target or a held thread costs the same
 * with 10 or 100,000 processes seen. */
#ifndef PROCMON_PIDMAP_H
#define PROCMON_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct pidmap {
	struct pidmap_slot { pid_t pid; void *value; } *slots;
	size_t cap, n;	/* cap: a power of two, 0 when empty */
};

/* The value of @pid, or NULL. */
void *pidmap_get(const struct pidmap *m, pid_t pid);
/* Set (replace) the value of @pid (@pid > 0, @value not NULL). 0 or -ENOMEM. */
int pidmap_put(struct pidmap *m, pid_t pid, void *value);
/* Forget @pid (nothing if absent). */
void pidmap_del(struct pidmap *m, pid_t pid);
void pidmap_free(struct pidmap *m);

#endif /* PROCMON_PIDMAP_H */
