/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One client connection, as the RPC core sees it: reference counted, with
 * a bounded output queue that any thread may append to.  Reading happens
 * only on the event-loop thread (server.c).
 *
 * Lifetime: the event loop holds one reference while the connection is
 * registered; every queued call holds one more.  The socket is closed only
 * when the last reference goes, so a worker still writing a reply never
 * writes to a descriptor number that was reused.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "client.h"
#include "rpc_reader.h"

/* Events are dropped (not queued) for a client whose unsent output exceeds
 * this; replies are always queued (their number is bounded by the
 * per-client request limit). */
#define SV_CLIENT_EVENT_QUEUE_MAX (4u * 1024 * 1024)
/* Stop reading calls from a client that does not read its replies. */
#define SV_CLIENT_OUTPUT_PAUSE (1u * 1024 * 1024)

typedef struct sv_outbuf {
    struct sv_outbuf *next;
    uint8_t *data;
    size_t len, off;
} sv_outbuf;

struct sv_client {
    int poll_kind;              /* must stay first: see server.c */
    pthread_mutex_t lock;
    int refs;                   /* atomic */
    int fd;
    int epfd;                   /* epoll set the fd is registered in */
    struct ucred cred;
    bool ro_socket;             /* accepted on a read-only socket */
    bool permitted;             /* peer passed the socket's access rule */

    /* Under lock. */
    bool opened;                /* CONNECT_OPEN succeeded */
    bool readonly;
    bool closing;               /* close once the output queue is empty */
    bool dead;                  /* unregistered: drop further output */
    bool paused;                /* not reading: too many calls in flight */
    unsigned inflight;          /* calls queued to workers */
    unsigned max_inflight;
    uint32_t interest;          /* epoll events currently registered */
    sv_outbuf *out_head, *out_tail;
    size_t out_bytes;

    /* Event-loop thread only. */
    sv_rpc_reader reader;
    struct sv_client *prev, *next;   /* server's client list */
};

/* The caller registers fd in epfd for EPOLLIN with data.ptr = the client. */
sv_client *sv_client_new(int fd, int epfd, const struct ucred *cred, bool ro_socket,
                         bool permitted, unsigned max_inflight);
void sv_client_ref(sv_client *c);
void sv_client_unref(sv_client *c);

/* Queue an encoded message (takes buf) and write as much as the socket
 * accepts now.  droppable messages (events) are discarded when the queue
 * is over SV_CLIENT_EVENT_QUEUE_MAX.  Returns 0, -EPIPE when the client is
 * gone, -ENOBUFS when dropped. */
int sv_client_send(sv_client *c, uint8_t *buf, size_t len, bool droppable);

/* Write queued output (event loop, on EPOLLOUT).  Returns 0 or -errno when
 * the connection failed. */
int sv_client_flush(sv_client *c);

/* Shut the connection down once everything queued so far has been
 * written (after the CONNECT_CLOSE reply was queued). */
void sv_client_close_after_output(sv_client *c);

/* Mark open (CONNECT_OPEN).  -EALREADY when it was open already. */
int sv_client_set_open(sv_client *c, bool readonly);
bool sv_client_is_open(sv_client *c);

/* A call goes to a worker: count it, and stop reading from the client at
 * the limit.  Returns true when reading was paused. */
bool sv_client_call_begin(sv_client *c);
/* The call finished: true when the client was paused and may read again
 * (the caller then asks the event loop to resume it). */
bool sv_client_call_end(sv_client *c);

/* True when no further call should be read now: paused, closing, dead,
 * or too much unsent output. */
bool sv_client_paused(sv_client *c);
/* Re-arm the epoll registration to match the state (after a resume). */
void sv_client_update_interest(sv_client *c);

/* Event loop: the connection is being closed; drop queued output and
 * refuse more. */
void sv_client_mark_dead(sv_client *c);

/* Any thread: whether sv_client_mark_dead() ran (under the client lock). */
bool sv_client_is_dead(sv_client *c);
