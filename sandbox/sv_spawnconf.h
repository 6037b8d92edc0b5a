/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spawn.conf: the kinds of process the spawn helper may start, read by the
 * launcher from its root-owned config directory.  One kind per line:
 *
 *     # kind  program                      user          group         options
 *     qemu    /usr/bin/qemu-system-x86_64  sepvirt-qemu  sepvirt-qemu  devices=kvm,net/tun
 *     passt   /usr/bin/passt               sepvirt-qemu  sepvirt-qemu
 *
 * Options: devices=a,b (the jail's /dev gets these besides null, zero,
 * full, random, urandom), nofile=N (RLIMIT_NOFILE, default 4096),
 * caps=name,... (ambient capabilities, e.g. net_bind_service for dnsmasq).
 * user/group are names or numbers; "-" keeps the launcher's own, which is
 * only accepted in session mode.  A line that would run a program as uid
 * or gid 0, names a program that is not an absolute path to a regular file
 * writable by its owner only, or is otherwise wrong, is refused (logged and
 * left out): that kind cannot be started.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SV_SPAWNCONF_KINDS_MAX 16
#define SV_SPAWNCONF_DEVICES_MAX 8
#define SV_SPAWNCONF_CAPS_MAX 8
#define SV_SPAWNCONF_NAME_MAX 16

typedef struct sv_spawn_kind {
    char name[SV_SPAWNCONF_NAME_MAX];
    char path[256];
    uid_t uid;                      /* SV_CAPS_KEEP_IDS for "-" */
    gid_t gid;
    unsigned long nofile;
    char device_names[SV_SPAWNCONF_DEVICES_MAX + 5][24];
    const char *devices[SV_SPAWNCONF_DEVICES_MAX + 6];  /* NULL-terminated */
    int caps[SV_SPAWNCONF_CAPS_MAX];
    size_t n_caps;
} sv_spawn_kind;

typedef struct sv_spawnconf {
    sv_spawn_kind kinds[SV_SPAWNCONF_KINDS_MAX];
    size_t n;
} sv_spawnconf;

/*
 * Read path into *ret (emptied first).  The file must belong to owner and
 * not be writable by group or others; in session mode ("-" ids allowed)
 * owner is the user, in system mode root.  Returns 0, or -errno when the
 * file cannot be used at all (a missing file is -ENOENT: no kinds).  In
 * session mode a missing file means the built-in default, the two lines
 * "qemu /usr/bin/qemu-system-x86_64 - -" and "passt /usr/bin/passt - -"
 * (each left out when its program is missing), and returns 0.
 * Refused lines are logged to stderr and counted in *ret_refused.
 */
int sv_spawnconf_load(const char *path, uid_t owner, bool session, sv_spawnconf *ret,
                      unsigned *ret_refused);

const sv_spawn_kind *sv_spawnconf_find(const sv_spawnconf *c, const char *name);
