/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nl_link.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/macvtap.h>

/* libnl folds errno into its own codes; map back what callers act on. */
static int nl2errno(int nle)
{
    static const int map[][2] = {
        { NLE_EXIST, EEXIST }, { NLE_NODEV, ENODEV }, { NLE_OBJ_NOTFOUND, ENODEV },
        { NLE_PERM, EPERM }, { NLE_NOACCESS, EACCES }, { NLE_BUSY, EBUSY },
        { NLE_NOMEM, ENOMEM }, { NLE_RANGE, ERANGE }, { NLE_INVAL, EINVAL },
        { NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_AGAIN, EAGAIN },
    };

    nle = nle < 0 ? -nle : nle;
    for (size_t i = 0; nle && i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i][0] == nle)
            return -map[i][1];
    return nle ? -EIO : 0;
}

static void link_freep(struct rtnl_link **l)
{
    if (*l)
        rtnl_link_put(*l);
}
#define _cleanup_link_ __attribute__((cleanup(link_freep)))

int sv_nl_open(sv_nl **ret)
{
    struct nl_sock *sk = nl_socket_alloc();
    int r = sk ? nl_connect(sk, NETLINK_ROUTE) : -NLE_NOMEM;

    if (r < 0) {
        nl_socket_free(sk);
        return nl2errno(r);
    }
    *ret = sk;
    return 0;
}

static void fill_info(struct rtnl_link *l, sv_link_info *info)
{
    const char *name = rtnl_link_get_name(l);
    const char *kind = rtnl_link_get_type(l);

    memset(info, 0, sizeof(*info));
    if (name)
        strncpy(info->name, name, sizeof(info->name) - 1);
    if (kind)
        strncpy(info->kind, kind, sizeof(info->kind) - 1);
    info->ifindex = rtnl_link_get_ifindex(l);
}

int sv_nl_link_get(sv_nl *nl, const char *name, sv_link_info *ret)
{
    _cleanup_link_ struct rtnl_link *l = NULL;
    int r;

    if (strlen(name) >= IFNAMSIZ)
        return -ENODEV;
    r = rtnl_link_get_kernel(nl, 0, name, &l);
    if (r < 0)
        return nl2errno(r);
    fill_info(l, ret);
    return 0;
}

int sv_nl_reserve_names(sv_nl *nl, sv_netdev_names *names)
{
    struct nl_cache *cache = NULL;
    int r = rtnl_link_alloc_cache(nl, AF_UNSPEC, &cache);

    if (r < 0)
        return nl2errno(r);
    for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o))
        if (rtnl_link_get_name((struct rtnl_link *)o))
            sv_netdev_names_reserve(names, rtnl_link_get_name((struct rtnl_link *)o));
    nl_cache_free(cache);
    return 0;
}

static int set_mac(struct rtnl_link *l, const uint8_t *mac)
{
    struct nl_addr *a = mac ? nl_addr_build(AF_LLC, mac, 6) : NULL;

    if (mac && !a)
        return -ENOMEM;
    if (a) {
        rtnl_link_set_addr(l, a);   /* takes its own reference */
        nl_addr_put(a);
    }
    return 0;
}

int sv_nl_macv_create(sv_nl *nl, bool macvtap, const char *name, int parent_ifindex,
                      uint32_t mode, const uint8_t *mac, uint32_t mtu)
{
    _cleanup_link_ struct rtnl_link *l = NULL;
    int r;

    l = macvtap ? rtnl_link_macvtap_alloc() : rtnl_link_macvlan_alloc();
    if (!l)
        return -ENOMEM;
    r = macvtap ? rtnl_link_macvtap_set_mode(l, mode)
                                : rtnl_link_macvlan_set_mode(l, mode);
    if (r < 0)
        return nl2errno(r);
    rtnl_link_set_name(l, name);
    rtnl_link_set_link(l, parent_ifindex);
    if (mtu)
        rtnl_link_set_mtu(l, mtu);
    r = set_mac(l, mac);
    if (r < 0)
        return r;
    return nl2errno(rtnl_link_add(nl, l, NLM_F_CREATE | NLM_F_EXCL));
}

int sv_nl_link_delete(sv_nl *nl, int ifindex)
{
    _cleanup_link_ struct rtnl_link *l = rtnl_link_alloc();

    if (!l)
        return -ENOMEM;
    rtnl_link_set_ifindex(l, ifindex);
    return nl2errno(rtnl_link_delete(nl, l));
}

int sv_nl_link_change(sv_nl *nl, int ifindex, int up, uint32_t mtu, const uint8_t *mac, int master)
{
    _cleanup_link_ struct rtnl_link *orig = rtnl_link_alloc();
    _cleanup_link_ struct rtnl_link *chg = rtnl_link_alloc();
    int r;

    if (!orig || !chg)
        return -ENOMEM;
    rtnl_link_set_ifindex(orig, ifindex);
    if (up > 0)
        rtnl_link_set_flags(chg, IFF_UP);
    else if (up == 0)
        rtnl_link_unset_flags(chg, IFF_UP);
    if (mtu)
        rtnl_link_set_mtu(chg, mtu);
    if (master > 0)
        rtnl_link_set_master(chg, master);
    r = set_mac(chg, mac);
    if (r < 0)
        return r;
    return nl2errno(rtnl_link_change(nl, orig, chg, 0));
}
