/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The net helper's root-owned configuration: what it may touch beyond the
 * devices it created itself (DESIGN invariant 2).  Format, one per line:
 *
 *     # comment
 *     bridge = br0           bridge taps may be attached to
 *     bridge = virbr*        trailing '*': any name with that prefix
 *     macvtap_parent = eth1  parent a macvtap/macvlan may be created on
 *     max_devices = 1024     size of the ownership table (default 1024)
 *
 * '#' starts a comment anywhere on a line; at most 64 KiB.  An unknown
 * key, a bad value or a file anyone but its owner may write stops the
 * helper: a typo must not silently widen or narrow the policy.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SV_NETCONF_MAX_PATTERNS 64
#define SV_NETCONF_PATTERN_MAX 16 /* IFNAMSIZ */

/* The two lists: bridges (key "bridge"), macvtap parents ("macvtap_parent"). */
typedef enum sv_netconf_list { SV_NETCONF_BRIDGE, SV_NETCONF_PARENT } sv_netconf_list;

typedef struct sv_netconf {
    char pats[2][SV_NETCONF_MAX_PATTERNS][SV_NETCONF_PATTERN_MAX];
    size_t n[2];
    unsigned max_devices;
} sv_netconf;

/*
 * Load path into *ret.  The file must be a regular file owned by root when
 * running as root (system mode), else by the effective uid, and writable by
 * nobody else.  On failure returns -errno and writes a reason (with the
 * line number) to err.
 */
int sv_netconf_load(const char *path, sv_netconf *ret, char *err, size_t errlen);

/* true if name matches a pattern of list l. */
bool sv_netconf_allowed(const sv_netconf *c, sv_netconf_list l, const char *name);
