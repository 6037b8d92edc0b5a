/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Jailed fork+exec: see sv_jail.h. */
#include "sv_jail.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum step {
    ST_SIGNALS, ST_SESSION, ST_CGROUP, ST_FDS, ST_MOUNTNS, ST_DEV, ST_RO_ROOT,
    ST_RLIMIT, ST_CAPS, ST_PDEATHSIG, ST_SECCOMP, ST_EXEC,
} step;

static const char *const step_names[] = {
    "signals", "setsid", "cgroup", "file descriptors", "mount namespace",
    "/dev", "read-only root", "resource limits", "capabilities and ids",
    "parent death signal", "seccomp", "exec",
};

typedef struct child_report {
    int32_t step;
    int32_t err;
} child_report;

static _Noreturn void child_fail(int pipe_w, step st, int err)
{
    child_report rep = { (int32_t)st, err > 0 ? err : EIO };

    (void)!write(pipe_w, &rep, sizeof(rep));
    _exit(127);
}

/* Put the listed fds at their numbers, whatever they were before (sources
 * and destinations may overlap: copies above the targets first), and close
 * everything else except the two fds above the limit that exec needs. */
static int remap_fds(const sv_jail *j, int exec_fd)
{
    int tmp[SV_JAIL_MAX_FDS];

    for (size_t i = 0; i < j->n_fds; i++)
        if ((tmp[i] = fcntl(j->fds[i].src, F_DUPFD_CLOEXEC, SV_JAIL_MAX_DST + 1)) < 0)
            return -errno;
    if (close_range(0, SV_JAIL_MAX_DST, 0) < 0)
        return -errno;
    for (size_t i = 0; i < j->n_fds; i++)
        if (dup2(tmp[i], j->fds[i].dst) < 0)
            return -errno;
    if (close_range(SV_JAIL_MAX_DST + 1, (unsigned)exec_fd - 1, 0) < 0 ||
        close_range((unsigned)exec_fd + 2, ~0u, 0) < 0)
        return -errno;
    return 0;
}

static int set_limit(int res, rlim_t v)
{
    struct rlimit rl = { v, v };

    return setrlimit(res, &rl) < 0 ? -errno : 0;
}

/*
 * The pathname execveat gets.  Page 0 lies below vm.mmap_min_addr: only a
 * process with CAP_SYS_RAWIO (the launcher's child, before it drops
 * capabilities) can map it, and the new image never can, so the filter's
 * "pathname pointer == 0" check cannot be met again after exec.  Without
 * that right (session mode) a static "" is used: the check is then weaker,
 * and so is nothing else there, the process being the user's own.
 */
static const char *exec_pathname(void)
{
    static const char empty[] = "";
    void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);

    return p == NULL ? NULL : empty;
}

static _Noreturn void child_run(const sv_jail *j, int exec_fd, int pipe_w, int nofile, pid_t parent)
{
    struct rlimit rl;
    const char *path;
    sigset_t none;
    int r;

    sigemptyset(&none);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);   /* fails harmlessly for KILL, STOP, RT gaps */
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        child_fail(pipe_w, ST_SIGNALS, errno);
    if (setsid() < 0)
        child_fail(pipe_w, ST_SESSION, errno);
    if (j->cgroup_fd >= 0 && write(j->cgroup_fd, "0", 1) != 1)
        child_fail(pipe_w, ST_CGROUP, errno);

    /* exec's fd sits at the new RLIMIT_NOFILE, the report pipe right above:
     * once the limit is lowered no later fd can take either number. */
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 ||
        (rl.rlim_cur = rl.rlim_max, setrlimit(RLIMIT_NOFILE, &rl) < 0) ||
        dup3(exec_fd, nofile, O_CLOEXEC) < 0 || dup3(pipe_w, nofile + 1, O_CLOEXEC) < 0)
        child_fail(pipe_w, ST_FDS, errno);
    pipe_w = nofile + 1;
    if ((r = remap_fds(j, nofile)) < 0)
        child_fail(pipe_w, ST_FDS, -r);

    if (j->flags & SV_JAIL_NEWNS) {
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
            child_fail(pipe_w, ST_MOUNTNS, errno);
        if (j->devices && (r = sv_jail_dev(j->devices, j->uid, j->gid)) < 0)
            child_fail(pipe_w, ST_DEV, -r);
        if ((j->flags & SV_JAIL_RO_ROOT) && (r = sv_jail_ro_root(j->rw_paths)) < 0)
            child_fail(pipe_w, ST_RO_ROOT, -r);
    }

    if ((r = set_limit(RLIMIT_NOFILE, (rlim_t)nofile)) < 0 ||
        (r = set_limit(RLIMIT_CORE, 0)) < 0 ||
        (j->nproc && (r = set_limit(RLIMIT_NPROC, j->nproc)) < 0))
        child_fail(pipe_w, ST_RLIMIT, -r);

    path = exec_pathname();
    if ((r = sv_caps_keep(j->caps, j->n_caps, j->uid, j->gid)) < 0)
        child_fail(pipe_w, ST_CAPS, -r);
    /* After the id change, which clears it; a parent gone before this
     * point is caught by the getppid check. */
    if ((j->flags & SV_JAIL_PDEATHSIG) &&
        (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent))
        child_fail(pipe_w, ST_PDEATHSIG, ESRCH);

    if (j->seccomp) {
        sv_sc_exec ex = { .fd = nofile, .empty = path };

        if ((r = sv_seccomp_load(j->seccomp, &ex)) < 0)
            child_fail(pipe_w, ST_SECCOMP, -r);
    } else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        child_fail(pipe_w, ST_SECCOMP, errno);

    syscall(SYS_execveat, nofile, path, j->argv, j->envp ? j->envp : (char *const[]){ NULL },
            AT_EMPTY_PATH);
    child_fail(pipe_w, ST_EXEC, errno);
}

static int check_args(const sv_jail *j, int *ret_nofile)
{
    struct rlimit rl;
    rlim_t want = j->nofile ? j->nofile : 1024;

    if (!j->path || j->path[0] != '/' || !j->argv || !j->argv[0] ||
        j->n_fds > SV_JAIL_MAX_FDS || (j->flags & SV_JAIL_RO_ROOT && !(j->flags & SV_JAIL_NEWNS)))
        return -EINVAL;
    for (size_t i = 0; i < j->n_fds; i++)
        if (j->fds[i].dst < 0 || j->fds[i].dst > SV_JAIL_MAX_DST || j->fds[i].src < 0)
            return -EBADF;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -errno;
    /* Room for exec's fd and the report pipe below the hard limit, which
     * root cannot raise here (no CAP_SYS_RESOURCE). */
    if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max - 2)
        want = rl.rlim_max - 2;
    if (want > 1u << 20)
        want = 1u << 20;
    if (want < SV_JAIL_MAX_DST + 2)
        return -EMFILE;
    *ret_nofile = (int)want;
    return 0;
}

int sv_jail_spawn(const sv_jail *j, pid_t *ret_pid, int *ret_pidfd)
{
    child_report rep;
    pid_t parent = getpid(), pid = -1;
    int exec_fd, p[2] = { -1, -1 }, pidfd, nofile = 0, r;
    ssize_t n;

    if ((r = check_args(j, &nofile)) < 0)
        return r;
    exec_fd = open(j->path, O_PATH | O_CLOEXEC);
    if (exec_fd < 0 || pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
        r = -errno;
    if (pid == 0) {
        close(p[0]);
        child_run(j, exec_fd, p[1], nofile, parent);
    }
    if (exec_fd >= 0)
        close(exec_fd);
    if (p[1] >= 0)
        close(p[1]);
    if (r < 0) {
        if (p[0] >= 0)
            close(p[0]);
        fprintf(stderr, "sepvirt jail: %s: %s\n", j->path, strerror(-r));
        return r;
    }
    /* The child is ours and not reaped, so its pid cannot be reused
     * before pidfd_open. */
    pidfd = pidfd_open(pid, 0);
    r = pidfd < 0 ? -errno : -EIO;
    do
        n = read(p[0], &rep, sizeof(rep));
    while (n < 0 && errno == EINTR);
    close(p[0]);
    if (n == 0 && pidfd >= 0) {
        *ret_pid = pid;
        *ret_pidfd = pidfd;
        return 0;
    }
    if (n == (ssize_t)sizeof(rep) && rep.step >= 0 && rep.step <= ST_EXEC) {
        r = -rep.err;
        fprintf(stderr, "sepvirt jail: %s: %s: %s\n", j->path, step_names[rep.step],
                strerror(rep.err));
    }
    if (pidfd >= 0)
        close(pidfd);
    if (n == 0)
        kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    return r;
}
