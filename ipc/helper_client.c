/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "helper_client.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Any reply's payload, aligned for the struct it holds. */
typedef union {
    max_align_t align;
    uint8_t bytes[SV_HELPER_MAX_PAYLOAD];
} payloadbuf;

int sv_helper_call(int sock, const sv_helper_proto *proto, uint32_t *seq, uint16_t type,
                   const void *req, size_t req_len, const int *fds, size_t nfds, void *rep,
                   size_t rep_len, int *rep_fds, size_t *ret_nfds)
{
    const sv_helper_msg *msg = sv_helper_proto_find(proto, type);
    payloadbuf buf;
    sv_helper_hdr hdr;
    size_t ngot = 0;
    int status, r;

    if (!msg || rep_len != msg->rep_size)
        return -EINVAL;
    *seq += 1;
    r = sv_helper_send(sock, proto, type, *seq, req, req_len, fds, nfds);
    for (int stale = 0; r == 0; stale++) {
        /* Into a buffer for any reply: a stale one may be of another type. */
        r = sv_helper_recv(sock, proto, SV_HELPER_DIR_REPLY, &hdr, buf.bytes, sizeof(buf.bytes),
                           rep_fds, &ngot, &status);
        if (r < 0 || hdr.seq == *seq)
            break;
        /* A reply to a request of an earlier requester on this socket
         * (one that died mid-call): drop it, a bounded number of them. */
        sv_helper_close_fds(rep_fds, ngot);
        if (stale == SV_HELPER_STALE_MAX)
            r = -EPROTO;
    }
    if (r == 0 && hdr.type != (type | SV_HELPER_REPLY)) {
        sv_helper_close_fds(rep_fds, ngot);
        r = -EPROTO;
    }
    if (r < 0)
        return r;
    /* Same type, so the decoder checked it is exactly rep_len bytes. */
    memcpy(rep, buf.bytes, rep_len);
    *ret_nfds = ngot;
    return status;
}

struct sv_helper_client {
    pthread_mutex_t lock;
    const sv_helper_proto *proto;
    int sock;
    uint32_t seq;
};

static int ping(sv_helper_client *c)
{
    sv_helper_ping_req req = { .nonce = c->seq ^ 0x5a5aa5a5u };
    sv_helper_ping_rep rep;
    int r = sv_helper_client_call(c, SV_HELPER_PING, &req, sizeof(req), NULL, 0,
                                  &rep, sizeof(rep), NULL, NULL);

    if (r == 0 && (rep.nonce != req.nonce || rep.version != c->proto->version ||
                   strncmp(rep.name, c->proto->name, sizeof(rep.name)) != 0))
        r = -EPROTO;
    return r;
}

int sv_helper_client_new(const sv_helper_proto *proto, int sock, sv_helper_client **ret)
{
    sv_helper_client *c = calloc(1, sizeof(*c));
    int r;

    if (!c) {
        close(sock);
        return -ENOMEM;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->proto = proto;
    c->sock = sock;
    /* Not from 1: a reply still queued for an earlier frontd on this
     * socket must not carry a sequence number we are about to use. */
    c->seq = (uint32_t)getpid() << 16;
    r = ping(c);
    if (r < 0) {
        sv_helper_client_free(c);
        return r;
    }
    *ret = c;
    return 0;
}

void sv_helper_client_free(sv_helper_client *c)
{
    if (!c)
        return;
    if (c->sock >= 0)
        close(c->sock);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

int sv_helper_client_reconnect(sv_helper_client *c, int sock)
{
    pthread_mutex_lock(&c->lock);
    if (c->sock >= 0)
        close(c->sock);
    c->sock = sock;
    pthread_mutex_unlock(&c->lock);
    return ping(c);
}

int sv_helper_client_call(sv_helper_client *c, uint16_t type, const void *req, size_t req_len,
                          const int *fds, size_t nfds, void *rep, size_t rep_len,
                          int *rep_fds, size_t *ret_nfds)
{
    int local[SV_HELPER_MAX_FDS];
    size_t n = 0;
    int r;

    pthread_mutex_lock(&c->lock);
    r = sv_helper_call(c->sock, c->proto, &c->seq, type, req, req_len, fds, nfds,
                       rep, rep_len, rep_fds ? rep_fds : local, &n);
    pthread_mutex_unlock(&c->lock);
    /* A caller that takes no fds gets none: a reply with some is wrong. */
    if (!rep_fds && n > 0) {
        sv_helper_close_fds(local, n);
        return -EPROTO;
    }
    if (ret_nfds)
        *ret_nfds = n;
    else if (rep_fds)
        sv_helper_close_fds(rep_fds, n);
    return r;
}
