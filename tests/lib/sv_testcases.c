/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_testcases.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sv_util.h"

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);

    return len >= n && strcmp(s + len - n, suffix) == 0;
}

char **sv_test_list_cases(const char *dir, const char *skip_suffix, size_t *ret_n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;

    *ret_n = 0;
    if (!d)
        return NULL;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);

        if (len <= 4 || !ends_with(e->d_name, len, ".xml") ||
            (skip_suffix && ends_with(e->d_name, len, skip_suffix)))
            continue;
        names = sv_realloc(names, (n + 1) * sizeof(*names));
        names[n++] = sv_strndup(e->d_name, len - 4);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), name_cmp);
    *ret_n = n;
    return names;
}
