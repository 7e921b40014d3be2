// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Every JSON object procmon writes, from key tables over plain structs: a table
 * says which key holds which field, in what form, in the order of the log. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <json-c/json.h>
#include "clock.h"
#include "logformat.h"

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

static const struct log_key memory_keys[] = {
	KEY("rss", KEY_U64, struct sample, rss_bytes),
	KEY("vms", KEY_U64, struct sample, vms_bytes),
	KEY("pfaults", KEY_U64, struct sample, pfaults),
	KEY("pageins", KEY_U64, struct sample, pageins),
	KEY("rss_peak", KEY_U64, struct sample, rss_peak_bytes),
	END_OF_KEYS
};

static const struct log_key cpu_keys[] = {
	KEY("user", KEY_SECONDS2, struct sample, user_s),
	KEY("system", KEY_SECONDS2, struct sample, system_s),
	KEY("children_user", KEY_SECONDS2, struct sample, children_user_s),
	KEY("children_system", KEY_SECONDS2, struct sample, children_system_s),
	END_OF_KEYS
};

static const struct log_key sched_keys[] = {
	KEY("oncpu_ns", KEY_U64, struct sample, oncpu_ns),
	KEY("runq_wait_ns", KEY_U64, struct sample, runq_wait_ns),
	KEY("voluntary", KEY_U64, struct sample, voluntary),
	KEY("involuntary", KEY_U64, struct sample, involuntary),
	KEY("offcpu_preempted_ns", KEY_U64, struct sample, offcpu_preempted_ns),
	KEY("offcpu_blocked_ns", KEY_U64, struct sample, offcpu_blocked_ns),
	KEY("offcpu_sleep_ns", KEY_U64, struct sample, offcpu_sleep_ns),
	END_OF_KEYS
};

/* psutil's Process.io_counters() on Linux, under its names. */
static const struct log_key io_keys[] = {
	KEY("read_count", KEY_U64, struct sample, io_read_count),
	KEY("write_count", KEY_U64, struct sample, io_write_count),
	KEY("read_bytes", KEY_U64, struct sample, io_read_bytes),
	KEY("write_bytes", KEY_U64, struct sample, io_write_bytes),
	KEY("read_chars", KEY_U64, struct sample, io_read_chars),
	KEY("write_chars", KEY_U64, struct sample, io_write_chars),
	END_OF_KEYS
};

/* io_counters only when the kernel let us read them. */
static const struct log_key io_object[] = {
	{ .name = "io_counters", .type = KEY_OBJECT, .sub = io_keys },
	END_OF_KEYS
};

static const struct log_key sample_keys[] = {
	KEY("timestamp", KEY_TIMESTAMP, struct sample, wall),
	KEY("elapsed_time", KEY_SECONDS6, struct sample, elapsed_s),
	KEY("pid", KEY_INT, struct sample, pid),
	KEY("ppid", KEY_INT, struct sample, ppid),
	{ .name = "memory_info", .type = KEY_OBJECT, .sub = memory_keys },
	{ .name = "cpu_times", .type = KEY_OBJECT, .sub = cpu_keys },
	{ .name = "sched", .type = KEY_OBJECT, .sub = sched_keys },
	KEY(NULL, KEY_WHEN, struct sample, have_io, .sub = io_object),
	KEY("num_threads", KEY_LONG, struct sample, num_threads),
	KEY("labels_lost", KEY_U64, struct sample, labels_lost, .flags = KEY_IF_SET),
	KEY("children_lost", KEY_U64, struct sample, children_lost, .flags = KEY_IF_SET),
	KEY("children_unseen", KEY_U64, struct sample, children_unseen, .flags = KEY_IF_SET),
	KEY("cgroup", KEY_STRING, struct sample, cgroup, .flags = KEY_IF_SET),
	END_OF_KEYS
};

static const struct log_key start_keys[] = {
	KEY("cmdline", KEY_STRING, struct log_start, cmdline, .flags = KEY_IF_SET),
	KEY("cmdline_truncated", KEY_TRUE, struct log_start, cmdline_truncated),
	KEY("traced_since", KEY_SECONDS6, struct log_start, traced_since_s),
	KEY("cpu_count", KEY_INT, struct log_start, cpu_count),
	END_OF_KEYS
};

static const struct log_key fork_keys[] = {
	KEY("child_pid", KEY_INT, struct log_event, child_pid),
	END_OF_KEYS
};

static const struct log_key exec_keys[] = {
	KEY("cmdline", KEY_STRING, struct log_event, cmdline),
	KEY("cmdline_truncated", KEY_TRUE, struct log_event, cmdline_truncated),
	END_OF_KEYS
};

static const struct {
	const char *name;
	const struct log_key *keys;	/* after "event"; exit adds its status itself */
} events[] = {
	[LOG_EVENT_FORK] = { "fork", fork_keys },
	[LOG_EVENT_EXEC] = { "exec", exec_keys },
	[LOG_EVENT_EXIT] = { "exit", NULL },
	[LOG_EVENT_OOM] = { "oom", NULL },
	[LOG_EVENT_CGROUP_LEAVE] = { "cgroup_leave", NULL },
};

/* The counters BPF took at a label, under the names of the sample's keys. */
static const struct log_key at_label_keys[] = {
	KEY("pfaults", KEY_U64, struct procmon_counters, faults),
	KEY("pageins", KEY_U64, struct procmon_counters, maj_flt),
	KEY("minflt", KEY_U64, struct procmon_counters, min_flt),
	KEY("oncpu_ns", KEY_U64, struct procmon_counters, oncpu_ns),
	KEY("runq_wait_ns", KEY_U64, struct procmon_counters, runq_wait_ns),
	KEY("voluntary", KEY_U64, struct procmon_counters, nvcsw),
	KEY("involuntary", KEY_U64, struct procmon_counters, nivcsw),
	KEY("offcpu_preempted_ns", KEY_U64, struct procmon_counters, offcpu_preempted_ns),
	KEY("offcpu_blocked_ns", KEY_U64, struct procmon_counters, offcpu_blocked_ns),
	KEY("offcpu_sleep_ns", KEY_U64, struct procmon_counters, offcpu_sleep_ns),
	KEY("rss", KEY_U64, struct procmon_counters, rss_bytes),
	KEY("phase_rss_peak", KEY_U64, struct procmon_counters, phase_rss_peak_bytes),
	END_OF_KEYS
};

/* The counters at a STOP line, as at a label. */
static const struct log_key at_stop_key[] = {
	{ .name = "at_stop", .type = KEY_OBJECT, .sub = at_label_keys },
	END_OF_KEYS
};

static const struct log_key label_keys[] = {
	KEY("label", KEY_STRING, struct log_label, text),
	KEY("mark", KEY_TRUE, struct log_label, mark),
	KEY("label_truncated", KEY_TRUE, struct log_label, truncated),
	KEY("label_read_error", KEY_INT, struct log_label, read_error, .flags = KEY_IF_SET),
	KEY("label_elapsed_time", KEY_SECONDS6, struct log_label, elapsed_s),
	KEY("tid", KEY_INT, struct log_label, tid),
	KEY("at_label", KEY_OBJECT, struct log_label, at, .sub = at_label_keys),
	END_OF_KEYS
};

static const struct log_key switch_keys[] = {
	KEY("voluntary", KEY_U64, struct thread_sample, voluntary),
	KEY("involuntary", KEY_U64, struct thread_sample, involuntary),
	END_OF_KEYS
};

static const struct log_key thread_keys[] = {
	KEY("tid", KEY_INT, struct thread_sample, tid),
	KEY("comm", KEY_CHARS, struct thread_sample, comm),
	KEY("user", KEY_SECONDS2, struct thread_sample, user_s),
	KEY("system", KEY_SECONDS2, struct thread_sample, system_s),
	KEY("oncpu_ns", KEY_U64, struct thread_sample, oncpu_ns),
	KEY("runq_wait_ns", KEY_U64, struct thread_sample, runq_wait_ns),
	KEY("minflt", KEY_U64, struct thread_sample, minflt),
	KEY("majflt", KEY_U64, struct thread_sample, majflt),
	KEY(NULL, KEY_WHEN, struct thread_sample, have_switches, .sub = switch_keys),
	END_OF_KEYS
};

static const struct log_key thread_line_keys[] = {
	KEY("timestamp", KEY_TIMESTAMP, struct log_thread_line, wall),
	KEY("elapsed_time", KEY_SECONDS6, struct log_thread_line, elapsed_s),
	KEY("pid", KEY_INT, struct log_thread_line, pid),
	END_OF_KEYS
};

void logformat_fixed(char *buf, size_t size, double v, int decimals)
{
	long long scale = 1, units;
	int i;

	/* Not "%f": it prints the locale's decimal point (',' under de_DE: no longer
	 * JSON), and this code also runs in programs that call setlocale(). */
	for (i = 0; i < decimals && i < 9; i++)
		scale *= 10;
	if (!isfinite(v) || fabs(v) * (double)scale >= 9e18) {
		snprintf(buf, size, "%.0f", isfinite(v) ? v : 0.0);	/* no decimal point */
		return;
	}
	units = llround(fabs(v) * (double)scale);
	snprintf(buf, size, "%s%lld", v < 0 && units ? "-" : "", units / scale);
	if (i)
		snprintf(buf + strlen(buf), size - strlen(buf), ".%0*lld", i, units % scale);
}

void logformat_timestamp(const struct timespec *ts, char *buf, size_t size)
{
	size_t n;

	local_seconds_text(ts->tv_sec, buf, size);
	n = strlen(buf);
	snprintf(buf + n, size - n, ".%06u", (unsigned int)(ts->tv_nsec / 1000) % 1000000u);
}

/* A number printed with @decimals, kept as the double it is. */
static json_object *new_fixed(double v, int decimals)
{
	char text[64];

	logformat_fixed(text, sizeof(text), v, decimals);
	return json_object_new_double_s(v, text);
}

/* The value of @k in @base as a new json-c object; NULL when left out. */
static json_object *key_value(const struct log_key *k, const char *base)
{
	const void *field = base + k->offset;
	unsigned long long u64;
	const char *str;
	char ts[48];
	double d;
	long l;
	int i;

	switch (k->type) {
	case KEY_TIMESTAMP:
		logformat_timestamp(field, ts, sizeof(ts));
		return json_object_new_string(ts);
	case KEY_INT:
		memcpy(&i, field, sizeof(i));
		return i || !(k->flags & KEY_IF_SET) ? json_object_new_int(i) : NULL;
	case KEY_LONG:
		memcpy(&l, field, sizeof(l));
		return json_object_new_int64(l);
	case KEY_U64:
		memcpy(&u64, field, sizeof(u64));
		return u64 || !(k->flags & KEY_IF_SET) ? json_object_new_uint64(u64) : NULL;
	case KEY_SECONDS2:
	case KEY_SECONDS6:
		memcpy(&d, field, sizeof(d));
		return new_fixed(d, k->type == KEY_SECONDS2 ? 2 : 6);
	case KEY_STRING:
		memcpy(&str, field, sizeof(str));
		return str || !(k->flags & KEY_IF_SET) ? json_object_new_string(str ? str : "") : NULL;
	case KEY_CHARS:
		return json_object_new_string(field);
	case KEY_TRUE:
		return *(const bool *)field ? json_object_new_boolean(1) : NULL;
	case KEY_OBJECT:
	case KEY_WHEN:
		break;
	}
	return NULL;
}

/* Is an optional (KEY_IF_SET) key present: an int or u64 not zero, a string not NULL? */
static bool key_value_present(const struct log_key *k, const char *base)
{
	unsigned long long v = 0;

	memcpy(&v, base + k->offset, k->type == KEY_INT ? sizeof(int) : sizeof(v));
	return v != 0;
}

/* Add the keys of @keys, read from the struct at @base, to @o in table order. */
static void add_keys(json_object *o, const struct log_key *keys, const void *base)
{
	const struct log_key *k;
	json_object *v;

	for (k = keys; k->name || k->type == KEY_WHEN; k++) {
		if (k->type == KEY_WHEN) {
			if (*(const bool *)((const char *)base + k->offset))
				add_keys(o, k->sub, base);
			continue;
		}
		if (k->type == KEY_OBJECT) {
			v = json_object_new_object();
			add_keys(v, k->sub, (const char *)base + k->offset);
		} else {
			v = key_value(k, base);
		}
		if (v)
			json_object_object_add(o, k->name, v);
	}
}

static void add_event(json_object *o, const struct log_event *ev)
{
	json_object_object_add(o, "event", json_object_new_string(events[ev->kind].name));
	if (events[ev->kind].keys)
		add_keys(o, events[ev->kind].keys, ev);
	if (ev->kind != LOG_EVENT_EXIT || !ev->have_status)
		return;
	if (WIFSIGNALED(ev->status))
		json_object_object_add(o, "signal", json_object_new_int(WTERMSIG(ev->status)));
	else
		json_object_object_add(o, "exit_code", json_object_new_int(WEXITSTATUS(ev->status)));
}

/* @o as one line of text, in a malloc'd string; @o is put. */
static char *to_text(json_object *o)
{
	char *text = NULL;

	if (o)
		text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

char *logformat_process(const struct log_process_line *line)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add_keys(o, sample_keys, line->sample);
	if (line->start)
		add_keys(o, start_keys, line->start);
	if (line->event)
		add_event(o, line->event);
	if (line->label)
		add_keys(o, label_keys, line->label);
	if (line->at_stop)
		add_keys(o, at_stop_key, line->at_stop);
	return to_text(o);
}

/* The plain sample line's tree, kept from line to line: a sample only changes
 * values, so the leaves are set in place (no allocation per line). Its shape,
 * which keys are present, is a bit per optional key; a new shape, a new tree. */
struct logformat_cache {
	json_object *root;
	unsigned long long shape;
	char fixed[8][64];	/* the text of each fixed-decimals number, in key order */
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
								: key_value_present(k, base);
		if (on && *pos < 64)
			bits |= 1ull << *pos;
		(*pos)++;
		if (k->type == KEY_WHEN && on)
			bits |= shape_of(k->sub, base, pos);
	}
	return bits;
}

/* Set the leaves of @o (built by add_keys from the same table and shape) to the
 * values at @base. *@n_fixed: the next text slot of @cache for fixed numbers. */
static void set_keys(struct logformat_cache *cache, json_object *o, const struct log_key *keys,
		     const char *base, int *n_fixed)
{
	const struct log_key *k;
	unsigned long long u64;
	const char *str;
	json_object *v;
	char ts[48];
	double d;
	long l;
	int i;

	for (k = keys; k->name || k->type == KEY_WHEN; k++) {
		if (k->type == KEY_WHEN) {
			if (*(const bool *)(base + k->offset))
				set_keys(cache, o, k->sub, base, n_fixed);
			continue;
		}
		if (!json_object_object_get_ex(o, k->name, &v))
			continue;	/* an optional key left out */
		switch (k->type) {
		case KEY_TIMESTAMP:
			logformat_timestamp((const void *)(base + k->offset), ts, sizeof(ts));
			json_object_set_string(v, ts);
			break;
		case KEY_INT:
			memcpy(&i, base + k->offset, sizeof(i));
			json_object_set_int(v, i);
			break;
		case KEY_LONG:
			memcpy(&l, base + k->offset, sizeof(l));
			json_object_set_int64(v, l);
			break;
		case KEY_U64:
			memcpy(&u64, base + k->offset, sizeof(u64));
			json_object_set_uint64(v, u64);
			break;
		case KEY_SECONDS2:
		case KEY_SECONDS6:
			if (*n_fixed >= (int)(sizeof(cache->fixed) / sizeof(cache->fixed[0])))
				break;
			memcpy(&d, base + k->offset, sizeof(d));
			logformat_fixed(cache->fixed[*n_fixed], sizeof(cache->fixed[0]), d,
					k->type == KEY_SECONDS2 ? 2 : 6);
			json_object_set_double(v, d);
			/* The text is the slot's: set_double keeps this serializer. */
			json_object_set_serializer(v, json_object_userdata_to_json_string,
						   cache->fixed[*n_fixed], NULL);
			(*n_fixed)++;
			break;
		case KEY_STRING:
			memcpy(&str, base + k->offset, sizeof(str));
			json_object_set_string(v, str ? str : "");
			break;
		case KEY_CHARS:
			json_object_set_string(v, base + k->offset);
			break;
		case KEY_OBJECT:
			set_keys(cache, v, k->sub, base + k->offset, n_fixed);
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
	if (cache)
		json_object_put(cache->root);
	free(cache);
}

const char *logformat_sample(struct logformat_cache *cache, const struct sample *smp)
{
	int pos = 0, n_fixed = 0;
	unsigned long long shape = shape_of(sample_keys, (const char *)smp, &pos);

	if (!cache->root || shape != cache->shape) {
		json_object_put(cache->root);
		cache->root = json_object_new_object();
		if (!cache->root)
			return NULL;
		add_keys(cache->root, sample_keys, smp);
		cache->shape = shape;
	}
	set_keys(cache, cache->root, sample_keys, (const char *)smp, &n_fixed);
	return json_object_to_json_string_ext(cache->root, JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *logformat_thread(const struct log_thread_line *line)
{
	json_object *o = json_object_new_object(), *th;

	if (!o)
		return NULL;
	add_keys(o, thread_line_keys, line);
	th = json_object_new_object();
	add_keys(th, thread_keys, line->thread);
	json_object_object_add(o, "thread", th);
	return to_text(o);
}
