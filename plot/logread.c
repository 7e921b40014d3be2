// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One log line to one record: a JSON object alone (jsonl) or after TotalDepth's
 * `ProcessLoggingThread-JSON[-START|-STOP]` marker, or procmon's thread marker
 * `ProcessLoggingThread-THREAD`; no global state (fuzzable). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "logread.h"

#define TOTALDEPTH_MARKER "ProcessLoggingThread-JSON"
/* procmon's -t lines: a marker of their own, which TotalDepth's regex skips. */
#define THREAD_MARKER "ProcessLoggingThread-THREAD"

/* Where each metric lives in the JSON object: section ("" = top level), key. */
static const struct {
	const char *section;
	const char *key;
	double max;
} metric_keys[PLOT_NR_METRICS] = {
	[PLOT_RSS_BYTES] = { "memory_info", "rss", PLOT_MAX_BYTES },
	[PLOT_VMS_BYTES] = { "memory_info", "vms", PLOT_MAX_BYTES },
	[PLOT_RSS_PEAK_BYTES] = { "memory_info", "rss_peak", PLOT_MAX_BYTES },
	[PLOT_PFAULTS] = { "memory_info", "pfaults", PLOT_MAX_COUNT },
	[PLOT_PAGEINS] = { "memory_info", "pageins", PLOT_MAX_COUNT },
	[PLOT_CPU_USER_S] = { "cpu_times", "user", PLOT_MAX_CPU_S },
	[PLOT_CPU_SYSTEM_S] = { "cpu_times", "system", PLOT_MAX_CPU_S },
	[PLOT_CPU_CHILDREN_USER_S] = { "cpu_times", "children_user", PLOT_MAX_CPU_S },
	[PLOT_CPU_CHILDREN_SYSTEM_S] = { "cpu_times", "children_system", PLOT_MAX_CPU_S },
	[PLOT_ONCPU_NS] = { "sched", "oncpu_ns", PLOT_MAX_COUNT },
	[PLOT_RUNQ_WAIT_NS] = { "sched", "runq_wait_ns", PLOT_MAX_COUNT },
	[PLOT_VOLUNTARY] = { "sched", "voluntary", PLOT_MAX_COUNT },
	[PLOT_INVOLUNTARY] = { "sched", "involuntary", PLOT_MAX_COUNT },
	[PLOT_NUM_THREADS] = { "", "num_threads", PLOT_MAX_THREADS },
	[PLOT_OFFCPU_PREEMPTED_NS] = { "sched", "offcpu_preempted_ns", PLOT_MAX_COUNT },
	[PLOT_OFFCPU_BLOCKED_NS] = { "sched", "offcpu_blocked_ns", PLOT_MAX_COUNT },
	[PLOT_OFFCPU_SLEEP_NS] = { "sched", "offcpu_sleep_ns", PLOT_MAX_COUNT },
	[PLOT_IO_READ_BYTES] = { "io_counters", "read_bytes", PLOT_MAX_BYTES },
	[PLOT_IO_WRITE_BYTES] = { "io_counters", "write_bytes", PLOT_MAX_BYTES },
	[PLOT_IO_READ_CHARS] = { "io_counters", "read_chars", PLOT_MAX_BYTES },
	[PLOT_IO_WRITE_CHARS] = { "io_counters", "write_chars", PLOT_MAX_BYTES },
};

/* The keys of the at_label object, and their bounds. */
static const struct {
	const char *key;
	double max;
} at_keys[PLOT_NR_AT] = {
	[PLOT_AT_PFAULTS] = { "pfaults", PLOT_MAX_COUNT },
	[PLOT_AT_PAGEINS] = { "pageins", PLOT_MAX_COUNT },
	[PLOT_AT_ONCPU_NS] = { "oncpu_ns", PLOT_MAX_COUNT },
	[PLOT_AT_RUNQ_WAIT_NS] = { "runq_wait_ns", PLOT_MAX_COUNT },
	[PLOT_AT_OFFCPU_PREEMPTED_NS] = { "offcpu_preempted_ns", PLOT_MAX_COUNT },
	[PLOT_AT_OFFCPU_BLOCKED_NS] = { "offcpu_blocked_ns", PLOT_MAX_COUNT },
	[PLOT_AT_OFFCPU_SLEEP_NS] = { "offcpu_sleep_ns", PLOT_MAX_COUNT },
	[PLOT_AT_RSS_BYTES] = { "rss", PLOT_MAX_BYTES },
	[PLOT_AT_PHASE_RSS_PEAK_BYTES] = { "phase_rss_peak", PLOT_MAX_BYTES },
};

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Parses exactly one JSON object filling the len bytes at s (surrounding
 * whitespace allowed). Returns it (the caller puts it) or NULL. */
static json_object *parse_object(const char *s, size_t len)
{
	json_tokener *tok;
	json_object *obj;
	size_t end;

	if (len > INT_MAX)
		return NULL;
	tok = json_tokener_new();
	if (!tok)
		return NULL;
	obj = json_tokener_parse_ex(tok, s, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (obj && (json_tokener_get_error(tok) != json_tokener_success ||
		    !json_object_is_type(obj, json_type_object) ||
		    !is_blank(s + end, len - end))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* Finds the JSON of a TotalDepth line, as its regex
 * ^.+?ProcessLoggingThread-JSON(-START|-STOP)?\s*(.+)$ does, or of a thread
 * line (the same with ProcessLoggingThread-THREAD): whichever marker comes first. */
static const char *totaldepth_json(const char *line, size_t len, size_t *json_len)
{
	const size_t mlen = strlen(TOTALDEPTH_MARKER), tlen = strlen(THREAD_MARKER);
	const char *m, *t, *end = line + len;

	if (len < 2)
		return NULL;
	m = memmem(line + 1, len - 1, TOTALDEPTH_MARKER, mlen);
	t = memmem(line + 1, len - 1, THREAD_MARKER, tlen);
	if (t && (!m || t < m))
		m = t + tlen;
	else if (m)
		m += mlen;
	else
		return NULL;
	if ((size_t)(end - m) >= 6 && !memcmp(m, "-START", 6))
		m += 6;
	else if ((size_t)(end - m) >= 5 && !memcmp(m, "-STOP", 5))
		m += 5;
	while (m < end && isspace((unsigned char)*m))
		m++;
	if (m == end)
		return NULL;
	*json_len = (size_t)(end - m);
	return m;
}

/* Returns 1 and the number if key holds a number in [0, max], 0 if it is
 * absent or null, -EINVAL for anything else (NaN, infinite, out of bounds). */
static int get_number(json_object *obj, const char *key, double max, double *out)
{
	json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	/* get_double also reads integers, uint64 ones included. */
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
		return -EINVAL;
	*out = json_object_get_double(v);
	return *out >= 0 && *out <= max ? 1 : -EINVAL;
}

/* As get_number, for a process id: an integer in [0, INT_MAX]. */
static int get_pid(json_object *obj, const char *key, long long *out)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -EINVAL;
	*out = json_object_get_int64(v);
	return *out >= 0 && *out <= INT_MAX ? 1 : -EINVAL;
}

/* Returns the section object, NULL if absent; -EINVAL in *err if not an object. */
static json_object *get_section(json_object *obj, const char *name, int *err)
{
	json_object *v;

	if (!name[0])
		return obj;
	if (!json_object_object_get_ex(obj, name, &v) || !v)
		return NULL;
	if (!json_object_is_type(v, json_type_object)) {
		*err = -EINVAL;
		return NULL;
	}
	return v;
}

static int read_metrics(json_object *obj, struct plot_record *rec)
{
	for (int i = 0; i < PLOT_NR_METRICS; i++) {
		int err = 0;
		json_object *sec = get_section(obj, metric_keys[i].section, &err);

		if (err)
			return err;
		err = get_number(sec, metric_keys[i].key, metric_keys[i].max, &rec->metric[i]);
		if (err < 0)
			return err;
		if (err)
			rec->metrics_present |= 1u << i;
	}
	return 0;
}

/* The counters object @name (at_label, at_stop), if any: *has and @at. */
static int read_counters(json_object *obj, const char *name, bool *has, double *at)
{
	int err = 0;
	json_object *sec = get_section(obj, name, &err);

	if (err || !sec)
		return err;
	for (int i = 0; i < PLOT_NR_AT; i++) {
		err = get_number(sec, at_keys[i].key, at_keys[i].max, &at[i]);
		if (err < 0)
			return err;
	}
	*has = true;
	return 0;
}

/* Copies a string value into *out (owned); 0 if absent or null. */
static int get_string(json_object *obj, const char *key, char **out, size_t *len)
{
	json_object *v;
	int n;

	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -EINVAL;
	n = json_object_get_string_len(v);
	*out = malloc((size_t)n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, json_object_get_string(v), (size_t)n);
	(*out)[n] = '\0';
	if (len)
		*len = (size_t)n;
	return 1;
}

/* cmdline is a string (procmon) or a list of words (psutil's as_dict()). */
static int get_cmdline(json_object *obj, char **out)
{
	json_object *v;
	size_t n, used = 0, size = 1;

	if (!json_object_object_get_ex(obj, "cmdline", &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return get_string(obj, "cmdline", out, NULL);
	n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		json_object *w = json_object_array_get_idx(v, i);

		if (!json_object_is_type(w, json_type_string))
			return -EINVAL;
		size += (size_t)json_object_get_string_len(w) + 1;
	}
	*out = malloc(size);
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *w = json_object_array_get_idx(v, i);
		size_t wlen = (size_t)json_object_get_string_len(w);

		if (i)
			(*out)[used++] = ' ';
		memcpy(*out + used, json_object_get_string(w), wlen);
		used += wlen;
	}
	(*out)[used] = '\0';
	return 1;
}

/* Keeps a timestamp only in the shape "YYYY-MM-DD HH:MM:SS[.ffffff]"; it is
 * shown in titles, so nothing else gets through. */
static int get_timestamp(json_object *obj, char *out)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	json_object *v;
	const char *s;
	size_t n, i;

	if (!json_object_object_get_ex(obj, "timestamp", &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -EINVAL;
	s = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n < sizeof(shape) - 1 || n > PLOT_TIMESTAMP_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char want = i < sizeof(shape) - 1 ? shape[i] : i == sizeof(shape) - 1 ? '.' : 'd';

		if (want == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != want && !(i == 10 && s[i] == 'T'))
			return 0;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/* The `thread` object of a -t line: which thread, and its CPU time so far. */
static int read_thread(json_object *obj, struct plot_record *rec)
{
	double user = NAN, system = NAN, oncpu_ns = NAN;
	int err = 0;
	json_object *th = get_section(obj, "thread", &err);

	if (err || !th)
		return err;
	if ((err = get_pid(th, "tid", &rec->tid)) <= 0)
		return -EINVAL;	/* a thread line names its thread */
	if ((err = get_number(th, "oncpu_ns", PLOT_MAX_COUNT, &oncpu_ns)) < 0 ||
	    (err = get_number(th, "user", PLOT_MAX_CPU_S, &user)) < 0 ||
	    (err = get_number(th, "system", PLOT_MAX_CPU_S, &system)) < 0)
		return err;
	if ((err = get_string(th, "comm", &rec->thread_comm, NULL)) < 0)
		return err;
	rec->thread_cpu_s = isfinite(oncpu_ns) ? oncpu_ns / 1e9 : user + system;
	rec->kinds |= PLOT_KIND_THREAD;
	return 0;
}

static enum plot_event event_from_name(const char *name)
{
	static const char *const names[] = {
		[PLOT_EVENT_EXEC] = "exec", [PLOT_EVENT_FORK] = "fork",
		[PLOT_EVENT_EXIT] = "exit", [PLOT_EVENT_OOM] = "oom",
	};

	for (size_t i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (enum plot_event)i;
	return PLOT_EVENT_NONE;
}

static int read_record(json_object *obj, struct plot_record *rec)
{
	char *event = NULL;
	bool has_elapsed, has_label_elapsed, has_event;
	int err;

	if ((err = get_number(obj, "elapsed_time", PLOT_MAX_ELAPSED_S, &rec->elapsed_s)) < 0)
		return err;
	has_elapsed = err;
	if ((err = get_number(obj, "label_elapsed_time", PLOT_MAX_ELAPSED_S,
			      &rec->label_elapsed_s)) < 0)
		return err;
	has_label_elapsed = err;
	rec->traced_since_s = NAN;
	if ((err = get_number(obj, "traced_since", PLOT_MAX_ELAPSED_S, &rec->traced_since_s)) < 0)
		return err;
	rec->cpu_count = NAN;
	if ((err = get_number(obj, "cpu_count", 65536, &rec->cpu_count)) < 0)
		return err;
	if (err && !(rec->cpu_count >= 1 && rec->cpu_count == floor(rec->cpu_count)))
		rec->cpu_count = NAN;	/* not a count of CPUs: not drawn */
	if ((err = get_pid(obj, "pid", &rec->pid)) < 0)
		return err;
	rec->has_pid = err;
	if ((err = get_pid(obj, "ppid", &rec->ppid)) < 0)
		return err;
	rec->has_ppid = err;
	if ((err = get_pid(obj, "child_pid", &rec->child_pid)) < 0)
		return err;
	if ((err = read_metrics(obj, rec)) < 0)
		return err;
	if ((err = read_counters(obj, "at_label", &rec->has_at, rec->at)) < 0 ||
	    (err = read_counters(obj, "at_stop", &rec->has_stop, rec->stop)) < 0)
		return err;
	if ((err = get_timestamp(obj, rec->timestamp)) < 0)
		return err;
	if ((err = get_string(obj, "label", &rec->label, &rec->label_len)) < 0)
		return err;
	if ((err = get_string(obj, "comm", &rec->comm, NULL)) < 0)
		return err;
	if ((err = get_cmdline(obj, &rec->cmdline)) < 0)
		return err;
	if ((err = get_string(obj, "cgroup", &rec->cgroup, NULL)) < 0)
		return err;
	if ((err = get_string(obj, "event", &event, NULL)) < 0)
		return err;
	if ((err = read_thread(obj, rec)) < 0) {
		free(event);
		return err;
	}
	has_event = event != NULL;
	if (event)
		rec->event = event_from_name(event);
	free(event);
	/* A line with a thread object is a thread line (-t), whatever else it holds:
	 * its pid's counters and labels are on the other lines. */
	if (rec->kinds & PLOT_KIND_THREAD) {
		rec->has_at = rec->has_stop = false;
		rec->event = PLOT_EVENT_NONE;
		return has_elapsed ? 0 : -EINVAL;
	}

	if (rec->label && (has_label_elapsed || has_elapsed)) {
		rec->kinds |= PLOT_KIND_LABEL;
		if (!has_label_elapsed)
			rec->label_elapsed_s = rec->elapsed_s;
	} else {
		rec->has_at = false;	/* counters of no label: no phase boundary */
	}
	if (!has_elapsed)
		return rec->kinds ? 0 : -EINVAL;
	if (rec->event != PLOT_EVENT_NONE)
		rec->kinds |= PLOT_KIND_EVENT;
	if (rec->metrics_present || (!rec->label && !has_event))
		rec->kinds |= PLOT_KIND_SAMPLE;
	return 0;
}

int plot_parse_line(const char *line, size_t len, struct plot_record *rec)
{
	json_object *obj = NULL;
	const char *json;
	size_t json_len, i = 0;
	int err;

	memset(rec, 0, sizeof(*rec));
	for (int m = 0; m < PLOT_NR_METRICS; m++)
		rec->metric[m] = NAN;
	for (int a = 0; a < PLOT_NR_AT; a++)
		rec->at[a] = rec->stop[a] = NAN;
	while (i < len && isspace((unsigned char)line[i]))
		i++;
	if (i == len)
		return -ENODATA;
	/* A jsonl line first: its label may itself mention the marker. */
	if (line[i] == '{')
		obj = parse_object(line + i, len - i);
	if (!obj) {
		json = totaldepth_json(line, len, &json_len);
		if (!json)
			return -EINVAL;
		obj = parse_object(json, json_len);
		if (!obj)
			return -EINVAL;
	}
	err = read_record(obj, rec);
	json_object_put(obj);
	if (err)
		plot_record_release(rec);
	return err;
}

void plot_record_release(struct plot_record *rec)
{
	free(rec->label);
	free(rec->comm);
	free(rec->cmdline);
	free(rec->cgroup);
	free(rec->thread_comm);
	rec->label = rec->comm = rec->cmdline = rec->cgroup = rec->thread_comm = NULL;
}
