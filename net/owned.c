/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "owned.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_conffile.h"

#define STATE_MAGIC "sepvirt-nethelper-state 1"
#define LINE_MAX_LEN 64
#define STATE_MAX_SIZE ((65536 + 16) * LINE_MAX_LEN)

static int parse_line(sv_owned *t, const char *line)
{
    char word[SV_NETDEV_NAME_MAX];
    long long last;
    int ifindex, kind, end = -1;
    sv_netdev_prefix p;
    long long id;

    if (sscanf(line, "last %15s %lld%n", word, &last, &end) == 2 && line[end] == '\0') {
        for (int i = 0; i < SV_NETDEV_PREFIX_COUNT; i++)
            if (strcmp(word, sv_netdev_prefixes[i]) == 0) {
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

typedef struct load_ctx {
    sv_owned *t;
    unsigned lines, bad;
} load_ctx;

static int load_line(char *line, unsigned lineno, void *opaque)
{
    load_ctx *x = opaque;

    if (x->lines++ == 0 ? strcmp(line, STATE_MAGIC) != 0 : parse_line(x->t, line) < 0)
        x->bad++;
    return 0;
}

int sv_owned_load(sv_owned *t, const char *path, size_t max, unsigned *ret_bad)
{
    load_ctx x = { .t = t };
    int r = -ENOMEM;

    memset(t, 0, sizeof(*t));
    sv_netdev_names_init(&t->names);
    t->max = max;
    t->path = strdup(path);
    t->entries = calloc(max, sizeof(*t->entries));
    /* Our own file, in a directory only we can write.  Room for the most
     * entries any config allows (max_devices may have been lowered). */
    if (t->path && t->entries)
        r = sv_conffile_read(path, SV_CONFFILE_ANY_OWNER, STATE_MAX_SIZE, load_line, &x, NULL);
    if (r < 0 && r != -ENOENT) {
        sv_owned_free(t);
        return r;
    }
    *ret_bad = x.bad;
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

/* Atomically: a temporary file, fsync, rename over the old one, fsync of
 * the directory. */
int sv_owned_save(const sv_owned *t)
{
    size_t size = (t->n + SV_NETDEV_PREFIX_COUNT) * LINE_MAX_LEN + 64, len;
    char *buf = malloc(size), tmp[4096], *slash;
    int fd = -1, r = 0;

    if (!buf)
        return -ENOMEM;
    len = (size_t)snprintf(buf, size, "%s\n", STATE_MAGIC);
    for (int i = 0; i < SV_NETDEV_PREFIX_COUNT; i++)
        len += (size_t)snprintf(buf + len, size - len, "last %s %lld\n",
                                sv_netdev_prefixes[i], t->names.last[i]);
    for (size_t i = 0; i < t->n; i++)
        len += (size_t)snprintf(buf + len, size - len, "dev %s %d %d\n",
                                t->entries[i].name, t->entries[i].ifindex,
                                t->entries[i].kind);
    errno = EIO;   /* what a short write reports */
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", t->path) >= sizeof(tmp))
        r = -ENAMETOOLONG;
    else if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
        r = -errno;
    /* A short write to a file is a full disk: the save fails. */
    else if (write(fd, buf, len) != (ssize_t)len || fsync(fd) < 0 || rename(tmp, t->path) < 0)
        r = -errno;
    free(buf);
    if (fd >= 0)
        close(fd);
    if (r < 0) {
        unlink(tmp);
        return r;
    }
    /* tmp becomes its directory */
    slash = strrchr(tmp, '/');
    snprintf(tmp, sizeof(tmp), "%.*s", slash ? (int)(slash - tmp) + (slash == tmp) : 1,
             slash ? t->path : ".");
    if ((fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return -errno;
    r = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return r;
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
