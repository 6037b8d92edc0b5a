/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain definition → QEMU command line.
 *
 * The builder is pure: it performs no I/O and opens nothing.  Everything
 * QEMU needs from the host arrives as file descriptors prepared by others
 * (tap fds from the net helper, disk fds and the monitor socket from
 * frontd); the context says which fd number each has inside QEMU, so the
 * same input always gives the same argv (golden tests rely on that).
 */
#pragma once

#include <stdbool.h>

#include "domain_conf.h"

typedef enum sv_qemu_net_backend_kind {
    SV_QEMU_NET_TAP,        /* fd: a tap device fd */
    SV_QEMU_NET_PASST,      /* fd: our end of a socketpair with passt */
    SV_QEMU_NET_USER,       /* QEMU's built-in user networking; fd unused */
} sv_qemu_net_backend_kind;

typedef struct sv_qemu_net_backend {
    sv_qemu_net_backend_kind kind;
    int fd;
} sv_qemu_net_backend;

typedef struct sv_qemu_build_ctx {
    const char *emulator;           /* used when the domain names none */
    int monitor_fd;                 /* listening QMP socket (required) */
    const sv_qemu_net_backend *nets; /* one per def->nets[i] */
    const int *disk_fds;            /* one per def->disks[i]: fd, or -1 = no medium / use path */
    const int *serial_fds;          /* one per def->serials[i]: listening socket for pty serials, -1 = real pty */
    const int *serial_log_fds;      /* NULL, or one per def->serials[i]: fd (open for writing)
                                       QEMU copies the port's output to, -1 = none */
    const int *channel_fds;         /* one per def->channels[i]: listening socket, -1 = path */
    const int *vnc_ports;           /* one per def->graphics[i]: resolved TCP port (autoport) */
} sv_qemu_build_ctx;

/* Build argv (NULL-terminated, argv[0] the emulator).  Returns 0, or -1
 * with sv_error set (code CONFIG_UNSUPPORTED naming what cannot be
 * expressed).  Free with sv_qemu_argv_free(). */
int sv_qemu_build_argv(const sv_domain_def *def, const sv_qemu_build_ctx *ctx, char ***ret_argv);
void sv_qemu_argv_free(char **argv);
/* Format argv as one shell-quoted line (for logs and golden files). */
char *sv_qemu_argv_to_string(char *const *argv);
