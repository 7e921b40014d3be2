# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The label library (libprocmon_label.{a,so}, its pkg-config file, the Python modules),
# the label workloads that need their own link lines, and make install/uninstall.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
INCLUDEDIR  ?= $(PREFIX)/include
LIBDIR      ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR      ?= $(PREFIX)/share/man
# The system's python3 (the one sudo's secure_path finds), not a user's pyenv/venv:
# sudo drops PYTHONPATH, so the modules go where that python3 looks by itself.
PYTHON      ?= $(firstword $(wildcard /usr/bin/python3) python3)
# Its site directory under PREFIX: Debian's schemes for /usr and /usr/local
# (dist-packages; its default scheme would add a second "local"), else posix_prefix.
PYTHON_SITE_PY := import sys, sysconfig as c; p = sys.argv[1].rstrip("/"); \
	s = c.get_scheme_names(); \
	print(c.get_path("purelib", "deb_system") if p == "/usr" and "deb_system" in s else \
	c.get_path("purelib", "posix_local", vars={"base": "/usr"}) if p == "/usr/local" \
	and "posix_local" in s else \
	c.get_path("purelib", "posix_prefix", vars={"base": p, "platbase": p}))
# Asked only for install/uninstall; without a python3, a directory for PYTHONPATH.
ifeq ($(origin PYTHONDIR),undefined)
ifneq ($(filter install uninstall,$(MAKECMDGOALS)),)
PYTHONDIR   := $(or $(shell $(PYTHON) -c '$(PYTHON_SITE_PY)' '$(PREFIX)' 2>/dev/null), \
	       $(PREFIX)/share/procmon/python)
endif
endif
LDCONFIG    ?= $(firstword $(wildcard /sbin/ldconfig /usr/sbin/ldconfig) ldconfig)
INSTALL     ?= install

LABEL_DIR   := $(OUTPUT)/lib
LABEL_SONAME := libprocmon_label.so.0
# The library ships without sanitizers: a program linked with it must not need their runtime.
LABEL_CFLAGS := $(filter-out -fsanitize% -fno-sanitize%,$(CFLAGS)) -fPIC
LABEL_LIBS  := $(LABEL_DIR)/libprocmon_label.a $(LABEL_DIR)/libprocmon_label.so \
	       $(LABEL_DIR)/$(LABEL_SONAME) $(LABEL_DIR)/procmon-label.pc \
	       $(LABEL_DIR)/procmon_label.py $(LABEL_DIR)/procmon_process.py
MAN_PAGE    := $(OUTPUT)/procmon.1
LABEL_WORKLOADS := $(addprefix $(OUTPUT)/tests/workloads/,labels_nopie labels_static \
		   labels_shared labels_dlopen labels_stripped labels_rdynamic)
LABEL_WL_CFLAGS := -g -O1 $(WARN) -D_GNU_SOURCE -Ilib
# The shared code of the workloads (tests/workloads/workload.h).
$(LABEL_WORKLOADS): tests/workloads/workload.h

.PHONY: install install-caps uninstall FORCE
all: $(LABEL_LIBS) $(MAN_PAGE)
tests: $(LABEL_LIBS) $(MAN_PAGE) $(LABEL_WORKLOADS)

$(LABEL_DIR):
	mkdir -p $@

$(LABEL_DIR)/procmon_label.o: lib/procmon_label.c lib/procmon_label.h | $(LABEL_DIR)
	$(CC) $(LABEL_CFLAGS) $(WARN) -c $< -o $@

$(LABEL_DIR)/libprocmon_label.a: $(LABEL_DIR)/procmon_label.o
	rm -f $@
	$(AR) rcs $@ $^

$(LABEL_DIR)/$(LABEL_SONAME): $(LABEL_DIR)/procmon_label.o
	$(CC) -shared -Wl,-soname,$(LABEL_SONAME) $(filter-out -fsanitize%,$(LDFLAGS)) $^ -o $@

$(LABEL_DIR)/libprocmon_label.so: $(LABEL_DIR)/$(LABEL_SONAME)
	ln -sf $(LABEL_SONAME) $@

# Rewritten only when PREFIX changed, so `make install PREFIX=...` never installs a
# file that names another prefix.
$(LABEL_DIR)/procmon-label.pc: FORCE | $(LABEL_DIR)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: procmon-label' \
		'Description: Labels for the procmon process monitor (a hook for its uprobe)' \
		'Version: $(VERSION)' \
		'Libs: -L$${libdir} -lprocmon_label' \
		'Cflags: -I$${includedir}' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; echo "  GEN $@"; fi

# Beside the library, so PYTHONPATH=$(LABEL_DIR) finds them all.
$(LABEL_DIR)/%.py: lib/python/%.py | $(LABEL_DIR)
	cp $< $@

# The man page with this build's version on its title line.
$(MAN_PAGE): docs/procmon.1 Makefile
	@mkdir -p $(@D)
	sed '1,/^\.TH/ s/"procmon [^"]*"/"procmon $(VERSION)"/' $< >$@

# tests/it_python_dropin.c runs scripts of tests/python and `make install` of this tree.
$(OUTPUT)/tests/it_python_dropin.o: CPPFLAGS += -DPROCMON_SRCDIR='"$(CURDIR)"'

# labels_own.c again, linked other ways: the uprobe must find the hook in each.
$(OUTPUT)/tests/workloads/labels_nopie: tests/workloads/labels_own.c
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) -fno-pie -no-pie $< -o $@ -lpthread -lm

$(OUTPUT)/tests/workloads/labels_static: tests/workloads/labels_own.c
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) -static $< -o $@ -lpthread -lm

# Stripped (-s: no .symtab): the hook is found only where -rdynamic put it in .dynsym.
$(OUTPUT)/tests/workloads/labels_stripped: tests/workloads/labels_own.c
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) -s $< -o $@ -lpthread -lm

$(OUTPUT)/tests/workloads/labels_rdynamic: tests/workloads/labels_own.c
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) -rdynamic -s $< -o $@ -lpthread -lm

$(OUTPUT)/tests/workloads/labels_shared: tests/workloads/labels_own.c \
		$(LABEL_DIR)/libprocmon_label.so lib/procmon_label.h
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) -DLABELS_FROM_LIB $< -o $@ -L$(LABEL_DIR) -lprocmon_label \
		-Wl,-rpath,'$$ORIGIN/../../lib' -lpthread -lm

$(OUTPUT)/tests/workloads/labels_dlopen: tests/workloads/labels_dlopen.c \
		| $(LABEL_DIR)/$(LABEL_SONAME)
	@mkdir -p $(@D)
	$(CC) $(LABEL_WL_CFLAGS) $< -o $@ -ldl -lpthread -lm

# tests/unit_label_lib.c includes lib/procmon_label.c.
$(OUTPUT)/tests/unit_label_lib.o: lib/procmon_label.c lib/procmon_label.h

# ldconfig only for the system itself (no DESTDIR, as root): a program linked with
# -lprocmon_label must find the new library at its next start.
install: $(OUTPUT)/procmon $(LABEL_LIBS) $(MAN_PAGE)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(PYTHONDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(OUTPUT)/procmon $(DESTDIR)$(BINDIR)/procmon
	$(INSTALL) -m 644 lib/procmon_label.h $(DESTDIR)$(INCLUDEDIR)/procmon_label.h
	$(INSTALL) -m 644 $(LABEL_DIR)/libprocmon_label.a $(DESTDIR)$(LIBDIR)/libprocmon_label.a
	$(INSTALL) -m 755 $(LABEL_DIR)/$(LABEL_SONAME) $(DESTDIR)$(LIBDIR)/$(LABEL_SONAME)
	ln -sf $(LABEL_SONAME) $(DESTDIR)$(LIBDIR)/libprocmon_label.so
	$(INSTALL) -m 644 $(LABEL_DIR)/procmon-label.pc $(DESTDIR)$(PKGCONFIGDIR)/procmon-label.pc
	$(INSTALL) -m 644 $(MAN_PAGE) $(DESTDIR)$(MANDIR)/man1/procmon.1
	sed "s|^_INSTALLED_LIB = None .*$$|_INSTALLED_LIB = '$(LIBDIR)/$(LABEL_SONAME)'|" \
		lib/python/procmon_label.py >$(DESTDIR)$(PYTHONDIR)/procmon_label.py
	sed "s|^_INSTALLED_PROCMON = None .*$$|_INSTALLED_PROCMON = '$(BINDIR)/procmon'|" \
		lib/python/procmon_process.py >$(DESTDIR)$(PYTHONDIR)/procmon_process.py
	chmod 644 $(DESTDIR)$(PYTHONDIR)/procmon_label.py $(DESTDIR)$(PYTHONDIR)/procmon_process.py
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then echo "$(LDCONFIG)"; $(LDCONFIG); fi

# Least privilege without sudo (the kernel's perf-security pattern): members of
# GROUP run procmon as themselves, with CAP_BPF and CAP_PERFMON to load and
# attach, CAP_DAC_READ_SEARCH to read tracefs (root-only here); they may trace
# only processes they could ptrace. Others cannot run it.
GROUP       ?= procmon
install-caps: install
	getent group $(GROUP) >/dev/null || groupadd --system $(GROUP)
	chown root:$(GROUP) $(DESTDIR)$(BINDIR)/procmon
	chmod 0750 $(DESTDIR)$(BINDIR)/procmon
	setcap cap_bpf,cap_perfmon,cap_dac_read_search+ep $(DESTDIR)$(BINDIR)/procmon

# Python's byte code of the modules goes too (its directory if left empty);
# the shared directories stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/procmon $(DESTDIR)$(INCLUDEDIR)/procmon_label.h \
		$(DESTDIR)$(LIBDIR)/libprocmon_label.a $(DESTDIR)$(LIBDIR)/libprocmon_label.so \
		$(DESTDIR)$(LIBDIR)/$(LABEL_SONAME) $(DESTDIR)$(PKGCONFIGDIR)/procmon-label.pc \
		$(DESTDIR)$(MANDIR)/man1/procmon.1 \
		$(DESTDIR)$(PYTHONDIR)/procmon_label.py $(DESTDIR)$(PYTHONDIR)/procmon_process.py \
		$(DESTDIR)$(PYTHONDIR)/__pycache__/procmon_label.*.pyc \
		$(DESTDIR)$(PYTHONDIR)/__pycache__/procmon_process.*.pyc
	rmdir $(DESTDIR)$(PYTHONDIR)/__pycache__ 2>/dev/null || true
	rmdir $(DESTDIR)$(PREFIX)/share/procmon/python $(DESTDIR)$(PREFIX)/share/procmon 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then echo "$(LDCONFIG)"; $(LDCONFIG); fi
