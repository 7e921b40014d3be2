# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# make fuzz [FUZZ_SECONDS=60]: libFuzzer on `procmon plot`'s log reader (plot/logread.c),
# under ASan and UBSan, from the seed corpus of real log lines in fuzz/corpus/.
# New inputs go to $(OUTPUT)/fuzz/corpus (the seeds stay as committed); a crash is
# saved as $(OUTPUT)/fuzz/crash-* and fails the target.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DIR     := $(OUTPUT)/fuzz
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all

$(FUZZ_DIR)/fuzz_logread: fuzz/fuzz_logread.c plot/logread.c plot/logread.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -D_GNU_SOURCE -Iplot $(WARN) fuzz/fuzz_logread.c plot/logread.c \
		-ljson-c -lm -o $@

fuzz: $(FUZZ_DIR)/fuzz_logread
	@mkdir -p $(FUZZ_DIR)/corpus
	cd $(FUZZ_DIR) && ./fuzz_logread -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-dict=$(CURDIR)/fuzz/logread.dict corpus $(CURDIR)/fuzz/corpus
