/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Connection core: reference counting, the I/O thread, calls, keepalive. */
#include "cl_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpc_msg.h"
#include "rpc_reader.h"
#include "sv_util.h"

sepvirt_conn *cl_conn_new(int fd, const char *uri, bool readonly)
{
    sepvirt_conn *conn = sv_malloc0(sizeof(*conn));

    pthread_mutex_init(&conn->lock, NULL);
    pthread_mutex_init(&conn->write_lock, NULL);
    pthread_cond_init(&conn->ev_cond, NULL);
    conn->refs = 1;
    conn->fd = fd;
    conn->uri = sv_strdup(uri);
    conn->readonly = readonly;
    conn->wake_pipe[0] = conn->wake_pipe[1] = -1;
    conn->ev_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (pipe2(conn->wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0 || conn->ev_fd < 0)
        abort();   /* out of descriptors at this point is not recoverable */
    /* The I/O thread reads until EAGAIN; writers wait for POLLOUT. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    clock_gettime(CLOCK_MONOTONIC, &conn->last_rx);
    return conn;
}

void cl_conn_ref(sepvirt_conn *conn)
{
    pthread_mutex_lock(&conn->lock);
    conn->refs++;
    pthread_mutex_unlock(&conn->lock);
}

static void wake_io(sepvirt_conn *conn)
{
    char c = 0;

    if (write(conn->wake_pipe[1], &c, 1) < 0 && errno != EAGAIN)
        return;   /* the pipe is non-blocking and only needs one byte */
}

/* conn->lock held. */
static void mark_dead_locked(sepvirt_conn *conn, int reason, const char *fmt, va_list ap)
{
    cl_call *c;
    cl_event *ev;

    if (conn->dead)
        return;
    conn->dead = true;
    conn->close_reason = reason;
    conn->dead_error.domain = SV_FROM_RPC;
    conn->dead_error.code = SV_ERR_SYSTEM_ERROR;
    vsnprintf(conn->dead_error.message, sizeof(conn->dead_error.message), fmt, ap);
    for (c = conn->calls; c; c = c->next)
        pthread_cond_signal(&c->cond);
    cl_stream_conn_dead(conn);
    ev = sv_malloc0(sizeof(*ev));
    ev->kind = CL_EV_CLOSED;
    ev->detail = reason;
    cl_event_push(conn, ev);
}

void cl_conn_mark_dead(sepvirt_conn *conn, int reason, const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&conn->lock);
    va_start(ap, fmt);
    mark_dead_locked(conn, reason, fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&conn->lock);
}

/* Write a whole buffer; returns 0 or -errno. */
static int send_all(sepvirt_conn *conn, const char *buf, size_t len)
{
    int r = 0;

    pthread_mutex_lock(&conn->write_lock);
    while (len > 0) {
        ssize_t n = send(conn->fd, buf, len, MSG_NOSIGNAL);

        if (n < 0) {
            struct pollfd pfd = { .fd = conn->fd, .events = POLLOUT };

            if (errno == EINTR)
                continue;
            if (errno == EAGAIN && poll(&pfd, 1, -1) >= 0)
                continue;
            r = -errno;
            break;
        }
        buf += n;
        len -= (size_t)n;
    }
    pthread_mutex_unlock(&conn->write_lock);
    return r;
}

int cl_conn_send(sepvirt_conn *conn, const uint8_t *buf, size_t len)
{
    int r = send_all(conn, (const char *)buf, len);

    if (r < 0) {
        cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR, "Cannot write data: %s",
                          strerror(-r));
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_SYSTEM_ERROR, "Cannot write data: %s",
                     strerror(-r));
        return -1;
    }
    return 0;
}

static void send_keepalive(sepvirt_conn *conn, int proc)
{
    sv_rpc_header hdr = {
        .prog = KEEPALIVE_PROGRAM, .vers = KEEPALIVE_PROTOCOL_VERSION,
        .proc = proc, .type = REMOTE_MESSAGE, .serial = 0, .status = REMOTE_OK,
    };
    _cleanup_free_ uint8_t *buf = NULL;
    size_t len;
    int r;

    if (sv_rpc_encode(&hdr, NULL, NULL, SV_RPC_MAX_MESSAGE, &buf, &len) < 0)
        return;
    if ((r = send_all(conn, (const char *)buf, len)) < 0)
        cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR, "Cannot write data: %s",
                          strerror(-r));
}

/* One complete message from the daemon; takes ownership of msg. */
static void handle_message(sepvirt_conn *conn, uint8_t *msg, size_t len)
{
    sv_rpc_header hdr;
    const uint8_t *payload;
    size_t plen;
    cl_call *c;

    if (sv_rpc_decode_packet(msg, len, &hdr, &payload, &plen, NULL) < 0) {
        cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR,
                          "malformed packet received from server");
        free(msg);
        return;
    }
    pthread_mutex_lock(&conn->lock);
    clock_gettime(CLOCK_MONOTONIC, &conn->last_rx);
    conn->ka_sent = 0;
    pthread_mutex_unlock(&conn->lock);

    if (hdr.prog == KEEPALIVE_PROGRAM) {
        if (hdr.proc == KEEPALIVE_PROC_PING && hdr.type == REMOTE_MESSAGE)
            send_keepalive(conn, KEEPALIVE_PROC_PONG);
    } else if (hdr.prog != REMOTE_PROGRAM || hdr.vers != REMOTE_PROTOCOL_VERSION) {
        /* QEMU/LXC programs: nothing we asked for */
    } else if (hdr.type == REMOTE_REPLY) {
        pthread_mutex_lock(&conn->lock);
        for (c = conn->calls; c; c = c->next) {
            if (c->serial == hdr.serial && c->proc == hdr.proc && !c->done)
                break;
        }
        if (c) {
            /* The waiting caller decodes the payload and frees msg. */
            c->msg = msg;
            c->reply = payload;
            c->reply_len = plen;
            c->status = hdr.status;
            c->done = true;
            pthread_cond_signal(&c->cond);
            msg = NULL;
        }
        pthread_mutex_unlock(&conn->lock);
    } else if (hdr.type == REMOTE_MESSAGE && hdr.status == REMOTE_OK) {
        cl_event_incoming(conn, hdr.proc, payload, plen);
    } else if (hdr.type == REMOTE_STREAM || hdr.type == REMOTE_STREAM_HOLE) {
        cl_stream_incoming(conn, &hdr, msg, payload, plen);
        msg = NULL;
    }
    free(msg);
}

/* Milliseconds until the next keepalive action, or -1 for none. */
static int keepalive_timeout(sepvirt_conn *conn)
{
    struct timespec now;
    long long due_ms, now_ms;

    if (conn->ka_interval <= 0 || !conn->feature_keepalive)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    due_ms = (long long)conn->last_rx.tv_sec * 1000 + conn->last_rx.tv_nsec / 1000000 +
             (long long)conn->ka_interval * 1000 * (conn->ka_sent + 1);
    now_ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    return due_ms <= now_ms ? 0 : (int)(due_ms - now_ms);
}

static void *io_main(void *arg)
{
    sepvirt_conn *conn = arg;
    /* Level-triggered poll below: a short read means the socket is drained. */
    sv_rpc_reader reader = { .trust_short_reads = 1 };

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = conn->fd, .events = POLLIN },
            { .fd = conn->wake_pipe[0], .events = POLLIN },
        };
        int timeout, n;
        bool stop, dead;

        pthread_mutex_lock(&conn->lock);
        stop = conn->io_stop;
        dead = conn->dead;
        timeout = keepalive_timeout(conn);
        pthread_mutex_unlock(&conn->lock);
        if (stop || dead)
            break;

        n = poll(fds, 2, timeout);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR, "poll failed: %s",
                              strerror(errno));
            break;
        }
        if (fds[1].revents) {
            char drain[64];

            while (read(conn->wake_pipe[0], drain, sizeof(drain)) > 0)
                ;
            continue;
        }
        if (n == 0) {
            bool give_up;

            pthread_mutex_lock(&conn->lock);
            give_up = conn->ka_sent >= conn->ka_count;
            if (!give_up)
                conn->ka_sent++;
            pthread_mutex_unlock(&conn->lock);
            if (give_up) {
                cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_KEEPALIVE,
                                  "internal error: connection closed due to keepalive timeout");
                break;
            }
            send_keepalive(conn, KEEPALIVE_PROC_PING);
            continue;
        }

        for (;;) {
            uint8_t *msg;
            size_t len;
            int r = sv_rpc_reader_next(&reader, conn->fd, &msg, &len);

            if (r == 1) {
                handle_message(conn, msg, len);
                continue;
            }
            if (r == -ECONNRESET)
                cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_EOF,
                                  "End of file while reading data: Input/output error");
            else if (r == -EBADMSG)
                cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR,
                                  "malformed packet received from server");
            else if (r < 0)
                cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR,
                                  "Cannot recv data: %s", strerror(-r));
            break;
        }
    }
    sv_rpc_reader_clear(&reader);
    return NULL;
}

int cl_conn_start_io(sepvirt_conn *conn)
{
    int r = pthread_create(&conn->io_thread, NULL, io_main, conn);

    if (r != 0) {
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_SYSTEM_ERROR,
                     "cannot start connection thread: %s", strerror(r));
        return -1;
    }
    conn->io_started = true;
    return 0;
}

int cl_error_from_remote(const uint8_t *body, size_t len, sv_error *ret)
{
    remote_error err;

    if (sv_rpc_decode_payload(body, len, (xdrproc_t)xdr_remote_error, &err, sizeof(err)) < 0)
        return -1;
    ret->domain = err.domain;
    ret->code = err.code;
    /* How libvirt clients read a server that lacks a procedure. */
    if ((err.domain == SV_FROM_REMOTE || err.domain == SV_FROM_RPC) &&
        err.code == SV_ERR_RPC && err.level == 2 && err.message &&
        strncmp(*err.message, "unknown procedure", 17) == 0)
        ret->code = SV_ERR_NO_SUPPORT;
    snprintf(ret->message, sizeof(ret->message), "%s", err.message ? *err.message : "unknown error");
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&err);
    return 0;
}

static void set_error_from_remote(sepvirt_conn *conn, const uint8_t *body, size_t len)
{
    sv_error e;

    if (cl_error_from_remote(body, len, &e) < 0)
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message payload");
    else
        cl_error_set(conn, e.domain, e.code, "%s", e.message);
}

int cl_call_remote(sepvirt_conn *conn, int proc, xdrproc_t args_filter, void *args,
                   xdrproc_t ret_filter, void *ret)
{
    return cl_call_remote_hooked(conn, proc, args_filter, args, ret_filter, ret, NULL, NULL);
}

int cl_call_remote_hooked(sepvirt_conn *conn, int proc, xdrproc_t args_filter, void *args,
                          xdrproc_t ret_filter, void *ret, cl_serial_hook on_serial,
                          void *opaque)
{
    sv_rpc_header hdr = {
        .prog = REMOTE_PROGRAM, .vers = REMOTE_PROTOCOL_VERSION, .proc = proc,
        .type = REMOTE_CALL, .status = REMOTE_OK,
    };
    cl_call call = { .proc = proc };
    cl_call **pp;
    _cleanup_free_ uint8_t *buf = NULL;
    size_t len;
    int r, rc = -1;

    pthread_mutex_lock(&conn->lock);
    if (conn->dead) {
        pthread_mutex_unlock(&conn->lock);
        /* libvirt's words for a call after the connection went away; the
         * calls it cut short got the reason (dead_error). */
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_INTERNAL_ERROR,
                     "internal error: client socket is closed");
        return -1;
    }
    call.serial = hdr.serial = conn->next_serial++;
    if (on_serial)
        on_serial(conn, call.serial, opaque);
    pthread_mutex_unlock(&conn->lock);

    if ((r = sv_rpc_encode(&hdr, args_filter, args, SV_RPC_MAX_MESSAGE, &buf, &len)) < 0) {
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_RPC, "%s",
                     r == -EMSGSIZE ? "message too large for the remote protocol"
                                    : "Unable to encode message payload");
        return -1;
    }

    pthread_cond_init(&call.cond, NULL);
    pthread_mutex_lock(&conn->lock);
    call.next = conn->calls;
    conn->calls = &call;
    pthread_mutex_unlock(&conn->lock);

    if ((r = send_all(conn, (const char *)buf, len)) < 0)
        cl_conn_mark_dead(conn, SEPVIRT_CONN_CLOSE_REASON_ERROR, "Cannot write data: %s",
                          strerror(-r));

    pthread_mutex_lock(&conn->lock);
    while (!call.done && !conn->dead)
        pthread_cond_wait(&call.cond, &conn->lock);
    for (pp = &conn->calls; *pp; pp = &(*pp)->next) {
        if (*pp == &call) {
            *pp = call.next;
            break;
        }
    }
    if (!call.done) {
        sv_error e = conn->dead_error;

        pthread_mutex_unlock(&conn->lock);
        cl_error_set(conn, e.domain, e.code, "%s", e.message);
        goto out;
    }
    pthread_mutex_unlock(&conn->lock);

    if (call.status == REMOTE_ERROR) {
        set_error_from_remote(conn, call.reply, call.reply_len);
    } else if (call.status != REMOTE_OK) {
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_RPC, "Unexpected message status %d",
                     call.status);
    } else if (ret_filter) {
        /* Callers zero *ret, so nothing is cleared here (size 0). */
        if (sv_rpc_decode_payload(call.reply, call.reply_len, ret_filter, ret, 0) < 0)
            cl_error_set(conn, SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message payload");
        else
            rc = 0;
    } else if (call.reply_len != 0) {
        cl_error_set(conn, SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message payload");
    } else {
        rc = 0;
    }
 out:
    free(call.msg);
    pthread_cond_destroy(&call.cond);
    return rc;
}

static void teardown(sepvirt_conn *conn)
{
    bool say_goodbye;

    pthread_mutex_lock(&conn->lock);
    say_goodbye = conn->opened && !conn->dead;
    pthread_mutex_unlock(&conn->lock);
    if (say_goodbye) {
        sv_error saved;
        const sv_error *e = sv_error_last();
        bool had = e != NULL;

        /* Closing must not replace the error the caller may still read. */
        if (had)
            saved = *e;
        (void)cl_call_remote(conn, REMOTE_PROC_CONNECT_CLOSE, NULL, NULL, NULL, NULL);
        if (had)
            sv_error_set(saved.domain, saved.code, "%s", saved.message);
        else
            sv_error_reset();
    }

    pthread_mutex_lock(&conn->lock);
    conn->io_stop = true;
    pthread_mutex_unlock(&conn->lock);
    if (conn->io_started) {
        wake_io(conn);
        pthread_join(conn->io_thread, NULL);
    }
    close(conn->fd);
    close(conn->wake_pipe[0]);
    close(conn->wake_pipe[1]);
    close(conn->ev_fd);
    cl_event_teardown(conn);
    if (conn->close_freecb)
        conn->close_freecb(conn->close_opaque);
    free(conn->uri);
    free(conn->type);
    pthread_cond_destroy(&conn->ev_cond);
    pthread_mutex_destroy(&conn->write_lock);
    pthread_mutex_destroy(&conn->lock);
    free(conn);
}

int cl_conn_unref(sepvirt_conn *conn)
{
    int left;

    pthread_mutex_lock(&conn->lock);
    left = --conn->refs;
    pthread_mutex_unlock(&conn->lock);
    if (left == 0)
        teardown(conn);
    return left;
}

int sepvirt_conn_set_keepalive(sepvirt_conn *conn, int interval, unsigned int count)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    pthread_mutex_lock(&conn->lock);
    if (!conn->feature_keepalive) {
        pthread_mutex_unlock(&conn->lock);
        return 1;
    }
    conn->ka_interval = interval;
    conn->ka_count = count;
    conn->ka_sent = 0;
    pthread_mutex_unlock(&conn->lock);
    wake_io(conn);
    return 0;
}
