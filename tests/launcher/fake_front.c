/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stands in for sepvirt-frontd in the launcher tests: sepvirtd starts it
 * exactly as it starts frontd (user sepvirt, no capabilities, the frontd
 * seccomp profile), and it hands its helper connections to the test over
 * <runtime-dir>/harness.sock, forwarding every HELPER_FD the launcher
 * sends.  It exits when the test closes that socket.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "helper_spawn_client.h"

/* Sanitizer builds: LeakSanitizer's exit-time scan needs clone and ptrace,
 * which the seccomp profiles this runs under do not allow. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0:symbolize=0";
}

int main(int argc, char **argv)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *run = NULL;
    int launcher, net, spawn, sock, fds[2];
    harness_msg hello = { 0 };
    size_t n = 0;

    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--runtime-dir") == 0)
            run = argv[i + 1];
    sv_launcher_fds_from_env(&launcher, &net, &spawn);
    if (!run || launcher < 0)
        return 2;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", run, HARNESS_SOCK);
    sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return 3;
    if (net >= 0)
        fds[n++] = net;
    if (spawn >= 0)
        fds[n++] = spawn;
    hello.helper = (net >= 0 ? HARNESS_HAS_NET : 0) | (spawn >= 0 ? HARNESS_HAS_SPAWN : 0);
    if (sv_helper_send(sock, harness_proto(), HARNESS_HELLO, 1, &hello, sizeof(hello), fds, n) < 0)
        return 4;
    for (;;) {
        struct pollfd pfd[2] = { { launcher, POLLIN, 0 }, { sock, POLLIN, 0 } };
        uint32_t helper;
        int fd;

        if (poll(pfd, 2, -1) < 0)
            return 5;
        if (pfd[1].revents)
            return 0;   /* the test is done with us */
        if (!pfd[0].revents)
            continue;
        if (sv_launcher_channel_read(launcher, &helper, &fd) == -ECONNRESET)
            return 6;
        if (fd >= 0) {
            harness_msg m = { .helper = helper };

            sv_helper_send(sock, harness_proto(), HARNESS_HELPER, 2, &m, sizeof(m), &fd, 1);
            close(fd);
        }
    }
}
