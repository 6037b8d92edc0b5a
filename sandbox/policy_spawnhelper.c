/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-spawnhelper: reads frontd's requests, checks them and forwards
 * them to the launcher.  It cannot fork, exec (beyond its own start), open
 * for writing, create sockets or signal: the launcher signals the
 * processes it started, through their pidfds.
 */
#include "sv_policy.h"

static const sv_sc_rule rules[] = {
    SV_SC(recvmsg), SV_SC(sendmsg),
    SV_SC_END,
};

const sv_sc_profile sv_profile_spawnhelper = SV_PROFILE("spawnhelper", rules);
