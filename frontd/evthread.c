/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "evthread.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* The wake eventfd's registration points here, never at an object. */
static int wake_marker;

static void *evthread_main(void *arg)
{
    sv_evthread *t = arg;
    struct epoll_event evs[32];

    for (;;) {
        int n;

        t->reap();
        n = epoll_wait(t->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])), -1);
        if (n < 0)
            continue;   /* EINTR */
        pthread_mutex_lock(t->lock);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &wake_marker) {
                uint64_t count;
                (void)!read(t->wakefd, &count, sizeof(count));
                continue;
            }
            t->handle(evs[i].data.ptr, evs[i].events);
        }
        pthread_mutex_unlock(t->lock);
    }
    return NULL;
}

int sv_evthread_start(sv_evthread *t)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &wake_marker };
    pthread_attr_t attr;
    pthread_t tid;
    int r;

    t->epfd = epoll_create1(EPOLL_CLOEXEC);
    t->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (t->epfd < 0 || t->wakefd < 0 || epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->wakefd, &ev) < 0)
        return errno;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    r = pthread_create(&tid, &attr, evthread_main, t);
    pthread_attr_destroy(&attr);
    return r;
}

void sv_evthread_wake(sv_evthread *t)
{
    uint64_t one = 1;

    /* The counter only needs to become non-zero; EAGAIN means it is. */
    (void)!write(t->wakefd, &one, sizeof(one));
}
