/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target: the RPC decoder.  The input is a byte stream cut into
 * messages by their length words, as the daemon's reader does; each
 * message goes through sv_rpc_decode_packet() and then, for a CALL of the
 * REMOTE program, the argument decoder of that procedure from the daemon's
 * dispatch table (for a REPLY with status ERROR: remote_error, as clients
 * decode it).  A payload that decodes must re-encode to the same length
 * and decode again.  Seeds: tests/fuzz/corpus/rpc/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "rpc_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const sv_rpc_header *h, xdrproc_t filter, size_t obj_size,
                      const uint8_t *payload, size_t plen)
{
    void *obj = calloc(1, obj_size ? obj_size : 1);
    void *again = calloc(1, obj_size ? obj_size : 1);
    uint8_t *buf = NULL;
    size_t len = 0;

    if (sv_rpc_decode_payload(payload, plen, filter, obj, obj_size) == 0) {
        if (sv_rpc_encode(h, filter, obj, SV_RPC_MAX_MESSAGE, &buf, &len) != 0 ||
            len != SV_RPC_MIN_MESSAGE + plen ||
            sv_rpc_decode_payload(buf + SV_RPC_MIN_MESSAGE, plen, filter, again, obj_size) != 0) {
            fprintf(stderr, "fuzz_rpc: proc %d: payload of %zu bytes does not round-trip (%zu)\n",
                    h->proc, plen, len);
            abort();
        }
        if (filter) {
            xdr_free(filter, obj);
            xdr_free(filter, again);
        }
    }
    free(buf);
    free(obj);
    free(again);
}

static void one_message(const uint8_t *msg, size_t len)
{
    sv_rpc_header h;
    const uint8_t *payload;
    size_t plen;
    const sv_proc *p;

    if (sv_rpc_decode_packet(msg, len, &h, &payload, &plen, NULL) < 0)
        return;
    if (h.type == REMOTE_CALL && h.prog == REMOTE_PROGRAM) {
        p = sv_dispatch_find(h.proc);
        if (p)
            roundtrip(&h, p->args_filter, p->args_size, payload, plen);
    } else if (h.type == REMOTE_REPLY && h.status == REMOTE_ERROR) {
        roundtrip(&h, (xdrproc_t)xdr_remote_error, sizeof(remote_error), payload, plen);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;

    if (!ready) {
        if (sv_dispatch_init() < 0)
            abort();
        ready = 1;
    }
    while (size >= SV_RPC_LEN_SIZE) {
        uint32_t len;
        uint8_t *copy;

        if (sv_rpc_length_decode(data, &len) < 0 || len > size)
            return 0;   /* the daemon would close the connection here */
        /* An exact-size copy, so ASan catches any read past the message. */
        copy = malloc(len);
        memcpy(copy, data, len);
        one_message(copy, len);
        free(copy);
        data += len;
        size -= len;
    }
    return 0;
}
