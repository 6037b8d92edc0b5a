/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conf_any.h"

#include <stdbool.h>
#include <string.h>

#include "domain_conf.h"
#include "network_conf.h"
#include "nwfilter_conf.h"
#include "sv_error.h"

static const char *const kind_names[] = {"domain", "network", "filter"};
static const char *const kind_labels[] = {"domain", "network", "nwfilter"};

const char *sv_conf_kind_name(sv_conf_kind kind)
{
    if (kind < 0 || kind > SV_CONF_NWFILTER)
        return NULL;
    return kind_labels[kind];
}

sv_conf_kind sv_conf_kind_from_name(const char *name)
{
    for (int i = 0; i <= SV_CONF_NWFILTER; i++)
        if (strcmp(name, kind_labels[i]) == 0)
            return (sv_conf_kind)i;
    return SV_CONF_AUTO;
}

/* Root element name without parsing: skip the prolog, comments and PIs. */
static sv_conf_kind detect_kind(const char *xml, size_t len)
{
    const char *p = xml, *end = xml + len;

    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));

        if (!lt || lt + 1 >= end)
            break;
        if (lt[1] == '?' || lt[1] == '!') {
            /* Skip the whole comment, PI or doctype: they may contain '<'. */
            bool comment = end - lt >= 4 && memcmp(lt, "<!--", 4) == 0;
            const char *close = comment ? memmem(lt + 4, (size_t)(end - lt - 4), "-->", 3)
                                        : memchr(lt + 2, '>', (size_t)(end - lt - 2));

            if (!close)
                break;
            p = close + 1;
            continue;
        }
        for (int i = 0; i <= SV_CONF_NWFILTER; i++) {
            size_t n = strlen(kind_names[i]);

            if ((size_t)(end - lt - 1) > n && memcmp(lt + 1, kind_names[i], n) == 0 &&
                strchr(" \t\r\n/>", lt[1 + n]))
                return (sv_conf_kind)i;
        }
        break;
    }
    return SV_CONF_AUTO;
}

char *sv_conf_normalize(const char *xml, size_t len, sv_conf_kind kind, sv_conf_kind *ret_kind)
{
    char *out = NULL;

    if (kind == SV_CONF_AUTO)
        kind = detect_kind(xml, len);
    switch (kind) {
    case SV_CONF_DOMAIN: {
        sv_domain_def *def = sv_domain_def_parse(xml, len, 0);

        if (def)
            out = sv_domain_def_format(def, 0);
        sv_domain_def_free(def);
        break;
    }
    case SV_CONF_NETWORK: {
        sv_network_def *def = sv_network_def_parse(xml, len, 0);

        if (def)
            out = sv_network_def_format(def, 0);
        sv_network_def_free(def);
        break;
    }
    case SV_CONF_NWFILTER: {
        sv_nwfilter_def *def = sv_nwfilter_def_parse(xml, len, 0);

        if (def)
            out = sv_nwfilter_def_format(def, 0);
        sv_nwfilter_def_free(def);
        break;
    }
    default:
        sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR,
                     "cannot tell the document kind: root element must be <domain>, <network> or <filter>");
        return NULL;
    }
    if (out && ret_kind)
        *ret_kind = kind;
    return out;
}
