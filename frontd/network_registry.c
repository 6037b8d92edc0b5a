/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "network_registry.h"

#include <string.h>
#include <unistd.h>

#include "sv_error.h"
#include "sv_store.h"

/* libvirt's limit on automatically numbered bridges. */
#define BRIDGE_ID_MAX 256

static sv_objlist *networks;
/* Serialises bridge-name choices so two defines cannot pick the same one. */
static pthread_mutex_t bridge_lock = PTHREAD_MUTEX_INITIALIZER;

static void *network_parse(const char *xml, size_t len)
{
    return sv_network_def_parse(xml, len, SV_NETWORK_XML_INACTIVE);
}

static char *network_format_config(const void *def)
{
    return sv_network_def_format(def, SV_NETWORK_XML_INACTIVE);
}

static void network_def_free(void *def)
{
    sv_network_def_free(def);
}

static const sv_obj_class network_class = {
    .kind = "network",
    .err_from = SV_FROM_NETWORK,
    .err_missing = SV_ERR_NO_NETWORK,
    .obj_size = sizeof(sv_network_obj),
    .parse = network_parse,
    .format_config = network_format_config,
    .def_free = network_def_free,
};

const sv_obj_class *sv_network_class(void)
{
    return &network_class;
}

int sv_networks_init(const char *config_dir)
{
    _cleanup_free_ char *dir = sv_asprintf("%s/%s", config_dir, SV_STORE_NETWORKS);

    return sv_objlist_open(&network_class, dir, &networks, NULL);
}

void sv_networks_shutdown(void)
{
    sv_objlist_free(networks);
    networks = NULL;
}

sv_network_obj *sv_network_find_name(const char *name)
{
    return (sv_network_obj *)sv_objlist_find_name(networks, name);
}

sv_network_obj *sv_network_find_uuid(const unsigned char uuid[SV_UUID_LEN])
{
    return (sv_network_obj *)sv_objlist_find_uuid(networks, uuid);
}

void sv_network_obj_end(sv_network_obj *n)
{
    sv_obj_end(n ? &n->obj : NULL);
}

/* ---- bridge names ------------------------------------------------------ */

typedef struct bridge_query {
    const char *bridge;
    const char *self;      /* the network being defined: its own use is fine */
} bridge_query;

static bool def_uses_bridge(const sv_network_def *def, const char *bridge)
{
    return def && def->bridge_name && strcmp(def->bridge_name, bridge) == 0;
}

static bool network_uses_bridge(sv_obj *obj, void *opaque)
{
    const bridge_query *q = opaque;

    return strcmp(obj->name, q->self) != 0 &&
           (def_uses_bridge(obj->def, q->bridge) || def_uses_bridge(obj->new_def, q->bridge));
}

static bool bridge_in_use(const char *bridge, const char *self)
{
    bridge_query q = { bridge, self };
    sv_obj **objs;
    size_t n;

    sv_objlist_collect(networks, network_uses_bridge, &q, &objs, &n);
    sv_objlist_collect_free(objs, n);
    return n > 0;
}

static bool host_has_interface(const char *name)
{
    _cleanup_free_ char *path = sv_asprintf("/sys/class/net/%s", name);

    return access(path, F_OK) == 0;
}

/* Caller holds bridge_lock. */
static int network_assign_bridge(sv_network_def *def)
{
    _cleanup_free_ char *templ = NULL;

    if (!sv_network_def_needs_bridge_name(def)) {
        if (def->bridge_name && sv_network_mode_has_own_bridge(def->forward.mode) &&
            bridge_in_use(def->bridge_name, def->name)) {
            sv_report(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR,
                      "bridge name '%s' already in use.", def->bridge_name);
            return -1;
        }
        return 0;
    }
    templ = sv_strdup(def->bridge_name);
    for (unsigned id = 0; id <= BRIDGE_ID_MAX; id++) {
        free(def->bridge_name);
        def->bridge_name = sv_strdup(templ);
        if (sv_network_def_fill_bridge(def, id) < 0)
            return -1;
        if (!bridge_in_use(def->bridge_name, def->name) && !host_has_interface(def->bridge_name))
            return 0;
    }
    free(def->bridge_name);
    def->bridge_name = sv_strdup(templ);
    sv_report(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR,
              "Bridge generation exceeded max id %d", BRIDGE_ID_MAX);
    return -1;
}

int sv_network_define(sv_network_def **def, bool *ret_updated, sv_network_obj **ret)
{
    sv_obj *obj;
    int r;

    pthread_mutex_lock(&bridge_lock);
    r = network_assign_bridge(*def);
    if (r == 0)
        r = sv_objlist_define(networks, (void **)def, ret_updated, &obj);
    pthread_mutex_unlock(&bridge_lock);
    if (r < 0)
        return -1;
    *ret = (sv_network_obj *)obj;
    return 0;
}

int sv_network_add_live(sv_network_def **def, sv_network_obj **ret)
{
    sv_obj *obj;
    int r;

    pthread_mutex_lock(&bridge_lock);
    r = network_assign_bridge(*def);
    if (r == 0)
        r = sv_objlist_add_live(networks, (void **)def, &obj);
    pthread_mutex_unlock(&bridge_lock);
    if (r < 0)
        return -1;
    *ret = (sv_network_obj *)obj;
    return 0;
}

int sv_network_undefine(sv_network_obj *n)
{
    return sv_objlist_undefine(&n->obj);
}

int sv_network_set_autostart(sv_network_obj *n, bool autostart)
{
    return sv_objlist_set_autostart(&n->obj, autostart);
}

/* ---- listing ----------------------------------------------------------- */

static bool network_match(sv_obj *obj, void *opaque)
{
    unsigned flags = *(const unsigned *)opaque;

    return sv_list_group_match(flags, SV_LIST_NETWORKS_ACTIVE, SV_LIST_NETWORKS_INACTIVE,
                               obj->active) &&
           sv_list_group_match(flags, SV_LIST_NETWORKS_PERSISTENT, SV_LIST_NETWORKS_TRANSIENT,
                               obj->persistent) &&
           sv_list_group_match(flags, SV_LIST_NETWORKS_AUTOSTART, SV_LIST_NETWORKS_NO_AUTOSTART,
                               obj->autostart);
}

int sv_network_list(unsigned flags, sv_network_obj ***ret_objs, size_t *ret_n)
{
    if (sv_check_flags(flags, SV_LIST_NETWORKS_ALL_FLAGS, SV_FROM_NETWORK,
                            "virConnectListAllNetworks") < 0)
        return -1;
    sv_objlist_collect(networks, network_match, &flags, (sv_obj ***)ret_objs, ret_n);
    return 0;
}

size_t sv_network_count(bool active)
{
    unsigned flags = active ? SV_LIST_NETWORKS_ACTIVE : SV_LIST_NETWORKS_INACTIVE;

    return sv_objlist_count(networks, network_match, &flags);
}

/* ---- running state ----------------------------------------------------- */

int sv_network_mark_active(sv_network_obj *n)
{
    sv_network_def *live = NULL;

    if (n->obj.persistent && !n->obj.new_def) {
        live = sv_network_def_copy(sv_network_obj_def(n));
        if (!live)
            return -1;
    }
    sv_objlist_started(&n->obj, -1, live);
    return 0;
}

void sv_network_mark_inactive(sv_network_obj *n)
{
    sv_objlist_stopped(&n->obj);
}
