/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spawn.conf: see sv_spawnconf.h.  The file is root's own (trusted), but a
 * mistake in it must never start something as root or from a path another
 * user could replace, so every field is checked. */
#include "sv_spawnconf.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sv_conffile.h"

#define CONF_MAX_SIZE 65536

static const char *const default_devices[] = { "null", "zero", "full", "random", "urandom" };

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"

/* Not empty, shorter than max, only characters of set, no "..". */
static bool name_ok(const char *s, size_t max, const char *set)
{
    size_t n = strlen(s);

    return n > 0 && n < max && strspn(s, set) == n && !strstr(s, "..");
}

static int parse_id(const char *s, bool user, bool session, unsigned *ret)
{
    char *end;
    unsigned long v;

    if (strcmp(s, "-") == 0) {
        *ret = (unsigned)-1;   /* the launcher's own: session mode only */
        return session ? 0 : -EPERM;
    }
    errno = 0;
    v = strtoul(s, &end, 10);
    if (*end || end == s || errno) {
        struct passwd *pw = user ? getpwnam(s) : NULL;
        struct group *gr = user ? NULL : getgrnam(s);

        if (!pw && !gr)
            return -ENOENT;
        v = pw ? pw->pw_uid : gr->gr_gid;
    }
    if (v == 0 || v >= (unsigned)-1)
        return -EPERM;   /* never root */
    *ret = (unsigned)v;
    return 0;
}

/* nofile=N, devices=a,b or caps=name,... */
static int parse_option(char *opt, sv_spawn_kind *k)
{
    bool caps = strncmp(opt, "caps=", 5) == 0;
    char *save = NULL, *end;

    if (strncmp(opt, "nofile=", 7) == 0) {
        k->nofile = strtoul(opt + 7, &end, 10);
        return *end || k->nofile < 64 || k->nofile > 1u << 20 ? -EINVAL : 0;
    }
    if (!caps && strncmp(opt, "devices=", 8) != 0)
        return -EINVAL;
    for (char *item = strtok_r(strchr(opt, '=') + 1, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        int cap = capng_name_to_capability(item);
        size_t n = 0;

        while (k->devices[n])
            n++;
        if (caps ? cap < 0 || k->n_caps == SV_SPAWNCONF_CAPS_MAX
                 : n >= SV_SPAWNCONF_DEVICES_MAX + 5 ||
                   !name_ok(item, sizeof(k->device_names[0]), LOWER_DIGITS "/-_"))
            return -EINVAL;
        if (caps)
            k->caps[k->n_caps++] = cap;
        else
            k->devices[n] = strcpy(k->device_names[n], item);
    }
    return 0;
}

/* The program must be a root-owned (or, in session mode, user-owned)
 * regular file that nobody else can write. */
static int check_program(const char *path, uid_t owner)
{
    struct stat st;

    if (path[0] != '/' || strstr(path, "/../") || strlen(path) >= 256)
        return -EINVAL;
    if (stat(path, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != owner) ||
        (st.st_mode & (S_IWGRP | S_IWOTH)))
        return -EPERM;
    return 0;
}

static int parse_line(char *line, bool session, uid_t owner, sv_spawn_kind *k)
{
    char *save = NULL, *f[5] = { 0 };
    unsigned uid, gid;
    int r;

    memset(k, 0, sizeof(*k));
    for (size_t i = 0; i < 5; i++)
        f[i] = strtok_r(i ? NULL : line, " \t", &save);
    if (!f[3] || !name_ok(f[0], sizeof(k->name), LOWER_DIGITS "_-"))
        return -EINVAL;
    strcpy(k->name, f[0]);
    if ((r = check_program(f[1], owner)) < 0)
        return r;
    strcpy(k->path, f[1]);
    if ((r = parse_id(f[2], true, session, &uid)) < 0 ||
        (r = parse_id(f[3], false, session, &gid)) < 0)
        return r;
    if ((uid == (unsigned)-1) != (gid == (unsigned)-1))
        return -EINVAL;
    k->uid = uid;
    k->gid = gid;
    k->nofile = 4096;
    for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
        k->devices[i] = default_devices[i];
    for (char *opt = f[4]; opt; opt = strtok_r(NULL, " \t", &save))
        if ((r = parse_option(opt, k)) < 0)
            return r;
    return 0;
}

typedef struct load_ctx {
    sv_spawnconf *c;
    const char *path;
    uid_t owner;
    bool session;
    unsigned refused;
} load_ctx;

/* A wrong line is logged and left out: that kind cannot be started. */
static int load_line(char *line, unsigned lineno, void *opaque)
{
    load_ctx *x = opaque;
    sv_spawn_kind *k = &x->c->kinds[x->c->n];
    int r = x->c->n == SV_SPAWNCONF_KINDS_MAX ? -ENOSPC : parse_line(line, x->session, x->owner, k);

    if (r == 0 && sv_spawnconf_find(x->c, k->name))
        r = -EEXIST;
    if (r == 0)
        x->c->n++;
    else {
        fprintf(stderr, "sepvirtd: %s:%u: kind refused: %s\n", x->path, lineno, strerror(-r));
        x->refused++;
    }
    return 0;
}

/* Session mode without a spawn.conf: QEMU and passt as the user. */
static const char *const session_defaults[] = {
    "qemu  /usr/bin/qemu-system-x86_64  -  -",
    "passt  /usr/bin/passt  -  -",
};

int sv_spawnconf_load(const char *path, uid_t owner, bool session, sv_spawnconf *ret,
                      unsigned *ret_refused)
{
    load_ctx x = { .c = ret, .path = path, .owner = owner, .session = session };
    int r;

    memset(ret, 0, sizeof(*ret));
    r = sv_conffile_read(path, owner, CONF_MAX_SIZE, load_line, &x, NULL);
    for (size_t i = 0; r == -ENOENT && session && i < 2; i++) {
        char line[64];

        x.path = "built-in session spawn.conf";
        snprintf(line, sizeof(line), "%s", session_defaults[i]);
        load_line(line, (unsigned)i + 1, &x);
    }
    if (r == -ENOENT && session)
        r = 0;
    if (r == -EPERM || r == -EINVAL)
        fprintf(stderr, "sepvirtd: %s: must be a file of uid %u writable by it only\n", path,
                (unsigned)owner);
    *ret_refused = x.refused;
    return r;
}

const sv_spawn_kind *sv_spawnconf_find(const sv_spawnconf *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->kinds[i].name, name) == 0)
            return &c->kinds[i];
    return NULL;
}
