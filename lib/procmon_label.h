/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Labels for procmon: mark phases of a program ("load", "solve") so they show up
 * in procmon's log and plots at the moment the program reached them. */
#ifndef PROCMON_LABEL_H
#define PROCMON_LABEL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text procmon_labelf() formats, in bytes, without the NUL. (procmon
 * itself keeps up to 256 bytes of any label and marks longer ones truncated.) */
#define PROCMON_LABELF_MAX 255

/*
 * procmon_label - mark this point of the program with the text msg
 *
 * Does nothing by itself: it is a hook. When procmon traces the process it places
 * a uprobe on this function (on any function of that name, in the executable or
 * in any shared library mapped in the process) and records msg with the time,
 * pid and tid of the call. Without a tracer a call costs a plain function call,
 * a few nanoseconds; with one it costs a trap into the kernel (about 20 us on a VM),
 * so label phases, not inner loops.
 *
 * msg is a NUL-terminated string, UTF-8 preferably; procmon keeps its first 256
 * bytes, cut on a character boundary. msg may be NULL (an empty label with
 * label_read_error in the log).
 * Thread-safe and async-signal-safe: it reads nothing and writes nothing.
 */
void procmon_label(const char *msg);

/*
 * procmon_labelf - procmon_label() with a printf-style format
 *
 * Formats into a buffer of PROCMON_LABELF_MAX + 1 bytes on the stack, then calls
 * procmon_label(). Longer text is cut to at most PROCMON_LABELF_MAX bytes, at the
 * start of a UTF-8 character so the label stays valid UTF-8. Formatting costs
 * whether or not a tracer is attached. Thread-safe; not async-signal-safe.
 */
void procmon_labelf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif

#endif /* PROCMON_LABEL_H */
