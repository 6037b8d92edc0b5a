/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "autodestroy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "client_core.h"
#include "workers.h"

typedef struct entry {
    struct entry *next;
    /* Compared, never dereferenced: an entry exists only while its client
     * is registered with the event loop, which holds a reference until
     * after sv_autodestroy_client_gone() dropped the client's entries. */
    const sv_client *client;
    unsigned char uuid[SV_UUID_LEN];
    int id;
} entry;

/* Taken after a domain's lock (sv_autodestroy_add runs inside the job),
 * before a client's; never held while destroying. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *entries;
static bool stopping;

static void destroy_job(void *opaque)
{
    entry *e = opaque;

    sv_proc_domain_autodestroy(e->uuid, e->id);
    free(e);
}

/* Unlink (lock held) the entries of client c or of domain uuid (either
 * may be NULL); returns them as a list. */
static entry *unlink_matching(const sv_client *c, const unsigned char *uuid)
{
    entry *taken = NULL;

    for (entry **pp = &entries; *pp;) {
        entry *e = *pp;
        if ((c && e->client == c) || (uuid && memcmp(e->uuid, uuid, SV_UUID_LEN) == 0)) {
            *pp = e->next;
            e->next = taken;
            taken = e;
        } else {
            pp = &e->next;
        }
    }
    return taken;
}

static void free_all(entry *list)
{
    while (list) {
        entry *next = list->next;
        free(list);
        list = next;
    }
}

static void submit_all(entry *list)
{
    while (list) {
        entry *e = list;
        list = e->next;
        e->next = NULL;
        e->client = NULL;
        sv_workers_submit(destroy_job, e);
    }
}

void sv_autodestroy_add(sv_client *c, const unsigned char uuid[SV_UUID_LEN], int id)
{
    entry *e = sv_malloc0(sizeof(*e)), *stale;
    bool gone;

    e->client = c;
    memcpy(e->uuid, uuid, SV_UUID_LEN);
    e->id = id;
    pthread_mutex_lock(&lock);
    /* An entry of an earlier run of this domain can never match again (the
     * domain stopped before this start); dropping it keeps the list as
     * short as the number of domains, whatever a client repeats. */
    stale = unlink_matching(NULL, uuid);
    /* The event loop marks a client dead before it calls
     * sv_autodestroy_client_gone(), which waits for this lock: a client
     * seen alive here gets its entry taken there. */
    gone = sv_client_is_dead(c);
    if (stopping) {
        /* frontd stops: the guest outlives it, as every other does. */
        e->next = stale;
        stale = e;
        e = NULL;
    } else if (!gone) {
        e->next = entries;
        entries = e;
        e = NULL;
    }
    pthread_mutex_unlock(&lock);
    free_all(stale);
    /* Left: the client closed before the start finished. */
    submit_all(e);
}

void sv_autodestroy_client_gone(sv_client *c)
{
    entry *mine;

    pthread_mutex_lock(&lock);
    mine = unlink_matching(c, NULL);
    pthread_mutex_unlock(&lock);
    submit_all(mine);
}

void sv_autodestroy_stop(void)
{
    entry *all;

    pthread_mutex_lock(&lock);
    stopping = true;
    all = entries;
    entries = NULL;
    pthread_mutex_unlock(&lock);
    free_all(all);
}
