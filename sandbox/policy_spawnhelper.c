/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-spawnhelper: reads frontd's requests, forwards START and LIST to
 * the launcher, signals its children through the pidfds the launcher lists.
 * It cannot fork, exec (beyond its own start), open for writing, create
 * sockets, or name a process by pid: pidfd_send_signal is its only way to
 * signal, and pidfd_open is not allowed, so only processes the launcher
 * started for it can be signalled.
 */
#include "sv_policy.h"

static const sv_sc_rule rules[] = {
    SV_SC(recvmsg), SV_SC(sendmsg),
    SV_SC_ARGS(pidfd_send_signal, 1, SV_EQ(3, 0)),
    SV_SC_END,
};

const sv_sc_profile sv_profile_spawnhelper = SV_PROFILE("spawnhelper", rules);
