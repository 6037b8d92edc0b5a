/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "qemu_monitor_stats.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "frontd.h"
#include "network_registry.h"
#include "qemu_driver_priv.h"
#include "sv_error.h"
#include "sv_util.h"

/* Files read here are small; anything bigger is not what we expect. */
#define TABLE_MAX (4u * 1024 * 1024)

/* ---- interface statistics ---------------------------------------------------- */

/* virDomainNetFind: by MAC when device parses as one, else by target dev. */
static const sv_domain_net_def *net_find(const sv_domain_def *def, const char *device)
{
    unsigned char mac[SV_MAC_LEN];
    bool by_mac = sv_mac_parse(device, mac) == 0;

    for (size_t i = 0; i < def->nnets; i++) {
        const sv_domain_net_def *n = def->nets[i];

        if (by_mac ? memcmp(n->mac, mac, SV_MAC_LEN) == 0 : sv_streq(n->ifname, device))
            return n;
    }
    sv_report(SV_FROM_DOMAIN, SV_ERR_INVALID_ARG, "'%s' is not a known interface", device);
    return NULL;
}

/* One counter of /sys/class/net/<dev>/statistics. */
static int read_counter(const char *dev, const char *name, int64_t *ret)
{
    _cleanup_free_ char *path = sv_asprintf("/sys/class/net/%s/statistics/%s", dev, name);
    _cleanup_free_ char *text = NULL;
    uint64_t v;
    size_t len;

    if (sv_read_file(path, 64, &text, &len) < 0)
        return -1;
    text[strcspn(text, "\n")] = '\0';
    if (sv_parse_u64(text, &v) < 0 || v > INT64_MAX)
        return -1;
    *ret = (int64_t)v;
    return 0;
}

int qemu_domain_interface_stats(sv_domain_obj *d, const char *device,
                                sv_domain_interface_stats *ret)
{
    const sv_domain_net_def *n = net_find(sv_domain_obj_def(d), device);
    int64_t rx[5], tx[4];    /* bytes, packets, errors, dropped (, missed) */
    /* libvirt's virDomainNetTypeSharesHostView: a tap's transmit is the
     * guest's receive, except for direct and ethernet NICs. */
    bool swapped;

    if (!n)
        return -1;
    if (!n->ifname) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "%s", "Interface name not provided");
        return -1;
    }
    if (strchr(n->ifname, '/') || read_counter(n->ifname, "rx_bytes", &rx[0]) < 0 ||
        read_counter(n->ifname, "rx_packets", &rx[1]) < 0 ||
        read_counter(n->ifname, "rx_errors", &rx[2]) < 0 ||
        read_counter(n->ifname, "rx_dropped", &rx[3]) < 0 ||
        read_counter(n->ifname, "rx_missed_errors", &rx[4]) < 0 ||
        read_counter(n->ifname, "tx_bytes", &tx[0]) < 0 ||
        read_counter(n->ifname, "tx_packets", &tx[1]) < 0 ||
        read_counter(n->ifname, "tx_errors", &tx[2]) < 0 ||
        read_counter(n->ifname, "tx_dropped", &tx[3]) < 0) {
        sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "interface '%s' not found", n->ifname);
        return -1;
    }
    /* /proc/net/dev's "drop" (what libvirt reads) counts missed frames too. */
    rx[3] += rx[4];
    swapped = n->type != SV_DOMAIN_NET_DIRECT && n->type != SV_DOMAIN_NET_ETHERNET;
    if (swapped)
        *ret = (sv_domain_interface_stats){ tx[0], tx[1], tx[2], tx[3], rx[0], rx[1], rx[2], rx[3] };
    else
        *ret = (sv_domain_interface_stats){ rx[0], rx[1], rx[2], rx[3], tx[0], tx[1], tx[2], tx[3] };
    return 0;
}

/* ---- block statistics --------------------------------------------------------- */

static int64_t stat_field(const sv_json *stats, const char *name)
{
    int64_t v;

    return sv_json_get_int(stats, name, &v) && v >= 0 ? v : 0;
}

/* Add the query-blockstats entry of disk dst to ret. */
static int add_disk_stats(const sv_json *all, const char *dst, sv_domain_block_stats *ret)
{
    _cleanup_free_ char *node = sv_asprintf("sv-%s-fmt", dst);

    for (size_t i = 0; all && all->type == SV_JSON_ARRAY && i < all->n; i++) {
        const char *name;
        const sv_json *stats;

        if (!sv_json_get_string(all->items[i], "node-name", &name) || strcmp(name, node) != 0 ||
            !(stats = sv_json_get(all->items[i], "stats")))
            continue;
        ret->rd_req += stat_field(stats, "rd_operations");
        ret->rd_bytes += stat_field(stats, "rd_bytes");
        ret->wr_req += stat_field(stats, "wr_operations");
        ret->wr_bytes += stat_field(stats, "wr_bytes");
        return 0;
    }
    sv_report(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "cannot find statistics for device '%s'", dst);
    return -1;
}

int qemu_domain_block_stats(sv_domain_obj *d, const char *path, sv_domain_block_stats *ret)
{
    const sv_domain_def *def = sv_domain_obj_def(d);
    const sv_domain_disk_def *disk = NULL;
    sv_json *all = NULL;
    int r = 0;

    if (*path) {
        /* virDomainDiskByName: the target, or the source path. */
        for (size_t i = 0; !disk && i < def->ndisks; i++)
            if (sv_streq(def->disks[i]->dst, path) || sv_streq(def->disks[i]->src, path))
                disk = def->disks[i];
        if (!disk) {
            sv_report(SV_FROM_QEMU, SV_ERR_INVALID_ARG, "invalid path: %s", path);
            return -1;
        }
    }
    if (qemu_mon_cmd(d, "query-blockstats", NULL, &all) < 0)
        return -1;
    *ret = (sv_domain_block_stats){ 0, 0, 0, 0, -1 };   /* QEMU counts no errors */
    /* The disks may have changed while the lock was dropped: look again. */
    def = sv_domain_obj_def(d);
    for (size_t i = 0; r == 0 && i < def->ndisks; i++) {
        const sv_domain_disk_def *k = def->disks[i];

        if (!*path || sv_streq(k->dst, path) || sv_streq(k->src, path)) {
            r = add_disk_stats(all, k->dst, ret);
            if (*path)
                break;
        }
    }
    sv_json_free(all);
    return r;
}

/* ---- memory statistics ----------------------------------------------------------- */

/* The balloon's guest-stats members in libvirt's order, with their divisor
 * (bytes to KiB; counts as they are). */
static const struct {
    const char *name;
    int tag;
    unsigned divisor;
    bool top_level;         /* in the reply itself, not in "stats" */
} guest_stats[] = {
    { "stat-swap-in", SV_DOMAIN_MEMORY_STAT_SWAP_IN, 1024, false },
    { "stat-swap-out", SV_DOMAIN_MEMORY_STAT_SWAP_OUT, 1024, false },
    { "stat-major-faults", SV_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 1, false },
    { "stat-minor-faults", SV_DOMAIN_MEMORY_STAT_MINOR_FAULT, 1, false },
    { "stat-free-memory", SV_DOMAIN_MEMORY_STAT_UNUSED, 1024, false },
    { "stat-total-memory", SV_DOMAIN_MEMORY_STAT_AVAILABLE, 1024, false },
    { "stat-available-memory", SV_DOMAIN_MEMORY_STAT_USABLE, 1024, false },
    { "last-update", SV_DOMAIN_MEMORY_STAT_LAST_UPDATE, 1, true },
    { "stat-disk-caches", SV_DOMAIN_MEMORY_STAT_DISK_CACHES, 1024, false },
    { "stat-htlb-pgalloc", SV_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 1, false },
    { "stat-htlb-pgfail", SV_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 1, false },
};

static void add_stat(sv_domain_memory_stat *stats, unsigned nr, unsigned *n, int tag, uint64_t val)
{
    if (*n < nr)
        stats[(*n)++] = (sv_domain_memory_stat){ tag, val };
}

/* VmRSS of QEMU, KiB. */
static int qemu_rss(pid_t pid, uint64_t *ret)
{
    _cleanup_free_ char *path = sv_asprintf("/proc/%d/status", (int)pid);
    _cleanup_free_ char *text = NULL;
    size_t len;
    char *line;

    if (pid <= 0 || sv_read_file(path, TABLE_MAX, &text, &len) < 0 ||
        !(line = strstr(text, "\nVmRSS:")))
        return -1;
    return sscanf(line + 7, "%" SCNu64, ret) == 1 ? 0 : -1;
}

int qemu_domain_memory_stats(sv_domain_obj *d, sv_domain_memory_stat *stats, unsigned nr)
{
    const sv_domain_memballoon_def *b = sv_domain_obj_def(d)->memballoon;
    const qemu_vm *vm;
    unsigned n = 0;
    uint64_t rss;

    if (b && b->model == SV_DOMAIN_MEMBALLOON_VIRTIO) {
        sv_json *info = NULL, *gs = NULL;
        int64_t actual;

        if (qemu_mon_cmd(d, "query-balloon", NULL, &info) < 0)
            return -1;
        if (sv_json_get_int(info, "actual", &actual) && actual >= 0)
            add_stat(stats, nr, &n, SV_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, (uint64_t)actual / 1024);
        sv_json_free(info);
        /* The guest may not have reported anything yet: that is no error
         * for the call, the stats are just missing (as with libvirt). */
        if (qemu_mon_cmd(d, "qom-get",
                         "{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats\"}",
                         &gs) == 0) {
            const sv_json *members = sv_json_get(gs, "stats");

            for (size_t i = 0; i < SV_ARRAY_SIZE(guest_stats); i++) {
                int64_t v;

                if (sv_json_get_int(guest_stats[i].top_level ? gs : members, guest_stats[i].name, &v) &&
                    v >= 0)
                    add_stat(stats, nr, &n, guest_stats[i].tag, (uint64_t)v / guest_stats[i].divisor);
            }
            sv_json_free(gs);
        }
        sv_error_reset();
    }
    vm = d->priv;
    if (vm && qemu_rss(vm->proc.pid, &rss) == 0)
        add_stat(stats, nr, &n, SV_DOMAIN_MEMORY_STAT_RSS, rss);
    return (int)n;
}

/* ---- control info ------------------------------------------------------------ */

int qemu_domain_get_control_info(sv_domain_obj *d, sv_domain_control_info *ret)
{
    const qemu_vm *vm = d->priv;

    *ret = (sv_domain_control_info){ SV_DOMAIN_CONTROL_OK, 0, 0 };
    if (!vm || !vm->mon || sv_qmp_closed(vm->mon)) {
        ret->state = SV_DOMAIN_CONTROL_ERROR;
        ret->details = SV_DOMAIN_CONTROL_ERROR_REASON_MONITOR;
    }
    return 0;
}

/* ---- interface addresses ------------------------------------------------------ */

typedef struct iface_list {
    sv_domain_iface *v;
    size_t n;
} iface_list;

/* The entry of NIC n, created on first use. */
static sv_domain_iface *iface_of(iface_list *l, const sv_domain_net_def *n)
{
    char mac[SV_MAC_STRLEN];

    sv_mac_format(n->mac, mac);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].hwaddr, mac) == 0)
            return &l->v[i];
    l->v = sv_realloc(l->v, (l->n + 1) * sizeof(*l->v));
    l->v[l->n] = (sv_domain_iface){ .name = sv_strdup(n->ifname ? n->ifname : "-"),
                                    .hwaddr = sv_strdup(mac) };
    return &l->v[l->n++];
}

static void iface_add_addr(sv_domain_iface *ifc, const char *addr, unsigned prefix)
{
    ifc->addrs = sv_realloc(ifc->addrs, (ifc->naddrs + 1) * sizeof(*ifc->addrs));
    ifc->addrs[ifc->naddrs++] = (sv_domain_ip_addr){
        .type = strchr(addr, ':') ? SV_IP_ADDR_TYPE_IPV6 : SV_IP_ADDR_TYPE_IPV4,
        .addr = sv_strdup(addr),
        .prefix = prefix,
    };
}

/* The prefix of network's <ip> of the address's family (0: unknown). */
static unsigned network_prefix(const char *network, bool ipv6)
{
    sv_network_obj *net = sv_network_find_name(network);
    unsigned prefix = 0;

    if (!net)
        return 0;
    for (size_t i = 0; !prefix && i < sv_network_obj_def(net)->n_ips; i++) {
        const sv_network_ip *ip = &sv_network_obj_def(net)->ips[i];

        if ((ip->family == SV_NETWORK_IP_FAMILY_IPV6) == ipv6)
            prefix = sv_network_ip_prefix(ip);
    }
    sv_network_obj_end(net);
    return prefix;
}

/* dnsmasq's lease file: "expiry mac ip hostname client-id" per line. */
static void leases_of(iface_list *l, const sv_domain_net_def *n)
{
    _cleanup_free_ char *path = NULL, *text = NULL;
    char mac[SV_MAC_STRLEN];
    time_t now = time(NULL);
    size_t len;

    if (n->type != SV_DOMAIN_NET_NETWORK || !n->source || strchr(n->source, '/'))
        return;
    path = sv_asprintf("%s/network/%s.leases", sv_frontd_paths_get()->state_dir, n->source);
    if (sv_read_file(path, TABLE_MAX, &text, &len) < 0)
        return;     /* no DHCP on that network (yet) */
    sv_mac_format(n->mac, mac);
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char lmac[SV_MAC_STRLEN + 8], addr[64];
        long long expiry;

        if (sscanf(line, "%lld %25s %63s", &expiry, lmac, addr) != 3 ||
            strcasecmp(lmac, mac) != 0 || (expiry != 0 && expiry < (long long)now))
            continue;
        iface_add_addr(iface_of(l, n), addr, network_prefix(n->source, strchr(addr, ':')));
    }
}

/* /proc/net/arp: "IP HW-type Flags HW-address Mask Device", one header line. */
static void arp_of(iface_list *l, const sv_domain_def *def, char *table)
{
    char *save = NULL, *line = strtok_r(table, "\n", &save);

    for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char addr[64], hw[32];
        unsigned type, flags;
        unsigned char mac[SV_MAC_LEN];

        /* Flags 0: an incomplete entry without a hardware address. */
        if (sscanf(line, "%63s %x %x %31s", addr, &type, &flags, hw) != 4 || flags == 0 ||
            sv_mac_parse(hw, mac) < 0)
            continue;
        for (size_t i = 0; i < def->nnets; i++)
            if (memcmp(def->nets[i]->mac, mac, SV_MAC_LEN) == 0)
                iface_add_addr(iface_of(l, def->nets[i]), addr, 0);
    }
}

int qemu_domain_interface_addresses(sv_domain_obj *d, unsigned source, sv_domain_iface **ret,
                                    size_t *ret_n)
{
    const sv_domain_def *def = sv_domain_obj_def(d);
    iface_list l = { NULL, 0 };

    if (source == SV_DOMAIN_IFADDR_SRC_LEASE) {
        for (size_t i = 0; i < def->nnets; i++)
            leases_of(&l, def->nets[i]);
    } else if (source == SV_DOMAIN_IFADDR_SRC_ARP) {
        _cleanup_free_ char *table = NULL;
        size_t len;

        if (sv_read_file("/proc/net/arp", TABLE_MAX, &table, &len) == 0)
            arp_of(&l, def, table);
    } else {
        sv_report(SV_FROM_QEMU, SV_ERR_ARGUMENT_UNSUPPORTED, "Unknown IP address data source %u",
                  source);
        return -1;
    }
    *ret = l.v;
    *ret_n = l.n;
    return 0;
}
