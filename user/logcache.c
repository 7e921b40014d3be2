// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The periodic line's JSON tree, kept from line to line: at 1 kHz a line is written
 * every millisecond. A sample only changes values, so the leaves are set in place
 * (no allocation, no key lookup per line); json-c writes the tree as ever. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "decimal.h"
#include "logformat.h"
#include "logkeys.h"

#define CACHE_LEAVES 64
#define CACHE_OBJECTS 8

/* A nested object (memory_info, sched...) and the text json-c last wrote for it:
 * at 1 kHz most of them do not change from one line to the next. */
struct kept_object {
	bool changed;
	size_t len;
	char *text;
};

/* The tree for one shape (which optional keys are present: a bit each), and its
 * leaves in table order (NULL for a key left out). */
struct logformat_cache {
	json_object *root;
	unsigned long long shape;
	json_object *leaf[CACHE_LEAVES];
	char fixed[8][64];	/* the text of each fixed-decimals number, in key order */
	int n_objects;
	struct kept_object object[CACHE_OBJECTS];
};

/* A bit per optional key of @keys over @base, from bit *@pos on. */
static unsigned long long shape_of(const struct log_key *keys, const char *base, int *pos)
{
	unsigned long long bits = 0;
	const struct log_key *k;
	bool on;

	for (k = keys; k->name || k->type == KEY_WHEN; k++) {
		if (k->type == KEY_OBJECT) {
			bits |= shape_of(k->sub, base + k->offset, pos);
			continue;
		}
		if (k->type != KEY_WHEN && k->type != KEY_TRUE && !(k->flags & KEY_IF_SET))
			continue;
		on = k->type == KEY_WHEN || k->type == KEY_TRUE ? *(const bool *)(base + k->offset)
								: logkeys_present(k, base);
		if (on && *pos < 64)
			bits |= 1ull << *pos;
		(*pos)++;
		if (k->type == KEY_WHEN && on)
			bits |= shape_of(k->sub, base, pos);
	}
	return bits;
}

/* json-c's own integer text goes through snprintf: a third of a line's cost.
 * The same digits, written directly (serializers json-c offers for this). */
static int int64_text(json_object *o, struct printbuf *pb, int level, int flags)
{
	long long v = json_object_get_int64(o);
	char num[24], *end = num + sizeof(num);
	char *p = decimal_u64(end, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);

	(void)level;
	(void)flags;
	if (v < 0)
		*--p = '-';
	return printbuf_memappend(pb, p, (int)(end - p));
}

static int uint64_text(json_object *o, struct printbuf *pb, int level, int flags)
{
	char num[24], *end = num + sizeof(num), *p = decimal_u64(end, json_object_get_uint64(o));

	(void)level;
	(void)flags;
	return printbuf_memappend(pb, p, (int)(end - p));
}

/* A nested object's text: json-c's own, written again only after a value in it
 * changed. */
static int kept_object_text(json_object *o, struct printbuf *pb, int level, int flags)
{
	struct kept_object *k = json_object_get_userdata(o);
	const char *text;
	char *copy;
	size_t len;

	(void)level;	/* not pretty-printed: the text is the same at any depth */
	if (k->changed || !k->text) {
		json_object_set_serializer(o, NULL, NULL, NULL);	/* json-c's writer */
		text = json_object_to_json_string_ext(o, flags);
		len = text ? strlen(text) : 0;
		copy = text ? realloc(k->text, len + 1) : NULL;
		json_object_set_serializer(o, kept_object_text, k, NULL);
		if (!copy)
			return -1;
		memcpy(copy, text, len + 1);
		k->text = copy;
		k->len = len;
		k->changed = false;
	}
	return printbuf_memappend(pb, k->text, (int)k->len);
}

static void set_keys(struct logformat_cache *cache, json_object *o, const struct log_key *keys,
		     const char *base, int *n_fixed, int *n_leaf, bool find,
		     struct kept_object *in);

/* The nested object @v of key @k: its leaves, and its text kept while they stay. */
static void set_object(struct logformat_cache *cache, json_object *v, const struct log_key *k,
		       const char *base, int *n_fixed, int *n_leaf, bool find)
{
	struct kept_object *in = NULL;

	if (find && cache->n_objects < CACHE_OBJECTS) {
		in = &cache->object[cache->n_objects++];
		in->changed = true;
		json_object_set_serializer(v, kept_object_text, in, NULL);
	} else if (!find) {
		in = json_object_get_userdata(v);	/* NULL: one past CACHE_OBJECTS */
	}
	set_keys(cache, v, k->sub, base + k->offset, n_fixed, n_leaf, find, in);
}

/* Walk @keys over @base as the tree of @cache was built (table order, the same
 * shape), setting each leaf; a new tree's leaves are looked up by name once. */
static void set_keys(struct logformat_cache *cache, json_object *o, const struct log_key *keys,
		     const char *base, int *n_fixed, int *n_leaf, bool find,
		     struct kept_object *in)
{
	const struct log_key *k;
	unsigned long long u64;
	const char *str;
	json_object *v = NULL;
	char ts[48];
	double d;
	long l;
	int i;

	for (k = keys; k->name || k->type == KEY_WHEN; k++) {
		if (k->type == KEY_WHEN) {
			if (*(const bool *)(base + k->offset))
				set_keys(cache, o, k->sub, base, n_fixed, n_leaf, find, in);
			continue;
		}
		if (*n_leaf >= CACHE_LEAVES) {
			*n_leaf = CACHE_LEAVES + 1;	/* a table grown past the cache */
			return;
		}
		if (find) {
			v = NULL;
			json_object_object_get_ex(o, k->name, &v);
			cache->leaf[*n_leaf] = v;
		}
		v = cache->leaf[(*n_leaf)++];
		if (!v)
			continue;	/* an optional key left out */
		switch (k->type) {
		case KEY_TIMESTAMP:
			logformat_timestamp((const void *)(base + k->offset), ts, sizeof(ts));
			json_object_set_string(v, ts);
			break;
		case KEY_INT:
		case KEY_LONG:
			if (k->type == KEY_INT) {
				memcpy(&i, base + k->offset, sizeof(i));
				l = i;
			} else {
				memcpy(&l, base + k->offset, sizeof(l));
			}
			if (in && l != json_object_get_int64(v))
				in->changed = true;
			json_object_set_int64(v, l);
			if (find)
				json_object_set_serializer(v, int64_text, NULL, NULL);
			break;
		case KEY_U64:
			memcpy(&u64, base + k->offset, sizeof(u64));
			if (in && u64 != json_object_get_uint64(v))
				in->changed = true;
			json_object_set_uint64(v, u64);
			if (find)
				json_object_set_serializer(v, uint64_text, NULL, NULL);
			break;
		case KEY_SECONDS2:
		case KEY_SECONDS6:
			if (*n_fixed >= (int)(sizeof(cache->fixed) / sizeof(cache->fixed[0])))
				break;
			memcpy(&d, base + k->offset, sizeof(d));
			if (in && d != json_object_get_double(v))
				in->changed = true;
			logformat_fixed(cache->fixed[*n_fixed], sizeof(cache->fixed[0]), d,
					k->type == KEY_SECONDS2 ? 2 : 6);
			json_object_set_double(v, d);
			/* The text is the slot's: set_double keeps this serializer. */
			if (find)
				json_object_set_serializer(v, json_object_userdata_to_json_string,
							   cache->fixed[*n_fixed], NULL);
			(*n_fixed)++;
			break;
		case KEY_STRING:
			memcpy(&str, base + k->offset, sizeof(str));
			if (in)
				in->changed = true;
			json_object_set_string(v, str ? str : "");
			break;
		case KEY_CHARS:
			if (in)
				in->changed = true;
			json_object_set_string(v, base + k->offset);
			break;
		case KEY_OBJECT:
			set_object(cache, v, k, base, n_fixed, n_leaf, find);
			break;
		case KEY_TRUE:
		case KEY_WHEN:
			break;
		}
	}
}

struct logformat_cache *logformat_cache_new(void)
{
	return calloc(1, sizeof(struct logformat_cache));
}

void logformat_cache_free(struct logformat_cache *cache)
{
	int i;

	if (!cache)
		return;
	json_object_put(cache->root);
	for (i = 0; i < CACHE_OBJECTS; i++)
		free(cache->object[i].text);
	free(cache);
}

const char *logformat_sample(struct logformat_cache *cache, const struct sample *smp)
{
	int pos = 0, n_fixed = 0, n_leaf = 0;
	unsigned long long shape = shape_of(logkeys_sample, (const char *)smp, &pos);
	bool find = false;

	if (!cache->root || shape != cache->shape) {
		json_object_put(cache->root);
		cache->root = json_object_new_object();
		if (!cache->root)
			return NULL;
		logkeys_add(cache->root, logkeys_sample, smp);
		cache->shape = shape;
		cache->n_objects = 0;	/* their texts' buffers are reused */
		find = true;
	}
	set_keys(cache, cache->root, logkeys_sample, (const char *)smp, &n_fixed, &n_leaf, find,
		 NULL);
	if (n_leaf > CACHE_LEAVES)
		return NULL;	/* a table grown past CACHE_LEAVES: unit_logformat fails */
	return json_object_to_json_string_ext(cache->root, JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}
