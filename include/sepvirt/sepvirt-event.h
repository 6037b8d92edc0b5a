/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: domain and network events.
 *
 * The library receives events on its own I/O thread and queues them per
 * connection; they are delivered (callbacks run) only on a thread of the
 * application that calls sepvirt_event_run_once() or, from an application
 * event loop, sepvirt_event_dispatch() when sepvirt_event_fd() is readable.
 * So callbacks never run concurrently with each other for one connection
 * and never on a library thread.
 *
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_EVENT_H
#define SEPVIRT_EVENT_H

#include <sepvirt/sepvirt-domain.h>
#include <sepvirt/sepvirt-network.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE = 0,   /* sepvirt_domain_event_lifecycle_cb */
    SEPVIRT_DOMAIN_EVENT_ID_REBOOT = 1,      /* sepvirt_domain_event_generic_cb */
} sepvirt_domain_event_id;

typedef enum {
    SEPVIRT_DOMAIN_EVENT_DEFINED = 0,
    SEPVIRT_DOMAIN_EVENT_UNDEFINED = 1,
    SEPVIRT_DOMAIN_EVENT_STARTED = 2,
    SEPVIRT_DOMAIN_EVENT_SUSPENDED = 3,
    SEPVIRT_DOMAIN_EVENT_RESUMED = 4,
    SEPVIRT_DOMAIN_EVENT_STOPPED = 5,
    SEPVIRT_DOMAIN_EVENT_SHUTDOWN = 6,
    SEPVIRT_DOMAIN_EVENT_PMSUSPENDED = 7,
    SEPVIRT_DOMAIN_EVENT_CRASHED = 8,
} sepvirt_domain_event_type;

/* Details for the most common events (others: libvirt's numbering). */
typedef enum {
    SEPVIRT_DOMAIN_EVENT_DEFINED_ADDED = 0,
    SEPVIRT_DOMAIN_EVENT_DEFINED_UPDATED = 1,
} sepvirt_domain_event_defined_detail;
typedef enum {
    SEPVIRT_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
} sepvirt_domain_event_undefined_detail;
typedef enum {
    SEPVIRT_DOMAIN_EVENT_STARTED_BOOTED = 0,
} sepvirt_domain_event_started_detail;
typedef enum {
    SEPVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    SEPVIRT_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    SEPVIRT_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    SEPVIRT_DOMAIN_EVENT_STOPPED_FAILED = 5,
} sepvirt_domain_event_stopped_detail;

typedef enum {
    SEPVIRT_NETWORK_EVENT_ID_LIFECYCLE = 0,  /* sepvirt_network_event_lifecycle_cb */
} sepvirt_network_event_id;

typedef enum {
    SEPVIRT_NETWORK_EVENT_DEFINED = 0,
    SEPVIRT_NETWORK_EVENT_UNDEFINED = 1,
    SEPVIRT_NETWORK_EVENT_STARTED = 2,
    SEPVIRT_NETWORK_EVENT_STOPPED = 3,
} sepvirt_network_event_type;

/* The handle passed to a callback is borrowed: take a reference with
 * sepvirt_domain_ref()/sepvirt_network_ref() to keep it. */
typedef void (*sepvirt_domain_event_generic_cb)(sepvirt_conn *conn, sepvirt_domain *dom,
                                                void *opaque);
typedef void (*sepvirt_domain_event_lifecycle_cb)(sepvirt_conn *conn, sepvirt_domain *dom,
                                                  int event, int detail, void *opaque);
typedef void (*sepvirt_network_event_generic_cb)(sepvirt_conn *conn, sepvirt_network *net,
                                                 void *opaque);
typedef void (*sepvirt_network_event_lifecycle_cb)(sepvirt_conn *conn, sepvirt_network *net,
                                                   int event, int detail, void *opaque);

/* Register takes the callback type matching event_id, cast with these. */
#define SEPVIRT_DOMAIN_EVENT_CALLBACK(cb) ((sepvirt_domain_event_generic_cb)(void (*)(void))(cb))
#define SEPVIRT_NETWORK_EVENT_CALLBACK(cb) ((sepvirt_network_event_generic_cb)(void (*)(void))(cb))

/* Watch events of type event_id for one domain (dom) or all (dom NULL).
 * Returns a callback id >= 0 for deregistration, or -1.  freecb(opaque),
 * if given, runs after deregistration or when the connection is freed. */
int sepvirt_domain_event_register(sepvirt_conn *conn, sepvirt_domain *dom, int event_id,
                                  sepvirt_domain_event_generic_cb cb, void *opaque,
                                  sepvirt_free_cb freecb);
int sepvirt_domain_event_deregister(sepvirt_conn *conn, int callback_id);

int sepvirt_network_event_register(sepvirt_conn *conn, sepvirt_network *net, int event_id,
                                   sepvirt_network_event_generic_cb cb, void *opaque,
                                   sepvirt_free_cb freecb);
int sepvirt_network_event_deregister(sepvirt_conn *conn, int callback_id);

/* Wait up to timeout_ms (-1: forever, 0: poll) for events on conn and
 * deliver every queued one on the calling thread.  Returns the number
 * delivered (0 on timeout) or -1 with an error when the connection is
 * closed and nothing was left to deliver. */
int sepvirt_event_run_once(sepvirt_conn *conn, int timeout_ms);
/* A descriptor that is readable while events are queued (for poll()). */
int sepvirt_event_fd(sepvirt_conn *conn);
/* Deliver queued events without waiting; returns the number delivered. */
int sepvirt_event_dispatch(sepvirt_conn *conn);

#ifdef __cplusplus
}
#endif
#endif
