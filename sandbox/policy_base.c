/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The base list every sepvirt process gets: what exec, the dynamic loader
 * and glibc's start-up need, plus read/write/close and exit.  Processes add
 * their own rules on top (policy_<process>.c); nothing here opens a file
 * for writing or creates anything.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>

#include "sv_policy.h"

const sv_sc_rule sv_policy_base[] = {
    SV_SC_EXEC,
    /* dynamic loader and libc start-up */
    SV_SC(brk), SV_SC(mmap), SV_SC(munmap), SV_SC(mprotect),
    SV_SC_ARGS(arch_prctl, 1, SV_EQ(0, ARCH_SET_FS)),
    SV_SC(set_tid_address), SV_SC(set_robust_list), SV_SC(rseq),
    /* read-only queries of the own limits (glibc sizes the stack) */
    SV_SC_ARGS(prlimit64, 2, SV_EQ(0, 0), SV_EQ(2, 0)),
    /* ld.so.preload probe: answer "absent" without running it */
    SV_SC_ERRNO(access, ENOENT),
    /* libraries and read-only files: no create, no truncate, no write */
    SV_SC_ARGS(openat, 1, SV_MASK(2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, O_RDONLY)),
    SV_SC(newfstatat),
    /* malloc seeds its tcache randomisation (glibc 2.36) */
    SV_SC_ARGS(getrandom, 1, SV_EQ(2, GRND_NONBLOCK)),
    SV_SC(read), SV_SC(pread64), SV_SC(close),
    /* logs to stderr and messages on already open fds */
    SV_SC(write), SV_SC(rt_sigreturn), SV_SC(restart_syscall), SV_SC(exit), SV_SC(exit_group),
    SV_SC_END,
};

/* Every profile, for tests and the counting tool. */
const sv_sc_profile *const sv_profiles[] = {
    &sv_profile_frontd, &sv_profile_nethelper, &sv_profile_spawnhelper, NULL,
};
