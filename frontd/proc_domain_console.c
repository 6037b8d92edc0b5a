/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DOMAIN_OPEN_CONSOLE: the guest's serial port or console as a stream
 * (frontd/stream.h) over a connection the hypervisor driver hands out.
 *
 * One session per character device, as libvirt's virChrdevs: a second
 * open is refused ("Active console session exists for this domain")
 * unless it asks for FORCE, which ends the older session with libvirtd's
 * "stream had I/O failure" error.  A session ends with its stream.
 */
#include "proc_domain.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "stream.h"
#include "sv_error.h"

/* virErrorDomain VIR_FROM_STREAMS */
#define FROM_STREAMS 38

typedef struct session {
    unsigned char uuid[SV_UUID_LEN];
    char dev[32];
    sv_stream *st;              /* referenced */
    struct session *next;
} session;

static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;
static session *sessions;

static session **session_find(const unsigned char *uuid, const char *dev)
{
    session **pp;

    for (pp = &sessions; *pp; pp = &(*pp)->next)
        if (memcmp((*pp)->uuid, uuid, SV_UUID_LEN) == 0 && strcmp((*pp)->dev, dev) == 0)
            return pp;
    return NULL;
}

static void session_free(session *s)
{
    sv_stream_unref(s->st);
    free(s);
}

/* The stream ended: forget its session unless a newer one replaced it. */
static void session_end(sv_stream *st, void *opaque)
{
    session **pp;
    session *s = NULL;

    (void)opaque;
    pthread_mutex_lock(&sessions_lock);
    for (pp = &sessions; *pp; pp = &(*pp)->next) {
        if ((*pp)->st == st) {
            s = *pp;
            *pp = s->next;
            break;
        }
    }
    pthread_mutex_unlock(&sessions_lock);
    if (s)
        session_free(s);
}

/* libvirt's name of a character device: its alias in the live config, or
 * the one the QEMU driver assigns (a console on the serial target is
 * serial port 0). */
static void chr_alias(const sv_domain_chr_def *chr, const char *kind, size_t index,
                      char alias[32])
{
    if (chr->info.alias)
        snprintf(alias, 32, "%s", chr->info.alias);
    else if (chr->device == SV_DOMAIN_CHR_CONSOLE &&
             chr->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL && index == 0)
        snprintf(alias, 32, "serial0");
    else
        snprintf(alias, 32, "%s%zu", kind, index);
}

/* The device dev_name names (NULL: the first console, else the first
 * serial port), as libvirt's qemuDomainOpenConsole chooses; its alias goes
 * to alias.  Errors are libvirt's. */
static int console_find(const sv_domain_def *def, const char *dev_name, char alias[32])
{
    const sv_domain_chr_def *chr = NULL;
    char name[32];

    for (size_t i = 0; !chr && i < def->nconsoles; i++) {
        chr_alias(def->consoles[i], "console", i, name);
        if (!dev_name || strcmp(name, dev_name) == 0)
            chr = def->consoles[i];
    }
    for (size_t i = 0; !chr && i < def->nserials; i++) {
        chr_alias(def->serials[i], "serial", i, name);
        if (!dev_name || strcmp(name, dev_name) == 0)
            chr = def->serials[i];
    }
    if (!chr) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "cannot find character device %s",
                  dev_name ? dev_name : "<null>");
        return -1;
    }
    if (chr->type != SV_DOMAIN_CHR_PTY) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "character device %s is not using a PTY",
                  dev_name ? dev_name : name);
        return -1;
    }
    snprintf(alias, 32, "%s", name);
    return 0;
}

/* d locked, job held, active: open the console and its stream.  The job
 * serializes the opens of one domain, so the check below cannot race
 * with another open of the same device. */
static int open_console(sv_client *c, const sv_hv_driver *drv, sv_domain_obj *d,
                        const char *dev_name, unsigned flags)
{
    char alias[32];
    session **pp, *s = NULL;
    int fd;

    if (console_find(sv_domain_obj_def(d), dev_name, alias) < 0)
        return -1;

    pthread_mutex_lock(&sessions_lock);
    if ((pp = session_find(d->obj.uuid, alias))) {
        s = *pp;
        if (sv_stream_is_open(s->st) && !(flags & SV_DOMAIN_CONSOLE_FORCE)) {
            pthread_mutex_unlock(&sessions_lock);
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "%s",
                      "Active console session exists for this domain");
            return -1;
        }
        *pp = s->next;
    }
    pthread_mutex_unlock(&sessions_lock);
    if (s) {
        sv_stream_abort(s->st, SV_ERR_RPC, FROM_STREAMS, "stream had I/O failure");
        session_free(s);
    }

    if (drv->domain_open_console(d, alias, flags, &fd) < 0)
        return -1;
    s = sv_malloc0(sizeof(*s));
    memcpy(s->uuid, d->obj.uuid, SV_UUID_LEN);
    snprintf(s->dev, sizeof(s->dev), "%s", alias);
    if (!(s->st = sv_stream_open_fd(c, fd, session_end, NULL))) {
        free(s);
        return -1;
    }
    pthread_mutex_lock(&sessions_lock);
    /* A stream that ended at once (its client left) already ran
     * session_end; do not keep its session. */
    if (sv_stream_is_open(s->st)) {
        s->next = sessions;
        sessions = s;
        s = NULL;
    }
    pthread_mutex_unlock(&sessions_lock);
    if (s)
        session_free(s);
    return 0;
}

static int proc_open_console(sv_client *c, void *a, void *r)
{
    remote_domain_open_console_args *args = a;
    const sv_hv_driver *drv = sv_hv_driver_get();
    sv_domain_obj *d;
    int rc = -1;

    if (sv_proc_check_flags(args->flags, SV_DOMAIN_CONSOLE_FORCE | SV_DOMAIN_CONSOLE_SAFE,
                            "virDomainOpenConsole") < 0)
        return -1;
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    if (!drv || !drv->domain_open_console) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_NO_SUPPORT, "%s", "virDomainOpenConsole");
    } else if (sv_obj_begin_job(&d->obj) == 0) {
        if (!d->obj.active)
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "%s", "domain is not running");
        else
            rc = open_console(c, drv, d, args->dev_name ? *args->dev_name : NULL, args->flags);
        sv_obj_end_job(&d->obj);
    }
    sv_domain_obj_end(d);
    return rc;
}

static const sv_proc console_procs[] = {
    SV_PROC_ENTRY_NORET(DOMAIN_OPEN_CONSOLE, domain_open_console, proc_open_console,
                        SV_PROC_WRITE, "virDomainOpenConsole"),
};

const sv_proc_table sv_procs_domain_console = SV_PROC_TABLE(console_procs);
