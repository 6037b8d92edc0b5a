/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: connections and host information.
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_HOST_H
#define SEPVIRT_HOST_H

#include <sepvirt/sepvirt-common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Opening and closing ----------------------------------------------
 * URIs (the same forms libvirt accepts for a local daemon):
 *   qemu:///session   $XDG_RUNTIME_DIR/sepvirt/sepvirt-sock (without
 *                     XDG_RUNTIME_DIR: ${XDG_CACHE_HOME:-~/.cache}/sepvirt/run/)
 *   qemu:///system    /run/sepvirt/sepvirt-sock (read-only: ...-sock-ro)
 *   qemu+unix:///system?socket=PATH   any socket path
 * With $SEPVIRT_ROOT set, both instances live in $SEPVIRT_ROOT/run/.
 * uri NULL: $SEPVIRT_DEFAULT_URI, else $LIBVIRT_DEFAULT_URI, else
 * qemu:///session for ordinary users and qemu:///system for root.
 * Return a new connection or NULL with the thread's last error set. */
typedef enum {
    SEPVIRT_CONN_RO = 1 << 0,   /* read-only: mutating calls are refused */
} sepvirt_conn_flag_values;

sepvirt_conn *sepvirt_conn_open(const char *uri);
sepvirt_conn *sepvirt_conn_open_readonly(const char *uri);
sepvirt_conn *sepvirt_conn_open_flags(const char *uri, unsigned int flags);
/* Add a reference (returns 0, or -1 for a NULL conn). */
int sepvirt_conn_ref(sepvirt_conn *conn);
/* Drop the caller's reference.  The connection is closed when no handle
 * refers to it any more.  Returns the references left (0 = closed) or -1. */
int sepvirt_conn_close(sepvirt_conn *conn);

/* 1 if the connection is usable, 0 if the peer went away, -1 on error. */
int sepvirt_conn_is_alive(sepvirt_conn *conn);
/* 1 if the channel is private/encrypted (always for unix sockets). */
int sepvirt_conn_is_secure(sepvirt_conn *conn);
/* 1 if opened read-only. */
int sepvirt_conn_is_readonly(sepvirt_conn *conn);

/* Send a keepalive PING after `interval` seconds without traffic and close
 * the connection after `count` unanswered PINGs; interval <= 0 disables.
 * Returns 0, 1 if the daemon does not support keepalive, -1 on error.
 * Independently of this, PINGs from the daemon are always answered. */
int sepvirt_conn_set_keepalive(sepvirt_conn *conn, int interval, unsigned int count);

/* Why a connection was closed (libvirt's virConnectCloseReason). */
typedef enum {
    SEPVIRT_CONN_CLOSE_REASON_ERROR = 0,
    SEPVIRT_CONN_CLOSE_REASON_EOF = 1,
    SEPVIRT_CONN_CLOSE_REASON_KEEPALIVE = 2,
    SEPVIRT_CONN_CLOSE_REASON_CLIENT = 3,
} sepvirt_conn_close_reason;

typedef void (*sepvirt_free_cb)(void *opaque);
typedef void (*sepvirt_conn_close_cb)(sepvirt_conn *conn, int reason, void *opaque);
/* One close callback per connection; it runs from the event dispatch
 * (sepvirt_event_run_once / sepvirt_event_dispatch) after the connection
 * went away.  freecb(opaque) runs when it is unregistered or the
 * connection is freed. */
int sepvirt_conn_register_close_callback(sepvirt_conn *conn, sepvirt_conn_close_cb cb,
                                         void *opaque, sepvirt_free_cb freecb);
int sepvirt_conn_unregister_close_callback(sepvirt_conn *conn, sepvirt_conn_close_cb cb);

/* ---- Host information --------------------------------------------------*/

/* The connection's URI as the caller gave it (or the default chosen). */
char *sepvirt_conn_get_uri(sepvirt_conn *conn);
/* Hypervisor type name, e.g. "QEMU"; owned by conn. */
const char *sepvirt_conn_get_type(sepvirt_conn *conn);
/* Hypervisor version (major*1e6+minor*1e3+micro; 0 = unknown). */
int sepvirt_conn_get_version(sepvirt_conn *conn, unsigned long *ret_version);
/* Version of the daemon's library. */
int sepvirt_conn_get_lib_version(sepvirt_conn *conn, unsigned long *ret_version);
char *sepvirt_conn_get_hostname(sepvirt_conn *conn);
char *sepvirt_conn_get_capabilities(sepvirt_conn *conn);
char *sepvirt_conn_get_sysinfo(sepvirt_conn *conn, unsigned int flags);

typedef struct sepvirt_node_info {
    char model[32];                /* CPU model, NUL-terminated */
    unsigned long long memory_kib; /* memory size */
    unsigned int cpus;             /* active CPUs */
    unsigned int mhz;
    unsigned int nodes;            /* NUMA cells */
    unsigned int sockets;          /* per node */
    unsigned int cores;            /* per socket */
    unsigned int threads;          /* per core */
} sepvirt_node_info;

int sepvirt_node_get_info(sepvirt_conn *conn, sepvirt_node_info *ret_info);

/* Host security model; an empty model means no security driver. */
typedef struct sepvirt_security_model {
    char model[257];
    char doi[257];
} sepvirt_security_model;

int sepvirt_node_get_security_model(sepvirt_conn *conn, sepvirt_security_model *ret_model);

#ifdef __cplusplus
}
#endif
#endif
