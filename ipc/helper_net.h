/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Messages of the net helper (sepvirt-nethelper).  The whole privileged
 * network surface is this one screen: every request is a fixed-size struct,
 * names are fixed char arrays (IFNAMSIZ), reserved fields and padding must
 * be zero, and create requests carry no name at all: the helper picks the
 * name from its own counters (DESIGN invariant 4).
 *
 * Bump SV_HELPER_NET_VERSION whenever a type, a struct or a meaning changes.
 */
#pragma once

#include <net/if.h>
#include <stdint.h>

#include "helper_proto.h"

#define SV_HELPER_NET_VERSION 5

enum sv_net_type {
    SV_NET_PING = SV_HELPER_PING,
    SV_NET_TAP_CREATE = 2,
    SV_NET_MACVTAP_CREATE = 3,
    SV_NET_LINK_SET = 4,
    SV_NET_LIST_OWNED = 5,
};

#define SV_NET_MAX_QUEUES 8
#define SV_NET_LIST_MAX 32

/*
 * TAP_CREATE → vnetN and one tap fd per queue.  The device is not
 * persistent: it goes away when the last queue fd is closed.  With a
 * bridge (link) it is attached and brought up.
 * MACVTAP_CREATE → macvtapN on the parent link and one fd of /dev/tapN per
 * queue; with SV_NET_MACV_NOTAP a macvlanN and no fd.
 * Both take sv_net_create_req and answer sv_net_link_rep.
 */
enum {
    SV_NET_TAP_VNET_HDR = 1u << 0,
    SV_NET_TAP_MULTIQUEUE = 1u << 1,
};
enum {
    SV_NET_MACV_BRIDGE = 1,
    SV_NET_MACV_VEPA = 2,
    SV_NET_MACV_PRIVATE = 3,
    SV_NET_MACV_PASSTHRU = 4,
};
enum {
    SV_NET_MACV_VNET_HDR = 1u << 0,
    SV_NET_MACV_NOTAP = 1u << 1,
};
typedef struct sv_net_create_req {
    uint32_t mode;           /* macvtap: SV_NET_MACV_BRIDGE..; tap: 0 */
    uint32_t flags;          /* SV_NET_TAP_* or SV_NET_MACV_* */
    uint32_t queues;         /* 1..SV_NET_MAX_QUEUES (tap: > 1 with MULTIQUEUE
                                only; macvlan: 0) */
    uint32_t mtu;            /* 0: the default (macvtap: the parent's) */
    uint8_t mac[6];          /* all zero: kernel's random MAC */
    uint8_t reserved[2];
    char link[IFNAMSIZ];     /* tap: "" or a bridge the config allows;
                                macvtap: a parent the config allows */
} sv_net_create_req;

typedef struct sv_net_link_rep {
    char name[IFNAMSIZ];
    uint32_t ifindex;
    uint32_t nfds;           /* fds passed with this reply */
} sv_net_link_rep;

/* LINK_SET: on an owned device (in the ownership table, same name and
 * ifindex as when it was created), apply the fields whose flag is set; the
 * others are zero.  BRIDGE attaches it to a bridge the config allows and
 * brings it up; DELETE (alone) deletes it. */
enum {
    SV_NET_SET_UP = 1u << 0,
    SV_NET_SET_DOWN = 1u << 1,
    SV_NET_SET_MTU = 1u << 2,
    SV_NET_SET_MAC = 1u << 3,
    SV_NET_SET_BRIDGE = 1u << 4,
    SV_NET_SET_DELETE = 1u << 5,
};
typedef struct sv_net_link_set_req {
    char name[IFNAMSIZ];
    uint32_t flags;          /* SV_NET_SET_*; DOWN excludes UP and BRIDGE */
    uint32_t mtu;            /* 68..65535 */
    uint8_t mac[6];          /* unicast */
    uint8_t reserved[2];
    char bridge[IFNAMSIZ];
} sv_net_link_set_req;

/* LIST_OWNED (sv_helper_list_req): page through the ownership table (after
 * dropping entries whose device is gone), so frontd can reconcile and
 * delete orphans. */
enum {
    SV_NET_KIND_TAP = 1,
    SV_NET_KIND_MACVTAP = 2,
    SV_NET_KIND_MACVLAN = 3,
};
typedef struct sv_net_owned {
    char name[IFNAMSIZ];
    uint32_t ifindex;
    uint32_t kind;           /* SV_NET_KIND_* */
} sv_net_owned;

typedef struct sv_net_list_rep {
    uint32_t total;          /* entries in the table */
    uint32_t count;          /* entries in this page */
    sv_net_owned entries[SV_NET_LIST_MAX];
} sv_net_list_rep;

/* No implicit padding anywhere: every byte on the wire is a named field. */
_Static_assert(sizeof(sv_net_create_req) == 40, "create layout");
_Static_assert(sizeof(sv_net_link_rep) == 24, "link_rep layout");
_Static_assert(sizeof(sv_net_link_set_req) == 48, "link_set layout");
_Static_assert(sizeof(sv_net_list_rep) == 8 + 24 * SV_NET_LIST_MAX, "list_rep layout");

/* The table both ends check every message against.  A function rather than
 * a global so the header stays the single source without a .c file. */
static inline const sv_helper_proto *sv_helper_net_proto(void)
{
    static const sv_helper_msg msgs[] = {
        SV_HELPER_MSG_PING,
        { SV_NET_TAP_CREATE, "TAP_CREATE", sizeof(sv_net_create_req), 0,
          sizeof(sv_net_link_rep), SV_NET_MAX_QUEUES },
        { SV_NET_MACVTAP_CREATE, "MACVTAP_CREATE", sizeof(sv_net_create_req), 0,
          sizeof(sv_net_link_rep), SV_NET_MAX_QUEUES },
        { SV_NET_LINK_SET, "LINK_SET", sizeof(sv_net_link_set_req), 0,
          sizeof(sv_helper_empty_rep), 0 },
        { SV_NET_LIST_OWNED, "LIST_OWNED", sizeof(sv_helper_list_req), 0,
          sizeof(sv_net_list_rep), 0 },
    };
    static const sv_helper_proto proto = {
        "net", SV_HELPER_NET_VERSION, msgs, sizeof(msgs) / sizeof(msgs[0]),
    };
    return &proto;
}
