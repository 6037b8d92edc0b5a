/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void close_all(int *fds, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

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

int sv_tap_create(const char *name, bool vnet_hdr, unsigned queues, int *fds)
{
    int flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0) |
                (queues > 1 ? IFF_MULTI_QUEUE : 0);

    for (unsigned i = 0; i < queues; i++)
        fds[i] = -1;
    for (unsigned i = 0; i < queues; i++) {
        int r;

        fds[i] = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
        if (fds[i] < 0) {
            r = -errno;
            close_all(fds, queues);
            return r;
        }
        /* The first queue creates: TUN_EXCL refuses an existing device
         * (EBUSY) instead of attaching to it.  Later queues attach to the
         * device our first fd keeps alive. */
        r = set_iff(fds[i], name, flags | (i == 0 ? IFF_TUN_EXCL : 0));
        if (r < 0) {
            close_all(fds, queues);
            return r == -EBUSY ? -EEXIST : r;
        }
    }
    return 0;
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

/* The macvtap's char device number, from sysfs, after checking that
 * sysfs shows our namespace's device of that name. */
static int macvtap_devnum(const char *name, int ifindex, dev_t *ret)
{
    char path[128], buf[32], *end;
    unsigned long maj, min;
    int r;

    snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", name);
    r = read_small(path, buf, sizeof(buf));
    if (r < 0)
        return r == -ENOENT ? -ENXIO : r;
    if (strtol(buf, &end, 10) != ifindex || (*end != '\n' && *end != '\0'))
        return -ENXIO;
    snprintf(path, sizeof(path), "/sys/class/net/%s/macvtap/tap%d/dev", name, ifindex);
    r = read_small(path, buf, sizeof(buf));
    if (r < 0)
        return r;
    maj = strtoul(buf, &end, 10);
    if (*end != ':')
        return -EIO;
    min = strtoul(end + 1, &end, 10);
    if (*end != '\n' && *end != '\0')
        return -EIO;
    *ret = makedev(maj, min);
    return 0;
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

/* Open the macvtap node: udev's /dev/tapN if it is the right device, else
 * a node of our own that exists only for the moment of the open. */
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

int sv_macvtap_open(const char *name, int ifindex, bool vnet_hdr, unsigned queues,
                    int *fds)
{
    int flags = IFF_TAP | IFF_NO_PI | (vnet_hdr ? IFF_VNET_HDR : 0) |
                (queues > 1 ? IFF_MULTI_QUEUE : 0);
    dev_t dev;
    int r;

    for (unsigned i = 0; i < queues; i++)
        fds[i] = -1;
    r = macvtap_devnum(name, ifindex, &dev);
    if (r < 0)
        return r;
    for (unsigned i = 0; i < queues; i++) {
        fds[i] = open_macvtap_node(ifindex, dev);
        if (fds[i] < 0) {
            r = fds[i];
            close_all(fds, queues);
            return r;
        }
        /* A macvtap queue starts with VNET_HDR on; set exactly what was
         * asked for. */
        r = set_iff(fds[i], name, flags);
        if (r < 0) {
            close_all(fds, queues);
            return r;
        }
    }
    return 0;
}
