/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v2 leaves: see sv_cgroup.h. */
#include "sv_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* <cgroup2 root>/<group>: /sys/fs/cgroup on unified hosts, the "unified"
 * mount on hybrid ones. */
static int group_path(const char *group, char path[256])
{
    static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
    struct statfs fs;

    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
        if (statfs(roots[i], &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
            return snprintf(path, 256, "%s/%s", roots[i], group) >= 256 ? -ENAMETOOLONG : 0;
    return -ENOENT;
}

int sv_cgroup_open(const char *group, int *ret_dirfd)
{
    char path[256];
    int fd, r = group_path(group, path);

    if (r < 0)
        return r;
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return -errno;
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    *ret_dirfd = fd;
    return 0;
}

int sv_cgroup_remove_group(const char *group)
{
    char path[256];
    int r = group_path(group, path);

    return r < 0 ? r : rmdir(path) < 0 ? -errno : 0;
}

int sv_cgroup_leaf(int dirfd, const char *name, int *ret_procs_fd)
{
    char procs[300];
    int fd;

    if (snprintf(procs, sizeof(procs), "%s/cgroup.procs", name) >= (int)sizeof(procs))
        return -ENAMETOOLONG;
    if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
        return -errno;
    fd = openat(dirfd, procs, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        int r = -errno;

        unlinkat(dirfd, name, AT_REMOVEDIR);
        return r;
    }
    *ret_procs_fd = fd;
    return 0;
}

int sv_cgroup_leaf_remove(int dirfd, const char *name)
{
    return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
}

void sv_cgroup_sweep(int dirfd)
{
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    while (d && (e = readdir(d)))
        if (e->d_type == DT_DIR && e->d_name[0] != '.')
            (void)sv_cgroup_leaf_remove(dirfd, e->d_name);   /* busy ones stay */
    if (d)
        closedir(d);
    else if (fd >= 0)
        close(fd);
}
