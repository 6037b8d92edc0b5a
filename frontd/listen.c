/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "listen.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sv_error.h"
#include "sv_util.h"

#define LISTEN_BACKLOG 128
#define PEER_GROUPS_MAX 256

int sv_mkdir_p(const char *path, mode_t mode)
{
    _cleanup_free_ char *copy = sv_strdup(path);

    for (char *p = copy + 1; ; p++) {
        bool last = *p == '\0';
        if (*p != '/' && !last)
            continue;
        *p = '\0';
        if (mkdir(copy, mode) < 0 && errno != EEXIST)
            return -errno;
        if (last)
            return 0;
        *p = '/';
    }
}

static int lookup_group(const char *name, gid_t *ret)
{
    struct group grp, *res = NULL;
    char buf[4096];
    uint32_t num;

    if (getgrnam_r(name, &grp, buf, sizeof(buf), &res) == 0 && res) {
        *ret = res->gr_gid;
        return 0;
    }
    if (sv_parse_u32(name, &num) == 0) {
        *ret = (gid_t)num;
        return 0;
    }
    return -ENOENT;
}

/* Returns 0 when nothing (or a stale socket, now removed) is at path. */
static int clear_stale(const char *path, const struct sockaddr_un *addr)
{
    struct stat st;
    int fd, r;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -errno;
    if (!S_ISSOCK(st.st_mode)) {
        sv_error_set(SV_FROM_NONE, SV_ERR_OPERATION_FAILED,
                     "%s exists and is not a socket", path);
        return -EEXIST;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    r = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
    close(fd);
    if (r == 0) {
        sv_error_set(SV_FROM_NONE, SV_ERR_OPERATION_FAILED,
                     "another daemon is listening on %s", path);
        return -EADDRINUSE;
    }
    if (unlink(path) < 0 && errno != ENOENT)
        return -errno;
    return 0;
}

int sv_listener_open(const char *path, bool readonly, bool session, mode_t perms,
                     const char *group, sv_listener **ret)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    _cleanup_free_ char *dir = NULL;
    _cleanup_close_ int fd = -1;
    gid_t gid = getegid();
    sv_listener *l;
    mode_t old_mask;
    char *slash;
    int r;

    sv_error_reset();
    if (strlen(path) >= sizeof(addr.sun_path)) {
        sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG, "socket path too long: %s", path);
        return -1;
    }
    strcpy(addr.sun_path, path);

    if (group && lookup_group(group, &gid) < 0) {
        sv_error_set(SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED,
                     "unix_sock_group: no group named '%s'", group);
        return -1;
    }

    dir = sv_strdup(path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        r = sv_mkdir_p(dir, session ? 0700 : 0755);
        if (r < 0) {
            sv_error_set_errno(SV_FROM_NONE, -r, "cannot create %s", dir);
            return -1;
        }
    }

    r = clear_stale(path, &addr);
    if (r < 0) {
        if (!sv_error_last())
            sv_error_set_errno(SV_FROM_NONE, -r, "cannot replace %s", path);
        return -1;
    }

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "socket");
        return -1;
    }
    /* Bind with a tight umask so the socket is never more open than
     * configured, even for an instant; then set the final mode. */
    old_mask = umask(0077);
    r = bind(fd, (const struct sockaddr *)&addr, sizeof(addr));
    umask(old_mask);
    if (r < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot bind %s", path);
        return -1;
    }
    if ((group && chown(path, (uid_t)-1, gid) < 0) || chmod(path, perms) < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot set owner/mode of %s", path);
        unlink(path);
        return -1;
    }
    if (listen(fd, LISTEN_BACKLOG) < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot listen on %s", path);
        unlink(path);
        return -1;
    }

    l = sv_malloc0(sizeof(*l));
    l->fd = fd;
    fd = -1;
    l->path = sv_strdup(path);
    l->readonly = readonly;
    l->session = session;
    l->perms = perms;
    l->gid = gid;
    *ret = l;
    return 0;
}

void sv_listener_close(sv_listener *l, bool unlink_path)
{
    if (!l)
        return;
    if (l->fd >= 0)
        close(l->fd);
    if (unlink_path)
        unlink(l->path);
    free(l->path);
    free(l);
}

static bool peer_in_group(int fd, const struct ucred *cred, gid_t gid)
{
    gid_t groups[PEER_GROUPS_MAX];
    socklen_t len = sizeof(groups);

    if (cred->gid == gid)
        return true;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
        return false;
    for (size_t i = 0; i < len / sizeof(gid_t); i++)
        if (groups[i] == gid)
            return true;
    return false;
}

bool sv_listener_permits(const sv_listener *l, int fd, const struct ucred *cred)
{
    if (cred->uid == geteuid())
        return true;
    if (l->session)
        return false;
    if (cred->uid == 0)
        return true;
    if (l->perms & S_IWOTH)
        return true;
    if ((l->perms & S_IWGRP) && peer_in_group(fd, cred, l->gid))
        return true;
    return false;
}
