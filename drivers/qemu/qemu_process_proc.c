/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Processes of a guest (QEMU, passt) as frontd sees them.  Normally the
 * spawn helper started them and frontd holds a pidfd: it tells reliably
 * when the process ended, and the helper signals through it.  A guest
 * started under an earlier sepvirtd (the launcher itself was restarted) is
 * not in the new spawn helper's table: frontd then recognises the process
 * by pid and start time in /proc, watches it the same way, and ends QEMU
 * through its monitor ("quit") instead of a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helper_conn.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"

int qemu_proc_read_stat(pid_t pid, qemu_proc_stat *ret)
{
    char path[64], buf[1024], *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* The command name may contain anything: fields start after the last ')'. */
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d "
                            "%*d %*d %llu", &ret->state, &ret->utime, &ret->stime,
                     &ret->starttime) != 4)
        return -1;
    return 0;
}

unsigned long long qemu_proc_starttime(pid_t pid)
{
    qemu_proc_stat st;

    return pid > 0 && qemu_proc_read_stat(pid, &st) == 0 && st.state != 'Z' ? st.starttime : 0;
}

bool qemu_proc_alive(const qemu_proc *p)
{
    struct pollfd pfd = { p->pidfd, POLLIN, 0 };

    if (p->pid <= 0)
        return false;
    if (p->pidfd >= 0)
        return poll(&pfd, 1, 0) == 0;
    return p->pstart && qemu_proc_starttime(p->pid) == p->pstart;
}

bool qemu_proc_wait(const qemu_proc *p, int timeout_ms)
{
    struct timespec end, now;

    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += timeout_ms / 1000;
    end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    for (;;) {
        long left;
        int r;

        if (!qemu_proc_alive(p))
            return true;
        clock_gettime(CLOCK_MONOTONIC, &now);
        left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
        if (left <= 0)
            return false;
        if (p->pidfd >= 0) {
            struct pollfd pfd = { p->pidfd, POLLIN, 0 };

            r = poll(&pfd, 1, (int)left);
            if (r > 0)
                return true;
            if (r < 0 && errno != EINTR)
                return false;
        } else {
            /* No pidfd to wait on: look again shortly. */
            struct timespec ts = { 0, 20 * 1000000L };

            nanosleep(&ts, NULL);
        }
    }
}

int qemu_proc_signal(const qemu_proc *p, int signo)
{
    sv_spawn_client *spawn;

    if (p->pidfd < 0) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED,
                  "process %d was started by an earlier sepvirtd: it cannot be signalled",
                  (int)p->pid);
        return -1;
    }
    spawn = sv_helper_conn_spawn();
    if (!spawn || sv_spawn_signal(spawn, p->pid, signo) < 0)
        return -1;
    return 0;
}

bool qemu_proc_end(const qemu_proc *p, int signo, int timeout_ms)
{
    if (!qemu_proc_alive(p))
        return true;
    if (qemu_proc_signal(p, signo) < 0)
        return false;
    return qemu_proc_wait(p, timeout_ms);
}

void qemu_proc_clear(qemu_proc *p)
{
    if (p->pidfd >= 0)
        close(p->pidfd);
    *p = (qemu_proc){ .pidfd = -1 };
}
