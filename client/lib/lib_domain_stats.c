/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Statistics and state of running domains (sepvirt-domain-stats.h). */
#include <stdlib.h>
#include <string.h>

#include "cl_conn.h"
#include "remote_protocol.h"
#include "sv_util.h"

int sepvirt_domain_interface_stats(sepvirt_domain *dom, const char *device,
                                   sepvirt_interface_stats *ret_stats)
{
    remote_domain_interface_stats_args args;
    remote_domain_interface_stats_ret ret = { 0 };

    if (cl_check_dom(dom) < 0 || cl_require_arg(dom->conn, device, "device") < 0 ||
        cl_require_arg(dom->conn, ret_stats, "ret_stats") < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.device = (char *)(uintptr_t)device;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_INTERFACE_STATS,
                       (xdrproc_t)xdr_remote_domain_interface_stats_args, &args,
                       (xdrproc_t)xdr_remote_domain_interface_stats_ret, &ret) < 0)
        return -1;
    *ret_stats = (sepvirt_interface_stats){
        ret.rx_bytes, ret.rx_packets, ret.rx_errs, ret.rx_drop,
        ret.tx_bytes, ret.tx_packets, ret.tx_errs, ret.tx_drop,
    };
    return 0;
}

int sepvirt_domain_block_stats(sepvirt_domain *dom, const char *disk,
                               sepvirt_block_stats *ret_stats)
{
    remote_domain_block_stats_args args;
    remote_domain_block_stats_ret ret = { 0 };

    if (cl_check_dom(dom) < 0 || cl_require_arg(dom->conn, disk, "disk") < 0 ||
        cl_require_arg(dom->conn, ret_stats, "ret_stats") < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.path = (char *)(uintptr_t)disk;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_BLOCK_STATS,
                       (xdrproc_t)xdr_remote_domain_block_stats_args, &args,
                       (xdrproc_t)xdr_remote_domain_block_stats_ret, &ret) < 0)
        return -1;
    *ret_stats = (sepvirt_block_stats){ ret.rd_req, ret.rd_bytes, ret.wr_req,
                                               ret.wr_bytes, ret.errs };
    return 0;
}

int sepvirt_domain_memory_stats(sepvirt_domain *dom, sepvirt_domain_memory_stat *stats,
                                unsigned int nr_stats, unsigned int flags)
{
    remote_domain_memory_stats_args args;
    remote_domain_memory_stats_ret ret;
    unsigned int n;

    if (cl_check_dom(dom) < 0 || (nr_stats && cl_require_arg(dom->conn, stats, "stats") < 0))
        return -1;
    if (nr_stats > REMOTE_DOMAIN_MEMORY_STATS_MAX) {
        cl_error_set(dom->conn, SV_FROM_RPC, SV_ERR_RPC, "too many memory stats requested: %u > %d",
                     nr_stats, REMOTE_DOMAIN_MEMORY_STATS_MAX);
        return -1;
    }
    memset(&ret, 0, sizeof(ret));
    cl_domain_to_wire(dom, &args.dom);
    args.maxStats = nr_stats;
    args.flags = flags;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_MEMORY_STATS,
                       (xdrproc_t)xdr_remote_domain_memory_stats_args, &args,
                       (xdrproc_t)xdr_remote_domain_memory_stats_ret, &ret) < 0)
        return -1;
    n = ret.stats.stats_len < nr_stats ? ret.stats.stats_len : nr_stats;
    for (unsigned int i = 0; i < n; i++) {
        stats[i].tag = ret.stats.stats_val[i].tag;
        stats[i].val = ret.stats.stats_val[i].val;
    }
    xdr_free((xdrproc_t)xdr_remote_domain_memory_stats_ret, (char *)&ret);
    return (int)n;
}

int sepvirt_domain_get_control_info(sepvirt_domain *dom, sepvirt_domain_control_info *ret_info,
                                    unsigned int flags)
{
    remote_domain_get_control_info_args args;
    remote_domain_get_control_info_ret ret = { 0 };

    if (cl_check_dom(dom) < 0 || cl_require_arg(dom->conn, ret_info, "ret_info") < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.flags = flags;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_GET_CONTROL_INFO,
                       (xdrproc_t)xdr_remote_domain_get_control_info_args, &args,
                       (xdrproc_t)xdr_remote_domain_get_control_info_ret, &ret) < 0)
        return -1;
    *ret_info = (sepvirt_domain_control_info){ ret.state, ret.details, ret.stateTime };
    return 0;
}

void sepvirt_domain_interfaces_free(sepvirt_domain_interface *ifaces, int n)
{
    for (int i = 0; ifaces && i < n; i++) {
        for (unsigned int k = 0; k < ifaces[i].naddrs; k++)
            free(ifaces[i].addrs[k].addr);
        free(ifaces[i].addrs);
        free(ifaces[i].name);
        free(ifaces[i].hwaddr);
    }
    free(ifaces);
}

int sepvirt_domain_interface_addresses(sepvirt_domain *dom, sepvirt_domain_interface **ret_ifaces,
                                       unsigned int source, unsigned int flags)
{
    remote_domain_interface_addresses_args args;
    remote_domain_interface_addresses_ret ret;
    sepvirt_domain_interface *out;
    unsigned int n;

    if (cl_check_dom(dom) < 0 || cl_require_arg(dom->conn, ret_ifaces, "ret_ifaces") < 0)
        return -1;
    memset(&ret, 0, sizeof(ret));
    cl_domain_to_wire(dom, &args.dom);
    args.source = source;
    args.flags = flags;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_INTERFACE_ADDRESSES,
                       (xdrproc_t)xdr_remote_domain_interface_addresses_args, &args,
                       (xdrproc_t)xdr_remote_domain_interface_addresses_ret, &ret) < 0)
        return -1;
    n = ret.ifaces.ifaces_len;
    out = n ? sv_calloc(n, sizeof(*out)) : NULL;
    for (unsigned int i = 0; i < n; i++) {
        remote_domain_interface *in = &ret.ifaces.ifaces_val[i];

        out[i].name = sv_strdup(in->name);
        out[i].hwaddr = in->hwaddr ? sv_strdup(*in->hwaddr) : NULL;
        out[i].naddrs = in->addrs.addrs_len;
        out[i].addrs = in->addrs.addrs_len ? sv_calloc(in->addrs.addrs_len, sizeof(*out[i].addrs))
                                           : NULL;
        for (unsigned int k = 0; k < in->addrs.addrs_len; k++) {
            out[i].addrs[k].type = in->addrs.addrs_val[k].type;
            out[i].addrs[k].addr = sv_strdup(in->addrs.addrs_val[k].addr);
            out[i].addrs[k].prefix = in->addrs.addrs_val[k].prefix;
        }
    }
    xdr_free((xdrproc_t)xdr_remote_domain_interface_addresses_ret, (char *)&ret);
    *ret_ifaces = out;
    return (int)n;
}

int sepvirt_domain_get_vcpus_flags(sepvirt_domain *dom, unsigned int flags)
{
    remote_domain_get_vcpus_flags_args args;
    remote_domain_get_vcpus_flags_ret ret = { 0 };

    if (cl_check_dom(dom) < 0)
        return -1;
    cl_domain_to_wire(dom, &args.dom);
    args.flags = flags;
    if (cl_call_remote(dom->conn, REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS,
                       (xdrproc_t)xdr_remote_domain_get_vcpus_flags_args, &args,
                       (xdrproc_t)xdr_remote_domain_get_vcpus_flags_ret, &ret) < 0)
        return -1;
    return ret.num;
}
