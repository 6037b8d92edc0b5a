/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tap and macvtap file descriptors, for the net helper only.  Return 0 or
 * -errno; on failure no fd is left open.
 */
#pragma once

#include <stdbool.h>

/*
 * Create tap device `name` (exactly that name, never a kernel-chosen one)
 * with `queues` fds (queues > 1 makes it multiqueue) in fds[].  The device
 * is not persistent: it disappears when the last fd is closed.  An existing
 * device of that name is never attached to: -EEXIST (also for the race
 * where another creator took the name since we checked).
 */
int sv_tap_create(const char *name, bool vnet_hdr, unsigned queues, int *fds);

/*
 * Open `queues` fds of macvtap device `name` whose ifindex is `ifindex`
 * (its character device is /dev/tap<ifindex>).  The device number comes
 * from sysfs, which must show the helper's network namespace; the opened
 * node is checked against it, and where no udev made /dev/tap<ifindex> a
 * private node is made in /dev, opened and unlinked at once.
 */
int sv_macvtap_open(const char *name, int ifindex, bool vnet_hdr, unsigned queues, int *fds);
