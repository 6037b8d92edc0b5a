/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Procedure dispatch of the REMOTE program.  Procedure modules export
 * tables of sv_proc; the core (dispatch.c) collects them, checks the
 * per-procedure rules (open connection, read-only) before decoding
 * arguments, runs the handler on the event-loop thread (SV_PROC_INLINE) or
 * on a worker thread, and sends the reply.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "remote_protocol.h"
#include "rpc_msg.h"

typedef struct sv_client sv_client;          /* one connection (client.h) */

enum {
    SV_PROC_WRITE   = 1 << 0,  /* mutating: refused on read-only connections with
                                  SV_ERR_OPERATION_DENIED "operation forbidden: read only access prevents ..." */
    SV_PROC_PREOPEN = 1 << 1,  /* allowed before CONNECT_OPEN (auth list, supports feature, open) */
    SV_PROC_INLINE  = 1 << 2,  /* cheap: may run on the event-loop thread (otherwise a worker thread) */
    SV_PROC_TRY_INLINE = 1 << 3, /* run on the event-loop thread first; the handler
                                    returns SV_PROC_DEFER when this call needs
                                    slow work (e.g. a running domain's monitor)
                                    and is then run again on a worker */
};

/* Handler result of a SV_PROC_TRY_INLINE procedure: "run me on a worker".
 * Return it before changing anything (args are reused, ret is discarded). */
#define SV_PROC_DEFER 1

/* True inside a handler running on the event-loop thread (for helpers
 * shared by inline and worker procedures). */
bool sv_proc_on_event_loop(void);

/* Inside a handler: the header of the call it serves (else NULL). */
const sv_rpc_header *sv_proc_current_call(void);

/* Returns 0 (ret filled; the core xdr_free()s ret after sending, so the
 * handler allocates strings/arrays in ret with malloc), or -1 with sv_error
 * set (util/sv_error.h) which the core turns into a remote_error reply.
 * args and ret are zeroed structs of args_size / ret_size bytes; the core
 * frees args after the handler returns. */
typedef int (*sv_proc_handler)(sv_client *client, void *args, void *ret);

typedef struct sv_proc {
    int proc;                 /* REMOTE_PROC_* */
    xdrproc_t args_filter;    /* NULL or SV_XDR_VOID for no args */
    size_t args_size;
    xdrproc_t ret_filter;     /* NULL or SV_XDR_VOID for no return value */
    size_t ret_size;
    sv_proc_handler handler;
    unsigned flags;
    /* Public API name used in the read-only refusal ("...prevents
     * virDomainDefineXML"); NULL says "this operation". */
    const char *name;
} sv_proc;

typedef struct sv_proc_table { const sv_proc *procs; size_t n; } sv_proc_table;

#define SV_PROC_TABLE(array) { (array), sizeof(array) / sizeof((array)[0]) }
/* Table helpers: SV_XDR(remote_foo_args) gives "filter, size";
 * SV_XDR_NONE stands for a void argument or return value. */
#define SV_XDR(type) (xdrproc_t)xdr_##type, sizeof(type)
#define SV_XDR_NONE NULL, 0

/* Module tables.  sv_procs_domain / sv_procs_network may be absent from a
 * build (weak references in dispatch.c). */
extern const sv_proc_table sv_procs_connect;
extern const sv_proc_table sv_procs_domain;
extern const sv_proc_table sv_procs_network;
extern const sv_proc_table sv_procs_domain_console;   /* proc_domain_console.c */
extern const sv_proc_table sv_procs_domain_stats;     /* proc_domain_stats.c */

/* Build the lookup index from every module table.  A procedure number that
 * appears twice is a programming error: reported, and -1 returned. */
int sv_dispatch_init(void);

/* The procedure entry for a REMOTE procedure number, or NULL. */
const sv_proc *sv_dispatch_find(int proc);

/* Handle one CALL of the REMOTE program (header decoded by
 * sv_rpc_decode_packet).  Checks the rules, decodes the arguments (the
 * payload may be freed on return), then runs the procedure inline or queues
 * it to a worker; the reply is sent when it is done.  Returns 0, or
 * -EBADMSG when the arguments do not decode (the caller then closes the
 * connection). */
int sv_dispatch_call(sv_client *client, const sv_rpc_header *hdr,
                     const uint8_t *payload, size_t payload_len);
