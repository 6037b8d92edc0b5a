/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capabilities (libcap-ng): keep exactly a listed set, drop the rest. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#define SV_CAPS_KEEP_IDS ((uid_t)-1)

/*
 * Keep exactly caps[0..n) in the effective, permitted and bounding sets and
 * drop every other capability; drop supplementary groups.  If uid is not
 * SV_CAPS_KEEP_IDS, switch to uid/gid (all of real, effective, saved) and
 * make the kept capabilities ambient too, so they survive the exec of a
 * non-root program.  Without CAP_SETPCAP (session mode) the bounding set is
 * left alone and only the process sets are cleared.  Return 0 or -errno.
 */
int sv_caps_keep(const int *caps, size_t n, uid_t uid, gid_t gid);
