// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Looks a function up in an ELF file's symbol tables with libelf: the check
 * behind "which mapped objects define procmon_label". */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_symbols.h"

/* A function definition named @name? Versioned names ("name@V", "name@@V") count.
 * ELF_SYMBOL_FUNC, ELF_SYMBOL_IFUNC or 0. */
static int sym_matches(Elf *elf, size_t strndx, const GElf_Sym *sym, const char *name,
		       size_t name_len)
{
	int type = GELF_ST_TYPE(sym->st_info);
	const char *s;

	if (sym->st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC))
		return 0;
	s = elf_strptr(elf, strndx, sym->st_name);
	if (!s || strncmp(s, name, name_len) || (s[name_len] != '\0' && s[name_len] != '@'))
		return 0;
	return type == STT_FUNC ? ELF_SYMBOL_FUNC : ELF_SYMBOL_IFUNC;
}

/* What the symbol table section @scn defines as @name: a plain function wins
 * over an IFUNC of the same name. ELF_SYMBOL_FUNC, ELF_SYMBOL_IFUNC or 0. */
static int symtab_defines(Elf *elf, Elf_Scn *scn, const GElf_Shdr *shdr, const char *name)
{
	size_t name_len = strlen(name), count;
	Elf_Data *data = elf_getdata(scn, NULL);
	GElf_Sym sym;
	int found = 0;

	if (!data || shdr->sh_entsize == 0)
		return 0;
	count = shdr->sh_size / shdr->sh_entsize;
	for (size_t i = 0; i < count && found != ELF_SYMBOL_FUNC; i++) {
		if (gelf_getsym(data, (int)i, &sym)) {
			int kind = sym_matches(elf, shdr->sh_link, &sym, name, name_len);

			if (kind)
				found = kind;
		}
	}
	return found;
}

static int elf_defines(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	int found = 0, kind;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			return -ENOEXEC;
		if (shdr.sh_type != SHT_SYMTAB && shdr.sh_type != SHT_DYNSYM)
			continue;
		kind = symtab_defines(elf, scn, &shdr, name);
		if (kind == ELF_SYMBOL_FUNC)
			return kind;
		if (kind)
			found = kind;
	}
	return found;
}

int elf_defines_symbol(const char *path, const char *name)
{
	struct stat st;
	Elf *elf;
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	/* O_NONBLOCK: a FIFO at @path must not hang us; regular files ignore it */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -ENOEXEC;
		goto out_fd;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		ret = -ENOEXEC;
	else
		ret = elf_defines(elf, name);
	elf_end(elf);
out_fd:
	close(fd);
	return ret;
}
