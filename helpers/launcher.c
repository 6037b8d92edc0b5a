/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirtd: the launcher.
 *
 *     sepvirtd --system [--root DIR] [--libvirt-sockets]    (as root)
 *     sepvirtd --session [--root DIR] [--libvirt-sockets]   (as a user)
 *
 * Starts sepvirt-nethelper, sepvirt-spawnhelper and sepvirt-frontd, each
 * with exactly its privileges (sandbox/sv_jail.h: capabilities, ids,
 * no_new_privs, its seccomp profile loaded before exec), one SOCK_SEQPACKET
 * socketpair per helper, and restarts any of them that dies; a restarted
 * helper's new connection goes to frontd over the control channel
 * (ipc/helper_spawn.h).  It is the one sepvirt process without a seccomp
 * filter, so it also performs the spawn helper's START orders: a filter is
 * inherited by every child, and no filtered process could start QEMU.  It
 * is a child subreaper and reaps everything started below it, removing each
 * process's cgroup leaf once it is empty.  SIGTERM stops the daemons but
 * leaves started VMs running; SIGHUP re-reads spawn.conf.  It reads nothing
 * from frontd: its end of the control channel is shut for reading, so
 * frontd's replies there fail (EPIPE) rather than wait to be decoded.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper_spawn.h"
#include "sv_cgroup.h"
#include "sv_config.h"
#include "sv_jail.h"
#include "sv_spawnconf.h"

#define FRONT_USER "sepvirt"
#define RESTART_MAX_DELAY_MS 5000
#define STOP_TIMEOUT_MS 5000

typedef enum proc_id { P_NET, P_SPAWN, P_FRONTD, P_COUNT } proc_id;

/* What does not change between a daemon's starts. */
typedef struct daemon_kind {
    const char *name;           /* also its cgroup leaf */
    const char *binary;
    const char *env;            /* path override, for tests */
    const sv_sc_profile *seccomp;
    unsigned long nofile;
} daemon_kind;

static const daemon_kind daemons[P_COUNT] = {
    { "nethelper", "sepvirt-nethelper", "SEPVIRT_NETHELPER", &sv_profile_nethelper, 256 },
    { "spawnhelper", "sepvirt-spawnhelper", "SEPVIRT_SPAWNHELPER", &sv_profile_spawnhelper, 256 },
    { "frontd", "sepvirt-frontd", "SEPVIRT_FRONTD", &sv_profile_frontd, 65536 },
};

typedef struct proc {
    const daemon_kind *d;
    char path[PATH_MAX];
    pid_t pid;                  /* 0: not running */
    int pidfd;
    int front_end;              /* helpers: frontd's end of the socketpair */
    int chan;                   /* spawn: order channel; frontd: control channel */
    int64_t started_ms;
    unsigned quick_deaths;
    int64_t restart_at_ms;      /* 0: nothing pending */
} proc;

/* A process started for the spawn helper: as LIST shows it, and its pidfd. */
typedef struct child {
    sv_spawn_entry e;
    int pidfd;
} child;

typedef struct launcher {
    bool session;
    bool libvirt_sockets;
    char config[PATH_MAX], state[PATH_MAX], run[PATH_MAX], priv[PATH_MAX];
    uid_t front_uid;
    gid_t front_gid;
    int null_fd;
    int sig_fd;
    int cg_dir;                 /* -1 without cgroup v2 */
    char cg_group[64];
    bool stopping;
    proc procs[P_COUNT];
    sv_spawnconf conf;
    child children[SV_SPAWN_CHILDREN_MAX];
    size_t n_children;
    uint32_t leaf_seq, ctl_seq;
} launcher;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int path_join(char *out, const char *a, const char *b)
{
    return snprintf(out, PATH_MAX, "%s%s", a, b) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* ---- directories ------------------------------------------------------ */

/* mkdir -p, then make the last component owner:mode (never through a
 * symlink: a directory another user could have planted is refused). */
static int make_dir(const char *path, uid_t owner, gid_t group, mode_t mode)
{
    char tmp[PATH_MAX];
    struct stat st;
    int fd, r = 0;

    snprintf(tmp, sizeof(tmp), "%s", path);
    if ((r = sv_jail_mkdir_parents(tmp)) < 0)
        return r;
    if (mkdir(path, mode) < 0 && errno != EEXIST)
        return -errno;
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0 || (st.st_uid != owner && fchown(fd, owner, group) < 0) ||
        fchmod(fd, mode) < 0)
        r = -errno;
    close(fd);
    return r;
}

/* $var/sepvirt<leaf>, else $HOME/<fallback>/sepvirt<leaf>. */
static int xdg_dir(char *out, const char *var, const char *fallback, const char *leaf)
{
    const char *v = getenv(var), *home = getenv("HOME");

    if (v && v[0] == '/')
        return snprintf(out, PATH_MAX, "%s/sepvirt%s", v, leaf) >= PATH_MAX ? -ENAMETOOLONG : 0;
    if (!fallback || !home || home[0] != '/')
        return -ENOENT;
    return snprintf(out, PATH_MAX, "%s/%s/sepvirt%s", home, fallback, leaf) >= PATH_MAX
               ? -ENAMETOOLONG : 0;
}

/* The places sv_store_paths_get (util/sv_store.c) gives frontd; the
 * helpers' own directory is the runtime directory's "-priv" sibling. */
static int setup_paths(launcher *L, const char *root)
{
    int r = 0;

    if (root)
        r = path_join(L->config, root, "/config") | path_join(L->state, root, "/state") |
            path_join(L->run, root, "/run");
    else if (!L->session) {
        strcpy(L->config, "/etc/sepvirt");
        strcpy(L->state, "/var/lib/sepvirt");
        strcpy(L->run, "/run/sepvirt");
    } else if ((r = xdg_dir(L->config, "XDG_CONFIG_HOME", ".config", "")) == 0 &&
               (r = xdg_dir(L->state, "XDG_DATA_HOME", ".local/share", "")) == 0 &&
               (r = xdg_dir(L->run, "XDG_RUNTIME_DIR", NULL, "")) == -ENOENT)
        /* Without XDG_RUNTIME_DIR libvirt falls back to ~/.cache; so do we. */
        r = xdg_dir(L->run, "XDG_CACHE_HOME", ".cache", "/run");
    return r < 0 ? r : path_join(L->priv, L->run, "-priv");
}

/* config: root's, with frontd's object stores in it; state and run:
 * frontd's; priv: the helpers'. */
static int setup_dirs(launcher *L)
{
    uid_t me = geteuid(), fu = L->front_uid;
    gid_t mg = getegid(), fg = L->front_gid;
    const struct { const char *dir, *sub; uid_t uid; gid_t gid; mode_t mode; } dirs[] = {
        { L->config, "", me, mg, 0755 }, { L->state, "", fu, fg, 0755 },
        { L->run, "", fu, fg, 0755 }, { L->priv, "", me, mg, 0700 },
        { L->priv, "/net", me, mg, 0700 }, { L->config, "/qemu", fu, fg, 0755 },
        { L->config, "/networks", fu, fg, 0755 }, { L->config, "/nwfilter", fu, fg, 0755 },
    };
    char p[PATH_MAX];
    int r = 0, fd;

    for (size_t i = 0; r == 0 && i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if ((r = path_join(p, dirs[i].dir, dirs[i].sub)) == 0)
            r = make_dir(p, dirs[i].uid, dirs[i].gid, dirs[i].mode);
    /* An empty net.conf allows no bridge and no macvtap parent: the safe
     * default, and the net helper refuses to start without the file. */
    if (r == 0 && (r = path_join(p, L->config, "/net.conf")) == 0 &&
        (fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) >= 0) {
        static const char text[] = "# sepvirt-nethelper: see net/netconf.h\n";

        r = write(fd, text, sizeof(text) - 1) < 0 ? -errno : 0;
        close(fd);
    }
    return r;
}

/* spawn.conf, at start and on SIGHUP; processes already started keep
 * running whatever the new file says. */
static int load_kinds(launcher *L)
{
    char conf[PATH_MAX];
    unsigned refused = 0;
    int r = path_join(conf, L->config, "/spawn.conf");

    if (r == 0)
        r = sv_spawnconf_load(conf, geteuid(), L->session, &L->conf, &refused);
    sv_helper_log("%s: %zu kinds, %u refused%s%s", conf, L->conf.n, refused, r < 0 ? ": " : "",
                  r < 0 ? strerror(-r) : "");
    return r == -ENOENT ? 0 : r;
}

/* ---- the processes ----------------------------------------------------- */

/* $<env> (tests), else next to this program, in libexecdir or bindir. */
static int find_binary(proc *p)
{
    const char *env = getenv(p->d->env);
    char self[PATH_MAX], *slash;
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (env && *env) {
        snprintf(p->path, sizeof(p->path), "%s", env);
        return env[0] == '/' && access(env, X_OK) == 0 ? 0 : -ENOENT;
    }
    self[n > 0 ? n : 0] = '\0';
    if ((slash = strrchr(self, '/')))
        *slash = '\0';
    for (const char *const *d = (const char *const[]){ self, SV_LIBEXECDIR, SV_BINDIR, NULL };
         *d; d++)
        if (snprintf(p->path, sizeof(p->path), "%s/%s", *d, p->d->binary) < (int)sizeof(p->path) &&
            (*d)[0] == '/' && access(p->path, X_OK) == 0)
            return 0;
    snprintf(p->path, sizeof(p->path), "%s", p->d->binary);
    return -ENOENT;
}

/* p is not running (it died, or it could not be started): drop its fds
 * and schedule its next start, at once after a long life, else backing off
 * 0.2, 0.4, ... up to 5 s. */
static void proc_gone(launcher *L, proc *p, bool long_lived)
{
    int64_t delay;

    p->pid = 0;
    sv_helper_close_fds(&p->pidfd, 1);
    sv_helper_close_fds(&p->chan, 1);
    sv_helper_close_fds(&p->front_end, 1);   /* frontd's copy now reads end-of-file */
    p->quick_deaths = long_lived ? 0 : p->quick_deaths + 1;
    delay = long_lived ? 0 : 100LL << (p->quick_deaths < 6 ? p->quick_deaths : 6);
    if (!L->stopping)
        p->restart_at_ms = now_ms() + (delay < RESTART_MAX_DELAY_MS ? delay : RESTART_MAX_DELAY_MS);
}

static void send_helper_fd(launcher *L, proc_id id)
{
    proc *f = &L->procs[P_FRONTD], *h = &L->procs[id];
    sv_launcher_helper_fd_req req = { id == P_NET ? SV_HELPER_ID_NET : SV_HELPER_ID_SPAWN, 0 };
    int r;

    if (f->chan < 0 || h->front_end < 0)
        return;
    /* Non-blocking: a frontd that does not read its channel must not stall
     * the launcher; it then keeps its old, dead connection. */
    r = sv_helper_send(f->chan, sv_helper_launcher_proto(), SV_LAUNCHER_HELPER_FD,
                       ++L->ctl_seq, &req, sizeof(req), &h->front_end, 1);
    if (r < 0)
        sv_helper_log("could not hand frontd the new %s connection: %s", h->d->name,
                      strerror(-r));
}

typedef struct jail_plan {
    sv_jail j;
    sv_jail_fd fds[8];
    char *argv[16];
    char *envp[10];
    char strs[8][PATH_MAX + 32];
    const char *rw[3];
    int caps[2];
    int child_ends[2];
} jail_plan;

/* a followed by b, kept in the plan (argv and envp point into it). */
static char *plan_str(jail_plan *jp, size_t i, const char *a, const char *b)
{
    snprintf(jp->strs[i], sizeof(jp->strs[i]), "%s%s", a, b);
    return jp->strs[i];
}

/* A new socketpair: our end in *ours, the child's at dst in the child. */
static int plan_pair(jail_plan *jp, int *ours, int dst)
{
    int pair[2];

    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
        return -errno;
    *ours = pair[0];
    jp->child_ends[jp->child_ends[0] < 0 ? 0 : 1] = pair[1];
    jp->fds[jp->j.n_fds++] = (sv_jail_fd){ pair[1], dst };
    return 0;
}

/* argv, fds and privileges of each daemon, into jp (zeroed but for
 * child_ends, -1). */
static int plan(launcher *L, proc_id id, jail_plan *jp)
{
    proc *p = &L->procs[id];
    bool sys = !L->session;
    size_t e = 0;
    int r;

    jp->j = (sv_jail){ .path = p->path, .argv = jp->argv, .envp = jp->envp, .fds = jp->fds,
                       .uid = SV_CAPS_KEEP_IDS, .gid = SV_CAPS_KEEP_IDS, .caps = jp->caps,
                       .seccomp = p->d->seccomp, .nofile = p->d->nofile, .cgroup_fd = -1,
                       .flags = SV_JAIL_PDEATHSIG, .n_fds = 3 };
    memcpy(jp->fds, (sv_jail_fd[]){ { L->null_fd, 0 }, { 1, 1 }, { 2, 2 } },
           3 * sizeof(sv_jail_fd));
    jp->argv[0] = p->path;
    for (size_t i = 0; sv_sanitizer_env[i]; i++)
        jp->envp[e++] = (char *)sv_sanitizer_env[i];
    /* helpers: frontd's socket at 3; the spawn helper's orders at 4;
     * frontd: the control channel at 3 */
    if ((r = plan_pair(jp, id == P_FRONTD ? &p->chan : &p->front_end, 3)) < 0 ||
        (id == P_SPAWN && (r = plan_pair(jp, &p->chan, 4)) < 0))
        return r;
    if (id == P_NET) {
        char *argv[] = { p->path, "--fd", "3", "--config", plan_str(jp, 0, L->config, "/net.conf"),
                         "--state", plan_str(jp, 1, L->priv, "/net/owned"), NULL };

        memcpy(jp->argv, argv, sizeof(argv));
        if (sys) {
            /* CAP_MKNOD: /dev/tapN nodes on hosts without udev. */
            jp->caps[jp->j.n_caps++] = CAP_NET_ADMIN;
            jp->caps[jp->j.n_caps++] = CAP_MKNOD;
            jp->j.flags |= SV_JAIL_NEWNS | SV_JAIL_RO_ROOT;
            jp->rw[0] = plan_str(jp, 2, L->priv, "/net");
            jp->rw[1] = "/dev";
            jp->j.rw_paths = jp->rw;
        }
    } else if (id == P_FRONTD) {
        char *argv[] = { p->path, sys ? "--system" : "--session", "--config-dir", L->config,
                         "--state-dir", L->state, "--runtime-dir", L->run,
                         L->libvirt_sockets ? "--libvirt-sockets" : NULL, NULL };

        memcpy(jp->argv, argv, sizeof(argv));
        /* We read nothing of frontd's: its replies fail rather than queue. */
        if (shutdown(p->chan, SHUT_RD) < 0)
            return -errno;
        /* The fds go in the environment (like systemd's LISTEN_FDS): a
         * frontd that does not know them yet simply ignores them. */
        jp->envp[e++] = "SEPVIRT_LAUNCHER_FD=3";
        for (int i = P_NET; i <= P_SPAWN; i++)
            if (L->procs[i].front_end >= 0) {
                jp->fds[jp->j.n_fds++] = (sv_jail_fd){ L->procs[i].front_end, 4 + i };
                jp->envp[e++] = i == P_NET ? "SEPVIRT_NET_FD=4" : "SEPVIRT_SPAWN_FD=5";
            }
        if (L->session && getenv("HOME"))
            jp->envp[e++] = plan_str(jp, 3, "HOME=", getenv("HOME"));
        if (L->session && getenv("XDG_RUNTIME_DIR"))
            jp->envp[e++] = plan_str(jp, 4, "XDG_RUNTIME_DIR=", getenv("XDG_RUNTIME_DIR"));
        if (sys) {
            jp->j.nproc = 4096;   /* threads of user sepvirt */
            jp->j.uid = L->front_uid;
            jp->j.gid = L->front_gid;
        }
    }
    return 0;
}

/* Fork and exec j in a new cgroup leaf (without one if that cannot be made). */
static int spawn_in_leaf(launcher *L, sv_jail *j, const char *leaf, pid_t *ret_pid, int *ret_pidfd)
{
    int procs_fd = -1, r;

    if (L->cg_dir >= 0)
        sv_cgroup_leaf(L->cg_dir, leaf, &procs_fd);
    j->cgroup_fd = procs_fd;
    r = sv_jail_spawn(j, ret_pid, ret_pidfd);
    sv_helper_close_fds(&procs_fd, 1);
    if (r < 0 && L->cg_dir >= 0)
        sv_cgroup_leaf_remove(L->cg_dir, leaf);
    return r;
}

static void start_proc(launcher *L, proc_id id)
{
    proc *p = &L->procs[id];
    jail_plan jp = { .child_ends = { -1, -1 } };
    int r;

    p->restart_at_ms = 0;
    if ((r = find_binary(p)) == 0 && (r = plan(L, id, &jp)) == 0)
        r = spawn_in_leaf(L, &jp.j, p->d->name, &p->pid, &p->pidfd);
    sv_helper_close_fds(jp.child_ends, 2);
    if (r < 0) {
        sv_helper_log("%s: cannot start %s: %s", p->d->name, p->path, strerror(-r));
        proc_gone(L, p, false);
        return;
    }
    p->started_ms = now_ms();
    if (p->chan >= 0)
        fcntl(p->chan, F_SETFL, O_NONBLOCK);
    sv_helper_log("%s started (pid %d)", p->d->name, (int)p->pid);
    if (id != P_FRONTD)
        send_helper_fd(L, id);
}

/* ---- spawn orders (from the spawn helper) ------------------------------ */

static int order_start(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                       int *rep_fds, size_t *rep_nfds)
{
    launcher *L = ctx;
    const sv_spawn_start_req *req = reqp;
    sv_spawn_start_rep *rep = repp;
    const sv_spawn_kind *k;
    char *argv[SV_SPAWN_ARGC_MAX + 2], leaf[64];
    sv_jail_fd jfds[3 + SV_HELPER_MAX_FDS];
    size_t nj = 0, first = (req->flags & SV_SPAWN_LOG_FD) ? 1 : 0;
    child *c = &L->children[L->n_children];
    int r = sv_spawn_start_check(req, nfds);

    if (r < 0)
        return r;
    if (!(k = sv_spawnconf_find(&L->conf, req->kind))) {
        sv_helper_log("START refused: kind \"%s\" is not in spawn.conf", req->kind);
        return -ENOENT;
    }
    if (L->n_children == SV_SPAWN_CHILDREN_MAX)
        return -EAGAIN;
    argv[0] = (char *)k->path;
    for (uint32_t i = 0, off = 0; i < req->argc; i++) {
        argv[i + 1] = (char *)req->argv + off;
        off += (uint32_t)strlen(req->argv + off) + 1;
    }
    argv[req->argc + 1] = NULL;
    for (int i = 0; i < 3; i++)   /* stdin /dev/null; stdout, stderr the log fd or that */
        jfds[nj++] = (sv_jail_fd){ i && first ? fds[0] : L->null_fd, i };
    for (size_t i = first; i < nfds; i++)
        jfds[nj++] = (sv_jail_fd){ fds[i], 3 + (int)(i - first) };
    snprintf(leaf, sizeof(leaf), "%s.%d.%u", k->name, (int)getpid(), ++L->leaf_seq);
    r = spawn_in_leaf(L, &(sv_jail){
            .path = k->path, .argv = argv, .fds = jfds, .n_fds = nj,
            .uid = k->uid, .gid = k->gid, .caps = k->caps, .n_caps = k->n_caps,
            .nofile = k->nofile, .flags = L->session ? 0 : SV_JAIL_NEWNS,
            .devices = L->session ? NULL : k->devices,
        }, leaf, &c->e.pid, &c->pidfd);
    if (r < 0)
        return r;
    memcpy(c->e.kind, k->name, sizeof(c->e.kind));
    L->n_children++;
    sv_helper_log("started %s (pid %d)", k->name, (int)c->e.pid);
    rep->pid = c->e.pid;
    rep_fds[0] = fcntl(c->pidfd, F_DUPFD_CLOEXEC, 3);
    if (rep_fds[0] < 0)
        return -errno;   /* it runs anyway: LIST will show it */
    *rep_nfds = 1;
    return 0;
}

/* Entries start.. of the table, each with a copy of its pidfd (sent, then
 * closed by the codec).  run() reaps before it serves an order, so no
 * process whose end was signalled to us is listed. */
static int order_list(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                      int *rep_fds, size_t *rep_nfds)
{
    launcher *L = ctx;
    const sv_helper_list_req *req = reqp;
    sv_spawn_list_rep *rep = repp;

    if (req->reserved)
        return -EINVAL;
    rep->total = (uint32_t)L->n_children;
    for (size_t i = req->start; i < L->n_children && rep->count < SV_SPAWN_LIST_MAX; i++) {
        rep_fds[rep->count] = fcntl(L->children[i].pidfd, F_DUPFD_CLOEXEC, 3);
        if (rep_fds[rep->count] < 0)
            return -errno;
        rep->entries[rep->count] = L->children[i].e;
        *rep_nfds = ++rep->count;
    }
    return 0;
}

/* Only processes in the table, through their pidfds (a reused pid is
 * never one of them). */
static int order_signal(void *ctx, const void *reqp, int *fds, size_t nfds, void *repp,
                        int *rep_fds, size_t *rep_nfds)
{
    launcher *L = ctx;
    const sv_spawn_signal_req *req = reqp;

    if (!sv_spawn_signo_ok(req->signo))
        return -EINVAL;
    for (size_t i = 0; i < L->n_children; i++)
        if (L->children[i].e.pid == req->pid)
            return pidfd_send_signal(L->children[i].pidfd, req->signo, NULL, 0) < 0 ? -errno : 0;
    sv_helper_log("SIGNAL refused: pid %d was not started by us", (int)req->pid);
    return -EPERM;
}

static const sv_helper_dispatch dispatch_spawn[] = {
    { SV_SPAWN_START, order_start },
    { SV_SPAWN_SIGNAL, order_signal },
    { SV_SPAWN_LIST, order_list },
};

static void serve_orders(launcher *L)
{
    proc *p = &L->procs[P_SPAWN];
    uint16_t type = 0;
    int r = sv_helper_serve_one(p->chan, sv_helper_spawn_proto(), dispatch_spawn,
                                sizeof(dispatch_spawn) / sizeof(dispatch_spawn[0]), L, &type);

    if (r == 0 || r == -EAGAIN)
        return;
    if (r != -ECONNRESET) {
        sv_helper_log("spawnhelper: protocol violation (type %u): %s; restarting it", type,
                      strerror(-r));
        if (p->pidfd >= 0)
            pidfd_send_signal(p->pidfd, SIGKILL, NULL, 0);
    }
    sv_helper_close_fds(&p->chan, 1);
}

/* ---- reaping ------------------------------------------------------------ */

static void proc_died(launcher *L, proc *p, const siginfo_t *si)
{
    sv_helper_log("%s (pid %d) %s %d", p->d->name, (int)p->pid,
                  si->si_code == CLD_EXITED ? "exited with status" : "killed by signal",
                  si->si_status);
    proc_gone(L, p, now_ms() - p->started_ms >= 1000);
}

static void reap(launcher *L)
{
    siginfo_t si;

    for (;;) {
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG) < 0 || si.si_pid == 0)
            break;
        for (size_t i = 0; i < P_COUNT; i++)
            if (L->procs[i].pid == si.si_pid)
                proc_died(L, &L->procs[i], &si);
        for (size_t i = 0; i < L->n_children; i++) {
            if (L->children[i].e.pid != si.si_pid)
                continue;
            sv_helper_log("%s (pid %d) ended", L->children[i].e.kind, (int)si.si_pid);
            close(L->children[i].pidfd);
            L->children[i] = L->children[--L->n_children];
            break;
        }
    }
    /* Every leaf that is empty now goes, also one whose process left
     * descendants behind (a daemonizing dnsmasq): they come to us as
     * subreaper, and the leaf goes once they are reaped. */
    if (L->cg_dir >= 0)
        sv_cgroup_sweep(L->cg_dir);
}

/* ---- main loop ---------------------------------------------------------- */

/* SIGTERM to the daemons, SIGKILL to those still running after
 * STOP_TIMEOUT_MS; started processes keep running. */
static void stop_all(launcher *L)
{
    size_t alive = 1;

    L->stopping = true;
    for (int round = 0; round < 2 && alive; round++) {
        int64_t deadline = now_ms() + STOP_TIMEOUT_MS;

        for (size_t i = 0; i < P_COUNT; i++)
            if (L->procs[i].pid > 0)
                pidfd_send_signal(L->procs[i].pidfd, round ? SIGKILL : SIGTERM, NULL, 0);
        do {
            struct pollfd pfd = { L->sig_fd, POLLIN, 0 };
            struct signalfd_siginfo ssi;

            reap(L);
            alive = 0;
            for (size_t i = 0; i < P_COUNT; i++)
                alive += L->procs[i].pid > 0;
            if (alive && poll(&pfd, 1, (int)(deadline > now_ms() ? deadline - now_ms() : 0)) > 0)
                (void)!read(L->sig_fd, &ssi, sizeof(ssi));
        } while (alive && now_ms() < deadline);
    }
    sv_helper_log("stopped; %zu started processes left running", L->n_children);
}

static int run(launcher *L)
{
    for (;;) {
        int64_t next = -1, now = now_ms();
        struct signalfd_siginfo ssi;

        for (size_t i = 0; i < P_COUNT; i++) {
            proc *p = &L->procs[i];

            if (p->pid == 0 && p->restart_at_ms && p->restart_at_ms <= now)
                start_proc(L, (proc_id)i);
            if (p->pid == 0 && p->restart_at_ms && (next < 0 || p->restart_at_ms < next))
                next = p->restart_at_ms;
        }
        struct pollfd pfd[2] = {
            { L->sig_fd, POLLIN, 0 },
            { L->procs[P_SPAWN].chan, POLLIN, 0 },
        };
        if (poll(pfd, 2, next < 0 ? -1 : (int)(next > now ? next - now : 0)) < 0 && errno != EINTR)
            return -errno;
        if (pfd[0].revents && read(L->sig_fd, &ssi, sizeof(ssi)) == sizeof(ssi)) {
            if (ssi.ssi_signo == SIGCHLD)
                reap(L);
            else if (ssi.ssi_signo == SIGHUP)
                load_kinds(L);
            else {
                sv_helper_log("signal %u: stopping", ssi.ssi_signo);
                stop_all(L);
                return 0;
            }
        }
        if (pfd[1].revents && L->procs[P_SPAWN].chan >= 0)
            serve_orders(L);
    }
}

static int parse_args(int argc, char **argv, launcher *L, const char **ret_root)
{
    int modes = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--system") == 0 || strcmp(argv[i], "--session") == 0) {
            L->session = argv[i][3] == 'e';
            modes++;
        } else if (strcmp(argv[i], "--libvirt-sockets") == 0)
            L->libvirt_sockets = true;
        else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc && argv[i + 1][0] == '/')
            *ret_root = argv[++i];
        else
            return -EINVAL;
    }
    return modes == 1 ? 0 : -EINVAL;
}

static int init(launcher *L, const char *root)
{
    sigset_t mask;
    int r;

    L->cg_dir = -1;
    for (size_t i = 0; i < P_COUNT; i++)
        L->procs[i] = (proc){ .d = &daemons[i], .pidfd = -1, .front_end = -1, .chan = -1 };
    if (L->session ? geteuid() == 0 : geteuid() != 0) {
        sv_helper_log(L->session ? "--session is for ordinary users; root runs --system"
                                 : "--system needs root");
        return -EPERM;
    }
    L->front_uid = geteuid();
    L->front_gid = getegid();
    if (!L->session) {
        struct passwd *pw = getpwnam(FRONT_USER);

        if (!pw || pw->pw_uid == 0) {
            sv_helper_log("user %s is missing (scripts/install-deps.sh creates it)", FRONT_USER);
            return -ENOENT;
        }
        L->front_uid = pw->pw_uid;
        L->front_gid = pw->pw_gid;
    }
    if ((r = setup_paths(L, root)) < 0 || (r = setup_dirs(L)) < 0) {
        sv_helper_log("directories: %s", strerror(-r));
        return r;
    }
    if ((r = load_kinds(L)) < 0)
        return r;

    L->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (L->null_fd < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        return -errno;
    sigemptyset(&mask);
    for (size_t i = 0; i < 4; i++)
        sigaddset(&mask, (int[]){ SIGCHLD, SIGTERM, SIGINT, SIGHUP }[i]);
    signal(SIGPIPE, SIG_IGN);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
        (L->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0)
        return -errno;

    /* A test root gets its own group, so it never sweeps a real one. */
    if (root)
        snprintf(L->cg_group, sizeof(L->cg_group), "sepvirt-test-%d", (int)getpid());
    else
        snprintf(L->cg_group, sizeof(L->cg_group), L->session ? "sepvirt-%u" : "sepvirt",
                 (unsigned)geteuid());
    if (sv_cgroup_open(L->cg_group, &L->cg_dir) == 0)
        sv_cgroup_sweep(L->cg_dir);
    else
        sv_helper_log("no cgroup v2 hierarchy to use: processes run without cgroup leaves");
    return 0;
}

int main(int argc, char **argv)
{
    static launcher L;
    const char *root = NULL;
    int r;

    if (parse_args(argc, argv, &L, &root) < 0) {
        fprintf(stderr, "usage: sepvirtd --system|--session [--root DIR] [--libvirt-sockets]\n");
        return 2;
    }
    if ((r = init(&L, root)) < 0) {
        sv_helper_log("cannot start: %s", strerror(-r));
        return 1;
    }
    /* Helpers first, so frontd starts with both connections. */
    start_proc(&L, P_NET);
    start_proc(&L, P_SPAWN);
    start_proc(&L, P_FRONTD);
    r = run(&L);
    if (L.cg_dir >= 0 && root)
        sv_cgroup_remove_group(L.cg_group);   /* fails while VMs still run */
    return r < 0 ? 1 : 0;
}
