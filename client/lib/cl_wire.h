/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Client-side message encoding: the libvirt framing (length word, six-word
 * header, XDR body) over the rpcgen types from ipc/remote_protocol.x.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <rpc/rpc.h>

#include "remote_protocol.h"

#define CL_WIRE_LEN_SIZE 4
#define CL_WIRE_HEADER_SIZE 24
/* Largest value of the length word (it counts itself). */
#define CL_WIRE_MAX_LEN (REMOTE_MESSAGE_MAX + CL_WIRE_LEN_SIZE)

/* Encode length word + header + body (filter NULL: empty body) into a new
 * malloc'ed buffer.  Returns 0, or -1 with sv_error set. */
int cl_wire_encode(const remote_message_header *hdr, xdrproc_t filter, void *body,
                   char **ret_buf, size_t *ret_len);

/* Decode the header at the start of buf (the bytes after the length word). */
int cl_wire_decode_header(const char *buf, size_t len, remote_message_header *ret_hdr);

/* Decode a body that must use exactly len bytes; on failure everything
 * decoded so far is freed and -1 returned with sv_error set. */
int cl_wire_decode_body(const char *buf, size_t len, xdrproc_t filter, void *ret);

/* Parse a length word; -1 if it is outside [28, CL_WIRE_MAX_LEN]. */
int cl_wire_frame_len(const unsigned char word[CL_WIRE_LEN_SIZE], uint32_t *ret_len);
