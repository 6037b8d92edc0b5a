/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared harness of the net helper integration tests.  They run inside a
 * network namespace made by netns-run.sh, start the real sepvirt-nethelper
 * on one end of a socketpair, confined the way the launcher does it
 * (sandbox/sv_jail.h), and print TAP.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "helper_net_client.h"

/* TAP */
void nh_ok(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nh_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan; the exit status for main. */
int nh_done(void);

/* Run a shell command; returns its exit status.  */
int nh_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `ip -o link show` of the namespace without the per-packet noise, malloc'ed. */
char *nh_links(void);
/* true if `ip -o link show dev NAME` output contains needle. */
bool nh_link_has(const char *name, const char *needle);
bool nh_link_exists(const char *name);

/* A per-run directory (removed at exit) and files in it. */
const char *nh_workdir(void);
char *nh_path(const char *base);
void nh_write_file(const char *path, const char *text, int mode);

typedef struct nh_helper {
    pid_t pid;
    int raw;                 /* our end of the socketpair, for raw messages */
    sv_net_client *client;   /* typed calls over a dup of raw */
    char *conf;
    char *state;
} nh_helper;

/* The helper binary, from argv[1]. */
void nh_set_binary(const char *path);
/* Start a helper with this config and state file, confined as sepvirtd
 * confines it; 0 or -1.  The _private_dev variant gives it a private /dev
 * (a tmpfs without /dev/tapN: a host without devtmpfs or udev) and keeps
 * only dir writable. */
int nh_start(nh_helper *h, const char *conf, const char *state);
int nh_start_private_dev(nh_helper *h, const char *conf, const char *state, const char *dir);
/* Close our ends and wait: the helper's exit code, or 128 + signal. */
int nh_stop(nh_helper *h);
/* Wait (up to ms) for the helper to exit by itself: exit code, 128+signal,
 * or -1 if it is still running. */
int nh_wait_exit(nh_helper *h, int ms);
/* SIGKILL it, as a crash would. */
void nh_kill(nh_helper *h);

/* Write a frame (broadcast, our ethertype, unique payload) to fd and look
 * for it on interface capture_if with an AF_PACKET socket. */
bool nh_frame_seen(int fd, const char *capture_if);

void nh_close_fds(int *fds, size_t n);

/* sendmsg of buf with nfds (up to 32) fds, bypassing every check of the
 * codec's sender; true if the whole datagram went out. */
bool nh_raw_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds);
