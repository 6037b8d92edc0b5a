/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-nethelper: the only process that changes network devices.
 *
 *     sepvirt-nethelper --fd N --config FILE --state FILE
 *
 * Runs as root with CAP_NET_ADMIN (and CAP_MKNOD, for the /dev/tapN node on
 * hosts without udev) under a seccomp allowlist.  It serves one peer,
 * frontd, over the SOCK_SEQPACKET socket N with the fixed-size messages of
 * ipc/helper_net.h: decode, check against the ownership table and the
 * root-owned config, act, reply.  A protocol violation ends the process
 * (exit 3); the launcher starts a new one, which reloads the state file.
 */
#include <errno.h>
#include <getopt.h>
#include <linux/if_link.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper_net.h"
#include "netconf.h"
#include "nl_link.h"
#include "owned.h"
#include "sv_caps.h"
#include "sv_seccomp.h"
#include "tap.h"

/* Creating with a fresh name retries this often when another creator takes
 * the name between our existence check and the create. */
#define CREATE_ATTEMPTS 8
#define N_DISPATCH (sizeof(dispatch_front) / sizeof(dispatch_front[0]))

typedef struct nethelper {
    sv_netconf conf;
    sv_owned owned;
    sv_nl *nl;
} nethelper;

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "sepvirt-nethelper: %s\n", line);
}

/* Refusals are logged with the request so an operator sees who tried what. */
static int refuse(int err, const char *what, const char *name, const char *why)
{
    logmsg("%s %s: refused: %s", what, name, why);
    return err;
}

static bool link_exists(const char *name, void *opaque)
{
    return sv_nl_link_exists(opaque, name);
}

static void save_state(nethelper *h)
{
    int r = sv_owned_save(&h->owned);

    if (r < 0)
        logmsg("saving %s: %s", h->owned.path, strerror(-r));
}

static bool mac_ok(const uint8_t mac[6], bool may_be_zero)
{
    if (sv_helper_zero(mac, 6))
        return may_be_zero;
    return !(mac[0] & 1); /* unicast */
}

typedef struct scan {
    nethelper *h;
    bool *seen;
    bool reserve;
} scan;

static void scan_link(const sv_link_info *l, void *opaque)
{
    scan *s = opaque;
    sv_owned_entry *e = sv_owned_find(&s->h->owned, l->name);

    if (s->reserve)
        sv_netdev_names_reserve(&s->h->owned.names, l->name);
    if (e && e->ifindex == l->ifindex)
        s->seen[e - s->h->owned.entries] = true;
}

/* Drop table entries whose device is gone (a tap whose last fd closed, a
 * device deleted behind our back, a name now held by another ifindex);
 * at start also move the counters past every device that exists. */
static int reconcile(nethelper *h, bool reserve)
{
    scan s = { .h = h, .reserve = reserve };
    size_t n = h->owned.n;
    int r;

    s.seen = calloc(n + 1, sizeof(bool));
    if (!s.seen)
        return -ENOMEM;
    r = sv_nl_link_foreach(h->nl, scan_link, &s);
    if (r == 0) {
        for (size_t i = n; i-- > 0;)
            if (!s.seen[i])
                sv_owned_remove(&h->owned, h->owned.entries[i].name);
        save_state(h);
    }
    free(s.seen);
    return r;
}

static int reserve_slot(nethelper *h)
{
    if (h->owned.n >= h->owned.max)
        reconcile(h, false);
    return h->owned.n >= h->owned.max ? -ENOSPC : 0;
}

/* An owned device by name, still the one we created (same ifindex). */
static int owned_link(nethelper *h, const char *what, const char name[IFNAMSIZ],
                      sv_link_info *ret)
{
    sv_owned_entry *e;
    int r;

    if (!sv_helper_str_ok(name, IFNAMSIZ, false))
        return refuse(-EINVAL, what, "?", "bad name");
    e = sv_owned_find(&h->owned, name);
    if (!e)
        return refuse(-EPERM, what, name, "not created by this helper");
    r = sv_nl_link_get(h->nl, name, ret);
    if (r == 0 && ret->ifindex != e->ifindex)
        r = -ENODEV;
    if (r == -ENODEV) {
        sv_owned_remove(&h->owned, name);
        save_state(h);
    }
    return r;
}

static int allowed_bridge(nethelper *h, const char *what, const char bridge[IFNAMSIZ],
                          sv_link_info *ret)
{
    if (!sv_helper_str_ok(bridge, IFNAMSIZ, false))
        return refuse(-EINVAL, what, "?", "bad bridge name");
    if (!sv_netconf_bridge_allowed(&h->conf, bridge))
        return refuse(-EPERM, what, bridge, "bridge not allowed by config");
    if (sv_nl_link_get(h->nl, bridge, ret) < 0 || strcmp(ret->kind, "bridge") != 0)
        return refuse(-ENODEV, what, bridge, "no such bridge");
    return 0;
}

typedef int (*create_fn)(nethelper *h, const char *name, const void *arg, int *fds);

/* Take the next name of prefix p and create with it; if another creator
 * got the name first (-EEXIST), take the next one. */
static int create_named(nethelper *h, sv_netdev_prefix p, create_fn create,
                        const void *arg, int *fds, char name[SV_NETDEV_NAME_MAX])
{
    int r = -EEXIST;

    for (int i = 0; i < CREATE_ATTEMPTS && r == -EEXIST; i++) {
        r = sv_netdev_names_next(&h->owned.names, p, link_exists, h->nl, name);
        if (r == 0)
            r = create(h, name, arg, fds);
    }
    return r;
}

static int create_tap(nethelper *h, const char *name, const void *reqp, int *fds)
{
    const sv_net_tap_create_req *req = reqp;

    return sv_tap_create(name, req->flags & SV_NET_TAP_VNET_HDR, req->queues, fds);
}

static int handle_tap_create(void *ctx, const void *reqp, int *fds, size_t nfds,
                             void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_tap_create_req *req = reqp;
    sv_net_link_rep *rep = repp;
    bool bridged = req->bridge[0] != '\0';
    sv_link_info link, br = { 0 };
    char name[SV_NETDEV_NAME_MAX];
    int r;

    if ((req->flags & ~(SV_NET_TAP_VNET_HDR | SV_NET_TAP_MULTIQUEUE)) ||
        req->queues < 1 || req->queues > SV_NET_MAX_QUEUES ||
        (req->queues > 1 && !(req->flags & SV_NET_TAP_MULTIQUEUE)) ||
        !sv_helper_zero(req->reserved, sizeof(req->reserved)) || !mac_ok(req->mac, true) ||
        !sv_helper_str_ok(req->bridge, IFNAMSIZ, true))
        return refuse(-EINVAL, "TAP_CREATE", "-", "bad field");
    if (bridged && (r = allowed_bridge(h, "TAP_CREATE", req->bridge, &br)) < 0)
        return r;
    if ((r = reserve_slot(h)) < 0)
        return refuse(r, "TAP_CREATE", "-", "ownership table full");

    r = create_named(h, SV_NETDEV_VNET, create_tap, req, rep_fds, name);
    if (r == 0)
        r = sv_nl_link_get(h->nl, name, &link);
    if (r == 0)
        r = sv_owned_add(&h->owned, name, link.ifindex, SV_NET_KIND_TAP);
    if (r == 0) {
        r = sv_nl_link_change(h->nl, link.ifindex, bridged ? 1 : -1, req->mtu,
                              sv_helper_zero(req->mac, 6) ? NULL : req->mac, br.ifindex);
        if (r < 0)
            sv_owned_remove(&h->owned, name);
    }
    save_state(h);
    if (r < 0) {
        /* Not persistent: closing the fds removes the device. */
        for (unsigned i = 0; i < req->queues; i++)
            if (rep_fds[i] >= 0)
                close(rep_fds[i]);
        logmsg("TAP_CREATE: %s", strerror(-r));
        return r;
    }
    memcpy(rep->name, name, sizeof(rep->name));
    rep->ifindex = (uint32_t)link.ifindex;
    rep->nfds = req->queues;
    *rep_nfds = req->queues;
    return 0;
}

static const uint32_t macv_modes[] = {
    [SV_NET_MACV_BRIDGE] = MACVLAN_MODE_BRIDGE,
    [SV_NET_MACV_VEPA] = MACVLAN_MODE_VEPA,
    [SV_NET_MACV_PRIVATE] = MACVLAN_MODE_PRIVATE,
    [SV_NET_MACV_PASSTHRU] = MACVLAN_MODE_PASSTHRU,
};

typedef struct macv_args {
    const sv_net_macvtap_create_req *req;
    int parent_ifindex;
} macv_args;

static int create_macv(nethelper *h, const char *name, const void *argp, int *fds)
{
    const macv_args *a = argp;
    const sv_net_macvtap_create_req *req = a->req;
    bool notap = req->flags & SV_NET_MACV_NOTAP;

    return sv_nl_macv_create(h->nl, notap ? SV_MACV_MACVLAN : SV_MACV_MACVTAP, name,
                             a->parent_ifindex, macv_modes[req->mode],
                             sv_helper_zero(req->mac, 6) ? NULL : req->mac, req->mtu);
}

static int handle_macvtap_create(void *ctx, const void *reqp, int *fds, size_t nfds,
                                 void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_macvtap_create_req *req = reqp;
    sv_net_link_rep *rep = repp;
    bool notap = req->flags & SV_NET_MACV_NOTAP;
    sv_link_info parent, link;
    char name[SV_NETDEV_NAME_MAX];
    int r;

    if (req->mode < SV_NET_MACV_BRIDGE || req->mode > SV_NET_MACV_PASSTHRU ||
        (req->flags & ~(SV_NET_MACV_VNET_HDR | SV_NET_MACV_NOTAP)) ||
        (notap ? (req->queues != 0 || (req->flags & SV_NET_MACV_VNET_HDR))
               : (req->queues < 1 || req->queues > SV_NET_MAX_QUEUES)) ||
        !sv_helper_zero(req->reserved, sizeof(req->reserved)) || !mac_ok(req->mac, true) ||
        !sv_helper_str_ok(req->parent, IFNAMSIZ, false))
        return refuse(-EINVAL, "MACVTAP_CREATE", "-", "bad field");
    if (!sv_netconf_parent_allowed(&h->conf, req->parent))
        return refuse(-EPERM, "MACVTAP_CREATE", req->parent, "parent not allowed by config");
    if (sv_nl_link_get(h->nl, req->parent, &parent) < 0)
        return refuse(-ENODEV, "MACVTAP_CREATE", req->parent, "no such parent");
    if ((r = reserve_slot(h)) < 0)
        return refuse(r, "MACVTAP_CREATE", "-", "ownership table full");

    r = create_named(h, notap ? SV_NETDEV_MACVLAN : SV_NETDEV_MACVTAP, create_macv,
                     &(macv_args){ req, parent.ifindex }, rep_fds, name);
    if (r == 0 && (r = sv_nl_link_get(h->nl, name, &link)) == 0 &&
        (r = sv_owned_add(&h->owned, name, link.ifindex,
                          notap ? SV_NET_KIND_MACVLAN : SV_NET_KIND_MACVTAP)) == 0) {
        r = sv_nl_link_change(h->nl, link.ifindex, 1, 0, NULL, 0);
        if (r == 0 && !notap)
            r = sv_macvtap_open(name, link.ifindex, req->flags & SV_NET_MACV_VNET_HDR,
                                req->queues, rep_fds);
        if (r < 0) {
            sv_nl_link_delete(h->nl, link.ifindex);
            sv_owned_remove(&h->owned, name);
        }
    }
    save_state(h);
    if (r < 0) {
        logmsg("MACVTAP_CREATE: %s", strerror(-r));
        return r;
    }
    memcpy(rep->name, name, sizeof(rep->name));
    rep->ifindex = (uint32_t)link.ifindex;
    rep->nfds = req->queues;
    *rep_nfds = req->queues;
    return 0;
}

static int handle_link_delete(void *ctx, const void *reqp, int *fds, size_t nfds,
                              void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_link_name_req *req = reqp;
    sv_link_info link;
    int r = owned_link(h, "LINK_DELETE", req->name, &link);

    if (r < 0)
        return r;
    r = sv_nl_link_delete(h->nl, link.ifindex);
    if (r == 0 || r == -ENODEV) {
        sv_owned_remove(&h->owned, req->name);
        save_state(h);
    }
    return r;
}

static int handle_link_set(void *ctx, const void *reqp, int *fds, size_t nfds,
                           void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_link_set_req *req = reqp;
    uint32_t f = req->flags;
    sv_link_info link;
    int r;

    if (f == 0 || (f & ~(SV_NET_SET_UP | SV_NET_SET_DOWN | SV_NET_SET_MTU | SV_NET_SET_MAC)) ||
        ((f & SV_NET_SET_UP) && (f & SV_NET_SET_DOWN)) ||
        ((f & SV_NET_SET_MTU) ? req->mtu < 68 || req->mtu > 65535 : req->mtu != 0) ||
        ((f & SV_NET_SET_MAC) ? !mac_ok(req->mac, false) : !sv_helper_zero(req->mac, 6)) ||
        !sv_helper_zero(req->reserved, sizeof(req->reserved)))
        return refuse(-EINVAL, "LINK_SET", "-", "bad field");
    r = owned_link(h, "LINK_SET", req->name, &link);
    if (r < 0)
        return r;
    return sv_nl_link_change(h->nl, link.ifindex,
                             (f & SV_NET_SET_UP) ? 1 : (f & SV_NET_SET_DOWN) ? 0 : -1,
                             req->mtu, (f & SV_NET_SET_MAC) ? req->mac : NULL, 0);
}

static int handle_bridge_attach(void *ctx, const void *reqp, int *fds, size_t nfds,
                                void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_bridge_attach_req *req = reqp;
    sv_link_info link, br;
    int r = owned_link(h, "BRIDGE_ATTACH", req->name, &link);

    if (r == 0)
        r = allowed_bridge(h, "BRIDGE_ATTACH", req->bridge, &br);
    if (r < 0)
        return r;
    return sv_nl_link_change(h->nl, link.ifindex, 1, 0, NULL, br.ifindex);
}

static int handle_list_owned(void *ctx, const void *reqp, int *fds, size_t nfds,
                             void *repp, int *rep_fds, size_t *rep_nfds)
{
    nethelper *h = ctx;
    const sv_net_list_req *req = reqp;
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
    { SV_NET_LINK_DELETE, handle_link_delete },
    { SV_NET_LINK_SET, handle_link_set },
    { SV_NET_BRIDGE_ATTACH, handle_bridge_attach },
    { SV_NET_LIST_OWNED, handle_list_owned },
};

/*
 * Run by hand (or by a test) confine ourselves the way sepvirtd would have
 * before exec: keep only CAP_NET_ADMIN and CAP_MKNOD (for /dev/tapN where
 * no devtmpfs/udev made it), then load the same allowlist,
 * sandbox/policy_nethelper.c.  Under sepvirtd both are already in place.
 */
static int nethelper_sandbox(void)
{
    static const int caps[] = { CAP_NET_ADMIN, CAP_MKNOD };
    int r;

    if (prctl(PR_GET_SECCOMP) == 2)
        return 0;
    if (geteuid() == 0 && (r = sv_caps_keep(caps, 2, SV_CAPS_KEEP_IDS, SV_CAPS_KEEP_IDS)) < 0)
        return r;
    return sv_seccomp_load(&sv_profile_nethelper, NULL);
}

static int parse_args(int argc, char **argv, int *ret_fd, const char **ret_conf,
                      const char **ret_state)
{
    static const struct option opts[] = {
        { "fd", required_argument, NULL, 'f' },
        { "config", required_argument, NULL, 'c' },
        { "state", required_argument, NULL, 's' },
        { 0 },
    };
    char *end;
    long fd = -1;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            fd = strtol(optarg, &end, 10);
            if (*end || end == optarg || fd < 3 || fd > 65535)
                return -EINVAL;
            break;
        case 'c': *ret_conf = optarg; break;
        case 's': *ret_state = optarg; break;
        default: return -EINVAL;
        }
    }
    if (optind != argc || fd < 0 || !*ret_conf || !*ret_state)
        return -EINVAL;
    *ret_fd = (int)fd;
    return 0;
}

int main(int argc, char **argv)
{
    static nethelper h;
    const sv_helper_proto *proto = sv_helper_net_proto();
    const char *conf = NULL, *state = NULL;
    char err[256];
    unsigned bad = 0;
    uint16_t type = 0;
    int sock, r;

    if (parse_args(argc, argv, &sock, &conf, &state) < 0) {
        fprintf(stderr, "usage: sepvirt-nethelper --fd N --config FILE --state FILE\n");
        return 2;
    }
    /* Only stdio and the socket: anything else left open by whoever
     * started us is not ours to hold. */
    if ((sock > 3 && close_range(3, (unsigned)sock - 1, 0) < 0) ||
        close_range((unsigned)sock + 1, ~0U, 0) < 0) {
        logmsg("close_range: %s", strerror(errno));
        return 2;
    }
    if (sv_helper_dispatch_check(proto, dispatch_front, N_DISPATCH) < 0) {
        logmsg("dispatch table does not match the protocol table");
        return 2;
    }
    if ((r = sv_netconf_load(conf, &h.conf, err, sizeof(err))) < 0) {
        logmsg("config: %s", err);
        return 2;
    }
    if ((r = sv_owned_load(&h.owned, state, h.conf.max_devices, &bad)) < 0 ||
        (r = sv_nl_open(&h.nl)) < 0 || (r = reconcile(&h, true)) < 0) {
        logmsg("init: %s", strerror(-r));
        return 2;
    }
    if (bad)
        logmsg("%s: dropped %u malformed lines", state, bad);
    if ((r = nethelper_sandbox()) < 0) {
        logmsg("sandbox: %s", strerror(-r));
        return 2;
    }

    while ((r = sv_helper_serve_one(sock, proto, dispatch_front,
                                    N_DISPATCH, &h, &type)) == 0)
        ;
    if (r == -ECONNRESET)
        return 0;
    logmsg("protocol violation or transport error (last type %u): %s; exiting",
           type, strerror(-r));
    return 3;
}
