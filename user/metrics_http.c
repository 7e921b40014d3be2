// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Serves /metrics with libmicrohttpd's own thread: each scrape renders a reference-
 * counted view the sampler published; the lock guards a pointer swap, nothing more. */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>
#include "metrics_http.h"
#include "metrics_render.h"

/* A published view and the scrapes rendering it. */
struct snapshot {
	struct metrics_view *view;
	unsigned long gen;
	int refs;			/* the server's own, and one per scrape rendering it */
};

struct metrics_server {
	struct MHD_Daemon *daemon;
	unsigned int port;
	pthread_mutex_t lock;		/* guards everything below */
	struct snapshot *cur;
	unsigned long gen;		/* of cur */
	unsigned long served_gen;	/* the newest view a scrape got */
	struct metrics_http_stats stats;
};

/* libmicrohttpd is opened when a server starts, not linked: its TLS dependencies
 * (gnutls and ten more libraries) would cost every run ~3 ms at exec. */
#define METRICS_HTTP_SONAME "libmicrohttpd.so.12"

static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
} mhd;

/* 0, or -ELIBACC when the library or one of its functions is missing. */
static int mhd_open(void)
{
	void *lib;

	if (mhd.start_daemon)
		return 0;
	lib = dlopen(METRICS_HTTP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return -ELIBACC;
	mhd.stop_daemon = dlsym(lib, "MHD_stop_daemon");
	mhd.create_response_from_buffer = dlsym(lib, "MHD_create_response_from_buffer");
	mhd.add_response_header = dlsym(lib, "MHD_add_response_header");
	mhd.queue_response = dlsym(lib, "MHD_queue_response");
	mhd.destroy_response = dlsym(lib, "MHD_destroy_response");
	mhd.lookup_connection_value = dlsym(lib, "MHD_lookup_connection_value");
	if (!mhd.stop_daemon || !mhd.create_response_from_buffer || !mhd.add_response_header ||
	    !mhd.queue_response || !mhd.destroy_response || !mhd.lookup_connection_value)
		return -ELIBACC;
	mhd.start_daemon = dlsym(lib, "MHD_start_daemon");	/* last: marks it complete */
	return mhd.start_daemon ? 0 : -ELIBACC;
}

/* ------------------------------------------------------------ address */

static int parse_port(const char *s, in_port_t *port)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*port = htons((in_port_t)v);
	return 0;
}

int metrics_addr_parse(const char *spec, struct metrics_addr *a, const char **why)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM }, *ai;
	char host[sizeof(a->text)];
	const char *port, *end;
	in_port_t nport;

	memset(a, 0, sizeof(*a));
	*why = "expected HOST:PORT, [IPV6]:PORT or :PORT (every interface)";
	if (strlen(spec) >= sizeof(a->text))
		return -EINVAL;
	strcpy(a->text, spec);
	if (spec[0] == '[') {
		end = strchr(spec, ']');
		if (!end || end[1] != ':' || end == spec + 1)
			return -EINVAL;
		port = end + 2;
		spec++;
		hints.ai_family = AF_INET6;
	} else {
		end = strrchr(spec, ':');
		if (!end)
			return -EINVAL;
		port = end + 1;
		hints.ai_family = AF_INET;
		if (memchr(spec, ':', (size_t)(end - spec))) {
			*why = "an IPv6 address goes in brackets: [IPV6]:PORT";
			return -EINVAL;
		}
	}
	if (parse_port(port, &nport)) {
		*why = "the port must be a number from 0 to 65535";
		return -EINVAL;
	}
	if (end == spec) {	/* ":PORT" */
		struct sockaddr_in6 *any = (struct sockaddr_in6 *)&a->ss;

		any->sin6_family = AF_INET6;
		any->sin6_addr = in6addr_any;
		any->sin6_port = nport;
		a->len = sizeof(*any);
		a->any = true;
		return 0;
	}
	memcpy(host, spec, (size_t)(end - spec));
	host[end - spec] = '\0';
	if (getaddrinfo(host, NULL, &hints, &ai)) {
		*why = "the host must be a numeric address, e.g. 127.0.0.1 or [::1]";
		return -EINVAL;
	}
	memcpy(&a->ss, ai->ai_addr, ai->ai_addrlen);
	a->len = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = nport;
	else
		((struct sockaddr_in *)&a->ss)->sin_port = nport;
	return 0;
}

/* A listening socket on @a: ours, so a failure has its errno (libmicrohttpd's
 * own bind would only say "failed"). -errno on error. */
static int listen_on(const struct metrics_addr *a)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY) };
	const struct sockaddr *sa = (const struct sockaddr *)&a->ss;
	socklen_t len = a->len;
	int one = 1, zero = 0, err, fd;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && a->any && errno == EAFNOSUPPORT) {	/* a host without IPv6 */
		v4.sin_port = ((const struct sockaddr_in6 *)sa)->sin6_port;
		sa = (const struct sockaddr *)&v4;
		len = sizeof(v4);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return -errno;
	/* A restart binds again at once, past old connections in TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a->any && sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, sa, len) || listen(fd, 32)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* ------------------------------------------------------------ scrapes */

static struct snapshot *snapshot_get(struct metrics_server *s)
{
	struct snapshot *snap;

	pthread_mutex_lock(&s->lock);
	snap = s->cur;
	snap->refs++;
	pthread_mutex_unlock(&s->lock);
	return snap;
}

/* Drop a reference; @served: a scrape got this view, @fmt in it. */
static void snapshot_put(struct metrics_server *s, struct snapshot *snap, bool served,
			 enum metrics_format fmt)
{
	bool last;

	pthread_mutex_lock(&s->lock);
	last = --snap->refs == 0;
	if (served) {
		if (snap->gen > s->served_gen)
			s->served_gen = snap->gen;
		if (fmt == METRICS_OPENMETRICS)
			s->stats.scrapes_openmetrics++;
		else
			s->stats.scrapes_text++;
	}
	pthread_mutex_unlock(&s->lock);
	if (last) {
		free(snap->view);
		free(snap);
	}
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode, const char *type)
{
	struct MHD_Response *r = mhd.create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result refuse(struct metrics_server *s, struct MHD_Connection *c,
			      unsigned int status, const char *text)
{
	pthread_mutex_lock(&s->lock);
	s->stats.not_found++;
	pthread_mutex_unlock(&s->lock);
	return reply(c, status, (char *)text, strlen(text), MHD_RESPMEM_PERSISTENT,
		     "text/plain; charset=utf-8");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct metrics_server *s = cls;
	enum metrics_format fmt;
	struct snapshot *snap;
	size_t len = 0;
	char *body;

	(void)version, (void)upload_data, (void)upload_data_size, (void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return refuse(s, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (strcmp(url, "/metrics"))
		return refuse(s, c, MHD_HTTP_NOT_FOUND, "not found: procmon serves /metrics\n");
	fmt = metrics_negotiate(mhd.lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_ACCEPT));
	snap = snapshot_get(s);
	body = metrics_render(snap->view, fmt, &len);
	snapshot_put(s, snap, body != NULL, fmt);
	if (!body)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", 14,
			     MHD_RESPMEM_PERSISTENT, "text/plain; charset=utf-8");
	return reply(c, MHD_HTTP_OK, body, len, MHD_RESPMEM_MUST_FREE, metrics_content_type(fmt));
}

/* ------------------------------------------------------------ life */

int metrics_http_publish(struct metrics_server *s, struct metrics *m, double now_s)
{
	struct snapshot *snap, *old;
	bool scraped, last;

	pthread_mutex_lock(&s->lock);
	scraped = s->served_gen == s->gen;
	pthread_mutex_unlock(&s->lock);
	metrics_expire(m, now_s);
	metrics_roll_peaks(m, scraped);
	snap = calloc(1, sizeof(*snap));
	if (!snap || !(snap->view = metrics_view(m))) {
		free(snap);
		return -ENOMEM;
	}
	snap->refs = 1;
	pthread_mutex_lock(&s->lock);
	old = s->cur;
	s->cur = snap;
	snap->gen = ++s->gen;
	last = --old->refs == 0;
	s->stats.publishes++;
	pthread_mutex_unlock(&s->lock);
	if (last) {
		free(old->view);
		free(old);
	}
	return 0;
}

int metrics_http_start(const struct metrics_addr *a, struct metrics_server **out)
{
	struct sockaddr_storage bound;
	socklen_t len = sizeof(bound);
	struct metrics_server *s;
	sigset_t all, old;
	int fd, err;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->cur = calloc(1, sizeof(*s->cur))) ||
	    !(s->cur->view = calloc(1, sizeof(*s->cur->view)))) {
		if (s)
			free(s->cur);
		free(s);
		return -ENOMEM;
	}
	s->cur->refs = 1;
	pthread_mutex_init(&s->lock, NULL);
	err = mhd_open();
	if (err) {
		metrics_http_stop(s);
		return err;
	}
	fd = listen_on(a);
	if (fd < 0) {
		metrics_http_stop(s);
		return fd;
	}
	getsockname(fd, (struct sockaddr *)&bound, &len);
	s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
						   : ((struct sockaddr_in *)&bound)->sin_port);
	/* The thread inherits our mask: SIGINT and the like must wake the sampler. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	errno = 0;
	s->daemon = mhd.start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, handle, s,
				     MHD_OPTION_LISTEN_SOCKET, fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)METRICS_HTTP_MAX_CONNECTIONS,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)METRICS_HTTP_MAX_PER_IP,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)METRICS_HTTP_TIMEOUT_S,
				     MHD_OPTION_END);
	err = errno ? -errno : -EIO;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->daemon) {
		close(fd);
		metrics_http_stop(s);
		return err;
	}
	*out = s;
	return 0;
}

unsigned int metrics_http_port(const struct metrics_server *s)
{
	return s->port;
}

void metrics_http_stats(struct metrics_server *s, struct metrics_http_stats *st)
{
	pthread_mutex_lock(&s->lock);
	*st = s->stats;
	pthread_mutex_unlock(&s->lock);
}

void metrics_http_stop(struct metrics_server *s)
{
	if (!s)
		return;
	if (s->daemon)
		mhd.stop_daemon(s->daemon);	/* joins its thread, closes the sockets */
	pthread_mutex_destroy(&s->lock);
	free(s->cur->view);
	free(s->cur);
	free(s);
}
