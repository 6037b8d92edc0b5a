/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rpc_stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "sv_util.h"

sv_rpc_header sv_rpc_stream_header(const sv_rpc_header *call, int32_t status)
{
    sv_rpc_header h = *call;

    h.type = REMOTE_STREAM;
    h.status = status;
    return h;
}

int sv_rpc_encode_raw(const sv_rpc_header *h, const void *data, size_t len,
                      uint8_t **ret_buf, size_t *ret_len)
{
    uint8_t *buf;
    size_t hlen;
    uint32_t word;
    int r;

    if (len > SV_RPC_STREAM_CHUNK)
        return -EMSGSIZE;
    /* The header as an empty message, then the bytes behind it. */
    if ((r = sv_rpc_encode(h, NULL, NULL, SV_RPC_MIN_MESSAGE, &buf, &hlen)) < 0)
        return r;
    if (len > 0) {
        buf = sv_realloc(buf, hlen + len);
        memcpy(buf + hlen, data, len);
    }
    word = htonl((uint32_t)(hlen + len));
    memcpy(buf, &word, sizeof(word));
    *ret_buf = buf;
    *ret_len = hlen + len;
    return 0;
}

int sv_rpc_encode_stream_error(const sv_rpc_header *call, int code, int domain,
                               const char *message, uint8_t **ret_buf, size_t *ret_len)
{
    uint32_t type = htonl(REMOTE_STREAM);
    int r = sv_rpc_encode_error(call, code, domain, message, ret_buf, ret_len);

    /* The same packet as an error reply but for its type: the fourth
     * header word, at offset 16 (length, prog, vers, proc come first). */
    if (r == 0)
        memcpy(*ret_buf + 16, &type, sizeof(type));
    return r;
}
