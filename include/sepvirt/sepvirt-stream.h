/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: data streams, and the call that opens one for a domain's
 * console (libvirt's virStream and virDomainOpenConsole).
 *
 * A stream is created on a connection, then handed to a call that opens it
 * on the daemon's side.  Data from the daemon is queued by the library's
 * I/O thread until sepvirt_stream_recv() takes it (the queue is not
 * bounded: read what arrives); sepvirt_stream_send() writes data to the
 * daemon.  A stream ends with sepvirt_stream_finish() (after the daemon
 * reported its end of file, or when the application is done) or
 * sepvirt_stream_abort(); both wait for the daemon's confirmation.
 *
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_STREAM_H
#define SEPVIRT_STREAM_H

#include <stddef.h>

#include <sepvirt/sepvirt-common.h>
#include <sepvirt/sepvirt-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sepvirt_stream sepvirt_stream;

typedef enum {
    SEPVIRT_STREAM_NONBLOCK = 1 << 0,   /* recv answers -2 instead of waiting */
} sepvirt_stream_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_CONSOLE_FORCE = 1 << 0,  /* end another session of the device */
    SEPVIRT_DOMAIN_CONSOLE_SAFE = 1 << 1,   /* only with exclusive access */
} sepvirt_domain_console_flag_values;

/* A new stream on conn (a reference the caller drops with
 * sepvirt_stream_free()), or NULL. */
sepvirt_stream *sepvirt_stream_new(sepvirt_conn *conn, unsigned int flags);
int sepvirt_stream_ref(sepvirt_stream *st);
/* Drop a reference.  Freeing a stream that is still open aborts it
 * without waiting for the daemon. */
int sepvirt_stream_free(sepvirt_stream *st);

/* Attach st to the guest's console or serial port dev_name (NULL: the
 * first console, else the first serial port).  flags:
 * SEPVIRT_DOMAIN_CONSOLE_*.  Returns 0 or -1; the error "Active console
 * session exists for this domain" means another session holds it. */
int sepvirt_domain_open_console(sepvirt_domain *dom, const char *dev_name, sepvirt_stream *st,
                                unsigned int flags);

/* Send nbytes; returns nbytes or -1. */
int sepvirt_stream_send(sepvirt_stream *st, const char *data, size_t nbytes);
/* Receive up to nbytes: the number received, 0 at the daemon's end of
 * file, -1 on error (the daemon's error for the stream, e.g. "stream had
 * I/O failure" when another console session forced this one out), or -2
 * when nothing is waiting and the stream is SEPVIRT_STREAM_NONBLOCK. */
int sepvirt_stream_recv(sepvirt_stream *st, char *data, size_t nbytes);
/* A descriptor that is readable while sepvirt_stream_recv() would not wait
 * (data, end of file or an error is there), for poll(). */
int sepvirt_stream_fd(sepvirt_stream *st);

/* End the stream and wait for the daemon's confirmation: finish writes
 * everything sent before it, abort drops what the daemon did not deliver
 * yet.  Returns 0 or -1 (also when the stream already failed: its error). */
int sepvirt_stream_finish(sepvirt_stream *st);
int sepvirt_stream_abort(sepvirt_stream *st);

#ifdef __cplusplus
}
#endif
#endif
