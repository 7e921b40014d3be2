build2/user/elf_symbols.o: user/elf_symbols.c user/elf_symbols.h
user/elf_symbols.h:
