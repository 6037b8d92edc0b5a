/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Network procedures and the sv_procs_network table.
 *
 * Start/stop go through the network driver (drivers/driver.h) when one is
 * registered.  Until then (the network driver has its own issue) starting a
 * network only marks it active, so net-start / net-list / net-info behave
 * as virsh users expect, but no bridge, address or DHCP server exists.
 */
#include "dispatch.h"

#include <string.h>

#include "driver.h"
#include "events.h"
#include "network_registry.h"
#include "proc_domain.h"
#include "sv_error.h"

/* virNetworkDefineFlags / virNetworkCreateFlags */
#define NETWORK_VALIDATE (1u << 0)
/* virNetworkXMLFlags */
#define NETWORK_XML_INACTIVE (1u << 0)

static sv_network_obj *network_get(const remote_nonnull_network *net)
{
    const unsigned char *uuid = (const unsigned char *)net->uuid;
    sv_network_obj *n = sv_network_find_uuid(uuid);

    if (!n)
        sv_obj_error_no_uuid(sv_network_class(), uuid, net->name);
    return n;
}

static void network_ret(remote_nonnull_network *out, const sv_network_obj *n)
{
    out->name = sv_strdup(n->obj.name);
    memcpy(out->uuid, n->obj.uuid, SV_UUID_LEN);
}

static void network_event(const sv_network_obj *n, int event)
{
    sv_event_network_lifecycle(n->obj.name, n->obj.uuid, event, 0);
}

static int check_flags(unsigned flags, unsigned known, const char *api)
{
    return sv_check_flags(flags, known, SV_FROM_NETWORK, api);
}

/* ---- lookups ------------------------------------------------------------- */

static int proc_lookup_by_name(sv_client *c, void *a, void *r)
{
    remote_network_lookup_by_name_args *args = a;
    remote_network_lookup_by_name_ret *ret = r;
    sv_network_obj *n = sv_network_find_name(args->name);

    if (!n) {
        sv_obj_error_no_name(sv_network_class(), args->name);
        return -1;
    }
    network_ret(&ret->net, n);
    sv_network_obj_end(n);
    return 0;
}

static int proc_lookup_by_uuid(sv_client *c, void *a, void *r)
{
    remote_network_lookup_by_uuid_args *args = a;
    remote_network_lookup_by_uuid_ret *ret = r;
    const unsigned char *uuid = (const unsigned char *)args->uuid;
    sv_network_obj *n = sv_network_find_uuid(uuid);

    if (!n) {
        sv_obj_error_no_uuid(sv_network_class(), uuid, NULL);
        return -1;
    }
    network_ret(&ret->net, n);
    sv_network_obj_end(n);
    return 0;
}

/* ---- define / undefine -------------------------------------------------- */

static sv_network_def *parse(const char *xml)
{
    sv_network_def *def = sv_network_def_parse(xml, strlen(xml), SV_NETWORK_XML_INACTIVE);

    if (!def)
        sv_report_add_prefix();
    return def;
}

static int network_define(const char *xml, remote_nonnull_network *out)
{
    sv_network_def *def = parse(xml);
    sv_network_obj *n;
    bool updated;

    if (!def)
        return -1;
    if (sv_network_define(&def, &updated, &n) < 0) {
        sv_network_def_free(def);
        return -1;
    }
    network_ret(out, n);
    network_event(n, SV_NETWORK_EVENT_DEFINED);
    sv_network_obj_end(n);
    return 0;
}

static int proc_define_xml(sv_client *c, void *a, void *r)
{
    remote_network_define_xml_args *args = a;
    remote_network_define_xml_ret *ret = r;

    return network_define(args->xml, &ret->net);
}

static int proc_define_xml_flags(sv_client *c, void *a, void *r)
{
    remote_network_define_xml_flags_args *args = a;
    remote_network_define_xml_flags_ret *ret = r;

    if (check_flags(args->flags, NETWORK_VALIDATE, "virNetworkDefineXMLFlags") < 0)
        return -1;
    return network_define(args->xml, &ret->net);
}

static int proc_undefine(sv_client *c, void *a, void *r)
{
    remote_network_undefine_args *args = a;
    sv_network_obj *n = network_get(&args->net);
    int rc;

    if (!n)
        return -1;
    if (sv_obj_begin_job(&n->obj) < 0) {
        sv_network_obj_end(n);
        return -1;
    }
    rc = sv_network_undefine(n);
    if (rc == 0)
        network_event(n, SV_NETWORK_EVENT_UNDEFINED);
    sv_obj_end_job(&n->obj);
    sv_network_obj_end(n);
    return rc;
}

/* ---- start / stop --------------------------------------------------------- */

/* n locked, job held, inactive. */
static int start_locked(sv_network_obj *n)
{
    const sv_net_driver *drv = sv_net_driver_get();

    if (sv_network_mark_active(n) < 0)
        return -1;
    if (drv && drv->network_start && drv->network_start(n) < 0) {
        sv_network_mark_inactive(n);
        return -1;
    }
    network_event(n, SV_NETWORK_EVENT_STARTED);
    return 0;
}

static int proc_create(sv_client *c, void *a, void *r)
{
    remote_network_create_args *args = a;
    sv_network_obj *n = network_get(&args->net);
    int rc = -1;

    if (!n)
        return -1;
    if (sv_obj_begin_job(&n->obj) < 0) {
        sv_network_obj_end(n);
        return -1;
    }
    if (n->obj.active)
        sv_report(SV_FROM_NETWORK, SV_ERR_OPERATION_INVALID, "network is already active");
    else
        rc = start_locked(n);
    sv_obj_end_job(&n->obj);
    sv_network_obj_end(n);
    return rc;
}

static int network_create_xml(const char *xml, remote_nonnull_network *out)
{
    sv_network_def *def = parse(xml);
    sv_network_obj *n;
    int rc;

    if (!def)
        return -1;
    if (sv_network_add_live(&def, &n) < 0) {
        sv_network_def_free(def);
        return -1;
    }
    n->obj.job = true;
    rc = start_locked(n);
    if (rc == 0)
        network_ret(out, n);
    else
        sv_network_mark_inactive(n);
    sv_obj_end_job(&n->obj);
    sv_network_obj_end(n);
    return rc;
}

static int proc_create_xml(sv_client *c, void *a, void *r)
{
    remote_network_create_xml_args *args = a;
    remote_network_create_xml_ret *ret = r;

    return network_create_xml(args->xml, &ret->net);
}

static int proc_create_xml_flags(sv_client *c, void *a, void *r)
{
    remote_network_create_xml_flags_args *args = a;
    remote_network_create_xml_flags_ret *ret = r;

    if (check_flags(args->flags, NETWORK_VALIDATE, "virNetworkCreateXMLFlags") < 0)
        return -1;
    return network_create_xml(args->xml, &ret->net);
}

static int proc_destroy(sv_client *c, void *a, void *r)
{
    remote_network_destroy_args *args = a;
    const sv_net_driver *drv = sv_net_driver_get();
    sv_network_obj *n = network_get(&args->net);
    int rc = -1;

    if (!n)
        return -1;
    if (sv_obj_begin_job(&n->obj) < 0) {
        sv_network_obj_end(n);
        return -1;
    }
    if (!n->obj.active) {
        sv_report(SV_FROM_NETWORK, SV_ERR_OPERATION_INVALID, "network '%s' is not active",
                  n->obj.name);
    } else if (!drv || !drv->network_stop || drv->network_stop(n) == 0) {
        sv_network_mark_inactive(n);
        network_event(n, SV_NETWORK_EVENT_STOPPED);
        rc = 0;
    }
    sv_obj_end_job(&n->obj);
    sv_network_obj_end(n);
    return rc;
}

/* ---- queries ---------------------------------------------------------------- */

static int proc_get_xml_desc(sv_client *c, void *a, void *r)
{
    remote_network_get_xml_desc_args *args = a;
    remote_network_get_xml_desc_ret *ret = r;
    const sv_network_def *def;
    sv_network_obj *n;

    if (check_flags(args->flags, NETWORK_XML_INACTIVE, "virNetworkGetXMLDesc") < 0 ||
        !(n = network_get(&args->net)))
        return -1;
    def = (args->flags & NETWORK_XML_INACTIVE) ? sv_obj_persistent_def(&n->obj) : n->obj.def;
    ret->xml = sv_network_def_format(def, (args->flags & NETWORK_XML_INACTIVE) || !n->obj.active ?
                                     SV_NETWORK_XML_INACTIVE : 0);
    sv_network_obj_end(n);
    if (!ret->xml) {
        sv_report(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR, "failed to format the network XML");
        return -1;
    }
    return 0;
}

static int proc_get_bridge_name(sv_client *c, void *a, void *r)
{
    remote_network_get_bridge_name_args *args = a;
    remote_network_get_bridge_name_ret *ret = r;
    sv_network_obj *n = network_get(&args->net);
    const sv_network_def *def;
    int rc = 0;

    if (!n)
        return -1;
    def = sv_network_obj_def(n);
    if (def->bridge_name && !strstr(def->bridge_name, "%d")) {
        ret->name = sv_strdup(def->bridge_name);
    } else {
        sv_report(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR,
                  "network '%s' does not have a bridge name.", n->obj.name);
        rc = -1;
    }
    sv_network_obj_end(n);
    return rc;
}

/* Answer a yes/no query about the network net names. */
static int network_flag(const remote_nonnull_network *net, sv_obj_flag flag, int *ret)
{
    sv_network_obj *n = network_get(net);

    if (!n)
        return -1;
    *ret = sv_obj_get_flag(&n->obj, flag);
    sv_network_obj_end(n);
    return 0;
}

static int proc_is_active(sv_client *c, void *a, void *r)
{
    return network_flag(&((remote_network_is_active_args *)a)->net, SV_OBJ_ACTIVE,
                        &((remote_network_is_active_ret *)r)->active);
}

static int proc_is_persistent(sv_client *c, void *a, void *r)
{
    return network_flag(&((remote_network_is_persistent_args *)a)->net, SV_OBJ_PERSISTENT,
                        &((remote_network_is_persistent_ret *)r)->persistent);
}

static int proc_get_autostart(sv_client *c, void *a, void *r)
{
    return network_flag(&((remote_network_get_autostart_args *)a)->net, SV_OBJ_AUTOSTART,
                        &((remote_network_get_autostart_ret *)r)->autostart);
}

static int proc_set_autostart(sv_client *c, void *a, void *r)
{
    remote_network_set_autostart_args *args = a;
    sv_network_obj *n = network_get(&args->net);
    int rc;

    if (!n)
        return -1;
    rc = sv_network_set_autostart(n, args->autostart != 0);
    sv_network_obj_end(n);
    return rc;
}

/* ---- listing ----------------------------------------------------------------- */

static int proc_list_all(sv_client *c, void *a, void *r)
{
    remote_connect_list_all_networks_args *args = a;
    remote_connect_list_all_networks_ret *ret = r;
    sv_network_obj **objs;
    size_t n;

    if (sv_network_list(args->flags, &objs, &n) < 0)
        return -1;
    if (n > REMOTE_NETWORK_LIST_MAX) {
        sv_objlist_collect_free((sv_obj **)objs, n);
        sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "Too many networks '%zu' for limit '%d'", n,
                  REMOTE_NETWORK_LIST_MAX);
        return -1;
    }
    if (args->need_results) {
        ret->nets.nets_val = sv_calloc(n + 1, sizeof(*ret->nets.nets_val));
        ret->nets.nets_len = n;
        for (size_t i = 0; i < n; i++)
            network_ret(&ret->nets.nets_val[i], objs[i]);
    }
    ret->ret = n;
    sv_objlist_collect_free((sv_obj **)objs, n);
    return 0;
}

/* Names of the active (or inactive) networks, at most max. */
static int list_names(bool active, int max, remote_nonnull_string **ret_names, u_int *ret_len)
{
    sv_network_obj **objs;
    size_t n, k;

    if (max < 0 || max > REMOTE_NETWORK_LIST_MAX) {
        sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "%s", "maxnames > REMOTE_NETWORK_LIST_MAX");
        return -1;
    }
    if (sv_network_list(active ? SV_LIST_NETWORKS_ACTIVE : SV_LIST_NETWORKS_INACTIVE,
                        &objs, &n) < 0)
        return -1;
    k = n < (size_t)max ? n : (size_t)max;
    *ret_names = sv_calloc(k + 1, sizeof(**ret_names));
    for (size_t i = 0; i < k; i++)
        (*ret_names)[i] = sv_strdup(objs[i]->obj.name);
    *ret_len = k;
    sv_objlist_collect_free((sv_obj **)objs, n);
    return 0;
}

static int proc_list_networks(sv_client *c, void *a, void *r)
{
    remote_connect_list_networks_args *args = a;
    remote_connect_list_networks_ret *ret = r;

    return list_names(true, args->maxnames, &ret->names.names_val, &ret->names.names_len);
}

static int proc_list_defined(sv_client *c, void *a, void *r)
{
    remote_connect_list_defined_networks_args *args = a;
    remote_connect_list_defined_networks_ret *ret = r;

    return list_names(false, args->maxnames, &ret->names.names_val, &ret->names.names_len);
}

static int proc_num_of_networks(sv_client *c, void *a, void *r)
{
    remote_connect_num_of_networks_ret *ret = r;

    ret->num = sv_network_count(true);
    return 0;
}

static int proc_num_of_defined(sv_client *c, void *a, void *r)
{
    remote_connect_num_of_defined_networks_ret *ret = r;

    ret->num = sv_network_count(false);
    return 0;
}

/* ---- the table ---------------------------------------------------------------- */

#define W SV_PROC_WRITE
#define I SV_PROC_INLINE

static const sv_proc network_procs[] = {
    SV_PROC_ENTRY(CONNECT_LIST_ALL_NETWORKS, connect_list_all_networks, proc_list_all, I,
                  "virConnectListAllNetworks"),
    SV_PROC_ENTRY_NOARGS(CONNECT_NUM_OF_NETWORKS, connect_num_of_networks, proc_num_of_networks,
                         I, "virConnectNumOfNetworks"),
    SV_PROC_ENTRY(CONNECT_LIST_NETWORKS, connect_list_networks, proc_list_networks, I,
                  "virConnectListNetworks"),
    SV_PROC_ENTRY_NOARGS(CONNECT_NUM_OF_DEFINED_NETWORKS, connect_num_of_defined_networks,
                         proc_num_of_defined, I, "virConnectNumOfDefinedNetworks"),
    SV_PROC_ENTRY(CONNECT_LIST_DEFINED_NETWORKS, connect_list_defined_networks,
                  proc_list_defined, I, "virConnectListDefinedNetworks"),
    SV_PROC_ENTRY(NETWORK_LOOKUP_BY_NAME, network_lookup_by_name, proc_lookup_by_name, I,
                  "virNetworkLookupByName"),
    SV_PROC_ENTRY(NETWORK_LOOKUP_BY_UUID, network_lookup_by_uuid, proc_lookup_by_uuid, I,
                  "virNetworkLookupByUUID"),
    SV_PROC_ENTRY(NETWORK_DEFINE_XML, network_define_xml, proc_define_xml, W,
                  "virNetworkDefineXML"),
    SV_PROC_ENTRY(NETWORK_DEFINE_XML_FLAGS, network_define_xml_flags, proc_define_xml_flags, W,
                  "virNetworkDefineXMLFlags"),
    SV_PROC_ENTRY_NORET(NETWORK_UNDEFINE, network_undefine, proc_undefine, W,
                        "virNetworkUndefine"),
    SV_PROC_ENTRY_NORET(NETWORK_CREATE, network_create, proc_create, W, "virNetworkCreate"),
    SV_PROC_ENTRY(NETWORK_CREATE_XML, network_create_xml, proc_create_xml, W,
                  "virNetworkCreateXML"),
    SV_PROC_ENTRY(NETWORK_CREATE_XML_FLAGS, network_create_xml_flags, proc_create_xml_flags, W,
                  "virNetworkCreateXMLFlags"),
    SV_PROC_ENTRY_NORET(NETWORK_DESTROY, network_destroy, proc_destroy, W, "virNetworkDestroy"),
    SV_PROC_ENTRY(NETWORK_GET_XML_DESC, network_get_xml_desc, proc_get_xml_desc, I,
                  "virNetworkGetXMLDesc"),
    SV_PROC_ENTRY(NETWORK_GET_BRIDGE_NAME, network_get_bridge_name, proc_get_bridge_name, I,
                  "virNetworkGetBridgeName"),
    SV_PROC_ENTRY(NETWORK_IS_ACTIVE, network_is_active, proc_is_active, I, "virNetworkIsActive"),
    SV_PROC_ENTRY(NETWORK_IS_PERSISTENT, network_is_persistent, proc_is_persistent, I,
                  "virNetworkIsPersistent"),
    SV_PROC_ENTRY(NETWORK_GET_AUTOSTART, network_get_autostart, proc_get_autostart, I,
                  "virNetworkGetAutostart"),
    SV_PROC_ENTRY_NORET(NETWORK_SET_AUTOSTART, network_set_autostart, proc_set_autostart, W,
                        "virNetworkSetAutostart"),
};

const sv_proc_table sv_procs_network = SV_PROC_TABLE(network_procs);
