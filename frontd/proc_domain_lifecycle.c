/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain lifecycle procedures.  The registry checks and records state; the
 * hypervisor driver (drivers/driver.h) acts.  With no driver registered
 * each answers NO_SUPPORT naming the public API, as libvirt does for a
 * driver that lacks the call.
 */
#include "proc_domain.h"

#include <stdio.h>
#include <string.h>

#include "autodestroy.h"
#include "driver.h"
#include "sv_error.h"

/* virDomainCreateFlags */
enum {
    START_PAUSED = 1 << 0,
    START_AUTODESTROY = 1 << 1,
    START_BYPASS_CACHE = 1 << 2,
    START_FORCE_BOOT = 1 << 3,
    START_VALIDATE = 1 << 4,
    START_RESET_NVRAM = 1 << 5,
};

#define DESTROY_FLAGS 0x3u    /* GRACEFUL, REMOVE_LOGS */
#define SHUTDOWN_FLAGS 0x1fu  /* ACPI, AGENT, INITCTL, SIGNAL, PARAVIRT */

typedef enum { OP_DESTROY, OP_SHUTDOWN, OP_REBOOT, OP_RESET, OP_SUSPEND, OP_RESUME } op_kind;

static const sv_hv_driver *driver_for(op_kind op, const char *api)
{
    const sv_hv_driver *drv = sv_hv_driver_get();
    bool has = false;

    if (drv) {
        switch (op) {
        case OP_DESTROY: has = drv->domain_destroy != NULL; break;
        case OP_SHUTDOWN: has = drv->domain_shutdown != NULL; break;
        case OP_REBOOT: has = drv->domain_reboot != NULL; break;
        case OP_RESET: has = drv->domain_reset != NULL; break;
        case OP_SUSPEND: has = drv->domain_suspend != NULL; break;
        case OP_RESUME: has = drv->domain_resume != NULL; break;
        }
    }
    if (!has) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_NO_SUPPORT, "%s", api);
        return NULL;
    }
    return drv;
}

static const sv_hv_driver *driver_for_start(const char *api)
{
    const sv_hv_driver *drv = sv_hv_driver_get();

    if (!drv || !drv->domain_start) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_NO_SUPPORT, "%s", api);
        return NULL;
    }
    return drv;
}

/* ---- start --------------------------------------------------------------- */

/* d locked, job held, inactive: start it and announce it.  With
 * AUTODESTROY, this run ends when c closes (autodestroy.h). */
static int start_locked(const sv_hv_driver *drv, sv_client *c, sv_domain_obj *d, unsigned flags)
{
    if (drv->domain_start(d, flags) < 0)
        return -1;
    if (flags & START_AUTODESTROY)
        sv_autodestroy_add(c, d->obj.uuid, d->obj.id);
    sv_proc_domain_event(d, SV_DOMAIN_EVENT_STARTED, 0 /* BOOTED */);
    /* Clients that follow running/paused need both events (libvirt too). */
    if (flags & START_PAUSED)
        sv_proc_domain_event(d, SV_DOMAIN_EVENT_SUSPENDED, 0 /* PAUSED */);
    return 0;
}

static int domain_start(sv_client *c, const remote_nonnull_domain *dom, unsigned flags,
                        const char *api, remote_nonnull_domain *out)
{
    const sv_hv_driver *drv;
    sv_domain_obj *d;
    int rc = -1;

    if (sv_proc_check_flags(flags, START_PAUSED | START_AUTODESTROY | START_BYPASS_CACHE |
                            START_FORCE_BOOT | START_RESET_NVRAM, api) < 0 ||
        !(drv = driver_for_start(api)) ||
        !(d = sv_proc_domain_get(dom)))
        return -1;
    if (sv_obj_begin_job(&d->obj) < 0) {
        sv_domain_obj_end(d);
        return -1;
    }
    if (d->obj.active)
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is already running");
    else
        rc = start_locked(drv, c, d, flags);
    if (rc == 0 && out)
        sv_proc_domain_ret(out, d);
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    return rc;
}

int sv_proc_domain_create(sv_client *c, void *a, void *r)
{
    remote_domain_create_args *args = a;

    return domain_start(c, &args->dom, 0, "virDomainCreate", NULL);
}

int sv_proc_domain_create_with_flags(sv_client *c, void *a, void *r)
{
    remote_domain_create_with_flags_args *args = a;
    remote_domain_create_with_flags_ret *ret = r;

    return domain_start(c, &args->dom, args->flags, "virDomainCreateWithFlags", &ret->dom);
}

int sv_proc_domain_create_xml(sv_client *c, void *a, void *r)
{
    remote_domain_create_xml_args *args = a;
    remote_domain_create_xml_ret *ret = r;
    const char *api = "virDomainCreateXML";
    const sv_hv_driver *drv;
    sv_domain_def *def;
    sv_domain_obj *d;
    int rc;

    if (sv_proc_check_flags(args->flags, START_PAUSED | START_AUTODESTROY | START_VALIDATE |
                            START_RESET_NVRAM, api) < 0 ||
        !(drv = driver_for_start(api)))
        return -1;
    if (!(def = sv_domain_def_parse(args->xml_desc, strlen(args->xml_desc), SV_DOMAIN_XML_INACTIVE))) {
        sv_report_add_prefix();
        return -1;
    }
    if (sv_domain_add_live(&def, &d) < 0) {
        sv_domain_def_free(def);
        return -1;
    }
    /* Nobody else can hold the job of an object that is not active yet. */
    d->obj.job = true;
    rc = start_locked(drv, c, d, args->flags & ~(unsigned)START_VALIDATE);
    if (rc == 0)
        sv_proc_domain_ret(&ret->dom, d);
    else if (!d->obj.active)
        sv_domain_mark_shutoff(d, SV_DOMAIN_SHUTOFF_FAILED);
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    return rc;
}

/* ---- operations on a running domain -------------------------------------- */

static int run_op(const sv_hv_driver *drv, op_kind op, sv_domain_obj *d, unsigned flags)
{
    sv_domain_state state = sv_domain_get_state(d, NULL);

    switch (op) {
    case OP_DESTROY:
        if (drv->domain_destroy(d, flags) < 0)
            return -1;
        sv_proc_domain_event(d, SV_DOMAIN_EVENT_STOPPED, 1 /* DESTROYED */);
        return 0;
    case OP_SHUTDOWN:
        return drv->domain_shutdown(d, flags);
    case OP_REBOOT:
        return drv->domain_reboot(d, flags);
    case OP_RESET:
        return drv->domain_reset(d, flags);
    case OP_SUSPEND:
        if (state == SV_DOMAIN_PMSUSPENDED) {
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is pmsuspended");
            return -1;
        }
        if (state == SV_DOMAIN_PAUSED)
            return 0;
        if (drv->domain_suspend(d) < 0)
            return -1;
        sv_proc_domain_event(d, SV_DOMAIN_EVENT_SUSPENDED, 0 /* PAUSED */);
        return 0;
    case OP_RESUME:
        if (state == SV_DOMAIN_PMSUSPENDED) {
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is pmsuspended");
            return -1;
        }
        if (state == SV_DOMAIN_RUNNING) {
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is already running");
            return -1;
        }
        if (drv->domain_resume(d) < 0)
            return -1;
        sv_proc_domain_event(d, SV_DOMAIN_EVENT_RESUMED, 0 /* UNPAUSED */);
        return 0;
    }
    return -1;
}

/* d referenced and locked; released here.  With run_id >= 0 only the run
 * of that id is acted on: a domain that stopped, or stopped and started
 * again, is left alone and that is no error. */
static int op_on(const sv_hv_driver *drv, op_kind op, sv_domain_obj *d, unsigned flags,
                 int run_id)
{
    int rc = -1;

    if (sv_obj_begin_job(&d->obj) < 0) {
        sv_domain_obj_end(d);
        return -1;
    }
    if (run_id >= 0 && (!d->obj.active || d->obj.id != run_id))
        rc = 0;
    else if (!d->obj.active)
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is not running");
    else
        rc = run_op(drv, op, d, flags);
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    return rc;
}

static int domain_op(const remote_nonnull_domain *dom, op_kind op, unsigned flags,
                     unsigned known, const char *api)
{
    const sv_hv_driver *drv;
    sv_domain_obj *d;

    if (sv_proc_check_flags(flags, known, api) < 0 ||
        !(drv = driver_for(op, api)) ||
        !(d = sv_proc_domain_get(dom)))
        return -1;
    return op_on(drv, op, d, flags, -1);
}

void sv_proc_domain_autodestroy(const unsigned char uuid[SV_UUID_LEN], int id)
{
    const sv_hv_driver *drv = sv_hv_driver_get();
    sv_domain_obj *d;
    char uuid_str[SV_UUID_STRLEN];

    sv_error_reset();
    /* Not found: a transient domain that was destroyed meanwhile. */
    if (!drv || !drv->domain_destroy || !(d = sv_domain_find_uuid(uuid)))
        return;
    if (op_on(drv, OP_DESTROY, d, 0, id) < 0) {
        sv_uuid_format(uuid, uuid_str);
        fprintf(stderr, "sepvirt-frontd: autodestroy of domain %s: %s\n", uuid_str,
                sv_error_message());
    }
}

int sv_proc_domain_destroy(sv_client *c, void *a, void *r)
{
    remote_domain_destroy_args *args = a;

    return domain_op(&args->dom, OP_DESTROY, 0, 0, "virDomainDestroy");
}

int sv_proc_domain_destroy_flags(sv_client *c, void *a, void *r)
{
    remote_domain_destroy_flags_args *args = a;

    return domain_op(&args->dom, OP_DESTROY, args->flags, DESTROY_FLAGS, "virDomainDestroyFlags");
}

int sv_proc_domain_shutdown(sv_client *c, void *a, void *r)
{
    remote_domain_shutdown_args *args = a;

    return domain_op(&args->dom, OP_SHUTDOWN, 0, 0, "virDomainShutdown");
}

int sv_proc_domain_shutdown_flags(sv_client *c, void *a, void *r)
{
    remote_domain_shutdown_flags_args *args = a;

    return domain_op(&args->dom, OP_SHUTDOWN, args->flags, SHUTDOWN_FLAGS,
                     "virDomainShutdownFlags");
}

int sv_proc_domain_reboot(sv_client *c, void *a, void *r)
{
    remote_domain_reboot_args *args = a;

    return domain_op(&args->dom, OP_REBOOT, args->flags, SHUTDOWN_FLAGS, "virDomainReboot");
}

int sv_proc_domain_reset(sv_client *c, void *a, void *r)
{
    remote_domain_reset_args *args = a;

    return domain_op(&args->dom, OP_RESET, args->flags, 0, "virDomainReset");
}

int sv_proc_domain_suspend(sv_client *c, void *a, void *r)
{
    remote_domain_suspend_args *args = a;

    return domain_op(&args->dom, OP_SUSPEND, 0, 0, "virDomainSuspend");
}

int sv_proc_domain_resume(sv_client *c, void *a, void *r)
{
    remote_domain_resume_args *args = a;

    return domain_op(&args->dom, OP_RESUME, 0, 0, "virDomainResume");
}
