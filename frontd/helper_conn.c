/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "helper_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "registry.h"
#include "sv_error.h"
#include "sv_util.h"

static struct {
    int launcher_fd;
    int wake_fd;
    pthread_t thread;
    bool thread_started;
    /* Published once (atomic pointer stores), freed at shutdown only. */
    sv_spawn_client *spawn;
    sv_net_client *net;
} hc = { .launcher_fd = -1, .wake_fd = -1 };

/* A new socket for helper id: swap it into the existing client, or create
 * the client now (the helper was not running when frontd started). */
static void take_socket(uint32_t id, int sock)
{
    int r = 0;

    if (id == SV_HELPER_ID_SPAWN) {
        sv_spawn_client *c = __atomic_load_n(&hc.spawn, __ATOMIC_ACQUIRE);

        if (c)
            r = sv_spawn_client_reconnect(c, sock);
        else if ((c = sv_spawn_client_new(sock)))
            __atomic_store_n(&hc.spawn, c, __ATOMIC_RELEASE);
        else
            r = -1;
    } else {
        sv_net_client *c = __atomic_load_n(&hc.net, __ATOMIC_ACQUIRE);

        if (c)
            r = sv_net_client_reconnect(c, sock);
        else if ((c = sv_net_client_new(sock)))
            __atomic_store_n(&hc.net, c, __ATOMIC_RELEASE);
        else
            r = -1;
    }
    if (r < 0)
        fprintf(stderr, "sepvirt-frontd: new %s helper connection: %s\n",
                id == SV_HELPER_ID_SPAWN ? "spawn" : "net", sv_error_message());
}

static void *watch_launcher(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd pfd[2] = { { hc.launcher_fd, POLLIN, 0 }, { hc.wake_fd, POLLIN, 0 } };
        uint32_t id = 0;
        int fd = -1, r;

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[1].revents)
            break;
        r = sv_launcher_channel_read(hc.launcher_fd, &id, &fd);
        if (r == -ECONNRESET) {
            fprintf(stderr, "sepvirt-frontd: the launcher closed its channel\n");
            break;
        }
        if (r == 0 && fd >= 0)
            take_socket(id, fd);
    }
    return NULL;
}

int sv_helper_conn_init(void)
{
    int net = -1, spawn = -1;

    sv_launcher_fds_from_env(&hc.launcher_fd, &net, &spawn);
    if (net >= 0 && fcntl(net, F_GETFD) >= 0) {
        fcntl(net, F_SETFD, FD_CLOEXEC);
        if (!(hc.net = sv_net_client_new(net)))
            fprintf(stderr, "sepvirt-frontd: net helper: %s\n", sv_error_message());
    }
    if (spawn >= 0 && fcntl(spawn, F_GETFD) >= 0) {
        fcntl(spawn, F_SETFD, FD_CLOEXEC);
        if (!(hc.spawn = sv_spawn_client_new(spawn)))
            fprintf(stderr, "sepvirt-frontd: spawn helper: %s\n", sv_error_message());
    }
    if (hc.launcher_fd < 0 || fcntl(hc.launcher_fd, F_GETFD) < 0) {
        hc.launcher_fd = -1;
        return 0;
    }
    fcntl(hc.launcher_fd, F_SETFD, FD_CLOEXEC);
    hc.wake_fd = eventfd(0, EFD_CLOEXEC);
    if (hc.wake_fd < 0 || pthread_create(&hc.thread, NULL, watch_launcher, NULL) != 0) {
        sv_error_set_errno(SV_FROM_NONE, errno ? errno : EAGAIN,
                           "cannot watch the launcher channel");
        return -1;
    }
    hc.thread_started = true;
    return 0;
}

void sv_helper_conn_shutdown(void)
{
    if (hc.thread_started) {
        uint64_t one = 1;

        (void)!write(hc.wake_fd, &one, sizeof(one));
        pthread_join(hc.thread, NULL);
        hc.thread_started = false;
    }
    if (hc.wake_fd >= 0)
        close(hc.wake_fd);
    if (hc.launcher_fd >= 0)
        close(hc.launcher_fd);
    hc.wake_fd = hc.launcher_fd = -1;
    sv_spawn_client_free(hc.spawn);
    sv_net_client_free(hc.net);
    hc.spawn = NULL;
    hc.net = NULL;
}

bool sv_helper_conn_launched(void)
{
    return hc.launcher_fd >= 0;
}

sv_spawn_client *sv_helper_conn_spawn(void)
{
    sv_spawn_client *c = __atomic_load_n(&hc.spawn, __ATOMIC_ACQUIRE);

    if (!c)
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "the spawn helper is not available");
    return c;
}

sv_net_client *sv_helper_conn_net(void)
{
    sv_net_client *c = __atomic_load_n(&hc.net, __ATOMIC_ACQUIRE);

    if (!c)
        sv_report(SV_FROM_NETWORK, SV_ERR_OPERATION_FAILED, "the net helper is not available");
    return c;
}
