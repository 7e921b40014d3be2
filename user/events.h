/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Ring-buffer dispatch: each event BPF sends (fork, exec, exit, label, code
 * mapping, OOM) to what it means for the targets and the log. */
#ifndef PROCMON_EVENTS_H
#define PROCMON_EVENTS_H

struct session;
struct ring_buffer;

/* The ring buffer of @s's tracer, calling back into @s. NULL with errno set. */
struct ring_buffer *events_open(struct session *s);

/* Read every event waiting, in the order the kernel produced them; then finish
 * the children that were gone before their fork event was read. Does nothing
 * when called from inside an event. 0 or -errno. */
int events_consume(struct session *s);

#endif /* PROCMON_EVENTS_H */
