/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Monitoring procedures of running domains, through the hypervisor
 * driver's hooks: interface, block and memory statistics, control info and
 * interface addresses (virsh domifstat, domblkstat, dommemstat, domcontrol,
 * domifaddr).  All are allowed on read-only connections, as in libvirt,
 * except asking the guest agent for addresses.
 */
#include "proc_domain.h"

#include <string.h>
#include <time.h>

#include "client.h"
#include "driver.h"
#include "sv_error.h"

typedef enum { HOOK_IFSTATS, HOOK_BLKSTATS, HOOK_MEMSTATS, HOOK_ADDRESSES } hook_kind;

/* The running domain dom names and the driver, or NULL with libvirt's
 * error (no such domain, no support, not running).  needs_job: the hook
 * talks to the monitor; the job is then held on return. */
static sv_domain_obj *domain_for(const remote_nonnull_domain *dom, hook_kind hook, bool needs_job,
                                 const char *api, const sv_hv_driver **ret_drv)
{
    const sv_hv_driver *drv = sv_hv_driver_get();
    sv_domain_obj *d;
    bool has = false;

    if (!(d = sv_proc_domain_get(dom)))
        return NULL;
    if (drv) {
        switch (hook) {
        case HOOK_IFSTATS: has = drv->domain_interface_stats != NULL; break;
        case HOOK_BLKSTATS: has = drv->domain_block_stats != NULL; break;
        case HOOK_MEMSTATS: has = drv->domain_memory_stats != NULL; break;
        case HOOK_ADDRESSES: has = drv->domain_interface_addresses != NULL; break;
        }
    }
    if (!has) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_NO_SUPPORT, "%s", api);
        sv_domain_obj_end(d);
        return NULL;
    }
    if (needs_job && sv_obj_begin_job(&d->obj) < 0) {
        sv_domain_obj_end(d);
        return NULL;
    }
    if (!d->obj.active) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "%s", "domain is not running");
        if (needs_job)
            sv_obj_end_job(&d->obj);
        sv_domain_obj_end(d);
        return NULL;
    }
    *ret_drv = drv;
    return d;
}

static void domain_done(sv_domain_obj *d, bool had_job)
{
    if (had_job)
        sv_obj_end_job(&d->obj);
    sv_domain_obj_end(d);
}

static int proc_interface_stats(sv_client *c, void *a, void *r)
{
    remote_domain_interface_stats_args *args = a;
    remote_domain_interface_stats_ret *ret = r;
    const sv_hv_driver *drv;
    sv_domain_interface_stats st;
    sv_domain_obj *d;
    int rc;

    if (!(d = domain_for(&args->dom, HOOK_IFSTATS, false, "virDomainInterfaceStats", &drv)))
        return -1;
    rc = drv->domain_interface_stats(d, args->device, &st);
    domain_done(d, false);
    if (rc < 0)
        return -1;
    *ret = (remote_domain_interface_stats_ret){
        st.rx_bytes, st.rx_packets, st.rx_errs, st.rx_drop,
        st.tx_bytes, st.tx_packets, st.tx_errs, st.tx_drop,
    };
    return 0;
}

static int proc_block_stats(sv_client *c, void *a, void *r)
{
    remote_domain_block_stats_args *args = a;
    remote_domain_block_stats_ret *ret = r;
    const sv_hv_driver *drv;
    sv_domain_block_stats st;
    sv_domain_obj *d;
    int rc;

    if (!(d = domain_for(&args->dom, HOOK_BLKSTATS, true, "virDomainBlockStats", &drv)))
        return -1;
    rc = drv->domain_block_stats(d, args->path, &st);
    domain_done(d, true);
    if (rc < 0)
        return -1;
    *ret = (remote_domain_block_stats_ret){ st.rd_req, st.rd_bytes, st.wr_req, st.wr_bytes, st.errs };
    return 0;
}

static int proc_memory_stats(sv_client *c, void *a, void *r)
{
    remote_domain_memory_stats_args *args = a;
    remote_domain_memory_stats_ret *ret = r;
    sv_domain_memory_stat stats[SV_DOMAIN_MEMORY_STAT_NR];
    unsigned nr = args->maxStats < SV_DOMAIN_MEMORY_STAT_NR ? args->maxStats : SV_DOMAIN_MEMORY_STAT_NR;
    const sv_hv_driver *drv;
    sv_domain_obj *d;
    int n;

    if (args->maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX) {
        sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "%s", "maxStats > REMOTE_DOMAIN_MEMORY_STATS_MAX");
        return -1;
    }
    if (sv_proc_check_flags(args->flags, 0, "virDomainMemoryStats") < 0)
        return -1;
    if (!(d = domain_for(&args->dom, HOOK_MEMSTATS, true, "virDomainMemoryStats", &drv)))
        return -1;
    n = drv->domain_memory_stats(d, stats, nr);
    domain_done(d, true);
    if (n < 0)
        return -1;
    ret->stats.stats_val = sv_calloc((size_t)n + 1, sizeof(*ret->stats.stats_val));
    ret->stats.stats_len = (u_int)n;
    for (int i = 0; i < n; i++) {
        ret->stats.stats_val[i].tag = stats[i].tag;
        ret->stats.stats_val[i].val = stats[i].val;
    }
    return 0;
}

/* virDomainGetControlInfo: the driver reports a broken or busy monitor;
 * otherwise a job on the domain is a JOB state as long as it lasts. */
static int proc_get_control_info(sv_client *c, void *a, void *r)
{
    remote_domain_get_control_info_args *args = a;
    remote_domain_get_control_info_ret *ret = r;
    const sv_hv_driver *drv = sv_hv_driver_get();
    sv_domain_control_info info = { SV_DOMAIN_CONTROL_OK, 0, 0 };
    sv_domain_obj *d;
    int rc = 0;

    if (sv_proc_check_flags(args->flags, 0, "virDomainGetControlInfo") < 0)
        return -1;
    if (!(d = sv_proc_domain_get(&args->dom)))
        return -1;
    if (!d->obj.active) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_INVALID, "%s", "domain is not running");
        rc = -1;
    } else if (drv && drv->domain_get_control_info) {
        rc = drv->domain_get_control_info(d, &info);
    }
    if (rc == 0 && info.state == SV_DOMAIN_CONTROL_OK && d->obj.job) {
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        info.state = SV_DOMAIN_CONTROL_JOB;
        info.state_time_ms = (unsigned long long)now.tv_sec * 1000 +
                             (unsigned long long)now.tv_nsec / 1000000 - d->obj.job_start_ms;
    }
    sv_domain_obj_end(d);
    if (rc < 0)
        return -1;
    ret->state = info.state;
    ret->details = info.details;
    ret->stateTime = info.state_time_ms;
    return 0;
}

static void ifaces_free(sv_domain_iface *ifaces, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < ifaces[i].naddrs; k++)
            free(ifaces[i].addrs[k].addr);
        free(ifaces[i].addrs);
        free(ifaces[i].name);
        free(ifaces[i].hwaddr);
    }
    free(ifaces);
}

/* Move the driver's list into the reply (strings change owner). */
static int ifaces_ret(sv_domain_iface *ifaces, size_t n, remote_domain_interface_addresses_ret *ret)
{
    if (n > REMOTE_DOMAIN_INTERFACE_MAX) {
        sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "Number of interfaces, %zu exceeds the max limit: %d",
                  n, REMOTE_DOMAIN_INTERFACE_MAX);
        return -1;
    }
    ret->ifaces.ifaces_val = sv_calloc(n + 1, sizeof(*ret->ifaces.ifaces_val));
    ret->ifaces.ifaces_len = (u_int)n;
    for (size_t i = 0; i < n; i++) {
        remote_domain_interface *out = &ret->ifaces.ifaces_val[i];
        sv_domain_iface *in = &ifaces[i];

        if (in->naddrs > REMOTE_DOMAIN_IP_ADDR_MAX) {
            sv_report(SV_FROM_REMOTE, SV_ERR_RPC, "Number of addresses, %zu exceeds the max limit: %d",
                      in->naddrs, REMOTE_DOMAIN_IP_ADDR_MAX);
            return -1;
        }
        out->name = in->name;
        in->name = NULL;
        if (in->hwaddr) {
            out->hwaddr = sv_malloc0(sizeof(*out->hwaddr));
            *out->hwaddr = in->hwaddr;
            in->hwaddr = NULL;
        }
        out->addrs.addrs_val = sv_calloc(in->naddrs + 1, sizeof(*out->addrs.addrs_val));
        out->addrs.addrs_len = (u_int)in->naddrs;
        for (size_t k = 0; k < in->naddrs; k++) {
            out->addrs.addrs_val[k].type = in->addrs[k].type;
            out->addrs.addrs_val[k].addr = in->addrs[k].addr;
            out->addrs.addrs_val[k].prefix = in->addrs[k].prefix;
            in->addrs[k].addr = NULL;
        }
    }
    return 0;
}

static int proc_interface_addresses(sv_client *c, void *a, void *r)
{
    remote_domain_interface_addresses_args *args = a;
    remote_domain_interface_addresses_ret *ret = r;
    const sv_hv_driver *drv;
    sv_domain_iface *ifaces = NULL;
    sv_domain_obj *d;
    size_t n = 0;
    int rc;

    if (sv_proc_check_flags(args->flags, 0, "virDomainInterfaceAddresses") < 0)
        return -1;
    if (args->source == SV_DOMAIN_IFADDR_SRC_AGENT && sv_client_readonly(c)) {
        sv_report(SV_FROM_QEMU, SV_ERR_OPERATION_DENIED, "%s",
                  "read only access prevents virDomainInterfaceAddresses");
        return -1;
    }
    if (!(d = domain_for(&args->dom, HOOK_ADDRESSES, false, "virDomainInterfaceAddresses", &drv)))
        return -1;
    if (args->source == SV_DOMAIN_IFADDR_SRC_AGENT) {
        sv_report(SV_FROM_QEMU, SV_ERR_ARGUMENT_UNSUPPORTED, "%s", "QEMU guest agent is not configured");
        rc = -1;
    } else {
        rc = drv->domain_interface_addresses(d, args->source, &ifaces, &n);
    }
    domain_done(d, false);
    if (rc == 0)
        rc = ifaces_ret(ifaces, n, ret);
    ifaces_free(ifaces, n);
    return rc;
}

static const sv_proc stats_procs[] = {
    SV_PROC_ENTRY(DOMAIN_INTERFACE_STATS, domain_interface_stats, proc_interface_stats, 0,
                  "virDomainInterfaceStats"),
    SV_PROC_ENTRY(DOMAIN_BLOCK_STATS, domain_block_stats, proc_block_stats, 0,
                  "virDomainBlockStats"),
    SV_PROC_ENTRY(DOMAIN_MEMORY_STATS, domain_memory_stats, proc_memory_stats, 0,
                  "virDomainMemoryStats"),
    SV_PROC_ENTRY(DOMAIN_GET_CONTROL_INFO, domain_get_control_info, proc_get_control_info,
                  SV_PROC_INLINE, "virDomainGetControlInfo"),
    SV_PROC_ENTRY(DOMAIN_INTERFACE_ADDRESSES, domain_interface_addresses, proc_interface_addresses,
                  0, "virDomainInterfaceAddresses"),
};

const sv_proc_table sv_procs_domain_stats = SV_PROC_TABLE(stats_procs);
