/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `procmon plot` needs no privilege: before it opens anything it becomes the
 * invoking user (sudo, set-id) and gives up any file capability for good. */
#ifndef PROCMON_PLOT_DROP_H
#define PROCMON_PLOT_DROP_H

/*
 * As root under sudo (SUDO_UID, SUDO_GID): becomes that user for good, with
 * their groups (their passwd entry's, or SUDO_GID alone without one). Under
 * a set-id install: the real user. Not root: no capability is left. Plain
 * root (no sudo) stays root. Returns 0, or -errno (and maybe *why, a static
 * text) when any step failed: the caller must not go on.
 */
int plot_drop_privileges(const char **why);

#endif /* PROCMON_PLOT_DROP_H */
