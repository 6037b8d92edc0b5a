/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-spawnhelper: starts hypervisor, dnsmasq and passt processes for
 * frontd and signals them.
 *
 *     sepvirt-spawnhelper          (fd 3: frontd, fd 4: the launcher)
 *
 * Started by the launcher as root with CAP_KILL only, no_new_privs and the
 * spawnhelper seccomp profile (read, write, recvmsg, sendmsg,
 * pidfd_send_signal, and start-up): it can neither fork, exec, open files
 * for writing nor name a process by pid.  It decodes frontd's requests
 * (ipc/helper_spawn.h), checks them, and forwards START and LIST to the
 * launcher, which alone can start an unfiltered process and keeps the
 * table of what it started.  It signals only through the pidfds of that
 * table, which it asks for each time, so it can reach no other process
 * even if it were taken over, and holds no state a restart could lose.  A
 * protocol violation from frontd ends it (exit 3); the launcher starts a
 * new one.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "helper_spawn.h"

#define FRONT_FD 3
#define LAUNCHER_FD 4

typedef struct spawnhelper {
    uint32_t seq;   /* of our calls to the launcher */
} spawnhelper;

/* A page of the launcher's table of started processes, a pidfd each. */
static int launcher_list(spawnhelper *h, uint32_t start, sv_spawn_list_rep *rep, int *fds,
                         size_t *nfds)
{
    sv_helper_list_req req = { .start = start };
    int r = sv_helper_call(LAUNCHER_FD, sv_helper_spawn_proto(), &h->seq, SV_SPAWN_LIST, &req,
                           sizeof(req), NULL, 0, rep, sizeof(*rep), fds, nfds);

    if (r == 0 && (*nfds != rep->count || rep->count > SV_SPAWN_LIST_MAX)) {
        sv_helper_close_fds(fds, *nfds);
        r = -EPROTO;
    }
    return r;
}

static int handle_start(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                        int *rep_fds, size_t *rep_nfds)
{
    spawnhelper *h = ctx;
    const sv_spawn_start_req *req = reqp;
    int r = sv_spawn_start_check(req, nfds);

    if (r < 0) {
        sv_helper_log("START refused: %s", req->kind[0] == '/' ? "a path, not a kind" : "malformed");
        return r;
    }
    /* The reply (pid + pidfd) goes to frontd as the launcher sent it. */
    r = sv_helper_call(LAUNCHER_FD, sv_helper_spawn_proto(), &h->seq, SV_SPAWN_START, req,
                       sizeof(*req), fds, nfds, repp, sizeof(sv_spawn_start_rep), rep_fds,
                       rep_nfds);
    if (r == 0 && *rep_nfds != 1)
        r = -EPROTO;
    if (r < 0)
        sv_helper_log("START of kind %s refused by the launcher: %s", req->kind, strerror(-r));
    return r;
}

static int handle_signal(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                         int *rep_fds, size_t *rep_nfds)
{
    spawnhelper *h = ctx;
    const sv_spawn_signal_req *req = reqp;
    sv_spawn_list_rep page;
    int got[SV_HELPER_MAX_FDS];
    size_t ngot = 0;
    int r = 0;

    if (req->signo != SIGHUP && req->signo != SIGINT && req->signo != SIGTERM &&
        req->signo != SIGKILL)
        return -EINVAL;
    for (uint32_t start = 0; r == 0; start += page.count) {
        if ((r = launcher_list(h, start, &page, got, &ngot)) < 0)
            return r;
        for (size_t i = 0; i < ngot && r == 0; i++)
            if (page.entries[i].pid == req->pid)
                r = pidfd_send_signal(got[i], req->signo, NULL, 0) < 0 ? -errno : 1;
        sv_helper_close_fds(got, ngot);
        if (r == 0 && (page.count == 0 || start + page.count >= page.total))
            break;
    }
    if (r != 0)
        return r < 0 ? r : 0;
    sv_helper_log("SIGNAL refused: pid %d is not a process this helper started", (int)req->pid);
    return -EPERM;
}

static int handle_list(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                       int *rep_fds, size_t *rep_nfds)
{
    const sv_helper_list_req *req = reqp;

    if (req->reserved)
        return -EINVAL;
    return launcher_list(ctx, req->start, repp, rep_fds, rep_nfds);
}

static const sv_helper_dispatch dispatch_front[] = {
    { SV_SPAWN_START, handle_start },
    { SV_SPAWN_SIGNAL, handle_signal },
    { SV_SPAWN_LIST, handle_list },
};

int main(int argc, char **argv)
{
    static spawnhelper h;

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: sepvirt-spawnhelper (started by sepvirtd: fd 3 frontd, "
                        "fd 4 launcher)\n");
        return 2;
    }
    return sv_helper_serve(FRONT_FD, sv_helper_spawn_proto(), dispatch_front,
                           sizeof(dispatch_front) / sizeof(dispatch_front[0]), &h);
}
