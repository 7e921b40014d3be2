/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small macros every part of procmon (user/, plot/, tests) uses: one definition each. */
#ifndef PROCMON_MACROS_H
#define PROCMON_MACROS_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KIB 1024.0
#define MIB (1024.0 * 1024.0)

#endif /* PROCMON_MACROS_H */
