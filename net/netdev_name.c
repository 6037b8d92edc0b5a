/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "netdev_name.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

const char *const sv_netdev_prefixes[SV_NETDEV_PREFIX_COUNT] = {
    [SV_NETDEV_VNET] = "vnet",
    [SV_NETDEV_MACVTAP] = "macvtap",
    [SV_NETDEV_MACVLAN] = "macvlan",
};

void sv_netdev_names_init(sv_netdev_names *n)
{
    for (int i = 0; i < SV_NETDEV_PREFIX_COUNT; i++)
        n->last[i] = -1;
}

long long sv_netdev_id_limit(sv_netdev_prefix p)
{
    size_t digits = SV_NETDEV_NAME_MAX - 1 - strlen(sv_netdev_prefixes[p]);
    long long limit = 1;

    for (size_t i = 0; i < digits && limit <= INT_MAX; i++)
        limit *= 10;
    return limit < INT_MAX ? limit : INT_MAX;
}

bool sv_netdev_name_parse(const char *name, sv_netdev_prefix *ret_prefix, long long *ret_id)
{
    for (int p = 0; p < SV_NETDEV_PREFIX_COUNT; p++) {
        size_t plen = strlen(sv_netdev_prefixes[p]);
        const char *d = name + plen;
        long long id = 0;

        if (strncmp(name, sv_netdev_prefixes[p], plen) != 0 || *d == '\0')
            continue;
        if (d[0] == '0' && d[1] != '\0')
            return false;
        for (; *d; d++) {
            if (*d < '0' || *d > '9')
                return false;
            id = id * 10 + (*d - '0');
            if (id >= sv_netdev_id_limit(p))
                return false;
        }
        *ret_prefix = p;
        *ret_id = id;
        return true;
    }
    return false;
}

void sv_netdev_names_reserve(sv_netdev_names *n, const char *name)
{
    sv_netdev_prefix p;
    long long id;

    if (sv_netdev_name_parse(name, &p, &id) && id > n->last[p])
        n->last[p] = id;
}

void sv_netdev_names_set_last(sv_netdev_names *n, sv_netdev_prefix p, long long last)
{
    if (last >= -1 && last < sv_netdev_id_limit(p))
        n->last[p] = last;
}

int sv_netdev_names_next(sv_netdev_names *n, sv_netdev_prefix p, sv_netdev_exists_fn exists,
                         void *opaque, char ret_name[SV_NETDEV_NAME_MAX])
{
    long long limit = sv_netdev_id_limit(p);

    for (int attempt = 0; attempt < SV_NETDEV_MAX_SKIP; attempt++) {
        /* Roomier than a name so the compiler can see no truncation (the
         * id limit keeps the result within SV_NETDEV_NAME_MAX - 1), and
         * zeroed because all of it goes on the wire. */
        char name[32] = { 0 };

        if (n->last[p] >= limit - 1)
            n->last[p] = -1;
        n->last[p]++;
        snprintf(name, sizeof(name), "%s%lld", sv_netdev_prefixes[p], n->last[p]);
        if (!exists(name, opaque)) {
            memcpy(ret_name, name, SV_NETDEV_NAME_MAX);
            return 0;
        }
    }
    return -ENOSPC;
}
