/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers of the tests that talk HTTP: a tiny client for /metrics, and a real
 * Prometheus started on free ports with a temporary config, queried over its API.
 * Header-only (static inline), as itest.h. */
#ifndef PROCMON_PROMTEST_H
#define PROCMON_PROMTEST_H

#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "itest.h"

/* ------------------------------------------------------------ a tiny client */

struct reply {
	int status;
	char content_type[128];
	char *body;			/* malloc'd, NUL-terminated */
	size_t body_len;
};

static inline int connect_to(unsigned int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* An HTTP/1.0 request (the server closes after its reply) and its whole reply in
 * at most @timeout_s. 0, or -1 when the exchange failed. */
static inline int http(unsigned int port, const char *method, const char *target,
		       const char *accept, struct reply *r, double timeout_s)
{
	double deadline = it_now_s() + timeout_s;
	size_t len = 0, cap = 65536;
	char req[4096], *buf, *head_end, *ct;
	int fd = connect_to(port), n;

	memset(r, 0, sizeof(*r));
	if (fd < 0)
		return -1;
	n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s%s%s\r\n", method,
		     target, accept ? "Accept: " : "", accept ? accept : "", accept ? "\r\n" : "");
	if (write(fd, req, (size_t)n) != n || !(buf = malloc(cap))) {
		close(fd);
		return -1;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;

		if (poll(&pfd, 1, (int)((deadline - it_now_s()) * 1000)) <= 0)
			break;
		if (len + 1 == cap) {
			char *grown = realloc(buf, cap *= 2);

			if (!grown)
				break;
			buf = grown;
		}
		got = read(fd, buf + len, cap - 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	buf[len] = '\0';
	head_end = strstr(buf, "\r\n\r\n");
	if (!head_end || sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1) {
		free(buf);
		return -1;
	}
	*head_end = '\0';
	ct = strcasestr(buf, "\r\nContent-Type: ");
	if (ct)
		sscanf(ct + 16, "%127[^\r]", r->content_type);
	r->body_len = len - (size_t)(head_end + 4 - buf);
	r->body = malloc(r->body_len + 1);
	if (r->body) {
		memcpy(r->body, head_end + 4, r->body_len + 1);
	}
	free(buf);
	return r->body ? 0 : -1;
}

/* ------------------------------------------------------------ a real Prometheus */

static inline unsigned int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	unsigned int port = 0;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void url_encode(const char *in, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *in && o + 4 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* Prometheus's instant query @q: the count of results (-1: no answer), the first
 * one's value in @value and its labels (json_object_put) in @labels if asked. */
static inline int prom_query(unsigned int port, const char *q, double *value, json_object **labels)
{
	char target[2048], enc[1800];
	json_object *top = NULL, *data, *result, *status, *first, *pair;
	struct reply r;
	int n = -1;

	url_encode(q, enc, sizeof(enc));
	snprintf(target, sizeof(target), "/api/v1/query?query=%s", enc);
	if (http(port, "GET", target, NULL, &r, 5) || r.status != 200)
		goto out;
	top = json_tokener_parse(r.body);
	if (!top || !json_object_object_get_ex(top, "status", &status) ||
	    strcmp(json_object_get_string(status), "success") ||
	    !json_object_object_get_ex(top, "data", &data) ||
	    !json_object_object_get_ex(data, "result", &result))
		goto out;
	n = (int)json_object_array_length(result);
	if (n > 0) {
		first = json_object_array_get_idx(result, 0);
		if (json_object_object_get_ex(first, "value", &pair))
			*value = strtod(json_object_get_string(json_object_array_get_idx(pair, 1)), NULL);
		if (labels && json_object_object_get_ex(first, "metric", labels))
			json_object_get(*labels);
	}
out:
	free(r.body);
	json_object_put(top);
	return n;
}

/* Prometheus on 127.0.0.1:@prom_port, its config and data in @dir, scraping
 * 127.0.0.1:@metrics_port every @every ("1s", "500ms"). 0 or -errno. */
static inline int start_prometheus_every(struct it_proc *prom, const char *dir,
					 unsigned int metrics_port, unsigned int prom_port,
					 const char *every)
{
	char cfg_path[PATH_MAX], data[PATH_MAX], cfg_arg[PATH_MAX + 32], data_arg[PATH_MAX + 32];
	char listen_arg[64];
	FILE *f;

	snprintf(cfg_path, sizeof(cfg_path), "%s/prometheus.yml", dir);
	snprintf(data, sizeof(data), "%s/data", dir);
	f = fopen(cfg_path, "w");
	if (!f)
		return -errno;
	fprintf(f, "global:\n  scrape_interval: %s\n  scrape_timeout: %s\n"
		   "scrape_configs:\n  - job_name: procmon\n    static_configs:\n"
		   "      - targets: ['127.0.0.1:%u']\n", every, every, metrics_port);
	fclose(f);
	snprintf(cfg_arg, sizeof(cfg_arg), "--config.file=%s", cfg_path);
	snprintf(data_arg, sizeof(data_arg), "--storage.tsdb.path=%s", data);
	snprintf(listen_arg, sizeof(listen_arg), "--web.listen-address=127.0.0.1:%u", prom_port);
	{
		const char *argv[] = { "/usr/bin/prometheus", cfg_arg, data_arg, listen_arg,
				       "--log.level=warn", NULL };

		return it_start(prom, argv, NULL);
	}
}

static inline int start_prometheus(struct it_proc *prom, const char *dir, unsigned int metrics_port,
				   unsigned int prom_port)
{
	return start_prometheus_every(prom, dir, metrics_port, prom_port, "1s");
}

#endif /* PROCMON_PROMTEST_H */
