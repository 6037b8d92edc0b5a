/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "dispatch.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_core.h"
#include "events.h"
#include "server.h"
#include "stream.h"
#include "sv_error.h"
#include "sv_util.h"
#include "workers.h"

/* The procedure modules of "procs" may be missing from a build. */
extern const sv_proc_table sv_procs_domain __attribute__((weak));
extern const sv_proc_table sv_procs_network __attribute__((weak));
extern const sv_proc_table sv_procs_domain_console __attribute__((weak));
extern const sv_proc_table sv_procs_domain_stats __attribute__((weak));

/* Direct index by procedure number: numbers are dense (1..~450). */
static const sv_proc **index_by_proc;
static int index_size;

int sv_dispatch_init(void)
{
    const sv_proc_table *tables[] = {
        &sv_procs_connect, &sv_procs_events,
        &sv_procs_domain ? &sv_procs_domain : NULL,
        &sv_procs_network ? &sv_procs_network : NULL,
        &sv_procs_domain_console ? &sv_procs_domain_console : NULL,
        &sv_procs_domain_stats ? &sv_procs_domain_stats : NULL,
    };
    int max = 0;

    for (size_t t = 0; t < SV_ARRAY_SIZE(tables); t++)
        for (size_t i = 0; tables[t] && i < tables[t]->n; i++)
            if (tables[t]->procs[i].proc > max)
                max = tables[t]->procs[i].proc;

    free(index_by_proc);
    index_size = max + 1;
    index_by_proc = sv_calloc((size_t)index_size, sizeof(*index_by_proc));
    for (size_t t = 0; t < SV_ARRAY_SIZE(tables); t++) {
        for (size_t i = 0; tables[t] && i < tables[t]->n; i++) {
            const sv_proc *p = &tables[t]->procs[i];
            if (p->proc <= 0 || index_by_proc[p->proc] || !p->handler) {
                sv_error_set(SV_FROM_NONE, SV_ERR_INTERNAL_ERROR,
                             "procedure %d registered twice or invalid", p->proc);
                return -1;
            }
            index_by_proc[p->proc] = p;
        }
    }
    return 0;
}

const sv_proc *sv_dispatch_find(int proc)
{
    if (proc <= 0 || proc >= index_size)
        return NULL;
    return index_by_proc[proc];
}

typedef struct call {
    sv_client *client;
    sv_rpc_header hdr;
    const sv_proc *proc;
    void *args;
} call;

static void send_error(sv_client *c, const sv_rpc_header *h, int code, int domain,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void send_error(sv_client *c, const sv_rpc_header *h, int code, int domain,
                       const char *fmt, ...)
{
    char text[SV_ERROR_MSG_MAX];
    uint8_t *buf;
    size_t len;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (sv_rpc_encode_error(h, code, domain, text, &buf, &len) == 0)
        sv_client_send(c, buf, len, false);
}

static void send_last_error(sv_client *c, const sv_rpc_header *h)
{
    const sv_error *e = sv_error_last();

    if (e)
        send_error(c, h, e->code, e->domain, "%s", e->message);
    else
        send_error(c, h, SV_ERR_INTERNAL_ERROR, SV_FROM_REMOTE,
                   "internal error: procedure %d failed without a reason", h->proc);
}

static void free_args(const sv_proc *p, void *args)
{
    if (!args)
        return;
    if (p->args_filter)
        xdr_free(p->args_filter, args);
    free(args);
}

static void free_ret(const sv_proc *p, void *ret)
{
    if (!ret)
        return;
    if (p->ret_filter)
        xdr_free(p->ret_filter, ret);
    free(ret);
}

/* Whether the handler now running is on the event-loop thread. */
static __thread bool on_event_loop;

bool sv_proc_on_event_loop(void)
{
    return on_event_loop;
}

/* The call whose handler runs on this thread (streams key on its serial). */
static __thread const sv_rpc_header *current_call;

const sv_rpc_header *sv_proc_current_call(void)
{
    return current_call;
}

/* Run the handler and send its reply.  With may_defer (a SV_PROC_TRY_INLINE
 * call on the event loop) the handler may answer SV_PROC_DEFER instead:
 * nothing is sent, the arguments are kept, and SV_PROC_DEFER is returned
 * so the caller queues the call to a worker. */
static int run_call(call *k, bool may_defer)
{
    const sv_proc *p = k->proc;
    sv_client *c = k->client;
    void *ret = p->ret_size ? sv_malloc0(p->ret_size) : NULL;
    sv_rpc_header reply = sv_rpc_reply_header(&k->hdr, REMOTE_OK);
    uint8_t *buf;
    size_t len;
    bool replied = false;
    int rc;

    sv_error_reset();
    on_event_loop = may_defer;
    current_call = &k->hdr;
    rc = p->handler(c, k->args, ret);
    current_call = NULL;
    on_event_loop = false;
    if (rc == SV_PROC_DEFER && may_defer) {
        free_ret(p, ret);
        return SV_PROC_DEFER;
    }
    if (rc == SV_PROC_DEFER) {
        sv_error_set(SV_FROM_RPC, SV_ERR_INTERNAL_ERROR,
                     "internal error: procedure %d deferred on a worker thread", p->proc);
        rc = -1;
    }
    if (rc == 0) {
        int r = sv_rpc_encode(&reply, p->ret_filter, ret, SV_RPC_MAX_REPLY, &buf, &len);
        if (r == 0)
            replied = sv_client_send(c, buf, len, false) == 0;
        else if (r == -EMSGSIZE)
            send_error(c, &k->hdr, SV_ERR_RPC, SV_FROM_RPC,
                       "reply of procedure %d exceeds the maximum message size", p->proc);
        else
            send_error(c, &k->hdr, SV_ERR_INTERNAL_ERROR, SV_FROM_RPC,
                       "internal error: cannot encode the reply of procedure %d", p->proc);
        /* The reply is queued; now the connection may go (CONNECT_CLOSE). */
        if (p->proc == REMOTE_PROC_CONNECT_CLOSE)
            sv_client_close_after_output(c);
    } else {
        send_last_error(c, &k->hdr);
    }
    /* A stream the handler opened starts only behind its reply. */
    sv_stream_call_done(c, &k->hdr, replied);

    free_ret(p, ret);
    free_args(p, k->args);
    return 0;
}

static void worker_run(void *opaque)
{
    call *k = opaque;

    run_call(k, false);
    if (sv_client_call_end(k->client))
        sv_server_wake_client(k->client);
    sv_client_unref(k->client);
    free(k);
}

int sv_dispatch_call(sv_client *c, const sv_rpc_header *h,
                     const uint8_t *payload, size_t payload_len)
{
    const sv_proc *p = sv_dispatch_find(h->proc);
    void *args = NULL;
    call *k;

    if (!p) {
        send_error(c, h, SV_ERR_RPC, SV_FROM_RPC, "unknown procedure: %d", h->proc);
        return 0;
    }
    if (!c->permitted) {
        if (h->proc == REMOTE_PROC_AUTH_LIST)
            send_error(c, h, SV_ERR_AUTH_FAILED, SV_FROM_AUTH,
                       "authentication failed: access denied for uid %u",
                       (unsigned)c->cred.uid);
        else
            send_error(c, h, SV_ERR_RPC, SV_FROM_RPC, "authentication required");
        return 0;
    }
    /* Decode before the remaining rules so that a malformed call always
     * closes the connection, whatever state it is in. */
    if (p->args_size)
        args = sv_malloc0(p->args_size);
    if (sv_rpc_decode_payload(payload, payload_len, p->args_filter, args, p->args_size) < 0) {
        free(args);
        return -EBADMSG;
    }
    if (!(p->flags & SV_PROC_PREOPEN) && !sv_client_is_open(c)) {
        send_error(c, h, SV_ERR_INTERNAL_ERROR, SV_FROM_REMOTE, "internal error: connection not open");
        free_args(p, args);
        return 0;
    }
    if ((p->flags & SV_PROC_WRITE) && sv_client_readonly(c)) {
        send_error(c, h, SV_ERR_OPERATION_DENIED, SV_FROM_REMOTE,
                   "operation forbidden: read only access prevents %s",
                   p->name ? p->name : "this operation");
        free_args(p, args);
        return 0;
    }

    k = sv_malloc0(sizeof(*k));
    k->client = c;
    k->hdr = *h;
    k->proc = p;
    k->args = args;
    if (p->flags & SV_PROC_INLINE) {
        run_call(k, false);
        free(k);
        return 0;
    }
    if ((p->flags & SV_PROC_TRY_INLINE) && run_call(k, true) != SV_PROC_DEFER) {
        free(k);
        return 0;
    }
    sv_client_ref(c);
    sv_client_call_begin(c);
    sv_workers_submit(worker_run, k);
    return 0;
}
