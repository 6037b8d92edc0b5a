/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "qemu_console.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evthread.h"
#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"
#include "sv_util.h"

/* Input of a session that QEMU has not taken yet. */
#define INPUT_MAX (16 * 1024)

/* A bounded byte queue (circular buffer). */
typedef struct bqueue {
    uint8_t buf[QEMU_CONSOLE_RING];
    size_t head, len, cap;
} bqueue;

static size_t bq_room(const bqueue *q)
{
    return q->cap - q->len;
}

/* Append; with overwrite the oldest bytes make room (the ring). */
static void bq_push(bqueue *q, const uint8_t *data, size_t n, bool overwrite)
{
    if (overwrite && n > q->cap) {
        data += n - q->cap;
        n = q->cap;
    }
    if (overwrite && n > bq_room(q)) {
        size_t drop = n - bq_room(q);
        q->head = (q->head + drop) % q->cap;
        q->len -= drop;
    }
    if (n > bq_room(q))
        n = bq_room(q);
    for (size_t done = 0; done < n;) {
        size_t tail = (q->head + q->len) % q->cap;
        size_t k = q->cap - tail < n - done ? q->cap - tail : n - done;

        memcpy(q->buf + tail, data + done, k);
        q->len += k;
        done += k;
    }
}

/* The oldest contiguous bytes. */
static size_t bq_peek(const bqueue *q, const uint8_t **ret)
{
    *ret = q->buf + q->head;
    return q->cap - q->head < q->len ? q->cap - q->head : q->len;
}

static void bq_pop(bqueue *q, size_t n)
{
    q->head = (q->head + n) % q->cap;
    q->len -= n;
}

typedef struct port port;

typedef struct endpoint {
    port *port;
    int fd;
    bool registered;
    uint32_t events;
} endpoint;

/* One serial port of one run of a guest. */
struct port {
    unsigned char uuid[SV_UUID_LEN];
    size_t index;
    uint64_t run;
    endpoint qemu;              /* our connection to QEMU's socket */
    endpoint session;           /* fd -1: nobody attached */
    bqueue out;                 /* guest output not yet with the session */
    bqueue in;                  /* session input not yet with QEMU */
    bool dead;
    port *next;
};

static void handle(void *ptr, uint32_t events);
static void reap(void);

static struct {
    pthread_mutex_t lock;
    port *ports;
    port *dead;                 /* freed by the thread between batches */
    sv_evthread thread;
    int init_error;
} C = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .thread = { .lock = &C.lock, .handle = handle, .reap = reap },
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* ---- event interest (C.lock held) ---------------------------------------- */

static void ep_set(endpoint *e, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = e };

    if (e->fd < 0)
        return;
    /* Out of the set when nothing is wanted: a hung-up socket would
     * otherwise be reported forever. */
    if (!events) {
        if (e->registered)
            epoll_ctl(C.thread.epfd, EPOLL_CTL_DEL, e->fd, NULL);
        e->registered = false;
    } else if (!e->registered) {
        e->registered = epoll_ctl(C.thread.epfd, EPOLL_CTL_ADD, e->fd, &ev) == 0;
    } else if (events != e->events) {
        epoll_ctl(C.thread.epfd, EPOLL_CTL_MOD, e->fd, &ev);
    }
    e->events = events;
}

static void update(port *p)
{
    bool attached = p->session.fd >= 0;

    if (p->dead)
        return;
    /* Nobody attached: always read (the ring drops the oldest output). */
    ep_set(&p->qemu, ((!attached || bq_room(&p->out)) ? EPOLLIN : 0) |
                     (p->in.len ? EPOLLOUT : 0));
    if (attached)
        ep_set(&p->session, (bq_room(&p->in) ? EPOLLIN : 0) | (p->out.len ? EPOLLOUT : 0));
}

static void ep_close(endpoint *e)
{
    if (e->fd < 0)
        return;
    if (e->registered)
        epoll_ctl(C.thread.epfd, EPOLL_CTL_DEL, e->fd, NULL);
    close(e->fd);
    e->fd = -1;
    e->registered = false;
    e->events = 0;
}

/* The session went away (or is replaced): its unsent input goes too. */
static void detach(port *p)
{
    ep_close(&p->session);
    p->in.len = 0;
    p->in.head = 0;
}

/* QEMU closed the port (the guest ended): the session sees its end. */
static void port_kill(port *p)
{
    port **pp;

    if (p->dead)
        return;
    p->dead = true;
    ep_close(&p->session);
    ep_close(&p->qemu);
    for (pp = &C.ports; *pp; pp = &(*pp)->next) {
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    }
    p->next = C.dead;
    C.dead = p;
}

/* ---- moving bytes (C.lock held) ----------------------------------------- */

static void from_qemu(port *p)
{
    uint8_t buf[4096];
    bool attached = p->session.fd >= 0;
    size_t want = attached ? bq_room(&p->out) : sizeof(buf);
    ssize_t n;

    if (want == 0)
        return;
    n = read(p->qemu.fd, buf, want < sizeof(buf) ? want : sizeof(buf));
    if (n > 0)
        bq_push(&p->out, buf, (size_t)n, !attached);
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        port_kill(p);
}

static void to_session(port *p)
{
    while (p->session.fd >= 0 && p->out.len) {
        const uint8_t *data;
        size_t k = bq_peek(&p->out, &data);
        ssize_t n = send(p->session.fd, data, k, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                detach(p);
            return;
        }
        bq_pop(&p->out, (size_t)n);
    }
}

static void from_session(port *p)
{
    uint8_t buf[4096];
    size_t want = bq_room(&p->in);
    ssize_t n;

    if (want == 0)
        return;
    n = read(p->session.fd, buf, want < sizeof(buf) ? want : sizeof(buf));
    if (n > 0)
        bq_push(&p->in, buf, (size_t)n, false);
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        detach(p);
}

static void to_qemu(port *p)
{
    while (!p->dead && p->in.len) {
        const uint8_t *data;
        size_t k = bq_peek(&p->in, &data);
        ssize_t n = send(p->qemu.fd, data, k, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                port_kill(p);
            return;
        }
        bq_pop(&p->in, (size_t)n);
    }
}

static void handle(void *ptr, uint32_t events)
{
    endpoint *e = ptr;
    port *p = e->port;

    if (p->dead || e->fd < 0)
        return;     /* closed after epoll_wait collected it */
    if (e == &p->qemu) {
        if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            from_qemu(p);
        if (!p->dead && (events & EPOLLOUT))
            to_qemu(p);
    } else {
        if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            from_session(p);
        if (events & EPOLLOUT)
            to_session(p);
    }
    /* Move what arrived on to the other side right away. */
    to_session(p);
    to_qemu(p);
    update(p);
}

/* Ports that ended in the last batch. */
static void reap(void)
{
    port *dead;

    pthread_mutex_lock(&C.lock);
    dead = C.dead;
    C.dead = NULL;
    pthread_mutex_unlock(&C.lock);
    while (dead) {
        port *next = dead->next;
        free(dead);
        dead = next;
    }
}

static void start_thread(void)
{
    C.init_error = sv_evthread_start(&C.thread);
}

/* ---- opening a session ---------------------------------------------------- */

/* The serial port index of a serial port alias. */
static int port_index(const sv_domain_def *def, const char *dev_name, size_t *ret)
{
    for (size_t i = 0; i < def->nserials; i++) {
        if (sv_streq(def->serials[i]->info.alias, dev_name)) {
            *ret = i;
            return 0;
        }
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        const sv_domain_chr_def *c = def->consoles[i];

        if (sv_streq(c->info.alias, dev_name)) {
            if (c->target_type != SV_DOMAIN_CONSOLE_TARGET_SERIAL || def->nserials == 0)
                break;
            *ret = 0;
            return 0;
        }
    }
    sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_UNSUPPORTED,
              "console device %s is not served by sepvirt (only serial ports are)", dev_name);
    return -1;
}

/* The last QEMU_CONSOLE_RING bytes of the port's log: what the guest
 * printed before frontd connected. */
static void seed_from_log(port *p, const char *domain_name)
{
    _cleanup_free_ char *path = sv_qemu_serial_log_path(domain_name, p->index);
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    uint8_t buf[QEMU_CONSOLE_RING];
    off_t size;
    ssize_t n;

    if (fd < 0 || (size = lseek(fd, 0, SEEK_END)) < 0)
        return;
    if (lseek(fd, size > (off_t)sizeof(buf) ? size - (off_t)sizeof(buf) : 0, SEEK_SET) < 0)
        return;
    n = read(fd, buf, sizeof(buf));
    if (n > 0)
        bq_push(&p->out, buf, (size_t)n, true);
}

/* d locked, C.lock held: the port of this run, connected, or NULL. */
static port *port_get(sv_domain_obj *d, const char *dev_name, size_t index)
{
    const qemu_vm *vm = d->priv;
    port *p;
    int fd;

    for (p = C.ports; p; p = p->next) {
        if (memcmp(p->uuid, d->obj.uuid, SV_UUID_LEN) == 0 && p->index == index) {
            if (p->run == vm->run)
                return p;
            port_kill(p);       /* of an earlier run */
            break;
        }
    }

    p = sv_malloc0(sizeof(*p));
    memcpy(p->uuid, d->obj.uuid, SV_UUID_LEN);
    p->index = index;
    p->run = vm->run;
    p->out.cap = QEMU_CONSOLE_RING;
    p->in.cap = INPUT_MAX < QEMU_CONSOLE_RING ? INPUT_MAX : QEMU_CONSOLE_RING;
    p->qemu.port = p->session.port = p;
    p->session.fd = -1;
    /* The log first, then the connection: a line printed in between may
     * be missing from the replay but is never shown twice. */
    seed_from_log(p, d->obj.name);
    if (sv_qemu_domain_open_console(d, dev_name, &fd) < 0) {
        free(p);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    p->qemu.fd = fd;
    p->next = C.ports;
    C.ports = p;
    return p;
}

int qemu_domain_open_console(sv_domain_obj *d, const char *dev_name, unsigned flags,
                             int *ret_fd)
{
    const sv_domain_def *def = sv_domain_obj_def(d);
    size_t index;
    port *p;
    int sv[2];

    (void)flags;    /* FORCE/SAFE: frontd keeps one session per device */
    if (!d->priv) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "%s", "domain is not running");
        return -1;
    }
    if (port_index(def, dev_name, &index) < 0)
        return -1;
    pthread_once(&init_once, start_thread);
    if (C.init_error) {
        sv_error_set_errno(SV_FROM_QEMU, C.init_error, "cannot start the console thread");
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot create a console socket");
        return -1;
    }

    pthread_mutex_lock(&C.lock);
    if (!(p = port_get(d, dev_name, index))) {
        pthread_mutex_unlock(&C.lock);
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    detach(p);
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    p->session.fd = sv[0];
    /* The thread flushes the replay once the session is writable. */
    update(p);
    pthread_mutex_unlock(&C.lock);
    *ret_fd = sv[1];
    return 0;
}
