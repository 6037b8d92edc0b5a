/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "helper_spawn_client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper_client.h"
#include "sv_error.h"
#include "sv_util.h"

struct sv_spawn_client {
    sv_helper_client *conn;
};

static int fail(int r, const char *what, const char *detail)
{
    sv_error_set_errno(SV_FROM_NONE, -r, "spawn helper: %s%s%s", what, detail ? " " : "",
                       detail ? detail : "");
    return r;
}

static void close_all(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
}

sv_spawn_client *sv_spawn_client_new(int sock)
{
    sv_spawn_client *c = sv_malloc0(sizeof(*c));
    int r = sv_helper_client_new(sv_helper_spawn_proto(), sock, &c->conn);

    if (r < 0) {
        fail(r, "version check", NULL);
        free(c);
        return NULL;
    }
    return c;
}

void sv_spawn_client_free(sv_spawn_client *c)
{
    if (!c)
        return;
    sv_helper_client_free(c->conn);
    free(c);
}

int sv_spawn_client_reconnect(sv_spawn_client *c, int sock)
{
    int r = sv_helper_client_reconnect(c->conn, sock);

    return r < 0 ? fail(r, "version check", NULL) : 0;
}

int sv_spawn_start(sv_spawn_client *c, const char *kind, const char *const *args,
                   const int *fds, size_t nfds, uint32_t flags, pid_t *ret_pid, int *ret_pidfd)
{
    sv_spawn_start_req *req = sv_malloc0(sizeof(*req));
    sv_spawn_start_rep rep;
    int pidfd = -1, r = 0;
    size_t n = 0;

    if (strlen(kind) >= sizeof(req->kind) || nfds > SV_HELPER_MAX_FDS)
        r = -EINVAL;
    else
        memcpy(req->kind, kind, strlen(kind));
    req->flags = flags;
    for (size_t i = 0; r == 0 && args && args[i]; i++) {
        size_t len = strlen(args[i]) + 1;

        if (req->argc == SV_SPAWN_ARGC_MAX || len > sizeof(req->argv) - req->argv_len)
            r = -E2BIG;
        else {
            memcpy(req->argv + req->argv_len, args[i], len);
            req->argv_len += (uint32_t)len;
            req->argc++;
        }
    }
    /* The helper checks the same; checking here gives a clear error. */
    if (r == 0)
        r = sv_spawn_start_check(req, nfds);
    if (r == 0)
        r = sv_helper_client_call(c->conn, SV_SPAWN_START, req, sizeof(*req), fds, nfds, &rep,
                                  sizeof(rep), &pidfd, &n);
    free(req);
    if (r == 0 && n != 1) {
        close_all(&pidfd, n);
        r = -EPROTO;
    }
    if (r < 0)
        return fail(r, "start", kind);
    *ret_pid = rep.pid;
    *ret_pidfd = pidfd;
    return 0;
}

int sv_spawn_signal(sv_spawn_client *c, pid_t pid, int signo)
{
    sv_spawn_signal_req req = { .pid = pid, .signo = signo };
    sv_helper_empty_rep rep;
    int r = sv_helper_client_call(c->conn, SV_SPAWN_SIGNAL, &req, sizeof(req), NULL, 0, &rep,
                                  sizeof(rep), NULL, NULL);

    return r < 0 ? fail(r, "signal", NULL) : 0;
}

int sv_spawn_list(sv_spawn_client *c, sv_spawn_proc **ret, size_t *ret_n)
{
    sv_spawn_proc *all = NULL;
    size_t n = 0;
    int r = 0;

    for (;;) {
        sv_helper_list_req req = { .start = (uint32_t)n };
        sv_spawn_list_rep rep;
        int fds[SV_HELPER_MAX_FDS];
        size_t nfds = 0;

        r = sv_helper_client_call(c->conn, SV_SPAWN_LIST, &req, sizeof(req), NULL, 0, &rep,
                                  sizeof(rep), fds, &nfds);
        if (r == 0 && (rep.count > SV_SPAWN_LIST_MAX || nfds != rep.count)) {
            close_all(fds, nfds);
            r = -EPROTO;
        }
        if (r < 0 || rep.count == 0)
            break;
        all = sv_realloc(all, (n + rep.count) * sizeof(*all));
        for (uint32_t i = 0; i < rep.count; i++) {
            all[n].pid = rep.entries[i].pid;
            all[n].pidfd = fds[i];
            memcpy(all[n].kind, rep.entries[i].kind, SV_SPAWN_KIND_MAX);
            all[n++].kind[SV_SPAWN_KIND_MAX - 1] = '\0';
        }
        if (n >= rep.total)
            break;
    }
    if (r < 0) {
        for (size_t i = 0; i < n; i++)
            close(all[i].pidfd);
        free(all);
        return fail(r, "list", NULL);
    }
    *ret = all;
    *ret_n = n;
    return 0;
}

static int env_fd(const char *name)
{
    const char *v = getenv(name);
    int fd;

    return v && sv_parse_int(v, &fd) == 0 && fd >= 3 ? fd : -1;
}

void sv_launcher_fds_from_env(int *ret_launcher, int *ret_net, int *ret_spawn)
{
    *ret_launcher = env_fd("SEPVIRT_LAUNCHER_FD");
    *ret_net = env_fd("SEPVIRT_NET_FD");
    *ret_spawn = env_fd("SEPVIRT_SPAWN_FD");
}

int sv_launcher_channel_read(int fd, uint32_t *ret_helper, int *ret_fd)
{
    const sv_helper_proto *proto = sv_helper_launcher_proto();
    union { sv_launcher_helper_fd_req h; sv_helper_ping_req p; } req;
    sv_helper_empty_rep rep = { 0 };
    int fds[SV_HELPER_MAX_FDS];
    size_t nfds = 0;
    sv_helper_hdr hdr;
    int r = sv_helper_recv(fd, proto, SV_HELPER_DIR_REQUEST, &hdr, &req, sizeof(req), fds,
                           &nfds, NULL);

    if (r < 0)
        return r;
    *ret_fd = -1;
    if (hdr.type == SV_LAUNCHER_HELPER_FD && nfds == 1 &&
        (req.h.helper == SV_HELPER_ID_NET || req.h.helper == SV_HELPER_ID_SPAWN)) {
        *ret_helper = req.h.helper;
        *ret_fd = fds[0];
        nfds = 0;
    }
    close_all(fds, nfds);
    if (hdr.type == SV_HELPER_PING) {
        sv_helper_ping_rep pong = { .nonce = req.p.nonce, .version = proto->version };

        memcpy(pong.name, "frontd", 7);
        r = sv_helper_send_reply(fd, proto, hdr.type, hdr.seq, 0, &pong, sizeof(pong), NULL, 0);
    } else
        r = sv_helper_send_reply(fd, proto, hdr.type, hdr.seq, *ret_fd >= 0 ? 0 : -EINVAL, &rep,
                                 sizeof(rep), NULL, 0);
    /* sepvirtd never reads the reply (its end is shut for reading: EPIPE),
     * another peer may not wait for it (a full queue): neither is an error. */
    return r == -EAGAIN || r == -EPIPE ? 0 : r;
}
