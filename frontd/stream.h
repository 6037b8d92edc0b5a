/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Data streams (libvirt's virStream on the wire, ipc/rpc_stream.h): a
 * procedure such as DOMAIN_OPEN_CONSOLE attaches a local file descriptor
 * (a socket to the backend) to the call it serves; once the call's reply
 * is queued, a stream thread pumps bytes between that descriptor and the
 * client as STREAM packets with the call's serial.
 *
 * What goes on the wire, as libvirtd does it:
 *   backend data        CONTINUE packets of at most 256 KiB
 *   backend end of file an empty CONTINUE; the stream stays until the
 *                       client finishes or aborts
 *   client finish (OK)  written after the client's earlier data, then
 *                       confirmed with an empty OK packet
 *   client abort        pending data dropped, confirmed with an empty OK
 *   failure / server-   ERROR with a remote_error; nothing more follows
 *   side abort
 *   unknown stream      packets for a stream that is gone are dropped
 *                       (libvirtd's "dummy reply" puts no bytes on the wire)
 *
 * Flow control, bounded both ways and never blocking the event loop:
 * every client data packet not yet written to the descriptor counts as a
 * call in flight (sv_client_call_begin), so a client that outpaces the
 * backend stops being read at its request limit, as with libvirtd; the
 * descriptor is read only while the client's unsent output is below
 * SV_STREAM_TX_MAX, and again after the event loop drained it.
 *
 * A client that disconnects takes its streams with it (descriptors
 * closed, nothing sent).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpc_msg.h"

typedef struct sv_client sv_client;
typedef struct sv_stream sv_stream;

/* Stop reading the backend while this much output waits for the client. */
#define SV_STREAM_TX_MAX (256u * 1024)

/* Called once when a stream ends, whatever the reason, on the stream
 * thread with no lock held.  The stream stays valid while referenced. */
typedef void (*sv_stream_end_cb)(sv_stream *st, void *opaque);

/* From a procedure handler: attach fd (taken, made non-blocking) to the
 * call being handled.  The stream carries data once the handler returned
 * success and its reply was queued; if the handler fails instead, the
 * stream ends without a packet.  end_cb may be NULL.  Returns the stream
 * with a reference for the caller.  At most one stream per call. */
sv_stream *sv_stream_open_fd(sv_client *client, int fd, sv_stream_end_cb end_cb, void *opaque);

/* End the stream from the server side: the client gets a stream error
 * (libvirt's code, domain and message) and the descriptor is closed.
 * Nothing happens when the stream already ended. */
void sv_stream_abort(sv_stream *st, int code, int domain, const char *message);

/* False once the stream ended (or is ending). */
bool sv_stream_is_open(sv_stream *st);

void sv_stream_ref(sv_stream *st);
void sv_stream_unref(sv_stream *st);

/* ---- hooks of the RPC core ---------------------------------------------- */

/* dispatch.c, after handling the call h on this thread: replied is true
 * when its success reply was queued (start the stream the handler opened),
 * false otherwise (discard it). */
void sv_stream_call_done(sv_client *client, const sv_rpc_header *h, bool replied);

/* server.c: a STREAM or STREAM_HOLE packet from the client.  Returns 0, or
 * -EBADMSG when the connection must be closed (a hole on a stream that
 * does not allow holes, as libvirtd). */
int sv_stream_packet(sv_client *client, const sv_rpc_header *h, const uint8_t *payload,
                     size_t len);

/* server.c: the client's output was flushed; streams waiting for room may
 * read their backend again. */
void sv_stream_client_writable(sv_client *client);

/* server.c: the client is going away (already marked dead). */
void sv_stream_client_gone(sv_client *client);
