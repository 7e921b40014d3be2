build2/user/labels.o: user/labels.c user/elf_symbols.h user/labels.h \
 user/link_reaper.h user/logformat.h bpf/procmon.h common/path_search.h \
 user/proc.h user/proc_maps.h common/safe_text.h common/utf8.h
user/elf_symbols.h:
user/labels.h:
user/link_reaper.h:
user/logformat.h:
bpf/procmon.h:
common/path_search.h:
user/proc.h:
user/proc_maps.h:
common/safe_text.h:
common/utf8.h:
