/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "frontd.h"

#include <stddef.h>

static sv_frontd_paths paths;

const sv_frontd_paths *sv_frontd_paths_get(void)
{
    return &paths;
}

void sv_frontd_paths_set(const sv_frontd_paths *p)
{
    paths = *p;
}

const char *sv_frontd_uri(void)
{
    return paths.session ? "qemu:///session" : "qemu:///system";
}
