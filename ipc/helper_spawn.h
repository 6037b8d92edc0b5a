/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Messages of the spawn helper (sepvirt-spawnhelper), and of the launcher's
 * control channel to frontd.  Framing, exact sizes and fd passing are the
 * helper codec's (helper_proto.h); this file is the whole surface.
 *
 * frontd → spawnhelper (fd 3 of the helper):
 *   START   run a process of a configured kind.  The request names the kind
 *           ("qemu", "dnsmasq", "passt": a key of the launcher's root-owned
 *           spawn.conf), never a path; argv are the arguments after the
 *           program; the fds it carries become fds 3, 4, ... of the process
 *           in order (with SV_SPAWN_LOG_FD the first one becomes its stdout
 *           and stderr instead).  Reply: pid + a pidfd of the process.
 *   SIGNAL  send one of SIGHUP/SIGINT/SIGTERM/SIGKILL to a process this
 *           helper started (through its pidfd, so a reused pid is safe).
 *   LIST    the live processes it started, SV_SPAWN_LIST_MAX per page, each
 *           with a pidfd: how a restarted frontd finds its VMs again.
 * spawnhelper → launcher (fd 4 of the helper): the same three, same layout.
 * A filtered process cannot start an unfiltered one (its filter is
 * inherited), so the launcher, the one process without a filter, forks and
 * jails; it re-checks every request and looks the kind up itself.  Its
 * table of started processes is the only one: it lists them and signals
 * them through their pidfds.
 *
 * launcher → frontd (the --launcher-fd of frontd): HELPER_FD carries the new
 * frontd end of a helper's socketpair after that helper was restarted.
 * frontd answers it as every request, but the launcher reads nothing from
 * frontd: its end is shut for reading, so the reply fails with EPIPE, and a
 * frontd that ignores the channel costs nothing.
 *
 * Bump the version whenever a type, a struct or a meaning changes.
 */
#pragma once

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "helper_proto.h"

#define SV_HELPER_SPAWN_VERSION 2
#define SV_HELPER_LAUNCHER_VERSION 4

enum sv_spawn_type {
    SV_SPAWN_PING = SV_HELPER_PING,
    SV_SPAWN_START = 2,
    SV_SPAWN_SIGNAL = 3,
    SV_SPAWN_LIST = 4,
};

#define SV_SPAWN_KIND_MAX 16
#define SV_SPAWN_ARGC_MAX 512
/* Bytes of arguments: room for the command line of a VM with many disks
 * and NICs.  Every START carries the whole array (exact size). */
#define SV_SPAWN_ARGV_MAX (32 * 1024)
#define SV_SPAWN_LIST_MAX 16
/* Most processes started and alive at once (the launcher's table). */
#define SV_SPAWN_CHILDREN_MAX 1024

enum {
    SV_SPAWN_LOG_FD = 1u << 0,   /* first fd → stdout and stderr */
};

typedef struct sv_spawn_start_req {
    char kind[SV_SPAWN_KIND_MAX]; /* [a-z0-9_-]+, NUL-padded */
    uint32_t flags;               /* SV_SPAWN_* */
    uint32_t argc;                /* strings in argv, 0..SV_SPAWN_ARGC_MAX */
    uint32_t argv_len;            /* bytes used: argc NUL-terminated strings */
    uint32_t reserved;            /* 0 */
    char argv[SV_SPAWN_ARGV_MAX]; /* the rest all 0 */
} sv_spawn_start_req;
_Static_assert(sizeof(sv_spawn_start_req) <= SV_HELPER_MAX_PAYLOAD, "START fits a message");

typedef struct sv_spawn_start_rep {
    int32_t pid;                  /* + 1 fd: a pidfd of the process */
    uint32_t reserved;
} sv_spawn_start_rep;

typedef struct sv_spawn_signal_req {
    int32_t pid;
    int32_t signo;
} sv_spawn_signal_req;

typedef struct sv_spawn_entry {
    int32_t pid;
    uint32_t reserved;
    char kind[SV_SPAWN_KIND_MAX];
} sv_spawn_entry;

typedef struct sv_spawn_list_rep {
    uint32_t total;               /* entries in the table */
    uint32_t count;               /* entries (and pidfds, in order) here */
    sv_spawn_entry entries[SV_SPAWN_LIST_MAX];
} sv_spawn_list_rep;

static inline const sv_helper_proto *sv_helper_spawn_proto(void)
{
    static const sv_helper_msg msgs[] = {
        SV_HELPER_MSG_PING,
        { SV_SPAWN_START, "START", sizeof(sv_spawn_start_req), SV_HELPER_MAX_FDS,
          sizeof(sv_spawn_start_rep), 1 },
        { SV_SPAWN_SIGNAL, "SIGNAL", sizeof(sv_spawn_signal_req), 0,
          sizeof(sv_helper_empty_rep), 0 },
        { SV_SPAWN_LIST, "LIST", sizeof(sv_helper_list_req), 0,
          sizeof(sv_spawn_list_rep), SV_SPAWN_LIST_MAX },
    };
    static const sv_helper_proto proto = {
        "spawn", SV_HELPER_SPAWN_VERSION, msgs, sizeof(msgs) / sizeof(msgs[0]),
    };
    return &proto;
}

/*
 * Both the helper and the launcher check a START request with this before
 * anything else: a kind name (never a path), known flags, argc strings that
 * exactly fill argv_len, zeros after them, and the fds the flags need.
 * Returns 0, -EINVAL (malformed) or -E2BIG (too many arguments).
 */
static inline int sv_spawn_start_check(const sv_spawn_start_req *r, size_t nfds)
{
    uint32_t strings = 0;

    if (!sv_helper_str_ok(r->kind, SV_SPAWN_KIND_MAX, false) ||
        strspn(r->kind, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(r->kind) ||
        (r->flags & ~(uint32_t)SV_SPAWN_LOG_FD) || r->reserved)
        return -EINVAL;
    if (r->argc > SV_SPAWN_ARGC_MAX || r->argv_len > sizeof(r->argv))
        return -E2BIG;
    if ((r->flags & SV_SPAWN_LOG_FD) && nfds == 0)
        return -EINVAL;
    if (r->argc == 0 ? r->argv_len != 0 : (r->argv_len == 0 || r->argv[r->argv_len - 1] != '\0'))
        return -EINVAL;
    for (uint32_t i = 0; i < r->argv_len; i++)
        strings += r->argv[i] == '\0';
    if (strings != r->argc || !sv_helper_zero(r->argv + r->argv_len, sizeof(r->argv) - r->argv_len))
        return -EINVAL;
    return 0;
}

/* The signals SIGNAL may send. */
static inline bool sv_spawn_signo_ok(int32_t signo)
{
    return signo == SIGHUP || signo == SIGINT || signo == SIGTERM || signo == SIGKILL;
}

/* The launcher's control channel to frontd. */
enum sv_launcher_type {
    SV_LAUNCHER_PING = SV_HELPER_PING,
    SV_LAUNCHER_HELPER_FD = 2,
};

enum sv_helper_id {
    SV_HELPER_ID_NET = 1,
    SV_HELPER_ID_SPAWN = 2,
};

typedef struct sv_launcher_helper_fd_req {
    uint32_t helper;              /* SV_HELPER_ID_*; + 1 fd: frontd's new end */
    uint32_t reserved;            /* 0 */
} sv_launcher_helper_fd_req;

static inline const sv_helper_proto *sv_helper_launcher_proto(void)
{
    static const sv_helper_msg msgs[] = {
        SV_HELPER_MSG_PING,
        { SV_LAUNCHER_HELPER_FD, "HELPER_FD", sizeof(sv_launcher_helper_fd_req), 1,
          sizeof(sv_helper_empty_rep), 0 },
    };
    static const sv_helper_proto proto = {
        "launcher", SV_HELPER_LAUNCHER_VERSION, msgs, sizeof(msgs) / sizeof(msgs[0]),
    };
    return &proto;
}
