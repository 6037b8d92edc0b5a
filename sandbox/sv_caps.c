/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capability dropping with libcap-ng: see sv_caps.h. */
#include "sv_caps.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <stdbool.h>
#include <unistd.h>

int sv_caps_keep(const int *caps, size_t n, uid_t uid, gid_t gid)
{
    bool change = uid != SV_CAPS_KEEP_IDS;
    int sets = CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET;
    int setpcap, r;

    if (capng_get_caps_process() < 0)
        return -EPERM;
    setpcap = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
    if (change)
        sets |= CAPNG_INHERITABLE | CAPNG_AMBIENT;
    /* Supplementary groups go first, while CAP_SETGID is still ours. */
    if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SETGID) && setgroups(0, NULL) < 0)
        return -errno;
    capng_clear(CAPNG_SELECT_ALL);
    for (size_t i = 0; i < n; i++)
        if (capng_update(CAPNG_ADD, sets, (unsigned)caps[i]) < 0)
            return -EINVAL;
    /* The bounding set while CAP_SETPCAP is still effective. */
    if (setpcap && capng_apply(CAPNG_SELECT_BOUNDS) < 0)
        return -EPERM;
    if (change)
        r = capng_change_id((int)uid, (int)gid, CAPNG_DROP_SUPP_GRP);
    else
        r = capng_apply(CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT);
    return r < 0 ? -EPERM : 0;
}
