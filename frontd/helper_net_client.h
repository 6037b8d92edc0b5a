/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frontd's side of the net helper: typed calls over the helper protocol
 * (ipc/helper_net.h).  Every call returns 0 or -errno; on failure the
 * thread's sv_error is also set with a message naming the operation.
 * Calls on one client are serialised (one request in flight per socket),
 * so any frontd thread may use it.
 */
#pragma once

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "helper_net.h"

typedef struct sv_net_client sv_net_client;

/* Takes ownership of sock (a SOCK_SEQPACKET end connected to the helper)
 * and checks the helper's name and version with PING: NULL (sock closed,
 * sv_error set) on mismatch. */
sv_net_client *sv_net_client_new(int sock);
void sv_net_client_free(sv_net_client *c);
/* After the launcher restarted the helper: use this socket instead (taken
 * over), checked like in sv_net_client_new. */
int sv_net_client_reconnect(sv_net_client *c, int sock);

typedef struct sv_net_tap_opts {
    uint32_t flags;                 /* SV_NET_TAP_* */
    uint32_t queues;                /* 0 means 1 */
    uint32_t mtu;                   /* 0: default */
    const uint8_t *mac;             /* NULL: kernel's */
    const char *bridge;             /* NULL: not attached */
} sv_net_tap_opts;

/* On success ret_name holds the tap's name and ret_fds[0..*ret_nfds) its
 * queue fds (the caller owns them; ret_fds has room for
 * SV_NET_MAX_QUEUES). */
int sv_net_tap_create(sv_net_client *c, const sv_net_tap_opts *opts,
                      char ret_name[IFNAMSIZ], int *ret_fds, size_t *ret_nfds);

typedef struct sv_net_macvtap_opts {
    const char *parent;
    uint32_t mode;                  /* SV_NET_MACV_BRIDGE.. */
    uint32_t flags;                 /* SV_NET_MACV_* */
    uint32_t queues;                /* 0 means 1 (ignored with NOTAP) */
    uint32_t mtu;
    const uint8_t *mac;
} sv_net_macvtap_opts;

int sv_net_macvtap_create(sv_net_client *c, const sv_net_macvtap_opts *opts,
                          char ret_name[IFNAMSIZ], int *ret_fds, size_t *ret_nfds);

int sv_net_link_delete(sv_net_client *c, const char *name);
/* flags SV_NET_SET_*; mtu/mac are used only with their flag. */
int sv_net_link_set(sv_net_client *c, const char *name, uint32_t flags, uint32_t mtu,
                    const uint8_t *mac);
int sv_net_bridge_attach(sv_net_client *c, const char *name, const char *bridge);
/* All owned devices, malloc'ed array in *ret (caller frees). */
int sv_net_list_owned(sv_net_client *c, sv_net_owned **ret, size_t *ret_n);
