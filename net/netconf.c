/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "netconf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONF_MAX_SIZE 65536
#define DEFAULT_MAX_DEVICES 1024
#define MAX_DEVICES_LIMIT 65536

static bool pattern_ok(const char *p)
{
    size_t len = strlen(p);

    if (len == 0 || len >= SV_NETCONF_PATTERN_MAX || strcmp(p, "*") == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';

        if (!plain && !(c == '*' && i == len - 1))
            return false;
    }
    return true;
}

static bool match(const char (*pats)[SV_NETCONF_PATTERN_MAX], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(pats[i]);

        if (pats[i][len - 1] == '*' ? strncmp(pats[i], name, len - 1) == 0
                                    : strcmp(pats[i], name) == 0)
            return true;
    }
    return false;
}

bool sv_netconf_bridge_allowed(const sv_netconf *c, const char *name)
{
    return match(c->bridges, c->nbridges, name);
}

bool sv_netconf_parent_allowed(const sv_netconf *c, const char *name)
{
    return match(c->parents, c->nparents, name);
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

static int add_pattern(char (*pats)[SV_NETCONF_PATTERN_MAX], size_t *n, const char *v)
{
    if (!pattern_ok(v))
        return -EINVAL;
    if (*n >= SV_NETCONF_MAX_PATTERNS)
        return -E2BIG;
    strcpy(pats[(*n)++], v);
    return 0;
}

static int parse_line(sv_netconf *c, char *line)
{
    char *eq, *key, *val, *end;
    unsigned long num;

    line = trim(line);
    if (*line == '\0' || *line == '#')
        return 0;
    eq = strchr(line, '=');
    if (!eq)
        return -EINVAL;
    *eq = '\0';
    key = trim(line);
    val = trim(eq + 1);
    if (strcmp(key, "bridge") == 0)
        return add_pattern(c->bridges, &c->nbridges, val);
    if (strcmp(key, "macvtap_parent") == 0)
        return add_pattern(c->parents, &c->nparents, val);
    if (strcmp(key, "max_devices") == 0) {
        errno = 0;
        num = strtoul(val, &end, 10);
        if (errno || end == val || *end || val[0] == '-' || num == 0 ||
            num > MAX_DEVICES_LIMIT)
            return -EINVAL;
        c->max_devices = (unsigned)num;
        return 0;
    }
    return -ENOKEY;
}

static int read_checked(const char *path, char *buf, size_t size, char *err, size_t errlen)
{
    struct stat st;
    uid_t want = geteuid();
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -errno;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return -EINVAL;
    }
    /* want is 0 in system mode: root-owned only. */
    if (st.st_uid != want || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        snprintf(err, errlen, "%s: must be owned by uid %u and writable by no one else",
                 path, (unsigned)want);
        close(fd);
        return -EPERM;
    }
    n = read(fd, buf, size);
    close(fd);
    if (n < 0 || (size_t)n >= size) {
        snprintf(err, errlen, "%s: unreadable or larger than %zu bytes", path, size - 1);
        return n < 0 ? -errno : -EFBIG;
    }
    buf[n] = '\0';
    return 0;
}

int sv_netconf_load(const char *path, sv_netconf *ret, char *err, size_t errlen)
{
    char *buf = malloc(CONF_MAX_SIZE);
    sv_netconf *c = calloc(1, sizeof(*c));
    char *next;
    unsigned lineno = 0;
    int r;

    if (!buf || !c) {
        free(buf);
        free(c);
        return -ENOMEM;
    }
    c->max_devices = DEFAULT_MAX_DEVICES;
    r = read_checked(path, buf, CONF_MAX_SIZE, err, errlen);
    for (char *p = buf; r == 0 && *p; p = next) {
        char *nl = strchr(p, '\n');

        next = nl ? nl + 1 : p + strlen(p);
        if (nl)
            *nl = '\0';
        lineno++;
        r = parse_line(c, p);
        if (r < 0)
            snprintf(err, errlen, "%s:%u: %s", path, lineno,
                     r == -ENOKEY ? "unknown key" : "bad value");
    }
    if (r == 0)
        *ret = *c;
    free(buf);
    free(c);
    return r;
}
