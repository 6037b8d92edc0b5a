/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_error.h"
#include "sv_util.h"

typedef struct job {
    struct job *next;
    sv_work_fn fn;
    void *opaque;
} job;

/* Threads are started on demand, when a job arrives and none is idle, up
 * to the maximum: a daemon that serves mostly quick inline calls keeps one
 * or two, and their stacks and malloc arenas, instead of max. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static job *head, *tail;
static bool quit;
static pthread_t *threads;
static unsigned nthreads, max_threads;
static unsigned idle;       /* threads waiting for a job */
static unsigned queued;     /* jobs not yet taken by a thread */

static void *worker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        job *j;

        idle++;
        while (!head && !quit)
            pthread_cond_wait(&cond, &lock);
        idle--;
        if (!head)
            break;
        j = head;
        head = j->next;
        queued--;
        if (!head)
            tail = NULL;
        pthread_mutex_unlock(&lock);
        j->fn(j->opaque);
        free(j);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* Start one more thread (lock held).  Returns 0 or an errno value. */
static int spawn_locked(void)
{
    int r = pthread_create(&threads[nthreads], NULL, worker_main, NULL);

    if (r == 0)
        nthreads++;
    return r;
}

int sv_workers_start(unsigned n)
{
    int r;

    threads = sv_calloc(n ? n : 1, sizeof(*threads));
    max_threads = n ? n : 1;
    quit = false;
    pthread_mutex_lock(&lock);
    r = spawn_locked();
    pthread_mutex_unlock(&lock);
    if (r != 0) {
        sv_error_set_errno(SV_FROM_NONE, r, "cannot start worker thread");
        return -1;
    }
    return 0;
}

void sv_workers_submit(sv_work_fn fn, void *opaque)
{
    job *j = sv_malloc0(sizeof(*j));

    j->fn = fn;
    j->opaque = opaque;
    pthread_mutex_lock(&lock);
    if (tail)
        tail->next = j;
    else
        head = j;
    tail = j;
    queued++;
    /* More jobs waiting than idle threads to take them: grow, so a quick
     * call never waits behind a slow one while a thread could be added.
     * A failure to grow is not fatal: the running threads drain the queue. */
    if (queued > idle && nthreads < max_threads && spawn_locked() != 0)
        fprintf(stderr, "sepvirt-frontd: cannot start another worker thread\n");
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

void sv_workers_stop(void)
{
    unsigned n;

    pthread_mutex_lock(&lock);
    quit = true;
    pthread_cond_broadcast(&cond);
    n = nthreads;
    pthread_mutex_unlock(&lock);
    for (unsigned i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    threads = NULL;
    nthreads = 0;
}
