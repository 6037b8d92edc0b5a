/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One entry point over the three XML models, for sepvirt-xml, the golden
 * tests and the fuzz targets. */
#pragma once

#include <stddef.h>

typedef enum sv_conf_kind {
    SV_CONF_AUTO = -1,    /* pick by root element */
    SV_CONF_DOMAIN = 0,
    SV_CONF_NETWORK,
    SV_CONF_NWFILTER,
} sv_conf_kind;

/* Name of a kind ("domain", "network", "nwfilter"), or NULL. */
const char *sv_conf_kind_name(sv_conf_kind kind);
/* Parse from a kind name; -1 if unknown. */
sv_conf_kind sv_conf_kind_from_name(const char *name);

/* Parse, validate, fill defaults and format back.  Returns malloc'd XML
 * text, or NULL with sv_error set.  *ret_kind (may be NULL) receives the
 * kind that was parsed. */
char *sv_conf_normalize(const char *xml, size_t len, sv_conf_kind kind, sv_conf_kind *ret_kind);
