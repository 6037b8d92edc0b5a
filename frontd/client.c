/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "client_core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "sv_util.h"

sv_client *sv_client_new(int fd, int epfd, const struct ucred *cred, bool ro_socket,
                         bool permitted, unsigned max_inflight)
{
    sv_client *c = sv_malloc0(sizeof(*c));

    pthread_mutex_init(&c->lock, NULL);
    c->refs = 1;
    c->fd = fd;
    c->epfd = epfd;
    c->cred = *cred;
    c->ro_socket = ro_socket;
    c->readonly = ro_socket;
    c->permitted = permitted;
    c->max_inflight = max_inflight ? max_inflight : 1;
    c->interest = EPOLLIN;
    c->reader.trust_short_reads = 1;   /* the event loop polls level-triggered */
    return c;
}

void sv_client_ref(sv_client *c)
{
    __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
}

static void outbuf_free_all(sv_client *c)
{
    sv_outbuf *o = c->out_head;

    while (o) {
        sv_outbuf *next = o->next;
        free(o->data);
        free(o);
        o = next;
    }
    c->out_head = c->out_tail = NULL;
    c->out_bytes = 0;
}

void sv_client_unref(sv_client *c)
{
    if (!c || __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    outbuf_free_all(c);
    sv_rpc_reader_clear(&c->reader);
    if (c->fd >= 0)
        close(c->fd);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool sv_client_readonly(sv_client *c)
{
    bool ro;

    pthread_mutex_lock(&c->lock);
    ro = c->readonly;
    pthread_mutex_unlock(&c->lock);
    return ro;
}

uid_t sv_client_uid(sv_client *c)
{
    return c->cred.uid;
}

gid_t sv_client_gid(sv_client *c)
{
    return c->cred.gid;
}

pid_t sv_client_pid(sv_client *c)
{
    return c->cred.pid;
}

static bool reading_blocked(const sv_client *c)
{
    return c->paused || c->closing || c->dead || c->out_bytes > SV_CLIENT_OUTPUT_PAUSE;
}

/* Re-arm the epoll registration to match the state (lock held).  No
 * EPOLLRDHUP: a half-closed peer is noticed by read() returning 0, and a
 * level-triggered RDHUP would spin while reading is blocked. */
static void update_interest(sv_client *c)
{
    struct epoll_event ev = { 0 };

    if (c->dead)
        return;
    if (!reading_blocked(c))
        ev.events |= EPOLLIN;
    if (c->out_head)
        ev.events |= EPOLLOUT;
    if (ev.events == c->interest)
        return;
    c->interest = ev.events;
    ev.data.ptr = c;
    /* Failure means the fd is already being torn down; nothing to do. */
    (void)epoll_ctl(c->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Write queued output until done or the socket is full (lock held).
 * Returns 0, or -errno when the connection failed. */
static int write_locked(sv_client *c)
{
    while (c->out_head) {
        sv_outbuf *o = c->out_head;
        ssize_t n = send(c->fd, o->data + o->off, o->len - o->off, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return -errno;
        }
        o->off += (size_t)n;
        c->out_bytes -= (size_t)n;
        if (o->off < o->len)
            continue;
        c->out_head = o->next;
        if (!c->out_head)
            c->out_tail = NULL;
        free(o->data);
        free(o);
    }
    if (c->closing)
        shutdown(c->fd, SHUT_RDWR);
    return 0;
}

int sv_client_send(sv_client *c, uint8_t *buf, size_t len, bool droppable)
{
    sv_outbuf *o;
    bool was_empty;
    int r = 0;

    pthread_mutex_lock(&c->lock);
    if (c->dead) {
        r = -EPIPE;
        goto drop;
    }
    if (droppable && c->out_bytes > SV_CLIENT_EVENT_QUEUE_MAX) {
        r = -ENOBUFS;
        goto drop;
    }
    o = sv_malloc0(sizeof(*o));
    o->data = buf;
    o->len = len;
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    c->out_bytes += len;
    was_empty = c->out_head == o;

    /* Nothing was waiting: write now instead of waking the loop.  A
     * failure surfaces to the loop as EPOLLERR/EPOLLHUP. */
    if (was_empty && write_locked(c) < 0)
        shutdown(c->fd, SHUT_RDWR);
    update_interest(c);
    pthread_mutex_unlock(&c->lock);
    return 0;

drop:
    pthread_mutex_unlock(&c->lock);
    free(buf);
    return r;
}

int sv_client_flush(sv_client *c)
{
    int r;

    pthread_mutex_lock(&c->lock);
    r = write_locked(c);
    if (r == 0)
        update_interest(c);
    pthread_mutex_unlock(&c->lock);
    return r;
}

void sv_client_close_after_output(sv_client *c)
{
    pthread_mutex_lock(&c->lock);
    c->closing = true;
    if (!c->out_head)
        shutdown(c->fd, SHUT_RDWR);
    else
        update_interest(c);
    pthread_mutex_unlock(&c->lock);
}

int sv_client_set_open(sv_client *c, bool readonly)
{
    int r = 0;

    pthread_mutex_lock(&c->lock);
    if (c->opened) {
        r = -EALREADY;
    } else {
        c->opened = true;
        c->readonly = c->ro_socket || readonly;
    }
    pthread_mutex_unlock(&c->lock);
    return r;
}

bool sv_client_is_open(sv_client *c)
{
    bool open;

    pthread_mutex_lock(&c->lock);
    open = c->opened;
    pthread_mutex_unlock(&c->lock);
    return open;
}

bool sv_client_call_begin(sv_client *c)
{
    bool paused = false;

    pthread_mutex_lock(&c->lock);
    c->inflight++;
    if (c->inflight >= c->max_inflight && !c->paused) {
        c->paused = true;
        paused = true;
        update_interest(c);
    }
    pthread_mutex_unlock(&c->lock);
    return paused;
}

bool sv_client_call_end(sv_client *c)
{
    bool resume = false;

    pthread_mutex_lock(&c->lock);
    c->inflight--;
    if (c->paused && c->inflight < c->max_inflight && !c->dead) {
        c->paused = false;
        resume = true;
    }
    pthread_mutex_unlock(&c->lock);
    return resume;
}

bool sv_client_paused(sv_client *c)
{
    bool paused;

    pthread_mutex_lock(&c->lock);
    paused = reading_blocked(c);
    pthread_mutex_unlock(&c->lock);
    return paused;
}

void sv_client_update_interest(sv_client *c)
{
    pthread_mutex_lock(&c->lock);
    update_interest(c);
    pthread_mutex_unlock(&c->lock);
}

void sv_client_mark_dead(sv_client *c)
{
    pthread_mutex_lock(&c->lock);
    c->dead = true;
    outbuf_free_all(c);
    pthread_mutex_unlock(&c->lock);
}

bool sv_client_is_dead(sv_client *c)
{
    bool dead;

    pthread_mutex_lock(&c->lock);
    dead = c->dead;
    pthread_mutex_unlock(&c->lock);
    return dead;
}
