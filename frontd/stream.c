/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "client_core.h"
#include "dispatch.h"
#include "evthread.h"
#include "rpc_stream.h"
#include "server.h"
#include "sv_error.h"
#include "sv_util.h"

/* virErrorDomain VIR_FROM_STREAMS: what libvirtd's stream errors carry. */
#define FROM_STREAMS 38

/* A client packet not yet handed to the backend: data, or the finish
 * request that follows it. */
typedef struct rx_pkt {
    struct rx_pkt *next;
    bool finish;
    size_t len, off;
    uint8_t data[];
} rx_pkt;

typedef enum {
    ST_PENDING,     /* the opening call has not replied yet: queue only */
    ST_ACTIVE,
    ST_ENDED,       /* descriptor closed, waiting for the stream thread to reap */
} st_state;

struct sv_stream {
    int refs;                   /* atomic */
    sv_client *client;          /* referenced */
    sv_rpc_header call;         /* prog, vers, proc, serial of the opening call */
    sv_stream_end_cb end_cb;
    void *opaque;
    struct sv_stream *next;     /* S.list, then S.reap */

    /* Under S.lock. */
    st_state state;
    int fd;
    bool eof_sent;              /* the backend's end of file went out */
    bool finishing;             /* the client's finish is queued */
    bool tx_blocked;            /* waiting until the client's output drains */
    bool registered;            /* fd is in S.thread.epfd */
    uint32_t events;
    rx_pkt *rx_head, *rx_tail;
};

static void reap(void);
static void handle_events(void *ptr, uint32_t events);

static struct {
    pthread_mutex_t lock;
    sv_stream *list;            /* pending and active streams; holds a reference each */
    sv_stream *reap;            /* ended: end_cb and the list's reference are due */
    sv_evthread thread;         /* the stream thread; its epoll set has the descriptors */
    int init_error;             /* errno of a failed start of the stream thread */
    unsigned npending;          /* streams in ST_PENDING (atomic reads) */
    unsigned ntx_blocked;       /* streams with tx_blocked (atomic reads) */
} S = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .thread = { .lock = &S.lock, .handle = handle_events, .reap = reap },
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* ---- the client side ---------------------------------------------------- */

static size_t client_backlog(sv_client *c)
{
    size_t n;

    pthread_mutex_lock(&c->lock);
    n = c->out_bytes;
    pthread_mutex_unlock(&c->lock);
    return n;
}

/* A packet to the client; a client that is gone is not an error here (its
 * streams are ended by sv_stream_client_gone). */
static void send_packet(sv_stream *st, int32_t status, const void *data, size_t len)
{
    sv_rpc_header h = sv_rpc_stream_header(&st->call, status);
    uint8_t *buf;
    size_t blen;

    if (sv_rpc_encode_raw(&h, data, len, &buf, &blen) == 0)
        sv_client_send(st->client, buf, blen, false);
}

static void send_error(sv_stream *st, int code, int domain, const char *message)
{
    uint8_t *buf;
    size_t blen;

    if (sv_rpc_encode_stream_error(&st->call, code, domain, message, &buf, &blen) == 0)
        sv_client_send(st->client, buf, blen, false);
}

/* A client data packet was consumed: one call fewer in flight. */
static void rx_release(sv_stream *st)
{
    if (sv_client_call_end(st->client))
        sv_server_wake_client(st->client);
}

/* ---- stream state (S.lock held) ------------------------------------------ */

static bool want_read(const sv_stream *st)
{
    return st->state == ST_ACTIVE && !st->eof_sent && !st->finishing && !st->tx_blocked;
}

static void update_interest(sv_stream *st)
{
    struct epoll_event ev = { .data.ptr = st };

    if (st->state == ST_ACTIVE) {
        if (want_read(st))
            ev.events |= EPOLLIN;
        if (st->rx_head && !st->rx_head->finish)
            ev.events |= EPOLLOUT;
    }
    /* Out of the set when nothing is wanted: a hung-up descriptor would
     * otherwise report EPOLLHUP forever. */
    if (!ev.events) {
        if (st->registered)
            epoll_ctl(S.thread.epfd, EPOLL_CTL_DEL, st->fd, NULL);
        st->registered = false;
    } else if (!st->registered) {
        st->registered = epoll_ctl(S.thread.epfd, EPOLL_CTL_ADD, st->fd, &ev) == 0;
    } else if (ev.events != st->events) {
        epoll_ctl(S.thread.epfd, EPOLL_CTL_MOD, st->fd, &ev);
    }
    st->events = ev.events;
}

static void set_tx_blocked(sv_stream *st, bool blocked)
{
    if (st->tx_blocked == blocked)
        return;
    st->tx_blocked = blocked;
    if (blocked)
        __atomic_add_fetch(&S.ntx_blocked, 1, __ATOMIC_RELAXED);
    else
        __atomic_sub_fetch(&S.ntx_blocked, 1, __ATOMIC_RELAXED);
}

static void leave_pending(sv_stream *st)
{
    if (st->state == ST_PENDING)
        __atomic_sub_fetch(&S.npending, 1, __ATOMIC_RELAXED);
}

/* Drop every queued client packet. */
static void rx_drop(sv_stream *st)
{
    while (st->rx_head) {
        rx_pkt *p = st->rx_head;

        st->rx_head = p->next;
        if (!p->finish)
            rx_release(st);
        free(p);
    }
    st->rx_tail = NULL;
}

/* End st: close the descriptor, release what it holds and hand it to the
 * stream thread, which calls end_cb and drops the list's reference. */
static void end_stream(sv_stream *st)
{
    sv_stream **pp;

    if (st->state == ST_ENDED)
        return;
    leave_pending(st);
    st->state = ST_ENDED;
    set_tx_blocked(st, false);
    rx_drop(st);
    if (st->registered)
        epoll_ctl(S.thread.epfd, EPOLL_CTL_DEL, st->fd, NULL);
    st->registered = false;
    close(st->fd);
    st->fd = -1;
    for (pp = &S.list; *pp; pp = &(*pp)->next) {
        if (*pp == st) {
            *pp = st->next;
            break;
        }
    }
    st->next = S.reap;
    S.reap = st;
    sv_evthread_wake(&S.thread);
}

/* A system error ("what: strerror") ends the stream. */
static void fail(sv_stream *st, const char *what, int errnum)
{
    char text[SV_ERROR_MSG_MAX];

    snprintf(text, sizeof(text), "%s: %s", what, strerror(errnum));
    send_error(st, SV_ERR_SYSTEM_ERROR, FROM_STREAMS, text);
    end_stream(st);
}

/* The backend reached its end (or hung up): tell the client once. */
static void backend_eof(sv_stream *st)
{
    if (st->eof_sent)
        return;
    st->eof_sent = true;
    send_packet(st, REMOTE_CONTINUE, NULL, 0);
}

/* Hand queued client packets to the backend until it would block.  A
 * finish at the head is confirmed and ends the stream. */
static void flush_rx(sv_stream *st)
{
    while (st->state == ST_ACTIVE && st->rx_head) {
        rx_pkt *p = st->rx_head;
        ssize_t n;

        if (p->finish) {
            send_packet(st, REMOTE_OK, NULL, 0);
            end_stream(st);
            return;
        }
        n = write(st->fd, p->data + p->off, p->len - p->off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno != EPIPE && errno != ECONNRESET && errno != EIO) {
                fail(st, "cannot write to stream", errno);
                return;
            }
            /* The backend is gone: what it did not take is lost. */
            backend_eof(st);
            n = (ssize_t)(p->len - p->off);
        }
        p->off += (size_t)n;
        if (p->off < p->len)
            continue;
        st->rx_head = p->next;
        if (!st->rx_head)
            st->rx_tail = NULL;
        free(p);
        rx_release(st);
    }
}

/* One chunk from the backend to the client (stream thread only). */
static void read_backend(sv_stream *st)
{
    static uint8_t buf[SV_RPC_STREAM_CHUNK];
    ssize_t n;

    if (client_backlog(st->client) >= SV_STREAM_TX_MAX) {
        set_tx_blocked(st, true);
        return;
    }
    n = read(st->fd, buf, sizeof(buf));
    if (n > 0) {
        send_packet(st, REMOTE_CONTINUE, buf, (size_t)n);
    } else if (n == 0 || errno == EIO || errno == ECONNRESET || errno == EPIPE) {
        backend_eof(st);
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        fail(st, "cannot read from stream", errno);
    }
}

static sv_stream *find(sv_client *c, const sv_rpc_header *h)
{
    for (sv_stream *st = S.list; st; st = st->next) {
        if (st->client == c && st->call.serial == h->serial && st->call.proc == h->proc &&
            st->call.prog == h->prog && st->call.vers == h->vers)
            return st;
    }
    return NULL;
}

/* ---- the stream thread ----------------------------------------------------- */

/* Between batches: end callbacks and the list's references of streams that
 * ended. */
static void reap(void)
{
    sv_stream *list;

    pthread_mutex_lock(&S.lock);
    list = S.reap;
    S.reap = NULL;
    pthread_mutex_unlock(&S.lock);
    while (list) {
        sv_stream *st = list;

        list = st->next;
        if (st->end_cb)
            st->end_cb(st, st->opaque);
        sv_stream_unref(st);
    }
}

static void handle_events(void *ptr, uint32_t events)
{
    sv_stream *st = ptr;

    if (st->state != ST_ACTIVE)
        return;     /* ended after epoll_wait collected it; reaped later */
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
        flush_rx(st);
    if (want_read(st) && (events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
        read_backend(st);
    if (st->state == ST_ACTIVE)
        update_interest(st);
}

static void start_thread(void)
{
    S.init_error = sv_evthread_start(&S.thread);
}

/* ---- public ------------------------------------------------------------------ */

sv_stream *sv_stream_open_fd(sv_client *c, int fd, sv_stream_end_cb end_cb, void *opaque)
{
    const sv_rpc_header *call = sv_proc_current_call();
    sv_stream *st;

    pthread_once(&init_once, start_thread);
    if (S.init_error || !call) {
        close(fd);
        sv_error_set_errno(SV_FROM_RPC, S.init_error ? S.init_error : EINVAL,
                           "cannot start the stream");
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    st = sv_malloc0(sizeof(*st));
    st->refs = 2;                   /* the caller's and the list's */
    sv_client_ref(c);
    st->client = c;
    st->call = *call;
    st->end_cb = end_cb;
    st->opaque = opaque;
    st->fd = fd;
    st->state = ST_PENDING;

    pthread_mutex_lock(&S.lock);
    __atomic_add_fetch(&S.npending, 1, __ATOMIC_RELAXED);
    st->next = S.list;
    S.list = st;
    /* sv_stream_client_gone() ran already: nobody would end it. */
    if (sv_client_is_dead(c))
        end_stream(st);
    pthread_mutex_unlock(&S.lock);
    return st;
}

void sv_stream_abort(sv_stream *st, int code, int domain, const char *message)
{
    pthread_mutex_lock(&S.lock);
    if (st->state == ST_ACTIVE)
        send_error(st, code, domain, message);
    end_stream(st);
    pthread_mutex_unlock(&S.lock);
}

bool sv_stream_is_open(sv_stream *st)
{
    bool open;

    pthread_mutex_lock(&S.lock);
    open = st->state != ST_ENDED;
    pthread_mutex_unlock(&S.lock);
    return open;
}

void sv_stream_ref(sv_stream *st)
{
    __atomic_add_fetch(&st->refs, 1, __ATOMIC_RELAXED);
}

void sv_stream_unref(sv_stream *st)
{
    if (!st || __atomic_sub_fetch(&st->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    sv_client_unref(st->client);
    free(st);
}

void sv_stream_call_done(sv_client *c, const sv_rpc_header *h, bool replied)
{
    sv_stream *st;

    /* Every call passes here; almost none opened a stream. */
    if (!__atomic_load_n(&S.npending, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&S.lock);
    st = find(c, h);
    if (st && st->state == ST_PENDING) {
        if (replied && !sv_client_is_dead(c)) {
            leave_pending(st);
            st->state = ST_ACTIVE;
            flush_rx(st);
            if (st->state == ST_ACTIVE)
                update_interest(st);
        } else {
            end_stream(st);
        }
    }
    pthread_mutex_unlock(&S.lock);
}

int sv_stream_packet(sv_client *c, const sv_rpc_header *h, const uint8_t *payload, size_t len)
{
    sv_stream *st;

    pthread_mutex_lock(&S.lock);
    st = find(c, h);
    if (!st) {
        /* Late packets of a stream that ended: dropped, as libvirtd does. */
        pthread_mutex_unlock(&S.lock);
        return 0;
    }
    if (h->type == REMOTE_STREAM_HOLE) {
        /* Only sparse streams accept holes, and none here is sparse. */
        end_stream(st);
        pthread_mutex_unlock(&S.lock);
        return -EBADMSG;
    }
    switch (h->status) {
    case REMOTE_CONTINUE:
        if (len == 0 || st->finishing)
            break;
        {
            rx_pkt *p = sv_malloc0(sizeof(*p) + len);

            memcpy(p->data, payload, len);
            p->len = len;
            if (st->rx_tail)
                st->rx_tail->next = p;
            else
                st->rx_head = p;
            st->rx_tail = p;
            sv_client_call_begin(c);
        }
        break;
    case REMOTE_OK:
        if (st->finishing)
            break;
        st->finishing = true;
        {
            rx_pkt *p = sv_malloc0(sizeof(*p));

            p->finish = true;
            if (st->rx_tail)
                st->rx_tail->next = p;
            else
                st->rx_head = p;
            st->rx_tail = p;
        }
        break;
    default:
        /* Abort: what the backend did not take yet is dropped. */
        rx_drop(st);
        send_packet(st, REMOTE_OK, NULL, 0);
        end_stream(st);
        break;
    }
    if (st->state == ST_ACTIVE) {
        flush_rx(st);
        if (st->state == ST_ACTIVE)
            update_interest(st);
    }
    pthread_mutex_unlock(&S.lock);
    return 0;
}

void sv_stream_client_writable(sv_client *c)
{
    if (!__atomic_load_n(&S.ntx_blocked, __ATOMIC_RELAXED))
        return;
    pthread_mutex_lock(&S.lock);
    for (sv_stream *st = S.list; st; st = st->next) {
        if (st->client == c && st->tx_blocked && client_backlog(c) < SV_STREAM_TX_MAX) {
            set_tx_blocked(st, false);
            update_interest(st);
        }
    }
    pthread_mutex_unlock(&S.lock);
}

void sv_stream_client_gone(sv_client *c)
{
    sv_stream *st, *next;

    pthread_mutex_lock(&S.lock);
    for (st = S.list; st; st = next) {
        next = st->next;
        if (st->client == c)
            end_stream(st);
    }
    pthread_mutex_unlock(&S.lock);
}
