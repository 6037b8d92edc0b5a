/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Streams (sepvirt-stream.h).  The connection's I/O thread files every
 * STREAM packet with the open stream of the same procedure and serial:
 * data is queued, an empty CONTINUE is the daemon's end of file, OK
 * confirms our finish or abort, ERROR ends the stream with the daemon's
 * error.  Application threads take data from the queue, send their own
 * packets directly, and wait on the stream's condition variable (under
 * conn->lock) for confirmations.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cl_conn.h"
#include "remote_protocol.h"
#include "rpc_stream.h"
#include "sv_util.h"

typedef struct cl_pkt {
    struct cl_pkt *next;
    uint8_t *msg;               /* the whole message, owned */
    const uint8_t *data;        /* its payload */
    size_t len, off;
} cl_pkt;

struct sepvirt_stream {
    sepvirt_conn *conn;         /* referenced */
    int refs;                   /* atomic */
    bool nonblock;
    int evfd;                   /* readable while recv would not wait */

    /* Under conn->lock. */
    bool open;                  /* in conn->streams */
    bool readable;              /* evfd was signalled */
    int proc;
    uint32_t serial;
    cl_pkt *rx_head, *rx_tail;
    bool eof;                   /* the daemon's end of file */
    bool failed;                /* the daemon's error, or the connection died */
    sv_error error;
    bool closing;               /* our finish or abort is on its way */
    bool confirmed;             /* ... and the daemon confirmed it */
    pthread_cond_t cond;
    sepvirt_stream *next;
};

/* ---- conn->lock held ------------------------------------------------------- */

/* Keep evfd readable exactly while recv would not wait. */
static void update_fd(sepvirt_stream *st)
{
    bool want = st->rx_head || st->eof || st->failed;
    uint64_t v = 1;

    if (want && !st->readable)
        (void)!write(st->evfd, &v, sizeof(v));
    else if (!want && st->readable)
        (void)!read(st->evfd, &v, sizeof(v));
    st->readable = want;
}

static void rx_clear(sepvirt_stream *st)
{
    while (st->rx_head) {
        cl_pkt *p = st->rx_head;

        st->rx_head = p->next;
        free(p->msg);
        free(p);
    }
    st->rx_tail = NULL;
}

static void unlink_stream(sepvirt_stream *st)
{
    sepvirt_stream **pp;

    if (!st->open)
        return;
    for (pp = &st->conn->streams; *pp; pp = &(*pp)->next) {
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    }
    st->open = false;
    st->next = NULL;
}

static void fail(sepvirt_stream *st, const sv_error *e)
{
    if (st->failed)
        return;
    st->failed = true;
    st->error = *e;
    pthread_cond_broadcast(&st->cond);
    update_fd(st);
}

void cl_stream_conn_dead(sepvirt_conn *conn)
{
    for (sepvirt_stream *st = conn->streams; st; st = st->next)
        fail(st, &conn->dead_error);
}

/* ---- the I/O thread -------------------------------------------------------- */

void cl_stream_incoming(sepvirt_conn *conn, const struct sv_rpc_header *hdr, uint8_t *msg,
                        const uint8_t *payload, size_t len)
{
    sepvirt_stream *st;

    pthread_mutex_lock(&conn->lock);
    for (st = conn->streams; st; st = st->next)
        if (st->serial == hdr->serial && st->proc == hdr->proc)
            break;
    if (!st) {
        /* Late packets of a stream we ended: nobody wants them. */
        pthread_mutex_unlock(&conn->lock);
        free(msg);
        return;
    }
    if (hdr->type == REMOTE_STREAM_HOLE) {
        sv_error e = { SV_ERR_RPC, SV_FROM_RPC, "Unexpected stream hole" };
        fail(st, &e);
    } else if (hdr->status == REMOTE_CONTINUE && len == 0) {
        st->eof = true;
        pthread_cond_broadcast(&st->cond);
        update_fd(st);
    } else if (hdr->status == REMOTE_CONTINUE) {
        cl_pkt *p = sv_malloc0(sizeof(*p));

        p->msg = msg;
        p->data = payload;
        p->len = len;
        msg = NULL;
        if (st->rx_tail)
            st->rx_tail->next = p;
        else
            st->rx_head = p;
        st->rx_tail = p;
        pthread_cond_broadcast(&st->cond);
        update_fd(st);
    } else if (hdr->status == REMOTE_OK) {
        st->confirmed = true;
        pthread_cond_broadcast(&st->cond);
    } else {
        sv_error e;

        if (cl_error_from_remote(payload, len, &e) < 0)
            e = (sv_error){ SV_ERR_RPC, SV_FROM_RPC, "Unable to decode message payload" };
        fail(st, &e);
    }
    pthread_mutex_unlock(&conn->lock);
    free(msg);
}

/* ---- the application side ---------------------------------------------------- */

static int check_stream(sepvirt_stream *st)
{
    cl_enter();
    if (!st) {
        cl_error_set(NULL, SV_FROM_NONE, SV_ERR_INVALID_ARG, "invalid stream pointer");
        return -1;
    }
    return 0;
}

sepvirt_stream *sepvirt_stream_new(sepvirt_conn *conn, unsigned int flags)
{
    sepvirt_stream *st;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    if (flags & ~(unsigned)SEPVIRT_STREAM_NONBLOCK) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "unsupported flags (0x%x) in function sepvirt_stream_new",
                     flags & ~(unsigned)SEPVIRT_STREAM_NONBLOCK);
        return NULL;
    }
    st = sv_malloc0(sizeof(*st));
    st->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (st->evfd < 0) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_SYSTEM_ERROR, "cannot create an event fd: %s",
                     strerror(errno));
        free(st);
        return NULL;
    }
    cl_conn_ref(conn);
    st->conn = conn;
    st->refs = 1;
    st->nonblock = flags & SEPVIRT_STREAM_NONBLOCK;
    pthread_cond_init(&st->cond, NULL);
    return st;
}

int sepvirt_stream_ref(sepvirt_stream *st)
{
    if (check_stream(st) < 0)
        return -1;
    __atomic_add_fetch(&st->refs, 1, __ATOMIC_RELAXED);
    return 0;
}

/* Send an empty packet with status (finish, abort). */
static int send_control(sepvirt_stream *st, int32_t status)
{
    sv_rpc_header h = {
        .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION, .proc = st->proc,
        .type = REMOTE_STREAM, .serial = st->serial, .status = status,
    };
    _cleanup_free_ uint8_t *buf = NULL;
    size_t len;

    if (sv_rpc_encode_raw(&h, NULL, 0, &buf, &len) < 0) {
        cl_error_set(st->conn, SV_FROM_RPC, SV_ERR_RPC, "Unable to encode message header");
        return -1;
    }
    return cl_conn_send(st->conn, buf, len);
}

int sepvirt_stream_free(sepvirt_stream *st)
{
    sepvirt_conn *conn;
    bool abort_it;

    if (check_stream(st) < 0)
        return -1;
    if (__atomic_sub_fetch(&st->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return 0;
    conn = st->conn;
    pthread_mutex_lock(&conn->lock);
    abort_it = st->open && !st->failed && !st->closing && !conn->dead;
    unlink_stream(st);
    rx_clear(st);
    pthread_mutex_unlock(&conn->lock);
    /* Without waiting: the confirmation finds no stream and is dropped. */
    if (abort_it)
        (void)send_control(st, REMOTE_ERROR);
    sv_error_reset();
    pthread_cond_destroy(&st->cond);
    close(st->evfd);
    free(st);
    cl_conn_unref(conn);
    return 0;
}

/* Register st for the call being made (cl_call_remote_hooked). */
static void stream_register(sepvirt_conn *conn, uint32_t serial, void *opaque)
{
    sepvirt_stream *st = opaque;

    st->serial = serial;
    st->open = true;
    st->next = conn->streams;
    conn->streams = st;
}

int sepvirt_domain_open_console(sepvirt_domain *dom, const char *dev_name, sepvirt_stream *st,
                                unsigned int flags)
{
    remote_domain_open_console_args args;
    char *name = (char *)(uintptr_t)dev_name;
    bool busy;
    int r;

    if (cl_check_dom(dom) < 0 || check_stream(st) < 0)
        return -1;
    if (st->conn != dom->conn) {
        cl_error_set(st->conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "the stream belongs to another connection");
        return -1;
    }
    pthread_mutex_lock(&st->conn->lock);
    busy = st->open || st->closing;
    st->proc = REMOTE_PROC_DOMAIN_OPEN_CONSOLE;
    pthread_mutex_unlock(&st->conn->lock);
    if (busy) {
        cl_error_set(st->conn, SV_FROM_NONE, SV_ERR_OPERATION_INVALID,
                     "Requested operation is not valid: the stream is already open");
        return -1;
    }
    cl_domain_to_wire(dom, &args.dom);
    args.dev_name = dev_name ? &name : NULL;
    args.flags = flags;
    r = cl_call_remote_hooked(st->conn, REMOTE_PROC_DOMAIN_OPEN_CONSOLE,
                              (xdrproc_t)xdr_remote_domain_open_console_args, &args, NULL, NULL,
                              stream_register, st);
    if (r < 0) {
        pthread_mutex_lock(&st->conn->lock);
        unlink_stream(st);
        rx_clear(st);
        pthread_mutex_unlock(&st->conn->lock);
    }
    return r;
}

/* The error a failed stream reports (conn->lock held by the caller). */
static int raise_failed(sepvirt_stream *st)
{
    sv_error e = st->error;

    pthread_mutex_unlock(&st->conn->lock);
    cl_error_set(st->conn, e.domain, e.code, "%s", e.message);
    return -1;
}

static int not_open(sepvirt_stream *st)
{
    pthread_mutex_unlock(&st->conn->lock);
    cl_error_set(st->conn, SV_FROM_NONE, SV_ERR_OPERATION_INVALID,
                 "Requested operation is not valid: the stream is not open");
    return -1;
}

int sepvirt_stream_send(sepvirt_stream *st, const char *data, size_t nbytes)
{
    sv_rpc_header h = { .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION,
                        .type = REMOTE_STREAM, .status = REMOTE_CONTINUE };

    if (check_stream(st) < 0)
        return -1;
    if (nbytes > (size_t)INT32_MAX) {
        cl_error_set(st->conn, SV_FROM_NONE, SV_ERR_INVALID_ARG, "too much data at once");
        return -1;
    }
    pthread_mutex_lock(&st->conn->lock);
    if (st->failed)
        return raise_failed(st);
    if (!st->open || st->closing)
        return not_open(st);
    h.proc = st->proc;
    h.serial = st->serial;
    pthread_mutex_unlock(&st->conn->lock);

    for (size_t done = 0; done < nbytes;) {
        size_t k = nbytes - done < SV_RPC_STREAM_CHUNK ? nbytes - done : SV_RPC_STREAM_CHUNK;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;

        if (sv_rpc_encode_raw(&h, data + done, k, &buf, &len) < 0 ||
            cl_conn_send(st->conn, buf, len) < 0)
            return -1;
        done += k;
    }
    return (int)nbytes;
}

int sepvirt_stream_recv(sepvirt_stream *st, char *data, size_t nbytes)
{
    size_t got = 0;

    if (check_stream(st) < 0)
        return -1;
    if (nbytes > (size_t)INT32_MAX)
        nbytes = INT32_MAX;
    pthread_mutex_lock(&st->conn->lock);
    for (;;) {
        if (st->rx_head || nbytes == 0)
            break;
        if (st->failed)
            return raise_failed(st);
        if (st->eof)
            break;
        if (!st->open)
            return not_open(st);
        if (st->nonblock) {
            pthread_mutex_unlock(&st->conn->lock);
            return -2;
        }
        pthread_cond_wait(&st->cond, &st->conn->lock);
    }
    while (st->rx_head && got < nbytes) {
        cl_pkt *p = st->rx_head;
        size_t k = p->len - p->off < nbytes - got ? p->len - p->off : nbytes - got;

        memcpy(data + got, p->data + p->off, k);
        got += k;
        p->off += k;
        if (p->off == p->len) {
            st->rx_head = p->next;
            if (!st->rx_head)
                st->rx_tail = NULL;
            free(p->msg);
            free(p);
        }
    }
    update_fd(st);
    pthread_mutex_unlock(&st->conn->lock);
    return (int)got;
}

int sepvirt_stream_fd(sepvirt_stream *st)
{
    return check_stream(st) < 0 ? -1 : st->evfd;
}

/* Finish (OK) or abort (ERROR) and wait for the daemon's word. */
static int close_stream(sepvirt_stream *st, int32_t status)
{
    int r;

    if (check_stream(st) < 0)
        return -1;
    pthread_mutex_lock(&st->conn->lock);
    if (st->failed) {
        unlink_stream(st);
        return raise_failed(st);
    }
    if (!st->open || st->closing)
        return not_open(st);
    st->closing = true;
    pthread_mutex_unlock(&st->conn->lock);

    r = send_control(st, status);

    pthread_mutex_lock(&st->conn->lock);
    while (r == 0 && !st->confirmed && !st->failed)
        pthread_cond_wait(&st->cond, &st->conn->lock);
    unlink_stream(st);
    rx_clear(st);
    if (r == 0 && !st->confirmed)
        return raise_failed(st);
    update_fd(st);
    pthread_mutex_unlock(&st->conn->lock);
    return r;
}

int sepvirt_stream_finish(sepvirt_stream *st)
{
    return close_stream(st, REMOTE_OK);
}

int sepvirt_stream_abort(sepvirt_stream *st)
{
    return close_stream(st, REMOTE_ERROR);
}
