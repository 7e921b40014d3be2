// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Open addressing with linear probing and backward-shift deletion: no tombstones,
 * so a table that sees many PIDs come and go does not slow down. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "pidmap.h"

static size_t slot_of(const struct pidmap *m, pid_t pid)
{
	return ((uint32_t)pid * 2654435761u) & (m->cap - 1);
}

void *pidmap_get(const struct pidmap *m, pid_t pid)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot_of(m, pid); m->slots[i].pid; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].pid == pid)
			return m->slots[i].value;
	return NULL;
}

static int grow(struct pidmap *m)
{
	struct pidmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->n = 0;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].pid)
			pidmap_put(m, old.slots[i].pid, old.slots[i].value);
	free(old.slots);
	return 0;
}

int pidmap_put(struct pidmap *m, pid_t pid, void *value)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && grow(m))
		return -ENOMEM;
	for (i = slot_of(m, pid); m->slots[i].pid; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].pid == pid) {
			m->slots[i].value = value;
			return 0;
		}
	m->slots[i].pid = pid;
	m->slots[i].value = value;
	m->n++;
	return 0;
}

void pidmap_del(struct pidmap *m, pid_t pid)
{
	size_t i, j, home;

	if (!m->cap)
		return;
	for (i = slot_of(m, pid); m->slots[i].pid != pid; i = (i + 1) & (m->cap - 1))
		if (!m->slots[i].pid)
			return;
	/* Move later entries of the run back into the hole they may not skip. */
	for (j = (i + 1) & (m->cap - 1); m->slots[j].pid; j = (j + 1) & (m->cap - 1)) {
		home = slot_of(m, m->slots[j].pid);
		if (((j - home) & (m->cap - 1)) >= ((j - i) & (m->cap - 1))) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].pid = 0;
	m->slots[i].value = NULL;
	m->n--;
}

void pidmap_free(struct pidmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
