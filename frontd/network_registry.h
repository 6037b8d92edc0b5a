/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The network registry: every defined or active virtual network.  See
 * registry.h for the locking rules.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "network_conf.h"
#include "registry.h"

/* virConnectListAllNetworksFlags */
enum {
    SV_LIST_NETWORKS_INACTIVE = 1 << 0,
    SV_LIST_NETWORKS_ACTIVE = 1 << 1,
    SV_LIST_NETWORKS_PERSISTENT = 1 << 2,
    SV_LIST_NETWORKS_TRANSIENT = 1 << 3,
    SV_LIST_NETWORKS_AUTOSTART = 1 << 4,
    SV_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
    SV_LIST_NETWORKS_ALL_FLAGS = (1 << 6) - 1,
};

/* virNetworkEventLifecycleType (detail is always 0) */
enum {
    SV_NETWORK_EVENT_DEFINED = 0,
    SV_NETWORK_EVENT_UNDEFINED = 1,
    SV_NETWORK_EVENT_STARTED = 2,
    SV_NETWORK_EVENT_STOPPED = 3,
};

typedef struct sv_network_obj {
    sv_obj obj;                 /* first: the generic object */
} sv_network_obj;

/* Open <config_dir>/networks and load the persistent networks. */
int sv_networks_init(const char *config_dir);
void sv_networks_shutdown(void);
const sv_obj_class *sv_network_class(void);

static inline sv_network_def *sv_network_obj_def(const sv_network_obj *n)
{
    return (sv_network_def *)n->obj.def;
}

/* Referenced and locked, or NULL (no error set). */
sv_network_obj *sv_network_find_name(const char *name);
sv_network_obj *sv_network_find_uuid(const unsigned char uuid[SV_UUID_LEN]);
void sv_network_obj_end(sv_network_obj *n);

/* Define *def (see sv_objlist_define).  Like libvirt, a network that owns
 * its bridge gets a bridge name now when it has none (or a "%d" template):
 * the lowest virbrN (or template) not used by another network or by an
 * existing host interface; an explicit name another network uses is
 * refused. */
int sv_network_define(sv_network_def **def, bool *ret_updated, sv_network_obj **ret);
/* Add *def (bridge named as for define) as the live config of a network
 * about to start (create from XML). */
int sv_network_add_live(sv_network_def **def, sv_network_obj **ret);
int sv_network_undefine(sv_network_obj *n);
int sv_network_set_autostart(sv_network_obj *n, bool autostart);

/* Networks matching virConnectListAllNetworks flags, referenced (unlocked),
 * sorted by name.  Unknown bits: INVALID_ARG. */
int sv_network_list(unsigned flags, sv_network_obj ***ret_objs, size_t *ret_n);
size_t sv_network_count(bool active);

/* n (locked) is now active, running a copy of its persistent config. */
int sv_network_mark_active(sv_network_obj *n);
/* n (locked) stopped; a transient network leaves the registry. */
void sv_network_mark_inactive(sv_network_obj *n);
