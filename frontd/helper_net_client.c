/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "helper_net_client.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "helper_client.h"
#include "sv_error.h"
#include "sv_util.h"

struct sv_net_client {
    sv_helper_client *conn;
};

static int fail(int r, const char *what, const char *name)
{
    sv_error_set_errno(SV_FROM_NETWORK, -r, "net helper: %s%s%s", what,
                       name ? " " : "", name ? name : "");
    return r;
}

/* One request/reply exchange; the reply fds land in fds (may be NULL). */
static int call(sv_net_client *c, uint16_t type, const void *req, size_t req_len,
                void *rep, size_t rep_len, int *fds, size_t *nfds)
{
    return sv_helper_client_call(c->conn, type, req, req_len, NULL, 0, rep, rep_len,
                                 fds, nfds);
}

static int copy_name(char dst[IFNAMSIZ], const char *src)
{
    memset(dst, 0, IFNAMSIZ);
    if (!src)
        return 0;
    if (strlen(src) >= IFNAMSIZ)
        return -EINVAL;
    memcpy(dst, src, strlen(src));
    return 0;
}

sv_net_client *sv_net_client_new(int sock)
{
    sv_net_client *c = sv_malloc0(sizeof(*c));
    int r = sv_helper_client_new(sv_helper_net_proto(), sock, &c->conn);

    if (r < 0) {
        fail(r, "version check", NULL);
        free(c);
        return NULL;
    }
    return c;
}

void sv_net_client_free(sv_net_client *c)
{
    if (!c)
        return;
    sv_helper_client_free(c->conn);
    free(c);
}

int sv_net_client_reconnect(sv_net_client *c, int sock)
{
    int r = sv_helper_client_reconnect(c->conn, sock);

    return r < 0 ? fail(r, "version check", NULL) : 0;
}

/* The two create calls: the reply must carry exactly the fds it announces. */
static int create(sv_net_client *c, uint16_t type, const void *req, size_t req_len,
                  uint32_t want_fds, const char *what, char ret_name[IFNAMSIZ],
                  int *ret_fds, size_t *ret_nfds)
{
    sv_net_link_rep rep;
    size_t nfds = 0;
    int r = call(c, type, req, req_len, &rep, sizeof(rep), ret_fds, &nfds);

    if (r == 0 && (rep.nfds != nfds || nfds != want_fds ||
                   !sv_helper_str_ok(rep.name, IFNAMSIZ, false))) {
        for (size_t i = 0; i < nfds; i++)
            close(ret_fds[i]);
        r = -EPROTO;
    }
    if (r < 0)
        return fail(r, what, NULL);
    memcpy(ret_name, rep.name, IFNAMSIZ);
    *ret_nfds = nfds;
    return 0;
}

int sv_net_tap_create(sv_net_client *c, const sv_net_tap_opts *opts,
                      char ret_name[IFNAMSIZ], int *ret_fds, size_t *ret_nfds)
{
    sv_net_create_req req = {
        .flags = opts->flags,
        .queues = opts->queues ? opts->queues : 1,
        .mtu = opts->mtu,
    };

    if (opts->mac)
        memcpy(req.mac, opts->mac, sizeof(req.mac));
    if (copy_name(req.link, opts->bridge) < 0)
        return fail(-EINVAL, "create tap on bridge", opts->bridge);
    return create(c, SV_NET_TAP_CREATE, &req, sizeof(req), req.queues, "create tap",
                  ret_name, ret_fds, ret_nfds);
}

int sv_net_macvtap_create(sv_net_client *c, const sv_net_macvtap_opts *opts,
                          char ret_name[IFNAMSIZ], int *ret_fds, size_t *ret_nfds)
{
    bool notap = opts->flags & SV_NET_MACV_NOTAP;
    sv_net_create_req req = {
        .mode = opts->mode,
        .flags = opts->flags,
        .queues = notap ? 0 : opts->queues ? opts->queues : 1,
        .mtu = opts->mtu,
    };

    if (opts->mac)
        memcpy(req.mac, opts->mac, sizeof(req.mac));
    if (copy_name(req.link, opts->parent) < 0)
        return fail(-EINVAL, "create macvtap on", opts->parent);
    return create(c, SV_NET_MACVTAP_CREATE, &req, sizeof(req), req.queues, "create macvtap",
                  ret_name, ret_fds, ret_nfds);
}

/* LINK_SET; bridge is used with SV_NET_SET_BRIDGE. */
static int link_set(sv_net_client *c, const char *name, uint32_t flags, uint32_t mtu,
                    const uint8_t *mac, const char *bridge)
{
    sv_net_link_set_req req = { .flags = flags };
    sv_helper_empty_rep rep;
    int r = copy_name(req.name, name);

    if (flags & SV_NET_SET_MTU)
        req.mtu = mtu;
    if ((flags & SV_NET_SET_MAC) && mac)
        memcpy(req.mac, mac, sizeof(req.mac));
    if (r == 0 && (flags & SV_NET_SET_BRIDGE))
        r = copy_name(req.bridge, bridge);
    if (r == 0)
        r = call(c, SV_NET_LINK_SET, &req, sizeof(req), &rep, sizeof(rep), NULL, NULL);
    return r < 0 ? fail(r, (flags & SV_NET_SET_DELETE) ? "delete"
                           : (flags & SV_NET_SET_BRIDGE) ? "attach to bridge" : "set link", name)
                 : 0;
}

int sv_net_link_delete(sv_net_client *c, const char *name)
{
    return link_set(c, name, SV_NET_SET_DELETE, 0, NULL, NULL);
}

int sv_net_link_set(sv_net_client *c, const char *name, uint32_t flags, uint32_t mtu,
                    const uint8_t *mac)
{
    return link_set(c, name, flags, mtu, mac, NULL);
}

int sv_net_bridge_attach(sv_net_client *c, const char *name, const char *bridge)
{
    return link_set(c, name, SV_NET_SET_BRIDGE, 0, NULL, bridge);
}

int sv_net_list_owned(sv_net_client *c, sv_net_owned **ret, size_t *ret_n)
{
    sv_net_owned *all = NULL;
    size_t n = 0;
    int r = 0;

    for (;;) {
        sv_helper_list_req req = { .start = (uint32_t)n };
        sv_net_list_rep rep;

        r = call(c, SV_NET_LIST_OWNED, &req, sizeof(req), &rep, sizeof(rep), NULL, NULL);
        if (r == 0 && rep.count > SV_NET_LIST_MAX)
            r = -EPROTO;
        if (r < 0 || rep.count == 0)
            break;
        all = sv_realloc(all, (n + rep.count) * sizeof(*all));
        memcpy(all + n, rep.entries, rep.count * sizeof(*all));
        n += rep.count;
        if (n >= rep.total)
            break;
    }
    if (r < 0) {
        free(all);
        return fail(r, "list owned devices", NULL);
    }
    *ret = all;
    *ret_n = n;
    return 0;
}
