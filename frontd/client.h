/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a procedure handler may ask about the connection it serves.
 * The connection object itself belongs to the RPC core (client_core.h).
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

typedef struct sv_client sv_client;

/* True when the connection came in on a read-only socket or was opened
 * with the read-only flag. */
bool sv_client_readonly(sv_client *client);

/* Peer identity from SO_PEERCRED, taken when the connection was accepted. */
uid_t sv_client_uid(sv_client *client);
gid_t sv_client_gid(sv_client *client);
pid_t sv_client_pid(sv_client *client);
