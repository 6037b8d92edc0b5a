/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain procedures: lookups, define/undefine, listing, autostart, and the
 * sv_procs_domain table (which also lists the handlers of
 * proc_domain_info.c, proc_domain_metadata.c and proc_domain_lifecycle.c).
 */
#include "proc_domain.h"

#include <string.h>

#include "events.h"
#include "sv_error.h"

/* virDomainUndefineFlagsValues */
enum {
    UNDEFINE_MANAGED_SAVE = 1 << 0,
    UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    UNDEFINE_NVRAM = 1 << 2,
    UNDEFINE_KEEP_NVRAM = 1 << 3,
    UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
    UNDEFINE_TPM = 1 << 5,
    UNDEFINE_KEEP_TPM = 1 << 6,
};

/* virDomainDefineFlags */
#define DEFINE_VALIDATE (1u << 0)

/* ---- helpers shared by the proc_domain*.c files ---------------------- */

sv_domain_obj *sv_proc_domain_get(const remote_nonnull_domain *dom)
{
    const unsigned char *uuid = (const unsigned char *)dom->uuid;
    sv_domain_obj *d = sv_domain_find_uuid(uuid);

    if (!d)
        sv_obj_error_no_uuid(sv_domain_class(), uuid, dom->name);
    return d;
}

void sv_proc_domain_ret(remote_nonnull_domain *out, const sv_domain_obj *d)
{
    out->name = sv_strdup(d->obj.name);
    memcpy(out->uuid, d->obj.uuid, SV_UUID_LEN);
    out->id = d->obj.id;
}

void sv_proc_domain_event(const sv_domain_obj *d, int event, int detail)
{
    sv_event_domain_lifecycle(d->obj.name, d->obj.uuid, d->obj.id, event, detail);
}

int sv_proc_domain_impact(const sv_domain_obj *d, unsigned *flags)
{
    if (!(*flags & (SV_DOMAIN_AFFECT_LIVE | SV_DOMAIN_AFFECT_CONFIG)))
        *flags |= d->obj.active ? SV_DOMAIN_AFFECT_LIVE : SV_DOMAIN_AFFECT_CONFIG;
    if ((*flags & SV_DOMAIN_AFFECT_LIVE) && !d->obj.active) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "domain is not running");
        return -1;
    }
    if ((*flags & SV_DOMAIN_AFFECT_CONFIG) && !d->obj.persistent) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID,
                  "transient domains do not have any persistent config");
        return -1;
    }
    return 0;
}

sv_domain_def *sv_proc_domain_one_def(sv_domain_obj *d, unsigned *flags)
{
    if ((*flags & SV_DOMAIN_AFFECT_LIVE) && (*flags & SV_DOMAIN_AFFECT_CONFIG)) {
        sv_report(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "%s",
                  "Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive");
        return NULL;
    }
    if (sv_proc_domain_impact(d, flags) < 0)
        return NULL;
    return (*flags & SV_DOMAIN_AFFECT_CONFIG) ? sv_obj_persistent_def(&d->obj) : d->obj.def;
}

/* ---- lookups ----------------------------------------------------------- */

static int proc_lookup_by_name(sv_client *c, void *a, void *r)
{
    remote_domain_lookup_by_name_args *args = a;
    remote_domain_lookup_by_name_ret *ret = r;
    sv_domain_obj *d = sv_domain_find_name(args->name);

    if (!d) {
        sv_obj_error_no_name(sv_domain_class(), args->name);
        return -1;
    }
    sv_proc_domain_ret(&ret->dom, d);
    sv_domain_obj_end(d);
    return 0;
}

static int proc_lookup_by_uuid(sv_client *c, void *a, void *r)
{
    remote_domain_lookup_by_uuid_args *args = a;
    remote_domain_lookup_by_uuid_ret *ret = r;
    const unsigned char *uuid = (const unsigned char *)args->uuid;
    sv_domain_obj *d = sv_domain_find_uuid(uuid);

    if (!d) {
        sv_obj_error_no_uuid(sv_domain_class(), uuid, NULL);
        return -1;
    }
    sv_proc_domain_ret(&ret->dom, d);
    sv_domain_obj_end(d);
    return 0;
}

static int proc_lookup_by_id(sv_client *c, void *a, void *r)
{
    remote_domain_lookup_by_id_args *args = a;
    remote_domain_lookup_by_id_ret *ret = r;
    sv_domain_obj *d = sv_domain_find_id(args->id);

    if (!d) {
        sv_report(SV_FROM_QEMU, SV_ERR_NO_DOMAIN, "no domain with matching id %d", args->id);
        return -1;
    }
    sv_proc_domain_ret(&ret->dom, d);
    sv_domain_obj_end(d);
    return 0;
}

/* ---- define / undefine -------------------------------------------------- */

static int domain_define(const char *xml, remote_nonnull_domain *out)
{
    sv_domain_def *def = sv_domain_def_parse(xml, strlen(xml), SV_DOMAIN_XML_INACTIVE);
    sv_domain_obj *d;
    bool updated;

    if (!def) {
        sv_report_add_prefix();
        return -1;
    }
    if (sv_domain_define(&def, &updated, &d) < 0) {
        sv_domain_def_free(def);
        return -1;
    }
    sv_proc_domain_ret(out, d);
    sv_proc_domain_event(d, SV_DOMAIN_EVENT_DEFINED,
                         updated ? SV_DOMAIN_EVENT_DEFINED_UPDATED : SV_DOMAIN_EVENT_DEFINED_ADDED);
    sv_domain_obj_end(d);
    return 0;
}

static int proc_define_xml(sv_client *c, void *a, void *r)
{
    remote_domain_define_xml_args *args = a;
    remote_domain_define_xml_ret *ret = r;

    return domain_define(args->xml, &ret->dom);
}

static int proc_define_xml_flags(sv_client *c, void *a, void *r)
{
    remote_domain_define_xml_flags_args *args = a;
    remote_domain_define_xml_flags_ret *ret = r;

    /* The parser always checks the whole document strictly, which is what
     * VALIDATE asks for. */
    if (sv_proc_check_flags(args->flags, DEFINE_VALIDATE, "virDomainDefineXMLFlags") < 0)
        return -1;
    return domain_define(args->xml, &ret->dom);
}

static int domain_undefine(const remote_nonnull_domain *dom, unsigned flags)
{
    sv_domain_obj *d;
    int r;

    if (sv_proc_check_flags(flags, UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA |
                            UNDEFINE_NVRAM | UNDEFINE_KEEP_NVRAM |
                            UNDEFINE_CHECKPOINTS_METADATA | UNDEFINE_TPM | UNDEFINE_KEEP_TPM,
                            "virDomainUndefineFlags") < 0)
        return -1;
    if ((flags & UNDEFINE_NVRAM) && (flags & UNDEFINE_KEEP_NVRAM)) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "cannot both keep and delete nvram");
        return -1;
    }
    if ((flags & UNDEFINE_TPM) && (flags & UNDEFINE_KEEP_TPM)) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "cannot both keep and delete TPM");
        return -1;
    }
    if (!(d = sv_proc_domain_get(dom)))
        return -1;
    if (sv_obj_begin_job(&d->obj) < 0) {
        sv_domain_obj_end(d);
        return -1;
    }
    r = sv_domain_undefine(d);
    if (r == 0)
        sv_proc_domain_event(d, SV_DOMAIN_EVENT_UNDEFINED, SV_DOMAIN_EVENT_UNDEFINED_REMOVED);
    sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
    return r;
}

static int proc_undefine(sv_client *c, void *a, void *r)
{
    remote_domain_undefine_args *args = a;

    return domain_undefine(&args->dom, 0);
}

static int proc_undefine_flags(sv_client *c, void *a, void *r)
{
    remote_domain_undefine_flags_args *args = a;

    return domain_undefine(&args->dom, args->flags);
}

/* ---- listing ------------------------------------------------------------ */

static int too_many(size_t n, int max)
{
    sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "Too many domains '%zu' for limit '%d'", n, max);
    return -1;
}

static int proc_list_all(sv_client *c, void *a, void *r)
{
    remote_connect_list_all_domains_args *args = a;
    remote_connect_list_all_domains_ret *ret = r;
    sv_domain_obj **objs;
    size_t n;

    if (sv_domain_list(args->flags, &objs, &n) < 0)
        return -1;
    if (n > REMOTE_DOMAIN_LIST_MAX) {
        sv_objlist_collect_free((sv_obj **)objs, n);
        return too_many(n, REMOTE_DOMAIN_LIST_MAX);
    }
    if (args->need_results) {
        ret->domains.domains_val = sv_calloc(n + 1, sizeof(*ret->domains.domains_val));
        ret->domains.domains_len = n;
        for (size_t i = 0; i < n; i++) {
            pthread_mutex_lock(&objs[i]->obj.lock);
            sv_proc_domain_ret(&ret->domains.domains_val[i], objs[i]);
            pthread_mutex_unlock(&objs[i]->obj.lock);
        }
    }
    ret->ret = n;
    sv_objlist_collect_free((sv_obj **)objs, n);
    return 0;
}

static int proc_num_of_domains(sv_client *c, void *a, void *r)
{
    remote_connect_num_of_domains_ret *ret = r;

    ret->num = sv_domain_count(true);
    return 0;
}

static int proc_num_of_defined(sv_client *c, void *a, void *r)
{
    remote_connect_num_of_defined_domains_ret *ret = r;

    ret->num = sv_domain_count(false);
    return 0;
}

/* The first max domains of one activity, or an error for a bad max. */
static int list_some(bool active, int max, sv_domain_obj ***ret_objs, size_t *ret_n)
{
    if (max < 0 || max > REMOTE_DOMAIN_LIST_MAX) {
        sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "%s",
                  active ? "maxids > REMOTE_DOMAIN_LIST_MAX" : "maxnames > REMOTE_DOMAIN_LIST_MAX");
        return -1;
    }
    if (sv_domain_list(active ? SV_LIST_DOMAINS_ACTIVE : SV_LIST_DOMAINS_INACTIVE,
                       ret_objs, ret_n) < 0)
        return -1;
    return 0;
}

static int proc_list_domains(sv_client *c, void *a, void *r)
{
    remote_connect_list_domains_args *args = a;
    remote_connect_list_domains_ret *ret = r;
    sv_domain_obj **objs;
    size_t n, k = 0;

    if (list_some(true, args->maxids, &objs, &n) < 0)
        return -1;
    ret->ids.ids_val = sv_calloc(n + 1, sizeof(int));
    for (size_t i = 0; i < n && k < (size_t)args->maxids; i++) {
        pthread_mutex_lock(&objs[i]->obj.lock);
        if (objs[i]->obj.id >= 0)
            ret->ids.ids_val[k++] = objs[i]->obj.id;
        pthread_mutex_unlock(&objs[i]->obj.lock);
    }
    ret->ids.ids_len = k;
    sv_objlist_collect_free((sv_obj **)objs, n);
    return 0;
}

static int proc_list_defined(sv_client *c, void *a, void *r)
{
    remote_connect_list_defined_domains_args *args = a;
    remote_connect_list_defined_domains_ret *ret = r;
    sv_domain_obj **objs;
    size_t n, k;

    if (list_some(false, args->maxnames, &objs, &n) < 0)
        return -1;
    k = n < (size_t)args->maxnames ? n : (size_t)args->maxnames;
    ret->names.names_val = sv_calloc(k + 1, sizeof(char *));
    for (size_t i = 0; i < k; i++)
        ret->names.names_val[i] = sv_strdup(objs[i]->obj.name);
    ret->names.names_len = k;
    sv_objlist_collect_free((sv_obj **)objs, n);
    return 0;
}

/* ---- simple queries and autostart --------------------------------------- */

/* Answer a yes/no query about the domain dom names. */
static int domain_flag(const remote_nonnull_domain *dom, sv_obj_flag flag, int *ret)
{
    sv_domain_obj *d = sv_proc_domain_get(dom);

    if (!d)
        return -1;
    *ret = sv_obj_get_flag(&d->obj, flag);
    sv_domain_obj_end(d);
    return 0;
}

static int proc_is_active(sv_client *c, void *a, void *r)
{
    return domain_flag(&((remote_domain_is_active_args *)a)->dom, SV_OBJ_ACTIVE,
                       &((remote_domain_is_active_ret *)r)->active);
}

static int proc_is_persistent(sv_client *c, void *a, void *r)
{
    return domain_flag(&((remote_domain_is_persistent_args *)a)->dom, SV_OBJ_PERSISTENT,
                       &((remote_domain_is_persistent_ret *)r)->persistent);
}

static int proc_is_updated(sv_client *c, void *a, void *r)
{
    return domain_flag(&((remote_domain_is_updated_args *)a)->dom, SV_OBJ_UPDATED,
                       &((remote_domain_is_updated_ret *)r)->updated);
}

static int proc_get_autostart(sv_client *c, void *a, void *r)
{
    return domain_flag(&((remote_domain_get_autostart_args *)a)->dom, SV_OBJ_AUTOSTART,
                       &((remote_domain_get_autostart_ret *)r)->autostart);
}

static int proc_set_autostart(sv_client *c, void *a, void *r)
{
    remote_domain_set_autostart_args *args = a;
    sv_domain_obj *d = sv_proc_domain_get(&args->dom);
    int rc;

    if (!d)
        return -1;
    rc = sv_domain_set_autostart(d, args->autostart != 0);
    sv_domain_obj_end(d);
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

#define W SV_PROC_WRITE
#define I SV_PROC_INLINE

static const sv_proc domain_procs[] = {
    SV_PROC_ENTRY(DOMAIN_LOOKUP_BY_NAME, domain_lookup_by_name, proc_lookup_by_name, I,
                  "virDomainLookupByName"),
    SV_PROC_ENTRY(DOMAIN_LOOKUP_BY_UUID, domain_lookup_by_uuid, proc_lookup_by_uuid, I,
                  "virDomainLookupByUUID"),
    SV_PROC_ENTRY(DOMAIN_LOOKUP_BY_ID, domain_lookup_by_id, proc_lookup_by_id, I,
                  "virDomainLookupByID"),
    SV_PROC_ENTRY(DOMAIN_DEFINE_XML, domain_define_xml, proc_define_xml, W,
                  "virDomainDefineXML"),
    SV_PROC_ENTRY(DOMAIN_DEFINE_XML_FLAGS, domain_define_xml_flags, proc_define_xml_flags, W,
                  "virDomainDefineXMLFlags"),
    SV_PROC_ENTRY_NORET(DOMAIN_UNDEFINE, domain_undefine, proc_undefine, W,
                        "virDomainUndefine"),
    SV_PROC_ENTRY_NORET(DOMAIN_UNDEFINE_FLAGS, domain_undefine_flags, proc_undefine_flags, W,
                        "virDomainUndefineFlags"),
    SV_PROC_ENTRY(CONNECT_LIST_ALL_DOMAINS, connect_list_all_domains, proc_list_all, I,
                  "virConnectListAllDomains"),
    SV_PROC_ENTRY_NOARGS(CONNECT_NUM_OF_DOMAINS, connect_num_of_domains, proc_num_of_domains, I,
                         "virConnectNumOfDomains"),
    SV_PROC_ENTRY(CONNECT_LIST_DOMAINS, connect_list_domains, proc_list_domains, I,
                  "virConnectListDomains"),
    SV_PROC_ENTRY_NOARGS(CONNECT_NUM_OF_DEFINED_DOMAINS, connect_num_of_defined_domains,
                         proc_num_of_defined, I, "virConnectNumOfDefinedDomains"),
    SV_PROC_ENTRY(CONNECT_LIST_DEFINED_DOMAINS, connect_list_defined_domains, proc_list_defined,
                  I, "virConnectListDefinedDomains"),
    SV_PROC_ENTRY(DOMAIN_IS_ACTIVE, domain_is_active, proc_is_active, I, "virDomainIsActive"),
    SV_PROC_ENTRY(DOMAIN_IS_PERSISTENT, domain_is_persistent, proc_is_persistent, I,
                  "virDomainIsPersistent"),
    SV_PROC_ENTRY(DOMAIN_IS_UPDATED, domain_is_updated, proc_is_updated, I,
                  "virDomainIsUpdated"),
    SV_PROC_ENTRY(DOMAIN_GET_AUTOSTART, domain_get_autostart, proc_get_autostart, I,
                  "virDomainGetAutostart"),
    SV_PROC_ENTRY_NORET(DOMAIN_SET_AUTOSTART, domain_set_autostart, proc_set_autostart, W,
                        "virDomainSetAutostart"),

    /* proc_domain_info.c */
    SV_PROC_ENTRY(DOMAIN_GET_XML_DESC, domain_get_xml_desc, sv_proc_domain_get_xml_desc, I,
                  "virDomainGetXMLDesc"),
    SV_PROC_ENTRY(DOMAIN_GET_INFO, domain_get_info, sv_proc_domain_get_info, SV_PROC_TRY_INLINE,
                  "virDomainGetInfo"),
    SV_PROC_ENTRY(DOMAIN_GET_STATE, domain_get_state, sv_proc_domain_get_state, I,
                  "virDomainGetState"),
    SV_PROC_ENTRY(DOMAIN_GET_OS_TYPE, domain_get_os_type, sv_proc_domain_get_os_type, I,
                  "virDomainGetOSType"),
    SV_PROC_ENTRY(DOMAIN_GET_MAX_MEMORY, domain_get_max_memory, sv_proc_domain_get_max_memory, I,
                  "virDomainGetMaxMemory"),
    SV_PROC_ENTRY(DOMAIN_GET_MAX_VCPUS, domain_get_max_vcpus, sv_proc_domain_get_max_vcpus, I,
                  "virDomainGetMaxVcpus"),
    SV_PROC_ENTRY(DOMAIN_GET_VCPUS_FLAGS, domain_get_vcpus_flags, sv_proc_domain_get_vcpus_flags,
                  I, "virDomainGetVcpusFlags"),
    SV_PROC_ENTRY(DOMAIN_HAS_MANAGED_SAVE_IMAGE, domain_has_managed_save_image,
                  sv_proc_domain_has_managed_save_image, I, "virDomainHasManagedSaveImage"),
    SV_PROC_ENTRY(DOMAIN_SNAPSHOT_NUM, domain_snapshot_num, sv_proc_domain_snapshot_num, I,
                  "virDomainSnapshotNum"),
    SV_PROC_ENTRY(DOMAIN_GET_SECURITY_LABEL, domain_get_security_label,
                  sv_proc_domain_get_security_label, I, "virDomainGetSecurityLabel"),
    SV_PROC_ENTRY(DOMAIN_GET_SECURITY_LABEL_LIST, domain_get_security_label_list,
                  sv_proc_domain_get_security_label_list, I, "virDomainGetSecurityLabelList"),
    SV_PROC_ENTRY(DOMAIN_GET_MESSAGES, domain_get_messages, sv_proc_domain_get_messages, I,
                  "virDomainGetMessages"),

    /* proc_domain_metadata.c */
    SV_PROC_ENTRY(DOMAIN_GET_METADATA, domain_get_metadata, sv_proc_domain_get_metadata, I,
                  "virDomainGetMetadata"),
    SV_PROC_ENTRY_NORET(DOMAIN_SET_METADATA, domain_set_metadata, sv_proc_domain_set_metadata, W,
                        "virDomainSetMetadata"),

    /* proc_domain_lifecycle.c */
    SV_PROC_ENTRY_NORET(DOMAIN_CREATE, domain_create, sv_proc_domain_create, W,
                        "virDomainCreate"),
    SV_PROC_ENTRY(DOMAIN_CREATE_WITH_FLAGS, domain_create_with_flags,
                  sv_proc_domain_create_with_flags, W, "virDomainCreateWithFlags"),
    SV_PROC_ENTRY(DOMAIN_CREATE_XML, domain_create_xml, sv_proc_domain_create_xml, W,
                  "virDomainCreateXML"),
    SV_PROC_ENTRY_NORET(DOMAIN_DESTROY, domain_destroy, sv_proc_domain_destroy, W,
                        "virDomainDestroy"),
    SV_PROC_ENTRY_NORET(DOMAIN_DESTROY_FLAGS, domain_destroy_flags, sv_proc_domain_destroy_flags,
                        W, "virDomainDestroyFlags"),
    SV_PROC_ENTRY_NORET(DOMAIN_SHUTDOWN, domain_shutdown, sv_proc_domain_shutdown, W,
                        "virDomainShutdown"),
    SV_PROC_ENTRY_NORET(DOMAIN_SHUTDOWN_FLAGS, domain_shutdown_flags,
                        sv_proc_domain_shutdown_flags, W, "virDomainShutdownFlags"),
    SV_PROC_ENTRY_NORET(DOMAIN_REBOOT, domain_reboot, sv_proc_domain_reboot, W,
                        "virDomainReboot"),
    SV_PROC_ENTRY_NORET(DOMAIN_RESET, domain_reset, sv_proc_domain_reset, W, "virDomainReset"),
    SV_PROC_ENTRY_NORET(DOMAIN_SUSPEND, domain_suspend, sv_proc_domain_suspend, W,
                        "virDomainSuspend"),
    SV_PROC_ENTRY_NORET(DOMAIN_RESUME, domain_resume, sv_proc_domain_resume, W,
                        "virDomainResume"),
};

const sv_proc_table sv_procs_domain = SV_PROC_TABLE(domain_procs);
