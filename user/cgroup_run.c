// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --cgroup during a run: BPF adds the processes created in the cgroup or moved
 * into it; this file adds those already there, answers BPF's events, and sums up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "as_user.h"
#include "cgroup_run.h"
#include "checks.h"
#include "safe_text.h"
#include "session.h"
#include "targets.h"

struct cgroup_total {
	char *path;		/* retired rows own theirs; the summary's point into targets */
	unsigned long procs, exited;
	unsigned long long oncpu_ns, runq_ns, faults, major, labels;
};

static void add_to(struct cgroup_total *c, const struct target *t)
{
	c->procs++;
	c->exited += t->have_exit_code;
	c->oncpu_ns += t->oncpu_ns;
	c->runq_ns += t->counters.runq_wait_ns;
	c->faults += t->counters.faults;
	c->major += t->counters.maj_flt;
	c->labels += t->counters.labels;
}

struct cgroup_run {
	struct cgroup_dir dir;
	const struct run_as *ra;	/* the invoking user */
	bool said_empty;
	bool said_refused;
	unsigned long refused;		/* processes of the cgroup the user may not trace */
	unsigned long full;		/* found when the targets map was full */
	unsigned long entered, left;	/* moves in and out during the run */
	unsigned long long lost_seen;	/* BPF's lost-event count at the last scan */
	struct cgroup_total *retired;	/* by cgroup: processes out of the target table */
	int n_retired;
};

int cgroup_run_new(struct session *s, const struct cgroup_dir *cg, const struct run_as *ra)
{
	struct cgroup_run *cr = calloc(1, sizeof(*cr));

	if (!cr)
		return -ENOMEM;
	cr->dir = *cg;
	cr->ra = ra;
	s->cgroup = cr;
	return 0;
}

void cgroup_run_retire(struct session *s, const struct target *t)
{
	struct cgroup_run *cr = s->cgroup;
	const char *path;
	int j;

	if (!cr)
		return;
	path = t->cgroup ? t->cgroup : cr->dir.rel;
	for (j = 0; j < cr->n_retired && strcmp(cr->retired[j].path, path); j++)
		;
	if (j == cr->n_retired) {
		struct cgroup_total *grown = realloc(cr->retired, sizeof(*grown) * (size_t)(j + 1));
		char *copy = strdup(path);

		if (!grown || !copy) {
			free(copy);
			if (grown)
				cr->retired = grown;
			return;	/* out of memory: the summary misses it, the log has it */
		}
		cr->retired = grown;
		cr->retired[j] = (struct cgroup_total){ .path = copy };
		cr->n_retired++;
	}
	add_to(&cr->retired[j], t);
}

void cgroup_run_free(struct session *s)
{
	if (s->cgroup)
		for (int j = 0; j < s->cgroup->n_retired; j++)
			free(s->cgroup->retired[j].path);
	if (s->cgroup)
		free(s->cgroup->retired);
	free(s->cgroup);
	s->cgroup = NULL;
}

const char *cgroup_run_rel(const struct cgroup_run *cr)
{
	return cr->dir.rel;
}

/* Is cgroup path @path the traced one or below it? */
static bool inside(const struct cgroup_run *cr, const char *path)
{
	size_t len = strlen(cr->dir.rel);

	if (!strcmp(cr->dir.rel, "/"))
		return true;
	return !strncmp(path, cr->dir.rel, len) && (path[len] == '\0' || path[len] == '/');
}

char *cgroup_run_path_of(struct session *s, pid_t pid)
{
	char path[PATH_MAX];

	if (cgroup_of_pid(pid, path, sizeof(path)))
		return strdup(s->cgroup->dir.rel);	/* gone: it was in the cgroup */
	return strdup(path);
}

/* Under sudo, only the invoking user's own processes are traced (the rule of
 * -p: ptrace read access); the first refusal is said, the others counted. */
static bool may_trace(struct cgroup_run *cr, pid_t pid)
{
	int err = as_user_may_trace(cr->ra, pid);

	if (err != -EPERM)
		return true;	/* 0, or gone (its exit ends it) */
	cr->refused++;
	if (!cr->said_refused) {
		char shown[PATH_MAX];

		cr->said_refused = true;
		safe_text_escape(cr->dir.rel, strlen(cr->dir.rel), shown, sizeof(shown));
		fprintf(stderr, "procmon: warning: cgroup '%s': not tracing PID %d: %s may not "
			"trace it (not theirs, or setuid); others like it are counted in the summary\n",
			shown, (int)pid, cr->ra->have_owner ? "the sudo user" : "you");
	}
	return false;
}

/* Make @pid, a process of the cgroup, a target with its START line. @entered:
 * BPF made it a target as it moved in (and marked its leader). 0 or the write error. */
static int admit(struct session *s, pid_t pid, bool entered)
{
	struct target *t = targets_find(s, pid);
	const char *why, *hint;
	int err;

	if (t && !t->finished)
		return 0;
	/* Kernel threads (the root cgroup lists them), zombies, procmon itself. */
	if ((err = check_attach_pid(pid, &why, &hint)) || !may_trace(s->cgroup, pid)) {
		if (entered)
			tracer_remove(&s->tracer, pid);
		return 0;
	}
	err = entered ? tracer_mark_threads(&s->tracer, pid) : tracer_add(&s->tracer, pid, 0, true);
	if (err == -E2BIG || err == -ENOSPC)
		s->cgroup->full++;	/* more than PROCMON_MAX_TARGETS at once */
	if (err)
		return 0;	/* else gone before we looked */
	labels_scan_process(&s->labels, pid);
	return targets_add(s, pid, false, 0);
}

static void say_empty(struct session *s)
{
	char shown[PATH_MAX];

	if (s->cgroup->said_empty || s->live > 0)
		return;
	s->cgroup->said_empty = true;
	safe_text_escape(s->cgroup->dir.path, strlen(s->cgroup->dir.path), shown, sizeof(shown));
	fprintf(stderr, "procmon: cgroup '%s' has no processes yet: waiting for some "
		"(a signal or -d ends the run)\n", shown);
}

/* A live target that is no longer in the cgroup: its last line says it left. */
static int finish_left(struct session *s, struct target *t)
{
	static const struct log_event left = { .kind = LOG_EVENT_CGROUP_LEAVE };

	s->cgroup->left++;
	return targets_finish(s, t, &left);
}

/* Every process listed in the cgroup and below it: added if not traced yet;
 * live targets that are still alive but out of the cgroup are finished. */
static int rescan(struct session *s)
{
	char path[PATH_MAX];
	pid_t *pids = NULL;
	int i, n, err = 0;

	s->cgroup->lost_seen = tracer_cgroup_events_lost(&s->tracer);
	n = cgroup_dir_pids(&s->cgroup->dir, &pids);
	for (i = 0; i < n && !err; i++)
		err = admit(s, pids[i], false);
	free(pids);
	for (i = 0; i < s->n_targets && !err; i++) {
		struct target *t = s->targets[i];

		if (!t->finished && cgroup_of_pid(t->pid, path, sizeof(path)) == 0 &&
		    !inside(s->cgroup, path))
			err = finish_left(s, t);
	}
	return err;
}

int cgroup_run_scan(struct session *s)
{
	int err = rescan(s);

	say_empty(s);
	return err;
}

int cgroup_run_tick(struct session *s)
{
	int err = 0;

	if (s->tracing && tracer_cgroup_events_lost(&s->tracer) != s->cgroup->lost_seen)
		err = rescan(s);
	say_empty(s);
	return err;
}

void cgroup_run_on_event(struct session *s, const void *data)
{
	const struct procmon_event_cgroup *ev = data;
	pid_t pid = (pid_t)ev->head.pid;
	struct target *t = targets_find(s, pid);

	if (!s->cgroup)
		return;
	if (t && t->finished)
		t = NULL;
	switch (ev->move) {
	case PROCMON_CGROUP_ENTER:
		s->cgroup->entered++;
		admit(s, pid, true);
		break;
	case PROCMON_CGROUP_LEAVE:
		if (t)
			finish_left(s, t);
		else
			tracer_remove(&s->tracer, pid);
		break;
	case PROCMON_CGROUP_WITHIN:
		if (t) {
			free(t->cgroup);
			t->cgroup = cgroup_run_path_of(s, pid);
		}
		break;
	}
}

bool cgroup_run_admit_child(struct session *s, pid_t child, pid_t parent)
{
	struct target *p = targets_find(s, parent);

	/* A fork has its parent's credentials: a traced parent's child may be traced. */
	if ((p && !p->finished) || may_trace(s->cgroup, child))
		return true;
	tracer_remove(&s->tracer, child);
	return false;
}

/* ------------------------------------------------------------ the summary */

static void add_total(struct cgroup_total *to, const struct cgroup_total *c)
{
	to->procs += c->procs;
	to->exited += c->exited;
	to->oncpu_ns += c->oncpu_ns;
	to->runq_ns += c->runq_ns;
	to->faults += c->faults;
	to->major += c->major;
	to->labels += c->labels;
}

static void print_total(FILE *out, const struct cgroup_total *c, const char *name)
{
	char shown[PATH_MAX];

	safe_text_escape(name, strlen(name), shown, sizeof(shown));
	fprintf(out, "%7lu %7lu %11.6f %10.6f %10llu %8llu %8llu  %s\n", c->procs, c->exited,
		(double)c->oncpu_ns / 1e9, (double)c->runq_ns / 1e9, c->faults, c->major, c->labels,
		shown);
}

void cgroup_run_summary(const struct session *s, FILE *out)
{
	const struct cgroup_run *cr = s->cgroup;
	struct cgroup_total *rows, all = { 0 };
	char shown[PATH_MAX];
	int i, j, n = 0;

	if (!cr)
		return;
	rows = calloc((size_t)s->n_targets + (size_t)cr->n_retired + 1, sizeof(*rows));
	if (!rows)
		return;
	/* By cgroup; the retired first, each row in the order first seen. */
	for (j = 0; j < cr->n_retired; j++) {
		rows[n] = cr->retired[j];
		add_total(&all, &rows[n++]);
	}
	for (i = 0; i < s->n_targets; i++) {
		const struct target *t = s->targets[i];
		const char *path = t->cgroup ? t->cgroup : cr->dir.rel;

		for (j = 0; j < n && strcmp(rows[j].path, path); j++)
			;
		if (j == n)
			rows[n++].path = (char *)path;
		add_to(&rows[j], t);
		add_to(&all, t);
	}
	safe_text_escape(cr->dir.rel, strlen(cr->dir.rel), shown, sizeof(shown));
	fprintf(out, "procmon: cgroup %s: %lu processes traced (%lu entered, %lu left), "
		"%lu not traced (not the user's)\n", shown, all.procs, cr->entered, cr->left,
		cr->refused);
	if (cr->full)
		fprintf(out, "procmon: cgroup %s: %lu processes not traced: more than %d at once\n",
			shown, cr->full, PROCMON_MAX_TARGETS);
	fprintf(out, "%7s %7s %11s %10s %10s %8s %8s  %s\n", "PROCS", "EXITED", "ONCPU_s",
		"RUNQ_s", "FAULTS", "MAJOR", "LABELS", "CGROUP");
	for (j = 0; j < n; j++)
		print_total(out, &rows[j], rows[j].path);
	if (n > 1)
		print_total(out, &all, "(all)");
	free(rows);
}
