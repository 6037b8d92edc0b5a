/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hypervisor driver for tests/console, linked with frontd's main() into
 * console-test-frontd: it starts no process, but every console it opens
 * is served by a thread playing a guest, and its monitoring hooks answer
 * fixed numbers.  It registers itself before main() runs.
 *
 * The fake guest prints "FAKE-GUEST-READY" and answers each line it reads:
 *   flood N   N bytes of output ("x" lines), then FLOOD-DONE
 *   sleep N   stop reading input for N seconds (input backpressure)
 *   bye       close the connection (the stream's end of file)
 *   other     "you said: <line>"
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "domain_registry.h"
#include "driver.h"
#include "sv_error.h"
#include "sv_util.h"

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int say(int fd, const char *text)
{
    return write_all(fd, text, strlen(text));
}

/* n bytes of 66-byte lines ("x" * 64, CR, LF), the last one cut short. */
static int flood(int fd, unsigned long n)
{
    static char block[66 * 1000];

    for (size_t i = 0; i < sizeof(block); i += 66) {
        memset(block + i, 'x', 64);
        block[i + 64] = '\r';
        block[i + 65] = '\n';
    }
    while (n > 0) {
        size_t k = n < sizeof(block) ? n : sizeof(block);

        if (write_all(fd, block, k) < 0)
            return -1;
        n -= k;
    }
    return say(fd, "FLOOD-DONE\r\n");
}

/* One line of input; -1 ends the session. */
static int answer(int fd, const char *line)
{
    char out[600];

    if (strncmp(line, "flood ", 6) == 0)
        return flood(fd, strtoul(line + 6, NULL, 10));
    if (strncmp(line, "sleep ", 6) == 0) {
        sleep((unsigned)atoi(line + 6));
        return say(fd, "AWAKE\r\n");
    }
    if (strcmp(line, "bye") == 0)
        return -1;
    snprintf(out, sizeof(out), "you said: %s\r\n", line);
    return say(fd, out);
}

static void *guest_main(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char line[512];
    size_t have = 0;

    if (say(fd, "FAKE-GUEST-READY\r\n") < 0)
        goto out;
    for (;;) {
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\r' || buf[i] == '\n') {
                if (!have)
                    continue;
                line[have] = '\0';
                have = 0;
                if (answer(fd, line) < 0)
                    goto out;
            } else if (have < sizeof(line) - 1) {
                line[have++] = buf[i];
            }
        }
    }
out:
    close(fd);
    return NULL;
}

static int fake_start(struct sv_domain_obj *d, unsigned flags)
{
    return sv_domain_mark_running(d, NULL, (flags & 1) ? SV_DOMAIN_PAUSED : SV_DOMAIN_RUNNING,
                                  (flags & 1) ? 1 : SV_DOMAIN_RUNNING_BOOTED);
}

static int fake_destroy(struct sv_domain_obj *d, unsigned flags)
{
    sv_domain_mark_shutoff(d, SV_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

static int fake_open_console(struct sv_domain_obj *d, const char *dev_name, unsigned flags,
                             int *ret_fd)
{
    pthread_attr_t attr;
    pthread_t tid;
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "socketpair");
        return -1;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&tid, &attr, guest_main, (void *)(intptr_t)sv[1]) != 0) {
        pthread_attr_destroy(&attr);
        close(sv[0]);
        close(sv[1]);
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "cannot start the fake guest");
        return -1;
    }
    pthread_attr_destroy(&attr);
    *ret_fd = sv[0];
    return 0;
}

static int fake_interface_stats(struct sv_domain_obj *d, const char *device,
                                sv_domain_interface_stats *ret)
{
    if (strcmp(device, "vnet7") != 0 && strcmp(device, "52:54:00:aa:bb:cc") != 0) {
        sv_error_set(SV_FROM_DOMAIN, SV_ERR_INVALID_ARG,
                     "invalid argument: '%s' is not a known interface", device);
        return -1;
    }
    *ret = (sv_domain_interface_stats){ 1000, 10, 0, 1, 2000, 20, 0, -1 };
    return 0;
}

static int fake_block_stats(struct sv_domain_obj *d, const char *path, sv_domain_block_stats *ret)
{
    if (*path && strcmp(path, "vda") != 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "invalid argument: invalid path: %s", path);
        return -1;
    }
    *ret = (sv_domain_block_stats){ 3, 1536, 2, 8192, -1 };
    return 0;
}

static int fake_memory_stats(struct sv_domain_obj *d, sv_domain_memory_stat *stats, unsigned nr)
{
    static const sv_domain_memory_stat all[] = {
        { SV_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, 131072 },
        { SV_DOMAIN_MEMORY_STAT_UNUSED, 100000 },
        { SV_DOMAIN_MEMORY_STAT_LAST_UPDATE, 1700000000 },
        { SV_DOMAIN_MEMORY_STAT_RSS, 65536 },
    };
    unsigned n = nr < SV_ARRAY_SIZE(all) ? nr : (unsigned)SV_ARRAY_SIZE(all);

    memcpy(stats, all, n * sizeof(*stats));
    return (int)n;
}

static int fake_control_info(struct sv_domain_obj *d, sv_domain_control_info *ret)
{
    ret->state = SV_DOMAIN_CONTROL_OK;
    return 0;
}

static int fake_interface_addresses(struct sv_domain_obj *d, unsigned source,
                                    sv_domain_iface **ret, size_t *ret_n)
{
    sv_domain_iface *ifc;

    *ret = NULL;
    *ret_n = 0;
    if (source != SV_DOMAIN_IFADDR_SRC_ARP)
        return 0;
    ifc = sv_calloc(1, sizeof(*ifc));
    ifc->name = sv_strdup("vnet7");
    ifc->hwaddr = sv_strdup("52:54:00:aa:bb:cc");
    ifc->addrs = sv_calloc(1, sizeof(*ifc->addrs));
    ifc->addrs[0].type = SV_IP_ADDR_TYPE_IPV4;
    ifc->addrs[0].addr = sv_strdup("192.0.2.7");
    ifc->addrs[0].prefix = 0;
    ifc->naddrs = 1;
    *ret = ifc;
    *ret_n = 1;
    return 0;
}

static const sv_hv_driver fake_driver = {
    .name = "QEMU",
    .domain_start = fake_start,
    .domain_destroy = fake_destroy,
    .domain_open_console = fake_open_console,
    .domain_interface_stats = fake_interface_stats,
    .domain_block_stats = fake_block_stats,
    .domain_memory_stats = fake_memory_stats,
    .domain_get_control_info = fake_control_info,
    .domain_interface_addresses = fake_interface_addresses,
};

__attribute__((constructor)) static void fake_driver_register(void)
{
    sv_hv_driver_register(&fake_driver);
}
