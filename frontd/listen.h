/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Listening UNIX sockets and the access rule applied to each peer.
 *
 * The file mode and group of a socket are the first gate (the kernel
 * checks them at connect()).  The same rule is applied again to the peer's
 * SO_PEERCRED identity at accept time, so a socket that ends up more open
 * than intended (a bind-mounted directory, a mode changed by hand) still
 * admits only those the configuration names:
 *   - the daemon's own uid, always;
 *   - session mode: nobody else;
 *   - system mode: root; members of the socket's group when the mode
 *     grants the group write access; anyone when it grants others write.
 */
#pragma once

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

typedef struct sv_listener {
    int poll_kind;      /* must stay first: see server.c */
    int fd;
    char *path;
    bool readonly;
    bool session;
    mode_t perms;
    gid_t gid;          /* group owning the socket */
} sv_listener;

/* Create, bind and listen on path (non-blocking, close-on-exec) with the
 * given mode and group name (NULL: the daemon's group).  The parent
 * directory is created when missing.  A stale socket left by a dead daemon
 * is replaced; a live one (something accepts connections) is an error.
 * Returns 0 or -1 with sv_error set. */
int sv_listener_open(const char *path, bool readonly, bool session, mode_t perms,
                     const char *group, sv_listener **ret);

/* Close and, when unlink_path, remove the socket file. */
void sv_listener_close(sv_listener *l, bool unlink_path);

/* Whether the peer on connected socket fd (identity cred) may use l. */
bool sv_listener_permits(const sv_listener *l, int fd, const struct ucred *cred);

/* mkdir -p with mode for each created component.  0 or -errno. */
int sv_mkdir_p(const char *path, mode_t mode);
