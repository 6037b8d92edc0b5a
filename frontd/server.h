/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The event loop: one epoll set for the listening sockets, every client
 * connection, a signalfd (SIGTERM/SIGINT end the loop) and an eventfd
 * through which workers hand clients back to the loop.
 */
#pragma once

#include "client_core.h"
#include "config.h"
#include "listen.h"

/* Create the epoll set and block the termination signals (call before
 * starting any thread so every thread inherits the mask).  0 or -1 with
 * sv_error set. */
int sv_server_init(const sv_frontd_config *cfg);

/* Serve connections on l (the server takes it). */
int sv_server_add_listener(sv_listener *l);

/* Run until SIGTERM/SIGINT.  Returns 0, or -1 with sv_error set. */
int sv_server_run(void);

/* Tell clients that registered a close callback that the daemon goes away,
 * close every connection and listener (removing the socket files). */
void sv_server_shutdown(void);

/* Release the loop's resources; call after the workers stopped. */
void sv_server_free(void);

/* From any thread: have the loop look at c again (a paused client may read
 * again, or buffered calls are waiting).  Takes a reference. */
void sv_server_wake_client(sv_client *c);

/* Number of connected clients (for tests and logs). */
unsigned sv_server_client_count(void);
