/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Starting and stopping a guest's QEMU.
 *
 * frontd prepares everything QEMU gets as a file descriptor (DESIGN
 * invariant 5): the QMP socket and the serial sockets it listens on, the
 * disk images it opened, tap fds from the net helper, the log files; the
 * spawn helper starts QEMU with them (-S), then frontd connects to the
 * monitor and lets the vCPUs run.  QEMU is the launcher's child, so it
 * outlives frontd.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "events.h"
#include "frontd.h"
#include "helper_conn.h"
#include "qemu_command.h"
#include "qemu_driver.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"
#include "sv_util.h"

/* virDomainCreateFlags */
#define START_PAUSED 1u

/* What one start prepares; everything is released by start_clear(). */
typedef struct start_ctx {
    int fds[SV_HELPER_MAX_FDS];     /* what QEMU receives; fds[0] its stdout/stderr */
    size_t nfds;
    sv_qemu_net_backend *nets;
    int *disk_fds, *serial_fds, *serial_log_fds, *channel_fds, *vnc_ports;
    char *mon_path;
    off_t log_start;                /* where this run's lines begin in the log */
    char *log_path;
} start_ctx;

static void vm_free(void *p)
{
    qemu_vm *vm = p;

    qemu_vm_clear(vm);
    free(vm);
}

qemu_vm *qemu_vm_get(sv_domain_obj *d)
{
    if (!d->priv) {
        qemu_vm *vm = sv_malloc0(sizeof(*vm));

        vm->proc.pidfd = -1;
        d->priv = vm;
        d->priv_free = vm_free;
    }
    return d->priv;
}

void qemu_obj_lock(sv_domain_obj *d)
{
    pthread_mutex_lock(&d->obj.lock);
}

void qemu_obj_unlock(sv_domain_obj *d)
{
    pthread_mutex_unlock(&d->obj.lock);
}

void qemu_vm_clear(qemu_vm *vm)
{
    qemu_proc_clear(&vm->proc);
    for (size_t i = 0; i < vm->naux; i++)
        qemu_proc_clear(&vm->aux[i]);
    free(vm->aux);
    free(vm->ifnames);
    free(vm->dir);
    *vm = (qemu_vm){ .run = vm->run, .proc.pidfd = -1 };
}

int qemu_mon_cmd(sv_domain_obj *d, const char *cmd, const char *args_json, sv_json **ret_return)
{
    qemu_vm *vm = d->priv;
    sv_qmp *mon = vm ? vm->mon : NULL;
    int r;

    if (!mon) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    /* The job keeps the monitor open while the lock is dropped. */
    qemu_obj_unlock(d);
    r = sv_qmp_command(mon, cmd, args_json, QEMU_CMD_TIMEOUT_MS, ret_return);
    qemu_obj_lock(d);
    return r;
}

int qemu_process_connect_monitor(sv_domain_obj *d, const char *path, sv_qmp **ret_mon)
{
    /* The monitor's callbacks use d until the monitor is closed. */
    sv_obj_ref(&d->obj);
    if (sv_qmp_connect(path, QEMU_START_TIMEOUT_MS, qemu_event_cb, qemu_eof_cb, d, ret_mon) < 0) {
        sv_obj_unref(&d->obj);
        return -1;
    }
    return 0;
}

/* d locked, job held: close the monitor with d unlocked (its reader may be
 * waiting for the lock). */
static void close_monitor(sv_domain_obj *d, qemu_vm *vm)
{
    sv_qmp *mon = vm->mon;

    if (!mon)
        return;
    vm->mon = NULL;
    qemu_obj_unlock(d);
    sv_qmp_close(mon);
    qemu_obj_lock(d);
    sv_obj_unref(&d->obj);
}

/* ---- files and sockets ------------------------------------------------- */

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "Failed to listen on socket '%s'", path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

void qemu_process_remove_dir(const char *dir)
{
    static const char *const prefixes[] = { "monitor", "serial", "channel" };
    char path[PATH_MAX];

    if (!dir)
        return;
    snprintf(path, sizeof(path), "%s/monitor.sock", dir);
    unlink(path);
    for (size_t p = 1; p < SV_ARRAY_SIZE(prefixes); p++) {
        for (int i = 0; i < SV_DOMAIN_MAX_DEVICES; i++) {
            snprintf(path, sizeof(path), "%s/%s%d.sock", dir, prefixes[p], i);
            if (unlink(path) < 0 && errno == ENOENT)
                break;
        }
    }
    rmdir(dir);
}

char *sv_qemu_serial_log_path(const char *domain_name, size_t index)
{
    return sv_asprintf("%s/%s.serial%zu.log", qemu_drv.log_dir, domain_name, index);
}

static int add_fd(start_ctx *s, int fd)
{
    if (s->nfds == SV_HELPER_MAX_FDS) {
        close(fd);
        sv_report(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED,
                  "too many devices that need a file descriptor (at most %u per guest)",
                  SV_HELPER_MAX_FDS - 1);
        return -1;
    }
    s->fds[s->nfds++] = fd;
    /* fds[0] becomes stdout/stderr, fds[1..] 3, 4, ... */
    return 2 + (int)(s->nfds - 1);
}

static void start_clear(start_ctx *s)
{
    for (size_t i = 0; i < s->nfds; i++)
        close(s->fds[i]);
    s->nfds = 0;
    free(s->nets);
    free(s->disk_fds);
    free(s->serial_fds);
    free(s->serial_log_fds);
    free(s->channel_fds);
    free(s->vnc_ports);
    free(s->mon_path);
    free(s->log_path);
}

static int open_log(const sv_domain_def *def, start_ctx *s)
{
    int fd;

    s->log_path = sv_asprintf("%s/%s.log", qemu_drv.log_dir, def->name);
    fd = open(s->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "failed to create logfile %s", s->log_path);
        return -1;
    }
    s->fds[s->nfds++] = fd;
    return 0;
}

/* Header and command line at the top of this run's part of the log. */
static void log_start(start_ctx *s, char **argv)
{
    _cleanup_free_ char *line = sv_qemu_argv_to_string(argv);
    char stamp[64];
    struct timespec ts;
    struct tm tm;
    int fd = s->fds[0];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    dprintf(fd, "%s.%03ld+0000: starting up\n%s\n", stamp, ts.tv_nsec / 1000000, line);
    s->log_start = lseek(fd, 0, SEEK_END);
}

/* The last lines QEMU wrote in this run, for error messages. */
static char *log_tail(const start_ctx *s)
{
    char buf[1024];
    int fd = s->log_path ? open(s->log_path, O_RDONLY | O_CLOEXEC) : -1;
    off_t end;
    ssize_t n = 0;

    if (fd < 0)
        return sv_strdup("");
    end = lseek(fd, 0, SEEK_END);
    if (end > s->log_start) {
        off_t from = end - s->log_start > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : s->log_start;

        n = pread(fd, buf, (size_t)(end - from), from);
    }
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return sv_strdup(buf);
}

static int open_disks(const sv_domain_def *def, start_ctx *s)
{
    s->disk_fds = sv_calloc(def->ndisks ? def->ndisks : 1, sizeof(int));
    for (size_t i = 0; i < def->ndisks; i++) {
        const sv_domain_disk_def *disk = def->disks[i];
        int fd;

        s->disk_fds[i] = -1;
        if (!disk->src)
            continue;
        fd = open(disk->src, (disk->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd < 0) {
            sv_error_set_errno(SV_FROM_QEMU, errno, "Cannot access storage file '%s'", disk->src);
            return -1;
        }
        if ((s->disk_fds[i] = add_fd(s, fd)) < 0)
            return -1;
    }
    return 0;
}

static int open_chardevs(const sv_domain_def *def, const char *dir, start_ctx *s)
{
    s->serial_fds = sv_calloc(def->nserials ? def->nserials : 1, sizeof(int));
    s->serial_log_fds = sv_calloc(def->nserials ? def->nserials : 1, sizeof(int));
    s->channel_fds = sv_calloc(def->nchannels ? def->nchannels : 1, sizeof(int));
    for (size_t i = 0; i < def->nserials; i++) {
        _cleanup_free_ char *log = sv_qemu_serial_log_path(def->name, i);
        int fd;

        s->serial_fds[i] = s->serial_log_fds[i] = -1;
        if (def->serials[i]->type == SV_DOMAIN_CHR_PTY) {
            _cleanup_free_ char *path = sv_asprintf("%s/serial%zu.sock", dir, i);

            if ((fd = listen_unix(path)) < 0 || (s->serial_fds[i] = add_fd(s, fd)) < 0)
                return -1;
        }
        /* Truncated per start, like libvirt's default serial log. */
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            sv_error_set_errno(SV_FROM_QEMU, errno, "failed to create logfile %s", log);
            return -1;
        }
        if ((s->serial_log_fds[i] = add_fd(s, fd)) < 0)
            return -1;
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        const sv_domain_chr_def *c = def->channels[i];
        _cleanup_free_ char *path = NULL;
        int fd;

        s->channel_fds[i] = -1;
        if (c->type != SV_DOMAIN_CHR_UNIX || c->mode != SV_DOMAIN_CHR_BIND)
            continue;
        path = c->path ? sv_strdup(c->path) : sv_asprintf("%s/channel%zu.sock", dir, i);
        if ((fd = listen_unix(path)) < 0 || (s->channel_fds[i] = add_fd(s, fd)) < 0)
            return -1;
    }
    return 0;
}

/* A free TCP port from 5900 for each autoport display. */
static int pick_vnc_ports(const sv_domain_def *def, start_ctx *s)
{
    int next = 5900;

    s->vnc_ports = sv_calloc(def->ngraphics ? def->ngraphics : 1, sizeof(int));
    for (size_t i = 0; i < def->ngraphics; i++) {
        const sv_domain_graphics_def *g = def->graphics[i];

        s->vnc_ports[i] = g->port;
        if (!g->autoport && g->port > 0)
            continue;
        for (; next < 65536; next++) {
            struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)next),
                                      .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            int r = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));

            if (fd >= 0)
                close(fd);
            if (r == 0)
                break;
        }
        if (next >= 65536) {
            sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "Unable to find an unused port for VNC");
            return -1;
        }
        s->vnc_ports[i] = next++;
    }
    return 0;
}

/* ---- start --------------------------------------------------------------- */

/* Runtime facts into the live config (d locked). */
static void fill_live(sv_domain_def *live, const qemu_vm *vm, const start_ctx *s)
{
    size_t tap = 0;

    for (size_t i = 0; i < live->nnets; i++) {
        sv_domain_net_def *n = live->nets[i];

        if (!n->info.alias)
            n->info.alias = sv_asprintf("net%zu", i);
        if (s->nets[i].kind == SV_QEMU_NET_TAP && tap < vm->nifnames) {
            free(n->ifname);
            n->ifname = sv_strdup(vm->ifnames[tap++]);
        }
    }
    for (size_t i = 0; i < live->nserials; i++)
        if (!live->serials[i]->info.alias)
            live->serials[i]->info.alias = sv_asprintf("serial%zu", i);
    for (size_t i = 0; i < live->nconsoles; i++) {
        sv_domain_chr_def *c = live->consoles[i];

        if (!c->info.alias)
            c->info.alias = c->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL
                                ? sv_strdup("serial0") : sv_asprintf("console%zu", i);
    }
    for (size_t i = 0; i < live->ngraphics; i++)
        if (live->graphics[i]->autoport)
            live->graphics[i]->port = s->vnc_ports[i];
}

/* d unlocked, job held: everything up to a QEMU answering on its monitor. */
static int launch(sv_domain_obj *d, const sv_domain_def *def, qemu_vm *vm, start_ctx *s,
                  sv_qmp **ret_mon)
{
    sv_spawn_client *spawn = sv_helper_conn_spawn();
    sv_qemu_build_ctx bc = { 0 };
    char **argv = NULL;
    int mon_fd, r;

    if (!spawn || sv_store_name_check(def->name) < 0 || open_log(def, s) < 0)
        return -1;
    if (mkdir(vm->dir, 0700) < 0 && errno != EEXIST) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot create directory '%s'", vm->dir);
        return -1;
    }
    s->mon_path = sv_asprintf("%s/monitor.sock", vm->dir);
    if ((mon_fd = listen_unix(s->mon_path)) < 0 || (bc.monitor_fd = add_fd(s, mon_fd)) < 0 ||
        open_disks(def, s) < 0 || open_chardevs(def, vm->dir, s) < 0 || pick_vnc_ports(def, s) < 0)
        return -1;
    s->nets = sv_calloc(def->nnets ? def->nnets : 1, sizeof(*s->nets));
    /* The net helper and passt fill in tap/socket fds. */
    if (qemu_net_prepare(def, vm, s->fds[0], s->nets, s->fds, &s->nfds,
                         SV_HELPER_MAX_FDS, 2) < 0)
        return -1;
    bc.nets = s->nets;
    bc.disk_fds = s->disk_fds;
    bc.serial_fds = s->serial_fds;
    bc.serial_log_fds = s->serial_log_fds;
    bc.channel_fds = s->channel_fds;
    bc.vnc_ports = s->vnc_ports;
    if (sv_qemu_build_argv(def, &bc, &argv) < 0)
        return -1;
    log_start(s, argv);
    r = sv_spawn_start(spawn, "qemu", (const char *const *)argv + 1, s->fds, s->nfds,
                       SV_SPAWN_LOG_FD, &vm->proc.pid, &vm->proc.pidfd);
    sv_qemu_argv_free(argv);
    /* QEMU has its copies; frontd keeps none. */
    for (size_t i = 0; i < s->nfds; i++)
        close(s->fds[i]);
    s->nfds = 0;
    if (r == -ENOENT)
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED,
                  "QEMU cannot be started: %s/spawn.conf has no 'qemu' kind",
                  sv_frontd_paths_get()->config_dir);
    if (r < 0)
        return -1;
    vm->proc.pstart = qemu_proc_starttime(vm->proc.pid);
    if (qemu_process_connect_monitor(d, s->mon_path, ret_mon) < 0) {
        _cleanup_free_ char *tail = log_tail(s);

        if (!qemu_proc_alive(&vm->proc) || sv_error_last()->code != SV_ERR_OPERATION_TIMEOUT)
            sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR,
                      "qemu unexpectedly closed the monitor: %s", tail);
        return -1;
    }
    return 0;
}

/* d locked, job held: undo a start that failed after the process began. */
static void start_undo(sv_domain_obj *d, qemu_vm *vm)
{
    const sv_error *e = sv_error_last();
    sv_error saved = e ? *e : (sv_error){ SV_ERR_INTERNAL_ERROR, SV_FROM_QEMU, "internal error" };

    vm->stopping = true;
    close_monitor(d, vm);
    qemu_obj_unlock(d);
    qemu_proc_end(&vm->proc, SIGKILL, QEMU_KILL_TIMEOUT_MS);
    qemu_net_release(vm);
    qemu_process_remove_dir(vm->dir);
    qemu_obj_lock(d);
    qemu_vm_clear(vm);
    sv_error_set(saved.domain, saved.code, "%s", saved.message);
}

int qemu_process_start(sv_domain_obj *d, unsigned flags)
{
    sv_domain_def *def = sv_domain_obj_def(d);
    sv_domain_def *live = NULL;
    qemu_vm *vm = qemu_vm_get(d);
    start_ctx s = { 0 };
    sv_qmp *mon = NULL;
    char uuid[SV_UUID_STRLEN];
    bool paused = flags & START_PAUSED;
    int r;

    /* A persistent domain runs on a copy, so a redefine while it runs
     * changes only what the next start uses. */
    if (d->obj.persistent && !d->obj.new_def && !(live = sv_domain_def_copy(def)))
        return -1;
    qemu_vm_clear(vm);
    vm->run++;
    sv_uuid_format(d->obj.uuid, uuid);
    vm->dir = sv_asprintf("%s/%s", qemu_drv.run_dir, uuid);
    vm->start_time = time(NULL);

    qemu_obj_unlock(d);
    r = launch(d, def, vm, &s, &mon);
    if (r == 0 && !paused)
        r = sv_qmp_command(mon, "cont", NULL, QEMU_CMD_TIMEOUT_MS, NULL);
    qemu_obj_lock(d);
    /* Events seen before this ignored the run: it was not active yet. */
    vm->mon = mon;
    if (r < 0) {
        start_clear(&s);
        start_undo(d, vm);
        sv_domain_def_free(live);
        if (!d->obj.active)
            sv_domain_set_state(d, SV_DOMAIN_SHUTOFF, SV_DOMAIN_SHUTOFF_FAILED);
        return -1;
    }
    fill_live(live ? live : def, vm, &s);
    start_clear(&s);
    if (sv_domain_mark_running(d, live, paused ? SV_DOMAIN_PAUSED : SV_DOMAIN_RUNNING,
                               paused ? SV_DOMAIN_PAUSED_USER : SV_DOMAIN_RUNNING_BOOTED) < 0) {
        start_undo(d, vm);
        return -1;
    }
    /* libvirt announces the first "cont" as RESUMED/UNPAUSED before the
     * STARTED/BOOTED its caller sends; clients see the same sequence. */
    if (!paused)
        sv_event_domain_lifecycle(d->obj.name, d->obj.uuid, d->obj.id, SV_DOMAIN_EVENT_RESUMED, 0);
    qemu_status_save(d);
    if (sv_qmp_closed(vm->mon) && !vm->eof_queued) {
        vm->eof_queued = true;
        qemu_defer(d, QEMU_WORK_EOF);
    }
    return 0;
}

/* ---- stop ---------------------------------------------------------------- */

void qemu_process_stop(sv_domain_obj *d, int reason)
{
    qemu_vm *vm = qemu_vm_get(d);
    _cleanup_free_ char *name = sv_strdup(d->obj.name);

    vm->stopping = true;
    /* A QEMU the spawn helper does not know can only be asked to quit. */
    if (vm->proc.pidfd < 0 && vm->mon && qemu_proc_alive(&vm->proc))
        (void)qemu_mon_cmd(d, "quit", NULL, NULL);
    close_monitor(d, vm);
    qemu_obj_unlock(d);
    if (!qemu_proc_end(&vm->proc, SIGKILL, QEMU_KILL_TIMEOUT_MS) &&
        !qemu_proc_wait(&vm->proc, QEMU_KILL_TIMEOUT_MS))
        fprintf(stderr, "sepvirt-frontd: QEMU of domain %s (pid %d) did not end\n", name,
                (int)vm->proc.pid);
    qemu_net_release(vm);
    qemu_process_remove_dir(vm->dir);
    qemu_status_remove(name);
    qemu_obj_lock(d);
    qemu_vm_clear(vm);
    sv_domain_mark_shutoff(d, reason);
}

/* ---- console ------------------------------------------------------------- */

/* The serial port dev_name names (libvirt's aliases: serialN, or the alias
 * of a console of type serial, which is serial port 0). */
static bool find_serial(const sv_domain_def *def, const char *dev_name, size_t *ret_index)
{
    if (def->nserials == 0)
        return false;
    *ret_index = 0;
    if (!dev_name)
        return true;
    for (size_t i = 0; i < def->nserials; i++) {
        if (sv_streq(def->serials[i]->info.alias, dev_name)) {
            *ret_index = i;
            return true;
        }
    }
    for (size_t i = 0; i < def->nconsoles; i++)
        if (def->consoles[i]->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL &&
            sv_streq(def->consoles[i]->info.alias, dev_name))
            return true;
    return false;
}

int sv_qemu_domain_open_console(sv_domain_obj *d, const char *dev_name, int *ret_fd)
{
    const sv_domain_def *def = sv_domain_obj_def(d);
    const qemu_vm *vm = d->priv;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    size_t index;
    int fd;

    if (!d->obj.active || !vm || !vm->dir) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    if (!find_serial(def, dev_name, &index)) {
        if (dev_name)
            sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "cannot find character device %s", dev_name);
        else
            sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "cannot find default console device");
        return -1;
    }
    if (def->serials[index]->type != SV_DOMAIN_CHR_PTY) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_UNSUPPORTED,
                  "character device %s is not using a PTY", dev_name ? dev_name : "serial0");
        return -1;
    }
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/serial%zu.sock", vm->dir, index);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot connect to the console of domain %s",
                           d->obj.name);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *ret_fd = fd;
    return 0;
}
