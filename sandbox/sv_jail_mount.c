/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mounts inside a jail's own mount namespace: see sv_jail.h. */
#include "sv_jail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEVICES 16

typedef struct devnode {
    char path[64];
    dev_t rdev;
    bool public;
} devnode;

/* Devices every process may use; the rest (kvm, net/tun) go to the jailed
 * user only, as Firecracker's jailer does. */
static bool is_public(const char *name)
{
    static const char *const pub[] = { "null", "zero", "full", "random", "urandom" };

    for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
        if (strcmp(name, pub[i]) == 0)
            return true;
    return false;
}

int sv_jail_mkdir_parents(char *path)
{
    for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
        int r;

        *s = '\0';
        r = mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
        *s = '/';
        if (r < 0)
            return r;
    }
    return 0;
}

int sv_jail_dev(const char *const *devices, uid_t uid, gid_t gid)
{
    devnode nodes[MAX_DEVICES];
    size_t n = 0;
    struct stat st;

    /* Look the devices up before the tmpfs hides them. */
    for (; *devices && n < MAX_DEVICES; devices++) {
        devnode *d = &nodes[n];

        if (strstr(*devices, "..") ||
            snprintf(d->path, sizeof(d->path), "/dev/%s", *devices) >= (int)sizeof(d->path))
            return -EINVAL;
        if (stat(d->path, &st) < 0 || !S_ISCHR(st.st_mode))
            continue;   /* only devices that exist here */
        d->rdev = st.st_rdev;
        d->public = is_public(*devices);
        n++;
    }
    if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k") < 0)
        return -errno;
    for (size_t i = 0; i < n; i++) {
        devnode *d = &nodes[i];
        int r = sv_jail_mkdir_parents(d->path);

        if (r < 0)
            return r;
        if (mknod(d->path, S_IFCHR | (d->public ? 0666 : 0600), d->rdev) < 0 ||
            chmod(d->path, d->public ? 0666 : 0600) < 0)   /* past the umask */
            return -errno;
        if (!d->public && uid != SV_CAPS_KEEP_IDS && chown(d->path, uid, gid) < 0)
            return -errno;
    }
    if (symlink("/proc/self/fd", "/dev/fd") < 0)
        return -errno;
    if (mount(NULL, "/dev", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC,
              NULL) < 0)
        return -errno;
    return 0;
}

int sv_jail_ro_root(const char *const *rw_paths)
{
    struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
    struct mount_attr rw = { .attr_clr = MOUNT_ATTR_RDONLY };

    if (mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof(ro)) < 0)
        return -errno;
    /* A bind mount of each writable path on itself, made writable again;
     * the host's mounts are untouched (this namespace is a slave copy). */
    for (; rw_paths && *rw_paths; rw_paths++) {
        if (mount(*rw_paths, *rw_paths, NULL, MS_BIND | MS_REC, NULL) < 0 ||
            mount_setattr(AT_FDCWD, *rw_paths, AT_RECURSIVE, &rw, sizeof(rw)) < 0)
            return -errno;
    }
    return 0;
}
