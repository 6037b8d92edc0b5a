/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Status files: what a restarted frontd needs to adopt a running guest.
 * One file per running domain, <state>/qemu/status/<name>.status, written
 * atomically (sv_store) whenever the run's facts change:
 *
 *     sepvirt-qemu-status 1
 *     pid 1234
 *     pstart 5678             (its start time in /proc, to recognise it)
 *     id 3
 *     state 1 1
 *     started 1795600000
 *     dir /run/sepvirt/qemu/<uuid>
 *     shutdown 0
 *     ifname vnet0            (one line per host device)
 *     aux 1240 5679           (one line per helper process, e.g. passt)
 *     xml
 *     <domain type='qemu' id='3'>...the live config...</domain>
 *
 * The file is frontd's own (its state directory), yet it is read as
 * carefully as any input: unknown keys, bad numbers or names are refused.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_driver_priv.h"
#include "sv_buf.h"
#include "sv_error.h"
#include "sv_util.h"

#define STATUS_MAGIC "sepvirt-qemu-status 1\n"
#define STATUS_DIR "qemu/status"

static sv_store *store;

int qemu_status_open(const char *state_dir)
{
    _cleanup_free_ char *dir = sv_asprintf("%s/%s", state_dir, STATUS_DIR);

    return sv_store_open(dir, ".status", &store) < 0 ? -1 : 0;
}

void qemu_status_close(void)
{
    sv_store_close(store);
    store = NULL;
}

void qemu_status_save(sv_domain_obj *d)
{
    qemu_vm *vm = d->priv;
    sv_domain_def *def = sv_domain_obj_def(d);
    _cleanup_free_ char *xml = sv_domain_def_format(def, 0);
    sv_buf b = { 0 };
    int reason;
    sv_domain_state state = sv_domain_get_state(d, &reason);

    sv_buf_add(&b, STATUS_MAGIC);
    sv_buf_printf(&b, "pid %d\npstart %llu\nid %d\nstate %d %d\nstarted %lld\ndir %s\nshutdown %d\n",
                  (int)vm->proc.pid, vm->proc.pstart, d->obj.id, (int)state, reason, (long long)vm->start_time,
                  vm->dir, vm->got_shutdown ? 1 : 0);
    for (size_t i = 0; i < vm->nifnames; i++)
        sv_buf_printf(&b, "ifname %s\n", vm->ifnames[i]);
    for (size_t i = 0; i < vm->naux; i++)
        sv_buf_printf(&b, "aux %d %llu\n", (int)vm->aux[i].pid, vm->aux[i].pstart);
    sv_buf_add(&b, "xml\n");
    sv_buf_add(&b, xml);
    if (sv_store_write(store, d->obj.name, b.data, b.len) < 0)
        fprintf(stderr, "sepvirt-frontd: status of domain %s: %s\n", d->obj.name, sv_error_message());
    sv_buf_free(&b);
}

void qemu_status_remove(const char *name)
{
    int r = sv_store_delete(store, name);

    if (r < 0 && r != -ENOENT)
        fprintf(stderr, "sepvirt-frontd: status of domain %s: %s\n", name, sv_error_message());
}

void qemu_status_clear(qemu_status *st)
{
    free(st->dir);
    free(st->ifnames);
    free(st->aux);
    free(st->xml);
    memset(st, 0, sizeof(*st));
}

int qemu_status_list(char ***ret_names, size_t *ret_n)
{
    return sv_store_list(store, ret_names, ret_n) < 0 ? -1 : 0;
}

static int parse_pid(const char *s, pid_t *ret)
{
    int v;

    if (sv_parse_int(s, &v) < 0 || v <= 0)
        return -1;
    *ret = v;
    return 0;
}

static int parse_ull(const char *s, unsigned long long *ret)
{
    uint64_t v;

    if (sv_parse_u64(s, &v) < 0)
        return -1;
    *ret = v;
    return 0;
}

/* One "key value" line into st; -1 when it is not one we write. */
static int parse_line(char *line, qemu_status *st)
{
    char *val = strchr(line, ' ');
    int64_t started;

    if (!val)
        return -1;
    *val++ = '\0';
    if (strcmp(line, "pid") == 0)
        return parse_pid(val, &st->pid);
    if (strcmp(line, "pstart") == 0)
        return parse_ull(val, &st->pstart);
    if (strcmp(line, "id") == 0)
        return sv_parse_int(val, &st->id) < 0 || st->id <= 0 ? -1 : 0;
    if (strcmp(line, "state") == 0) {
        char *sp = strchr(val, ' ');

        if (!sp)
            return -1;
        *sp++ = '\0';
        return sv_parse_int(val, &st->state) < 0 || sv_parse_int(sp, &st->reason) < 0 ||
               st->state < SV_DOMAIN_RUNNING || st->state > SV_DOMAIN_PMSUSPENDED ? -1 : 0;
    }
    if (strcmp(line, "started") == 0) {
        if (sscanf(val, "%" SCNd64, &started) != 1)
            return -1;
        st->start_time = started;
        return 0;
    }
    if (strcmp(line, "dir") == 0) {
        if (val[0] != '/' || st->dir)
            return -1;
        st->dir = sv_strdup(val);
        return 0;
    }
    if (strcmp(line, "shutdown") == 0) {
        st->got_shutdown = strcmp(val, "1") == 0;
        return 0;
    }
    if (strcmp(line, "ifname") == 0) {
        if (!*val || strlen(val) >= IFNAMSIZ || strchr(val, '/'))
            return -1;
        st->ifnames = sv_realloc(st->ifnames, (st->nifnames + 1) * sizeof(*st->ifnames));
        snprintf(st->ifnames[st->nifnames++], IFNAMSIZ, "%s", val);
        return 0;
    }
    if (strcmp(line, "aux") == 0) {
        qemu_proc a = { .pidfd = -1 };
        char *sp = strchr(val, ' ');

        if (!sp)
            return -1;
        *sp++ = '\0';
        if (parse_pid(val, &a.pid) < 0 || parse_ull(sp, &a.pstart) < 0)
            return -1;
        st->aux = sv_realloc(st->aux, (st->naux + 1) * sizeof(*st->aux));
        st->aux[st->naux++] = a;
        return 0;
    }
    return -1;
}

int qemu_status_read(const char *name, qemu_status *ret)
{
    _cleanup_free_ char *data = NULL;
    qemu_status st = { 0 };
    char *p, *nl;
    size_t len;

    if (sv_store_read(store, name, &data, &len) < 0)
        return -1;
    if (strncmp(data, STATUS_MAGIC, strlen(STATUS_MAGIC)) != 0)
        goto bad;
    for (p = data + strlen(STATUS_MAGIC); (nl = strchr(p, '\n')); p = nl + 1) {
        *nl = '\0';
        if (strcmp(p, "xml") == 0) {
            st.xml = sv_strdup(nl + 1);
            break;
        }
        if (parse_line(p, &st) < 0)
            goto bad;
    }
    if (!st.xml || !st.pid || !st.id || !st.state || !st.dir)
        goto bad;
    *ret = st;
    return 0;
bad:
    qemu_status_clear(&st);
    sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "malformed status file for domain %s", name);
    return -1;
}
