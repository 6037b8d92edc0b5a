/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-frontd.conf: a small "key = value" file (libvirtd.conf style:
 * '#' comments, values optionally in double quotes).  Unknown keys and bad
 * values are errors naming the line, so a typo in a security setting is
 * never silently ignored.
 *
 *   unix_sock_group      group owning the sockets (default: daemon's group)
 *   unix_sock_ro_perms   octal mode of the read-only socket
 *                        (default 0777 system, 0700 session)
 *   unix_sock_rw_perms   octal mode of the read-write socket (default 0700)
 *   max_clients          connections accepted at once (default 1024)
 *   max_workers          worker threads (default 4)
 *   max_client_requests  calls one client may have in flight (default 16)
 *   busy_poll_us         longest time the event loop keeps polling for the
 *                        next call before it sleeps, in microseconds
 *                        (default 200; 0: always sleep; see busypoll.h)
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#define SV_FRONTD_CONFIG_FILE "sepvirt-frontd.conf"

typedef struct sv_frontd_config {
    char *unix_sock_group;          /* NULL: leave the group alone */
    mode_t unix_sock_ro_perms;
    mode_t unix_sock_rw_perms;
    unsigned max_clients;
    unsigned max_workers;
    unsigned max_client_requests;
    unsigned busy_poll_us;
} sv_frontd_config;

/* Defaults for system or session mode. */
void sv_frontd_config_defaults(sv_frontd_config *cfg, bool session);

/* Read path over the defaults already in cfg; a missing file is not an
 * error.  Returns 0 or -1 with sv_error set ("<path>:<line>: ..."). */
int sv_frontd_config_load(sv_frontd_config *cfg, const char *path);

void sv_frontd_config_clear(sv_frontd_config *cfg);
