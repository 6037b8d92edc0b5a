/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rpc_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rpc_msg.h"
#include "sv_util.h"

/* Take a complete message out of the staging buffer, or start a big one.
 * Returns 1 (message), 0 (need more bytes) or -EBADMSG. */
static int extract(sv_rpc_reader *r, uint8_t **ret_buf, size_t *ret_len)
{
    size_t avail = r->end - r->start;
    uint32_t len;
    uint8_t *msg;

    if (avail < SV_RPC_LEN_SIZE)
        return 0;
    if (sv_rpc_length_decode(r->staging + r->start, &len) < 0)
        return -EBADMSG;

    if (len <= avail) {
        msg = sv_malloc0(len);
        memcpy(msg, r->staging + r->start, len);
        r->start += len;
        if (r->start == r->end)
            r->start = r->end = 0;
        *ret_buf = msg;
        *ret_len = len;
        return 1;
    }

    if (len > SV_RPC_READER_STAGING) {
        /* Read the rest straight into the message's own buffer. */
        r->big = sv_malloc0(len);
        memcpy(r->big, r->staging + r->start, avail);
        r->big_len = len;
        r->big_have = avail;
        r->start = r->end = 0;
        return 0;
    }

    /* Make room at the end of the staging buffer for the rest. */
    if (r->start > 0 && SV_RPC_READER_STAGING - r->start < len) {
        memmove(r->staging, r->staging + r->start, avail);
        r->start = 0;
        r->end = avail;
    }
    return 0;
}

int sv_rpc_reader_next(sv_rpc_reader *r, int fd, uint8_t **ret_buf, size_t *ret_len)
{
    int rc;

    if (!r->staging)
        r->staging = sv_malloc0(SV_RPC_READER_STAGING);

    for (;;) {
        ssize_t n;

        if (r->big) {
            if (r->big_have == r->big_len) {
                *ret_buf = r->big;
                *ret_len = r->big_len;
                r->big = NULL;
                r->big_len = r->big_have = 0;
                return 1;
            }
            n = read(fd, r->big + r->big_have, r->big_len - r->big_have);
            if (n > 0) {
                r->big_have += (size_t)n;
                continue;
            }
        } else {
            rc = extract(r, ret_buf, ret_len);
            if (rc != 0)
                return rc;
            if (r->big)
                continue;
            if (r->drained) {
                r->drained = 0;
                return 0;
            }
            n = read(fd, r->staging + r->end, SV_RPC_READER_STAGING - r->end);
            if (n > 0) {
                r->drained = r->trust_short_reads && (size_t)n < SV_RPC_READER_STAGING - r->end;
                r->end += (size_t)n;
                continue;
            }
        }
        if (n == 0)
            return -ECONNRESET;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -errno;
    }
}

int sv_rpc_reader_pending(const sv_rpc_reader *r)
{
    return r->big != NULL || r->end > r->start;
}

void sv_rpc_reader_clear(sv_rpc_reader *r)
{
    free(r->staging);
    free(r->big);
    memset(r, 0, sizeof(*r));
}
