/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-nethelper: route netlink (libnl), tap creation through
 * /dev/net/tun, /dev/tapN nodes for macvtap, and its ownership table (a
 * file written by rename).  Run by hand it confines itself; under the
 * launcher it sees this filter (PR_GET_SECCOMP) and skips that.  Its
 * mount namespace leaves only its state directory and /dev writable (see
 * the launcher), so openat with write flags reaches nothing else.
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
    /* libcap-ng's load-time probes (it is linked for standalone runs):
     * a statfs of /proc and read-only prctl queries */
    SV_SC(fstatfs),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_CAPBSET_READ)),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_GET_SECUREBITS)),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_GET_NO_NEW_PRIVS)),
    SV_SC_ARGS(prctl, 2, SV_EQ(0, PR_CAP_AMBIENT), SV_EQ(1, PR_CAP_AMBIENT_IS_SET)),
    /* "already confined?": the helper then skips its own narrowing */
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_GET_SECCOMP)),
    SV_SC_END,
};

const sv_sc_profile sv_profile_nethelper = SV_PROFILE("nethelper", rules);
