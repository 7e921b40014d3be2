// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Parses procmon's command line with argp: every number strictly (end pointer,
 * range, finiteness), then the combinations that make no sense. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "safe_text.h"

const char *argp_program_version = "procmon " PROCMON_VERSION;
const char *argp_program_bug_address = "the procmon issue tracker";

static const char doc[] =
"procmon: trace what a process does with memory and CPU, and why.\n"
"\n"
"Launches COMMAND (or attaches to running PIDs) and writes a JSON line\n"
"per target per interval, and one for each procmon_label() call.\n"
"Exit status: the command's own (128+N if it died of signal N); 125\n"
"when procmon fails; 126/127 when COMMAND cannot run / is not found.\n"
"\n"
"  procmon plot LOG OUTDIR [--png] [--pid PID]    plot a log\n"
"\v"
"Examples:\n"
"  procmon -i 0.1 -o run.log -- ./app arg1 arg2\n"
"      trace ./app from its first instruction, 10 samples a second\n"
"  procmon -i 1 -o run.log -p 1234\n"
"      attach to a running process\n"
"  procmon -c -o build.log -- make -j2\n"
"      follow forked children too\n"
"  procmon --cgroup /sys/fs/cgroup/system.slice/nginx.service -o nginx.log\n"
"      every process of a cgroup (v2), those that enter it later too\n"
"  procmon --unit nginx.service --prometheus 127.0.0.1:9464 -o /dev/null\n"
"      a systemd unit's cgroup, its metrics served to Prometheus\n"
"  procmon plot run.log plots/\n"
"      write plots/run_PID.svg, .dat and .plt\n";

static const char args_doc[] =
	"[-p PID[,PID...]] | --cgroup DIR | --unit NAME | [--] COMMAND [ARG...]";

enum {
	OPT_FORMAT = 256,
	OPT_BUFFER,
	OPT_MARK,
	OPT_CGROUP,
	OPT_UNIT,
	OPT_PROMETHEUS,
	OPT_PROMETHEUS_HOLD,
	OPT_NO_PTRACE,
	OPT_LIGHT,
};

static const struct argp_option options[] = {
	{ "pid", 'p', "PID[,PID...]", 0, "Attach to running processes (repeatable)", 0 },
	{ "interval", 'i', "SECONDS", 0, "Time between samples, > 0 (default 1.0)", 0 },
	{ "output", 'o', "FILE", 0, "Write the log to FILE ('-' for stdout; default stderr)", 0 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "Log line format: totaldepth (default) or jsonl", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop tracing after SECONDS (the command runs on)", 0 },
	{ "user", 'u', "USER", 0, "Run COMMAND as USER (under sudo the default is the invoking user)", 0 },
	{ "children", 'c', NULL, 0, "Trace forked child processes too", 0 },
	{ "no-ptrace", OPT_NO_PTRACE, NULL, 0, "Hold new programs with SIGSTOP, not ptrace, so that "
	  "a debugger, strace or LeakSanitizer can run under procmon (the parent can see the stops)", 0 },
	{ "threads", 't', NULL, 0, "Also write per-thread lines", 0 },
	{ "mark", OPT_MARK, "SYMBOL", 0, "Log every call of function SYMBOL as a label (repeatable)", 0 },
	{ "buffer", OPT_BUFFER, "BYTES", 0, "Event ring buffer size, power of two, K/M suffix (default 256K)", 0 },
	{ "cgroup", OPT_CGROUP, "DIR", 0, "Trace every process in cgroup v2 directory DIR and its "
	  "sub-cgroups, those that enter later too (implies -c)", 0 },
	{ "unit", OPT_UNIT, "NAME", 0, "Trace the cgroup of systemd unit NAME (as --cgroup)", 0 },
	{ "prometheus", OPT_PROMETHEUS, "HOST:PORT", 0, "While tracing, serve /metrics (Prometheus text "
	  "format, or OpenMetrics when the scraper asks) on HOST:PORT. HOST is numeric (127.0.0.1, "
	  "[::1]); \":PORT\" listens on ALL interfaces. Nothing listens without this option", 0 },
	{ "prometheus-hold", OPT_PROMETHEUS_HOLD, "SECONDS", 0, "Keep an exited process's series "
	  "this long (default 30); the totals keep counting it", 0 },
	{ "light", OPT_LIGHT, NULL, 0, "Always-on mode: no per-switch and no per-fault hook "
	  "(off-CPU blocked and sleep come merged as sleep, peaks from the kernel's high-water mark)", 0 },
	{ "quiet", 'q', NULL, 0, "No exit summary and no live status line on stderr", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages and where probes attach", 0 },
	/* -h as well as argp's own -? and --help: what every other tool answers to.
	 * Hidden: argp lists its own help option, under the same name. */
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Give this help list", -1 },
	{},
};

int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	/* Decimal only: strtod alone would also take leading blanks, hex ("0x10")
	 * and "infinity". */
	if (!s || !*s || s[strspn(s, "0123456789.eE+-")])
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v))
		return -EINVAL;
	if (errno == ERANGE || v <= 0 || v > 365.0 * 86400)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_one_pid(const char *s, size_t len, pid_t *out)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > INT_MAX)
		return -ERANGE;
	*out = (pid_t)v;
	return 0;
}

int parse_pid_list(const char *s, pid_t *pids, int *n, int max)
{
	const char *p = s;
	int err;

	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(p, ",");

		pid_t pid;
		int i;

		err = parse_one_pid(p, len, &pid);
		if (err)
			return err;
		/* A PID given twice is one target, not two of every line. */
		for (i = 0; i < *n && pids[i] != pid; i++)
			;
		if (i == *n) {
			if (*n >= max)
				return -E2BIG;
			pids[(*n)++] = pid;
		}
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int parse_size(const char *s, unsigned long *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	/* Before the shift: a huge count of K or M would wrap to a small power of two. */
	if (errno == ERANGE || v > (1ull << 30))
		return -ERANGE;
	if ((*end == 'K' || *end == 'k') && !end[1])
		v <<= 10;
	else if ((*end == 'M' || *end == 'm') && !end[1])
		v <<= 20;
	else if (*end)
		return -EINVAL;
	if (v < 4096 || v > (1ull << 30) || (v & (v - 1)))
		return -ERANGE;
	*out = (unsigned long)v;
	return 0;
}

int parse_hold_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (s && !strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (!s || !*s || s[strspn(s, "0123456789.")])
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v))
		return -EINVAL;
	if (v < 0 || v > 86400)
		return -ERANGE;
	*out = v;
	return 0;
}

const char *options_shown(const char *s, char *buf, size_t size)
{
	char *all = safe_text_dup(s);

	/* Whole if it fits; else cut between characters (and escapes) with "...". */
	if (all && strlen(all) < size)
		snprintf(buf, size, "%s", all);
	else if (size > 4)
		strcpy(buf + safe_text_escape(s, strlen(s), buf, size - 3), "...");
	else if (size)
		buf[0] = '\0';
	free(all);
	return buf;
}

/* What the parser reports to: getopt writes its own messages ("unrecognized
 * option '...'") to stderr with the option as typed, so stderr is a memory
 * stream while argp runs and the text goes out escaped afterwards. */
struct parse_ctx {
	struct procmon_opts *opts;
	FILE *err;		/* the real stderr */
	char *captured;		/* what getopt wrote meanwhile */
	size_t captured_len;
};

/* Write getopt's message @text to @out as one terminal-safe line: getopt stops
 * at its first complaint, and a newline inside the option it quotes must not
 * start a line of its own. */
static void put_safe_line(FILE *out, char *text)
{
	size_t len = strlen(text);
	char *safe;

	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if (!len)
		return;
	safe = safe_text_dup(text);
	if (safe)
		fprintf(out, "%s\n", safe);
	free(safe);
}

/* One line, `procmon: what was wrong: what to do`, and procmon's own exit status. */
__attribute__((format(printf, 2, 3), noreturn))
static void usage_error(struct argp_state *state, const char *fmt, ...)
{
	struct parse_ctx *ctx = state->input;
	char *text = NULL, *safe;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	safe = safe_text_dup(text ? text : "invalid command line");
	fprintf(ctx->err, "procmon: %s (see procmon --help)\n", safe ? safe : "invalid command line");
	fflush(ctx->err);
	free(safe);
	free(text);
	exit(PROCMON_EXIT_FAILURE);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct procmon_opts *o = ((struct parse_ctx *)state->input)->opts;
	char shown[OPTIONS_SHOWN_SIZE];
	int err;

	switch (key) {
	case 'p':
		err = parse_pid_list(arg, o->pids, &o->n_pids, PROCMON_MAX_PIDS);
		if (err == -E2BIG)
			usage_error(state, "too many PIDs in -p: at most %d", PROCMON_MAX_PIDS);
		else if (err)
			usage_error(state, "invalid PID '%s': give positive numbers, e.g. -p 1234 or -p 1,2,3", options_shown(arg, shown, sizeof(shown)));
		break;
	case 'i':
		if (parse_seconds(arg, &o->interval_s))
			usage_error(state, "invalid interval '%s': give seconds > 0, e.g. -i 0.1", options_shown(arg, shown, sizeof(shown)));
		break;
	case 'd':
		if (parse_seconds(arg, &o->duration_s))
			usage_error(state, "invalid duration '%s': give seconds > 0, e.g. -d 30", options_shown(arg, shown, sizeof(shown)));
		break;
	case 'o':
		if (!*arg)
			usage_error(state, "empty output path: give a file name, or '-' for stdout");
		o->output = arg;
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "totaldepth"))
			o->format = LOG_FORMAT_TOTALDEPTH;
		else if (!strcmp(arg, "jsonl"))
			o->format = LOG_FORMAT_JSONL;
		else
			usage_error(state, "unknown format '%s': use totaldepth or jsonl", options_shown(arg, shown, sizeof(shown)));
		break;
	case 'u':
		if (!*arg)
			usage_error(state, "empty user name in -u");
		o->user = arg;
		break;
	case 'c':
		o->children = true;
		break;
	case OPT_NO_PTRACE:
		o->no_ptrace = true;
		break;
	case 't':
		o->threads = true;
		break;
	case OPT_LIGHT:
		o->light = true;
		break;
	case OPT_MARK:
		if (o->n_marks >= PROCMON_MAX_MARKS)
			usage_error(state, "too many --mark: at most %d", PROCMON_MAX_MARKS);
		if (!*arg)
			usage_error(state, "empty symbol name in --mark");
		o->marks[o->n_marks++] = arg;
		break;
	case OPT_BUFFER:
		if (parse_size(arg, &o->ringbuf_bytes))
			usage_error(state, "invalid buffer size '%s': a power of two from 4K to 1024M, e.g. --buffer 1M", options_shown(arg, shown, sizeof(shown)));
		break;
	case OPT_CGROUP:
		if (!*arg)
			usage_error(state, "empty cgroup directory in --cgroup");
		o->cgroup = arg;
		break;
	case OPT_UNIT:
		if (!*arg)
			usage_error(state, "empty unit name in --unit");
		o->unit = arg;
		break;
	case OPT_PROMETHEUS: {
		const char *why;

		if (metrics_addr_parse(arg, &o->prom, &why))
			usage_error(state, "invalid --prometheus '%s': %s",
				    options_shown(arg, shown, sizeof(shown)), why);
		o->prometheus = true;
		break;
	}
	case OPT_PROMETHEUS_HOLD:
		if (parse_hold_seconds(arg, &o->prom_hold_s))
			usage_error(state, "invalid --prometheus-hold '%s': give seconds >= 0, e.g. 30", options_shown(arg, shown, sizeof(shown)));
		o->prom_hold_set = true;
		break;
	case ARGP_KEY_INIT:
		/* No "Try `procmon --help'" line after getopt's own: an error is one line. */
		state->err_stream = NULL;
		break;
	case 'q':
		o->quiet = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);	/* exits 0 */
		break;
	case ARGP_KEY_ARG:
		/* The command starts here: everything after it is its own. */
		o->command = &state->argv[state->next - 1];
		state->next = state->argc;
		break;
	case ARGP_KEY_END:
		if (!o->command && !o->n_pids && !o->cgroup && !o->unit)
			usage_error(state, "nothing to trace: give a COMMAND, -p PID or --cgroup DIR");
		if (o->command && o->n_pids)
			usage_error(state, "give either a COMMAND or -p PID, not both");
		if (!!o->command + !!o->n_pids + !!o->cgroup + !!o->unit > 1)
			usage_error(state, "give only one of COMMAND, -p PID, --cgroup DIR and --unit NAME");
		if (o->prom_hold_set && !o->prometheus)
			usage_error(state, "--prometheus-hold applies with --prometheus only");
		if (o->user && !o->command)
			usage_error(state, "-u applies to a launched COMMAND only");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int options_parse(int argc, char **argv, struct procmon_opts *opts)
{
	static const struct argp argp = { options, parse_opt, args_doc, doc, NULL, NULL, NULL };
	struct parse_ctx ctx = { .opts = opts, .err = stderr };
	char *argv0 = argv[0];
	FILE *capture;
	int err;

	memset(opts, 0, sizeof(*opts));
	opts->interval_s = 1.0;
	opts->format = LOG_FORMAT_TOTALDEPTH;
	opts->ringbuf_bytes = 256 * 1024;
	opts->prom_hold_s = METRICS_HOLD_S_DEFAULT;
	argp_err_exit_status = PROCMON_EXIT_FAILURE;
	/* getopt names the program by argv[0] in "unrecognized option": make it
	 * "procmon: ", as every other error, whatever path procmon was run by. */
	argv[0] = (char *)"procmon";
	capture = open_memstream(&ctx.captured, &ctx.captured_len);
	if (capture)
		stderr = capture;
	err = argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &ctx);
	stderr = ctx.err;
	if (capture) {
		fclose(capture);
		if (ctx.captured)
			put_safe_line(stderr, ctx.captured);
		free(ctx.captured);
	}
	argv[0] = argv0;
	if (err) {
		/* getopt has said what was wrong (unknown option, missing argument). */
		if (err != EINVAL)
			fprintf(stderr, "procmon: cannot parse the command line: %s\n", strerror(err));
		exit(PROCMON_EXIT_FAILURE);
	}
	return 0;
}
