/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-spawnhelper: starts hypervisor, dnsmasq and passt processes for
 * frontd and signals them.
 *
 *     sepvirt-spawnhelper          (fd 3: frontd, fd 4: the launcher)
 *
 * Started by the launcher as root with CAP_KILL only, no_new_privs and the
 * spawnhelper seccomp profile (read, write, recvmsg, sendmsg, ppoll, dup,
 * pidfd_send_signal, and start-up): it can neither fork, exec, open files
 * for writing nor name a process by pid.  It decodes frontd's requests
 * (ipc/helper_spawn.h), checks them, and forwards START to the launcher,
 * which alone can start an unfiltered process; it keeps the pidfd of every
 * process started for it and signals only through those, so it can reach
 * no other process even if it were taken over.  Its table is rebuilt from
 * the launcher (LIST) at start, so a restart loses nothing.  A protocol
 * violation from frontd ends it (exit 3); the launcher starts a new one.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "helper_spawn.h"

#define FRONT_FD 3
#define LAUNCHER_FD 4

typedef struct spawnhelper {
    sv_spawn_slot table[SV_SPAWN_CHILDREN_MAX];
    size_t n;
    uint32_t seq;   /* of our calls to the launcher */
} spawnhelper;

static void forget(spawnhelper *h, size_t i)
{
    close(h->table[i].pidfd);
    h->table[i] = h->table[--h->n];
}

/* Drop the entries whose process has exited (its pidfd is readable). */
static void prune(spawnhelper *h)
{
    struct pollfd pfd[SV_SPAWN_CHILDREN_MAX];
    struct timespec now = { 0, 0 };

    for (size_t i = 0; i < h->n; i++)
        pfd[i] = (struct pollfd){ .fd = h->table[i].pidfd, .events = POLLIN };
    if (h->n == 0 || ppoll(pfd, h->n, &now, NULL) <= 0)
        return;
    for (size_t i = h->n; i-- > 0;)
        if (pfd[i].revents)
            forget(h, i);
}

/* Keep pidfd (taken over: closed if there is no room). */
static void add(spawnhelper *h, pid_t pid, int pidfd, const char *kind)
{
    if (h->n == SV_SPAWN_CHILDREN_MAX)
        prune(h);
    if (h->n == SV_SPAWN_CHILDREN_MAX) {
        sv_helper_log("table full: cannot signal pid %d (%s)", (int)pid, kind);
        close(pidfd);
        return;
    }
    h->table[h->n] = (sv_spawn_slot){ .pid = pid, .pidfd = pidfd };
    memcpy(h->table[h->n++].kind, kind, SV_SPAWN_KIND_MAX);
}

static int handle_start(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                        int *rep_fds, size_t *rep_nfds)
{
    spawnhelper *h = ctx;
    const sv_spawn_start_req *req = reqp;
    sv_spawn_start_rep *rep = repp;
    int got[SV_HELPER_MAX_FDS];
    size_t ngot = 0;
    int r = sv_spawn_start_check(req, nfds);

    if (r < 0) {
        sv_helper_log("START refused: %s", req->kind[0] == '/' ? "a path, not a kind" : "malformed");
        return r;
    }
    r = sv_helper_call(LAUNCHER_FD, sv_helper_spawn_proto(), &h->seq, SV_SPAWN_START, req,
                       sizeof(*req), fds, nfds, rep, sizeof(*rep), got, &ngot);
    if (r == 0 && ngot != 1)
        r = -EPROTO;
    if (r < 0) {
        sv_helper_close_fds(got, ngot);
        sv_helper_log("START of kind %s refused by the launcher: %s", req->kind, strerror(-r));
        return r;
    }
    /* The process runs whatever happens below: the launcher keeps it, and
     * frontd finds it again with LIST. */
    rep_fds[0] = dup(got[0]);
    add(h, rep->pid, got[0], req->kind);
    if (rep_fds[0] < 0)
        return -EMFILE;
    *rep_nfds = 1;
    return 0;
}

static int handle_signal(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                         int *rep_fds, size_t *rep_nfds)
{
    spawnhelper *h = ctx;
    const sv_spawn_signal_req *req = reqp;

    if (req->signo != SIGHUP && req->signo != SIGINT && req->signo != SIGTERM &&
        req->signo != SIGKILL)
        return -EINVAL;
    for (size_t i = 0; i < h->n; i++) {
        if (h->table[i].pid != req->pid)
            continue;
        if (pidfd_send_signal(h->table[i].pidfd, req->signo, NULL, 0) == 0)
            return 0;
        if (errno == ESRCH)
            forget(h, i);   /* exited; its pid may now be someone else's */
        return -ESRCH;
    }
    sv_helper_log("SIGNAL refused: pid %d is not a process this helper started", (int)req->pid);
    return -EPERM;
}

static int handle_list(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                       int *rep_fds, size_t *rep_nfds)
{
    spawnhelper *h = ctx;
    const sv_helper_list_req *req = reqp;

    if (req->reserved)
        return -EINVAL;
    prune(h);
    return sv_spawn_list_page(h->table, h->n, req->start, repp, rep_fds, rep_nfds);
}

static const sv_helper_dispatch dispatch_front[] = {
    { SV_SPAWN_START, handle_start },
    { SV_SPAWN_SIGNAL, handle_signal },
    { SV_SPAWN_LIST, handle_list },
};

/* Processes started for an earlier instance of this helper: the launcher
 * still has them, so they can still be signalled. */
static int load_table(spawnhelper *h)
{
    sv_helper_list_req req = { 0 };
    sv_spawn_list_rep rep;
    int fds[SV_HELPER_MAX_FDS];
    size_t nfds;
    int r;

    do {
        memset(&rep, 0, sizeof(rep));
        nfds = 0;
        r = sv_helper_call(LAUNCHER_FD, sv_helper_spawn_proto(), &h->seq, SV_SPAWN_LIST, &req,
                           sizeof(req), NULL, 0, &rep, sizeof(rep), fds, &nfds);
        if (r == 0 && (nfds != rep.count || rep.count > SV_SPAWN_LIST_MAX))
            r = -EPROTO;
        if (r < 0)
            sv_helper_close_fds(fds, nfds);
        for (size_t i = 0; r == 0 && i < nfds; i++) {
            rep.entries[i].kind[SV_SPAWN_KIND_MAX - 1] = '\0';
            add(h, rep.entries[i].pid, fds[i], rep.entries[i].kind);
        }
        req.start += rep.count;
    } while (r == 0 && rep.count > 0 && req.start < rep.total);
    return r;
}

int main(int argc, char **argv)
{
    static spawnhelper h;
    int r;

    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: sepvirt-spawnhelper (started by sepvirtd: fd 3 frontd, "
                        "fd 4 launcher)\n");
        return 2;
    }
    if ((r = load_table(&h)) < 0) {
        sv_helper_log("table from the launcher: %s", strerror(-r));
        return 2;
    }
    return sv_helper_serve(FRONT_FD, sv_helper_spawn_proto(), dispatch_front,
                           sizeof(dispatch_front) / sizeof(dispatch_front[0]), &h);
}
