/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Start a program in a jail, in Firecracker's jailer order: fds, environment,
 * mount namespace with a minimal /dev, resource limits, cgroup, capabilities
 * and ids, then the seccomp filter (last, since it forbids the calls before
 * it), then exec.  Only the launcher calls this: it is the one sepvirt
 * process that runs without a filter, because a filter is inherited by every
 * child and no filtered process could start QEMU.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sv_caps.h"
#include "sv_seccomp.h"

typedef struct sv_jail_fd {
    int src;   /* an fd of the caller */
    int dst;   /* its number in the child, 0..SV_JAIL_MAX_DST */
} sv_jail_fd;

#define SV_JAIL_MAX_DST 63
#define SV_JAIL_MAX_FDS 24

enum {
    SV_JAIL_NEWNS = 1u << 0,      /* own mount namespace (needs root) */
    SV_JAIL_RO_ROOT = 1u << 1,    /* with NEWNS: every mount read-only but rw_paths */
    SV_JAIL_PDEATHSIG = 1u << 2,  /* SIGTERM when the caller dies (daemons, not VMs) */
};

typedef struct sv_jail {
    const char *path;              /* program, absolute */
    char *const *argv;             /* argv[0] included */
    char *const *envp;             /* NULL: empty environment */
    const sv_jail_fd *fds;         /* the only fds the child keeps */
    size_t n_fds;
    uid_t uid;                     /* SV_CAPS_KEEP_IDS: keep the caller's */
    gid_t gid;
    const int *caps;               /* capabilities kept, all others dropped */
    size_t n_caps;
    const sv_sc_profile *seccomp;  /* NULL: no filter (the program brings its own) */
    unsigned long nofile;          /* RLIMIT_NOFILE, lowered to fit the hard limit */
    unsigned long nproc;           /* RLIMIT_NPROC; 0 leaves it */
    int cgroup_fd;                 /* -1, or a cgroup2 leaf's cgroup.procs open
                                      for writing: the child moves itself there */
    unsigned flags;                /* SV_JAIL_* */
    const char *const *devices;    /* NEWNS: /dev gets only these (NULL-terminated,
                                      e.g. "kvm", "net/tun"); NULL keeps /dev */
    const char *const *rw_paths;   /* RO_ROOT: paths that stay writable */
} sv_jail;

/*
 * Fork, jail and exec j->path.  The child reports any failure before exec
 * through a close-on-exec pipe, so a returned pid is a program that runs.
 * On success *ret_pid and *ret_pidfd (close-on-exec) are set.  Returns 0 or
 * -errno; failures are logged to stderr with the step that failed.
 */
int sv_jail_spawn(const sv_jail *j, pid_t *ret_pid, int *ret_pidfd);

/*
 * Mount helpers, run inside the child (exposed for tests).  sv_jail_dev
 * replaces /dev by a tmpfs holding only the listed devices that exist on
 * the host, owned by uid/gid (the common pseudo devices stay 0666 root).
 * sv_jail_ro_root makes every mount read-only except rw_paths.
 */
int sv_jail_dev(const char *const *devices, uid_t uid, gid_t gid);
int sv_jail_ro_root(const char *const *rw_paths);

/* mkdir -p (mode 0755) of the directories above the file or directory at
 * absolute `path` ("/dev/net/tun" → /dev, /dev/net); path is restored. */
int sv_jail_mkdir_parents(char *path);
