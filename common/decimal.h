/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Decimal text of integers without printf: a 1 kHz log writes ~40 numbers a line,
 * and snprintf's format parsing was most of a line's cost. */
#ifndef PROCMON_DECIMAL_H
#define PROCMON_DECIMAL_H

#include <stddef.h>

/* The digits of @v written backwards so that they end just before @end (no NUL;
 * 20 bytes suffice); returns where they begin. */
char *decimal_u64(char *end, unsigned long long v);

/* @v in @buf (NUL-terminated) with exactly @width digits, zeros in front and
 * higher digits dropped; @size must exceed @width. Returns @width. */
size_t decimal_fixed_width(char *buf, size_t size, unsigned long long v, int width);

#endif /* PROCMON_DECIMAL_H */
