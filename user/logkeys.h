/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The tables that say which field of a struct goes under which JSON key, shared by
 * logformat.c (every line) and logcache.c (the periodic line's kept tree). */
#ifndef PROCMON_LOGKEYS_H
#define PROCMON_LOGKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

enum key_type {
	KEY_TIMESTAMP,		/* struct timespec, as logformat_timestamp() */
	KEY_INT,		/* int, pid_t */
	KEY_LONG,		/* long */
	KEY_U64,		/* unsigned long long, __u64 */
	KEY_SECONDS2,		/* double, 2 decimals: CPU times */
	KEY_SECONDS6,		/* double, 6 decimals: elapsed times */
	KEY_STRING,		/* const char *; NULL as "" */
	KEY_CHARS,		/* a char array */
	KEY_TRUE,		/* bool: `true` when set, left out otherwise */
	KEY_OBJECT,		/* a nested object: the keys of .sub */
	KEY_WHEN,		/* no key: the keys of .sub, here, when the bool is set */
};

#define KEY_IF_SET 1u		/* left out when zero (a string: when NULL) */

/* One key of a table over a struct: the field at @offset. A table ends with a
 * NULL name and type 0 (KEY_WHEN rows have no name: they end on .sub). */
struct log_key {
	const char *name;
	enum key_type type;
	size_t offset;
	unsigned int flags;
	const struct log_key *sub;	/* KEY_OBJECT, KEY_WHEN: over the same struct */
};

/* The field @f of struct @st under the key @nm; then .flags, .sub if any. */
#define KEY(nm, ty, st, f, ...) { .name = nm, .type = ty, .offset = offsetof(st, f), __VA_ARGS__ }
#define END_OF_KEYS { .name = NULL }

/* The keys of a sample line (struct sample). */
extern const struct log_key logkeys_sample[];

/* Add the keys of @keys, read from the struct at @base, to @o in table order. */
void logkeys_add(json_object *o, const struct log_key *keys, const void *base);

/* Is an optional (KEY_IF_SET) key present: an int or u64 not zero, a string not NULL? */
bool logkeys_present(const struct log_key *k, const char *base);

#endif /* PROCMON_LOGKEYS_H */
