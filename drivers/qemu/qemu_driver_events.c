/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QEMU's monitor events → domain state, reason and lifecycle events, the
 * way libvirt's QEMU driver reports them (checked against libvirtd 9.0 with
 * `virsh event --all --loop`):
 *
 *   SHUTDOWN        (the first of a run) state "in shutdown", event SHUTDOWN with detail
 *                   FINISHED / GUEST (guest: true) / HOST (guest: false);
 *                   then on_poweroff: destroy ends QEMU (→ STOPPED/SHUTDOWN,
 *                   shut off (shutdown)), restart resets it, preserve keeps
 *                   it.  An ACPI reboot resets instead, without events.
 *   STOP / RESUME   paused / running when the change was not ours, with
 *                   SUSPENDED/PAUSED and RESUMED/UNPAUSED
 *   RESET           the REBOOT event
 *   GUEST_PANICKED  crashed (panicked), CRASHED/PANICKED, then on_crash
 *   BALLOON_CHANGE  the current memory virDomainGetInfo reports
 *   end of monitor  QEMU ended: after a SHUTDOWN that is a shutdown,
 *                   otherwise a crash (STOPPED/FAILED, shut off (crashed))
 *
 * Handlers run on the monitor's reader thread and only take the domain's
 * lock; anything that needs the job (ending or resetting QEMU, cleaning up)
 * runs on a thread of its own (qemu_defer).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"

/* libvirt's values beyond those domain_registry.h names. */
enum {
    RUNNING_UNPAUSED = 5,
    RUNNING_CRASHED = 9,
    PAUSED_UNKNOWN = 0,
    SHUTDOWN_UNKNOWN = 0,
    SHUTOFF_CRASHED = 3,
    CRASHED_PANICKED = 1,
    EVENT_CRASHED = 8,
    EVENT_SHUTDOWN_FINISHED = 0,
    EVENT_SHUTDOWN_GUEST = 1,
    EVENT_SHUTDOWN_HOST = 2,
    EVENT_STOPPED_SHUTDOWN = 0,
    EVENT_STOPPED_CRASHED = 2,
    EVENT_STOPPED_FAILED = 5,
};

static void emit(const sv_domain_obj *d, int event, int detail)
{
    sv_event_domain_lifecycle(d->obj.name, d->obj.uuid, d->obj.id, event, detail);
}

/* Lifecycle action after a power-off (or crash) the guest asked for. */
static void after_stop(sv_domain_obj *d, qemu_vm *vm, sv_domain_lifecycle_action action)
{
    switch (action) {
    case SV_DOMAIN_LIFECYCLE_RESTART:
    case SV_DOMAIN_LIFECYCLE_RENAME_RESTART:
    case SV_DOMAIN_LIFECYCLE_COREDUMP_RESTART:
        if (!vm->stopping)
            qemu_defer(d, QEMU_WORK_FAKE_REBOOT);
        break;
    case SV_DOMAIN_LIFECYCLE_PRESERVE:
        break;
    case SV_DOMAIN_LIFECYCLE_DESTROY:
    case SV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY:
        if (!vm->stopping)
            qemu_defer(d, QEMU_WORK_TERM);
        break;
    }
}

static void on_shutdown(sv_domain_obj *d, qemu_vm *vm, const sv_json *data)
{
    const sv_domain_def *def = sv_domain_obj_def(d);
    const char *reason = NULL;
    bool guest = false;
    int detail = EVENT_SHUTDOWN_FINISHED;

    /* Ending a guest that already powered off makes QEMU say it again. */
    if (vm->got_shutdown)
        return;
    vm->got_shutdown = true;
    if (vm->fake_reboot || def->on_poweroff == SV_DOMAIN_LIFECYCLE_RESTART) {
        /* The stop is momentary: no state change, no event (libvirt's
         * rule, which holds even for the SIGTERM of a destroy). */
        if (!vm->stopping)
            qemu_defer(d, QEMU_WORK_FAKE_REBOOT);
        return;
    }
    if (data && sv_json_get_bool(data, "guest", &guest))
        detail = guest ? EVENT_SHUTDOWN_GUEST : EVENT_SHUTDOWN_HOST;
    sv_domain_set_state(d, SV_DOMAIN_SHUTDOWN, SHUTDOWN_UNKNOWN);
    emit(d, SV_DOMAIN_EVENT_SHUTDOWN, detail);
    /* With on_reboot destroy QEMU runs with -no-reboot: a guest reboot
     * arrives as a SHUTDOWN of reason guest-reset. */
    if (data && sv_json_get_string(data, "reason", &reason) && strcmp(reason, "guest-reset") == 0)
        after_stop(d, vm, def->on_reboot);
    else
        after_stop(d, vm, def->on_poweroff);
}

static void on_panic(sv_domain_obj *d, qemu_vm *vm)
{
    const sv_domain_def *def = sv_domain_obj_def(d);

    sv_domain_set_state(d, SV_DOMAIN_CRASHED, CRASHED_PANICKED);
    emit(d, EVENT_CRASHED, 0 /* PANICKED */);
    after_stop(d, vm, def->on_crash);
}

void qemu_event_cb(sv_qmp *mon, const char *event, const sv_json *data, void *opaque)
{
    sv_domain_obj *d = opaque;
    qemu_vm *vm;
    int64_t actual;

    qemu_obj_lock(d);
    vm = d->priv;
    /* Only the current run of an active domain: a starting domain is not
     * active yet, and events of a monitor being closed are stale. */
    if (!vm || vm->mon != mon || !d->obj.active) {
        qemu_obj_unlock(d);
        return;
    }
    if (strcmp(event, "SHUTDOWN") == 0) {
        on_shutdown(d, vm, data);
    } else if (strcmp(event, "STOP") == 0) {
        if (d->state == SV_DOMAIN_RUNNING && !vm->got_shutdown) {
            sv_domain_set_state(d, SV_DOMAIN_PAUSED, PAUSED_UNKNOWN);
            emit(d, SV_DOMAIN_EVENT_SUSPENDED, 0 /* PAUSED */);
            qemu_status_save(d);
        }
    } else if (strcmp(event, "RESUME") == 0) {
        if (d->state == SV_DOMAIN_PAUSED) {
            sv_domain_set_state(d, SV_DOMAIN_RUNNING, RUNNING_UNPAUSED);
            emit(d, SV_DOMAIN_EVENT_RESUMED, 0 /* UNPAUSED */);
            qemu_status_save(d);
        }
    } else if (strcmp(event, "RESET") == 0) {
        /* A reset (ours or the guest's) ends a pending ACPI reboot. */
        vm->fake_reboot = false;
        sv_event_domain_reboot(d->obj.name, d->obj.uuid, d->obj.id);
    } else if (strcmp(event, "GUEST_PANICKED") == 0) {
        on_panic(d, vm);
    } else if (strcmp(event, "BALLOON_CHANGE") == 0) {
        if (data && sv_json_get_int(data, "actual", &actual) && actual > 0)
            vm->balloon_kib = (uint64_t)actual / 1024;
    }
    qemu_obj_unlock(d);
}

void qemu_eof_cb(sv_qmp *mon, void *opaque)
{
    sv_domain_obj *d = opaque;
    qemu_vm *vm;

    qemu_obj_lock(d);
    vm = d->priv;
    if (vm && vm->mon == mon && d->obj.active && !vm->eof_queued) {
        vm->eof_queued = true;
        qemu_defer(d, QEMU_WORK_EOF);
    }
    qemu_obj_unlock(d);
}

/* ---- work under the job ------------------------------------------------- */

/* Work threads still running; shutdown waits for them. */
static pthread_mutex_t work_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_cond = PTHREAD_COND_INITIALIZER;
static unsigned work_running;

static void work_done(void)
{
    pthread_mutex_lock(&work_lock);
    if (--work_running == 0)
        pthread_cond_broadcast(&work_cond);
    pthread_mutex_unlock(&work_lock);
}

typedef struct work {
    sv_domain_obj *d;       /* referenced */
    uint64_t run;
    qemu_work what;
} work;

/* QEMU ended on its own (or after our TERM): release the run. */
static void work_eof(sv_domain_obj *d, qemu_vm *vm)
{
    bool shutdown = vm->got_shutdown;

    qemu_process_stop(d, shutdown ? SV_DOMAIN_SHUTOFF_SHUTDOWN : SHUTOFF_CRASHED);
    emit(d, SV_DOMAIN_EVENT_STOPPED, shutdown ? EVENT_STOPPED_SHUTDOWN : EVENT_STOPPED_FAILED);
}

/* on_poweroff/on_crash destroy: SIGTERM (or "quit" for a QEMU of an
 * earlier sepvirtd); the monitor's end does the rest. */
static void work_term(sv_domain_obj *d, qemu_vm *vm)
{
    qemu_proc proc = vm->proc;
    int r;

    vm->stopping = true;
    if (proc.pidfd < 0) {
        r = qemu_mon_cmd(d, "quit", NULL, NULL);
    } else {
        qemu_obj_unlock(d);
        r = qemu_proc_signal(&proc, SIGTERM);
        qemu_obj_lock(d);
    }
    if (r < 0)
        fprintf(stderr, "sepvirt-frontd: ending QEMU of domain %s: %s\n", d->obj.name,
                sv_error_message());
}

/* Reset the stopped guest and let it run again (libvirt's fake reboot). */
static void work_fake_reboot(sv_domain_obj *d, qemu_vm *vm)
{
    vm->fake_reboot = false;
    if (qemu_mon_cmd(d, "system_reset", NULL, NULL) < 0 ||
        qemu_mon_cmd(d, "cont", NULL, NULL) < 0) {
        fprintf(stderr, "sepvirt-frontd: rebooting domain %s: %s\n", d->obj.name, sv_error_message());
        return;
    }
    vm->got_shutdown = false;
    if (d->state == SV_DOMAIN_CRASHED)
        sv_domain_set_state(d, SV_DOMAIN_RUNNING, RUNNING_CRASHED);
    else if (d->state != SV_DOMAIN_RUNNING)
        sv_domain_set_state(d, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED);
}

static void *work_main(void *arg)
{
    work *w = arg;
    sv_domain_obj *d = w->d;
    qemu_vm *vm;

    qemu_obj_lock(d);
    if (sv_obj_begin_job(&d->obj) < 0) {
        qemu_obj_unlock(d);
        goto out;
    }
    vm = d->priv;
    /* The run may have ended meanwhile (destroy, an earlier EOF). */
    if (vm && vm->run == w->run && d->obj.active) {
        switch (w->what) {
        case QEMU_WORK_EOF: work_eof(d, vm); break;
        case QEMU_WORK_TERM: work_term(d, vm); break;
        case QEMU_WORK_FAKE_REBOOT: work_fake_reboot(d, vm); break;
        }
    }
    sv_obj_end_job(&d->obj);
    qemu_obj_unlock(d);
out:
    sv_obj_unref(&d->obj);
    free(w);
    work_done();
    return NULL;
}

void qemu_defer_drain(void)
{
    pthread_mutex_lock(&work_lock);
    while (work_running > 0)
        pthread_cond_wait(&work_cond, &work_lock);
    pthread_mutex_unlock(&work_lock);
}

void qemu_defer(sv_domain_obj *d, qemu_work what)
{
    work *w = sv_malloc0(sizeof(*w));
    pthread_attr_t attr;
    pthread_t t;

    sv_obj_ref(&d->obj);
    w->d = d;
    w->run = ((qemu_vm *)d->priv)->run;
    w->what = what;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_mutex_lock(&work_lock);
    work_running++;
    pthread_mutex_unlock(&work_lock);
    if (pthread_create(&t, &attr, work_main, w) != 0) {
        fprintf(stderr, "sepvirt-frontd: cannot start a thread for domain %s\n", d->obj.name);
        sv_obj_unref(&d->obj);
        free(w);
        work_done();
    }
    pthread_attr_destroy(&attr);
}
