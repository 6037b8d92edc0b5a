/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Events: the I/O thread decodes and queues them, the application
 * delivers them (sepvirt_event_run_once / sepvirt_event_dispatch).
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cl_conn.h"
#include "rpc_msg.h"
#include "sv_util.h"

void cl_event_push(sepvirt_conn *conn, cl_event *ev)
{
    uint64_t one = 1;

    if (conn->ev_tail)
        conn->ev_tail->next = ev;
    else
        conn->ev_head = ev;
    conn->ev_tail = ev;
    if (write(conn->ev_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        return;   /* counter overflow is impossible in practice */
    pthread_cond_broadcast(&conn->ev_cond);
}

static cl_event *event_from_dom(cl_event_kind kind, int callback_id,
                                const remote_nonnull_domain *dom)
{
    cl_event *ev = sv_malloc0(sizeof(*ev));

    ev->kind = kind;
    ev->callback_id = callback_id;
    ev->name = sv_strdup(dom->name);
    memcpy(ev->uuid, dom->uuid, SEPVIRT_UUID_BUFLEN);
    ev->id = dom->id;
    return ev;
}

void cl_event_incoming(sepvirt_conn *conn, int proc, const uint8_t *body, size_t len)
{
    cl_event *ev = NULL;

    switch (proc) {
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        remote_domain_event_callback_lifecycle_msg m;

        if (sv_rpc_decode_payload(body, len,
                                  (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg,
                                  &m, sizeof(m)) < 0)
            return;
        ev = event_from_dom(CL_EV_DOMAIN_LIFECYCLE, m.callbackID, &m.msg.dom);
        ev->event = m.msg.event;
        ev->detail = m.msg.detail;
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&m);
        break;
    }
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT: {
        remote_domain_event_callback_reboot_msg m;

        if (sv_rpc_decode_payload(body, len,
                                  (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg,
                                  &m, sizeof(m)) < 0)
            return;
        ev = event_from_dom(CL_EV_DOMAIN_REBOOT, m.callbackID, &m.msg.dom);
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_reboot_msg, (char *)&m);
        break;
    }
    case REMOTE_PROC_NETWORK_EVENT_LIFECYCLE: {
        remote_network_event_lifecycle_msg m;

        if (sv_rpc_decode_payload(body, len, (xdrproc_t)xdr_remote_network_event_lifecycle_msg,
                                  &m, sizeof(m)) < 0)
            return;
        ev = sv_malloc0(sizeof(*ev));
        ev->kind = CL_EV_NETWORK_LIFECYCLE;
        ev->callback_id = m.callbackID;
        ev->name = sv_strdup(m.net.name);
        memcpy(ev->uuid, m.net.uuid, SEPVIRT_UUID_BUFLEN);
        ev->event = m.event;
        ev->detail = m.detail;
        xdr_free((xdrproc_t)xdr_remote_network_event_lifecycle_msg, (char *)&m);
        break;
    }
    default:
        return;   /* events nobody here can have asked for */
    }

    pthread_mutex_lock(&conn->lock);
    cl_event_push(conn, ev);
    pthread_mutex_unlock(&conn->lock);
}

static void event_free(cl_event *ev)
{
    free(ev->name);
    free(ev);
}

static void reg_free(cl_evreg *r)
{
    if (r->freecb)
        r->freecb(r->opaque);
    free(r);
}

void cl_event_teardown(sepvirt_conn *conn)
{
    while (conn->ev_head) {
        cl_event *ev = conn->ev_head;

        conn->ev_head = ev->next;
        event_free(ev);
    }
    conn->ev_tail = NULL;
    while (conn->regs) {
        cl_evreg *r = conn->regs;

        conn->regs = r->next;
        reg_free(r);
    }
}

/* ---- Registration ------------------------------------------------------ */

/* Arguments common to both register calls; obj_conn is the filter
 * object's connection (NULL when there is no filter). */
static int check_register(sepvirt_conn *conn, const void *cb, bool known_id, int event_id,
                          sepvirt_conn *obj_conn)
{
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, cb, "cb") < 0)
        return -1;
    if (!known_id) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: unsupported event ID %d", event_id);
        return -1;
    }
    if (obj_conn && obj_conn != conn) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: object belongs to another connection");
        return -1;
    }
    return 0;
}

static int add_reg(sepvirt_conn *conn, bool network, int event_id, int callback_id,
                   void (*cb)(void), void *opaque, sepvirt_free_cb freecb)
{
    cl_evreg *r = sv_malloc0(sizeof(*r));

    r->network = network;
    r->event_id = event_id;
    r->callback_id = callback_id;
    r->cb = cb;
    r->opaque = opaque;
    r->freecb = freecb;
    pthread_mutex_lock(&conn->lock);
    r->next = conn->regs;
    conn->regs = r;
    pthread_mutex_unlock(&conn->lock);
    return callback_id;
}

/* Unlink the registration; returns it (to be freed by the caller) or NULL
 * when a dispatch is running, in which case the dispatcher frees it. */
static int remove_reg(sepvirt_conn *conn, bool network, int callback_id, cl_evreg **ret_free)
{
    cl_evreg **pp;

    *ret_free = NULL;
    pthread_mutex_lock(&conn->lock);
    for (pp = &conn->regs; *pp; pp = &(*pp)->next) {
        cl_evreg *r = *pp;

        if (r->network != network || r->callback_id != callback_id || r->removed)
            continue;
        if (conn->dispatching) {
            r->removed = true;
        } else {
            *pp = r->next;
            *ret_free = r;
        }
        pthread_mutex_unlock(&conn->lock);
        return 0;
    }
    pthread_mutex_unlock(&conn->lock);
    return -1;
}

int sepvirt_domain_event_register(sepvirt_conn *conn, sepvirt_domain *dom, int event_id,
                                  sepvirt_domain_event_generic_cb cb, void *opaque,
                                  sepvirt_free_cb freecb)
{
    remote_connect_domain_event_callback_register_any_args args;
    remote_connect_domain_event_callback_register_any_ret ret;
    remote_nonnull_domain rdom;

    cl_enter();
    if (check_register(conn, (const void *)cb,
                       event_id == SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE ||
                       event_id == SEPVIRT_DOMAIN_EVENT_ID_REBOOT,
                       event_id, dom ? dom->conn : NULL) < 0)
        return -1;
    memset(&args, 0, sizeof(args));
    memset(&ret, 0, sizeof(ret));
    args.eventID = event_id;
    if (dom) {
        rdom.name = dom->name;
        memcpy(rdom.uuid, dom->uuid, SEPVIRT_UUID_BUFLEN);
        rdom.id = __atomic_load_n(&dom->id, __ATOMIC_RELAXED);
        args.dom = &rdom;
    }
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                       (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_args, &args,
                       (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_ret,
                       &ret) < 0)
        return -1;
    return add_reg(conn, false, event_id, ret.callbackID, (void (*)(void))cb, opaque, freecb);
}

/* Both deregistrations take {int callbackID}. */
static int deregister(sepvirt_conn *conn, bool network, int callback_id)
{
    remote_connect_domain_event_callback_deregister_any_args args = { .callbackID = callback_id };
    cl_evreg *r;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    if (remove_reg(conn, network, callback_id, &r) < 0) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: could not find event callback %d for deletion",
                     callback_id);
        return -1;
    }
    if (r)
        reg_free(r);
    return cl_call_remote(conn, network ? REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY :
                                          REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                          (xdrproc_t)xdr_remote_connect_domain_event_callback_deregister_any_args,
                          &args, NULL, NULL);
}

int sepvirt_domain_event_deregister(sepvirt_conn *conn, int callback_id)
{
    return deregister(conn, false, callback_id);
}

int sepvirt_network_event_register(sepvirt_conn *conn, sepvirt_network *net, int event_id,
                                   sepvirt_network_event_generic_cb cb, void *opaque,
                                   sepvirt_free_cb freecb)
{
    remote_connect_network_event_register_any_args args;
    remote_connect_network_event_register_any_ret ret;
    remote_nonnull_network rnet;

    cl_enter();
    if (check_register(conn, (const void *)cb, event_id == SEPVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                       event_id, net ? net->conn : NULL) < 0)
        return -1;
    memset(&args, 0, sizeof(args));
    memset(&ret, 0, sizeof(ret));
    args.eventID = event_id;
    if (net) {
        rnet.name = net->name;
        memcpy(rnet.uuid, net->uuid, SEPVIRT_UUID_BUFLEN);
        args.net = &rnet;
    }
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
                       (xdrproc_t)xdr_remote_connect_network_event_register_any_args, &args,
                       (xdrproc_t)xdr_remote_connect_network_event_register_any_ret, &ret) < 0)
        return -1;
    return add_reg(conn, true, event_id, ret.callbackID, (void (*)(void))cb, opaque, freecb);
}

int sepvirt_network_event_deregister(sepvirt_conn *conn, int callback_id)
{
    return deregister(conn, true, callback_id);
}

/* ---- Delivery ----------------------------------------------------------- */

static void deliver(sepvirt_conn *conn, cl_event *ev)
{
    void (*cb)(void) = NULL;
    void *opaque = NULL;
    bool network = ev->kind == CL_EV_NETWORK_LIFECYCLE;
    int want_id = ev->kind == CL_EV_DOMAIN_REBOOT ? SEPVIRT_DOMAIN_EVENT_ID_REBOOT : 0;
    cl_evreg *r;

    if (ev->kind == CL_EV_CLOSED) {
        sepvirt_conn_close_cb ccb;
        void *copaque;

        pthread_mutex_lock(&conn->lock);
        ccb = conn->close_cb;
        copaque = conn->close_opaque;
        pthread_mutex_unlock(&conn->lock);
        if (ccb)
            ccb(conn, ev->detail, copaque);
        return;
    }

    pthread_mutex_lock(&conn->lock);
    for (r = conn->regs; r; r = r->next) {
        if (!r->removed && r->network == network && r->callback_id == ev->callback_id &&
            r->event_id == want_id) {
            cb = r->cb;
            opaque = r->opaque;
            break;
        }
    }
    pthread_mutex_unlock(&conn->lock);
    if (!cb)
        return;

    if (network) {
        sepvirt_network *net = cl_network_new(conn, ev->name, ev->uuid);

        ((sepvirt_network_event_lifecycle_cb)cb)(conn, net, ev->event, ev->detail, opaque);
        sepvirt_network_free(net);
    } else {
        sepvirt_domain *dom = cl_domain_new(conn, ev->name, ev->uuid, ev->id);

        if (ev->kind == CL_EV_DOMAIN_LIFECYCLE)
            ((sepvirt_domain_event_lifecycle_cb)cb)(conn, dom, ev->event, ev->detail, opaque);
        else
            ((sepvirt_domain_event_generic_cb)cb)(conn, dom, opaque);
        sepvirt_domain_free(dom);
    }
}

int sepvirt_event_dispatch(sepvirt_conn *conn)
{
    cl_event *list;
    cl_evreg **pp, *dead = NULL;
    uint64_t drain;
    int n = 0;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    cl_conn_ref(conn);   /* a callback may close the connection */
    pthread_mutex_lock(&conn->lock);
    if (read(conn->ev_fd, &drain, sizeof(drain)) < 0 && errno != EAGAIN)
        drain = 0;
    list = conn->ev_head;
    conn->ev_head = conn->ev_tail = NULL;
    conn->dispatching++;
    pthread_mutex_unlock(&conn->lock);

    while (list) {
        cl_event *ev = list;

        list = ev->next;
        deliver(conn, ev);
        event_free(ev);
        n++;
    }

    pthread_mutex_lock(&conn->lock);
    if (--conn->dispatching == 0) {
        for (pp = &conn->regs; *pp;) {
            cl_evreg *r = *pp;

            if (r->removed) {
                *pp = r->next;
                r->next = dead;
                dead = r;
            } else {
                pp = &r->next;
            }
        }
    }
    pthread_mutex_unlock(&conn->lock);
    while (dead) {
        cl_evreg *r = dead;

        dead = r->next;
        reg_free(r);
    }
    cl_conn_unref(conn);
    return n;
}

int sepvirt_event_fd(sepvirt_conn *conn)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    return conn->ev_fd;
}

int sepvirt_event_run_once(sepvirt_conn *conn, int timeout_ms)
{
    struct pollfd pfd;
    bool empty, dead;
    int r;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    pfd.fd = conn->ev_fd;
    pfd.events = POLLIN;
    do {
        r = poll(&pfd, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_SYSTEM_ERROR, "poll failed: %s",
                     strerror(errno));
        return -1;
    }
    r = sepvirt_event_dispatch(conn);
    if (r != 0)
        return r;
    pthread_mutex_lock(&conn->lock);
    empty = conn->ev_head == NULL;
    dead = conn->dead;
    pthread_mutex_unlock(&conn->lock);
    if (empty && dead) {
        sv_error e;

        pthread_mutex_lock(&conn->lock);
        e = conn->dead_error;
        pthread_mutex_unlock(&conn->lock);
        cl_error_set(conn, e.domain, e.code, "%s", e.message);
        return -1;
    }
    return 0;
}

int sepvirt_conn_register_close_callback(sepvirt_conn *conn, sepvirt_conn_close_cb cb,
                                         void *opaque, sepvirt_free_cb freecb)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    pthread_mutex_lock(&conn->lock);
    if (conn->close_cb) {
        pthread_mutex_unlock(&conn->lock);
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_OPERATION_INVALID,
                     "Requested operation is not valid: A close callback is already registered");
        return -1;
    }
    conn->close_cb = cb;
    conn->close_opaque = opaque;
    conn->close_freecb = freecb;
    pthread_mutex_unlock(&conn->lock);
    return 0;
}

int sepvirt_conn_unregister_close_callback(sepvirt_conn *conn, sepvirt_conn_close_cb cb)
{
    sepvirt_free_cb freecb;
    void *opaque;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    pthread_mutex_lock(&conn->lock);
    if (conn->close_cb != cb) {
        pthread_mutex_unlock(&conn->lock);
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_OPERATION_INVALID,
                     "Requested operation is not valid: A different callback was requested");
        return -1;
    }
    freecb = conn->close_freecb;
    opaque = conn->close_opaque;
    conn->close_cb = NULL;
    conn->close_freecb = NULL;
    conn->close_opaque = NULL;
    pthread_mutex_unlock(&conn->lock);
    if (freecb)
        freecb(opaque);
    return 0;
}
