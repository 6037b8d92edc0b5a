/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network XML model: parse, validate, fill defaults, format. */
#pragma once

#include <stddef.h>

#include "sv_util.h"

typedef struct sv_network_def {
    char *name;
    unsigned char uuid[SV_UUID_LEN];
} sv_network_def;

/* Parse and validate; returns NULL with sv_error set. */
sv_network_def *sv_network_def_parse(const char *xml, size_t len, unsigned flags);
/* Format; returns malloc'd XML text. */
char *sv_network_def_format(const sv_network_def *def, unsigned flags);
void sv_network_def_free(sv_network_def *def);
