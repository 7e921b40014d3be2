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
#include "decimal.h"
#include "logformat.h"
#include "logkeys.h"

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

const struct log_key logkeys_sample[] = {
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
	char num[24], *end = num + sizeof(num), *digits;
	long long scale = 1, units;
	size_t n;
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
	n = 0;
	if (v < 0 && units && size > 1)
		buf[n++] = '-';
	digits = decimal_u64(end, (unsigned long long)(units / scale));
	if (n + (size_t)(end - digits) + 1 + (size_t)i >= size) {
		buf[0] = '\0';	/* a buffer too small for any real number */
		return;
	}
	memcpy(buf + n, digits, (size_t)(end - digits));
	n += (size_t)(end - digits);
	buf[n] = '\0';
	if (i) {
		buf[n++] = '.';
		decimal_fixed_width(buf + n, size - n, (unsigned long long)(units % scale), i);
	}
}

void logformat_timestamp(const struct timespec *ts, char *buf, size_t size)
{
	size_t n;

	local_seconds_text(ts->tv_sec, buf, size);
	n = strlen(buf);
	if (n + 8 > size)
		return;
	buf[n++] = '.';
	decimal_fixed_width(buf + n, size - n, (unsigned long long)(ts->tv_nsec / 1000) % 1000000u, 6);
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
bool logkeys_present(const struct log_key *k, const char *base)
{
	unsigned long long v = 0;

	memcpy(&v, base + k->offset, k->type == KEY_INT ? sizeof(int) : sizeof(v));
	return v != 0;
}

/* Add the keys of @keys, read from the struct at @base, to @o in table order. */
void logkeys_add(json_object *o, const struct log_key *keys, const void *base)
{
	const struct log_key *k;
	json_object *v;

	for (k = keys; k->name || k->type == KEY_WHEN; k++) {
		if (k->type == KEY_WHEN) {
			if (*(const bool *)((const char *)base + k->offset))
				logkeys_add(o, k->sub, base);
			continue;
		}
		if (k->type == KEY_OBJECT) {
			v = json_object_new_object();
			logkeys_add(v, k->sub, (const char *)base + k->offset);
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
		logkeys_add(o, events[ev->kind].keys, ev);
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
	logkeys_add(o, logkeys_sample, line->sample);
	if (line->start)
		logkeys_add(o, start_keys, line->start);
	if (line->event)
		add_event(o, line->event);
	if (line->label)
		logkeys_add(o, label_keys, line->label);
	if (line->at_stop)
		logkeys_add(o, at_stop_key, line->at_stop);
	return to_text(o);
}

char *logformat_thread(const struct log_thread_line *line)
{
	json_object *o = json_object_new_object(), *th;

	if (!o)
		return NULL;
	logkeys_add(o, thread_line_keys, line);
	th = json_object_new_object();
	logkeys_add(th, thread_keys, line->thread);
	json_object_object_add(o, "thread", th);
	return to_text(o);
}
