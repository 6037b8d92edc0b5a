/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frontd's connections to the privileged helpers, as the launcher hands
 * them over (docs/security.md): SEPVIRT_NET_FD / SEPVIRT_SPAWN_FD at start,
 * and a HELPER_FD message on SEPVIRT_LAUNCHER_FD whenever it restarted a
 * helper.  One thread watches the launcher channel and swaps the new
 * socket into the client, so callers keep using the same client pointer
 * across helper restarts.
 *
 * A frontd started by hand (tests, no launcher) has no connection: the
 * accessors return NULL and the drivers that need a helper stay off.
 */
#pragma once

#include <stdbool.h>

#include "helper_net_client.h"
#include "helper_spawn_client.h"

/* Take the connections from the environment and start watching the
 * launcher channel.  A helper that does not answer its version check is
 * reported on stderr and treated as absent until the launcher sends a new
 * connection.  Returns 0, or -1 with sv_error set (thread creation). */
int sv_helper_conn_init(void);
void sv_helper_conn_shutdown(void);

/* True when frontd runs under the launcher (it was given a channel). */
bool sv_helper_conn_launched(void);

/* The clients, or NULL (sv_error set) while the helper is unavailable.
 * Valid until sv_helper_conn_shutdown(). */
sv_spawn_client *sv_helper_conn_spawn(void);
sv_net_client *sv_helper_conn_net(void);
