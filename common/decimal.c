// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Decimal text of integers without printf (see decimal.h). */
#include "decimal.h"

char *decimal_u64(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

size_t decimal_fixed_width(char *buf, size_t size, unsigned long long v, int width)
{
	int i;

	if (width < 0 || (size_t)width >= size)
		width = size ? (int)size - 1 : 0;
	if (!size)
		return 0;
	for (i = width - 1; i >= 0; i--) {
		buf[i] = (char)('0' + v % 10);
		v /= 10;
	}
	buf[width] = '\0';
	return (size_t)width;
}
