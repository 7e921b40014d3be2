// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* placeholder: replaced by the CLI shortly */
int main(void) { return 0; }
