/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A metrics view as Prometheus text 0.0.4 or OpenMetrics 1.0.0, and which of the
 * two a scraper's Accept header asks for. */
#ifndef PROCMON_METRICS_RENDER_H
#define PROCMON_METRICS_RENDER_H

#include <stddef.h>
#include "metrics.h"

enum metrics_format {
	METRICS_TEXT,		/* text/plain; version=0.0.4 */
	METRICS_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
};

/* The Content-Type of @f. */
const char *metrics_content_type(enum metrics_format f);

/* OpenMetrics if @accept (an HTTP Accept header, or NULL) ranks
 * application/openmetrics-text (version 1.0.0 or none) at least as high as
 * text/plain or a wildcard; else the text format. */
enum metrics_format metrics_negotiate(const char *accept);

/* @v in format @f: a malloc'd NUL-terminated string (free()), its length in
 * @len. NULL when out of memory. */
char *metrics_render(const struct metrics_view *v, enum metrics_format f, size_t *len);

#endif /* PROCMON_METRICS_RENDER_H */
