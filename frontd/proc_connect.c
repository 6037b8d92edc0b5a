/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Connection- and node-level procedures: what virsh sends to connect and
 * close, and version/hostname/nodeinfo/capabilities/sysinfo/... .
 */
#include <stdlib.h>
#include <string.h>

#include "client_core.h"
#include "dispatch.h"
#include "frontd.h"
#include "hostinfo.h"
#include "sv_error.h"
#include "sv_util.h"

/* VIR_DRV_FEATURE_* numbers clients ask about. */
enum {
    FEATURE_TYPED_PARAM_STRING = 9,
    FEATURE_PROGRAM_KEEPALIVE = 10,
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
    FEATURE_REMOTE_CLOSE_CALLBACK = 15,
    FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16,
};

/* GET_LIB_VERSION: the libvirt API level whose wire behaviour we provide
 * (Debian 12's 9.0.0).  Clients such as virt-manager gate features on this
 * number, so reporting sepvirt's own 0.x would make them assume an ancient
 * daemon. */
#define SV_LIBVIRT_COMPAT_VERSION 9000000ull

#define VIR_CONNECT_RO 1u

static int check_flags(unsigned flags, unsigned allowed, const char *func)
{
    if (flags & ~allowed) {
        sv_error_set(SV_FROM_REMOTE, SV_ERR_INVALID_ARG,
                     "invalid argument: unsupported flags (0x%x) in function %s",
                     flags & ~allowed, func);
        return -1;
    }
    return 0;
}

static int auth_list(sv_client *c, void *args, void *ret)
{
    remote_auth_list_ret *r = ret;

    /* The peer passed the socket's access rule (else the core answered):
     * nothing more to prove. */
    r->types.types_val = sv_calloc(1, sizeof(remote_auth_type));
    r->types.types_val[0] = REMOTE_AUTH_NONE;
    r->types.types_len = 1;
    return 0;
}

static int auth_polkit(sv_client *c, void *args, void *ret)
{
    remote_auth_polkit_ret *r = ret;

    r->complete = 1;
    return 0;
}

static int supports_feature(sv_client *c, void *args, void *ret)
{
    remote_connect_supports_feature_args *a = args;
    remote_connect_supports_feature_ret *r = ret;

    switch (a->feature) {
    case FEATURE_TYPED_PARAM_STRING:
    case FEATURE_PROGRAM_KEEPALIVE:
    case FEATURE_REMOTE_EVENT_CALLBACK:
    case FEATURE_REMOTE_CLOSE_CALLBACK:
    case FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER:
        r->supported = 1;
        break;
    default:
        r->supported = 0;   /* migration, fd passing, ...: not offered */
        break;
    }
    return 0;
}

/* Accept "", "qemu:///system", "qemu:///session" and the transport forms
 * ("qemu+unix:///..."), refusing the mode this daemon does not run in the
 * way libvirt's qemu driver does. */
static int check_open_name(const char *name)
{
    const char *path;
    bool session = sv_frontd_paths_get()->session;

    if (!name || !*name)
        return 0;
    if (strncmp(name, "qemu", 4) != 0 || (name[4] != ':' && name[4] != '+')) {
        sv_error_set(SV_FROM_REMOTE, SV_ERR_NO_CONNECT,
                     "no connection driver available for %s", name);
        return -1;
    }
    path = strstr(name, ":///");
    if (!path) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR,
                     "internal error: unexpected QEMU URI '%s'", name);
        return -1;
    }
    path += 3;
    if (strncmp(path, session ? "/session" : "/system", session ? 8 : 7) != 0 ||
        (path[session ? 8 : 7] != '\0' && path[session ? 8 : 7] != '?')) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR,
                     "internal error: unexpected QEMU URI path '%.*s', try %s",
                     (int)strcspn(path, "?"), path, sv_frontd_uri());
        return -1;
    }
    return 0;
}

static int connect_open(sv_client *c, void *args, void *ret)
{
    remote_connect_open_args *a = args;

    if (check_open_name(a->name ? *a->name : NULL) < 0)
        return -1;
    /* Only the read-only bit matters; USER/AUTOSTART bits are the client's
     * business and unknown bits are ignored, as libvirtd does. */
    if (sv_client_set_open(c, a->flags & VIR_CONNECT_RO) < 0) {
        sv_error_set(SV_FROM_REMOTE, SV_ERR_INTERNAL_ERROR, "internal error: connection already open");
        return -1;
    }
    return 0;
}

static int connect_close(sv_client *c, void *args, void *ret)
{
    /* The core shuts the connection down after this reply. */
    return 0;
}

static int get_uri(sv_client *c, void *args, void *ret)
{
    remote_connect_get_uri_ret *r = ret;

    r->uri = sv_strdup(sv_frontd_uri());
    return 0;
}

static int get_type(sv_client *c, void *args, void *ret)
{
    remote_connect_get_type_ret *r = ret;

    r->type = sv_strdup("QEMU");
    return 0;
}

static int get_version(sv_client *c, void *args, void *ret)
{
    remote_connect_get_version_ret *r = ret;

    /* The first call runs QEMU to learn its version: not on the loop. */
    if (sv_proc_on_event_loop() && !sv_host_qemu_probed())
        return SV_PROC_DEFER;
    r->hv_ver = sv_host_qemu_version();
    return 0;
}

static int get_lib_version(sv_client *c, void *args, void *ret)
{
    remote_connect_get_lib_version_ret *r = ret;

    r->lib_ver = SV_LIBVIRT_COMPAT_VERSION;
    return 0;
}

static int get_hostname(sv_client *c, void *args, void *ret)
{
    remote_connect_get_hostname_ret *r = ret;

    r->hostname = sv_host_name();
    return 0;
}

static int node_get_info(sv_client *c, void *args, void *ret)
{
    remote_node_get_info_ret *r = ret;
    sv_host_topology t;

    sv_host_topology_get(&t);
    /* model is char[32] on the wire; NUL-padded like libvirt's. */
    memcpy(r->model, t.arch, strnlen(t.arch, sizeof(r->model) - 1));
    r->memory = t.memory_kib;
    r->cpus = t.cpus;
    r->mhz = t.mhz;
    r->nodes = t.nodes;
    r->sockets = t.sockets;
    r->cores = t.cores;
    r->threads = t.threads;
    return 0;
}

static int get_capabilities(sv_client *c, void *args, void *ret)
{
    remote_connect_get_capabilities_ret *r = ret;

    r->capabilities = sv_host_capabilities_xml();
    return 0;
}

static int get_sysinfo(sv_client *c, void *args, void *ret)
{
    remote_connect_get_sysinfo_args *a = args;
    remote_connect_get_sysinfo_ret *r = ret;

    if (check_flags(a->flags, 0, "virConnectGetSysinfo") < 0)
        return -1;
    r->sysinfo = sv_host_sysinfo_xml();
    return 0;
}

static int is_secure(sv_client *c, void *args, void *ret)
{
    remote_connect_is_secure_ret *r = ret;

    /* Only UNIX sockets are served: nobody can eavesdrop. */
    r->secure = 1;
    return 0;
}

static int node_get_free_memory(sv_client *c, void *args, void *ret)
{
    remote_node_get_free_memory_ret *r = ret;

    r->freeMem = sv_host_free_memory();
    return 0;
}

static int get_max_vcpus(sv_client *c, void *args, void *ret)
{
    remote_connect_get_max_vcpus_args *a = args;
    remote_connect_get_max_vcpus_ret *r = ret;
    int n = sv_host_max_vcpus(a->type ? *a->type : NULL);

    if (n < 0)
        return -1;
    r->max_vcpus = n;
    return 0;
}

static int node_get_security_model(sv_client *c, void *args, void *ret)
{
    /* No security driver: zero-length model and doi, which makes virsh
     * skip the security lines of dominfo.  ret is already zeroed. */
    return 0;
}

#define PRE (SV_PROC_PREOPEN | SV_PROC_INLINE)

static const sv_proc procs[] = {
    { REMOTE_PROC_AUTH_LIST, SV_XDR_NONE, SV_XDR(remote_auth_list_ret), auth_list, PRE, NULL },
    { REMOTE_PROC_AUTH_POLKIT, SV_XDR_NONE, SV_XDR(remote_auth_polkit_ret), auth_polkit, PRE, NULL },
    { REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, SV_XDR(remote_connect_supports_feature_args),
      SV_XDR(remote_connect_supports_feature_ret), supports_feature, PRE, NULL },
    { REMOTE_PROC_CONNECT_OPEN, SV_XDR(remote_connect_open_args), SV_XDR_NONE, connect_open, PRE, NULL },
    { REMOTE_PROC_CONNECT_CLOSE, SV_XDR_NONE, SV_XDR_NONE, connect_close, SV_PROC_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_URI, SV_XDR_NONE, SV_XDR(remote_connect_get_uri_ret), get_uri,
      SV_PROC_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_TYPE, SV_XDR_NONE, SV_XDR(remote_connect_get_type_ret), get_type,
      SV_PROC_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_VERSION, SV_XDR_NONE, SV_XDR(remote_connect_get_version_ret), get_version,
      SV_PROC_TRY_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_LIB_VERSION, SV_XDR_NONE, SV_XDR(remote_connect_get_lib_version_ret),
      get_lib_version, SV_PROC_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_HOSTNAME, SV_XDR_NONE, SV_XDR(remote_connect_get_hostname_ret),
      get_hostname, SV_PROC_INLINE, NULL },
    { REMOTE_PROC_NODE_GET_INFO, SV_XDR_NONE, SV_XDR(remote_node_get_info_ret), node_get_info, 0, NULL },
    { REMOTE_PROC_CONNECT_GET_CAPABILITIES, SV_XDR_NONE, SV_XDR(remote_connect_get_capabilities_ret),
      get_capabilities, 0, NULL },
    { REMOTE_PROC_CONNECT_GET_SYSINFO, SV_XDR(remote_connect_get_sysinfo_args),
      SV_XDR(remote_connect_get_sysinfo_ret), get_sysinfo, 0, NULL },
    { REMOTE_PROC_CONNECT_IS_SECURE, SV_XDR_NONE, SV_XDR(remote_connect_is_secure_ret), is_secure,
      SV_PROC_INLINE, NULL },
    { REMOTE_PROC_NODE_GET_FREE_MEMORY, SV_XDR_NONE, SV_XDR(remote_node_get_free_memory_ret),
      node_get_free_memory, SV_PROC_INLINE, NULL },
    { REMOTE_PROC_CONNECT_GET_MAX_VCPUS, SV_XDR(remote_connect_get_max_vcpus_args),
      SV_XDR(remote_connect_get_max_vcpus_ret), get_max_vcpus, 0, NULL },
    { REMOTE_PROC_NODE_GET_SECURITY_MODEL, SV_XDR_NONE, SV_XDR(remote_node_get_security_model_ret),
      node_get_security_model, SV_PROC_INLINE, NULL },
};

const sv_proc_table sv_procs_connect = SV_PROC_TABLE(procs);
