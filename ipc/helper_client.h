/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The requester's end of one helper connection (frontd's side of the net
 * and spawn helpers): the socket, its sequence numbers and a lock, so any
 * thread may call and only one request is in flight at a time.  Typed
 * wrappers (frontd/helper_*_client.c) sit on top.  Unprivileged code only;
 * returns 0 or -errno, never touches sv_error.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "helper_proto.h"

/* Most replies to an earlier requester a call skips before its own. */
#define SV_HELPER_STALE_MAX 8

/*
 * Send request (type, fresh seq from *seq), wait for its reply, check it
 * answers that type (replies with another seq, left for an earlier
 * requester on the same socket, are dropped: at most SV_HELPER_STALE_MAX of
 * them).  rep (rep_len must be the reply size) and rep_fds/ret_nfds (room
 * for SV_HELPER_MAX_FDS) receive the reply.  Returns the helper's status
 * (0 or -errno), or a transport/protocol error (negative errno as
 * sv_helper_recv, -EPROTO for a mismatched reply).  The caller serialises
 * calls on one socket.
 *
 * Stale replies are frontd's case: a helper's socket outlives a frontd (the
 * launcher hands it to the next one), so replies to the last frontd's
 * requests may still be queued.  The spawn helper, the one privileged
 * requester, has its socket to the launcher to itself from the start and
 * takes only the reply to its request (helpers/spawnhelper.c).
 */
int sv_helper_call(int sock, const sv_helper_proto *proto, uint32_t *seq, uint16_t type,
                   const void *req, size_t req_len, const int *fds, size_t nfds, void *rep,
                   size_t rep_len, int *rep_fds, size_t *ret_nfds);

typedef struct sv_helper_client sv_helper_client;

/*
 * Take over sock and check with PING that the peer is proto's helper
 * (same name, same version).  On failure sock is closed too.
 */
int sv_helper_client_new(const sv_helper_proto *proto, int sock, sv_helper_client **ret);
void sv_helper_client_free(sv_helper_client *c);
/* Replace the socket (the launcher restarted the helper) and check it. */
int sv_helper_client_reconnect(sv_helper_client *c, int sock);

/* One request and its reply: see sv_helper_call (the helper's status, or
 * a transport or protocol error).  rep_fds may be NULL for replies without
 * fds (one with fds is then -EPROTO); with ret_nfds NULL they are closed. */
int sv_helper_client_call(sv_helper_client *c, uint16_t type, const void *req, size_t req_len,
                          const int *fds, size_t nfds, void *rep, size_t rep_len,
                          int *rep_fds, size_t *ret_nfds);
