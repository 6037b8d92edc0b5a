/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "events.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "client_core.h"
#include "sv_error.h"
#include "sv_util.h"

typedef enum {
    REG_DOMAIN,          /* 316: callback id, optional domain filter */
    REG_DOMAIN_LEGACY,   /* 105/167: no callback id, messages 107/169 */
    REG_NETWORK,         /* 313 */
    REG_CLOSE,           /* 360 */
} reg_kind;

typedef struct reg {
    struct reg *next;
    sv_client *client;
    reg_kind kind;
    int event_id;
    int callback_id;
    bool filtered;
    unsigned char uuid[SV_UUID_LEN];
} reg;

/* One list for all clients; delivery walks it under the lock, which is
 * taken before any client lock (sv_client_send). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static reg *regs;
static int next_callback_id = 1;

static reg *reg_add(sv_client *c, reg_kind kind, int event_id, const unsigned char *uuid)
{
    reg *r = sv_malloc0(sizeof(*r));

    r->client = c;
    r->kind = kind;
    r->event_id = event_id;
    if (uuid) {
        r->filtered = true;
        memcpy(r->uuid, uuid, SV_UUID_LEN);
    }
    pthread_mutex_lock(&lock);
    if (kind == REG_DOMAIN || kind == REG_NETWORK) {
        r->callback_id = next_callback_id++;
        if (next_callback_id == INT32_MAX)
            next_callback_id = 1;
    }
    r->next = regs;
    regs = r;
    pthread_mutex_unlock(&lock);
    return r;
}

/* Remove the first registration of c matching kind and callback id (or
 * event id for legacy/close ones).  Returns whether one was found. */
static bool reg_remove(sv_client *c, reg_kind kind, int callback_id, int event_id)
{
    bool found = false;

    pthread_mutex_lock(&lock);
    for (reg **pp = &regs; *pp; pp = &(*pp)->next) {
        reg *r = *pp;
        if (r->client != c || r->kind != kind)
            continue;
        if ((kind == REG_DOMAIN || kind == REG_NETWORK) ? r->callback_id != callback_id
                                                        : r->event_id != event_id)
            continue;
        *pp = r->next;
        free(r);
        found = true;
        break;
    }
    pthread_mutex_unlock(&lock);
    return found;
}

void sv_events_client_gone(sv_client *c)
{
    pthread_mutex_lock(&lock);
    for (reg **pp = &regs; *pp;) {
        reg *r = *pp;
        if (r->client == c) {
            *pp = r->next;
            free(r);
        } else {
            pp = &r->next;
        }
    }
    pthread_mutex_unlock(&lock);
}

static void send_msg(sv_client *c, int proc, xdrproc_t filter, const void *msg)
{
    /* libvirtd sends events with serial 1; clients ignore it. */
    sv_rpc_header h = { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc, REMOTE_MESSAGE, 1, REMOTE_OK };
    uint8_t *buf;
    size_t len;

    if (sv_rpc_encode(&h, filter, msg, SV_RPC_MAX_REPLY, &buf, &len) == 0)
        sv_client_send(c, buf, len, true);
}

static bool matches(const reg *r, reg_kind kind, int event_id, const unsigned char *uuid)
{
    return r->kind == kind && r->event_id == event_id &&
           (!r->filtered || memcmp(r->uuid, uuid, SV_UUID_LEN) == 0);
}

static void fill_dom(remote_nonnull_domain *d, const char *name, const unsigned char uuid[16], int id)
{
    d->name = (char *)(uintptr_t)name;
    memcpy(d->uuid, uuid, SV_UUID_LEN);
    d->id = id;
}

void sv_event_domain_lifecycle(const char *name, const unsigned char uuid[16], int id,
                               int event, int detail)
{
    remote_domain_event_callback_lifecycle_msg cb = { 0 };
    enum { LIFECYCLE = 0 };

    fill_dom(&cb.msg.dom, name, uuid, id);
    cb.msg.event = event;
    cb.msg.detail = detail;

    pthread_mutex_lock(&lock);
    for (reg *r = regs; r; r = r->next) {
        if (matches(r, REG_DOMAIN, LIFECYCLE, uuid)) {
            cb.callbackID = r->callback_id;
            send_msg(r->client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                     (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &cb);
        } else if (matches(r, REG_DOMAIN_LEGACY, LIFECYCLE, uuid)) {
            send_msg(r->client, REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                     (xdrproc_t)xdr_remote_domain_event_lifecycle_msg, &cb.msg);
        }
    }
    pthread_mutex_unlock(&lock);
}

void sv_event_domain_reboot(const char *name, const unsigned char uuid[16], int id)
{
    remote_domain_event_callback_reboot_msg cb = { 0 };
    enum { REBOOT = 1 };

    fill_dom(&cb.msg.dom, name, uuid, id);
    pthread_mutex_lock(&lock);
    for (reg *r = regs; r; r = r->next) {
        if (matches(r, REG_DOMAIN, REBOOT, uuid)) {
            cb.callbackID = r->callback_id;
            send_msg(r->client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                     (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg, &cb);
        } else if (matches(r, REG_DOMAIN_LEGACY, REBOOT, uuid)) {
            send_msg(r->client, REMOTE_PROC_DOMAIN_EVENT_REBOOT,
                     (xdrproc_t)xdr_remote_domain_event_reboot_msg, &cb.msg);
        }
    }
    pthread_mutex_unlock(&lock);
}

void sv_event_network_lifecycle(const char *name, const unsigned char uuid[16],
                                int event, int detail)
{
    remote_network_event_lifecycle_msg m = { 0 };
    enum { LIFECYCLE = 0 };

    m.net.name = (char *)(uintptr_t)name;
    memcpy(m.net.uuid, uuid, SV_UUID_LEN);
    m.event = event;
    m.detail = detail;
    pthread_mutex_lock(&lock);
    for (reg *r = regs; r; r = r->next) {
        if (!matches(r, REG_NETWORK, LIFECYCLE, uuid))
            continue;
        m.callbackID = r->callback_id;
        send_msg(r->client, REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,
                 (xdrproc_t)xdr_remote_network_event_lifecycle_msg, &m);
    }
    pthread_mutex_unlock(&lock);
}

void sv_events_connection_closed(int reason)
{
    remote_connect_event_connection_closed_msg m = { .reason = reason };

    pthread_mutex_lock(&lock);
    for (reg *r = regs; r; r = r->next)
        if (r->kind == REG_CLOSE)
            send_msg(r->client, REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
                     (xdrproc_t)xdr_remote_connect_event_connection_closed_msg, &m);
    pthread_mutex_unlock(&lock);
}

/* ---- registration procedures ------------------------------------------ */

static int check_event_id(int id, int last)
{
    if (id < 0 || id >= last) {
        sv_error_set(SV_FROM_REMOTE, SV_ERR_INVALID_ARG, "unsupported event ID %d", id);
        return -1;
    }
    return 0;
}

static int not_registered(int callback_id)
{
    sv_error_set(SV_FROM_REMOTE, SV_ERR_INVALID_ARG, "callback ID %d not registered", callback_id);
    return -1;
}

static int domain_cb_register(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_callback_register_any_args *a = args;
    remote_connect_domain_event_callback_register_any_ret *r = ret;

    if (check_event_id(a->eventID, SV_DOMAIN_EVENT_ID_LAST) < 0)
        return -1;
    r->callbackID = reg_add(c, REG_DOMAIN, a->eventID, a->dom ? (const unsigned char *)a->dom->uuid : NULL)->callback_id;
    return 0;
}

static int domain_cb_deregister(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_callback_deregister_any_args *a = args;

    return reg_remove(c, REG_DOMAIN, a->callbackID, 0) ? 0 : not_registered(a->callbackID);
}

static int network_register(sv_client *c, void *args, void *ret)
{
    remote_connect_network_event_register_any_args *a = args;
    remote_connect_network_event_register_any_ret *r = ret;

    if (check_event_id(a->eventID, SV_NETWORK_EVENT_ID_LAST) < 0)
        return -1;
    r->callbackID = reg_add(c, REG_NETWORK, a->eventID, a->net ? (const unsigned char *)a->net->uuid : NULL)->callback_id;
    return 0;
}

static int network_deregister(sv_client *c, void *args, void *ret)
{
    remote_connect_network_event_deregister_any_args *a = args;

    return reg_remove(c, REG_NETWORK, a->callbackID, 0) ? 0 : not_registered(a->callbackID);
}

static int legacy_register(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_register_ret *r = ret;

    reg_add(c, REG_DOMAIN_LEGACY, 0, NULL);
    r->cb_registered = 1;
    return 0;
}

static int legacy_deregister(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_deregister_ret *r = ret;

    if (!reg_remove(c, REG_DOMAIN_LEGACY, 0, 0))
        return not_registered(0);
    r->cb_registered = 0;
    return 0;
}

static int legacy_register_any(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_register_any_args *a = args;

    if (check_event_id(a->eventID, SV_DOMAIN_EVENT_ID_LAST) < 0)
        return -1;
    reg_add(c, REG_DOMAIN_LEGACY, a->eventID, NULL);
    return 0;
}

static int legacy_deregister_any(sv_client *c, void *args, void *ret)
{
    remote_connect_domain_event_deregister_any_args *a = args;

    return reg_remove(c, REG_DOMAIN_LEGACY, 0, a->eventID) ? 0 : not_registered(a->eventID);
}

static int close_register(sv_client *c, void *args, void *ret)
{
    reg_add(c, REG_CLOSE, 0, NULL);
    return 0;
}

static int close_unregister(sv_client *c, void *args, void *ret)
{
    if (!reg_remove(c, REG_CLOSE, 0, 0)) {
        sv_error_set(SV_FROM_REMOTE, SV_ERR_INVALID_ARG, "no close callback registered");
        return -1;
    }
    return 0;
}


static const sv_proc procs[] = {
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
      SV_XDR(remote_connect_domain_event_callback_register_any_args),
      SV_XDR(remote_connect_domain_event_callback_register_any_ret),
      domain_cb_register, SV_PROC_INLINE, "virConnectDomainEventRegisterAny" },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
      SV_XDR(remote_connect_domain_event_callback_deregister_any_args), SV_XDR_NONE,
      domain_cb_deregister, SV_PROC_INLINE, "virConnectDomainEventDeregisterAny" },
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
      SV_XDR(remote_connect_network_event_register_any_args),
      SV_XDR(remote_connect_network_event_register_any_ret),
      network_register, SV_PROC_INLINE, "virConnectNetworkEventRegisterAny" },
    { REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY,
      SV_XDR(remote_connect_network_event_deregister_any_args), SV_XDR_NONE,
      network_deregister, SV_PROC_INLINE, "virConnectNetworkEventDeregisterAny" },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, SV_XDR_NONE,
      SV_XDR(remote_connect_domain_event_register_ret),
      legacy_register, SV_PROC_INLINE, "virConnectDomainEventRegister" },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, SV_XDR_NONE,
      SV_XDR(remote_connect_domain_event_deregister_ret),
      legacy_deregister, SV_PROC_INLINE, "virConnectDomainEventDeregister" },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY,
      SV_XDR(remote_connect_domain_event_register_any_args), SV_XDR_NONE,
      legacy_register_any, SV_PROC_INLINE, "virConnectDomainEventRegisterAny" },
    { REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY,
      SV_XDR(remote_connect_domain_event_deregister_any_args), SV_XDR_NONE,
      legacy_deregister_any, SV_PROC_INLINE, "virConnectDomainEventDeregisterAny" },
    { REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, SV_XDR_NONE, SV_XDR_NONE,
      close_register, SV_PROC_INLINE, "virConnectRegisterCloseCallback" },
    { REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, SV_XDR_NONE, SV_XDR_NONE,
      close_unregister, SV_PROC_INLINE, "virConnectUnregisterCloseCallback" },
};

const sv_proc_table sv_procs_events = SV_PROC_TABLE(procs);
