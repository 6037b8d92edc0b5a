/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "server.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "autodestroy.h"
#include "busypoll.h"
#include "dispatch.h"
#include "events.h"
#include "rpc_msg.h"
#include "stream.h"
#include "sv_error.h"
#include "sv_util.h"

/* What an epoll registration points at: the first int of the object. */
enum { POLL_LISTENER = 1, POLL_CLIENT, POLL_SIGNAL, POLL_WAKE };

#define MAX_LISTENERS 8
#define EPOLL_BATCH 64
/* Messages handled per client per wake-up, so one busy client cannot
 * starve the others. */
#define CLIENT_BUDGET 64

typedef struct wake_entry {
    struct wake_entry *next;
    sv_client *client;
} wake_entry;

static struct {
    int epfd;
    int sigfd;
    int wakefd;
    sv_listener *listeners[MAX_LISTENERS];
    size_t nlisteners;
    sv_client *clients;          /* loop thread only */
    unsigned nclients;           /* atomic reads from other threads */
    unsigned max_clients;
    unsigned max_requests;
    pthread_mutex_t wake_lock;
    wake_entry *wake_list;
    sv_busypoll busypoll;        /* loop thread only */
} srv = { .epfd = -1, .sigfd = -1, .wakefd = -1,
          .wake_lock = PTHREAD_MUTEX_INITIALIZER };

static int poll_kind_signal = POLL_SIGNAL;
static int poll_kind_wake = POLL_WAKE;

static int epoll_add(int fd, uint32_t events, void *ptr)
{
    struct epoll_event ev = { .events = events, .data.ptr = ptr };

    return epoll_ctl(srv.epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int sv_server_init(const sv_frontd_config *cfg)
{
    sigset_t mask;

    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &mask, NULL) != 0) {
        sv_error_set(SV_FROM_NONE, SV_ERR_SYSTEM_ERROR, "cannot block signals");
        return -1;
    }
    /* Replies go out with MSG_NOSIGNAL; this covers anything else. */
    signal(SIGPIPE, SIG_IGN);

    srv.max_clients = cfg->max_clients;
    srv.max_requests = cfg->max_client_requests;
    sv_busypoll_init(&srv.busypoll, (uint64_t)cfg->busy_poll_us * 1000u);
    srv.epfd = epoll_create1(EPOLL_CLOEXEC);
    srv.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    srv.wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (srv.epfd < 0 || srv.sigfd < 0 || srv.wakefd < 0 ||
        epoll_add(srv.sigfd, EPOLLIN, &poll_kind_signal) < 0 ||
        epoll_add(srv.wakefd, EPOLLIN, &poll_kind_wake) < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot set up the event loop");
        return -1;
    }
    return 0;
}

int sv_server_add_listener(sv_listener *l)
{
    if (srv.nlisteners == MAX_LISTENERS) {
        sv_error_set(SV_FROM_NONE, SV_ERR_INTERNAL_ERROR, "too many listening sockets");
        sv_listener_close(l, true);
        return -1;
    }
    l->poll_kind = POLL_LISTENER;
    if (epoll_add(l->fd, EPOLLIN, l) < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "epoll");
        sv_listener_close(l, true);
        return -1;
    }
    srv.listeners[srv.nlisteners++] = l;
    return 0;
}

unsigned sv_server_client_count(void)
{
    return __atomic_load_n(&srv.nclients, __ATOMIC_RELAXED);
}

void sv_server_wake_client(sv_client *c)
{
    wake_entry *e = sv_malloc0(sizeof(*e));
    uint64_t one = 1;

    sv_client_ref(c);
    e->client = c;
    pthread_mutex_lock(&srv.wake_lock);
    e->next = srv.wake_list;
    srv.wake_list = e;
    pthread_mutex_unlock(&srv.wake_lock);
    /* The counter only needs to become non-zero; EAGAIN means it is. */
    (void)!write(srv.wakefd, &one, sizeof(one));
}

static void client_close(sv_client *c)
{
    if (c->dead)
        return;
    epoll_ctl(srv.epfd, EPOLL_CTL_DEL, c->fd, NULL);
    sv_client_mark_dead(c);
    sv_events_client_gone(c);
    sv_stream_client_gone(c);
    sv_autodestroy_client_gone(c);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv.clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    __atomic_sub_fetch(&srv.nclients, 1, __ATOMIC_RELAXED);
    sv_client_unref(c);
}

static void reply_error(sv_client *c, const sv_rpc_header *h, int code, int domain,
                        const char *msg)
{
    uint8_t *buf;
    size_t len;

    if (sv_rpc_encode_error(h, code, domain, msg, &buf, &len) == 0)
        sv_client_send(c, buf, len, false);
}

static void send_pong(sv_client *c)
{
    sv_rpc_header h = { KEEPALIVE_PROGRAM, KEEPALIVE_PROTOCOL_VERSION, KEEPALIVE_PROC_PONG,
                        REMOTE_MESSAGE, 0, REMOTE_OK };
    uint8_t *buf;
    size_t len;

    if (sv_rpc_encode(&h, NULL, NULL, SV_RPC_MAX_REPLY, &buf, &len) == 0)
        sv_client_send(c, buf, len, false);
}

/* One complete message from c.  Returns 0, or -EBADMSG to drop c. */
static int handle_message(sv_client *c, const uint8_t *msg, size_t len)
{
    sv_rpc_header h;
    const uint8_t *payload;
    size_t plen;

    if (sv_rpc_decode_packet(msg, len, &h, &payload, &plen, NULL) < 0)
        return -EBADMSG;

    switch (h.type) {
    case REMOTE_CALL:
        if (h.prog == REMOTE_PROGRAM && h.vers == REMOTE_PROTOCOL_VERSION)
            return sv_dispatch_call(c, &h, payload, plen);
        {
            char text[80];
            snprintf(text, sizeof(text), "Cannot find program %d version %d",
                     (int)h.prog, (int)h.vers);
            reply_error(c, &h, SV_ERR_RPC, SV_FROM_RPC, text);
        }
        return 0;
    case REMOTE_MESSAGE:
        if (h.prog != KEEPALIVE_PROGRAM)
            return 0;   /* clients send no other messages; libvirt ignores them too */
        if (h.vers != KEEPALIVE_PROTOCOL_VERSION || plen != 0)
            return -EBADMSG;
        if (h.proc == KEEPALIVE_PROC_PING)
            send_pong(c);
        return 0;
    case REMOTE_STREAM:
    case REMOTE_STREAM_HOLE:
        return sv_stream_packet(c, &h, payload, plen);
    default:
        /* Replies from a client, or descriptor passing we never offered. */
        return -EBADMSG;
    }
}

/* Read and handle what c sent, within the budget. */
static void client_readable(sv_client *c)
{
    for (int n = 0; n < CLIENT_BUDGET; n++) {
        uint8_t *msg;
        size_t len;
        int r;

        if (c->dead || sv_client_paused(c))
            return;
        r = sv_rpc_reader_next(&c->reader, c->fd, &msg, &len);
        if (r == 0)
            return;
        if (r < 0) {
            client_close(c);
            return;
        }
        r = handle_message(c, msg, len);
        free(msg);
        if (r < 0) {
            client_close(c);
            return;
        }
    }
    /* Budget used up: more may be buffered where epoll cannot see it. */
    sv_server_wake_client(c);
}

static void accept_clients(sv_listener *l)
{
    for (;;) {
        struct ucred cred;
        socklen_t clen = sizeof(cred);
        sv_client *c;
        bool permitted;
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (fd < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fprintf(stderr, "sepvirt-frontd: accept on %s: %s\n", l->path, strerror(errno));
            return;
        }
        if (sv_server_client_count() >= srv.max_clients ||
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0) {
            close(fd);
            continue;
        }
        permitted = sv_listener_permits(l, fd, &cred);
        c = sv_client_new(fd, srv.epfd, &cred, l->readonly, permitted, srv.max_requests);
        c->poll_kind = POLL_CLIENT;
        if (epoll_add(fd, EPOLLIN, c) < 0) {
            sv_client_unref(c);
            continue;
        }
        c->next = srv.clients;
        if (srv.clients)
            srv.clients->prev = c;
        srv.clients = c;
        __atomic_add_fetch(&srv.nclients, 1, __ATOMIC_RELAXED);
    }
}

static void handle_wakeups(void)
{
    wake_entry *list;
    uint64_t count;

    (void)!read(srv.wakefd, &count, sizeof(count));
    pthread_mutex_lock(&srv.wake_lock);
    list = srv.wake_list;
    srv.wake_list = NULL;
    pthread_mutex_unlock(&srv.wake_lock);

    while (list) {
        wake_entry *e = list;
        list = e->next;
        if (!e->client->dead) {
            sv_client_update_interest(e->client);
            client_readable(e->client);
        }
        sv_client_unref(e->client);
        free(e);
    }
}

static void client_event(sv_client *c, uint32_t events)
{
    /* Closing drops the loop's reference; keep c valid until we return. */
    sv_client_ref(c);
    if (events & EPOLLOUT) {
        bool was_blocked = sv_client_paused(c);
        if (sv_client_flush(c) < 0)
            client_close(c);
        /* Output drained below the limit: calls may be buffered. */
        else if (was_blocked && !sv_client_paused(c))
            client_readable(c);
        if (!c->dead)
            sv_stream_client_writable(c);
    }
    if (!c->dead && (events & EPOLLIN))
        client_readable(c);
    /* Both directions are gone: nothing more can be read or delivered. */
    if (!c->dead && (events & (EPOLLHUP | EPOLLERR)))
        client_close(c);
    sv_client_unref(c);
}

int sv_server_run(void)
{
    struct epoll_event evs[EPOLL_BATCH];

    for (;;) {
        bool spin = sv_busypoll_spin(&srv.busypoll, sv_busypoll_now());
        int n = epoll_wait(srv.epfd, evs, EPOLL_BATCH, spin ? 0 : -1);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            sv_error_set_errno(SV_FROM_NONE, errno, "epoll_wait");
            return -1;
        }
        if (n == 0) {
            /* Let a task waiting for this CPU (often the very client whose
             * next call we expect) run; a late return means it did. */
            sched_yield();
            sv_busypoll_polled(&srv.busypoll, sv_busypoll_now());
            continue;
        }
        sv_busypoll_woke(&srv.busypoll, sv_busypoll_now());
        for (int i = 0; i < n; i++) {
            int kind = *(int *)evs[i].data.ptr;

            switch (kind) {
            case POLL_LISTENER:
                accept_clients(evs[i].data.ptr);
                break;
            case POLL_CLIENT:
                client_event(evs[i].data.ptr, evs[i].events);
                break;
            case POLL_WAKE:
                handle_wakeups();
                break;
            case POLL_SIGNAL: {
                struct signalfd_siginfo si;
                if (read(srv.sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                    return 0;
                break;
            }
            }
        }
        sv_busypoll_idle(&srv.busypoll, sv_busypoll_now());
    }
}

void sv_server_shutdown(void)
{
    for (size_t i = 0; i < srv.nlisteners; i++) {
        epoll_ctl(srv.epfd, EPOLL_CTL_DEL, srv.listeners[i]->fd, NULL);
        sv_listener_close(srv.listeners[i], true);
    }
    srv.nlisteners = 0;

    sv_events_connection_closed(SV_CLOSE_REASON_EOF);
    while (srv.clients)
        client_close(srv.clients);
}

void sv_server_free(void)
{
    /* Drop what workers handed back meanwhile. */
    pthread_mutex_lock(&srv.wake_lock);
    while (srv.wake_list) {
        wake_entry *e = srv.wake_list;
        srv.wake_list = e->next;
        sv_client_unref(e->client);
        free(e);
    }
    pthread_mutex_unlock(&srv.wake_lock);
    if (srv.epfd >= 0)
        close(srv.epfd);
    if (srv.sigfd >= 0)
        close(srv.sigfd);
    if (srv.wakefd >= 0)
        close(srv.wakefd);
    srv.epfd = srv.sigfd = srv.wakefd = -1;
}
