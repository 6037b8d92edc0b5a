/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain handles and the domain calls. */
#include <stdlib.h>
#include <string.h>

#include "cl_conn.h"
#include "remote_protocol.h"
#include "sv_util.h"

/* ---- Handles ------------------------------------------------------------ */

sepvirt_domain *cl_domain_new(sepvirt_conn *conn, const char *name,
                              const unsigned char uuid[SEPVIRT_UUID_BUFLEN], int id)
{
    sepvirt_domain *dom = sv_malloc0(sizeof(*dom));

    cl_conn_ref(conn);
    dom->conn = conn;
    dom->refs = 1;
    dom->name = sv_strdup(name);
    memcpy(dom->uuid, uuid, SEPVIRT_UUID_BUFLEN);
    dom->id = id;
    return dom;
}

static sepvirt_domain *domain_from_wire(sepvirt_conn *conn, const remote_nonnull_domain *rd)
{
    return cl_domain_new(conn, rd->name, (const unsigned char *)rd->uuid, rd->id);
}

int cl_check_dom(sepvirt_domain *dom)
{
    cl_enter();
    if (!dom) {
        cl_error_set(NULL, SV_FROM_DOMAIN, SV_ERR_INVALID_DOMAIN, "invalid domain pointer");
        return -1;
    }
    return 0;
}

int sepvirt_domain_ref(sepvirt_domain *dom)
{
    if (cl_check_dom(dom) < 0)
        return -1;
    __atomic_add_fetch(&dom->refs, 1, __ATOMIC_RELAXED);
    return 0;
}

int sepvirt_domain_free(sepvirt_domain *dom)
{
    if (cl_check_dom(dom) < 0)
        return -1;
    if (__atomic_sub_fetch(&dom->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        sepvirt_conn *conn = dom->conn;

        free(dom->name);
        free(dom);
        cl_conn_unref(conn);
    }
    return 0;
}

const char *sepvirt_domain_get_name(sepvirt_domain *dom)
{
    return cl_check_dom(dom) < 0 ? NULL : dom->name;
}

unsigned int sepvirt_domain_get_id(sepvirt_domain *dom)
{
    if (cl_check_dom(dom) < 0)
        return (unsigned int)-1;
    return (unsigned int)__atomic_load_n(&dom->id, __ATOMIC_RELAXED);
}

int sepvirt_domain_get_uuid(sepvirt_domain *dom, unsigned char ret_uuid[SEPVIRT_UUID_BUFLEN])
{
    if (cl_check_dom(dom) < 0)
        return -1;
    memcpy(ret_uuid, dom->uuid, SEPVIRT_UUID_BUFLEN);
    return 0;
}

int sepvirt_domain_get_uuid_string(sepvirt_domain *dom, char ret_uuid[SEPVIRT_UUID_STRING_BUFLEN])
{
    if (cl_check_dom(dom) < 0)
        return -1;
    sv_uuid_format(dom->uuid, ret_uuid);
    return 0;
}

sepvirt_conn *sepvirt_domain_get_conn(sepvirt_domain *dom)
{
    return cl_check_dom(dom) < 0 ? NULL : dom->conn;
}

void sepvirt_domain_list_free(sepvirt_domain **domains, int n)
{
    for (int i = 0; domains && i < n; i++)
        sepvirt_domain_free(domains[i]);
    free(domains);
}

/* ---- Call helpers ---------------------------------------------------------- */

void cl_domain_to_wire(sepvirt_domain *dom, remote_nonnull_domain *rd)
{
    rd->name = dom->name;
    memcpy(rd->uuid, dom->uuid, SEPVIRT_UUID_BUFLEN);
    rd->id = __atomic_load_n(&dom->id, __ATOMIC_RELAXED);
}

/* Procedures whose arguments are just {Dom}: all share this layout. */
static int call_dom(sepvirt_domain *dom, int proc, xdrproc_t ret_filter, void *ret)
{
    remote_domain_is_active_args args;

    cl_domain_to_wire(dom, &args.dom);
    return cl_call_remote(dom->conn, proc, (xdrproc_t)xdr_remote_domain_is_active_args, &args,
                          ret_filter, ret);
}

/* Procedures whose arguments are {Dom; unsigned int flags}. */
static int call_dom_flags(sepvirt_domain *dom, int proc, unsigned int flags,
                          xdrproc_t ret_filter, void *ret)
{
    remote_domain_get_xml_desc_args args;

    cl_domain_to_wire(dom, &args.dom);
    args.flags = flags;
    return cl_call_remote(dom->conn, proc, (xdrproc_t)xdr_remote_domain_get_xml_desc_args,
                          &args, ret_filter, ret);
}

/* Calls answering {Dom}: wrap the result in a new handle. */
static sepvirt_domain *call_for_domain(sepvirt_conn *conn, int proc, xdrproc_t args_filter,
                                       void *args)
{
    remote_nonnull_domain rd;
    sepvirt_domain *dom;

    memset(&rd, 0, sizeof(rd));
    if (cl_call_remote(conn, proc, args_filter, args,
                       (xdrproc_t)xdr_remote_nonnull_domain, &rd) < 0)
        return NULL;
    dom = domain_from_wire(conn, &rd);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&rd);
    return dom;
}

/* ---- Lookup and listing --------------------------------------------------- */

sepvirt_domain *sepvirt_domain_lookup_by_name(sepvirt_conn *conn, const char *name)
{
    remote_domain_lookup_by_name_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, name, "name") < 0)
        return NULL;
    args.name = (char *)name;
    return call_for_domain(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                           (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args);
}

sepvirt_domain *sepvirt_domain_lookup_by_uuid(sepvirt_conn *conn,
                                              const unsigned char uuid[SEPVIRT_UUID_BUFLEN])
{
    remote_domain_lookup_by_uuid_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    memcpy(args.uuid, uuid, SEPVIRT_UUID_BUFLEN);
    return call_for_domain(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                           (xdrproc_t)xdr_remote_domain_lookup_by_uuid_args, &args);
}

sepvirt_domain *sepvirt_domain_lookup_by_uuid_string(sepvirt_conn *conn, const char *uuid)
{
    unsigned char raw[SEPVIRT_UUID_BUFLEN];

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_uuid_arg(conn, uuid, raw) < 0)
        return NULL;
    return sepvirt_domain_lookup_by_uuid(conn, raw);
}

sepvirt_domain *sepvirt_domain_lookup_by_id(sepvirt_conn *conn, int id)
{
    remote_domain_lookup_by_id_args args = { .id = id };

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return NULL;
    if (id < 0) {
        cl_error_set(conn, SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: id must be non-negative");
        return NULL;
    }
    return call_for_domain(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_ID,
                           (xdrproc_t)xdr_remote_domain_lookup_by_id_args, &args);
}

int sepvirt_conn_list_all_domains(sepvirt_conn *conn, sepvirt_domain ***ret_domains,
                                  unsigned int flags)
{
    remote_connect_list_all_domains_args args = { .need_results = ret_domains != NULL,
                                                  .flags = flags };
    remote_connect_list_all_domains_ret ret;
    int n;

    cl_enter();
    if (cl_check_conn(conn) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (cl_call_remote(conn, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
                       (xdrproc_t)xdr_remote_connect_list_all_domains_args, &args,
                       (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret) < 0)
        return -1;
    if (ret_domains) {
        sepvirt_domain **list = sv_calloc(ret.domains.domains_len + 1, sizeof(*list));

        for (unsigned int i = 0; i < ret.domains.domains_len; i++)
            list[i] = domain_from_wire(conn, &ret.domains.domains_val[i]);
        *ret_domains = list;
        n = (int)ret.domains.domains_len;
    } else {
        n = (int)ret.ret;
    }
    xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&ret);
    return n;
}

/* ---- Definition -------------------------------------------------------------- */

/* DEFINE_XML {nstring xml}, DEFINE_XML_FLAGS and CREATE_XML
 * {nstring xml; unsigned int flags}. */
static sepvirt_domain *xml_call(sepvirt_conn *conn, int proc, const char *xml, bool with_flags,
                                unsigned int flags)
{
    remote_domain_define_xml_flags_args args;

    cl_enter();
    if (cl_check_conn(conn) < 0 || cl_require_arg(conn, xml, "xml") < 0)
        return NULL;
    args.xml = (char *)xml;
    args.flags = flags;
    if (with_flags)
        return call_for_domain(conn, proc, (xdrproc_t)xdr_remote_domain_define_xml_flags_args,
                               &args);
    return call_for_domain(conn, proc, (xdrproc_t)xdr_remote_domain_define_xml_args, &args.xml);
}

sepvirt_domain *sepvirt_domain_define_xml_flags(sepvirt_conn *conn, const char *xml,
                                                unsigned int flags)
{
    return xml_call(conn, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, xml, true, flags);
}

sepvirt_domain *sepvirt_domain_define_xml(sepvirt_conn *conn, const char *xml)
{
    return xml_call(conn, REMOTE_PROC_DOMAIN_DEFINE_XML, xml, false, 0);
}

sepvirt_domain *sepvirt_domain_create_xml(sepvirt_conn *conn, const char *xml,
                                          unsigned int flags)
{
    return xml_call(conn, REMOTE_PROC_DOMAIN_CREATE_XML, xml, true, flags);
}

int sepvirt_domain_undefine(sepvirt_domain *dom)
{
    if (cl_check_dom(dom) < 0)
        return -1;
    return call_dom(dom, REMOTE_PROC_DOMAIN_UNDEFINE, NULL, NULL);
}

int sepvirt_domain_undefine_flags(sepvirt_domain *dom, unsigned int flags)
{
    if (cl_check_dom(dom) < 0)
        return -1;
    return call_dom_flags(dom, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, flags, NULL, NULL);
}

char *sepvirt_domain_get_xml_desc(sepvirt_domain *dom, unsigned int flags)
{
    char *xml = NULL;

    if (cl_check_dom(dom) < 0)
        return NULL;
    if (call_dom_flags(dom, REMOTE_PROC_DOMAIN_GET_XML_DESC, flags,
                       (xdrproc_t)xdr_remote_domain_get_xml_desc_ret, &xml) < 0)
        return NULL;
    return xml;
}

/* ---- State ---------------------------------------------------------------------- */

int sepvirt_domain_get_info(sepvirt_domain *dom, sepvirt_domain_info *ret_info)
{
    remote_domain_get_info_ret ret;

    if (cl_check_dom(dom) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (call_dom(dom, REMOTE_PROC_DOMAIN_GET_INFO, (xdrproc_t)xdr_remote_domain_get_info_ret,
                 &ret) < 0)
        return -1;
    ret_info->state = ret.state;
    ret_info->max_mem_kib = ret.maxMem;
    ret_info->memory_kib = ret.memory;
    ret_info->nr_virt_cpu = ret.nrVirtCpu;
    ret_info->cpu_time_ns = ret.cpuTime;
    return 0;
}

int sepvirt_domain_get_state(sepvirt_domain *dom, int *ret_state, int *ret_reason,
                             unsigned int flags)
{
    remote_domain_get_state_ret ret = { 0 };

    if (cl_check_dom(dom) < 0)
        return -1;
    if (call_dom_flags(dom, REMOTE_PROC_DOMAIN_GET_STATE, flags,
                       (xdrproc_t)xdr_remote_domain_get_state_ret, &ret) < 0)
        return -1;
    *ret_state = ret.state;
    if (ret_reason)
        *ret_reason = ret.reason;
    return 0;
}

char *sepvirt_domain_get_os_type(sepvirt_domain *dom)
{
    char *type = NULL;

    if (cl_check_dom(dom) < 0)
        return NULL;
    if (call_dom(dom, REMOTE_PROC_DOMAIN_GET_OS_TYPE,
                 (xdrproc_t)xdr_remote_domain_get_os_type_ret, &type) < 0)
        return NULL;
    return type;
}

/* Calls answering one int. */
static int get_int(sepvirt_domain *dom, int proc, xdrproc_t ret_filter)
{
    int v = 0;

    if (cl_check_dom(dom) < 0)
        return -1;
    if (call_dom(dom, proc, ret_filter, &v) < 0)
        return -1;
    return v;
}

int sepvirt_domain_is_active(sepvirt_domain *dom)
{
    int v = get_int(dom, REMOTE_PROC_DOMAIN_IS_ACTIVE, (xdrproc_t)xdr_remote_domain_is_active_ret);

    return v < 0 ? -1 : v != 0;
}

int sepvirt_domain_is_persistent(sepvirt_domain *dom)
{
    int v = get_int(dom, REMOTE_PROC_DOMAIN_IS_PERSISTENT,
                    (xdrproc_t)xdr_remote_domain_is_persistent_ret);

    return v < 0 ? -1 : v != 0;
}

int sepvirt_domain_get_autostart(sepvirt_domain *dom, int *ret_autostart)
{
    int v = 0;

    if (cl_check_dom(dom) < 0)
        return -1;
    if (call_dom(dom, REMOTE_PROC_DOMAIN_GET_AUTOSTART,
                 (xdrproc_t)xdr_remote_domain_get_autostart_ret, &v) < 0)
        return -1;
    *ret_autostart = v;
    return 0;
}

int sepvirt_domain_set_autostart(sepvirt_domain *dom, int autostart)
{
    remote_domain_set_autostart_args args;

    if (cl_check_dom(dom) < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.autostart = autostart;
    return cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_SET_AUTOSTART,
                          (xdrproc_t)xdr_remote_domain_set_autostart_args, &args, NULL, NULL);
}

int sepvirt_domain_has_managed_save_image(sepvirt_domain *dom, unsigned int flags)
{
    int v = 0;

    if (cl_check_dom(dom) < 0)
        return -1;
    if (call_dom_flags(dom, REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, flags,
                       (xdrproc_t)xdr_remote_domain_has_managed_save_image_ret, &v) < 0)
        return -1;
    return v != 0;
}

int sepvirt_domain_get_security_label(sepvirt_domain *dom, sepvirt_security_label *ret_label)
{
    remote_domain_get_security_label_ret ret;
    size_t n;

    if (cl_check_dom(dom) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (call_dom(dom, REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL,
                 (xdrproc_t)xdr_remote_domain_get_security_label_ret, &ret) < 0)
        return -1;
    memset(ret_label, 0, sizeof(*ret_label));
    n = ret.label.label_len;
    if (n >= sizeof(ret_label->label))
        n = sizeof(ret_label->label) - 1;
    if (n > 0)   /* an empty array arrives as NULL */
        memcpy(ret_label->label, ret.label.label_val, n);
    ret_label->enforcing = ret.enforcing;
    xdr_free((xdrproc_t)xdr_remote_domain_get_security_label_ret, (char *)&ret);
    return 0;
}

int sepvirt_domain_get_messages(sepvirt_domain *dom, char ***ret_msgs, unsigned int flags)
{
    remote_domain_get_messages_ret ret;
    char **msgs;
    unsigned int n;

    if (cl_check_dom(dom) < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    if (call_dom_flags(dom, REMOTE_PROC_DOMAIN_GET_MESSAGES, flags,
                       (xdrproc_t)xdr_remote_domain_get_messages_ret, &ret) < 0)
        return -1;
    n = ret.msgs.msgs_len;
    msgs = sv_calloc(n + 1, sizeof(*msgs));
    for (unsigned int i = 0; i < n; i++)
        msgs[i] = sv_strdup(ret.msgs.msgs_val[i]);
    xdr_free((xdrproc_t)xdr_remote_domain_get_messages_ret, (char *)&ret);
    *ret_msgs = msgs;
    return (int)n;
}

char *sepvirt_domain_get_metadata(sepvirt_domain *dom, int type, const char *uri,
                                  unsigned int flags)
{
    remote_domain_get_metadata_args args;
    char *md = NULL;

    if (cl_check_dom(dom) < 0)
        return NULL;
    cl_domain_to_wire(dom, &args.dom);
    args.type = type;
    args.uri = uri ? (char **)&uri : NULL;
    args.flags = flags;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_GET_METADATA,
                       (xdrproc_t)xdr_remote_domain_get_metadata_args, &args,
                       (xdrproc_t)xdr_remote_domain_get_metadata_ret, &md) < 0)
        return NULL;
    return md;
}

int sepvirt_domain_set_metadata(sepvirt_domain *dom, int type, const char *metadata,
                                const char *key, const char *uri, unsigned int flags)
{
    remote_domain_set_metadata_args args;

    if (cl_check_dom(dom) < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.type = type;
    args.metadata = metadata ? (char **)&metadata : NULL;
    args.key = key ? (char **)&key : NULL;
    args.uri = uri ? (char **)&uri : NULL;
    args.flags = flags;
    return cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_SET_METADATA,
                          (xdrproc_t)xdr_remote_domain_set_metadata_args, &args, NULL, NULL);
}

/* ---- Lifecycle --------------------------------------------------------------------- */

int sepvirt_domain_create(sepvirt_domain *dom)
{
    remote_domain_lookup_by_uuid_args args;
    remote_nonnull_domain rd;

    if (cl_check_dom(dom) < 0)
        return -1;
    if (call_dom(dom, REMOTE_PROC_DOMAIN_CREATE, NULL, NULL) < 0)
        return -1;
    /* DOMAIN_CREATE answers nothing; learn the new id the way libvirt does. */
    memcpy(args.uuid, dom->uuid, SEPVIRT_UUID_BUFLEN);
    memset(&rd, 0, sizeof(rd));
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                       (xdrproc_t)xdr_remote_domain_lookup_by_uuid_args, &args,
                       (xdrproc_t)xdr_remote_nonnull_domain, &rd) == 0) {
        __atomic_store_n(&dom->id, rd.id, __ATOMIC_RELAXED);
        xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&rd);
    } else {
        sv_error_reset();
    }
    return 0;
}

int sepvirt_domain_create_with_flags(sepvirt_domain *dom, unsigned int flags)
{
    remote_nonnull_domain rd;

    if (cl_check_dom(dom) < 0)
        return -1;
    memset(&rd, 0, sizeof(rd));
    if (call_dom_flags(dom, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, flags,
                       (xdrproc_t)xdr_remote_nonnull_domain, &rd) < 0)
        return -1;
    __atomic_store_n(&dom->id, rd.id, __ATOMIC_RELAXED);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&rd);
    return 0;
}

/* Lifecycle calls with no result; a domain that stopped loses its id. */
static int lifecycle(sepvirt_domain *dom, int proc, bool with_flags, unsigned int flags,
                     bool stops)
{
    int r;

    if (cl_check_dom(dom) < 0)
        return -1;
    r = with_flags ? call_dom_flags(dom, proc, flags, NULL, NULL)
                   : call_dom(dom, proc, NULL, NULL);
    if (r == 0 && stops)
        __atomic_store_n(&dom->id, -1, __ATOMIC_RELAXED);
    return r;
}

int sepvirt_domain_destroy(sepvirt_domain *dom)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_DESTROY, false, 0, true);
}

int sepvirt_domain_destroy_flags(sepvirt_domain *dom, unsigned int flags)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, true, flags, true);
}

int sepvirt_domain_shutdown(sepvirt_domain *dom)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_SHUTDOWN, false, 0, false);
}

int sepvirt_domain_shutdown_flags(sepvirt_domain *dom, unsigned int flags)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS, true, flags, false);
}

int sepvirt_domain_reboot(sepvirt_domain *dom, unsigned int flags)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_REBOOT, true, flags, false);
}

int sepvirt_domain_reset(sepvirt_domain *dom, unsigned int flags)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_RESET, true, flags, false);
}

int sepvirt_domain_suspend(sepvirt_domain *dom)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_SUSPEND, false, 0, false);
}

int sepvirt_domain_resume(sepvirt_domain *dom)
{
    return lifecycle(dom, REMOTE_PROC_DOMAIN_RESUME, false, 0, false);
}
