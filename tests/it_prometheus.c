// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Integration tests of /metrics: HTTP with a plain socket client, stuck scrapers
 * against publish(), the cost of a scrape, and a real Prometheus scraping known values. */
#include "metrics.h"
#include "metrics_http.h"
#include "metrics_render.h"
#include "promtest.h"

#define OM_ACCEPT "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"


/* ------------------------------------------------------------ fixtures */

static struct metrics_proc proc_n(int pid, unsigned long long k)
{
	struct metrics_proc p = {
		.pid = pid, .start_s = pid, .comm = "worker", .cgroup = "/procmon-test",
		.page_faults = 1000 * k, .major_faults = k, .oncpu_ns = 1000000 * k,
		.runq_wait_ns = 1000 * k, .voluntary = 10 * k, .involuntary = k, .labels = 3 * k,
		.offcpu_measured = true, .offcpu_preempted_ns = 100 * k, .offcpu_blocked_ns = 200 * k,
		.offcpu_sleep_ns = 300 * k, .rss_bytes = 4096 * k, .rss_peak_bytes = 8192 * k,
	};
	return p;
}

/* A server on a free loopback port. */
static struct metrics_server *serve(void)
{
	struct metrics_server *srv = NULL;
	struct metrics_addr a;
	const char *why;
	int err;

	CHECK(metrics_addr_parse("127.0.0.1:0", &a, &why) == 0, "parse: %s", why);
	err = metrics_http_start(&a, &srv);
	CHECK(err == 0, "cannot serve metrics on 127.0.0.1:0: %s", strerror(-err));
	return srv;
}

static struct metrics *registry_of(int n, const char *cgroup)
{
	struct metrics_config cfg = { .hold_s = 30, .max_procs = 512, .cgroup = cgroup };
	struct metrics *m = metrics_new(&cfg);

	for (int i = 0; m && i < n; i++) {
		struct metrics_proc p = proc_n(1000 + i, (unsigned long long)i + 1);

		metrics_update(m, &p, 0);
	}
	return m;
}

/* Prometheus's own linter on a text exposition: exit 0 and not a word of complaint. */
static void promtool_lint(const char *text)
{
	char path[] = "/tmp/procmon-it-metrics.XXXXXX";
	const char *argv[] = { "sh", "-c", "exec promtool check metrics < \"$0\"", path, NULL };
	struct it_proc p;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		CHECK(0, "cannot write %s", path);
		return;
	}
	close(fd);
	it_run(&p, argv, NULL, 10);
	CHECK(it_exit_code(p.status) == 0 && !*p.out && !*p.err,
	      "promtool check metrics: exit %d: %s%s", it_exit_code(p.status), p.out, p.err);
	it_proc_free(&p);
	unlink(path);
}

/* ------------------------------------------------------------ tests */

static void test_serves_metrics_in_the_format_asked_and_404_elsewhere(void)
{
	struct metrics *m = registry_of(3, "/procmon-test");
	struct metrics_server *srv = serve();
	struct metrics_http_stats st;
	struct metrics_view *v;
	struct reply r;
	size_t len;
	char *want;

	if (!srv || !m)
		goto out;
	CHECK(metrics_http_publish(srv, m, 0) == 0, "publish failed");
	v = metrics_view(m);
	want = metrics_render(v, METRICS_TEXT, &len);
	CHECK(http(metrics_http_port(srv), "GET", "/metrics", NULL, &r, 5) == 0, "GET /metrics failed");
	CHECK(r.status == 200, "status %d", r.status);
	CHECK_STR(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
	CHECK(r.body && r.body_len == len && strcmp(r.body, want) == 0,
	      "body differs from the rendered view (%zu bytes, want %zu)", r.body_len, len);
	promtool_lint(r.body);
	free(r.body);
	free(want);
	want = metrics_render(v, METRICS_OPENMETRICS, &len);
	CHECK(http(metrics_http_port(srv), "GET", "/metrics", OM_ACCEPT, &r, 5) == 0, "GET failed");
	CHECK_STR(r.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
	CHECK(r.body && strcmp(r.body, want) == 0, "OpenMetrics body differs from the rendered view");
	free(r.body);
	free(want);
	free(v);
	CHECK(http(metrics_http_port(srv), "GET", "/", NULL, &r, 5) == 0 && r.status == 404,
	      "GET /: status %d, want 404", r.status);
	free(r.body);
	CHECK(http(metrics_http_port(srv), "GET", "/metrics/x", NULL, &r, 5) == 0 && r.status == 404,
	      "GET /metrics/x: status %d, want 404", r.status);
	free(r.body);
	CHECK(http(metrics_http_port(srv), "POST", "/metrics", NULL, &r, 5) == 0 && r.status == 405,
	      "POST: status %d, want 405", r.status);
	free(r.body);
	CHECK(http(metrics_http_port(srv), "HEAD", "/metrics", NULL, &r, 5) == 0 && r.status == 200 &&
	      r.body_len == 0, "HEAD: status %d, %zu bytes of body", r.status, r.body_len);
	free(r.body);
	metrics_http_stats(srv, &st);
	CHECK(st.scrapes_text == 2 && st.scrapes_openmetrics == 1 && st.not_found == 3,
	      "stats: %lu text, %lu OpenMetrics, %lu refused", st.scrapes_text,
	      st.scrapes_openmetrics, st.not_found);
out:
	metrics_http_stop(srv);
	metrics_free(m);
}

static void test_port_in_use_is_a_clear_error(void)
{
	struct metrics_server *srv = serve(), *again = NULL;
	struct metrics_addr a;
	const char *why;
	char spec[64], msg[256];
	int err;

	if (!srv)
		return;
	snprintf(spec, sizeof(spec), "127.0.0.1:%u", metrics_http_port(srv));
	CHECK(metrics_addr_parse(spec, &a, &why) == 0, "parse %s: %s", spec, why);
	err = metrics_http_start(&a, &again);
	CHECK(err == -EADDRINUSE && !again, "second bind of %s: %s", spec, strerror(-err));
	/* The line procmon prints (INTEGRATION.md). */
	snprintf(msg, sizeof(msg), "procmon: cannot serve metrics on %s: %s", a.text, strerror(-err));
	{
		char want[128];

		snprintf(want, sizeof(want), "procmon: cannot serve metrics on %s: Address already in use",
			 spec);
		CHECK(strcmp(msg, want) == 0, "expected \"%s\", got \"%s\"", want, msg);
	}
	metrics_http_stop(again);
	metrics_http_stop(srv);
	/* Stopped means the port is free again (libmicrohttpd closed our listening socket). */
	err = metrics_http_start(&a, &again);
	CHECK(err == 0, "bind %s after stop: %s", spec, strerror(-err));
	metrics_http_stop(again);
}

/* The server's thread blocks SIGINT, SIGTERM, SIGHUP and SIGCHLD, so they reach the
 * sampler's epoll_pwait rather than a thread that ignores them. */
static void test_server_thread_leaves_signals_to_the_sampler(void)
{
	struct metrics_server *srv = serve();
	const unsigned long long want = 1ull << (SIGINT - 1) | 1ull << (SIGTERM - 1) |
					1ull << (SIGHUP - 1) | 1ull << (SIGCHLD - 1);
	int others = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;

	while (srv && d && (de = readdir(d))) {
		char path[64], *text, *at;
		unsigned long long blocked;

		if (de->d_name[0] == '.' || atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/status", atoi(de->d_name));
		text = it_read_file(path);
		at = text ? strstr(text, "\nSigBlk:") : NULL;
		blocked = at ? strtoull(at + 8, NULL, 16) : 0;
		CHECK((blocked & want) == want, "thread %s blocks %llx, want %llx at least", de->d_name,
		      blocked, want);
		others++;
		free(text);
	}
	if (d)
		closedir(d);
	CHECK(others >= 1, "no server thread found");
	metrics_http_stop(srv);
}

/* CPU seconds of this process (all threads). */
static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* @n scrapes from a child process, one after another: procmon's side of the work is
 * this process's CPU time meanwhile (the child's is the scraper's). */
static int scrape_from_child(unsigned int port, int n)
{
	pid_t pid;
	int status = -1;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		static char buf[1 << 16];
		char req[] = "GET /metrics HTTP/1.0\r\nAccept: " OM_ACCEPT "\r\n\r\n";

		for (int i = 0; i < n; i++) {
			int fd = connect_to(port);

			if (fd < 0 || write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
				_exit(1);
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void test_cost_of_a_scrape_with_100_processes(void)
{
	struct metrics *m = registry_of(100, "/procmon-test");
	struct metrics_server *srv = serve();
	struct metrics_view *v;
	double t0, render_us, publish_us, scrape_us;
	const int renders = 500, publishes = 500, scrapes = 300;
	size_t len = 0;

	if (!srv || !m)
		goto out;
	v = metrics_view(m);
	t0 = thread_cpu_s();
	for (int i = 0; i < renders; i++)
		free(metrics_render(v, METRICS_OPENMETRICS, &len));
	render_us = (thread_cpu_s() - t0) / renders * 1e6;
	free(v);
	t0 = thread_cpu_s();
	for (int i = 0; i < publishes; i++)
		metrics_http_publish(srv, m, 0);
	publish_us = (thread_cpu_s() - t0) / publishes * 1e6;
	t0 = cpu_s();
	CHECK(scrape_from_child(metrics_http_port(srv), scrapes) == 0, "scraper child failed");
	scrape_us = (cpu_s() - t0) / scrapes * 1e6;
	printf("measure: 100 processes, %zu bytes of OpenMetrics: render %.0f us, publish %.0f us, "
	       "a served scrape %.0f us of procmon's CPU (%.3f%% of a CPU at one scrape a second)\n",
	       len, render_us, publish_us, scrape_us, scrape_us / 1e4);
	/* Far above what it costs (~0.1-0.5 ms): fails on a regression, not on a busy host. */
	CHECK(scrape_us < 5000, "a scrape costs %.0f us of CPU", scrape_us);
	CHECK(publish_us < 2000, "a publish costs %.0f us of CPU", publish_us);
out:
	metrics_http_stop(srv);
	metrics_free(m);
}

/* A client that sent its request and reads nothing: a tiny receive buffer, so the
 * server's reply gets stuck in flight. */
static int stuck_scraper(unsigned int port, bool send_request)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), small = 1024;
	const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";

	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    (send_request && write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_stuck_scrapers_never_delay_publish(void)
{
	struct metrics *m = registry_of(100, "/procmon-test");
	struct metrics_server *srv = serve();
	int stuck[6];
	double worst = 0, start;
	struct reply r;

	if (!srv || !m)
		goto out;
	metrics_http_publish(srv, m, 0);
	for (int i = 0; i < 6; i++) {
		stuck[i] = stuck_scraper(metrics_http_port(srv), i < 4);
		CHECK(stuck[i] >= 0, "stuck scraper %d could not connect", i);
	}
	usleep(200000);		/* the server has written what fits and waits on them */
	start = it_now_s();
	for (int i = 0; i < 200; i++) {
		struct metrics_proc p = proc_n(1000 + i % 100, 1000 + (unsigned long long)i);
		double t0 = it_now_s(), dt;

		metrics_update(m, &p, 0);
		CHECK(metrics_http_publish(srv, m, 0) == 0, "publish failed");
		dt = it_now_s() - t0;
		if (dt > worst)
			worst = dt;
	}
	printf("measure: 200 publishes with 4 stuck and 2 silent scrapers: %.1f ms in all, "
	       "the slowest %.0f us\n", (it_now_s() - start) * 1e3, worst * 1e6);
	CHECK(worst < 0.05, "a publish took %.0f us with stuck scrapers", worst * 1e6);
	/* And a healthy scraper is still served beside them. */
	CHECK(http(metrics_http_port(srv), "GET", "/metrics", NULL, &r, 5) == 0 && r.status == 200 &&
	      strstr(r.body, "procmon_page_faults_total{pid=\"1099\""),
	      "a scrape beside stuck ones: status %d", r.status);
	free(r.body);
	for (int i = 0; i < 6; i++)
		if (stuck[i] >= 0)
			close(stuck[i]);
out:
	metrics_http_stop(srv);
	metrics_free(m);
}

/* ------------------------------------------------------------ a real Prometheus */

/* What the test feeds and where: procmon's side and Prometheus's port. */
struct fixture {
	struct metrics *m;
	struct metrics_server *srv;
	unsigned int prom_port;
	double t0;
};

/* Keep publishing every 100 ms (the sampler) until @q has @want_n results, the
 * first (if any) equal to @want, or @timeout_s. Returns the seconds waited, -1 on timeout. */
static double wait_for(struct fixture *fx, const char *q, int want_n, double want, double timeout_s)
{
	double start = it_now_s(), v = NAN;
	int n = -1;

	while (it_now_s() - start < timeout_s) {
		metrics_http_publish(fx->srv, fx->m, it_now_s() - fx->t0);
		n = prom_query(fx->prom_port, q, &v, NULL);
		if (n == want_n && (n == 0 || fabs(v - want) <= 1e-9 * fabs(want)))
			return it_now_s() - start;
		usleep(100000);
	}
	CHECK(0, "Prometheus: %s: want %d result(s) = %.10g, got %d = %.10g after %.0f s", q, want_n,
	      want, n, v, timeout_s);
	return -1;
}

static void check_value(struct fixture *fx, const char *q, double want)
{
	double v = NAN;
	int n = prom_query(fx->prom_port, q, &v, NULL);

	CHECK(n == 1 && fabs(v - want) <= 1e-9 * fabs(want),
	      "Prometheus: %s: want %.10g, got %d result(s) = %.10g", q, want, n, v);
}


static void test_real_prometheus_scrapes_known_values(void)
{
	/* A name with everything a label value must escape, and a non-ASCII letter. */
	static const char comm[] = "we\"ird\\ n\nam\xc3\xa9";
	struct metrics_config cfg = { .hold_s = 2, .max_procs = 512, .cgroup = "/procmon-test" };
	struct metrics_proc a = proc_n(4242, 1), b = proc_n(4243, 1);
	struct fixture fx = { .t0 = it_now_s() };
	struct metrics_http_stats st;
	struct it_proc prom = { .pid = -1 };
	char dir[] = "/tmp/procmon-it-prom.XXXXXX", q[256];
	json_object *labels = NULL, *l;
	double exited_at, gone_after;

	if (access("/usr/bin/prometheus", X_OK)) {
		CHECK(0, "/usr/bin/prometheus is missing: install Debian's prometheus (make deps)");
		return;
	}
	a.comm = comm;
	a.cgroup = "/procmon-test/a";
	a.page_faults = 12345, a.major_faults = 67, a.oncpu_ns = 1500000000, a.runq_wait_ns = 250000000;
	a.voluntary = 11, a.involuntary = 7, a.labels = 5, a.offcpu_blocked_ns = 2000000000;
	a.rss_bytes = 1 << 20, a.rss_peak_bytes = 2 << 20;
	b.comm = "short";
	b.page_faults = 100;
	fx.m = metrics_new(&cfg);
	fx.srv = serve();
	if (!fx.m || !fx.srv || !mkdtemp(dir))
		goto out;
	metrics_update(fx.m, &a, 0);
	metrics_update(fx.m, &b, 0);
	metrics_http_publish(fx.srv, fx.m, 0);
	fx.prom_port = free_port();
	CHECK(start_prometheus(&prom, dir, metrics_http_port(fx.srv), fx.prom_port) == 0,
	      "cannot start prometheus");
	if (wait_for(&fx, "procmon_page_faults_total{pid=\"4242\"}", 1, 12345, 15) < 0)
		goto out;
	CHECK(prom_query(fx.prom_port, "procmon_page_faults_total{pid=\"4242\"}", &(double){ 0 },
			 &labels) == 1, "query with labels");
	CHECK(labels && json_object_object_get_ex(labels, "comm", &l) &&
	      strcmp(json_object_get_string(l), comm) == 0,
	      "comm label came back as \"%s\"", labels && json_object_object_get_ex(labels, "comm", &l)
	      ? json_object_get_string(l) : "(none)");
	CHECK(labels && json_object_object_get_ex(labels, "cgroup", &l) &&
	      strcmp(json_object_get_string(l), "/procmon-test/a") == 0, "cgroup label");
	check_value(&fx, "procmon_major_faults_total{pid=\"4242\"}", 67);
	check_value(&fx, "procmon_oncpu_seconds_total{pid=\"4242\"}", 1.5);
	check_value(&fx, "procmon_runqueue_wait_seconds_total{pid=\"4242\"}", 0.25);
	check_value(&fx, "procmon_context_switches_total{pid=\"4242\",kind=\"involuntary\"}", 7);
	check_value(&fx, "procmon_offcpu_seconds_total{pid=\"4242\",state=\"blocked\"}", 2);
	check_value(&fx, "procmon_labels_total{pid=\"4242\"}", 5);
	check_value(&fx, "procmon_rss_bytes{pid=\"4242\"}", 1 << 20);
	check_value(&fx, "procmon_run_page_faults_total{cgroup=\"/procmon-test\"}", 12445);
	check_value(&fx, "procmon_processes", 2);
	check_value(&fx, "up{job=\"procmon\"}", 1);
	metrics_http_stats(fx.srv, &st);
	CHECK(st.scrapes_openmetrics > 0 && st.scrapes_text == 0,
	      "Prometheus 2.42 asks for OpenMetrics: %lu OpenMetrics, %lu text scrapes",
	      st.scrapes_openmetrics, st.scrapes_text);

	/* Counters grow; the short one exits and its series go after the 2 s hold. */
	a.page_faults = 20000;
	metrics_update(fx.m, &a, it_now_s() - fx.t0);
	exited_at = it_now_s();
	metrics_exit(fx.m, &b, exited_at - fx.t0);
	wait_for(&fx, "procmon_page_faults_total{pid=\"4242\"}", 1, 20000, 5);
	check_value(&fx, "procmon_page_faults_total{pid=\"4243\"}", 100);
	snprintf(q, sizeof(q), "procmon_page_faults_total{pid=\"4243\"}");
	wait_for(&fx, q, 0, 0, 8);
	gone_after = it_now_s() - exited_at;
	printf("measure: an exited process's series left Prometheus %.1f s after its exit "
	       "(hold 2 s, scrapes every 1 s)\n", gone_after);
	CHECK(gone_after >= 2, "gone after %.2f s, before the 2 s hold", gone_after);
	check_value(&fx, "procmon_run_page_faults_total", 20100);
	check_value(&fx, "procmon_processes_exited_total", 1);
	check_value(&fx, "procmon_processes", 1);
out:
	json_object_put(labels);
	if (prom.pid > 0) {
		kill(prom.pid, SIGTERM);
		it_finish(&prom, 10);
		if (check_failed_now)
			fprintf(stderr, "  prometheus said:\n%s\n", prom.err);
		it_proc_free(&prom);
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	metrics_http_stop(fx.srv);
	metrics_free(fx.m);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	RUN(test_serves_metrics_in_the_format_asked_and_404_elsewhere);
	RUN(test_port_in_use_is_a_clear_error);
	RUN(test_server_thread_leaves_signals_to_the_sampler);
	RUN(test_cost_of_a_scrape_with_100_processes);
	RUN(test_stuck_scrapers_never_delay_publish);
	RUN(test_real_prometheus_scrapes_known_values);
	return check_summary();
}
