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
