/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Incremental reader that cuts a byte stream (non-blocking socket) into
 * complete RPC messages.  Small messages are gathered in a staging buffer
 * so one read() usually yields several of them; a message bigger than the
 * staging buffer gets its own buffer, allocated only after its length word
 * passed sv_rpc_length_decode().
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SV_RPC_READER_STAGING (64u * 1024)

typedef struct sv_rpc_reader {
    uint8_t *staging;     /* SV_RPC_READER_STAGING bytes, allocated lazily */
    size_t start, end;    /* unread bytes are staging[start..end) */
    uint8_t *big;         /* message being read directly, or NULL */
    size_t big_len, big_have;
    /* Set by callers that poll the fd level-triggered: after a read() that
     * returned less than asked (the socket is drained), report "no message
     * yet" instead of trying read() again, saving one syscall per message;
     * the poller reports the fd again when more arrives. */
    int trust_short_reads;
    int drained;
} sv_rpc_reader;

/* Return the next complete message from fd.
 *   1         *ret_buf (malloc'ed, caller frees) / *ret_len hold a message
 *   0         no complete message yet (read() said EAGAIN)
 *  -EBADMSG   the length word is out of range: the stream is unusable
 *  -ECONNRESET end of file (clean or in the middle of a message)
 *  -errno     read() failed */
int sv_rpc_reader_next(sv_rpc_reader *r, int fd, uint8_t **ret_buf, size_t *ret_len);

/* True when bytes of an incomplete message are buffered. */
int sv_rpc_reader_pending(const sv_rpc_reader *r);

void sv_rpc_reader_clear(sv_rpc_reader *r);
