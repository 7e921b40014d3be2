/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* /metrics over HTTP (libmicrohttpd, in its own thread) from the view the sampler
 * last published: a scraper never waits for a sample, a sample never for a scraper. */
#ifndef PROCMON_METRICS_HTTP_H
#define PROCMON_METRICS_HTTP_H

#include <stdbool.h>
#include <sys/socket.h>
#include "metrics.h"

#define METRICS_HTTP_MAX_CONNECTIONS	16	/* open at once; more wait in the backlog */
#define METRICS_HTTP_MAX_PER_IP		8	/* so one client cannot take them all */
#define METRICS_HTTP_TIMEOUT_S		10	/* an idle or stuck connection is closed */

struct metrics_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	bool any;			/* ":PORT": every interface, IPv6 and IPv4 */
	char text[96];			/* as the user wrote it, for messages */
};

/* Parse "HOST:PORT", "[IPV6]:PORT" or ":PORT" (every interface), HOST numeric,
 * PORT 0-65535 (0: any free port). 0, or -EINVAL with @why (a static string)
 * saying what is wrong, for `procmon: invalid --prometheus 'SPEC': WHY`. */
int metrics_addr_parse(const char *spec, struct metrics_addr *a, const char **why);

struct metrics_server;

/* Bind @a and serve /metrics from a thread of libmicrohttpd's (with every signal
 * blocked: they stay the sampler's). 0 or -errno (-EADDRINUSE, -EACCES, ...) for
 * `procmon: cannot serve metrics on ADDR: strerror`. Until the first publish,
 * scrapes see no process. */
int metrics_http_start(const struct metrics_addr *a, struct metrics_server **out);

/* The port bound (what port 0 became). */
unsigned int metrics_http_port(const struct metrics_server *s);

/* After a sample round: expire held series, roll the RSS peaks (the previous view
 * was scraped or not), and make a copy of @m what scrapes see. Holds the server's
 * lock only to swap a pointer. 0 or -ENOMEM (scrapes keep the previous view). */
int metrics_http_publish(struct metrics_server *s, struct metrics *m, double now_s);

/* Stop serving (waits for the server thread) and free @s; NULL is fine. */
void metrics_http_stop(struct metrics_server *s);

struct metrics_http_stats {
	unsigned long scrapes_text, scrapes_openmetrics;
	unsigned long not_found;	/* requests for other paths or methods */
	unsigned long publishes;
};

void metrics_http_stats(struct metrics_server *s, struct metrics_http_stats *st);

#endif /* PROCMON_METRICS_HTTP_H */
