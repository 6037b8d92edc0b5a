/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Link operations over rtnetlink (libnl-route), for the net helper only.
 * Everything is addressed by ifindex once looked up, so a rename or a
 * delete-and-recreate between lookup and action cannot redirect it to
 * another device.  All functions return 0 or -errno.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "netdev_name.h"

/* The route netlink socket (libnl's, opaque here). */
typedef struct nl_sock sv_nl;

typedef struct sv_link_info {
    char name[SV_NETDEV_NAME_MAX];
    int ifindex;
    char kind[16];  /* IFLA_INFO_KIND ("tun", "bridge", "macvtap"...) or "" */
} sv_link_info;

int sv_nl_open(sv_nl **ret);

/* -ENODEV when there is no such device. */
int sv_nl_link_get(sv_nl *nl, const char *name, sv_link_info *ret);

/* Move the counters of names past every device of the helper's network
 * namespace (at start: DESIGN invariant 4). */
int sv_nl_reserve_names(sv_nl *nl, sv_netdev_names *names);

/* Create a macvtap (else a macvlan) named name on parent (mode:
 * MACVLAN_MODE_*), failing with -EEXIST if the name is taken.  mac may be
 * NULL, mtu 0. */
int sv_nl_macv_create(sv_nl *nl, bool macvtap, const char *name, int parent_ifindex,
                      uint32_t mode, const uint8_t *mac, uint32_t mtu);

int sv_nl_link_delete(sv_nl *nl, int ifindex);

/* Change what is asked: up < 0 leaves the state, mtu 0 the MTU, mac NULL
 * the address; master > 0 enslaves to that bridge. */
int sv_nl_link_change(sv_nl *nl, int ifindex, int up, uint32_t mtu, const uint8_t *mac, int master);
