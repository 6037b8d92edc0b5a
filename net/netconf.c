/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "netconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_conffile.h"

#define CONF_MAX_SIZE 65536
#define DEFAULT_MAX_DEVICES 1024
#define MAX_DEVICES_LIMIT 65536

/* A device name, or a prefix of one followed by '*'. */
static bool pattern_ok(const char *p)
{
    size_t len = strlen(p);
    size_t plain = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    return len > 0 && len < SV_NETCONF_PATTERN_MAX && strcmp(p, "*") != 0 &&
           (plain == len || (plain == len - 1 && p[plain] == '*'));
}

bool sv_netconf_allowed(const sv_netconf *c, sv_netconf_list l, const char *name)
{
    for (size_t i = 0; i < c->n[l]; i++) {
        const char *p = c->pats[l][i];
        size_t len = strlen(p);

        if (p[len - 1] == '*' ? strncmp(p, name, len - 1) == 0 : strcmp(p, name) == 0)
            return true;
    }
    return false;
}

/* "key = value", nothing else on the line. */
static int parse_line(char *line, unsigned lineno, void *opaque)
{
    sv_netconf *c = opaque;
    char key[32], val[SV_NETCONF_PATTERN_MAX + 1], *end;
    unsigned long num;
    int len = -1;

    if (sscanf(line, "%31[a-z_] = %16s%n", key, val, &len) != 2 || line[len] != '\0')
        return -EINVAL;
    if (strcmp(key, "bridge") == 0 || strcmp(key, "macvtap_parent") == 0) {
        sv_netconf_list l = key[0] == 'b' ? SV_NETCONF_BRIDGE : SV_NETCONF_PARENT;

        if (!pattern_ok(val))
            return -EINVAL;
        if (c->n[l] >= SV_NETCONF_MAX_PATTERNS)
            return -E2BIG;
        strcpy(c->pats[l][c->n[l]++], val);
        return 0;
    }
    if (strcmp(key, "max_devices") != 0)
        return -ENOKEY;
    errno = 0;
    num = strtoul(val, &end, 10);
    if (errno || end == val || *end || val[0] == '-' || num == 0 || num > MAX_DEVICES_LIMIT)
        return -EINVAL;
    c->max_devices = (unsigned)num;
    return 0;
}

int sv_netconf_load(const char *path, sv_netconf *ret, char *err, size_t errlen)
{
    sv_netconf *c = calloc(1, sizeof(*c));
    unsigned lineno = 0;
    int r;

    if (!c)
        return -ENOMEM;
    c->max_devices = DEFAULT_MAX_DEVICES;
    /* geteuid() is 0 in system mode: root-owned only. */
    r = sv_conffile_read(path, geteuid(), CONF_MAX_SIZE, parse_line, c, &lineno);
    if (r == 0)
        *ret = *c;
    else if (lineno)
        snprintf(err, errlen, "%s:%u: %s", path, lineno,
                 r == -ENOKEY ? "unknown key" : "bad value");
    else
        snprintf(err, errlen, "%s: %s", path,
                 r == -EPERM ? "must be owned by the helper's uid and writable by no one else"
                             : strerror(-r));
    free(c);
    return r;
}
