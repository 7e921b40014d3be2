/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Destroys the uprobe links of exited processes off the event loop, and when
 * no attach is waiting: the kernel closes each under a global lock, waiting for
 * several RCU grace periods (about 0.1 s here), and an attach waits behind it. */
#ifndef PROCMON_LINK_REAPER_H
#define PROCMON_LINK_REAPER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct bpf_link;

/* Links waiting past this are destroyed even while attaches go on, one at a
 * time; past twice this, by the caller itself: bounded descriptors and kernel
 * memory, whatever the rate of exits. */
#define LINK_REAPER_HIGH 32
/* No attach for this long: the reaper may take the global lock. */
#define LINK_REAPER_IDLE_S 0.1

struct link_reaper {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct bpf_link **queue;	/* a stack: the order does not matter */
	size_t n, cap;
	double last_attach_s;		/* CLOCK_MONOTONIC */
	pthread_t thread;
	bool running;			/* started on the first link */
	bool stopping;
};

void link_reaper_init(struct link_reaper *r);

/* An attach is about to be made: the reaper keeps off the lock a while. */
void link_reaper_attaching(struct link_reaper *r);

/* Destroy @link (may be NULL) soon, on the reaper's thread. */
void link_reaper_put(struct link_reaper *r, struct bpf_link *link);

/* Destroy every link queued and stop the thread; @r can be used again after. */
void link_reaper_stop(struct link_reaper *r);

#endif /* PROCMON_LINK_REAPER_H */
