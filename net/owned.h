/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The net helper's state: the ownership table (devices it created, by name
 * and ifindex, so a device of the same name made by someone else later is
 * not ours) and the name counters.  Saved atomically (temp file, fsync,
 * rename, fsync of the directory) after every change, so a restarted
 * helper still owns what it created and never hands out a freed name
 * again before its counter wraps.
 *
 * File format (written and read only by the helper):
 *     sepvirt-nethelper-state 1
 *     last <prefix> <id>
 *     dev <name> <ifindex> <kind>
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "netdev_name.h"

typedef struct sv_owned_entry {
    char name[SV_NETDEV_NAME_MAX];
    int ifindex;
    int kind; /* SV_NET_KIND_* of helper_net.h */
} sv_owned_entry;

typedef struct sv_owned {
    char *path;
    sv_owned_entry *entries;
    size_t n;
    size_t max;
    sv_netdev_names names;
} sv_owned;

/*
 * Load the table from path (a missing file is an empty table).  Lines that
 * do not parse are reported through *ret_bad (count) and dropped rather
 * than stopping the helper: losing a line at worst leaks a device, while
 * refusing to start would stop all networking.
 */
int sv_owned_load(sv_owned *t, const char *path, size_t max, unsigned *ret_bad);
void sv_owned_free(sv_owned *t);
int sv_owned_save(const sv_owned *t);

sv_owned_entry *sv_owned_find(sv_owned *t, const char *name);
/* -ENOSPC when the table holds max entries. */
int sv_owned_add(sv_owned *t, const char *name, int ifindex, int kind);
void sv_owned_remove(sv_owned *t, const char *name);
