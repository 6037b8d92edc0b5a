/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Framing of the libvirt remote protocol: the length word, the 24-byte
 * header and XDR payloads.  Used by the daemon (frontd), the client library
 * and the fuzz target; no I/O here, only buffers.
 *
 * A message on the wire is  len(4) | header(24) | payload(len-28).
 * Every length is checked before anything is allocated for it; a message
 * that fails any check is "malformed" and the connection carrying it is
 * closed by the caller.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "remote_protocol.h"

#define SV_RPC_LEN_SIZE 4
#define SV_RPC_HEADER_SIZE 24
#define SV_RPC_MIN_MESSAGE (SV_RPC_LEN_SIZE + SV_RPC_HEADER_SIZE)
/* Largest value of the length word we accept: 4 + 32 MiB. */
#define SV_RPC_MAX_MESSAGE (SV_RPC_LEN_SIZE + REMOTE_MESSAGE_MAX)
/* Replies are kept below the old 16 MiB limit so old clients accept them. */
#define SV_RPC_MAX_REPLY (16u * 1024 * 1024)

typedef struct sv_rpc_header {
    uint32_t prog;
    uint32_t vers;
    int32_t proc;
    int32_t type;     /* REMOTE_CALL, REMOTE_REPLY, ... */
    uint32_t serial;
    int32_t status;   /* REMOTE_OK, REMOTE_ERROR, REMOTE_CONTINUE */
} sv_rpc_header;

/* Validate a length word (big-endian, first 4 bytes of a message).
 * Returns 0 and the total message size (including the word itself), or
 * -EBADMSG when it is below 28 or above SV_RPC_MAX_MESSAGE. */
int sv_rpc_length_decode(const uint8_t buf[SV_RPC_LEN_SIZE], uint32_t *ret_len);

/* Decode and sanity-check a complete message (length word included):
 * the length word must equal len, the header must be well formed (known
 * type and status, status allowed for that type) and, for CALL_WITH_FDS /
 * REPLY_WITH_FDS, the fd count must be present and <= 32.  On success the
 * payload (after the header and any fd count) is returned by pointer into
 * buf; nothing is allocated.  Returns 0 or -EBADMSG. */
int sv_rpc_decode_packet(const uint8_t *buf, size_t len, sv_rpc_header *ret_hdr,
                         const uint8_t **ret_payload, size_t *ret_payload_len,
                         uint32_t *ret_nfds);

/* The filter for an empty payload.  (libtirpc's xdr_void takes no
 * arguments, so a cast of it to xdrproc_t trips -Wcast-function-type.)
 * NULL is accepted wherever a filter is expected and means the same. */
bool_t sv_rpc_xdr_void(XDR *xdr, void *obj);
#define SV_XDR_VOID ((xdrproc_t)sv_rpc_xdr_void)

/* Decode an XDR payload strictly into obj (obj_size bytes, zeroed first;
 * XDR only allocates into NULL pointers): the filter must
 * succeed (it enforces every <max> of the .x file) and consume every byte.
 * On failure whatever was allocated is freed again.  Returns 0 or -EBADMSG. */
int sv_rpc_decode_payload(const uint8_t *payload, size_t len, xdrproc_t filter,
                          void *obj, size_t obj_size);

/* Encode a message: header h, then obj through filter (NULL or SV_XDR_VOID
 * for an empty payload).  The buffer is malloc'ed with the length word filled
 * in.  Fails (-EMSGSIZE) when the result would exceed max_len. */
int sv_rpc_encode(const sv_rpc_header *h, xdrproc_t filter, const void *obj,
                  size_t max_len, uint8_t **ret_buf, size_t *ret_len);

/* Encode the ERROR reply to call: status ERROR, type REPLY, prog/vers/proc/
 * serial echoed, payload remote_error {code, domain, message, level 2}. */
int sv_rpc_encode_error(const sv_rpc_header *call, int code, int domain,
                        const char *message, uint8_t **ret_buf, size_t *ret_len);

/* Convenience: the header of a reply to call with the given status. */
sv_rpc_header sv_rpc_reply_header(const sv_rpc_header *call, int32_t status);
