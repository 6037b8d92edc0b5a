/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "network_conf.h"

#include "sv_error.h"

sv_network_def *sv_network_def_parse(const char *xml, size_t len, unsigned flags)
{
    (void)xml;
    (void)len;
    (void)flags;
    sv_error_set(SV_FROM_CONF, SV_ERR_NO_SUPPORT, "network XML is not implemented yet");
    return NULL;
}

char *sv_network_def_format(const sv_network_def *def, unsigned flags)
{
    (void)def;
    (void)flags;
    return NULL;
}

void sv_network_def_free(sv_network_def *def)
{
    (void)def;
}
