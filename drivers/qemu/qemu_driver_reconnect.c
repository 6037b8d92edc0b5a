/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A restarted frontd finds its guests again (DESIGN invariant 3).  The
 * spawn helper still holds a pidfd of every process it started, so its
 * LIST says which guests still run; the status files say what each run
 * had.  A guest of an earlier sepvirtd (the launcher itself restarted) is
 * not in that list: it is recognised by pid and start time in /proc and
 * adopted without a pidfd (qemu_process_proc.c).  A guest that runs is adopted with the same id, devices and state;
 * one that ended meanwhile is cleaned up after and left shut off
 * (crashed).  Processes and devices nobody accounts for (a frontd that died
 * in the middle of a start) are ended and deleted.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper_conn.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"
#include "sv_util.h"

enum { SHUTOFF_CRASHED = 3, PAUSED_UNKNOWN = 0, SHUTDOWN_UNKNOWN = 0, RUNNING_UNPAUSED = 5 };

typedef struct survey {
    sv_spawn_proc *procs;
    size_t nprocs;
    bool *claimed;          /* per proc: belongs to an adopted guest */
    char (*ifnames)[IFNAMSIZ];  /* devices of adopted guests */
    size_t nifnames;
    char **dirs;            /* run directories of adopted guests */
    size_t ndirs;
} survey;

static ssize_t find_proc(const survey *sv, pid_t pid, const char *kind)
{
    for (size_t i = 0; i < sv->nprocs; i++)
        if (sv->procs[i].pid == pid && strcmp(sv->procs[i].kind, kind) == 0)
            return (ssize_t)i;
    return -1;
}

/* The process i of the survey ends (SIGKILL: nobody is left to ask it nicely). */
static void end_proc(survey *sv, size_t i)
{
    qemu_proc p = { sv->procs[i].pid, sv->procs[i].pidfd, 0 };

    qemu_proc_end(&p, SIGKILL, QEMU_KILL_TIMEOUT_MS);
}

/* A helper process of a run: listed (with a pidfd), or still alive. */
static bool take_proc(survey *sv, const qemu_proc *saved, const char *kind, qemu_proc *ret)
{
    ssize_t i = find_proc(sv, saved->pid, kind);

    if (i >= 0) {
        sv->claimed[i] = true;
        *ret = (qemu_proc){ saved->pid, dup(sv->procs[i].pidfd), saved->pstart };
        return true;
    }
    *ret = (qemu_proc){ saved->pid, -1, saved->pstart };
    return qemu_proc_alive(ret);
}

/* State from what QEMU says now, keeping the saved reason when it agrees. */
static void apply_run_state(sv_domain_obj *d, const qemu_status *st, const char *status)
{
    if (strcmp(status, "running") == 0)
        sv_domain_set_state(d, SV_DOMAIN_RUNNING,
                            st->state == SV_DOMAIN_RUNNING ? st->reason : RUNNING_UNPAUSED);
    else if (strcmp(status, "shutdown") == 0)
        sv_domain_set_state(d, SV_DOMAIN_SHUTDOWN, SHUTDOWN_UNKNOWN);
    else if (strcmp(status, "guest-panicked") == 0)
        sv_domain_set_state(d, SV_DOMAIN_CRASHED, 1);
    else
        sv_domain_set_state(d, SV_DOMAIN_PAUSED,
                            st->state == SV_DOMAIN_PAUSED ? st->reason : PAUSED_UNKNOWN);
}

/* d locked, job held, inactive; the process runs: make d its domain again. */
static int adopt(sv_domain_obj *d, qemu_status *st, sv_domain_def *live, const qemu_proc *proc)
{
    qemu_vm *vm = qemu_vm_get(d);
    _cleanup_free_ char *mon_path = sv_asprintf("%s/monitor.sock", st->dir);
    sv_json *status = NULL;
    const char *s = "running";
    sv_qmp *mon = NULL;
    int r;

    qemu_vm_clear(vm);
    vm->run++;
    vm->proc = *proc;
    vm->dir = sv_strdup(st->dir);
    vm->start_time = st->start_time;
    vm->got_shutdown = st->got_shutdown;
    vm->ifnames = st->ifnames;
    vm->nifnames = st->nifnames;
    st->ifnames = NULL;
    st->nifnames = 0;
    /* A transient domain was just added with a copy of live as its config. */
    if (!d->obj.persistent) {
        sv_domain_def_free(live);
        live = NULL;
    }
    sv_objlist_started(&d->obj, st->id, live);
    sv_domain_obj_def(d)->id = st->id;
    sv_domain_set_state(d, st->state, st->reason);

    qemu_obj_unlock(d);
    r = qemu_process_connect_monitor(d, mon_path, &mon);
    if (r == 0)
        r = sv_qmp_command(mon, "query-status", NULL, QEMU_CMD_TIMEOUT_MS, &status);
    qemu_obj_lock(d);
    vm->mon = mon;
    if (r < 0)
        return -1;
    sv_json_get_string(status, "status", &s);
    apply_run_state(d, st, s);
    sv_json_free(status);
    if (sv_qmp_closed(mon) && !vm->eof_queued) {
        vm->eof_queued = true;
        qemu_defer(d, QEMU_WORK_EOF);
    }
    return 0;
}

/* The domain of a status file, from the registry or (transient) added. */
static sv_domain_obj *domain_for(sv_domain_def **live)
{
    sv_domain_obj *d = sv_domain_find_uuid((*live)->uuid);
    sv_domain_def *copy;

    if (d)
        return d;
    if (!(copy = sv_domain_def_copy(*live)))
        return NULL;
    if (sv_domain_add_live(&copy, &d) < 0) {
        sv_domain_def_free(copy);
        return NULL;
    }
    return d;
}

/* Devices and helper processes of a run that is over. */
static void release_dead(survey *sv, qemu_status *st)
{
    qemu_vm vm = { .proc.pidfd = -1, .ifnames = st->ifnames, .nifnames = st->nifnames };

    for (size_t i = 0; i < st->naux; i++) {
        ssize_t p = find_proc(sv, st->aux[i].pid, "passt");

        if (p >= 0)
            end_proc(sv, (size_t)p);
    }
    qemu_net_release(&vm);
    qemu_process_remove_dir(st->dir);
}

static void reconnect_one(survey *sv, const char *name)
{
    qemu_status st = { 0 };
    sv_domain_def *live = NULL;
    sv_domain_obj *d = NULL;
    qemu_proc proc;

    if (qemu_status_read(name, &st) < 0 ||
        !(live = sv_domain_def_parse(st.xml, strlen(st.xml), 0)) ||
        !(d = domain_for(&live))) {
        fprintf(stderr, "sepvirt-frontd: status of domain %s: %s (left alone)\n", name,
                sv_error_message());
        sv_domain_def_free(live);
        qemu_status_clear(&st);
        return;
    }
    /* No client is served yet, so nobody else can own the job. */
    d->obj.job = true;
    if (!d->obj.active && take_proc(sv, &(qemu_proc){ st.pid, -1, st.pstart }, "qemu", &proc)) {
        if (adopt(d, &st, live, &proc) == 0) {
            qemu_vm *vm = d->priv;
            qemu_proc aux;

            for (size_t i = 0; i < st.naux; i++) {
                if (!take_proc(sv, &st.aux[i], "passt", &aux))
                    continue;
                vm->aux = sv_realloc(vm->aux, (vm->naux + 1) * sizeof(*vm->aux));
                vm->aux[vm->naux++] = aux;
            }
            for (size_t i = 0; i < vm->nifnames; i++) {
                sv->ifnames = sv_realloc(sv->ifnames, (sv->nifnames + 1) * sizeof(*sv->ifnames));
                memcpy(sv->ifnames[sv->nifnames++], vm->ifnames[i], IFNAMSIZ);
            }
            sv->dirs = sv_realloc(sv->dirs, (sv->ndirs + 1) * sizeof(*sv->dirs));
            sv->dirs[sv->ndirs++] = sv_strdup(vm->dir);
            qemu_status_save(d);
            fprintf(stderr, "sepvirt-frontd: domain %s (id %d) reconnected\n", name, d->obj.id);
        } else {
            fprintf(stderr, "sepvirt-frontd: domain %s: cannot reconnect: %s\n", name,
                    sv_error_message());
            qemu_process_stop(d, SHUTOFF_CRASHED);
        }
        live = NULL;
    } else {
        /* It ended while frontd was away: libvirt's "crashed". */
        release_dead(sv, &st);
        qemu_status_remove(name);
        if (!d->obj.active) {
            if (!d->obj.persistent)
                sv_domain_mark_shutoff(d, SHUTOFF_CRASHED);
            else
                sv_domain_set_state(d, SV_DOMAIN_SHUTOFF, SHUTOFF_CRASHED);
        }
        fprintf(stderr, "sepvirt-frontd: domain %s ended while frontd was away\n", name);
    }
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    sv_domain_def_free(live);
    qemu_status_clear(&st);
}

/* Run directories of starts that never got a status file. */
static void remove_unclaimed_dirs(const survey *sv)
{
    DIR *dir = opendir(qemu_drv.run_dir);
    struct dirent *e;

    if (!dir)
        return;
    while ((e = readdir(dir))) {
        _cleanup_free_ char *path = NULL;
        bool claimed = false;

        if (e->d_name[0] == '.')
            continue;
        path = sv_asprintf("%s/%s", qemu_drv.run_dir, e->d_name);
        for (size_t i = 0; i < sv->ndirs && !claimed; i++)
            claimed = strcmp(sv->dirs[i], path) == 0;
        if (!claimed)
            qemu_process_remove_dir(path);
    }
    closedir(dir);
}

static bool ifname_claimed(const survey *sv, const char *name)
{
    for (size_t i = 0; i < sv->nifnames; i++)
        if (strncmp(sv->ifnames[i], name, IFNAMSIZ) == 0)
            return true;
    return false;
}

void qemu_reconnect_all(void)
{
    sv_spawn_client *spawn = sv_helper_conn_spawn();
    sv_net_client *net = sv_helper_conn_net();
    survey sv = { 0 };
    sv_net_owned *owned = NULL;
    size_t nowned = 0;
    char **names = NULL;
    size_t n = 0;

    /* Without the list every guest would look dead: touch nothing then. */
    if (!spawn || sv_spawn_list(spawn, &sv.procs, &sv.nprocs) < 0) {
        fprintf(stderr, "sepvirt-frontd: cannot reconnect to running guests: %s\n",
                sv_error_message());
        return;
    }
    sv.claimed = sv_calloc(sv.nprocs ? sv.nprocs : 1, sizeof(bool));
    if (qemu_status_list(&names, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            reconnect_one(&sv, names[i]);
        sv_store_names_free(names);
    }
    /* Started for a guest whose start never completed. */
    for (size_t i = 0; i < sv.nprocs; i++) {
        if (!sv.claimed[i] && (strcmp(sv.procs[i].kind, "qemu") == 0 ||
                               strcmp(sv.procs[i].kind, "passt") == 0)) {
            fprintf(stderr, "sepvirt-frontd: ending orphaned %s (pid %d)\n", sv.procs[i].kind,
                    (int)sv.procs[i].pid);
            end_proc(&sv, i);
        }
        close(sv.procs[i].pidfd);
    }
    if (net && sv_net_list_owned(net, &owned, &nowned) == 0) {
        for (size_t i = 0; i < nowned; i++) {
            /* Only the kinds this driver creates. */
            if ((owned[i].kind != SV_NET_KIND_TAP && owned[i].kind != SV_NET_KIND_MACVTAP) ||
                ifname_claimed(&sv, owned[i].name))
                continue;
            fprintf(stderr, "sepvirt-frontd: deleting orphaned device %s\n", owned[i].name);
            sv_net_link_delete(net, owned[i].name);
        }
        free(owned);
    }
    remove_unclaimed_dirs(&sv);
    free(sv.procs);
    free(sv.claimed);
    free(sv.ifnames);
    for (size_t i = 0; i < sv.ndirs; i++)
        free(sv.dirs[i]);
    free(sv.dirs);
}
