/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The helper protocol codec: see helper_proto.h.  Linked into privileged
 * helpers, so it allocates nothing and parses nothing of variable shape. */
#include "helper_proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define STATUS_MIN (-4095)

/* Receive buffer: header + the largest payload + one byte so that a longer
 * datagram is seen as truncated rather than fitting by accident. */
typedef union {
    max_align_t align;
    uint8_t bytes[sizeof(sv_helper_hdr) + SV_HELPER_MAX_PAYLOAD + 1];
} msgbuf;

/* One payload, aligned for the struct it holds. */
typedef union {
    max_align_t align;
    uint8_t bytes[SV_HELPER_MAX_PAYLOAD];
} payloadbuf;

typedef union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int) * SV_HELPER_MAX_FDS)];
} cmsgbuf;

void sv_helper_log(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", program_invocation_short_name, line);
}

void sv_helper_close_fds(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

const sv_helper_msg *sv_helper_proto_find(const sv_helper_proto *proto, uint16_t type)
{
    for (size_t i = 0; i < proto->nmsgs; i++)
        if (proto->msgs[i].type == type)
            return &proto->msgs[i];
    return NULL;
}

bool sv_helper_zero(const void *s, size_t size)
{
    const uint8_t *p = s;

    /* zero first byte, and every byte equal to the one before it */
    return size == 0 || (p[0] == 0 && memcmp(p, p + 1, size - 1) == 0);
}

bool sv_helper_str_ok(const char *s, size_t size, bool may_be_empty)
{
    const char *nul = memchr(s, '\0', size);

    return nul && (nul != s || may_be_empty) && sv_helper_zero(nul, size - (size_t)(nul - s));
}

int sv_helper_decode(const sv_helper_proto *proto, sv_helper_dir dir, const uint8_t *buf,
                     size_t len, size_t nfds, sv_helper_view *ret_view)
{
    sv_helper_view v = { 0 };
    bool reply = dir == SV_HELPER_DIR_REPLY;
    size_t want;

    if (len < sizeof(v.hdr))
        return -EBADMSG;
    memcpy(&v.hdr, buf, sizeof(v.hdr));
    if (v.hdr.magic != SV_HELPER_MAGIC)
        return -EBADMSG;
    if (v.hdr.version != proto->version)
        return -EPROTONOSUPPORT;
    if (!!(v.hdr.type & SV_HELPER_REPLY) != reply)
        return -EPROTO;
    v.msg = sv_helper_proto_find(proto, v.hdr.type & (uint16_t)~SV_HELPER_REPLY);
    if (!v.msg)
        return -ENOMSG;
    if (v.hdr.len != len - sizeof(v.hdr))
        return -EBADMSG;
    want = reply ? sizeof(sv_helper_status) + v.msg->rep_size : v.msg->req_size;
    if (v.hdr.len != want)
        return -EMSGSIZE;
    if (nfds > (reply ? v.msg->rep_max_fds : v.msg->req_max_fds))
        return -ETOOMANYREFS;

    v.payload = buf + sizeof(v.hdr);
    v.payload_len = want;
    if (reply) {
        sv_helper_status st;

        memcpy(&st, v.payload, sizeof(st));
        if (st.reserved != 0 || st.status > 0 || st.status < STATUS_MIN)
            return -EBADMSG;
        if (st.status != 0 && nfds > 0)
            return -EPROTO;
        v.status = st.status;
        v.payload += sizeof(st);
        v.payload_len -= sizeof(st);
    }
    *ret_view = v;
    return 0;
}

/* One datagram: header, the status word of a reply, the payload, the fds;
 * all or nothing. */
static int send_msg(int sock, const sv_helper_proto *proto, uint16_t type, uint32_t seq,
                    const sv_helper_status *st, const void *payload, size_t len,
                    const int *fds, size_t nfds)
{
    sv_helper_hdr hdr = {
        .magic = SV_HELPER_MAGIC, .version = proto->version, .type = type, .seq = seq,
        .len = (uint32_t)((st ? sizeof(*st) : 0) + len),
    };
    struct iovec iov[3] = {
        { .iov_base = &hdr, .iov_len = sizeof(hdr) },
        { .iov_base = (void *)st, .iov_len = st ? sizeof(*st) : 0 },
        { .iov_base = (void *)payload, .iov_len = len },
    };
    struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
    cmsgbuf cbuf;
    ssize_t n;

    if (nfds > SV_HELPER_MAX_FDS)
        return -EINVAL;
    if (nfds > 0) {
        struct cmsghdr *c;

        memset(&cbuf, 0, sizeof(cbuf));
        mh.msg_control = cbuf.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    do
        n = sendmsg(sock, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return (size_t)n == sizeof(hdr) + hdr.len ? 0 : -EIO;
}

int sv_helper_send(int sock, const sv_helper_proto *proto, uint16_t type, uint32_t seq,
                   const void *payload, size_t len, const int *fds, size_t nfds)
{
    const sv_helper_msg *msg = sv_helper_proto_find(proto, type);

    /* The sender checks its own message against the table too, so a bug in
     * frontd shows up as an error here, not as a dead helper. */
    if (!msg || len != msg->req_size || nfds > msg->req_max_fds || (len && !payload))
        return -EINVAL;
    return send_msg(sock, proto, type, seq, NULL, payload, len, fds, nfds);
}

int sv_helper_send_reply(int sock, const sv_helper_proto *proto, uint16_t type, uint32_t seq,
                         int status, const void *rep, size_t rep_len, const int *fds, size_t nfds)
{
    const sv_helper_msg *msg = sv_helper_proto_find(proto, type);
    sv_helper_status st = { .status = status };

    if (!msg || rep_len != msg->rep_size || !rep || nfds > msg->rep_max_fds || status > 0 ||
        status < STATUS_MIN)
        return -EINVAL;
    return send_msg(sock, proto, type | SV_HELPER_REPLY, seq, &st, rep, rep_len, fds,
                    status == 0 ? nfds : 0);
}

int sv_helper_recv(int sock, const sv_helper_proto *proto, sv_helper_dir dir,
                   sv_helper_hdr *ret_hdr, void *buf, size_t bufsize,
                   int *fds, size_t *ret_nfds, int *ret_status)
{
    msgbuf m;
    cmsgbuf cbuf;
    struct iovec iov = { .iov_base = m.bytes, .iov_len = sizeof(m.bytes) };
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
    };
    struct cmsghdr *c;
    sv_helper_view v;
    size_t nfds = 0;
    ssize_t n;
    int r = 0;

    do
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    /* The kernel hands all fds of a datagram over in one SCM_RIGHTS
     * message, at most as many as fit the buffer (the rest: MSG_CTRUNC). */
    c = CMSG_FIRSTHDR(&mh);
    if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        nfds = nfds < SV_HELPER_MAX_FDS ? nfds : SV_HELPER_MAX_FDS;
        memcpy(fds, CMSG_DATA(c), nfds * sizeof(int));
        c = CMSG_NXTHDR(&mh, c);
    }
    if (c)
        r = -EPROTO;
    else if (mh.msg_flags & MSG_CTRUNC)
        r = -ETOOMANYREFS;
    else if (n == 0 && nfds == 0)
        return -ECONNRESET;
    else if (mh.msg_flags & MSG_TRUNC)
        r = -EMSGSIZE;
    else
        r = sv_helper_decode(proto, dir, m.bytes, (size_t)n, nfds, &v);
    if (r == 0 && v.payload_len > bufsize)
        r = -ENOBUFS;
    if (r < 0) {
        sv_helper_close_fds(fds, nfds);
        return r;
    }
    memcpy(buf, v.payload, v.payload_len);
    *ret_hdr = v.hdr;
    *ret_nfds = nfds;
    if (ret_status)
        *ret_status = v.status;
    return 0;
}

int sv_helper_dispatch_check(const sv_helper_proto *proto,
                             const sv_helper_dispatch *table, size_t n)
{
    size_t handled = 0;

    for (size_t i = 0; i < proto->nmsgs; i++) {
        const sv_helper_msg *m = &proto->msgs[i];
        size_t count = 0;

        for (size_t j = 0; j < n; j++)
            count += table[j].type == m->type && table[j].handler;
        if (m->req_size > SV_HELPER_MAX_PAYLOAD ||
            m->rep_size + sizeof(sv_helper_status) > SV_HELPER_MAX_PAYLOAD ||
            m->req_max_fds > SV_HELPER_MAX_FDS || m->rep_max_fds > SV_HELPER_MAX_FDS ||
            (m->type & SV_HELPER_REPLY) || sv_helper_proto_find(proto, m->type) != m ||
            count != (m->type == SV_HELPER_PING ? 0u : 1u))
            return -EINVAL;
        handled += count;
    }
    return handled == n ? 0 : -EINVAL;
}

int sv_helper_serve_one(int sock, const sv_helper_proto *proto, const sv_helper_dispatch *table,
                        size_t n, void *ctx, uint16_t *ret_type)
{
    payloadbuf req, rep;
    int fds[SV_HELPER_MAX_FDS], rep_fds[SV_HELPER_MAX_FDS];
    size_t nfds = 0, rep_nfds = 0;
    sv_helper_handler handler = NULL;
    const sv_helper_msg *msg;
    sv_helper_hdr hdr;
    int status, r;

    r = sv_helper_recv(sock, proto, SV_HELPER_DIR_REQUEST, &hdr, req.bytes,
                       sizeof(req.bytes), fds, &nfds, NULL);
    if (r < 0)
        return r;
    if (ret_type)
        *ret_type = hdr.type;
    msg = sv_helper_proto_find(proto, hdr.type);
    memset(rep.bytes, 0, msg->rep_size);
    for (size_t i = 0; i < n; i++)
        if (table[i].type == hdr.type)
            handler = table[i].handler;

    if (hdr.type == SV_HELPER_PING) {
        const sv_helper_ping_req *ping = (const void *)req.bytes;
        sv_helper_ping_rep *pong = (void *)rep.bytes;

        pong->nonce = ping->nonce;
        pong->version = proto->version;
        strncpy(pong->name, proto->name, sizeof(pong->name) - 1);
        status = ping->reserved ? -EINVAL : 0;
    } else
        status = handler ? handler(ctx, req.bytes, fds, nfds, rep.bytes, rep_fds, &rep_nfds)
                         : -ENOSYS;
    if (rep_nfds > msg->rep_max_fds || status > 0 || status < STATUS_MIN) {
        /* A handler bug must not become a protocol violation seen by the
         * peer: answer EIO and drop what it produced. */
        rep_nfds = rep_nfds > SV_HELPER_MAX_FDS ? SV_HELPER_MAX_FDS : rep_nfds;
        status = -EIO;
    }
    if (status != 0) {
        sv_helper_close_fds(rep_fds, rep_nfds);
        rep_nfds = 0;
        memset(rep.bytes, 0, msg->rep_size);
    }
    sv_helper_close_fds(fds, nfds);
    r = sv_helper_send_reply(sock, proto, hdr.type, hdr.seq, status, rep.bytes,
                             msg->rep_size, rep_fds, rep_nfds);
    sv_helper_close_fds(rep_fds, rep_nfds);
    return r;
}

int sv_helper_serve(int sock, const sv_helper_proto *proto, const sv_helper_dispatch *table,
                    size_t n, void *ctx)
{
    uint16_t type = 0;
    int r;

    if (sv_helper_dispatch_check(proto, table, n) < 0) {
        sv_helper_log("dispatch table does not match the protocol table");
        return 2;
    }
    while ((r = sv_helper_serve_one(sock, proto, table, n, ctx, &type)) == 0)
        ;
    if (r == -ECONNRESET)
        return 0;
    sv_helper_log("protocol violation or transport error (last type %u): %s; exiting", type,
                  strerror(-r));
    return 3;
}
