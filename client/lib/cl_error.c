/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Public error objects over util's thread-local sv_error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_conn.h"
#include "sv_util.h"

static _Thread_local sepvirt_error tl_view;

/* Process-wide error hook (sepvirt_set_error_func). */
static pthread_mutex_t hook_lock = PTHREAD_MUTEX_INITIALIZER;
static sepvirt_error_func hook_func;
static void *hook_opaque;

void cl_enter(void)
{
    sv_error_reset();
}

/* An error was raised: record it on the connection, tell the hook. */
static void raised(sepvirt_conn *conn)
{
    const sv_error *e = sv_error_last();
    sepvirt_error_func func;
    void *opaque;

    if (!e)
        return;
    if (conn) {
        pthread_mutex_lock(&conn->lock);
        conn->last_error = *e;
        conn->have_error = true;
        pthread_mutex_unlock(&conn->lock);
    }
    pthread_mutex_lock(&hook_lock);
    func = hook_func;
    opaque = hook_opaque;
    pthread_mutex_unlock(&hook_lock);
    if (func)
        func(opaque, sepvirt_last_error());
}

void sepvirt_set_error_func(void *opaque, sepvirt_error_func func)
{
    pthread_mutex_lock(&hook_lock);
    hook_func = func;
    hook_opaque = opaque;
    pthread_mutex_unlock(&hook_lock);
}

void cl_error_set(sepvirt_conn *conn, int domain, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sv_error_setv(domain, code, fmt, ap);
    va_end(ap);
    raised(conn);
}

void cl_error_keep(sepvirt_conn *conn)
{
    if (!sv_error_last())
        sv_error_set(SV_FROM_NONE, SV_ERR_INTERNAL_ERROR, "internal error: unknown failure");
    raised(conn);
}

int cl_check_conn(sepvirt_conn *conn)
{
    if (!conn) {
        cl_error_set(NULL, SV_FROM_NONE, SV_ERR_INVALID_CONN, "invalid connection pointer");
        return -1;
    }
    return 0;
}

int cl_require_arg(sepvirt_conn *conn, const void *arg, const char *name)
{
    if (arg)
        return 0;
    cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG, "invalid argument: %s must not be NULL",
                 name);
    return -1;
}

int cl_uuid_arg(sepvirt_conn *conn, const char *uuid, unsigned char raw[SEPVIRT_UUID_BUFLEN])
{
    if (cl_require_arg(conn, uuid, "uuid") < 0)
        return -1;
    if (sv_uuid_parse(uuid, raw) < 0) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: uuid '%s' is malformed", uuid);
        return -1;
    }
    return 0;
}

const sepvirt_error *sepvirt_last_error(void)
{
    const sv_error *e = sv_error_last();

    if (!e || e->code == SV_ERR_OK)
        return NULL;
    tl_view.code = e->code;
    tl_view.domain = e->domain;
    tl_view.level = SEPVIRT_ERR_LEVEL_ERROR;
    tl_view.message = (char *)e->message;
    return &tl_view;
}

void sepvirt_reset_last_error(void)
{
    sv_error_reset();
}

static sepvirt_error *copy_error(const sv_error *e)
{
    sepvirt_error *c = sv_malloc0(sizeof(*c));

    c->code = e->code;
    c->domain = e->domain;
    c->level = SEPVIRT_ERR_LEVEL_ERROR;
    c->message = sv_strdup(e->message);
    return c;
}

sepvirt_error *sepvirt_save_last_error(void)
{
    const sv_error *e = sv_error_last();

    return e && e->code != SV_ERR_OK ? copy_error(e) : NULL;
}

sepvirt_error *sepvirt_conn_last_error(sepvirt_conn *conn)
{
    sepvirt_error *c = NULL;

    if (!conn)
        return NULL;
    pthread_mutex_lock(&conn->lock);
    if (conn->have_error)
        c = copy_error(&conn->last_error);
    pthread_mutex_unlock(&conn->lock);
    return c;
}

void sepvirt_conn_reset_last_error(sepvirt_conn *conn)
{
    if (!conn)
        return;
    pthread_mutex_lock(&conn->lock);
    conn->have_error = false;
    pthread_mutex_unlock(&conn->lock);
}

void sepvirt_error_free(sepvirt_error *err)
{
    if (!err)
        return;
    free(err->message);
    free(err);
}

unsigned long sepvirt_lib_version(void)
{
    return SEPVIRT_VERSION_NUMBER;
}
