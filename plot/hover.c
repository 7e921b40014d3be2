// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Every label's whole text in the chart's SVG: a hover title (<title>) over the
 * ticks of each group of labels, added after gnuplot has drawn the chart. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hover.h"
#include "outdir.h"

/* Room right of a tick for its rotated text (one line of font 10), and left. */
#define TEXT_PX 16.0
#define LEFT_PX 4.0

/* Clean text (plot_text_clean) as XML character data. */
static void write_escaped(FILE *f, const char *text)
{
	for (; *text; text++) {
		if (*text == '&')
			fputs("&amp;", f);
		else if (*text == '<')
			fputs("&lt;", f);
		else if (*text == '>')
			fputs("&gt;", f);
		else
			fputc(*text, f);
	}
}

/* Where time t falls on the canvas, in SVG pixels (gnuplot's svg terminal draws
 * one unit per pixel; a margin "at screen" x is x times the width). */
static double x_px(const struct plot_layout *l, double t)
{
	const struct plot_box *b = &l->box[PLOT_PANEL_LABELS];
	double span = l->x_max_s - l->x_min_s;

	return l->width_px * (b->left + (b->right - b->left) * (t - l->x_min_s) / span);
}

int plot_hover_write(FILE *f, const struct plot_strip *s, const struct plot_layout *l)
{
	const struct plot_box *b = &l->box[PLOT_PANEL_LABELS];
	double top = l->height_px * (1 - b->top), height = l->height_px * (b->top - b->bottom);

	fputs("<g id=\"procmon_labels\" fill=\"#000000\" fill-opacity=\"0\">\n", f);
	for (size_t i = 0, end; i < s->nr_labels; i = end) {
		double x0, x1;

		end = plot_strip_group_end(s, i, l->label_gap_s);
		x0 = x_px(l, s->labels[i].t_s) - LEFT_PX;
		x1 = x_px(l, s->labels[end - 1].t_s) + TEXT_PX;
		fputs("<g><title>", f);
		for (size_t k = i; k < end; k++) {
			if (k > i)
				fputc('\n', f);
			write_escaped(f, s->labels[k].text);
			fprintf(f, " (at %.6f s)", s->labels[k].t_s);
			if (s->labels[k].hover) {
				fputs(": ", f);
				write_escaped(f, s->labels[k].hover);
			}
		}
		fprintf(f, "</title><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/></g>\n",
			x0, top, x1 - x0, height);
	}
	fputs("</g>\n", f);
	return ferror(f) ? -EIO : 0;
}

/* The whole file at path, NUL-terminated, in *text (*len bytes). 0 or -errno. */
static int read_all(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re"), *out;
	char buf[65536];
	size_t n;
	int err = 0;

	if (!f)
		return -errno;
	out = open_memstream(text, len);
	if (!out) {
		fclose(f);
		return -ENOMEM;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, out);
	if (ferror(f))
		err = -EIO;
	fclose(f);
	if (fclose(out) && !err)
		err = -ENOMEM;
	return err;
}

int plot_svg_add_hover(const char *svg_path, const struct plot_strip *s,
		       const struct plot_layout *l)
{
	char *text = NULL, *end;
	size_t len = 0;
	FILE *f;
	int err;

	if (!s->nr_labels || !l->panel_on[PLOT_PANEL_LABELS])
		return 0;
	err = read_all(svg_path, &text, &len);
	end = err ? NULL : memmem(text, len, "</svg>", 6);
	/* The last one: the file ends with it (gnuplot's, checked by the caller). */
	while (end && memmem(end + 6, len - (size_t)(end + 6 - text), "</svg>", 6))
		end = memmem(end + 6, len - (size_t)(end + 6 - text), "</svg>", 6);
	if (!err && !end)
		err = -EPROTO;
	f = err ? NULL : plot_create_file(svg_path);
	if (!err && !f)
		err = -errno;
	if (f) {
		fwrite(text, 1, (size_t)(end - text), f);
		err = plot_hover_write(f, s, l);
		fwrite(end, 1, len - (size_t)(end - text), f);
		if (ferror(f) && !err)
			err = -EIO;
		if (fclose(f) && !err)
			err = -errno;
	}
	free(text);
	return err;
}
