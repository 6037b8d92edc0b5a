/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the QEMU driver's files share.
 *
 * Locking: a qemu_vm is the d->priv of its domain and is protected by the
 * domain's lock.  Anything slow (helper calls, monitor commands, waiting
 * for QEMU to exit) runs with the lock dropped while the caller owns the
 * domain's job (registry.h), because the monitor's reader thread takes the
 * lock to apply QEMU's events and lookups on the event loop take it too.
 * A monitor is closed only by the job owner, never on its reader thread.
 */
#pragma once

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "domain_registry.h"
#include "qmp.h"
#include "sv_store.h"

/* Monitor commands; QEMU answers in milliseconds unless it is wedged. */
#define QEMU_CMD_TIMEOUT_MS 30000
/* From the spawn to the QMP greeting (a loaded host may be slow). */
#define QEMU_START_TIMEOUT_MS 30000
/* SIGTERM, then SIGKILL after this long (libvirt waits 10 s too). */
#define QEMU_TERM_TIMEOUT_MS 10000
#define QEMU_KILL_TIMEOUT_MS 5000

typedef struct qemu_driver {
    char *run_dir;          /* <runtime>/qemu */
    char *log_dir;          /* <state>/qemu/log */
    sv_store *status;       /* <state>/qemu/status, "<name>.status" */
    long clk_tck;
} qemu_driver;

extern qemu_driver qemu_drv;

/* A process of a guest (QEMU, passt); see qemu_process_proc.c. */
typedef struct qemu_proc {
    pid_t pid;              /* 0: none */
    int pidfd;              /* from the spawn helper; -1: started by an earlier sepvirtd */
    unsigned long long pstart;  /* start time in /proc (clock ticks since boot) */
} qemu_proc;

typedef struct qemu_vm {
    uint64_t run;           /* counts starts: work queued for an older run is dropped */
    qemu_proc proc;         /* QEMU */
    sv_qmp *mon;
    char *dir;              /* <runtime>/qemu/<uuid> */
    int64_t start_time;     /* wall clock, seconds */
    char (*ifnames)[IFNAMSIZ];  /* host devices the net helper made for this run */
    size_t nifnames;
    qemu_proc *aux;         /* helper processes (passt) */
    size_t naux;
    uint64_t balloon_kib;   /* last BALLOON_CHANGE; 0: none seen */
    bool got_shutdown;      /* QEMU reported SHUTDOWN: its exit is no crash */
    bool stopping;          /* we are ending the process */
    bool fake_reboot;       /* reboot by ACPI: the next SHUTDOWN resets instead */
    bool eof_queued;        /* the end of this run is being handled */
} qemu_vm;

/* d->priv, created on first use. */
qemu_vm *qemu_vm_get(sv_domain_obj *d);

/* Lock/unlock a domain the caller holds a reference to. */
void qemu_obj_lock(sv_domain_obj *d);
void qemu_obj_unlock(sv_domain_obj *d);

/* d locked, job held: run a monitor command with d unlocked. */
int qemu_mon_cmd(sv_domain_obj *d, const char *cmd, const char *args_json, sv_json **ret_return);

/* ---- qemu_process.c --------------------------------------------------- */

/* d locked, job held, inactive: start QEMU, mark d running (or paused with
 * VIR_DOMAIN_START_PAUSED) and write its status. */
int qemu_process_start(sv_domain_obj *d, unsigned flags);
/* d locked, job held, active: end the process if it still runs, release
 * everything of the run and mark d shut off with reason. */
void qemu_process_stop(sv_domain_obj *d, int reason);
/* Remove a run directory and the sockets frontd made in it. */
void qemu_process_remove_dir(const char *dir);
/* Monitor callbacks for a domain (opaque is the domain, referenced). */
int qemu_process_connect_monitor(sv_domain_obj *d, const char *path, sv_qmp **ret_mon);
/* The per-run fields back to "no process" (d locked). */
void qemu_vm_clear(qemu_vm *vm);

/* ---- qemu_process_proc.c ---------------------------------------------- */

typedef struct qemu_proc_stat {
    char state;
    unsigned long long utime, stime;    /* clock ticks */
    unsigned long long starttime;
} qemu_proc_stat;

int qemu_proc_read_stat(pid_t pid, qemu_proc_stat *ret);
/* Start time of a live (not zombie) process, 0 when there is none. */
unsigned long long qemu_proc_starttime(pid_t pid);
bool qemu_proc_alive(const qemu_proc *p);
/* Until p ended (true) or timeout_ms passed (false). */
bool qemu_proc_wait(const qemu_proc *p, int timeout_ms);
/* Through the spawn helper; fails for a process it did not start. */
int qemu_proc_signal(const qemu_proc *p, int signo);
/* Signal and wait: true when p no longer runs. */
bool qemu_proc_end(const qemu_proc *p, int signo, int timeout_ms);
void qemu_proc_clear(qemu_proc *p);

/* ---- qemu_process_net.c ----------------------------------------------- */

struct sv_qemu_net_backend;

/* Host side of every interface of def (tap/macvtap from the net helper,
 * passt from the spawn helper, else QEMU's user networking).  The fds QEMU
 * must receive are appended to fds[*nfds] (room for max_fds) and
 * backends[i].fd gets their number inside QEMU (first_fd + index); the
 * host devices' names go to vm->ifnames in interface order.  d unlocked,
 * job held. */
int qemu_net_prepare(const sv_domain_def *def, qemu_vm *vm, int log_fd,
                     struct sv_qemu_net_backend *backends, int *fds, size_t *nfds, size_t max_fds,
                     int first_fd);
/* Delete the host devices of vm and end its helper processes. */
void qemu_net_release(qemu_vm *vm);

/* ---- qemu_driver_events.c -------------------------------------------- */

void qemu_event_cb(sv_qmp *mon, const char *event, const sv_json *data, void *opaque);
void qemu_eof_cb(sv_qmp *mon, void *opaque);

typedef enum {
    QEMU_WORK_EOF,          /* the monitor closed: QEMU ended */
    QEMU_WORK_TERM,         /* on_poweroff destroy: end the process */
    QEMU_WORK_FAKE_REBOOT,  /* on_poweroff restart / ACPI reboot: reset and run */
} qemu_work;

/* d locked: do w for the current run of d on a thread of its own, under
 * the domain's job. */
void qemu_defer(sv_domain_obj *d, qemu_work w);
/* Wait until no deferred work runs (daemon shutdown). */
void qemu_defer_drain(void);

/* ---- qemu_status.c ---------------------------------------------------- */

int qemu_status_open(const char *state_dir);
void qemu_status_close(void);
/* d locked, active: write its status file (errors are logged, not fatal:
 * the guest runs either way). */
void qemu_status_save(sv_domain_obj *d);
void qemu_status_remove(const char *name);

typedef struct qemu_status {
    pid_t pid;
    unsigned long long pstart;
    int id;
    int state, reason;
    int64_t start_time;
    char *dir;
    char (*ifnames)[IFNAMSIZ];
    size_t nifnames;
    qemu_proc *aux;         /* pidfd -1 */
    size_t naux;
    bool got_shutdown;
    char *xml;              /* the live config */
} qemu_status;

void qemu_status_clear(qemu_status *st);
/* Every status file: names (sorted, NULL-terminated) for qemu_status_read. */
int qemu_status_list(char ***ret_names, size_t *ret_n);
int qemu_status_read(const char *name, qemu_status *ret);

/* ---- qemu_driver_reconnect.c ----------------------------------------- */

/* At start: adopt every guest that still runs, clean up after the others,
 * end processes and delete devices nobody owns. */
void qemu_reconnect_all(void);
