# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# procmon: BPF objects are built with clang against the committed vmlinux.h, linked by
# bpftool into the core (a light skeleton) and the extra programs (a libbpf skeleton).
OUTPUT      ?= build
CC          ?= cc
CLANG       ?= clang
BPFTOOL     ?= bpftool
ARCH        := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
VERSION     := 0.1.0

CFLAGS      ?= -g -O2
WARN        := -Wall -Wextra -Werror
CPPFLAGS    += -I$(OUTPUT) -Ibpf -Icommon -Iuser -Iplot -Ilib -D_GNU_SOURCE -DPROCMON_VERSION='"$(VERSION)"'
# libmicrohttpd is dlopen'ed by the metrics server (user/metrics_http.c), not linked.
LDLIBS      += -lbpf -lelf -lz -ljson-c -lm
# Quiet by default, libbpf-bootstrap style: `make V=1` shows the commands.
ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif
SANITIZE    ?=
ifneq ($(SANITIZE),)
CFLAGS      += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS     += -fsanitize=$(SANITIZE)
endif

# clang's own system include dirs, so UAPI headers resolve in -target bpf builds
# (as in libbpf-bootstrap).
CLANG_BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 \
	| sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')

# maps.bpf.c defines the shared maps: the linker wants it before their users. The
# core is every hook a run needs; the label uprobe and the --cgroup hooks are the
# extra object, loaded only by the runs that need them.
EXTRA_BPF   := bpf/label_uprobe.bpf.c bpf/cgroup.bpf.c
BPF_SRCS    := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c $(EXTRA_BPF),$(wildcard bpf/*.bpf.c))
BPF_OBJS    := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
EXTRA_OBJS  := $(OUTPUT)/bpf/maps.bpf.o $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(EXTRA_BPF))
SKELS       := $(OUTPUT)/procmon.lskel.h $(OUTPUT)/procmon_extra.skel.h
USER_SRCS   := $(wildcard common/*.c) $(wildcard user/*.c) $(wildcard plot/*.c)
USER_OBJS   := $(patsubst %.c,$(OUTPUT)/%.o,$(USER_SRCS))
LIB_OBJS    := $(filter-out $(OUTPUT)/user/main.o,$(USER_OBJS))

.DELETE_ON_ERROR:
# Keep intermediate objects: no "rm ..." after the test summary, faster rebuilds.
.SECONDARY:
.PHONY: all clean deps tests check check-sanitize sanitize-tests check-valgrind demo bench fuzz soak
all: $(OUTPUT)/procmon

$(OUTPUT)/bpf $(OUTPUT)/common $(OUTPUT)/user $(OUTPUT)/plot $(OUTPUT)/tests:
	mkdir -p $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux/vmlinux.h | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_$(ARCH) -Ivmlinux -Ibpf \
		$(CLANG_BPF_SYS_INCLUDES) -c $< -o $@

$(OUTPUT)/procmon.bpf.o: $(BPF_OBJS)
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/procmon_extra.bpf.o: $(EXTRA_OBJS)
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

# The core as a light skeleton: a loader program does CO-RE, kfunc and attach-id
# resolution in the kernel, so a run parses no kernel BTF in user space.
$(OUTPUT)/procmon.lskel.h: $(OUTPUT)/procmon.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton -L $< name procmon_core > $@

$(OUTPUT)/procmon_extra.skel.h: $(OUTPUT)/procmon_extra.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name procmon_extra_bpf > $@

$(OUTPUT)/user/%.o: user/%.c $(SKELS) | $(OUTPUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/common/%.o: common/%.c | $(OUTPUT)/common
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/plot/%.o: plot/%.c | $(OUTPUT)/plot
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/procmon: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@


# Tests: tests/unit_*.c and tests/it_*.c are test programs linked with every
# module but main.c; tests/workloads/*.c are the programs they trace.
TEST_SRCS   := $(wildcard tests/unit_*.c tests/it_*.c)
TEST_BINS   := $(patsubst tests/%.c,$(OUTPUT)/tests/%,$(TEST_SRCS))
TEST_OBJS   := $(patsubst tests/%.c,$(OUTPUT)/tests/%.o,$(TEST_SRCS))
WORKLOADS   := $(patsubst tests/workloads/%.c,$(OUTPUT)/tests/workloads/%,$(wildcard tests/workloads/*.c))

$(OUTPUT)/tests/%.o: tests/%.c tests/check.h $(SKELS) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(OUTPUT)/tests/%: $(OUTPUT)/tests/%.o $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/tests/workloads/%: tests/workloads/%.c tests/workloads/workload.h
	@mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) -g -O1 $(WARN) -D_GNU_SOURCE -Ilib $< -o $@ -lpthread -lm

tests: $(OUTPUT)/procmon $(TEST_BINS) $(WORKLOADS)

# The whole suite: the log reader fuzzed for a minute first, then every test
# program on the plain build, then all of them again on an ASan+UBSan build of
# procmon and the tests; one total line last.
check: tests sanitize-tests $(OUTPUT)/fuzz/fuzz_logread
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	$(SANITIZE_ENV) bash tests/run-tests $(OUTPUT) build/sanitize

CHECK_FUZZ_SECONDS ?= 60
# A small quarantine keeps ASan's memory near procmon's own (the tests bound it).
SANITIZE_ENV := ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=8 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

# Longer runs than the suite's: it_children with 20,000 sequential children
# (the suite runs 5,000 to stay short on a loaded 2-CPU machine).
soak: tests
	CH_SEQ=20000 $(OUTPUT)/tests/it_children

check-sanitize: sanitize-tests
	$(SANITIZE_ENV) bash tests/run-tests build/sanitize

sanitize-tests:
	$(MAKE) OUTPUT=build/sanitize SANITIZE=address,undefined tests

# The unit tests under valgrind's memcheck: a leak or a memory error fails the
# target. tests/valgrind.supp holds glibc's own leaks only, each with its reason.
check-valgrind: tests
	@fail=0; for t in $(filter $(OUTPUT)/tests/unit_%,$(TEST_BINS)); do \
		echo "== valgrind $$t"; \
		valgrind -q --leak-check=full --error-exitcode=1 \
			--suppressions=tests/valgrind.supp $$t </dev/null || fail=1; \
	done; exit $$fail

clean:
	rm -rf $(OUTPUT)

deps:
	bash tools/deps

# The built-in demo: trace demo/buffers.c at 0.1 s, then plot the log.
DEMO_DIR    := $(OUTPUT)/demo
$(DEMO_DIR)/buffers: demo/buffers.c $(OUTPUT)/lib/libprocmon_label.a lib/procmon_label.h
	@mkdir -p $(@D)
	$(CC) -g -O2 $(WARN) -Ilib $< $(OUTPUT)/lib/libprocmon_label.a -o $@

demo: $(OUTPUT)/procmon $(DEMO_DIR)/buffers
	$(OUTPUT)/procmon -i 0.1 -o $(DEMO_DIR)/demo.log -- $(DEMO_DIR)/buffers
	$(OUTPUT)/procmon plot $(DEMO_DIR)/demo.log $(DEMO_DIR)
	@echo "procmon demo: log $(DEMO_DIR)/demo.log, plots:" $(DEMO_DIR)/*.svg
-include $(USER_OBJS:.o=.d) $(TEST_OBJS:.o=.d)
-include lib/lib.mk
-include bench/bench.mk
-include fuzz/fuzz.mk
