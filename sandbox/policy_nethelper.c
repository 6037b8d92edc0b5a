/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-nethelper: route netlink (libnl), tap creation through
 * /dev/net/tun, /dev/tapN nodes for macvtap, and its ownership table (a
 * file written by rename).  It checks (PR_GET_SECCOMP) that it runs under
 * this filter.  Its mount namespace leaves only its state directory and
 * /dev writable (see the launcher), so openat with write flags reaches
 * nothing else.
 */
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "sv_policy.h"

static const sv_sc_rule rules[] = {
    SV_SC_ARGS(socket, 2, SV_EQ(0, AF_NETLINK), SV_EQ(2, NETLINK_ROUTE)),
    SV_SC(bind), SV_SC(getsockname), SV_SC(setsockopt), SV_SC(sendto), SV_SC(sendmsg),
    SV_SC(recvfrom), SV_SC(recvmsg),
    SV_IOCTL(TUNSETIFF),
    SV_SC(openat), SV_SC(lseek), SV_SC(fstat), SV_SC(fsync), SV_SC(rename), SV_SC(unlink),
    SV_SC(mknodat), SV_SC(mremap), SV_SC(madvise), SV_SC(getpid), SV_SC(geteuid),
    SV_SC(close_range),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_GET_SECCOMP)),
    SV_SC_END,
};

const sv_sc_profile sv_profile_nethelper = SV_PROFILE("nethelper", rules);
