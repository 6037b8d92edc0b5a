/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frontd's side of the spawn helper and of the launcher's control channel
 * (ipc/helper_spawn.h), on the generic requester (ipc/helper_client.h).
 * Every call returns 0 or -errno; on failure the thread's sv_error is also
 * set.  Calls on one client are serialised, so any frontd thread may use it.
 *
 * How frontd gets its connections (docs/security.md): sepvirtd passes
 * them in the environment, like systemd's LISTEN_FDS,
 *     SEPVIRT_LAUNCHER_FD=3  SEPVIRT_NET_FD=4  SEPVIRT_SPAWN_FD=5
 * (a helper's variable is absent when it was not running at frontd's start)
 * and, whenever it restarts a helper, sends a HELPER_FD message carrying
 * the new socket on the launcher channel.  frontd polls that fd and calls
 * sv_launcher_channel_read() when it is readable.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "helper_spawn.h"

typedef struct sv_spawn_client sv_spawn_client;

/* Takes ownership of sock and checks the helper's name and version with
 * PING: NULL (sock closed) on mismatch. */
sv_spawn_client *sv_spawn_client_new(int sock);
void sv_spawn_client_free(sv_spawn_client *c);
/* After a helper restart: use sock instead (taken over), checked likewise. */
int sv_spawn_client_reconnect(sv_spawn_client *c, int sock);

/*
 * Start a process of a kind from the root-owned spawn.conf ("qemu",
 * "dnsmasq", "passt").  args: its arguments after the program, NULL-
 * terminated (at most SV_SPAWN_ARGC_MAX of them, SV_SPAWN_ARGV_MAX bytes
 * with their NULs; more is -E2BIG).  fds become
 * fds 3, 4, ... of the process in order; with SV_SPAWN_LOG_FD, fds[0] is
 * its stdout and stderr instead and fds[1..] become 3, 4, ....  The caller
 * keeps its fds.  On success *ret_pid and *ret_pidfd (caller owns; poll it
 * for POLLIN to learn that the process ended).
 */
int sv_spawn_start(sv_spawn_client *c, const char *kind, const char *const *args,
                   const int *fds, size_t nfds, uint32_t flags, pid_t *ret_pid, int *ret_pidfd);

/* SIGHUP, SIGINT, SIGTERM or SIGKILL to a process the helper started. */
int sv_spawn_signal(sv_spawn_client *c, pid_t pid, int signo);

typedef struct sv_spawn_proc {
    pid_t pid;
    int pidfd;                      /* caller closes */
    char kind[SV_SPAWN_KIND_MAX];
} sv_spawn_proc;

/* Every live process the helper started (also before a frontd or helper
 * restart): a malloc'ed array in *ret; the caller closes the pidfds and
 * frees the array. */
int sv_spawn_list(sv_spawn_client *c, sv_spawn_proc **ret, size_t *ret_n);

/* The SEPVIRT_*_FD variables: -1 for each one absent or malformed. */
void sv_launcher_fds_from_env(int *ret_launcher, int *ret_net, int *ret_spawn);

/*
 * Read and answer one message of the launcher channel.  For HELPER_FD:
 * *ret_helper is SV_HELPER_ID_NET or SV_HELPER_ID_SPAWN and *ret_fd the
 * helper's new socket (caller owns); for anything else *ret_fd is -1.
 * Returns 0, -ECONNRESET when the launcher is gone, or another -errno for a
 * malformed message (the message is dropped; keep reading).
 */
int sv_launcher_channel_read(int fd, uint32_t *ret_helper, int *ret_fd);
