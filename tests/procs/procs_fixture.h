/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the tests/procs tests: a private registry in a temporary
 * directory, removed again afterwards. */
#pragma once

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "registry.h"
#include "sv_util.h"

static int procs_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline void procs_rm_rf(const char *dir)
{
    nftw(dir, procs_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Open the registries over an existing dir (config in it, state below). */
static inline int procs_registry_open(const char *dir)
{
    _cleanup_free_ char *state = sv_asprintf("%s/state", dir);

    return sv_registry_init(dir, state, true);
}

/* Create dir (a 64-byte buffer) and open the registries over it. */
static inline int procs_registry_new(char dir[64])
{
    snprintf(dir, 64, "/tmp/sv-procs-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    return procs_registry_open(dir);
}
