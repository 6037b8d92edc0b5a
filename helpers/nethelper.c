/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-nethelper: the only process that changes network devices.
 *
 *     sepvirt-nethelper --fd N --config FILE --state FILE   (in this order)
 *
 * Runs as root with CAP_NET_ADMIN (and CAP_MKNOD, for the /dev/tapN node on
 * hosts without udev) under a seccomp allowlist, both set up by sepvirtd
 * before exec; it refuses to run without the allowlist.  It serves one
 * peer, frontd, over the SOCK_SEQPACKET socket N with the fixed-size
 * messages of ipc/helper_net.h: decode, check against the ownership table
 * and the root-owned config, act, reply.  A protocol violation ends the
 * process (exit 3); the launcher starts a new one, which reloads the state
 * file.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "helper_net.h"
#include "netconf.h"
#include "nl_link.h"
#include "owned.h"
#include "tap.h"

/* Creating with a fresh name retries this often when another creator takes
 * the name between our existence check and the create. */
#define CREATE_ATTEMPTS 8

typedef struct nethelper {
    sv_netconf conf;
    sv_owned owned;
    sv_nl *nl;
} nethelper;

/* Refusals are logged with the request so an operator sees who tried what. */
static int refuse(int err, const char *what, const char *name, const char *why)
{
    sv_helper_log("%s %s: refused: %s", what, name, why);
    return err;
}

/* Anything but a clear "no such device" counts as existing, so a netlink
 * hiccup makes us skip a name rather than reuse one. */
static bool link_exists(const char *name, void *opaque)
{
    sv_link_info info;

    return sv_nl_link_get(opaque, name, &info) != -ENODEV;
}

static void save_state(nethelper *h)
{
    int r = sv_owned_save(&h->owned);

    if (r < 0)
        sv_helper_log("saving %s: %s", h->owned.path, strerror(-r));
}

/* All zero (if allowed) or unicast. */
static bool mac_ok(const uint8_t mac[6], bool may_be_zero)
{
    return sv_helper_zero(mac, 6) ? may_be_zero : !(mac[0] & 1);
}

/* The device of table entry e, if it is still the one we created; if it
 * is gone (a tap whose last fd closed, a device deleted behind our back)
 * or its name now belongs to another ifindex, e is dropped: -ENODEV. */
static int check_owned(nethelper *h, sv_owned_entry *e, sv_link_info *ret)
{
    int r = sv_nl_link_get(h->nl, e->name, ret);

    if (r == 0 && ret->ifindex != e->ifindex)
        r = -ENODEV;
    if (r == -ENODEV)
        sv_owned_remove(&h->owned, e->name);
    return r;
}

/* Drop the table entries whose device is gone; at start also move the
 * counters past every device that exists. */
static int reconcile(nethelper *h, bool reserve)
{
    int r = reserve ? sv_nl_reserve_names(h->nl, &h->owned.names) : 0;
    sv_link_info l;

    for (size_t i = h->owned.n; r == 0 && i-- > 0;)
        if ((r = check_owned(h, &h->owned.entries[i], &l)) == -ENODEV)
            r = 0;
    save_state(h);
    return r;
}

/* An owned device by name, still the one we created. */
static int owned_link(nethelper *h, const char *what, const char name[IFNAMSIZ], sv_link_info *ret)
{
    sv_owned_entry *e;
    int r;

    if (!sv_helper_str_ok(name, IFNAMSIZ, false))
        return refuse(-EINVAL, what, "?", "bad name");
    e = sv_owned_find(&h->owned, name);
    if (!e)
        return refuse(-EPERM, what, name, "not created by this helper");
    if ((r = check_owned(h, e, ret)) == -ENODEV)
        save_state(h);
    return r;
}

static int allowed_bridge(nethelper *h, const char *what, const char bridge[IFNAMSIZ],
                          sv_link_info *ret)
{
    if (!sv_helper_str_ok(bridge, IFNAMSIZ, false))
        return refuse(-EINVAL, what, "?", "bad bridge name");
    if (!sv_netconf_allowed(&h->conf, SV_NETCONF_BRIDGE, bridge))
        return refuse(-EPERM, what, bridge, "bridge not allowed by config");
    if (sv_nl_link_get(h->nl, bridge, ret) < 0 || strcmp(ret->kind, "bridge") != 0)
        return refuse(-ENODEV, what, bridge, "no such bridge");
    return 0;
}

static const uint32_t macv_modes[] = {
    [SV_NET_MACV_BRIDGE] = MACVLAN_MODE_BRIDGE,
    [SV_NET_MACV_VEPA] = MACVLAN_MODE_VEPA,
    [SV_NET_MACV_PRIVATE] = MACVLAN_MODE_PRIVATE,
    [SV_NET_MACV_PASSTHRU] = MACVLAN_MODE_PASSTHRU,
};

/*
 * TAP_CREATE (tap) and MACVTAP_CREATE: check, create under the next name of
 * the kind's prefix, own it, set it up; on failure no device, table entry
 * or fd is left.  A macvtap/macvlan is made up at once; a tap when it joins
 * a bridge.
 */
static int create(nethelper *h, const sv_net_create_req *req, bool tap, sv_net_link_rep *rep,
                  int *fds, size_t *nfds)
{
    const char *what = tap ? "TAP_CREATE" : "MACVTAP_CREATE";
    uint32_t f = req->flags;
    bool notap = !tap && (f & SV_NET_MACV_NOTAP);
    int kind = tap ? SV_NET_KIND_TAP : notap ? SV_NET_KIND_MACVLAN : SV_NET_KIND_MACVTAP;
    sv_netdev_prefix prefix = tap ? SV_NETDEV_VNET : notap ? SV_NETDEV_MACVLAN : SV_NETDEV_MACVTAP;
    const uint8_t *mac = sv_helper_zero(req->mac, 6) ? NULL : req->mac;
    sv_link_info link = { 0 }, dev;
    char name[SV_NETDEV_NAME_MAX];
    int r;

    if ((tap ? req->mode != 0 || (f & ~(SV_NET_TAP_VNET_HDR | SV_NET_TAP_MULTIQUEUE)) ||
                   (req->queues > 1 && !(f & SV_NET_TAP_MULTIQUEUE))
             : req->mode < SV_NET_MACV_BRIDGE || req->mode > SV_NET_MACV_PASSTHRU ||
                   (f & ~(SV_NET_MACV_VNET_HDR | SV_NET_MACV_NOTAP))) ||
        (notap ? req->queues != 0 || (f & SV_NET_MACV_VNET_HDR)
               : req->queues < 1 || req->queues > SV_NET_MAX_QUEUES) ||
        !sv_helper_zero(req->reserved, sizeof(req->reserved)) || !mac_ok(req->mac, true) ||
        !sv_helper_str_ok(req->link, IFNAMSIZ, tap))
        return refuse(-EINVAL, what, "-", "bad field");
    /* link: the tap's bridge, or the macvtap's parent */
    if (tap && req->link[0] && (r = allowed_bridge(h, what, req->link, &link)) < 0)
        return r;
    if (!tap && !sv_netconf_allowed(&h->conf, SV_NETCONF_PARENT, req->link))
        return refuse(-EPERM, what, req->link, "parent not allowed by config");
    if (!tap && sv_nl_link_get(h->nl, req->link, &link) < 0)
        return refuse(-ENODEV, what, req->link, "no such parent");
    if (h->owned.n >= h->owned.max)
        reconcile(h, false);
    if (h->owned.n >= h->owned.max)
        return refuse(-ENOSPC, what, "-", "ownership table full");

    for (unsigned i = 0; i < req->queues; i++)
        fds[i] = -1;
    /* Another creator may take the name first (-EEXIST): the next one. */
    r = -EEXIST;
    for (int i = 0; i < CREATE_ATTEMPTS && r == -EEXIST; i++) {
        r = sv_netdev_names_next(&h->owned.names, prefix, link_exists, h->nl, name);
        if (r == 0)
            r = tap ? sv_tap_create(name, f & SV_NET_TAP_VNET_HDR, req->queues, fds)
                    : sv_nl_macv_create(h->nl, !notap, name,
                                        link.ifindex, macv_modes[req->mode], mac, req->mtu);
    }
    if (r == 0 && (r = sv_nl_link_get(h->nl, name, &dev)) == 0 &&
        (r = sv_owned_add(&h->owned, name, dev.ifindex, kind)) == 0) {
        r = tap ? sv_nl_link_change(h->nl, dev.ifindex, link.ifindex ? 1 : -1, req->mtu, mac,
                                    link.ifindex)
                : sv_nl_link_change(h->nl, dev.ifindex, 1, 0, NULL, 0);
        if (r == 0 && kind == SV_NET_KIND_MACVTAP)
            r = sv_macvtap_open(name, dev.ifindex, f & SV_NET_MACV_VNET_HDR, req->queues, fds);
        if (r < 0 && !tap)
            sv_nl_link_delete(h->nl, dev.ifindex);
        if (r < 0)
            sv_owned_remove(&h->owned, name);
    }
    save_state(h);
    if (r < 0) {
        /* A tap is not persistent: closing its fds removes it. */
        sv_helper_close_fds(fds, req->queues);
        sv_helper_log("%s: %s", what, strerror(-r));
        return r;
    }
    memcpy(rep->name, name, sizeof(rep->name));
    rep->ifindex = (uint32_t)dev.ifindex;
    rep->nfds = req->queues;
    *nfds = req->queues;
    return 0;
}

static int handle_tap_create(void *ctx, const void *req, int *fds, size_t nfds, void *rep,
                             int *rep_fds, size_t *rep_nfds)
{
    return create(ctx, req, true, rep, rep_fds, rep_nfds);
}

static int handle_macvtap_create(void *ctx, const void *req, int *fds, size_t nfds, void *rep,
                                 int *rep_fds, size_t *rep_nfds)
{
    return create(ctx, req, false, rep, rep_fds, rep_nfds);
}

static int handle_link_set(void *ctx, const void *reqp, int *fds, size_t nfds,
                           void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_link_set_req *req = reqp;
    uint32_t f = req->flags;
    sv_link_info link, br = { 0 };
    int r;

    if (f == 0 || (f & ~(SV_NET_SET_UP | SV_NET_SET_DOWN | SV_NET_SET_MTU | SV_NET_SET_MAC |
                         SV_NET_SET_BRIDGE | SV_NET_SET_DELETE)) ||
        ((f & SV_NET_SET_DELETE) && f != SV_NET_SET_DELETE) ||
        ((f & SV_NET_SET_DOWN) && (f & (SV_NET_SET_UP | SV_NET_SET_BRIDGE))) ||
        ((f & SV_NET_SET_MTU) ? req->mtu < 68 || req->mtu > 65535 : req->mtu != 0) ||
        ((f & SV_NET_SET_MAC) ? !mac_ok(req->mac, false) : !sv_helper_zero(req->mac, 6)) ||
        (!(f & SV_NET_SET_BRIDGE) && !sv_helper_zero(req->bridge, IFNAMSIZ)) ||
        !sv_helper_zero(req->reserved, sizeof(req->reserved)))
        return refuse(-EINVAL, "LINK_SET", "-", "bad field");
    if ((r = owned_link(h, "LINK_SET", req->name, &link)) < 0 ||
        ((f & SV_NET_SET_BRIDGE) && (r = allowed_bridge(h, "LINK_SET", req->bridge, &br)) < 0))
        return r;
    if (f & SV_NET_SET_DELETE) {
        r = sv_nl_link_delete(h->nl, link.ifindex);
        if (r == 0 || r == -ENODEV) {
            sv_owned_remove(&h->owned, req->name);
            save_state(h);
        }
        return r;
    }
    return sv_nl_link_change(h->nl, link.ifindex,
                             (f & (SV_NET_SET_UP | SV_NET_SET_BRIDGE)) ? 1
                             : (f & SV_NET_SET_DOWN)                   ? 0 : -1,
                             req->mtu, (f & SV_NET_SET_MAC) ? req->mac : NULL, br.ifindex);
}

static int handle_list_owned(void *ctx, const void *reqp, int *fds, size_t nfds,
                             void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_helper_list_req *req = reqp;
    sv_net_list_rep *rep = repp;
    int r;

    if (req->reserved)
        return refuse(-EINVAL, "LIST_OWNED", "-", "bad field");
    r = reconcile(h, false);
    if (r < 0)
        return r;
    rep->total = (uint32_t)h->owned.n;
    for (size_t i = req->start; i < h->owned.n && rep->count < SV_NET_LIST_MAX; i++) {
        sv_net_owned *o = &rep->entries[rep->count++];

        memcpy(o->name, h->owned.entries[i].name, sizeof(o->name));
        o->ifindex = (uint32_t)h->owned.entries[i].ifindex;
        o->kind = (uint32_t)h->owned.entries[i].kind;
    }
    return 0;
}

static const sv_helper_dispatch dispatch_front[] = {
    { SV_NET_TAP_CREATE, handle_tap_create },
    { SV_NET_MACVTAP_CREATE, handle_macvtap_create },
    { SV_NET_LINK_SET, handle_link_set },
    { SV_NET_LIST_OWNED, handle_list_owned },
};

int main(int argc, char **argv)
{
    static nethelper h;
    char err[256], *end = NULL;
    unsigned bad = 0;
    long sock = -1;
    int r;

    /* Exactly the launcher's command line. */
    if (argc == 7 && !strcmp(argv[1], "--fd") && !strcmp(argv[3], "--config") &&
        !strcmp(argv[5], "--state"))
        sock = strtol(argv[2], &end, 10);
    if (sock < 3 || sock > 65535 || *end) {
        fprintf(stderr, "usage: sepvirt-nethelper --fd N --config FILE --state FILE\n");
        return 2;
    }
    /* sepvirtd confines us before exec (capabilities, seccomp profile
     * sandbox/policy_nethelper.c): never serve without that. */
    if (prctl(PR_GET_SECCOMP) != 2) {
        sv_helper_log("not confined: sepvirtd starts this program");
        return 2;
    }
    /* Only stdio and the socket: anything else left open by whoever
     * started us is not ours to hold. */
    if ((sock > 3 && close_range(3, (unsigned)sock - 1, 0) < 0) ||
        close_range((unsigned)sock + 1, ~0U, 0) < 0) {
        sv_helper_log("close_range: %s", strerror(errno));
        return 2;
    }
    if ((r = sv_netconf_load(argv[4], &h.conf, err, sizeof(err))) < 0) {
        sv_helper_log("config: %s", err);
        return 2;
    }
    if ((r = sv_owned_load(&h.owned, argv[6], h.conf.max_devices, &bad)) < 0 ||
        (r = sv_nl_open(&h.nl)) < 0 || (r = reconcile(&h, true)) < 0) {
        sv_helper_log("init: %s", strerror(-r));
        return 2;
    }
    if (bad)
        sv_helper_log("%s: dropped %u malformed lines", argv[6], bad);
    return sv_helper_serve((int)sock, sv_helper_net_proto(), dispatch_front,
                           sizeof(dispatch_front) / sizeof(dispatch_front[0]), &h);
}
