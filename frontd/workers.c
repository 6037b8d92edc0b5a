/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sv_error.h"
#include "sv_util.h"

typedef struct job {
    struct job *next;
    sv_work_fn fn;
    void *opaque;
} job;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static job *head, *tail;
static bool quit;
static pthread_t *threads;
static unsigned nthreads;

static void *worker_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        job *j;

        while (!head && !quit)
            pthread_cond_wait(&cond, &lock);
        if (!head)
            break;
        j = head;
        head = j->next;
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

int sv_workers_start(unsigned n)
{
    threads = sv_calloc(n, sizeof(*threads));
    quit = false;
    for (nthreads = 0; nthreads < n; nthreads++) {
        int r = pthread_create(&threads[nthreads], NULL, worker_main, NULL);
        if (r != 0) {
            sv_error_set_errno(SV_FROM_NONE, r, "cannot start worker thread");
            sv_workers_stop();
            return -1;
        }
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
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

void sv_workers_stop(void)
{
    pthread_mutex_lock(&lock);
    quit = true;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (unsigned i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    threads = NULL;
    nthreads = 0;
}
