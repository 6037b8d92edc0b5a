/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * STREAM packets of the libvirt remote protocol (used by frontd's streams
 * and libsepvirt's).  After a call such as DOMAIN_OPEN_CONSOLE replied,
 * both peers send type STREAM packets carrying the call's prog, vers,
 * proc and serial:
 *
 *   status CONTINUE, raw bytes   data (empty: the sender's end of file)
 *   status OK, empty             client: finish; server: confirms a
 *                                client's finish or abort
 *   status ERROR                 client: abort (empty); server: the
 *                                stream failed (payload remote_error)
 *
 * Data is raw, not XDR, and at most SV_RPC_STREAM_CHUNK bytes per packet
 * (what every libvirt release accepts).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "rpc_msg.h"

#define SV_RPC_STREAM_CHUNK REMOTE_MESSAGE_LEGACY_PAYLOAD_MAX

/* The header of a stream packet of the stream opened by call. */
sv_rpc_header sv_rpc_stream_header(const sv_rpc_header *call, int32_t status);

/* Encode a packet with header h and the raw payload data[len] (len may be
 * 0; data may then be NULL).  The buffer is malloc'ed.  Fails (-EMSGSIZE)
 * when len exceeds SV_RPC_STREAM_CHUNK. */
int sv_rpc_encode_raw(const sv_rpc_header *h, const void *data, size_t len,
                      uint8_t **ret_buf, size_t *ret_len);

/* Encode the ERROR packet of the stream opened by call: status ERROR,
 * payload remote_error {code, domain, message, level 2}. */
int sv_rpc_encode_stream_error(const sv_rpc_header *call, int code, int domain,
                               const char *message, uint8_t **ret_buf, size_t *ret_len);
