/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Monitoring commands with virsh 9.0's output: domifstat, domblkstat
 * (the output virsh prints from virDomainBlockStats), dommemstat,
 * domcontrol, domifaddr, vcpucount.
 */
#include <stdio.h>
#include <string.h>

#include "sepvirsh.h"
#include "sv_util.h"

static sepvirt_domain *lookup(sh_ctl *ctl, const sh_cmd *cmd, const char **ret_name)
{
    return sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, ret_name);
}

/* ---- domifstat ---------------------------------------------------------------- */

const sh_opt_def sh_opts_domifstat[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", SH_OT_DATA, SH_OFLAG_REQ, "interface device specified by name or MAC Address" },
    { NULL, 0, 0, NULL },
};

bool sh_cmd_domifstat(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name, *device = NULL;
    sepvirt_domain *dom = lookup(ctl, cmd, &name);
    static const char *const labels[8] = {
        "rx_bytes", "rx_packets", "rx_errs", "rx_drop", "tx_bytes", "tx_packets", "tx_errs", "tx_drop",
    };
    sepvirt_interface_stats st;
    long long values[8];
    int r;

    if (!dom)
        return false;
    (void)sh_opt_string(cmd, "interface", &device);
    r = sepvirt_domain_interface_stats(dom, device, &st);
    sepvirt_domain_free(dom);
    if (r < 0) {
        sh_error(ctl, "Failed to get interface stats %s %s", name, device);
        return false;
    }
    values[0] = st.rx_bytes; values[1] = st.rx_packets; values[2] = st.rx_errs; values[3] = st.rx_drop;
    values[4] = st.tx_bytes; values[5] = st.tx_packets; values[6] = st.tx_errs; values[7] = st.tx_drop;
    for (int i = 0; i < 8; i++)
        if (values[i] >= 0)
            sh_print(ctl, "%s %s %lld\n", device, labels[i], values[i]);
    return true;
}

/* ---- domblkstat ----------------------------------------------------------------- */

const sh_opt_def sh_opts_domblkstat[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "device", SH_OT_STRING, 0, "block device" },
    { "human", SH_OT_BOOL, 0, "print a more human readable output" },
    { NULL, 0, 0, NULL },
};

bool sh_cmd_domblkstat(sh_ctl *ctl, const sh_cmd *cmd)
{
    static const struct { const char *legacy, *human; } names[5] = {
        { "rd_req", "number of read operations:" },
        { "rd_bytes", "number of bytes read:" },
        { "wr_req", "number of write operations:" },
        { "wr_bytes", "number of bytes written:" },
        { "errs", "error count:" },
    };
    bool human = sh_opt_bool(cmd, "human");
    const char *name, *device = NULL;
    sepvirt_domain *dom = lookup(ctl, cmd, &name);
    sepvirt_block_stats st;
    long long values[5];
    int r;

    if (!dom)
        return false;
    if (sh_opt_string(cmd, "device", &device) <= 0)
        device = "";    /* every disk */
    r = sepvirt_domain_block_stats(dom, device, &st);
    sepvirt_domain_free(dom);
    if (r < 0) {
        sh_error(ctl, "Failed to get block stats %s %s", name, device);
        return false;
    }
    if (human) {
        sh_print(ctl, "Device: %s\n", device);
        device = "";
    }
    values[0] = st.rd_req; values[1] = st.rd_bytes; values[2] = st.wr_req; values[3] = st.wr_bytes;
    values[4] = st.errs;
    for (int i = 0; i < 5; i++)
        if (values[i] >= 0)
            sh_print(ctl, "%s %-*s %lld\n", device, human ? 31 : 0,
                     human ? names[i].human : names[i].legacy, values[i]);
    return true;
}

/* ---- dommemstat ------------------------------------------------------------------ */

const sh_opt_def sh_opts_dommemstat[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "config", SH_OT_BOOL, 0, "affect next boot" },
    { "live", SH_OT_BOOL, 0, "affect running domain" },
    { "current", SH_OT_BOOL, 0, "affect current domain" },
    { NULL, 0, 0, NULL },
};

bool sh_cmd_dommemstat(sh_ctl *ctl, const sh_cmd *cmd)
{
    static const char *const tag_names[SEPVIRT_DOMAIN_MEMORY_STAT_NR] = {
        "swap_in", "swap_out", "major_fault", "minor_fault", "unused", "available", "actual",
        "rss", "usable", "last_update", "disk_caches", "hugetlb_pgalloc", "hugetlb_pgfail",
    };
    sepvirt_domain_memory_stat stats[SEPVIRT_DOMAIN_MEMORY_STAT_NR];
    const char *name;
    sepvirt_domain *dom;
    int n;

    if (sh_opt_bool(cmd, "current") && (sh_opt_bool(cmd, "live") || sh_opt_bool(cmd, "config"))) {
        sh_error(ctl, "Options --current and --%s are mutually exclusive",
                 sh_opt_bool(cmd, "live") ? "live" : "config");
        return false;
    }
    if (!(dom = lookup(ctl, cmd, &name)))
        return false;
    n = sepvirt_domain_memory_stats(dom, stats, SEPVIRT_DOMAIN_MEMORY_STAT_NR, 0);
    sepvirt_domain_free(dom);
    if (n < 0) {
        sh_error(ctl, "Failed to get memory statistics for domain %s", name);
        return false;
    }
    for (int i = 0; i < n; i++)
        if (stats[i].tag >= 0 && stats[i].tag < SEPVIRT_DOMAIN_MEMORY_STAT_NR)
            sh_print(ctl, "%s %llu\n", tag_names[stats[i].tag], stats[i].val);
    return true;
}

/* ---- domcontrol ------------------------------------------------------------------- */

bool sh_cmd_domcontrol(sh_ctl *ctl, const sh_cmd *cmd)
{
    static const char *const states[] = { "ok", "background job", "occupied", "error" };
    static const char *const reasons[] = { "", "unknown", "monitor failure",
                                           "internal (locking) error" };
    sepvirt_domain *dom = lookup(ctl, cmd, NULL);
    sepvirt_domain_control_info info;
    const char *state;
    int r;

    if (!dom)
        return false;
    r = sepvirt_domain_get_control_info(dom, &info, 0);
    sepvirt_domain_free(dom);
    if (r < 0)
        return false;
    state = info.state < SV_ARRAY_SIZE(states) ? states[info.state] : "unknown";
    if (info.state != SEPVIRT_DOMAIN_CONTROL_OK && info.state != SEPVIRT_DOMAIN_CONTROL_ERROR)
        sh_print(ctl, "%s (%0.3fs)\n", state, info.state_time / 1000.0);
    else if (info.state == SEPVIRT_DOMAIN_CONTROL_ERROR && info.details > 0)
        sh_print(ctl, "%s: %s\n", state,
                 info.details < SV_ARRAY_SIZE(reasons) ? reasons[info.details] : "unknown");
    else
        sh_print(ctl, "%s\n", state);
    return true;
}

/* ---- domifaddr ----------------------------------------------------------------------- */

const sh_opt_def sh_opts_domifaddr[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "interface", SH_OT_STRING, SH_OFLAG_REQ_OPT, "network interface name" },
    { "full", SH_OT_BOOL, 0, "always display names and MACs of interfaces" },
    { "source", SH_OT_STRING, SH_OFLAG_REQ_OPT, "address source: 'lease', 'agent', or 'arp'" },
    { NULL, 0, 0, NULL },
};

bool sh_cmd_domifaddr(sh_ctl *ctl, const sh_cmd *cmd)
{
    static const char *const sources[] = { "lease", "agent", "arp" };
    const char *want = NULL, *source_name = NULL;
    bool full = sh_opt_bool(cmd, "full");
    sepvirt_domain_interface *ifaces = NULL;
    unsigned int source = SEPVIRT_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE;
    sepvirt_domain *dom;
    int n;

    (void)sh_opt_string(cmd, "interface", &want);
    if (sh_opt_string(cmd, "source", &source_name) > 0) {
        for (source = 0; source < SV_ARRAY_SIZE(sources); source++)
            if (strcmp(source_name, sources[source]) == 0)
                break;
        if (source == SV_ARRAY_SIZE(sources)) {
            sh_error(ctl, "Unknown data source '%s'", source_name);
            return false;
        }
    }
    if (!(dom = lookup(ctl, cmd, NULL)))
        return false;
    n = sepvirt_domain_interface_addresses(dom, &ifaces, source, 0);
    sepvirt_domain_free(dom);
    if (n < 0) {
        sh_error(ctl, "%s", "Failed to query for interfaces addresses");
        return false;
    }
    sh_print_extra(ctl, " %-10s %-20s %-8s     %s\n%s%s\n", "Name", "MAC address", "Protocol",
                   "Address", "-------------------------------------------------",
                   "------------------------------");
    for (int i = 0; i < n; i++) {
        const sepvirt_domain_interface *ifc = &ifaces[i];

        if (want && strcmp(want, ifc->name) != 0)
            continue;
        if (!ifc->naddrs) {
            sh_print(ctl, " %-10s %-17s    %-12s %s\n", ifc->name,
                     ifc->hwaddr ? ifc->hwaddr : "N/A", "N/A", "N/A");
            continue;
        }
        for (unsigned int k = 0; k < ifc->naddrs; k++) {
            char addr[512];

            snprintf(addr, sizeof(addr), "%-12s %s/%u",
                     ifc->addrs[k].type == SEPVIRT_IP_ADDR_TYPE_IPV6 ? "ipv6" : "ipv4",
                     ifc->addrs[k].addr, ifc->addrs[k].prefix);
            if (full || k == 0)
                sh_print(ctl, " %-10s %-17s    %s\n", ifc->name, ifc->hwaddr ? ifc->hwaddr : "",
                         addr);
            else
                sh_print(ctl, " %-10s %-17s    %s\n", "-", "-", addr);
        }
    }
    sepvirt_domain_interfaces_free(ifaces, n);
    return true;
}

/* ---- vcpucount ------------------------------------------------------------------------ */

const sh_opt_def sh_opts_vcpucount[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "maximum", SH_OT_BOOL, 0, "get maximum count of vcpus" },
    { "active", SH_OT_BOOL, 0, "get number of currently active vcpus" },
    { "live", SH_OT_BOOL, 0, "get value from running domain" },
    { "config", SH_OT_BOOL, 0, "get value to be used on next boot" },
    { "current", SH_OT_BOOL, 0, "get value according to current domain state" },
    { "guest", SH_OT_BOOL, 0, "retrieve vcpu count from the guest instead of the hypervisor" },
    { NULL, 0, 0, NULL },
};

/* virshCPUCountCollect: -2 when the domain lacks what flags ask for (a
 * live count of an inactive domain: that row is left out). */
static int vcpu_count(sepvirt_domain *dom, unsigned int flags, bool check_state)
{
    if (check_state &&
        (((flags & SEPVIRT_DOMAIN_AFFECT_LIVE) && sepvirt_domain_is_active(dom) < 1) ||
         ((flags & SEPVIRT_DOMAIN_AFFECT_CONFIG) && sepvirt_domain_is_persistent(dom) < 1)))
        return -2;
    return sepvirt_domain_get_vcpus_flags(dom, flags);
}

static bool exclusive(sh_ctl *ctl, bool a, const char *na, bool b, const char *nb)
{
    if (a && b) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", na, nb);
        return false;
    }
    return true;
}

bool sh_cmd_vcpucount(sh_ctl *ctl, const sh_cmd *cmd)
{
    bool maximum = sh_opt_bool(cmd, "maximum"), active = sh_opt_bool(cmd, "active");
    bool live = sh_opt_bool(cmd, "live"), config = sh_opt_bool(cmd, "config");
    bool current = sh_opt_bool(cmd, "current"), guest = sh_opt_bool(cmd, "guest");
    bool all = !maximum && !active && !current && !config && !live && !guest;
    unsigned int flags = SEPVIRT_DOMAIN_AFFECT_CURRENT;
    sepvirt_domain *dom;
    bool ok = true;

    /* virsh: a lone --current is the old spelling of --active. */
    if (!maximum && !active && current)
        current = false;
    if (!exclusive(ctl, current, "current", live, "live") ||
        !exclusive(ctl, current, "current", config, "config") ||
        !exclusive(ctl, active, "active", maximum, "maximum") ||
        !exclusive(ctl, guest, "guest", config, "config"))
        return false;
    if (live)
        flags |= SEPVIRT_DOMAIN_AFFECT_LIVE;
    if (config)
        flags |= SEPVIRT_DOMAIN_AFFECT_CONFIG;
    if (maximum)
        flags |= SEPVIRT_DOMAIN_VCPU_MAXIMUM;
    if (guest)
        flags |= SEPVIRT_DOMAIN_VCPU_GUEST;
    if (!(dom = lookup(ctl, cmd, NULL)))
        return false;

    if (all) {
        static const struct { const char *which, *state; unsigned int flags; } rows[4] = {
            { "maximum", "config", SEPVIRT_DOMAIN_AFFECT_CONFIG | SEPVIRT_DOMAIN_VCPU_MAXIMUM },
            { "maximum", "live", SEPVIRT_DOMAIN_AFFECT_LIVE | SEPVIRT_DOMAIN_VCPU_MAXIMUM },
            { "current", "config", SEPVIRT_DOMAIN_AFFECT_CONFIG },
            { "current", "live", SEPVIRT_DOMAIN_AFFECT_LIVE },
        };
        int counts[4];

        /* virsh asks in this order (config max, config cur, live max, live cur). */
        counts[0] = vcpu_count(dom, rows[0].flags, true);
        counts[2] = vcpu_count(dom, rows[2].flags, true);
        counts[1] = vcpu_count(dom, rows[1].flags, true);
        counts[3] = vcpu_count(dom, rows[3].flags, true);
        for (int i = 0; i < 4; i++)
            ok = ok && counts[i] != -1;
        for (int i = 0; ok && i < 4; i++)
            if (counts[i] > 0)
                sh_print(ctl, "%-12s %-12s %3d\n", rows[i].which, rows[i].state, counts[i]);
    } else {
        int count = vcpu_count(dom, flags, false);

        if (count < 0)
            ok = false;
        else
            sh_print(ctl, "%d\n", count);
    }
    sepvirt_domain_free(dom);
    return ok;
}
