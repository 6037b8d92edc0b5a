/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "owned.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_MAGIC "sepvirt-nethelper-state 1"
#define LINE_MAX_LEN 64

static int parse_line(sv_owned *t, const char *line)
{
    char word[SV_NETDEV_NAME_MAX];
    long long last;
    int ifindex, kind, end = -1;
    sv_netdev_prefix p;
    long long id;

    if (sscanf(line, "last %15s %lld%n", word, &last, &end) == 2 && line[end] == '\0') {
        for (int i = 0; i < SV_NETDEV_PREFIX_COUNT; i++)
            if (strcmp(word, sv_netdev_prefix_str(i)) == 0) {
                sv_netdev_names_set_last(&t->names, i, last);
                return 0;
            }
        return -EINVAL;
    }
    end = -1;
    if (sscanf(line, "dev %15s %d %d%n", word, &ifindex, &kind, &end) == 3 &&
        line[end] == '\0' && ifindex > 0 && sv_netdev_name_parse(word, &p, &id) &&
        !sv_owned_find(t, word))
        return sv_owned_add(t, word, ifindex, kind);
    return -EINVAL;
}

int sv_owned_load(sv_owned *t, const char *path, size_t max, unsigned *ret_bad)
{
    size_t size = max * LINE_MAX_LEN + 256;
    char *buf, *next;
    unsigned bad = 0;
    ssize_t n;
    int fd;

    memset(t, 0, sizeof(*t));
    sv_netdev_names_init(&t->names);
    t->max = max;
    t->path = strdup(path);
    t->entries = calloc(max, sizeof(*t->entries));
    buf = malloc(size);
    if (!t->path || !t->entries || !buf) {
        free(buf);
        sv_owned_free(t);
        return -ENOMEM;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        free(buf);
        if (errno == ENOENT)
            return 0;
        sv_owned_free(t);
        return -errno;
    }
    n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) {
        free(buf);
        sv_owned_free(t);
        return -EIO;
    }
    buf[n] = '\0';
    for (char *p = buf; *p; p = next) {
        char *nl = strchr(p, '\n');

        next = nl ? nl + 1 : p + strlen(p);
        if (nl)
            *nl = '\0';
        if (p == buf ? strcmp(p, STATE_MAGIC) != 0 : parse_line(t, p) < 0)
            bad++;
    }
    free(buf);
    *ret_bad = bad;
    return 0;
}

void sv_owned_free(sv_owned *t)
{
    free(t->path);
    free(t->entries);
    t->path = NULL;
    t->entries = NULL;
    t->n = 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_dir(const char *path)
{
    char *copy = strdup(path);
    int fd, r = 0;

    if (!copy)
        return -ENOMEM;
    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -errno;
    if (fsync(fd) < 0)
        r = -errno;
    close(fd);
    return r;
}

int sv_owned_save(const sv_owned *t)
{
    size_t size = (t->n + SV_NETDEV_PREFIX_COUNT) * LINE_MAX_LEN + 64, len;
    char *buf = malloc(size), tmp[4096];
    int fd, r;

    if (!buf)
        return -ENOMEM;
    len = (size_t)snprintf(buf, size, "%s\n", STATE_MAGIC);
    for (int i = 0; i < SV_NETDEV_PREFIX_COUNT; i++)
        len += (size_t)snprintf(buf + len, size - len, "last %s %lld\n",
                                sv_netdev_prefix_str(i), t->names.last[i]);
    for (size_t i = 0; i < t->n; i++)
        len += (size_t)snprintf(buf + len, size - len, "dev %s %d %d\n",
                                t->entries[i].name, t->entries[i].ifindex,
                                t->entries[i].kind);
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", t->path) >= sizeof(tmp)) {
        free(buf);
        return -ENAMETOOLONG;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        free(buf);
        return -errno;
    }
    r = write_all(fd, buf, len);
    free(buf);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    close(fd);
    if (r == 0 && rename(tmp, t->path) < 0)
        r = -errno;
    if (r < 0) {
        unlink(tmp);
        return r;
    }
    return fsync_dir(t->path);
}

sv_owned_entry *sv_owned_find(sv_owned *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->entries[i].name, name) == 0)
            return &t->entries[i];
    return NULL;
}

int sv_owned_add(sv_owned *t, const char *name, int ifindex, int kind)
{
    sv_owned_entry *e;

    if (t->n >= t->max)
        return -ENOSPC;
    e = &t->entries[t->n++];
    memset(e, 0, sizeof(*e));
    strncpy(e->name, name, sizeof(e->name) - 1);
    e->ifindex = ifindex;
    e->kind = kind;
    /* A loaded entry also moves its counter, should the file's "last"
     * line be missing. */
    sv_netdev_names_reserve(&t->names, name);
    return 0;
}

void sv_owned_remove(sv_owned *t, const char *name)
{
    sv_owned_entry *e = sv_owned_find(t, name);

    if (!e)
        return;
    *e = t->entries[--t->n];
}
