/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Network handles and the network calls. */
#include <stdlib.h>
#include <string.h>

#include "cl_conn.h"
#include "remote_protocol.h"
#include "sv_util.h"

sepvirt_network *cl_network_new(sepvirt_conn *conn, const char *name,
                                const unsigned char uuid[SEPVIRT_UUID_BUFLEN])
{
    sepvirt_network *net = sv_malloc0(sizeof(*net));

    cl_conn_ref(conn);
    net->conn = conn;
    net->refs = 1;
    net->name = sv_strdup(name);
    memcpy(net->uuid, uuid, SEPVIRT_UUID_BUFLEN);
    return net;
}

static sepvirt_network *network_from_wire(sepvirt_conn *conn, const remote_nonnull_network *rn)
{
    return cl_network_new(conn, rn->name, (const unsigned char *)rn->uuid);
}

static int check_net(sepvirt_network *net)
{
    cl_enter();
    if (!net) {
        cl_error_set(NULL, SV_FROM_NETWORK, SV_ERR_INVALID_NETWORK, "invalid network pointer");
        return -1;
    }
    return 0;
}

int sepvirt_network_ref(sepvirt_network *net)
{
    if (check_net(net) < 0)
        return -1;
    __atomic_add_fetch(&net->refs, 1, __ATOMIC_RELAXED);
    return 0;
}

int sepvirt_network_free(sepvirt_network *net)
{
    if (check_net(net) < 0)
        return -1;
    if (__atomic_sub_fetch(&net->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        sepvirt_conn *conn = net->conn;

        free(net->name);
        free(net);
        cl_conn_unref(conn);
    }
    return 0;
}

const char *sepvirt_network_get_name(sepvirt_network *net)
{
    return check_net(net) < 0 ? NULL : net->name;
}

int sepvirt_network_get_uuid(sepvirt_network *net, unsigned char ret_uuid[SEPVIRT_UUID_BUFLEN])
{
    if (check_net(net) < 0)
        return -1;
    memcpy(ret_uuid, net->uuid, SEPVIRT_UUID_BUFLEN);
    return 0;
}

int sepvirt_network_get_uuid_string(sepvirt_network *net,
                                    char ret_uuid[SEPVIRT_UUID_STRING_BUFLEN])
{
    if (check_net(net) < 0)
        return -1;
    sv_uuid_format(net->uuid, ret_uuid);
    return 0;
}

sepvirt_conn *sepvirt_network_get_conn(sepvirt_network *net)
{
    return check_net(net) < 0 ? NULL : net->conn;
}

void sepvirt_network_list_free(sepvirt_network **nets, int n)
{
    for (int i = 0; nets && i < n; i++)
        sepvirt_network_free(nets[i]);
    free(nets);
}

/* Procedures whose arguments are just {Net}: all share this layout. */
static int call_net(sepvirt_network *net, int proc, xdrproc_t ret_filter, void *ret)
{
    remote_network_is_active_args args;

    args.net.name = net->name;
    memcpy(args.net.uuid, net->uuid, SEPVIRT_UUID_BUFLEN);
    return cl_call_remote(net->conn, proc, (xdrproc_t)xdr_remote_network_is_active_args, &args,
                          ret_filter, ret);
}

static sepvirt_network *call_for_network(sepvirt_conn *conn, int proc, xdrproc_t args_filter,
                                         void *args)
{
    remote_nonnull_network rn;
    sepvirt_network *net;

    memset(&rn, 0, sizeof(rn));
    if (cl_call_remote(conn, proc, args_filter, args,
                       (xdrproc_t)xdr_remote_nonnull_network, &rn) < 0)
        return NULL;
    net = network_from_wire(conn, &rn);
    xdr_free((xdrproc_t)xdr_remote_nonnull_network, (char *)&rn);
    return net;
}

sepvirt_network *sepvirt_network_lookup_by_name(sepvirt_conn *conn, const char *name)
{
    remote_network_lookup_by_name_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, name, "name") < 0)
        return NULL;
    args.name = (char *)name;
    return call_for_network(conn, REMOTE_PROC_NETWORK_LOOKUP_BY_NAME,
                            (xdrproc_t)xdr_remote_network_lookup_by_name_args, &args);
}

sepvirt_network *sepvirt_network_lookup_by_uuid(sepvirt_conn *conn,
                                                const unsigned char uuid[SEPVIRT_UUID_BUFLEN])
{
    remote_network_lookup_by_uuid_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    memcpy(args.uuid, uuid, SEPVIRT_UUID_BUFLEN);
    return call_for_network(conn, REMOTE_PROC_NETWORK_LOOKUP_BY_UUID,
                            (xdrproc_t)xdr_remote_network_lookup_by_uuid_args, &args);
}

sepvirt_network *sepvirt_network_lookup_by_uuid_string(sepvirt_conn *conn, const char *uuid)
{
    unsigned char raw[SEPVIRT_UUID_BUFLEN];

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_uuid_arg(conn, uuid, raw) < 0)
        return NULL;
    return sepvirt_network_lookup_by_uuid(conn, raw);
}

int sepvirt_conn_list_all_networks(sepvirt_conn *conn, sepvirt_network ***ret_nets,
                                   unsigned int flags)
{
    remote_connect_list_all_networks_args args = { .need_results = ret_nets != NULL,
                                                   .flags = flags };
    remote_connect_list_all_networks_ret ret;
    int n;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_LIST_ALL_NETWORKS,
                       (xdrproc_t)xdr_remote_connect_list_all_networks_args, &args,
                       (xdrproc_t)xdr_remote_connect_list_all_networks_ret, &ret) < 0)
        return -1;
    if (ret_nets) {
        sepvirt_network **list = sv_calloc(ret.nets.nets_len + 1, sizeof(*list));

        for (unsigned int i = 0; i < ret.nets.nets_len; i++)
            list[i] = network_from_wire(conn, &ret.nets.nets_val[i]);
        *ret_nets = list;
        n = (int)ret.nets.nets_len;
    } else {
        n = (int)ret.ret;
    }
    xdr_free((xdrproc_t)xdr_remote_connect_list_all_networks_ret, (char *)&ret);
    return n;
}

/* DEFINE_XML/CREATE_XML {nstring xml}, DEFINE_XML_FLAGS {nstring xml;
 * unsigned int flags}. */
static sepvirt_network *xml_call(sepvirt_conn *conn, int proc, const char *xml, bool with_flags,
                                 unsigned int flags)
{
    remote_network_define_xml_flags_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, xml, "xml") < 0)
        return NULL;
    args.xml = (char *)xml;
    args.flags = flags;
    if (with_flags)
        return call_for_network(conn, proc, (xdrproc_t)xdr_remote_network_define_xml_flags_args,
                                &args);
    return call_for_network(conn, proc, (xdrproc_t)xdr_remote_network_define_xml_args,
                            &args.xml);
}

sepvirt_network *sepvirt_network_define_xml(sepvirt_conn *conn, const char *xml)
{
    return xml_call(conn, REMOTE_PROC_NETWORK_DEFINE_XML, xml, false, 0);
}

sepvirt_network *sepvirt_network_create_xml(sepvirt_conn *conn, const char *xml)
{
    return xml_call(conn, REMOTE_PROC_NETWORK_CREATE_XML, xml, false, 0);
}

sepvirt_network *sepvirt_network_define_xml_flags(sepvirt_conn *conn, const char *xml,
                                                  unsigned int flags)
{
    return xml_call(conn, REMOTE_PROC_NETWORK_DEFINE_XML_FLAGS, xml, true, flags);
}

int sepvirt_network_undefine(sepvirt_network *net)
{
    if (check_net(net) < 0)
        return -1;
    return call_net(net, REMOTE_PROC_NETWORK_UNDEFINE, NULL, NULL);
}

int sepvirt_network_create(sepvirt_network *net)
{
    if (check_net(net) < 0)
        return -1;
    return call_net(net, REMOTE_PROC_NETWORK_CREATE, NULL, NULL);
}

int sepvirt_network_destroy(sepvirt_network *net)
{
    if (check_net(net) < 0)
        return -1;
    return call_net(net, REMOTE_PROC_NETWORK_DESTROY, NULL, NULL);
}

char *sepvirt_network_get_xml_desc(sepvirt_network *net, unsigned int flags)
{
    remote_network_get_xml_desc_args args;
    char *xml = NULL;

    if (check_net(net) < 0)
        return NULL;
    args.net.name = net->name;
    memcpy(args.net.uuid, net->uuid, SEPVIRT_UUID_BUFLEN);
    args.flags = flags;
    if (cl_call_remote(net->conn, REMOTE_PROC_NETWORK_GET_XML_DESC,
                       (xdrproc_t)xdr_remote_network_get_xml_desc_args, &args,
                       (xdrproc_t)xdr_remote_network_get_xml_desc_ret, &xml) < 0)
        return NULL;
    return xml;
}

static int get_int(sepvirt_network *net, int proc, xdrproc_t ret_filter, int *ret_val)
{
    int v = 0;

    if (check_net(net) < 0)
        return -1;
    if (call_net(net, proc, ret_filter, &v) < 0)
        return -1;
    *ret_val = v;
    return 0;
}

int sepvirt_network_is_active(sepvirt_network *net)
{
    int v;

    if (get_int(net, REMOTE_PROC_NETWORK_IS_ACTIVE, (xdrproc_t)xdr_remote_network_is_active_ret,
                &v) < 0)
        return -1;
    return v != 0;
}

int sepvirt_network_is_persistent(sepvirt_network *net)
{
    int v;

    if (get_int(net, REMOTE_PROC_NETWORK_IS_PERSISTENT,
                (xdrproc_t)xdr_remote_network_is_persistent_ret, &v) < 0)
        return -1;
    return v != 0;
}

int sepvirt_network_get_autostart(sepvirt_network *net, int *ret_autostart)
{
    return get_int(net, REMOTE_PROC_NETWORK_GET_AUTOSTART,
                   (xdrproc_t)xdr_remote_network_get_autostart_ret, ret_autostart);
}

int sepvirt_network_set_autostart(sepvirt_network *net, int autostart)
{
    remote_network_set_autostart_args args;

    if (check_net(net) < 0)
        return -1;
    args.net.name = net->name;
    memcpy(args.net.uuid, net->uuid, SEPVIRT_UUID_BUFLEN);
    args.autostart = autostart;
    return cl_call_remote(net->conn, REMOTE_PROC_NETWORK_SET_AUTOSTART,
                          (xdrproc_t)xdr_remote_network_set_autostart_args, &args, NULL, NULL);
}

char *sepvirt_network_get_bridge_name(sepvirt_network *net)
{
    char *name = NULL;

    if (check_net(net) < 0)
        return NULL;
    if (call_net(net, REMOTE_PROC_NETWORK_GET_BRIDGE_NAME,
                 (xdrproc_t)xdr_remote_network_get_bridge_name_ret, &name) < 0)
        return NULL;
    return name;
}
