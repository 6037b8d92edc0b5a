/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain procedures that report: XML, info, state, vCPUs, and the
 * answers about features sepvirt does not have yet (managed save,
 * snapshots, security labels, messages). */
#include "proc_domain.h"

#include "client.h"
#include "driver.h"
#include "sv_error.h"

/* virDomainXMLFlags */
enum {
    XML_SECURE = 1 << 0,
    XML_INACTIVE = 1 << 1,
    XML_UPDATE_CPU = 1 << 2,
    XML_MIGRATABLE = 1 << 3,
};

/* virDomainVcpuFlags */
enum {
    VCPU_MAXIMUM = 1 << 2,
    VCPU_GUEST = 1 << 3,
};

/* virDomainMessageType */
enum {
    MESSAGE_DEPRECATION = 1 << 0,
    MESSAGE_TAINTING = 1 << 1,
};

/* Every virConnectListAllSnapshots / virDomainSnapshotNum filter bit. */
#define SNAPSHOT_LIST_FLAGS ((1u << 11) - 1)

int sv_proc_domain_get_xml_desc(sv_client *c, void *a, void *r)
{
    remote_domain_get_xml_desc_args *args = a;
    remote_domain_get_xml_desc_ret *ret = r;
    const sv_domain_def *def;
    unsigned fmt = 0;
    sv_domain_obj *d;

    if (sv_proc_check_flags(args->flags, XML_SECURE | XML_INACTIVE | XML_UPDATE_CPU |
                            XML_MIGRATABLE, "virDomainGetXMLDesc") < 0)
        return -1;
    if ((args->flags & XML_SECURE) && sv_client_readonly(c)) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_DENIED, "virDomainGetXMLDesc with secure flag");
        return -1;
    }
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    def = (args->flags & XML_INACTIVE) ? sv_obj_persistent_def(&d->obj) : d->obj.def;
    /* The model holds no secrets (SECURE has nothing to add) and no host
     * CPU expansion (UPDATE_CPU); the migratable form is the config form. */
    if (!d->obj.active || (args->flags & (XML_INACTIVE | XML_MIGRATABLE)))
        fmt |= SV_DOMAIN_XML_INACTIVE;
    ret->xml = sv_domain_def_format(def, fmt);
    sv_domain_obj_end(d);
    if (!ret->xml) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "failed to format the domain XML");
        return -1;
    }
    return 0;
}

int sv_proc_domain_get_info(sv_client *c, void *a, void *r)
{
    remote_domain_get_info_args *args = a;
    remote_domain_get_info_ret *ret = r;
    const sv_hv_driver *drv = sv_hv_driver_get();
    sv_domain_obj *d = sv_proc_domain_get(&args->dom);
    const sv_domain_def *def;

    if (!d)
        return -1;
    def = sv_domain_obj_def(d);
    ret->state = d->state;
    ret->maxMem = def->memory_kib;
    ret->memory = def->current_memory_kib;
    ret->nrVirtCpu = def->vcpus_current;
    ret->cpuTime = 0;
    if (d->obj.active && drv && drv->domain_get_info) {
        sv_domain_runtime_info info;

        /* Asking the hypervisor may take a while: not on the event loop. */
        if (sv_proc_on_event_loop()) {
            sv_domain_obj_end(d);
            return SV_PROC_DEFER;
        }

        if (drv->domain_get_info(d, &info) < 0) {
            sv_domain_obj_end(d);
            return -1;
        }
        ret->memory = info.memory_kib;
        ret->cpuTime = info.cpu_time_ns;
    }
    sv_domain_obj_end(d);
    return 0;
}

int sv_proc_domain_get_state(sv_client *c, void *a, void *r)
{
    remote_domain_get_state_args *args = a;
    remote_domain_get_state_ret *ret = r;
    sv_domain_obj *d;

    if (sv_proc_check_flags(args->flags, 0, "virDomainGetState") < 0)
        return -1;
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    ret->state = sv_domain_get_state(d, &ret->reason);
    sv_domain_obj_end(d);
    return 0;
}

int sv_proc_domain_get_os_type(sv_client *c, void *a, void *r)
{
    remote_domain_get_os_type_args *args = a;
    remote_domain_get_os_type_ret *ret = r;
    sv_domain_obj *d = sv_proc_domain_get(&args->dom);

    if (!d)
        return -1;
    ret->type = sv_strdup(sv_domain_os_type_names[sv_domain_obj_def(d)->os.type]);
    sv_domain_obj_end(d);
    return 0;
}

int sv_proc_domain_get_max_memory(sv_client *c, void *a, void *r)
{
    remote_domain_get_max_memory_args *args = a;
    remote_domain_get_max_memory_ret *ret = r;
    sv_domain_obj *d = sv_proc_domain_get(&args->dom);

    if (!d)
        return -1;
    ret->memory = sv_domain_obj_def(d)->memory_kib;
    sv_domain_obj_end(d);
    return 0;
}

/* virDomainGetVcpusFlags on d (locked). */
static int vcpus_flags(sv_domain_obj *d, unsigned flags, int *ret_num)
{
    const sv_domain_def *def;

    if (!(def = sv_proc_domain_one_def(d, &flags)))
        return -1;
    if (flags & VCPU_GUEST) {
        if (flags & SV_DOMAIN_AFFECT_CONFIG) {
            sv_report(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "%s",
                      "vCPU count provided by the guest agent can only be requested for live domains");
            return -1;
        }
        sv_report(SV_FROM_QEMU, SV_ERR_ARGUMENT_UNSUPPORTED, "%s",
                  "QEMU guest agent is not configured");
        return -1;
    }
    *ret_num = (flags & VCPU_MAXIMUM) ? (int)def->vcpus : (int)def->vcpus_current;
    return 0;
}

int sv_proc_domain_get_vcpus_flags(sv_client *c, void *a, void *r)
{
    remote_domain_get_vcpus_flags_args *args = a;
    remote_domain_get_vcpus_flags_ret *ret = r;
    sv_domain_obj *d;
    int rc;

    if (sv_proc_check_flags(args->flags, SV_DOMAIN_AFFECT_LIVE | SV_DOMAIN_AFFECT_CONFIG |
                            VCPU_MAXIMUM | VCPU_GUEST, "virDomainGetVcpusFlags") < 0)
        return -1;
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    rc = vcpus_flags(d, args->flags, &ret->num);
    sv_domain_obj_end(d);
    return rc;
}

int sv_proc_domain_get_max_vcpus(sv_client *c, void *a, void *r)
{
    remote_domain_get_max_vcpus_args *args = a;
    remote_domain_get_max_vcpus_ret *ret = r;
    sv_domain_obj *d = sv_proc_domain_get(&args->dom);
    int rc;

    if (!d)
        return -1;
    /* libvirt answers this as GetVcpusFlags(LIVE | MAXIMUM). */
    rc = vcpus_flags(d, SV_DOMAIN_AFFECT_LIVE | VCPU_MAXIMUM, &ret->num);
    sv_domain_obj_end(d);
    return rc;
}

/* Check that dom exists (for the "nothing of that kind" answers below). */
static int domain_exists(const remote_nonnull_domain *dom)
{
    sv_domain_obj *d = sv_proc_domain_get(dom);

    if (!d)
        return -1;
    sv_domain_obj_end(d);
    return 0;
}

int sv_proc_domain_has_managed_save_image(sv_client *c, void *a, void *r)
{
    remote_domain_has_managed_save_image_args *args = a;
    remote_domain_has_managed_save_image_ret *ret = r;

    if (sv_proc_check_flags(args->flags, 0, "virDomainHasManagedSaveImage") < 0 ||
        domain_exists(&args->dom) < 0)
        return -1;
    ret->result = 0;
    return 0;
}

int sv_proc_domain_snapshot_num(sv_client *c, void *a, void *r)
{
    remote_domain_snapshot_num_args *args = a;
    remote_domain_snapshot_num_ret *ret = r;

    if (sv_proc_check_flags(args->flags, SNAPSHOT_LIST_FLAGS, "virDomainSnapshotNum") < 0 ||
        domain_exists(&args->dom) < 0)
        return -1;
    ret->num = 0;
    return 0;
}

/* No security driver labels domains yet: an empty label, not enforcing. */
int sv_proc_domain_get_security_label(sv_client *c, void *a, void *r)
{
    remote_domain_get_security_label_args *args = a;
    remote_domain_get_security_label_ret *ret = r;

    if (domain_exists(&args->dom) < 0)
        return -1;
    ret->label.label_len = 0;
    ret->enforcing = 0;
    return 0;
}

int sv_proc_domain_get_security_label_list(sv_client *c, void *a, void *r)
{
    remote_domain_get_security_label_list_args *args = a;
    remote_domain_get_security_label_list_ret *ret = r;

    if (domain_exists(&args->dom) < 0)
        return -1;
    ret->labels.labels_len = 0;
    ret->ret = 0;
    return 0;
}

int sv_proc_domain_get_messages(sv_client *c, void *a, void *r)
{
    remote_domain_get_messages_args *args = a;
    remote_domain_get_messages_ret *ret = r;

    if (sv_proc_check_flags(args->flags, MESSAGE_DEPRECATION | MESSAGE_TAINTING,
                            "virDomainGetMessages") < 0 ||
        domain_exists(&args->dom) < 0)
        return -1;
    ret->msgs.msgs_len = 0;
    return 0;
}
