/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cgroup v2 leaves for the processes the launcher starts: one group per
 * launcher (<cgroup2 root>/<group>) and one leaf per process in it.  The
 * leaf is removed when its last process has exited; leaves left behind by
 * an earlier launcher are swept at start.
 */
#pragma once

/* Open (creating) the group directory under the cgroup2 hierarchy:
 * /sys/fs/cgroup if that is cgroup2, else /sys/fs/cgroup/unified (hybrid
 * hosts).  -ENOENT when there is none, -EACCES when it is not ours to use
 * (an unprivileged user without delegation): callers then run without. */
int sv_cgroup_open(const char *group, int *ret_dirfd);

/* Create leaf name in the group and return its cgroup.procs open for
 * writing (what sv_jail's cgroup_fd wants). */
int sv_cgroup_leaf(int dirfd, const char *name, int *ret_procs_fd);

/* Remove the leaf; -EBUSY while it still has processes. */
int sv_cgroup_leaf_remove(int dirfd, const char *name);

/* Remove the group directory itself (-EBUSY while it has leaves). */
int sv_cgroup_remove_group(const char *group);

/* Remove every empty leaf of the group (left by an earlier launcher). */
void sv_cgroup_sweep(int dirfd);
