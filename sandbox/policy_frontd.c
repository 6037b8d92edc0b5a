/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-frontd: an epoll RPC server with worker threads, file I/O in its
 * own directories, unix/TCP sockets, pidfds of the VMs it watches, and no
 * fork or exec of anything (processes are started by the spawn helper).
 * It runs as user "sepvirt" with no capabilities, so the file and socket
 * calls below reach only what that user may reach; the checks here keep it
 * from creating processes, loading kernel objects, tracing, or opening
 * socket families it has no use for.
 */
#include <errno.h>
#include <linux/sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "sv_policy.h"

static const sv_sc_rule rules[] = {
    /* threads only: clone must share the thread group; clone3 cannot be
     * checked (its flags are in memory), so glibc is told it is absent
     * and falls back to clone */
    SV_SC_ARGS(clone, 1, SV_MASK(0, CLONE_THREAD, CLONE_THREAD)),
    SV_SC_ERRNO(clone3, ENOSYS),
    SV_SC(futex), SV_SC(madvise), SV_SC(mremap), SV_SC(sched_yield), SV_SC(sched_getaffinity),
    SV_SC(gettid), SV_SC(getpid), SV_SC(tgkill),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_SET_NAME)),
    SV_SC_ARGS(prctl, 1, SV_EQ(0, PR_GET_NAME)),
    /* signals, event loop, timers */
    SV_SC(rt_sigaction), SV_SC(rt_sigprocmask), SV_SC(sigaltstack), SV_SC(signalfd4),
    SV_SC(epoll_create1), SV_SC(epoll_ctl), SV_SC(epoll_wait), SV_SC(epoll_pwait), SV_SC(poll),
    SV_SC(ppoll), SV_SC(eventfd2), SV_SC(timerfd_create), SV_SC(timerfd_settime),
    SV_SC(timerfd_gettime), SV_SC(clock_gettime), SV_SC(clock_getres), SV_SC(gettimeofday),
    SV_SC(nanosleep), SV_SC(clock_nanosleep),
    /* files: state, config, logs, disk images (as user sepvirt) */
    SV_SC(openat), SV_SC(readv), SV_SC(writev), SV_SC(pwrite64), SV_SC(lseek), SV_SC(fstat),
    SV_SC(statx), SV_SC(statfs), SV_SC(fstatfs), SV_SC(getdents64), SV_SC(mkdir), SV_SC(mkdirat),
    SV_SC(rmdir), SV_SC(unlink), SV_SC(unlinkat), SV_SC(rename), SV_SC(renameat), SV_SC(renameat2),
    SV_SC(symlinkat),   /* autostart flags are symlinks (util/sv_store.h) */
    SV_SC(readlink), SV_SC(readlinkat), SV_SC(faccessat), SV_SC(faccessat2), SV_SC(fsync),
    SV_SC(fdatasync), SV_SC(ftruncate), SV_SC(fallocate), SV_SC(fchmod), SV_SC(fchmodat),
    SV_SC(chmod), SV_SC(fchown), SV_SC(utimensat), SV_SC(flock), SV_SC(umask), SV_SC(getcwd),
    SV_SC(fcntl), SV_SC(dup), SV_SC(dup2), SV_SC(dup3), SV_SC(pipe2), SV_SC(memfd_create),
    SV_SC(inotify_init1), SV_SC(inotify_add_watch), SV_SC(inotify_rm_watch),
    SV_IOCTL(FIONBIO),
    SV_IOCTL(FIONREAD),
    SV_IOCTL(TCGETS),
    /* sockets: unix (clients, helpers, QEMU monitors), TCP for remote
     * access, route netlink only for getaddrinfo's address probe */
    SV_SC_ARGS(socket, 1, SV_EQ(0, AF_UNIX)),
    SV_SC_ARGS(socket, 1, SV_EQ(0, AF_INET)),
    SV_SC_ARGS(socket, 1, SV_EQ(0, AF_INET6)),
    SV_SC_ARGS(socket, 2, SV_EQ(0, AF_NETLINK), SV_EQ(2, 0)),
    SV_SC_ARGS(socketpair, 1, SV_EQ(0, AF_UNIX)),
    SV_SC(bind), SV_SC(listen), SV_SC(accept), SV_SC(accept4), SV_SC(connect), SV_SC(getsockname),
    SV_SC(getpeername), SV_SC(setsockopt), SV_SC(getsockopt), SV_SC(sendto), SV_SC(recvfrom),
    SV_SC(sendmsg), SV_SC(recvmsg), SV_SC(sendmmsg), SV_SC(recvmmsg), SV_SC(shutdown),
    /* identity and system facts (logs, capabilities reports) */
    SV_SC(getuid), SV_SC(geteuid), SV_SC(getgid), SV_SC(getegid), SV_SC(getresuid),
    SV_SC(getresgid), SV_SC(getgroups), SV_SC(uname), SV_SC(sysinfo), SV_SC(getrusage),
    SV_SC(getrandom),
    SV_SC_END,
};

const sv_sc_profile sv_profile_frontd = SV_PROFILE("frontd", rules);
