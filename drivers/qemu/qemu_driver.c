/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sv_hv_driver callbacks (see drivers/driver.h for the contract: the
 * caller holds the domain's lock and job and has checked its state), the
 * driver's start-up and autostart.
 */
#include "qemu_driver.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"
#include "events.h"
#include "frontd.h"
#include "helper_conn.h"
#include "listen.h"
#include "qemu_console.h"
#include "qemu_driver_priv.h"
#include "qemu_monitor_stats.h"
#include "sv_error.h"
#include "sv_util.h"

qemu_driver qemu_drv;

static pthread_t autostart_thread;
static bool autostart_started;

/* virDomainDestroyFlags, virDomainShutdownFlags / virDomainRebootFlags */
enum {
    DESTROY_GRACEFUL = 1,
    POWER_ACPI = 1,
    POWER_AGENT = 2,
};

enum { RUNNING_UNPAUSED = 5 };

/* ---- start / destroy ------------------------------------------------------ */

/* Guests run the "qemu" kind of the launcher's spawn.conf, never a binary
 * the domain names; an <emulator> asking for another one is refused. */
static int check_emulator(const sv_domain_def *def)
{
    const char *base;

    if (!def->emulator)
        return 0;
    base = strrchr(def->emulator, '/');
    base = base ? base + 1 : def->emulator;
    if (strcmp(base, "qemu-system-x86_64") == 0)
        return 0;
    sv_report(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED,
              "emulator '%s': guests run the 'qemu' kind of spawn.conf (qemu-system-x86_64)",
              def->emulator);
    return -1;
}

static int qemu_domain_start(sv_domain_obj *d, unsigned flags)
{
    if (check_emulator(sv_domain_obj_def(d)) < 0)
        return -1;
    return qemu_process_start(d, flags);
}

/* Until the monitor's reader saw the end (it has then delivered every
 * event QEMU sent before exiting, such as its SHUTDOWN), a second at most. */
static void wait_monitor_end(sv_qmp *mon)
{
    struct timespec step = { 0, 2 * 1000000L };

    for (int i = 0; mon && i < 500 && !sv_qmp_closed(mon); i++)
        nanosleep(&step, NULL);
}

static int qemu_domain_destroy(sv_domain_obj *d, unsigned flags)
{
    qemu_vm *vm = qemu_vm_get(d);
    qemu_proc proc = vm->proc;
    sv_qmp *mon = vm->mon;
    bool ended;

    vm->stopping = true;
    /* This call cleans up; the monitor's end needs no work of its own. */
    vm->eof_queued = true;
    /* SIGTERM lets QEMU flush its disks; SIGKILL only when it hangs.  A
     * QEMU of an earlier sepvirtd is asked over its monitor instead. */
    if (proc.pidfd < 0 && qemu_proc_alive(&proc))
        (void)qemu_mon_cmd(d, "quit", NULL, NULL);
    qemu_obj_unlock(d);
    ended = proc.pidfd < 0 ? qemu_proc_wait(&proc, QEMU_TERM_TIMEOUT_MS)
                           : qemu_proc_end(&proc, SIGTERM, QEMU_TERM_TIMEOUT_MS);
    if (ended)
        wait_monitor_end(mon);
    qemu_obj_lock(d);
    if (!ended && (flags & DESTROY_GRACEFUL)) {
        vm->stopping = false;
        vm->eof_queued = false;
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED,
                  "failed to kill qemu process with SIGTERM");
        return -1;
    }
    qemu_process_stop(d, SV_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

/* ---- power button, reset, pause ------------------------------------------ */

static int check_power_flags(unsigned flags, const char *api)
{
    if (flags & ~(unsigned)(POWER_ACPI | POWER_AGENT)) {
        sv_report(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                  flags & ~(unsigned)(POWER_ACPI | POWER_AGENT), api);
        return -1;
    }
    if (flags == POWER_AGENT) {
        sv_report(SV_FROM_QEMU, SV_ERR_ARGUMENT_UNSUPPORTED, "QEMU guest agent is not configured");
        return -1;
    }
    return 0;
}

static int qemu_domain_shutdown(sv_domain_obj *d, unsigned flags)
{
    qemu_vm *vm = qemu_vm_get(d);

    if (check_power_flags(flags, "qemuDomainShutdownFlags") < 0)
        return -1;
    vm->fake_reboot = false;
    return qemu_mon_cmd(d, "system_powerdown", NULL, NULL);
}

static int qemu_domain_reboot(sv_domain_obj *d, unsigned flags)
{
    qemu_vm *vm = qemu_vm_get(d);
    int r;

    if (check_power_flags(flags, "qemuDomainReboot") < 0)
        return -1;
    /* The guest powers off on the button; the SHUTDOWN it causes resets
     * and restarts it instead (libvirt's "fake reboot"). */
    vm->fake_reboot = true;
    r = qemu_mon_cmd(d, "system_powerdown", NULL, NULL);
    if (r < 0)
        vm->fake_reboot = false;
    return r;
}

static int qemu_domain_reset(sv_domain_obj *d, unsigned flags)
{
    (void)flags;
    return qemu_mon_cmd(d, "system_reset", NULL, NULL);
}

/* The state changes first, so the STOP/RESUME events QEMU sends for our
 * own command are recognised as ours and not reported twice. */
static int change_run_state(sv_domain_obj *d, const char *cmd, sv_domain_state state, int reason)
{
    int old_reason;
    sv_domain_state old = sv_domain_get_state(d, &old_reason);

    sv_domain_set_state(d, state, reason);
    if (qemu_mon_cmd(d, cmd, NULL, NULL) < 0) {
        if (d->obj.active && sv_domain_get_state(d, NULL) == state)
            sv_domain_set_state(d, old, old_reason);
        return -1;
    }
    qemu_status_save(d);
    return 0;
}

static int qemu_domain_suspend(sv_domain_obj *d)
{
    return change_run_state(d, "stop", SV_DOMAIN_PAUSED, SV_DOMAIN_PAUSED_USER);
}

static int qemu_domain_resume(sv_domain_obj *d)
{
    return change_run_state(d, "cont", SV_DOMAIN_RUNNING, RUNNING_UNPAUSED);
}

/* ---- info ------------------------------------------------------------------- */

static int qemu_domain_get_info(sv_domain_obj *d, sv_domain_runtime_info *ret)
{
    const qemu_vm *vm = d->priv;
    const sv_domain_def *def = sv_domain_obj_def(d);
    qemu_proc_stat st;

    ret->cpu_time_ns = 0;
    ret->memory_kib = vm && vm->balloon_kib ? vm->balloon_kib : def->current_memory_kib;
    /* utime + stime of the whole process: every vCPU thread and the rest. */
    if (vm && vm->proc.pid > 0 && qemu_proc_read_stat(vm->proc.pid, &st) == 0)
        ret->cpu_time_ns = (st.utime + st.stime) * (1000000000ULL / (unsigned long long)qemu_drv.clk_tck);
    return 0;
}

static const sv_hv_driver qemu_hv_driver = {
    .name = "QEMU",
    .domain_start = qemu_domain_start,
    .domain_destroy = qemu_domain_destroy,
    .domain_shutdown = qemu_domain_shutdown,
    .domain_reboot = qemu_domain_reboot,
    .domain_reset = qemu_domain_reset,
    .domain_suspend = qemu_domain_suspend,
    .domain_resume = qemu_domain_resume,
    .domain_get_info = qemu_domain_get_info,
    .domain_open_console = qemu_domain_open_console,
    .domain_interface_stats = qemu_domain_interface_stats,
    .domain_block_stats = qemu_domain_block_stats,
    .domain_memory_stats = qemu_domain_memory_stats,
    .domain_get_control_info = qemu_domain_get_control_info,
    .domain_interface_addresses = qemu_domain_interface_addresses,
};

/* ---- autostart ----------------------------------------------------------- */

static void *autostart_main(void *arg)
{
    sv_domain_obj **doms = NULL;
    size_t n = 0;

    (void)arg;
    if (sv_domain_list(SV_LIST_DOMAINS_INACTIVE | SV_LIST_DOMAINS_AUTOSTART, &doms, &n) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        sv_domain_obj *d = doms[i];

        qemu_obj_lock(d);
        if (sv_obj_begin_job(&d->obj) < 0) {
            qemu_obj_unlock(d);
            continue;
        }
        if (!d->obj.active && d->obj.autostart) {
            if (qemu_process_start(d, 0) == 0)
                sv_event_domain_lifecycle(d->obj.name, d->obj.uuid, d->obj.id,
                                          SV_DOMAIN_EVENT_STARTED, 0 /* BOOTED */);
            else
                fprintf(stderr, "sepvirt-frontd: autostart of domain %s: %s\n", d->obj.name,
                        sv_error_message());
        }
        sv_obj_end_job(&d->obj);
        qemu_obj_unlock(d);
    }
    sv_objlist_collect_free((sv_obj **)doms, n);
    return NULL;
}

/* ---- start-up ------------------------------------------------------------ */

static int make_dir(const char *path)
{
    int r = sv_mkdir_p(path, 0700);

    if (r < 0) {
        sv_error_set_errno(SV_FROM_QEMU, -r, "cannot create directory '%s'", path);
        return -1;
    }
    return 0;
}

int sv_qemu_driver_init(void)
{
    const sv_frontd_paths *paths = sv_frontd_paths_get();

    if (!sv_helper_conn_launched())
        return 0;
    qemu_drv.clk_tck = sysconf(_SC_CLK_TCK);
    if (qemu_drv.clk_tck <= 0)
        qemu_drv.clk_tck = 100;
    qemu_drv.run_dir = sv_asprintf("%s/qemu", paths->runtime_dir);
    qemu_drv.log_dir = sv_asprintf("%s/qemu/log", paths->state_dir);
    if (make_dir(qemu_drv.run_dir) < 0 || make_dir(qemu_drv.log_dir) < 0 ||
        qemu_status_open(paths->state_dir) < 0)
        return -1;
    qemu_reconnect_all();
    sv_hv_driver_register(&qemu_hv_driver);
    /* Autostart must not delay serving clients (a start takes a while). */
    autostart_started = pthread_create(&autostart_thread, NULL, autostart_main, NULL) == 0;
    if (!autostart_started)
        fprintf(stderr, "sepvirt-frontd: cannot start the autostart thread\n");
    return 0;
}

void sv_qemu_driver_shutdown(void)
{
    sv_domain_obj **doms = NULL;
    size_t n = 0;

    if (!sv_hv_driver_get())
        return;
    sv_hv_driver_register(NULL);
    if (autostart_started)
        pthread_join(autostart_thread, NULL);
    autostart_started = false;
    /* The guests keep running; only our monitor connections close (each
     * under the domain's job, so no work in progress uses it). */
    if (sv_domain_list(SV_LIST_DOMAINS_ACTIVE, &doms, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            sv_domain_obj *d = doms[i];
            qemu_vm *vm;
            sv_qmp *mon = NULL;

            qemu_obj_lock(d);
            if (sv_obj_begin_job(&d->obj) == 0) {
                vm = d->priv;
                mon = vm ? vm->mon : NULL;
                if (vm)
                    vm->mon = NULL;
                sv_obj_end_job(&d->obj);
            }
            qemu_obj_unlock(d);
            if (mon) {
                sv_qmp_close(mon);
                sv_obj_unref(&d->obj);
            }
        }
        sv_objlist_collect_free((sv_obj **)doms, n);
    }
    qemu_defer_drain();
    qemu_status_close();
    free(qemu_drv.run_dir);
    free(qemu_drv.log_dir);
    memset(&qemu_drv, 0, sizeof(qemu_drv));
}
