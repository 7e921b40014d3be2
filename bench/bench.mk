# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make bench (issue 6; not part of `make check`): install the alternatives procmon is
# compared with, build the workloads in bench/workloads/, print the table (bench/run).
BENCH_DIR   := $(OUTPUT)/bench
BENCH_BINS  := $(patsubst bench/workloads/%.c,$(BENCH_DIR)/%,$(wildcard bench/workloads/*.c))

.PHONY: bench-build
$(BENCH_DIR)/%: bench/workloads/%.c bench/workloads/bench.h
	@mkdir -p $(@D)
	$(CC) -O2 $(WARN) -D_GNU_SOURCE $< -o $@ -lpthread

bench-build: $(OUTPUT)/procmon $(BENCH_BINS)

# Installs first (procmon's own dependencies, then psutil, sysstat, bpftrace), so it
# runs on a fresh machine; Debian's python3, where python3-psutil lives.
bench:
	bash tools/deps python3-psutil sysstat bpftrace
	$(MAKE) bench-build
	/usr/bin/python3 bench/run $(OUTPUT)

# The per-sample work of procmon's loop, timed piece by piece (linked with procmon's
# modules, like the tests).
$(BENCH_DIR)/sample_cost: bench/sample_cost.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $< $(LIB_OBJS) $(LDLIBS) -o $@

bench-build: $(BENCH_DIR)/sample_cost

# What -c costs a tree of processes (issue 13): make -j2, 300 /bin/true, 2,000 forks.
.PHONY: bench-children
bench-children: tests
	/usr/bin/python3 bench/children $(OUTPUT)
