/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rpc_msg.h"

#include <errno.h>
#include <string.h>

#include "sv_util.h"

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int sv_rpc_length_decode(const uint8_t buf[SV_RPC_LEN_SIZE], uint32_t *ret_len)
{
    uint32_t len = get_be32(buf);

    if (len < SV_RPC_MIN_MESSAGE || len > SV_RPC_MAX_MESSAGE)
        return -EBADMSG;
    *ret_len = len;
    return 0;
}

/* Which statuses each message type may carry. */
static bool status_valid(int32_t type, int32_t status)
{
    switch (type) {
    case REMOTE_CALL:
    case REMOTE_CALL_WITH_FDS:
    case REMOTE_MESSAGE:
        return status == REMOTE_OK;
    case REMOTE_REPLY:
    case REMOTE_REPLY_WITH_FDS:
        return status == REMOTE_OK || status == REMOTE_ERROR;
    case REMOTE_STREAM:
        return status == REMOTE_OK || status == REMOTE_ERROR || status == REMOTE_CONTINUE;
    case REMOTE_STREAM_HOLE:
        return status == REMOTE_OK || status == REMOTE_CONTINUE;
    default:
        return false;
    }
}

int sv_rpc_decode_packet(const uint8_t *buf, size_t len, sv_rpc_header *ret_hdr,
                         const uint8_t **ret_payload, size_t *ret_payload_len,
                         uint32_t *ret_nfds)
{
    sv_rpc_header h;
    uint32_t wire_len;
    uint32_t nfds = 0;
    size_t off = SV_RPC_MIN_MESSAGE;

    if (!buf || len < SV_RPC_MIN_MESSAGE)
        return -EBADMSG;
    if (sv_rpc_length_decode(buf, &wire_len) < 0 || wire_len != len)
        return -EBADMSG;

    h.prog = get_be32(buf + 4);
    h.vers = get_be32(buf + 8);
    h.proc = (int32_t)get_be32(buf + 12);
    h.type = (int32_t)get_be32(buf + 16);
    h.serial = get_be32(buf + 20);
    h.status = (int32_t)get_be32(buf + 24);

    if (!status_valid(h.type, h.status))
        return -EBADMSG;

    if (h.type == REMOTE_CALL_WITH_FDS || h.type == REMOTE_REPLY_WITH_FDS) {
        if (len < off + 4)
            return -EBADMSG;
        nfds = get_be32(buf + off);
        if (nfds > REMOTE_MESSAGE_NUM_FDS_MAX)
            return -EBADMSG;
        off += 4;
    }

    *ret_hdr = h;
    *ret_payload = buf + off;
    *ret_payload_len = len - off;
    if (ret_nfds)
        *ret_nfds = nfds;
    return 0;
}

bool_t sv_rpc_xdr_void(XDR *xdr, void *obj)
{
    (void)xdr;
    (void)obj;
    return TRUE;
}

int sv_rpc_decode_payload(const uint8_t *payload, size_t len, xdrproc_t filter,
                          void *obj, size_t obj_size)
{
    XDR xdr;
    bool ok;

    if (obj_size)
        memset(obj, 0, obj_size);
    if (len > REMOTE_MESSAGE_PAYLOAD_MAX)
        return -EBADMSG;
    /* xdrmem wants a non-const buffer but XDR_DECODE only reads it. */
    xdrmem_create(&xdr, (char *)(uintptr_t)payload, (u_int)len, XDR_DECODE);
    sv_xdr_set_decode_end(1, (u_int)len);
    ok = (!filter || filter(&xdr, obj)) && xdr_getpos(&xdr) == len;
    sv_xdr_set_decode_end(0, 0);
    xdr_destroy(&xdr);
    if (!ok) {
        if (filter)
            xdr_free(filter, obj);
        return -EBADMSG;
    }
    return 0;
}

sv_rpc_header sv_rpc_reply_header(const sv_rpc_header *call, int32_t status)
{
    sv_rpc_header h = *call;

    h.type = REMOTE_REPLY;
    h.status = status;
    return h;
}

int sv_rpc_encode(const sv_rpc_header *h, xdrproc_t filter, const void *obj,
                  size_t max_len, uint8_t **ret_buf, size_t *ret_len)
{
    unsigned long payload = 0;
    size_t total;
    uint8_t *buf;
    XDR xdr;
    bool ok;

    if (filter && filter != (xdrproc_t)sv_rpc_xdr_void) {
        /* xdr_sizeof takes a non-const object but only encodes from it. */
        payload = xdr_sizeof(filter, (void *)(uintptr_t)obj);
        if (payload == 0)
            return -EINVAL;
    }
    total = SV_RPC_MIN_MESSAGE + payload;
    if (total > max_len || total > SV_RPC_MAX_MESSAGE)
        return -EMSGSIZE;

    buf = sv_malloc0(total);
    put_be32(buf, (uint32_t)total);
    put_be32(buf + 4, h->prog);
    put_be32(buf + 8, h->vers);
    put_be32(buf + 12, (uint32_t)h->proc);
    put_be32(buf + 16, (uint32_t)h->type);
    put_be32(buf + 20, h->serial);
    put_be32(buf + 24, (uint32_t)h->status);

    ok = true;
    if (payload > 0) {
        xdrmem_create(&xdr, (char *)buf + SV_RPC_MIN_MESSAGE, (u_int)payload, XDR_ENCODE);
        ok = filter(&xdr, (void *)(uintptr_t)obj) && xdr_getpos(&xdr) == payload;
        xdr_destroy(&xdr);
    }
    if (!ok) {
        free(buf);
        return -EINVAL;
    }
    *ret_buf = buf;
    *ret_len = total;
    return 0;
}

int sv_rpc_encode_error(const sv_rpc_header *call, int code, int domain,
                        const char *message, uint8_t **ret_buf, size_t *ret_len)
{
    sv_rpc_header h = sv_rpc_reply_header(call, REMOTE_ERROR);
    /* remote_string is char **: point at a local copy of the pointer. */
    char *msg = (char *)(uintptr_t)(message ? message : "unknown error");
    remote_error err = {
        .code = code,
        .domain = domain,
        .message = &msg,
        .level = 2,
    };

    /* An over-long text would make the whole reply fail to encode. */
    if (strlen(msg) > REMOTE_STRING_MAX)
        msg = (char *)"error message too long";
    return sv_rpc_encode(&h, (xdrproc_t)xdr_remote_error, &err, SV_RPC_MAX_REPLY, ret_buf, ret_len);
}
