/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of a libsepvirt connection: the handle structs, the RPC call
 * path and the I/O thread.  Not installed.
 *
 * Threads: any number of application threads make calls; each call is
 * written under write_lock and then waits on its own condition variable
 * until the I/O thread (one per connection) hands it the reply with the
 * same serial.  The I/O thread also answers keepalive PINGs, sends our own
 * PINGs, and queues events for the application to dispatch.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <rpc/rpc.h>

#include <sepvirt/sepvirt.h>

#include "sv_error.h"

struct remote_nonnull_domain;
struct sv_rpc_header;

typedef struct cl_call {
    uint32_t serial;
    int proc;
    bool done;
    int status;          /* REMOTE_OK / REMOTE_ERROR */
    uint8_t *msg;        /* the whole reply message (owned) */
    const uint8_t *reply;   /* its payload, inside msg */
    size_t reply_len;
    pthread_cond_t cond;
    struct cl_call *next;
} cl_call;

typedef enum {
    CL_EV_DOMAIN_LIFECYCLE,
    CL_EV_DOMAIN_REBOOT,
    CL_EV_NETWORK_LIFECYCLE,
    CL_EV_CLOSED,
} cl_event_kind;

typedef struct cl_event {
    cl_event_kind kind;
    int callback_id;     /* daemon's callbackID */
    char *name;
    unsigned char uuid[SEPVIRT_UUID_BUFLEN];
    int id;
    int event;
    int detail;
    struct cl_event *next;
} cl_event;

typedef struct cl_evreg {
    bool network;        /* network registration, else domain */
    int event_id;
    int callback_id;     /* daemon's callbackID, also returned to the app */
    void (*cb)(void);    /* real type depends on event_id */
    void *opaque;
    sepvirt_free_cb freecb;
    bool removed;        /* deregistered while a dispatch was running */
    struct cl_evreg *next;
} cl_evreg;

struct sepvirt_conn {
    pthread_mutex_t lock;          /* everything below unless noted */
    int refs;
    int fd;
    bool opened;                   /* CONNECT_OPEN succeeded */
    bool dead;                     /* I/O failed or peer closed */
    int close_reason;              /* sepvirt_conn_close_reason, once dead */
    sv_error dead_error;           /* what a call on a dead connection reports */
    bool have_error;
    sv_error last_error;           /* per-connection last error */

    char *uri;
    char *type;                    /* cached CONNECT_GET_TYPE */
    bool readonly;
    bool feature_keepalive;
    bool feature_event_callback;

    uint32_t next_serial;
    cl_call *calls;

    pthread_mutex_t write_lock;    /* one message at a time on the socket */

    pthread_t io_thread;
    bool io_started;
    bool io_stop;
    int wake_pipe[2];              /* wakes the I/O thread */
    int ka_interval;               /* seconds, <= 0 off */
    unsigned int ka_count;
    unsigned int ka_sent;
    struct timespec last_rx;

    cl_event *ev_head, *ev_tail;
    int ev_fd;                     /* eventfd, readable while events queued */
    pthread_cond_t ev_cond;
    cl_evreg *regs;
    int dispatching;               /* dispatches in progress */

    sepvirt_conn_close_cb close_cb;
    void *close_opaque;
    sepvirt_free_cb close_freecb;

    sepvirt_stream *streams;       /* open streams (cl_stream.c) */
};

struct sepvirt_domain {
    sepvirt_conn *conn;
    int refs;                      /* atomic */
    char *name;
    unsigned char uuid[SEPVIRT_UUID_BUFLEN];
    int id;                        /* atomic; -1 when inactive */
};

struct sepvirt_network {
    sepvirt_conn *conn;
    int refs;                      /* atomic */
    char *name;
    unsigned char uuid[SEPVIRT_UUID_BUFLEN];
};

/* ---- Errors (cl_error.c) ----
 * Every public entry point calls cl_enter(); failures are recorded with
 * cl_error_set() (thread + connection) or, for sv_error already set by a
 * helper, cl_error_keep(conn). */
void cl_enter(void);
void cl_error_set(sepvirt_conn *conn, int domain, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void cl_error_keep(sepvirt_conn *conn);
/* Reject a NULL connection/handle: returns -1 with an error set. */
int cl_check_conn(sepvirt_conn *conn);
/* Reject a NULL argument called `name`: -1 with INVALID_ARG set. */
int cl_require_arg(sepvirt_conn *conn, const void *arg, const char *name);
/* Parse a UUID string argument: -1 with INVALID_ARG set when malformed. */
int cl_uuid_arg(sepvirt_conn *conn, const char *uuid, unsigned char raw[SEPVIRT_UUID_BUFLEN]);

/* ---- Connection life (cl_conn.c) ---- */
sepvirt_conn *cl_conn_new(int fd, const char *uri, bool readonly);
void cl_conn_ref(sepvirt_conn *conn);
/* Drop a reference; tears the connection down at zero.  Returns refs left. */
int cl_conn_unref(sepvirt_conn *conn);
int cl_conn_start_io(sepvirt_conn *conn);
/* Mark the connection dead (reason, error text); wakes every waiter. */
void cl_conn_mark_dead(sepvirt_conn *conn, int reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Perform one call on the REMOTE program.  args_filter NULL = no args,
 * ret_filter NULL = no result; *ret must be zeroed by the caller and is
 * xdr_free()d by the caller after use.  Returns 0, or -1 with the error
 * recorded on the thread and the connection. */
int cl_call_remote(sepvirt_conn *conn, int proc, xdrproc_t args_filter, void *args,
                   xdrproc_t ret_filter, void *ret);
/* The same, calling on_serial(conn, serial, opaque) with conn->lock held
 * once the call has its serial and before it is sent: a stream the call
 * opens registers there, so no packet of it can arrive unclaimed. */
typedef void (*cl_serial_hook)(sepvirt_conn *conn, uint32_t serial, void *opaque);
int cl_call_remote_hooked(sepvirt_conn *conn, int proc, xdrproc_t args_filter, void *args,
                          xdrproc_t ret_filter, void *ret, cl_serial_hook on_serial,
                          void *opaque);
/* Write one encoded message; on failure the connection is marked dead and
 * -1 returned with the error recorded. */
int cl_conn_send(sepvirt_conn *conn, const uint8_t *buf, size_t len);
/* The error a remote_error payload describes (libvirt's remapping of an
 * unknown procedure to NO_SUPPORT included); -1 when it does not decode. */
int cl_error_from_remote(const uint8_t *body, size_t len, sv_error *ret);

/* ---- Events (cl_event.c) ---- */
void cl_event_push(sepvirt_conn *conn, cl_event *ev);   /* conn->lock held */
/* Decode an event message body and queue it; called by the I/O thread. */
void cl_event_incoming(sepvirt_conn *conn, int proc, const uint8_t *body, size_t len);
/* Free queued events and registrations (teardown). */
void cl_event_teardown(sepvirt_conn *conn);

/* ---- Streams (cl_stream.c) ---- */
/* A STREAM packet from the daemon (I/O thread); takes msg, which holds
 * payload. */
void cl_stream_incoming(sepvirt_conn *conn, const struct sv_rpc_header *hdr, uint8_t *msg,
                        const uint8_t *payload, size_t len);
/* The connection died (conn->lock held): every open stream fails. */
void cl_stream_conn_dead(sepvirt_conn *conn);

/* ---- Handles (lib_domain.c, lib_network.c) ---- */
/* NULL handle: -1 with INVALID_DOMAIN recorded. */
int cl_check_dom(sepvirt_domain *dom);
/* The wire form of dom (name borrowed from the handle). */
void cl_domain_to_wire(sepvirt_domain *dom, struct remote_nonnull_domain *rd);
sepvirt_domain *cl_domain_new(sepvirt_conn *conn, const char *name,
                              const unsigned char uuid[SEPVIRT_UUID_BUFLEN], int id);
sepvirt_network *cl_network_new(sepvirt_conn *conn, const char *name,
                                const unsigned char uuid[SEPVIRT_UUID_BUFLEN]);
