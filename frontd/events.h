/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Event registrations of the clients and event delivery.
 *
 * Clients register through CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY (316)
 * and CONNECT_NETWORK_EVENT_REGISTER_ANY (313), or the legacy 105/167; the
 * server answers with a callback id and later sends MESSAGE packets (318,
 * 319, 315, legacy 107/169) to every matching registration.  Close
 * callbacks (360/361) get CONNECT_EVENT_CONNECTION_CLOSED (362).
 *
 * Delivery functions may be called from any thread and never block on a
 * slow client: an event for a client whose output queue is full is dropped.
 */
#pragma once

#include "dispatch.h"

/* virConnectCloseReason */
enum {
    SV_CLOSE_REASON_ERROR = 0,
    SV_CLOSE_REASON_EOF = 1,
    SV_CLOSE_REASON_KEEPALIVE = 2,
    SV_CLOSE_REASON_CLIENT = 3,
};

/* Event ids a client may register (virDomainEventID / virNetworkEventID
 * values known today); higher ids are refused as libvirt does. */
#define SV_DOMAIN_EVENT_ID_LAST 28
#define SV_NETWORK_EVENT_ID_LAST 2

/* Queue a lifecycle event to every client registered for it (eventID 0), honouring
   per-registration domain filters (by uuid). Thread-safe; never blocks on a slow client. */
void sv_event_domain_lifecycle(const char *name, const unsigned char uuid[16], int id,
                               int event, int detail);
void sv_event_domain_reboot(const char *name, const unsigned char uuid[16], int id);
void sv_event_network_lifecycle(const char *name, const unsigned char uuid[16],
                                int event, int detail);

/* Tell every client with a close callback that the connection closes. */
void sv_events_connection_closed(int reason);

/* Forget every registration of a client that is going away. */
void sv_events_client_gone(sv_client *client);

/* The registration procedures (316/317, 313/314, 105/106, 167/168, 360/361). */
extern const sv_proc_table sv_procs_events;
