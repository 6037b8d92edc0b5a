/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirtd in system mode, as root, in a temporary root directory:
 *   - each process has exactly its privileges (/proc/<pid>/status);
 *   - the spawn helper starts configured kinds in the jail and signals
 *     them, and refuses hostile requests (it keeps serving, or dies on a
 *     protocol violation and is restarted) without anything changing;
 *   - SIGKILL of a helper or of frontd: restarted within a second, frontd
 *     gets the new connection, started processes keep running;
 *   - SIGTERM stops the daemons and leaves started processes running.
 * frontd is played by fake_front, which passes its connections to this
 * test; a second group runs the real sepvirt-frontd and checks its status.
 *
 *   test_launcher SEPVIRTD SPAWNHELPER NETHELPER FAKE_FRONT PROBE [FRONTD]
 * (NETHELPER or FRONTD may be "-" when not built).  Needs root: skipped
 * otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "helper_spawn_client.h"

static const char *sepvirtd, *spawnhelper, *nethelper, *fake_front, *probe, *frontd;

/* The user of the session-mode run: nobody. */
#define SESSION_UID 65534

typedef struct world {
    char root[64];
    pid_t launcher;     /* 0 once it has exited */
    pid_t launcher_pid; /* names its cgroup group */
    int listen_fd;
    int front;          /* fake_front's connection to us */
    int spawn_fd;       /* our copy of frontd's spawn helper socket */
    int net_fd;
    sv_spawn_client *spawn;
    pid_t sleep_pid;    /* a started process that must survive everything */
    int sleep_pidfd;
} world;

static world W;

/* ---- small tools --------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

    nanosleep(&ts, NULL);
}

static bool read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return n > 0;
}

/* "Key:\tvalue" of /proc/<pid>/status, value only. */
static const char *status_of(pid_t pid, const char *key, char *out, size_t size)
{
    char path[64], buf[4096], *p;
    size_t klen = strlen(key);

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    out[0] = '\0';
    if (!read_small(path, buf, sizeof(buf)))
        return out;
    for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
            p += klen + 1;
            p += strspn(p, " \t");
            snprintf(out, size, "%.*s", (int)strcspn(p, "\n"), p);
            break;
        }
    return out;
}

/* "u\tu\tu\tu", the Uid: line of a process with all four ids u. */
static const char *ids(unsigned u, char buf[64])
{
    snprintf(buf, 64, "%u\t%u\t%u\t%u", u, u, u, u);
    return buf;
}

static void expect_status(pid_t pid, const char *key, const char *want)
{
    char v[128];

    status_of(pid, key, v, sizeof(v));
    if (strcmp(v, want) != 0)
        fail_msg("pid %d: %s is \"%s\", want \"%s\"", (int)pid, key, v, want);
}

/* frontd's privileges: user sepvirt, no capability at all, no_new_privs,
 * a seccomp filter. */
static void expect_front_confined(pid_t front)
{
    struct passwd *pw = getpwnam("sepvirt");
    char uid[64];

    assert_non_null(pw);
    expect_status(front, "Uid", ids(pw->pw_uid, uid));
    expect_status(front, "CapEff", "0000000000000000");
    expect_status(front, "CapPrm", "0000000000000000");
    expect_status(front, "CapBnd", "0000000000000000");
    expect_status(front, "CapAmb", "0000000000000000");
    expect_status(front, "NoNewPrivs", "1");
    expect_status(front, "Seccomp", "2");
}

static void print_status(const char *who, pid_t pid)
{
    static const char *const keys[] = {
        "Uid", "Gid", "CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp",
    };
    char v[128];

    print_message("%s (pid %d):", who, (int)pid);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        print_message(" %s=%s", keys[i], status_of(pid, keys[i], v, sizeof(v)));
    print_message("\n");
}

/* The launcher's child whose comm starts with name, or 0. */
static pid_t child_named(const char *name)
{
    char path[64], list[4096], comm[64];
    pid_t found = 0;

    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)W.launcher, (int)W.launcher);
    read_small(path, list, sizeof(list));
    for (char *s = strtok(list, " \n"); s; s = strtok(NULL, " \n")) {
        snprintf(path, sizeof(path), "/proc/%s/comm", s);
        if (read_small(path, comm, sizeof(comm)) && strncmp(comm, name, strlen(name)) == 0)
            found = atoi(s);
    }
    return found;
}

static size_t launcher_children(void)
{
    char path[64], list[4096];
    size_t n = 0;

    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)W.launcher, (int)W.launcher);
    read_small(path, list, sizeof(list));
    for (char *s = strtok(list, " \n"); s; s = strtok(NULL, " \n"))
        n++;
    return n;
}

/* Wait up to ms for a launcher child named name other than old. */
static pid_t wait_child(const char *name, pid_t old, int ms)
{
    int64_t end = now_ms() + ms;
    pid_t p;

    do {
        p = child_named(name);
        if (p > 0 && p != old)
            return p;
        sleep_ms(10);
    } while (now_ms() < end);
    return 0;
}

static bool alive(int pidfd)
{
    struct pollfd pfd = { pidfd, POLLIN, 0 };

    return poll(&pfd, 1, 0) == 0;
}

/* ---- the fake frontd's channel ------------------------------------------- */

/* One message of fake_front within ms: its type, or -ETIMEDOUT. */
static int recv_msg(int sock, harness_msg *m, int *fds, size_t *nfds, int ms)
{
    struct pollfd pfd = { sock, POLLIN, 0 };
    sv_helper_hdr hdr;

    if (poll(&pfd, 1, ms) <= 0 || sv_helper_recv(sock, harness_proto(), SV_HELPER_DIR_REQUEST,
                                                 &hdr, m, sizeof(*m), fds, nfds, NULL) < 0)
        return -ETIMEDOUT;
    return hdr.type;
}

/* Accept (re)connecting fake_front and take its connections. */
static void accept_front(int ms)
{
    struct pollfd pfd = { W.listen_fd, POLLIN, 0 };
    harness_msg m;
    int fds[SV_HELPER_MAX_FDS];
    size_t i = 0, n = 0;

    if (W.front >= 0)
        close(W.front);
    assert_true(poll(&pfd, 1, ms) == 1);
    W.front = accept4(W.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    assert_true(W.front >= 0);
    assert_int_equal(recv_msg(W.front, &m, fds, &n, ms), HARNESS_HELLO);
    if (W.net_fd >= 0)
        close(W.net_fd);
    W.net_fd = (m.helper & HARNESS_HAS_NET) ? fds[i++] : -1;
    if (W.spawn_fd >= 0)
        close(W.spawn_fd);
    W.spawn_fd = (m.helper & HARNESS_HAS_SPAWN) ? fds[i++] : -1;
}

/* The next HELPER_FD the launcher sent fake_front for helper id. */
static int wait_helper_fd(uint32_t id, int ms)
{
    int64_t end = now_ms() + ms;
    harness_msg m;
    int fds[SV_HELPER_MAX_FDS];
    size_t n = 0;

    while (now_ms() < end) {
        if (recv_msg(W.front, &m, fds, &n, (int)(end - now_ms())) != HARNESS_HELPER || n != 1)
            continue;
        if (m.helper == id)
            return fds[0];
        close(fds[0]);
    }
    return -1;
}

static void use_spawn_fd(int fd)
{
    if (W.spawn_fd >= 0)
        close(W.spawn_fd);
    W.spawn_fd = fd;
    sv_spawn_client_free(W.spawn);
    W.spawn = sv_spawn_client_new(fcntl(fd, F_DUPFD_CLOEXEC, 3));
    assert_non_null(W.spawn);
}

/* ---- world setup ---------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, 0644);
}

static int start_world(const char *front_bin, bool session)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char path[256], conf[1024];

    memset(&W, 0, sizeof(W));
    W.front = W.spawn_fd = W.net_fd = W.sleep_pidfd = -1;
    strcpy(W.root, "/tmp/sv-launcher-XXXXXX");
    if (!mkdtemp(W.root))
        return -1;
    chmod(W.root, 0755);
    snprintf(path, sizeof(path), "%s/config", W.root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/run", W.root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/config/spawn.conf", W.root);
    snprintf(conf, sizeof(conf),
             "# kinds for the launcher test\n"
             "%s"
             "probe      %s  sepvirt-qemu sepvirt-qemu nofile=128\n"
             "rootsleep  /usr/bin/sleep  root root\n"
             "rootsleep2 /usr/bin/sleep  sepvirt-qemu 0\n"
             "relative   usr/bin/sleep   sepvirt-qemu sepvirt-qemu\n"
             "dotdot     /usr/bin/../bin/sleep sepvirt-qemu sepvirt-qemu\n",
             session ? "sleep /usr/bin/sleep - -\n"
                     : "sleep /usr/bin/sleep sepvirt-qemu sepvirt-qemu devices=kvm,net/tun\n"
                       "qemu /usr/bin/qemu-system-x86_64 sepvirt-qemu sepvirt-qemu "
                       "devices=kvm,net/tun\n",
             probe);
    write_file(path, conf);
    if (session) {
        /* everything of a session daemon belongs to its user */
        snprintf(conf, sizeof(conf), "chown -R %d:%d %s", SESSION_UID, SESSION_UID, W.root);
        if (system(conf) != 0)
            return -1;
    }

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/run/%s", W.root, HARNESS_SOCK);
    W.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (W.listen_fd < 0 || bind(W.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(sa.sun_path, 0666) < 0 || listen(W.listen_fd, 4) < 0)
        return -1;

    W.launcher = fork();
    if (W.launcher == 0) {
        int log;

        snprintf(path, sizeof(path), "%s/launcher.log", W.root);
        log = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        dup2(log, 1);
        dup2(log, 2);
        if (session) {
            snprintf(path, sizeof(path), "%s/xdg", W.root);
            setenv("HOME", W.root, 1);
            setenv("XDG_RUNTIME_DIR", path, 1);
            if (setgroups(0, NULL) < 0 || setgid(SESSION_UID) < 0 || setuid(SESSION_UID) < 0)
                _exit(126);
        }
        setenv("SEPVIRT_FRONTD", front_bin, 1);
        setenv("SEPVIRT_SPAWNHELPER", spawnhelper, 1);
        if (nethelper)
            setenv("SEPVIRT_NETHELPER", nethelper, 1);
        else
            unsetenv("SEPVIRT_NETHELPER");
        execl(sepvirtd, "sepvirtd", session ? "--session" : "--system", "--root", W.root,
              (char *)NULL);
        _exit(127);
    }
    W.launcher_pid = W.launcher;
    return W.launcher > 0 ? 0 : -1;
}

static void dump_log(void)
{
    char path[256], buf[8192];

    snprintf(path, sizeof(path), "%s/launcher.log", W.root);
    if (read_small(path, buf, sizeof(buf)))
        print_message("--- launcher log ---\n%s--------------------\n", buf);
}

static int setup_with_fake_front(bool session)
{
    if (start_world(fake_front, session) < 0)
        return -1;
    accept_front(5000);
    if (W.spawn_fd < 0)
        return -1;
    W.spawn = sv_spawn_client_new(fcntl(W.spawn_fd, F_DUPFD_CLOEXEC, 3));
    return W.spawn ? 0 : -1;
}

static int setup_fake(void **state)
{
    (void)state;
    return setup_with_fake_front(false);
}

static int setup_session(void **state)
{
    (void)state;
    return setup_with_fake_front(true);
}

/* The test group of cgroup leaves: remove every leaf, then the group,
 * retrying while the processes in them finish exiting. */
static void remove_cgroup_group(pid_t launcher)
{
    char group[128], leaf[400];
    int64_t end = now_ms() + 5000;

    snprintf(group, sizeof(group), "/sys/fs/cgroup/unified/sepvirt-test-%d", (int)launcher);
    /* whatever a failed test left running there (a QEMU) goes too */
    snprintf(leaf, sizeof(leaf), "%s/cgroup.kill", group);
    if (access(leaf, F_OK) == 0) {
        FILE *k = fopen(leaf, "w");

        if (k) {
            fputs("1", k);
            fclose(k);
        }
    }
    while (access(group, F_OK) == 0 && now_ms() < end) {
        DIR *d = opendir(group);
        struct dirent *e;

        while (d && (e = readdir(d)))
            if (e->d_type == DT_DIR && e->d_name[0] != '.') {
                snprintf(leaf, sizeof(leaf), "%s/%s", group, e->d_name);
                rmdir(leaf);
            }
        if (d)
            closedir(d);
        if (rmdir(group) < 0)
            sleep_ms(50);
    }
}

/* Stop the launcher if still running, kill what it started, remove the
 * cgroup group and the directory. */
static int teardown_world(void **state)
{
    char cmd[128];

    (void)state;
    dump_log();
    if (W.launcher > 0 && kill(W.launcher, SIGTERM) == 0)
        waitpid(W.launcher, NULL, 0);
    if (W.sleep_pidfd >= 0) {
        struct pollfd pfd = { W.sleep_pidfd, POLLIN, 0 };

        pidfd_send_signal(W.sleep_pidfd, SIGKILL, NULL, 0);
        poll(&pfd, 1, 5000);
        close(W.sleep_pidfd);
    }
    sv_spawn_client_free(W.spawn);
    for (int *fd = &W.listen_fd; fd <= &W.net_fd; fd++)
        if (*fd >= 0)
            close(*fd);
    remove_cgroup_group(W.launcher_pid);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", W.root);
    (void)!system(cmd);
    return 0;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_privileges(void **state)
{
    pid_t front = child_named("fake_front"), spawn = child_named("sepvirt-spawnhe");
    pid_t net = child_named("sepvirt-nethelp");

    (void)state;
    assert_true(front > 0 && spawn > 0);
    print_status("frontd (fake_front)", front);
    expect_front_confined(front);

    print_status("spawnhelper", spawn);
    expect_status(spawn, "Uid", "0\t0\t0\t0");
    expect_status(spawn, "CapEff", "0000000000000000");   /* the launcher signals */
    expect_status(spawn, "CapPrm", "0000000000000000");
    expect_status(spawn, "CapBnd", "0000000000000000");
    expect_status(spawn, "CapAmb", "0000000000000000");
    expect_status(spawn, "NoNewPrivs", "1");
    expect_status(spawn, "Seccomp", "2");

    if (!nethelper)
        return;
    assert_true(net > 0);
    print_status("nethelper", net);
    expect_status(net, "CapEff", "0000000008001000");     /* NET_ADMIN, MKNOD */
    expect_status(net, "CapPrm", "0000000008001000");
    expect_status(net, "CapBnd", "0000000008001000");
    expect_status(net, "NoNewPrivs", "1");
    expect_status(net, "Seccomp", "2");
}

static void test_spawn_jailed(void **state)
{
    struct passwd *pw = getpwnam("sepvirt-qemu");
    const char *args[] = { "1000", NULL };
    char path[128], buf[512], uid[64];
    sv_spawn_proc *procs = NULL;
    size_t n = 0;
    DIR *d;
    struct dirent *e;
    bool has_kvm = access("/dev/kvm", F_OK) == 0, saw_kvm = false, saw_sda = false;

    (void)state;
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &W.sleep_pid,
                                    &W.sleep_pidfd), 0);
    assert_true(W.sleep_pid > 0 && alive(W.sleep_pidfd));
    print_status("started kind sleep", W.sleep_pid);
    ids(pw->pw_uid, uid);
    expect_status(W.sleep_pid, "Uid", uid);
    expect_status(W.sleep_pid, "CapEff", "0000000000000000");
    expect_status(W.sleep_pid, "CapBnd", "0000000000000000");
    expect_status(W.sleep_pid, "NoNewPrivs", "1");
    /* its own /dev: a few devices, kvm handed to its user */
    snprintf(path, sizeof(path), "/proc/%d/root/dev", (int)W.sleep_pid);
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d))) {
        saw_kvm |= strcmp(e->d_name, "kvm") == 0;
        saw_sda |= strncmp(e->d_name, "sd", 2) == 0 || strcmp(e->d_name, "mem") == 0;
    }
    closedir(d);
    assert_false(saw_sda);
    assert_true(saw_kvm == has_kvm);
    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)W.sleep_pid);
    read_small(path, buf, sizeof(buf));
    snprintf(path, sizeof(path), "/sepvirt-test-%d/sleep.", (int)W.launcher);
    if (!strstr(buf, path))
        fail_msg("started process not in its cgroup leaf: %s", buf);
    /* it is the launcher's child, so it survives its helper and frontd */
    snprintf(path, sizeof(path), "%d", (int)W.launcher);
    assert_string_equal(status_of(W.sleep_pid, "PPid", buf, sizeof(buf)), path);

    assert_int_equal(sv_spawn_list(W.spawn, &procs, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(procs[0].pid, W.sleep_pid);
    assert_string_equal(procs[0].kind, "sleep");
    close(procs[0].pidfd);
    free(procs);
}

/* A probe kind: log fd as stdout, one more fd at 3, empty environment. */
static void test_spawn_fds(void **state)
{
    int out[2], extra = open("/dev/null", O_RDONLY | O_CLOEXEC), fds[2], pidfd;
    char buf[8192] = "";
    size_t len = 0;
    ssize_t r;
    pid_t pid;

    (void)state;
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    fds[0] = out[1];
    fds[1] = extra;
    assert_int_equal(sv_spawn_start(W.spawn, "probe", NULL, fds, 2, SV_SPAWN_LOG_FD, &pid,
                                    &pidfd), 0);
    close(out[1]);
    close(extra);
    while ((r = read(out[0], buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(out[0]);
    {
        struct pollfd pfd = { pidfd, POLLIN, 0 };

        /* ended: its output is complete, but tearing down its mount
         * namespace takes the kernel a moment after that */
        assert_int_equal(poll(&pfd, 1, 5000), 1);
    }
    close(pidfd);
    if (!strstr(buf, "\nfds=0,1,2,3,\n") || !strstr(buf, "\nenv=0\n") ||
        !strstr(buf, "\nNoNewPrivs=1\n") || !strstr(buf, "\nCapEff=0000000000000000\n") ||
        !strstr(buf, "\nnofile=128/128\n") || !strstr(buf, "\ndev=null:c:0:666\n") ||
        strstr(buf, "dev=kvm"))
        fail_msg("probe saw:\n%s", buf);
}

/* ---- hostile requests ------------------------------------------------------ */

static int raw_send(int fd, uint32_t magic, uint16_t version, uint16_t type, uint32_t seq,
                    const void *payload, size_t len, const int *fds, size_t nfds)
{
    sv_helper_hdr hdr = { magic, version, type, seq, (uint32_t)len };
    union { struct cmsghdr c; char buf[CMSG_SPACE(sizeof(int) * 32)]; } cbuf;
    struct iovec iov[2] = { { &hdr, sizeof(hdr) }, { (void *)payload, len } };
    struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

    if (nfds) {
        struct cmsghdr *c;

        memset(&cbuf, 0, sizeof(cbuf));
        mh.msg_control = cbuf.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

/* A START request through the raw socket: the reply's status. */
static int start_raw(const sv_spawn_start_req *req, const int *fds, size_t nfds)
{
    const sv_helper_proto *proto = sv_helper_spawn_proto();
    sv_spawn_start_rep rep;
    int got[SV_HELPER_MAX_FDS], status = 1;
    size_t ngot = 0;
    sv_helper_hdr hdr;

    assert_int_equal(raw_send(W.spawn_fd, SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION,
                              SV_SPAWN_START, 77, req, sizeof(*req), fds, nfds), 0);
    assert_int_equal(sv_helper_recv(W.spawn_fd, proto, SV_HELPER_DIR_REPLY, &hdr, &rep,
                                    sizeof(rep), got, &ngot, &status), 0);
    for (size_t i = 0; i < ngot; i++)
        close(got[i]);
    return status;
}

static void refuse_start(const char *why, const char *kind, const char *const *args, int want)
{
    pid_t pid;
    int pidfd, r = sv_spawn_start(W.spawn, kind, args, NULL, 0, 0, &pid, &pidfd);

    if (r != want)
        fail_msg("%s: got %d, want %d", why, r, want);
    print_message("refused (%s): %s\n", strerror(-r), why);
}

static void refuse_signal(const char *why, pid_t pid, int sig, int want)
{
    int r = sv_spawn_signal(W.spawn, pid, sig);

    if (r != want)
        fail_msg("%s: got %d, want %d", why, r, want);
    print_message("refused (%s): %s\n", strerror(-r), why);
}

/* Nothing changed: the launcher still has exactly its 3 (or 2) daemons and
 * the one sleep, the helper still answers, the sleep still runs. */
static void nothing_changed(void)
{
    sv_spawn_proc *procs = NULL;
    size_t n = 0;

    assert_int_equal(sv_spawn_list(W.spawn, &procs, &n), 0);
    for (size_t i = 0; i < n; i++) {
        if (procs[i].pid != W.sleep_pid)
            print_message("unexpected: %s pid %d\n", procs[i].kind, (int)procs[i].pid);
        close(procs[i].pidfd);
    }
    free(procs);
    assert_int_equal(n, 1);
    assert_true(alive(W.sleep_pidfd));
    assert_int_equal(launcher_children(), (size_t)(nethelper ? 4 : 3));
}

static void test_hostile_refused(void **state)
{
    char many[400];
    const char *too_many[SV_SPAWN_ARGC_MAX + 2];
    sv_spawn_start_req *req = calloc(1, sizeof(*req));

    (void)state;
    refuse_start("kind not configured", "nosuch", NULL, -ENOENT);
    refuse_start("kind is a path", "/bin/sh", NULL, -EINVAL);
    refuse_start("kind with a slash", "../sleep", NULL, -EINVAL);
    refuse_start("kind with upper case", "Sleep", NULL, -EINVAL);
    refuse_start("config runs it as uid 0", "rootsleep", NULL, -ENOENT);
    refuse_start("config runs it as gid 0", "rootsleep2", NULL, -ENOENT);
    refuse_start("config names a relative program", "relative", NULL, -ENOENT);
    refuse_start("config program path with ..", "dotdot", NULL, -ENOENT);
    for (size_t i = 0; i < SV_SPAWN_ARGC_MAX + 1; i++)
        too_many[i] = "x";
    too_many[SV_SPAWN_ARGC_MAX + 1] = NULL;
    refuse_start("more than 512 arguments", "sleep", too_many, -E2BIG);
    memset(many, 'a', sizeof(many) - 1);
    many[sizeof(many) - 1] = '\0';
    for (size_t i = 0; i < 83; i++)
        too_many[i] = many;
    too_many[83] = NULL;
    refuse_start("arguments over 32 KiB", "sleep", too_many, -E2BIG);
    refuse_signal("signal pid 1", 1, SIGKILL, -EPERM);
    refuse_signal("signal the launcher", W.launcher, SIGTERM, -EPERM);
    refuse_signal("signal a process it did not start (this test)", getpid(), SIGTERM, -EPERM);
    refuse_signal("signal -1 (everyone)", -1, SIGKILL, -EPERM);
    refuse_signal("SIGSTOP to its own child", W.sleep_pid, SIGSTOP, -EINVAL);
    refuse_signal("signal number 0 (probe)", W.sleep_pid, 0, -EINVAL);

    /* malformed START bodies, sent raw past the client's own checks */
    memcpy(req->kind, "sleep", 5);
    req->argc = 2;
    req->argv_len = 2;
    memcpy(req->argv, "a\0", 2);
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);        /* 2 strings claimed, 1 given */
    print_message("refused (Invalid argument): argc does not match the strings\n");
    req->argc = 1;
    req->argv[100] = 'x';
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);        /* bytes after argv_len */
    print_message("refused (Invalid argument): data after the arguments\n");
    req->argv[100] = 0;
    req->argv_len = sizeof(req->argv) + 1;
    assert_int_equal(start_raw(req, NULL, 0), -E2BIG);
    print_message("refused (Argument list too long): argv_len past the buffer\n");
    req->argv_len = 2;
    req->flags = SV_SPAWN_LOG_FD;
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);
    print_message("refused (Invalid argument): log fd flag without an fd\n");
    req->flags = 0x80;
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);
    print_message("refused (Invalid argument): unknown flag\n");
    req->flags = 0;
    req->reserved = 1;
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);
    print_message("refused (Invalid argument): reserved field set\n");
    memset(req->kind, 0, sizeof(req->kind));
    memcpy(req->kind, "sleep\0zz", 8);
    req->reserved = 0;
    assert_int_equal(start_raw(req, NULL, 0), -EINVAL);
    print_message("refused (Invalid argument): bytes after the kind's NUL\n");
    free(req);
    nothing_changed();
}

/* Leaves of kind sleep in the launcher's cgroup group (1 without one). */
static int sleep_leaves(void)
{
    char cg[128];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(cg, sizeof(cg), "/sys/fs/cgroup/unified/sepvirt-test-%d", (int)W.launcher);
    d = opendir(cg);
    if (!d)
        return 1;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, "sleep.", 6) == 0;
    closedir(d);
    return n;
}

/* Start sleep with args, check the process got exactly those arguments
 * (/proc/<pid>/cmdline), then kill it and wait for its end. */
static void start_checked(const char *const *args, size_t argc)
{
    static char cmdline[64 * 1024];
    char path[64];
    size_t want = sizeof("/usr/bin/sleep"), len = 0;
    ssize_t r;
    pid_t pid;
    int pidfd, fd;
    struct pollfd pfd;

    for (size_t i = 0; i < argc; i++)
        want += strlen(args[i]) + 1;
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &pid, &pidfd), 0);
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    while ((r = read(fd, cmdline + len, sizeof(cmdline) - len)) > 0)
        len += (size_t)r;
    close(fd);
    assert_int_equal(len, want);
    assert_memory_equal(cmdline + sizeof("/usr/bin/sleep") + strlen(args[0]) + 1,
                        args[1], strlen(args[1]) + 1);
    print_message("started sleep with %zu arguments, %zu bytes of command line\n", argc,
                  len);
    assert_int_equal(sv_spawn_signal(W.spawn, pid, SIGKILL), 0);
    pfd = (struct pollfd){ pidfd, POLLIN, 0 };
    assert_int_equal(poll(&pfd, 1, 5000), 1);
    close(pidfd);
    /* once reaped its cgroup leaf goes: only W.sleep's "sleep." leaf stays */
    for (int64_t end = now_ms() + 3000; sleep_leaves() != 1 && now_ms() < end;)
        sleep_ms(10);
    assert_int_equal(sleep_leaves(), 1);
}

/* QEMU command lines of VMs with many disks and NICs: 30 KiB of arguments
 * and 512 of them pass; more of either is refused. */
static void test_spawn_long_argv(void **state)
{
    static char zeros[1024];
    const char *args[SV_SPAWN_ARGC_MAX + 2];
    size_t n;

    (void)state;
    /* sleep adds up its arguments: "100" then 0s of 1 KiB each */
    memset(zeros, '0', sizeof(zeros) - 1);
    args[0] = "100";
    for (n = 1; n <= 30; n++)
        args[n] = zeros;
    args[n] = NULL;
    start_checked(args, n);
    for (n = 1; n < SV_SPAWN_ARGC_MAX; n++)
        args[n] = "0";
    args[n] = NULL;
    start_checked(args, n);
    args[n++] = "0";
    args[n] = NULL;
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &(pid_t){ 0 },
                                    &(int){ 0 }), -E2BIG);
    print_message("refused (Argument list too long): %zu arguments\n", n);
    for (n = 1; n <= 33; n++)
        args[n] = zeros;
    args[n] = NULL;
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &(pid_t){ 0 },
                                    &(int){ 0 }), -E2BIG);
    print_message("refused (Argument list too long): %zu bytes of arguments\n",
                  4 + 33 * sizeof(zeros));
    nothing_changed();
}

/* Flood: many requests queued before reading a single reply. */
static void test_flood(void **state)
{
    const sv_helper_proto *proto = sv_helper_spawn_proto();
    sv_spawn_signal_req req = { .pid = 1, .signo = SIGKILL };
    int sent = 0, answered = 0;

    (void)state;
    fcntl(W.spawn_fd, F_SETFL, O_NONBLOCK);
    for (int i = 0; i < 5000; i++) {
        if (raw_send(W.spawn_fd, SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION, SV_SPAWN_SIGNAL,
                     1000 + (uint32_t)i, &req, sizeof(req), NULL, 0) < 0)
            break;
        sent++;
    }
    fcntl(W.spawn_fd, F_SETFL, 0);
    for (; answered < sent; answered++) {
        sv_helper_empty_rep rep;
        int fds[SV_HELPER_MAX_FDS], status;
        size_t nfds = 0;
        sv_helper_hdr hdr;

        assert_int_equal(sv_helper_recv(W.spawn_fd, proto, SV_HELPER_DIR_REPLY, &hdr, &rep,
                                        sizeof(rep), fds, &nfds, &status), 0);
        assert_int_equal(status, -EPERM);
    }
    print_message("flood: %d queued SIGNAL requests for pid 1, all %d refused\n", sent,
                  answered);
    assert_true(sent >= 100);
    nothing_changed();
}

/* A protocol violation ends the helper; the launcher starts a new one and
 * hands frontd its socket; nothing else changes. */
static void violation(const char *why, uint32_t magic, uint16_t version, uint16_t type,
                      const void *payload, size_t len, size_t nfds)
{
    pid_t old = child_named("sepvirt-spawnhe"), now;
    int fds[32], fd;
    int64_t t0;

    for (size_t i = 0; i < nfds; i++)
        fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (magic == 0)   /* shorter than a header */
        assert_int_equal(send(W.spawn_fd, "abc", 3, MSG_NOSIGNAL), 3);
    else
        assert_int_equal(raw_send(W.spawn_fd, magic, version, type, 5, payload, len, fds, nfds),
                         0);
    for (size_t i = 0; i < nfds; i++)
        close(fds[i]);
    t0 = now_ms();
    now = wait_child("sepvirt-spawnhe", old, 3000);
    if (now == 0)
        fail_msg("%s: spawn helper %d not replaced", why, (int)old);
    fd = wait_helper_fd(SV_HELPER_ID_SPAWN, 3000);
    assert_true(fd >= 0);
    print_message("violation (%s): helper %d replaced by %d after %lld ms\n", why, (int)old,
                  (int)now, (long long)(now_ms() - t0));
    use_spawn_fd(fd);
    nothing_changed();
    /* let the new helper age past the launcher's crash-loop back-off */
    sleep_ms(1100);
}

static void test_protocol_violations(void **state)
{
    sv_spawn_start_req *start = calloc(1, sizeof(*start) + 8);
    sv_spawn_signal_req sig = { .pid = 1, .signo = SIGTERM };

    (void)state;
    memcpy(start->kind, "sleep", 5);
    violation("unknown type", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION, 99, &sig, sizeof(sig), 0);
    violation("short message", 0, 0, 0, NULL, 0, 0);
    violation("long message", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION, SV_SPAWN_SIGNAL,
              start, sizeof(sig) + 4, 0);
    violation("wrong size", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION, SV_SPAWN_START,
              start, sizeof(*start) - 1, 0);
    violation("bad magic", 0x12345678, SV_HELPER_SPAWN_VERSION, SV_SPAWN_SIGNAL, &sig,
              sizeof(sig), 0);
    violation("wrong version", SV_HELPER_MAGIC, 77, SV_SPAWN_SIGNAL, &sig, sizeof(sig), 0);
    violation("a reply sent as request", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION,
              SV_SPAWN_SIGNAL | SV_HELPER_REPLY, &sig, sizeof(sig), 0);
    violation("fds on a request that takes none", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION,
              SV_SPAWN_SIGNAL, &sig, sizeof(sig), 1);
    violation("too many fds (20)", SV_HELPER_MAGIC, SV_HELPER_SPAWN_VERSION, SV_SPAWN_START,
              start, sizeof(*start), 20);
    free(start);
}

static void test_sigkill_restarts(void **state)
{
    static const char *const names[] = { "sepvirt-spawnhe", "sepvirt-nethelp", "fake_front" };

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        pid_t old = child_named(names[i]), now;
        int64_t t0;

        if (i == 1 && !nethelper)
            continue;
        assert_true(old > 0);
        t0 = now_ms();
        assert_int_equal(kill(old, SIGKILL), 0);
        now = wait_child(names[i], old, 1000);
        if (now == 0) {
            dump_log();
            fail_msg("%s not restarted within a second", names[i]);
        }
        print_message("SIGKILL %s (pid %d): new pid %d after %lld ms; started process "
                      "still running\n", names[i], (int)old, (int)now,
                      (long long)(now_ms() - t0));
        assert_true(alive(W.sleep_pidfd));
        if (i == 0)
            use_spawn_fd(wait_helper_fd(SV_HELPER_ID_SPAWN, 1000));
        if (i == 1)
            assert_true(wait_helper_fd(SV_HELPER_ID_NET, 1000) >= 0);
        if (i == 2) {
            /* the new frontd gets the running helpers' sockets */
            accept_front(2000);
            use_spawn_fd(fcntl(W.spawn_fd, F_DUPFD_CLOEXEC, 3));
        }
        nothing_changed();
    }
    /* the restarted helper knows the process started by its predecessor */
    assert_int_equal(sv_spawn_signal(W.spawn, W.sleep_pid, SIGHUP), 0);
    sleep_ms(200);
    assert_false(alive(W.sleep_pidfd));   /* sleep dies of SIGHUP */
    close(W.sleep_pidfd);
    W.sleep_pidfd = -1;
}

/* SIGHUP re-reads spawn.conf: a kind removed is refused, a kind added can
 * be started; what runs keeps running. */
static void test_reload(void **state)
{
    const char *args[] = { "1000", NULL };
    char path[128];
    pid_t pid;
    int pidfd;

    (void)state;
    snprintf(path, sizeof(path), "%s/config/spawn.conf", W.root);
    write_file(path, "sleep  /usr/bin/sleep sepvirt-qemu sepvirt-qemu\n"
                     "sleep2 /usr/bin/sleep sepvirt-qemu sepvirt-qemu\n");
    assert_int_equal(kill(W.launcher, SIGHUP), 0);
    sleep_ms(200);
    assert_int_equal(sv_spawn_start(W.spawn, "probe", NULL, NULL, 0, 0, &pid, &pidfd), -ENOENT);
    assert_int_equal(sv_spawn_start(W.spawn, "sleep2", args, NULL, 0, 0, &pid, &pidfd), 0);
    assert_int_equal(sv_spawn_signal(W.spawn, pid, SIGKILL), 0);
    {
        struct pollfd pfd = { pidfd, POLLIN, 0 };

        assert_int_equal(poll(&pfd, 1, 5000), 1);
    }
    close(pidfd);
    print_message("SIGHUP: spawn.conf re-read (kind removed refused, kind added started)\n");
}

static void test_sigterm_leaves_vms(void **state)
{
    const char *args[] = { "1000", NULL };
    char cg[128];
    int status;

    (void)state;
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &W.sleep_pid,
                                    &W.sleep_pidfd), 0);
    assert_int_equal(kill(W.launcher, SIGTERM), 0);
    assert_int_equal(waitpid(W.launcher, &status, 0), W.launcher);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(alive(W.sleep_pidfd));
    print_message("SIGTERM: launcher exited 0, started process %d still running\n",
                  (int)W.sleep_pid);
    /* its leaf stays while it runs; cleaned up by the next launcher or here */
    snprintf(cg, sizeof(cg), "/sys/fs/cgroup/unified/sepvirt-test-%d", (int)W.launcher);
    assert_int_equal(access(cg, F_OK), 0);
    W.launcher = 0;
}

/* ---- the real frontd --------------------------------------------------------- */

static void test_real_frontd(void **state)
{
    char sock[128];
    pid_t front;

    (void)state;
    front = wait_child("sepvirt-frontd", 0, 3000);
    assert_true(front > 0);
    sleep_ms(500);   /* running, not just exec'ed */
    assert_int_equal(child_named("sepvirt-frontd"), front);
    print_status("sepvirt-frontd", front);
    expect_front_confined(front);
    snprintf(sock, sizeof(sock), "%s/run/sepvirt-sock", W.root);
    assert_int_equal(access(sock, F_OK), 0);
}

/* The whole path: stock virsh → frontd (confined) → spawn helper → the
 * launcher's jail → QEMU as sepvirt-qemu, the launcher's child; destroy
 * goes back the same way.  Needs virsh and qemu-system-x86_64. */
static void test_real_frontd_starts_qemu(void **state)
{
    struct passwd *pw = getpwnam("sepvirt-qemu");
    char cmd[1024], xml[160], uid[64], ppid[32], buf[64], dev[128];
    pid_t qemu = 0;
    size_t n = 0;
    DIR *d;
    struct dirent *e;

    (void)state;
    if (access("/usr/bin/virsh", X_OK) != 0 || access("/usr/bin/qemu-system-x86_64", X_OK) != 0) {
        print_message("no virsh or qemu-system-x86_64: skipped\n");
        return;
    }
    snprintf(xml, sizeof(xml), "%s/t1.xml", W.root);
    write_file(xml, "<domain type='qemu'><name>t1</name><memory unit='MiB'>64</memory>"
                    "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                    "<features><acpi/></features></domain>\n");
    snprintf(cmd, sizeof(cmd), "U='qemu+unix:///system?socket=%s/run/sepvirt-sock'; "
             "virsh -q -c \"$U\" define %s >/dev/null && virsh -q -c \"$U\" start t1 >/dev/null",
             W.root, xml);
    assert_int_equal(system(cmd), 0);
    qemu = wait_child("qemu-system-x86", 0, 5000);
    assert_true(qemu > 0);
    print_status("qemu started through frontd", qemu);
    expect_status(qemu, "Uid", ids(pw->pw_uid, uid));
    expect_status(qemu, "CapEff", "0000000000000000");
    expect_status(qemu, "NoNewPrivs", "1");
    snprintf(ppid, sizeof(ppid), "%d", (int)W.launcher);
    assert_string_equal(status_of(qemu, "PPid", buf, sizeof(buf)), ppid);
    snprintf(dev, sizeof(dev), "/proc/%d/root/dev", (int)qemu);
    assert_non_null(d = opendir(dev));
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    assert_true(n <= 9);   /* null zero full random urandom fd, kvm and net/ if present */
    snprintf(cmd, sizeof(cmd), "virsh -q -c 'qemu+unix:///system?socket=%s/run/sepvirt-sock' "
             "destroy t1 >/dev/null", W.root);
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < 100 && child_named("qemu-system-x86") == qemu; i++)
        sleep_ms(50);
    assert_int_not_equal(child_named("qemu-system-x86"), qemu);
}

/* Session mode: the same processes as the user, no capabilities at all,
 * still no_new_privs and seccomp; started processes as the user too. */
static void test_session(void **state)
{
    static const char *const names[] = { "fake_front", "sepvirt-spawnhe", "sepvirt-nethelp" };
    const char *args[] = { "1000", NULL };
    char uid[64];

    (void)state;
    ids(SESSION_UID, uid);
    for (size_t i = 0; i < 3; i++) {
        pid_t p = child_named(names[i]);

        if (i == 2 && !nethelper)
            continue;
        assert_true(p > 0);
        print_status(names[i], p);
        expect_status(p, "Uid", uid);
        expect_status(p, "CapEff", "0000000000000000");
        expect_status(p, "CapPrm", "0000000000000000");
        expect_status(p, "NoNewPrivs", "1");
        expect_status(p, "Seccomp", "2");
    }
    assert_int_equal(sv_spawn_start(W.spawn, "sleep", args, NULL, 0, 0, &W.sleep_pid,
                                    &W.sleep_pidfd), 0);
    print_status("started kind sleep (session)", W.sleep_pid);
    expect_status(W.sleep_pid, "Uid", uid);
    expect_status(W.sleep_pid, "NoNewPrivs", "1");
    assert_int_equal(sv_spawn_signal(W.spawn, W.sleep_pid, SIGTERM), 0);
    {
        struct pollfd pfd = { W.sleep_pidfd, POLLIN, 0 };

        assert_int_equal(poll(&pfd, 1, 5000), 1);
    }
}

static int setup_real(void **state)
{
    (void)state;
    return start_world(frontd, false);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest fake[] = {
        cmocka_unit_test(test_privileges),
        cmocka_unit_test(test_spawn_jailed),
        cmocka_unit_test(test_spawn_fds),
        cmocka_unit_test(test_hostile_refused),
        cmocka_unit_test(test_spawn_long_argv),
        cmocka_unit_test(test_flood),
        cmocka_unit_test(test_protocol_violations),
        cmocka_unit_test(test_sigkill_restarts),
        cmocka_unit_test(test_reload),
        cmocka_unit_test(test_sigterm_leaves_vms),
    };
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_real_frontd),
        cmocka_unit_test(test_real_frontd_starts_qemu),
    };
    const struct CMUnitTest session[] = {
        cmocka_unit_test(test_session),
    };
    int r;

    if (argc < 6 || geteuid() != 0 || !getpwnam("sepvirt") || !getpwnam("sepvirt-qemu")) {
        fprintf(stderr, "test_launcher: needs root, the sepvirt users and the binaries; "
                        "skipped\n");
        return 77;
    }
    sepvirtd = realpath(argv[1], NULL);
    spawnhelper = realpath(argv[2], NULL);
    nethelper = strcmp(argv[3], "-") ? realpath(argv[3], NULL) : NULL;
    fake_front = realpath(argv[4], NULL);
    probe = realpath(argv[5], NULL);
    frontd = argc > 6 && strcmp(argv[6], "-") ? realpath(argv[6], NULL) : NULL;
    if (!sepvirtd || !spawnhelper || !fake_front || !probe)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    r = cmocka_run_group_tests_name("launcher, fake frontd", fake, setup_fake, teardown_world);
    if (frontd)
        r |= cmocka_run_group_tests_name("launcher, real frontd", real, setup_real,
                                         teardown_world);
    r |= cmocka_run_group_tests_name("launcher, session mode", session, setup_session,
                                     teardown_world);
    return r;
}
