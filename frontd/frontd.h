/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Daemon-wide facts every module may read: the mode and the directories.
 * Set once by main.c before any client is served; read-only afterwards.
 */
#pragma once

#include <stdbool.h>

typedef struct sv_frontd_paths {
    bool session;           /* session (per-user) daemon, else system */
    char *config_dir;       /* persistent config: domains, networks, conf file */
    char *state_dir;        /* runtime-independent state (images, status) */
    char *runtime_dir;      /* sockets, pid file */
} sv_frontd_paths;

const sv_frontd_paths *sv_frontd_paths_get(void);
void sv_frontd_paths_set(const sv_frontd_paths *p);

/* "qemu:///session" or "qemu:///system". */
const char *sv_frontd_uri(void);
