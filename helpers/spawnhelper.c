/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-spawnhelper: starts hypervisor, dnsmasq and passt processes for
 * frontd and signals them.
 *
 *     sepvirt-spawnhelper          (fd 3: frontd, fd 4: the launcher)
 *
 * Started by the launcher as root without capabilities, with no_new_privs
 * and the spawnhelper seccomp profile (read, write, recvmsg, sendmsg, and
 * start-up): it can neither fork, exec, open files for writing nor signal
 * anything.  It decodes frontd's requests (ipc/helper_spawn.h), checks
 * them, and forwards them to the launcher, which alone can start an
 * unfiltered process, keeps the table of what it started, and signals only
 * those, through their pidfds.  It holds no state a restart could lose.  A
 * protocol violation from frontd ends it (exit 3); the launcher starts a
 * new one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helper_spawn.h"

#define FRONT_FD 3
#define LAUNCHER_FD 4

typedef struct spawnhelper {
    uint32_t seq;   /* of our calls to the launcher */
} spawnhelper;

/* A checked request to the launcher (sizes from the protocol table), its
 * answer to frontd as it came.  The socket to the launcher is ours alone
 * from our start and we wait for each reply, so the one that comes must be
 * to this request: anything else is a protocol error. */
static int forward(spawnhelper *h, uint16_t type, const void *req, const int *fds, size_t nfds,
                   void *rep, int *rep_fds, size_t *rep_nfds)
{
    const sv_helper_proto *proto = sv_helper_spawn_proto();
    const sv_helper_msg *m = sv_helper_proto_find(proto, type);
    sv_helper_hdr hdr;
    int status = 0;
    int r = sv_helper_send(LAUNCHER_FD, proto, type, ++h->seq, req, m->req_size, fds, nfds);

    if (r == 0)
        r = sv_helper_recv(LAUNCHER_FD, proto, SV_HELPER_DIR_REPLY, &hdr, rep, m->rep_size,
                           rep_fds, rep_nfds, &status);
    /* On failure the codec closes the fds received (sv_helper_handler). */
    if (r == 0 && (hdr.seq != h->seq || hdr.type != (type | SV_HELPER_REPLY)))
        r = -EPROTO;
    if (r == 0)
        r = status;
    if (r < 0)
        sv_helper_log("%s refused by the launcher: %s", m->name, strerror(-r));
    return r;
}

static int handle_start(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                        int *rep_fds, size_t *rep_nfds)
{
    const sv_spawn_start_req *req = reqp;
    int r = sv_spawn_start_check(req, nfds);

    if (r < 0) {
        sv_helper_log("START refused: %s",
                      req->kind[0] == '/' ? "a path, not a kind" : "malformed");
        return r;
    }
    r = forward(ctx, SV_SPAWN_START, req, fds, nfds, repp, rep_fds, rep_nfds);
    return r == 0 && *rep_nfds != 1 ? -EPROTO : r;
}

static int handle_signal(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                         int *rep_fds, size_t *rep_nfds)
{
    const sv_spawn_signal_req *req = reqp;

    if (!sv_spawn_signo_ok(req->signo))
        return -EINVAL;
    return forward(ctx, SV_SPAWN_SIGNAL, req, NULL, 0, repp, rep_fds, rep_nfds);
}

static int handle_list(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                       int *rep_fds, size_t *rep_nfds)
{
    const sv_helper_list_req *req = reqp;
    sv_spawn_list_rep *rep = repp;
    int r;

    if (req->reserved)
        return -EINVAL;
    r = forward(ctx, SV_SPAWN_LIST, req, NULL, 0, rep, rep_fds, rep_nfds);
    return r == 0 && (*rep_nfds != rep->count || rep->count > SV_SPAWN_LIST_MAX) ? -EPROTO : r;
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
