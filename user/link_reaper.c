// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A thread that destroys the uprobe links of exited processes while no attach
 * needs the kernel's lock, and steadily once many wait. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "clock.h"
#include "link_reaper.h"

void link_reaper_init(struct link_reaper *r)
{
	pthread_condattr_t attr;

	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &attr);
	pthread_condattr_destroy(&attr);
}

/* Called with the lock held: may a link be destroyed now? Else when, in *@at_s. */
static bool may_reap(const struct link_reaper *r, double *at_s)
{
	*at_s = r->last_attach_s + LINK_REAPER_IDLE_S;
	return r->stopping || r->n >= LINK_REAPER_HIGH || mono_now_s() >= *at_s;
}

static void *reap(void *arg)
{
	struct link_reaper *r = arg;
	struct bpf_link *link;
	double at_s;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		if (!r->n) {
			if (r->stopping)
				break;
			pthread_cond_wait(&r->wake, &r->lock);
			continue;
		}
		if (!may_reap(r, &at_s)) {
			struct timespec until = seconds_to_timespec(at_s);

			pthread_cond_timedwait(&r->wake, &r->lock, &until);
			continue;
		}
		link = r->queue[--r->n];
		pthread_mutex_unlock(&r->lock);
		bpf_link__destroy(link);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* The thread, with every signal blocked: signals are the event loop's. */
static void start(struct link_reaper *r)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r->running = pthread_create(&r->thread, NULL, reap, r) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void link_reaper_attaching(struct link_reaper *r)
{
	pthread_mutex_lock(&r->lock);
	r->last_attach_s = mono_now_s();
	pthread_mutex_unlock(&r->lock);
}

void link_reaper_put(struct link_reaper *r, struct bpf_link *link)
{
	struct bpf_link **grown;

	if (!link)
		return;
	pthread_mutex_lock(&r->lock);
	if (!r->running)
		start(r);
	if (r->n == r->cap && r->cap < 2 * LINK_REAPER_HIGH) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		grown = realloc(r->queue, cap * sizeof(*grown));
		if (grown) {
			r->queue = grown;
			r->cap = cap;
		}
	}
	if (r->running && r->n < r->cap) {
		r->queue[r->n++] = link;
		link = NULL;
		pthread_cond_signal(&r->wake);
	}
	pthread_mutex_unlock(&r->lock);
	bpf_link__destroy(link);	/* no thread, or too many waiting: here and now */
}

void link_reaper_stop(struct link_reaper *r)
{
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	if (r->running)
		pthread_join(r->thread, NULL);
	while (r->n)	/* queued with no thread to take them */
		bpf_link__destroy(r->queue[--r->n]);
	free(r->queue);
	r->queue = NULL;
	r->cap = 0;
	r->running = false;
	r->stopping = false;
}
