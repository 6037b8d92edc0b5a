/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Counter-based device names (DESIGN invariant 4, libvirt's
 * virNetDevGenerateName behaviour): one counter per prefix, never the
 * lowest free number, so a just-freed name (whose OVS port, nft chain or tc
 * qdisc may still be being torn down) is not handed to the next guest.
 */
#pragma once

#include <stdbool.h>

typedef enum sv_netdev_prefix {
    SV_NETDEV_VNET,
    SV_NETDEV_MACVTAP,
    SV_NETDEV_MACVLAN,
    SV_NETDEV_PREFIX_COUNT,
} sv_netdev_prefix;

#define SV_NETDEV_NAME_MAX 16 /* IFNAMSIZ */
/* How many existing names one generation skips before giving up. */
#define SV_NETDEV_MAX_SKIP 10000

typedef struct sv_netdev_names {
    /* Last id handed out per prefix; -1 before the first. */
    long long last[SV_NETDEV_PREFIX_COUNT];
} sv_netdev_names;

/* true if name exists right now (a device in the helper's netns). */
typedef bool (*sv_netdev_exists_fn)(const char *name, void *opaque);

void sv_netdev_names_init(sv_netdev_names *n);

/* "vnet", "macvtap", "macvlan" */
extern const char *const sv_netdev_prefixes[SV_NETDEV_PREFIX_COUNT];

/* Ids run from 0 to this minus one: min(INT_MAX, 10^(15 - strlen(prefix))),
 * so a name never exceeds 15 characters and the id fits an int. */
long long sv_netdev_id_limit(sv_netdev_prefix p);

/* If name is <prefix><decimal id> for one of ours (no sign, no leading
 * zero, id below the limit), store the prefix and id and return true. */
bool sv_netdev_name_parse(const char *name, sv_netdev_prefix *ret_prefix, long long *ret_id);

/* Make sure the counter of name's prefix is at least its id, so the next
 * name is past it.  Names not of ours are ignored. */
void sv_netdev_names_reserve(sv_netdev_names *n, const char *name);

/* Set a counter directly (persisted state); ids outside [-1, limit) are
 * ignored.  */
void sv_netdev_names_set_last(sv_netdev_names *n, sv_netdev_prefix p, long long last);

/*
 * Advance the counter of p (wrapping to 0 after limit-1) and write the
 * first name that exists() says is free into ret_name.  Return 0, or
 * -ENOSPC after SV_NETDEV_MAX_SKIP existing names in a row.
 */
int sv_netdev_names_next(sv_netdev_names *n, sv_netdev_prefix p, sv_netdev_exists_fn exists,
                         void *opaque, char ret_name[SV_NETDEV_NAME_MAX]);
