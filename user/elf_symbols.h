/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Does an ELF file define a function? The uprobe attacher asks it of each object
 * a target maps, to find the ones that hold procmon_label. */
#ifndef PROCMON_ELF_SYMBOLS_H
#define PROCMON_ELF_SYMBOLS_H

#define ELF_SYMBOL_FUNC		1	/* a function: a uprobe can go on it */
#define ELF_SYMBOL_IFUNC	2	/* only an IFUNC: its code is chosen at run time */

/*
 * ELF_SYMBOL_FUNC if the ELF file at @path defines the function @name in .symtab
 * or .dynsym (STT_FUNC, any binding, not SHN_UNDEF; a versioned "name@V"
 * matches too), else ELF_SYMBOL_IFUNC if it defines it as an STT_GNU_IFUNC only,
 * 0 if it does not, -errno on error: -ENOEXEC when the file is not ELF, -EISDIR
 * for a directory, what open(2) said otherwise.
 */
int elf_defines_symbol(const char *path, const char *name);

#endif /* PROCMON_ELF_SYMBOLS_H */
