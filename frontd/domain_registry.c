/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain_registry.h"

#include <stdlib.h>

#include "sv_error.h"
#include "sv_store.h"

static sv_objlist *domains;

static void *domain_parse(const char *xml, size_t len)
{
    return sv_domain_def_parse(xml, len, SV_DOMAIN_XML_INACTIVE);
}

static char *domain_format_config(const void *def)
{
    return sv_domain_def_format(def, SV_DOMAIN_XML_INACTIVE);
}

static void domain_def_free(void *def)
{
    sv_domain_def_free(def);
}

/* An inactive domain is shut off for an unknown reason (0). */
static void domain_obj_init(sv_obj *obj)
{
    ((sv_domain_obj *)obj)->state = SV_DOMAIN_SHUTOFF;
}

static void domain_obj_clear(sv_obj *obj)
{
    sv_domain_obj *d = (sv_domain_obj *)obj;

    if (d->priv && d->priv_free)
        d->priv_free(d->priv);
}

static const sv_obj_class domain_class = {
    .kind = "domain",
    /* libvirt's QEMU driver reports domain errors from its own domain. */
    .err_from = SV_FROM_QEMU,
    .err_missing = SV_ERR_NO_DOMAIN,
    .obj_size = sizeof(sv_domain_obj),
    .parse = domain_parse,
    .format_config = domain_format_config,
    .def_free = domain_def_free,
    .obj_init = domain_obj_init,
    .obj_clear = domain_obj_clear,
};

const sv_obj_class *sv_domain_class(void)
{
    return &domain_class;
}

int sv_domains_init(const char *config_dir)
{
    _cleanup_free_ char *dir = sv_asprintf("%s/%s", config_dir, SV_STORE_DOMAINS);

    if (sv_objlist_open(&domain_class, dir, &domains, NULL) < 0)
        return -1;
    return 0;
}

void sv_domains_shutdown(void)
{
    sv_objlist_free(domains);
    domains = NULL;
}

sv_domain_obj *sv_domain_find_name(const char *name)
{
    return (sv_domain_obj *)sv_objlist_find_name(domains, name);
}

sv_domain_obj *sv_domain_find_uuid(const unsigned char uuid[SV_UUID_LEN])
{
    return (sv_domain_obj *)sv_objlist_find_uuid(domains, uuid);
}

sv_domain_obj *sv_domain_find_id(int id)
{
    return (sv_domain_obj *)sv_objlist_find_id(domains, id);
}

void sv_domain_obj_end(sv_domain_obj *d)
{
    sv_obj_end(d ? &d->obj : NULL);
}

int sv_domain_define(sv_domain_def **def, bool *ret_updated, sv_domain_obj **ret)
{
    sv_obj *obj;

    if (sv_objlist_define(domains, (void **)def, ret_updated, &obj) < 0)
        return -1;
    *ret = (sv_domain_obj *)obj;
    return 0;
}

int sv_domain_undefine(sv_domain_obj *d)
{
    return sv_objlist_undefine(&d->obj);
}

int sv_domain_set_autostart(sv_domain_obj *d, bool autostart)
{
    return sv_objlist_set_autostart(&d->obj, autostart);
}

static bool domain_match(sv_obj *obj, void *opaque)
{
    const sv_domain_obj *d = (const sv_domain_obj *)obj;
    unsigned flags = *(const unsigned *)opaque;
    unsigned states = flags & (SV_LIST_DOMAINS_RUNNING | SV_LIST_DOMAINS_PAUSED |
                               SV_LIST_DOMAINS_SHUTOFF | SV_LIST_DOMAINS_OTHER);

    if (!sv_list_group_match(flags, SV_LIST_DOMAINS_ACTIVE, SV_LIST_DOMAINS_INACTIVE, obj->active) ||
        !sv_list_group_match(flags, SV_LIST_DOMAINS_PERSISTENT, SV_LIST_DOMAINS_TRANSIENT,
                     obj->persistent) ||
        !sv_list_group_match(flags, SV_LIST_DOMAINS_AUTOSTART, SV_LIST_DOMAINS_NO_AUTOSTART,
                     obj->autostart) ||
        /* No managed save images, snapshots or checkpoints exist (yet). */
        !sv_list_group_match(flags, SV_LIST_DOMAINS_MANAGEDSAVE, SV_LIST_DOMAINS_NO_MANAGEDSAVE, false) ||
        !sv_list_group_match(flags, SV_LIST_DOMAINS_HAS_SNAPSHOT, SV_LIST_DOMAINS_NO_SNAPSHOT, false) ||
        !sv_list_group_match(flags, SV_LIST_DOMAINS_HAS_CHECKPOINT, SV_LIST_DOMAINS_NO_CHECKPOINT, false))
        return false;
    if (states) {
        unsigned bit;

        switch (d->state) {
        case SV_DOMAIN_RUNNING: bit = SV_LIST_DOMAINS_RUNNING; break;
        case SV_DOMAIN_PAUSED: bit = SV_LIST_DOMAINS_PAUSED; break;
        case SV_DOMAIN_SHUTOFF: bit = SV_LIST_DOMAINS_SHUTOFF; break;
        default: bit = SV_LIST_DOMAINS_OTHER; break;
        }
        if (!(states & bit))
            return false;
    }
    return true;
}

int sv_domain_list(unsigned flags, sv_domain_obj ***ret_objs, size_t *ret_n)
{
    if (sv_check_flags(flags, SV_LIST_DOMAINS_ALL_FLAGS, SV_FROM_QEMU,
                            "virConnectListAllDomains") < 0)
        return -1;
    sv_objlist_collect(domains, domain_match, &flags, (sv_obj ***)ret_objs, ret_n);
    return 0;
}

size_t sv_domain_count(bool active)
{
    unsigned flags = active ? SV_LIST_DOMAINS_ACTIVE : SV_LIST_DOMAINS_INACTIVE;

    return sv_objlist_count(domains, domain_match, &flags);
}

sv_domain_state sv_domain_get_state(const sv_domain_obj *d, int *ret_reason)
{
    if (ret_reason)
        *ret_reason = d->reason;
    return d->state;
}

void sv_domain_set_state(sv_domain_obj *d, sv_domain_state state, int reason)
{
    d->state = state;
    d->reason = reason;
}

int sv_domain_add_live(sv_domain_def **def, sv_domain_obj **ret)
{
    sv_obj *obj;

    if (sv_objlist_add_live(domains, (void **)def, &obj) < 0)
        return -1;
    *ret = (sv_domain_obj *)obj;
    return 0;
}

int sv_domain_mark_running(sv_domain_obj *d, sv_domain_def *live_def,
                           sv_domain_state state, int reason)
{
    int id;

    /* A persistent domain started by name runs on a copy of its config, so
     * a redefine while it runs changes only what the next start uses. */
    if (!live_def && d->obj.persistent && !d->obj.new_def) {
        live_def = sv_domain_def_copy(sv_domain_obj_def(d));
        if (!live_def)
            return -1;
    }
    id = sv_objlist_next_id(domains);
    sv_objlist_started(&d->obj, id, live_def);
    sv_domain_obj_def(d)->id = id;
    sv_domain_set_state(d, state, reason);
    return 0;
}

void sv_domain_mark_shutoff(sv_domain_obj *d, int reason)
{
    sv_objlist_stopped(&d->obj);
    sv_domain_obj_def(d)->id = -1;
    sv_domain_set_state(d, SV_DOMAIN_SHUTOFF, reason);
}
