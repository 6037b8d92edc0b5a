/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain_conf.h"

#include "sv_error.h"

sv_domain_def *sv_domain_def_parse(const char *xml, size_t len, unsigned flags)
{
    (void)xml;
    (void)len;
    (void)flags;
    sv_error_set(SV_FROM_CONF, SV_ERR_NO_SUPPORT, "domain XML is not implemented yet");
    return NULL;
}

char *sv_domain_def_format(const sv_domain_def *def, unsigned flags)
{
    (void)def;
    (void)flags;
    return NULL;
}

void sv_domain_def_free(sv_domain_def *def)
{
    (void)def;
}
