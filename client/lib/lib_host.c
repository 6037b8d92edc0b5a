/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening/closing connections and host information calls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cl_conn.h"
#include "cl_uri.h"
#include "remote_protocol.h"
#include "sv_util.h"

enum {
    FEATURE_PROGRAM_KEEPALIVE = 10,    /* VIR_DRV_FEATURE_PROGRAM_KEEPALIVE */
    FEATURE_REMOTE_EVENT_CALLBACK = 14,
};

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        sv_error_set(SV_FROM_RPC, SV_ERR_SYSTEM_ERROR,
                     "Socket path %s too big for destination", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sv_error_set_errno(SV_FROM_RPC, errno, "Failed to create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(fd);
        sv_error_set(SV_FROM_RPC, SV_ERR_SYSTEM_ERROR, "Failed to connect socket to '%s': %s",
                     path, strerror(e));
        return -1;
    }
    return fd;
}

static int supports_feature(sepvirt_conn *conn, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    remote_connect_supports_feature_ret ret = { 0 };

    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
                       (xdrproc_t)xdr_remote_connect_supports_feature_args, &args,
                       (xdrproc_t)xdr_remote_connect_supports_feature_ret, &ret) < 0) {
        sv_error_reset();
        return 0;
    }
    return ret.supported != 0;
}

static int authenticate(sepvirt_conn *conn)
{
    remote_auth_list_ret ret;
    bool none = false, polkit = false;

    memset(&ret, 0, sizeof(ret));
    if (cl_call_remote(conn, REMOTE_PROC_AUTH_LIST, NULL, NULL,
                       (xdrproc_t)xdr_remote_auth_list_ret, &ret) < 0) {
        const sv_error *e = sv_error_last();

        /* Old daemons without AUTH_LIST need no authentication. */
        if (e && e->code == SV_ERR_NO_SUPPORT) {
            sv_error_reset();
            return 0;
        }
        return -1;
    }
    for (unsigned int i = 0; i < ret.types.types_len; i++) {
        none |= ret.types.types_val[i] == REMOTE_AUTH_NONE;
        polkit |= ret.types.types_val[i] == REMOTE_AUTH_POLKIT;
    }
    if (ret.types.types_len == 0)
        none = true;
    xdr_free((xdrproc_t)xdr_remote_auth_list_ret, (char *)&ret);
    if (none)
        return 0;
    if (polkit) {
        remote_auth_polkit_ret pret = { 0 };

        return cl_call_remote(conn, REMOTE_PROC_AUTH_POLKIT, NULL, NULL,
                              (xdrproc_t)xdr_remote_auth_polkit_ret, &pret);
    }
    cl_error_set(conn, SV_FROM_AUTH, SV_ERR_AUTH_FAILED,
                 "authentication failed: unsupported authentication type");
    return -1;
}

sepvirt_conn *sepvirt_conn_open_flags(const char *uri, unsigned int flags)
{
    cl_uri_env env;
    cl_uri u;
    sepvirt_conn *conn;
    remote_connect_open_args oargs;
    int fd;

    cl_enter();
    if (flags & ~(unsigned int)SEPVIRT_CONN_RO) {
        cl_error_set(NULL, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: unsupported flags (0x%x) in function %s",
                     flags & ~(unsigned int)SEPVIRT_CONN_RO, __func__);
        return NULL;
    }
    cl_uri_env_from_process(&env);
    if (cl_uri_parse(uri, flags & SEPVIRT_CONN_RO, &env, &u) < 0) {
        cl_error_keep(NULL);
        return NULL;
    }
    if ((fd = connect_unix(u.socket_path)) < 0) {
        cl_uri_clear(&u);
        cl_error_keep(NULL);
        return NULL;
    }
    conn = cl_conn_new(fd, u.uri, flags & SEPVIRT_CONN_RO);
    if (cl_conn_start_io(conn) < 0 || authenticate(conn) < 0)
        goto fail;
    conn->feature_keepalive = supports_feature(conn, FEATURE_PROGRAM_KEEPALIVE);

    memset(&oargs, 0, sizeof(oargs));
    oargs.name = &u.open_name;
    oargs.flags = u.open_flags;
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_OPEN,
                       (xdrproc_t)xdr_remote_connect_open_args, &oargs, NULL, NULL) < 0)
        goto fail;
    pthread_mutex_lock(&conn->lock);
    conn->opened = true;
    pthread_mutex_unlock(&conn->lock);

    if (u.probe) {
        remote_connect_get_uri_ret ret = { 0 };

        if (cl_call_remote(conn, REMOTE_PROC_CONNECT_GET_URI, NULL, NULL,
                           (xdrproc_t)xdr_remote_connect_get_uri_ret, &ret) == 0) {
            free(conn->uri);
            conn->uri = ret.uri;
        } else {
            sv_error_reset();
        }
    }
    conn->feature_event_callback = supports_feature(conn, FEATURE_REMOTE_EVENT_CALLBACK);
    cl_uri_clear(&u);
    sv_error_reset();
    return conn;

 fail:
    {
        sv_error saved = { .code = SV_ERR_INTERNAL_ERROR, .message = "internal error" };

        if (sv_error_last())
            saved = *sv_error_last();

        cl_uri_clear(&u);
        cl_conn_unref(conn);
        /* Already reported to the hook when it was raised. */
        sv_error_set(saved.domain, saved.code, "%s", saved.message);
    }
    return NULL;
}

sepvirt_conn *sepvirt_conn_open(const char *uri)
{
    return sepvirt_conn_open_flags(uri, 0);
}

sepvirt_conn *sepvirt_conn_open_readonly(const char *uri)
{
    return sepvirt_conn_open_flags(uri, SEPVIRT_CONN_RO);
}

int sepvirt_conn_ref(sepvirt_conn *conn)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    cl_conn_ref(conn);
    return 0;
}

int sepvirt_conn_close(sepvirt_conn *conn)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    return cl_conn_unref(conn);
}

int sepvirt_conn_is_alive(sepvirt_conn *conn)
{
    int alive;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    pthread_mutex_lock(&conn->lock);
    alive = !conn->dead;
    pthread_mutex_unlock(&conn->lock);
    return alive;
}

int sepvirt_conn_is_secure(sepvirt_conn *conn)
{
    remote_connect_is_secure_ret ret = { 0 };

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_IS_SECURE, NULL, NULL,
                       (xdrproc_t)xdr_remote_connect_is_secure_ret, &ret) < 0)
        return -1;
    /* A unix socket is a private channel; the daemon speaks for the rest. */
    return ret.secure ? 1 : 0;
}

int sepvirt_conn_is_readonly(sepvirt_conn *conn)
{
    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    return conn->readonly;
}

char *sepvirt_conn_get_uri(sepvirt_conn *conn)
{
    char *s;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    pthread_mutex_lock(&conn->lock);
    s = sv_strdup(conn->uri);
    pthread_mutex_unlock(&conn->lock);
    return s;
}

const char *sepvirt_conn_get_type(sepvirt_conn *conn)
{
    remote_connect_get_type_ret ret = { 0 };
    const char *type;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    pthread_mutex_lock(&conn->lock);
    type = conn->type;
    pthread_mutex_unlock(&conn->lock);
    if (type)
        return type;
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_GET_TYPE, NULL, NULL,
                       (xdrproc_t)xdr_remote_connect_get_type_ret, &ret) < 0)
        return NULL;
    pthread_mutex_lock(&conn->lock);
    if (!conn->type)
        conn->type = ret.type;
    else
        free(ret.type);
    type = conn->type;
    pthread_mutex_unlock(&conn->lock);
    return type;
}

static int get_version(sepvirt_conn *conn, int proc, unsigned long *ret_version)
{
    /* Both results are a single unsigned hyper. */
    remote_connect_get_version_ret ret = { 0 };

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, ret_version, "ret_version") < 0)
        return -1;
    if (cl_call_remote(conn, proc, NULL, NULL,
                       (xdrproc_t)xdr_remote_connect_get_version_ret, &ret) < 0)
        return -1;
    *ret_version = (unsigned long)ret.hv_ver;
    return 0;
}

int sepvirt_conn_get_version(sepvirt_conn *conn, unsigned long *ret_version)
{
    return get_version(conn, REMOTE_PROC_CONNECT_GET_VERSION, ret_version);
}

int sepvirt_conn_get_lib_version(sepvirt_conn *conn, unsigned long *ret_version)
{
    return get_version(conn, REMOTE_PROC_CONNECT_GET_LIB_VERSION, ret_version);
}

/* Calls returning one remote_nonnull_string with no arguments. */
static char *get_string(sepvirt_conn *conn, int proc, xdrproc_t ret_filter)
{
    char *s = NULL;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    if (cl_call_remote(conn, proc, NULL, NULL, ret_filter, &s) < 0)
        return NULL;
    return s;
}

char *sepvirt_conn_get_hostname(sepvirt_conn *conn)
{
    return get_string(conn, REMOTE_PROC_CONNECT_GET_HOSTNAME,
                      (xdrproc_t)xdr_remote_connect_get_hostname_ret);
}

char *sepvirt_conn_get_capabilities(sepvirt_conn *conn)
{
    return get_string(conn, REMOTE_PROC_CONNECT_GET_CAPABILITIES,
                      (xdrproc_t)xdr_remote_connect_get_capabilities_ret);
}

char *sepvirt_conn_get_sysinfo(sepvirt_conn *conn, unsigned int flags)
{
    remote_connect_get_sysinfo_args args = { .flags = flags };
    remote_connect_get_sysinfo_ret ret = { 0 };

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_GET_SYSINFO,
                       (xdrproc_t)xdr_remote_connect_get_sysinfo_args, &args,
                       (xdrproc_t)xdr_remote_connect_get_sysinfo_ret, &ret) < 0)
        return NULL;
    return ret.sysinfo;
}

int sepvirt_node_get_info(sepvirt_conn *conn, sepvirt_node_info *ret_info)
{
    remote_node_get_info_ret ret;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (cl_call_remote(conn, REMOTE_PROC_NODE_GET_INFO, NULL, NULL,
                       (xdrproc_t)xdr_remote_node_get_info_ret, &ret) < 0)
        return -1;
    memset(ret_info, 0, sizeof(*ret_info));
    memcpy(ret_info->model, ret.model, sizeof(ret_info->model) - 1);
    ret_info->memory_kib = ret.memory;
    ret_info->cpus = (unsigned int)ret.cpus;
    ret_info->mhz = (unsigned int)ret.mhz;
    ret_info->nodes = (unsigned int)ret.nodes;
    ret_info->sockets = (unsigned int)ret.sockets;
    ret_info->cores = (unsigned int)ret.cores;
    ret_info->threads = (unsigned int)ret.threads;
    return 0;
}

/* A counted char array whose count includes the trailing NUL. */
static void copy_char_array(char *dst, size_t dstlen, const char *src, unsigned int n)
{
    size_t len = n;

    if (len >= dstlen)
        len = dstlen - 1;
    if (len > 0)   /* an empty array arrives as NULL */
        memcpy(dst, src, len);
    dst[len] = '\0';
}

int sepvirt_node_get_security_model(sepvirt_conn *conn, sepvirt_security_model *ret_model)
{
    remote_node_get_security_model_ret ret;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (cl_call_remote(conn, REMOTE_PROC_NODE_GET_SECURITY_MODEL, NULL, NULL,
                       (xdrproc_t)xdr_remote_node_get_security_model_ret, &ret) < 0)
        return -1;
    memset(ret_model, 0, sizeof(*ret_model));
    copy_char_array(ret_model->model, sizeof(ret_model->model), ret.model.model_val,
                    ret.model.model_len);
    copy_char_array(ret_model->doi, sizeof(ret_model->doi), ret.doi.doi_val, ret.doi.doi_len);
    xdr_free((xdrproc_t)xdr_remote_node_get_security_model_ret, (char *)&ret);
    return 0;
}
