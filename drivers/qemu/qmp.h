/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QMP monitor client.  One reader thread per monitor turns QEMU's output
 * into command replies and events; commands may be issued from any thread
 * and are serialized (QEMU executes them in order anyway).
 *
 * Everything QEMU sends is untrusted: lines are bounded, JSON is parsed
 * with depth limits, and a protocol violation closes the monitor.
 */
#pragma once

#include <stdbool.h>

#include "sv_json.h"

#define SV_QMP_MAX_LINE (1024 * 1024)

typedef struct sv_qmp sv_qmp;

/* Called on the reader thread for every asynchronous event; data may be NULL. */
typedef void (*sv_qmp_event_cb)(sv_qmp *mon, const char *event, const sv_json *data, void *opaque);
/* Called on the reader thread once, when the monitor connection ends
 * (QEMU exited or violated the protocol).  Must not call sv_qmp_close(). */
typedef void (*sv_qmp_eof_cb)(sv_qmp *mon, void *opaque);

/* Take ownership of fd (a connected stream socket to QEMU's QMP server),
 * read the greeting, negotiate capabilities and start the reader thread.
 * Returns 0, or -1 with sv_error set (fd closed). */
int sv_qmp_open(int fd, int timeout_ms, sv_qmp_event_cb on_event, sv_qmp_eof_cb on_eof,
                void *opaque, sv_qmp **ret_mon);
/* Connect to a UNIX socket path, then sv_qmp_open(). */
int sv_qmp_connect(const char *path, int timeout_ms, sv_qmp_event_cb on_event, sv_qmp_eof_cb on_eof,
                   void *opaque, sv_qmp **ret_mon);

/* Execute a command.  args_json is the text of a JSON object or NULL.
 * On success returns 0 and, if ret_return is not NULL, the "return" value
 * (free with sv_json_free).  A QMP error, a timeout or a closed monitor
 * return -1 with sv_error set. */
int sv_qmp_command(sv_qmp *mon, const char *cmd, const char *args_json, int timeout_ms,
                   sv_json **ret_return);

/* True once the connection has ended. */
bool sv_qmp_closed(sv_qmp *mon);

/* Stop the reader thread, close the socket and free the monitor. */
void sv_qmp_close(sv_qmp *mon);
