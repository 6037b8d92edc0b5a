/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's floor for one RPC round trip on this machine: two processes
 * bounce a 36-byte "call" and a 56-byte "reply" (the sizes of a
 * lookupByName call and reply) over a Unix stream socket, with no work in
 * between.  Printed for three placements: both on one CPU (two context
 * switches per round trip), on two CPUs with the server blocking in read
 * (two cross-CPU wake-ups), and on two CPUs with the server polling (one
 * wake-up, the client's).  bench/run-rpc.sh prints these next to its
 * results to show how much of a call is the kernel's and the machine's.
 *
 *   cc -O2 -o pingpong bench/pingpong.c && ./pingpong [ROUNDS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) < 0) {
        perror("sched_setaffinity");
        exit(1);
    }
}

static int full_io(int fd, char *buf, size_t len, int writing)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = writing ? write(fd, buf + done, len - done) : read(fd, buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            continue;               /* the polling server spins here */
        }
        return -1;
    }
    return 0;
}

/* Mean round trip in microseconds. */
static double run(int server_cpu, int client_cpu, int server_polls, int rounds)
{
    char buf[64] = {0};
    struct timespec a, b;
    int sv[2], status;
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        perror("socketpair");
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        close(sv[0]);
        pin(server_cpu);
        if (server_polls)
            fcntl(sv[1], F_SETFL, O_NONBLOCK);
        while (full_io(sv[1], buf, 36, 0) == 0 && full_io(sv[1], buf, 56, 1) == 0)
            ;
        _exit(0);
    }
    close(sv[1]);
    pin(client_cpu);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < rounds; i++) {
        struct pollfd p = { .fd = sv[0], .events = POLLIN };

        if (full_io(sv[0], buf, 36, 1) < 0 || poll(&p, 1, -1) < 0 ||
            full_io(sv[0], buf, 56, 0) < 0) {
            perror("round trip");
            kill(pid, SIGKILL);
            exit(1);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    close(sv[0]);                   /* the server reads EOF and exits */
    waitpid(pid, &status, 0);
    return ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / rounds / 1e3;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 100000;

    if (rounds <= 0) {
        fprintf(stderr, "usage: pingpong [ROUNDS]\n");
        return 2;
    }
    printf("kernel round-trip floor (%d round trips, 36-byte call, 56-byte reply):\n", rounds);
    printf("  one CPU (two context switches):            %6.1f us\n", run(0, 0, 0, rounds));
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return 0;
    printf("  two CPUs, server blocks (two wake-ups):    %6.1f us\n", run(0, 1, 0, rounds));
    printf("  two CPUs, server polls (one wake-up):      %6.1f us\n", run(0, 1, 1, rounds));
    return 0;
}
