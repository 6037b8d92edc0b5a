/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A thread of its own serving an epoll set, for byte pumps that must never
 * run on the RPC event loop (frontd/stream.c, drivers/qemu/qemu_console.c).
 *
 * Objects register their descriptors in epfd with data.ptr pointing at
 * themselves; the thread calls handle() for each event with *lock held.
 * An object that ends while a batch of events may still name it is freed
 * only from reap(), which runs between batches without the lock, so no
 * pointer epoll_wait collected is ever stale.
 */
#pragma once

#include <pthread.h>
#include <stdint.h>

typedef struct sv_evthread {
    pthread_mutex_t *lock;
    void (*handle)(void *ptr, uint32_t events);
    void (*reap)(void);
    int epfd;                   /* set by sv_evthread_start() */
    int wakefd;
} sv_evthread;

/* Create the epoll set and start the (detached) thread.  Returns 0 or an
 * errno value. */
int sv_evthread_start(sv_evthread *t);

/* Have the thread run reap() soon (from any thread, locks held or not). */
void sv_evthread_wake(sv_evthread *t);
