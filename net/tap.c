/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "helper_proto.h"

/* TUNSETIFF with exactly these flags on fd for name. */
static int set_iff(int fd, const char *name, int flags)
{
    struct ifreq ifr;

    memset(&ifr, 0, sizeof(ifr));
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = (short)flags;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
        return -errno;
    /* Our names hold no '%', so the kernel must have used it verbatim. */
    return strncmp(ifr.ifr_name, name, IFNAMSIZ) == 0 ? 0 : -EIO;
}

static int open_chr(const char *path, dev_t dev)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != dev) {
        close(fd);
        return -ENXIO;
    }
    return fd;
}

/* The macvtap node of ifindex: udev's /dev/tapN if it is the right device,
 * else a node of our own that exists only for the moment of the open. */
static int open_macvtap_node(int ifindex, dev_t dev)
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), "/dev/tap%d", ifindex);
    fd = open_chr(path, dev);
    if (fd >= 0)
        return fd;
    snprintf(path, sizeof(path), "/dev/.sepvirt-tap%d", ifindex);
    (void)unlink(path);
    if (mknod(path, S_IFCHR | 0600, dev) < 0)
        return -errno;
    fd = open_chr(path, dev);
    (void)unlink(path);
    return fd;
}

/* queues fds of device name, each set to exactly these flags: a tap's from
 * /dev/net/tun (ifindex 0), a macvtap's from its node.  All or none. */
static int open_queues(const char *name, int ifindex, dev_t dev, bool vnet_hdr,
                       unsigned queues, int *fds)
{
    int flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0) |
                (queues > 1 ? IFF_MULTI_QUEUE : 0);
    int r = 0;

    for (unsigned i = 0; i < queues; i++)
        fds[i] = -1;
    for (unsigned i = 0; r == 0 && i < queues; i++) {
        fds[i] = ifindex ? open_macvtap_node(ifindex, dev)
                         : open("/dev/net/tun", O_RDWR | O_CLOEXEC);
        /* A tap's first queue creates it: TUN_EXCL refuses an existing
         * device (EBUSY) instead of attaching to it; later queues attach to
         * the device our first fd keeps alive.  A macvtap queue starts with
         * VNET_HDR on, hence exactly the flags asked for. */
        if (fds[i] < 0)
            r = ifindex ? fds[i] : -errno;
        else
            r = set_iff(fds[i], name, flags | (!ifindex && i == 0 ? IFF_TUN_EXCL : 0));
    }
    if (r < 0)
        sv_helper_close_fds(fds, queues);
    return r == -EBUSY && !ifindex ? -EEXIST : r;
}

int sv_tap_create(const char *name, bool vnet_hdr, unsigned queues, int *fds)
{
    return open_queues(name, 0, 0, vnet_hdr, queues, fds);
}

static int read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t n;

    if (fd < 0)
        return -errno;
    n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0)
        return -errno;
    buf[n] = '\0';
    return 0;
}

int sv_macvtap_open(const char *name, int ifindex, bool vnet_hdr, unsigned queues, int *fds)
{
    char path[128], buf[32], nl;
    unsigned maj, min;
    int got, r;

    /* The device number from sysfs, after checking that sysfs shows our
     * namespace's device of that name. */
    snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", name);
    r = read_small(path, buf, sizeof(buf));
    if (r < 0 || sscanf(buf, "%d%c", &got, &nl) != 2 || got != ifindex || nl != '\n')
        return r < 0 && r != -ENOENT ? r : -ENXIO;
    snprintf(path, sizeof(path), "/sys/class/net/%s/macvtap/tap%d/dev", name, ifindex);
    r = read_small(path, buf, sizeof(buf));
    if (r < 0 || sscanf(buf, "%u:%u%c", &maj, &min, &nl) != 3 || nl != '\n')
        return r < 0 ? r : -EIO;
    return open_queues(name, ifindex, makedev(maj, min), vnet_hdr, queues, fds);
}
