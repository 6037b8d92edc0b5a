/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the data-driven golden tests. */
#pragma once

#include <stddef.h>

/* Sorted names (suffix ".xml" removed) of DIR's "*.xml" files, skipping
 * those that end in `skip_suffix` (e.g. ".out.xml"; NULL skips none).
 * Free each name and the array.  A missing directory gives no cases. */
char **sv_test_list_cases(const char *dir, const char *skip_suffix, size_t *ret_n);
