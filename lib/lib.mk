# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The label library (libprocmon_label.{a,so}, its pkg-config file, the Python module),
# the label workloads that need their own link lines, and make install/uninstall.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
INCLUDEDIR  ?= $(PREFIX)/include
LIBDIR      ?= $(PREFIX)/lib
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Not a Python's own site-packages (their layout differs between distributions and
# ignores PREFIX): add this to PYTHONPATH, or set PYTHONDIR to a site-packages dir.
PYTHONDIR   ?= $(PREFIX)/share/procmon/python
INSTALL     ?= install

LABEL_DIR   := $(OUTPUT)/lib
LABEL_SONAME := libprocmon_label.so.0
# The library ships without sanitizers: a program linked with it must not need their runtime.
LABEL_CFLAGS := $(filter-out -fsanitize% -fno-sanitize%,$(CFLAGS)) -fPIC
LABEL_LIBS  := $(LABEL_DIR)/libprocmon_label.a $(LABEL_DIR)/libprocmon_label.so \
	       $(LABEL_DIR)/$(LABEL_SONAME) $(LABEL_DIR)/procmon-label.pc \
	       $(LABEL_DIR)/procmon_label.py
LABEL_WORKLOADS := $(addprefix $(OUTPUT)/tests/workloads/,labels_nopie labels_static \
		   labels_shared labels_dlopen labels_stripped labels_rdynamic)
LABEL_WL_CFLAGS := -g -O1 $(WARN) -D_GNU_SOURCE -Ilib
# The shared code of the workloads (tests/workloads/workload.h).
$(LABEL_WORKLOADS): tests/workloads/workload.h

.PHONY: install uninstall FORCE
all: $(LABEL_LIBS)
tests: $(LABEL_LIBS) $(LABEL_WORKLOADS)

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

# Beside the library, so PYTHONPATH=$(LABEL_DIR) finds both.
$(LABEL_DIR)/procmon_label.py: lib/python/procmon_label.py | $(LABEL_DIR)
	cp $< $@

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

install: $(OUTPUT)/procmon $(LABEL_LIBS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(PYTHONDIR)
	$(INSTALL) -m 755 $(OUTPUT)/procmon $(DESTDIR)$(BINDIR)/procmon
	$(INSTALL) -m 644 lib/procmon_label.h $(DESTDIR)$(INCLUDEDIR)/procmon_label.h
	$(INSTALL) -m 644 $(LABEL_DIR)/libprocmon_label.a $(DESTDIR)$(LIBDIR)/libprocmon_label.a
	$(INSTALL) -m 755 $(LABEL_DIR)/$(LABEL_SONAME) $(DESTDIR)$(LIBDIR)/$(LABEL_SONAME)
	ln -sf $(LABEL_SONAME) $(DESTDIR)$(LIBDIR)/libprocmon_label.so
	$(INSTALL) -m 644 $(LABEL_DIR)/procmon-label.pc $(DESTDIR)$(PKGCONFIGDIR)/procmon-label.pc
	sed "s|^_INSTALLED_LIB = None .*$$|_INSTALLED_LIB = '$(LIBDIR)/$(LABEL_SONAME)'|" \
		lib/python/procmon_label.py >$(DESTDIR)$(PYTHONDIR)/procmon_label.py
	chmod 644 $(DESTDIR)$(PYTHONDIR)/procmon_label.py

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/procmon $(DESTDIR)$(INCLUDEDIR)/procmon_label.h \
		$(DESTDIR)$(LIBDIR)/libprocmon_label.a $(DESTDIR)$(LIBDIR)/libprocmon_label.so \
		$(DESTDIR)$(LIBDIR)/$(LABEL_SONAME) $(DESTDIR)$(PKGCONFIGDIR)/procmon-label.pc \
		$(DESTDIR)$(PYTHONDIR)/procmon_label.py
	rmdir $(DESTDIR)$(PYTHONDIR) $(DESTDIR)$(PREFIX)/share/procmon 2>/dev/null || true
