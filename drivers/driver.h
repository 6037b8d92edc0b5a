/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Driver interfaces: what the domain and network procedures of frontd call
 * to act on the host.  A hypervisor driver (QEMU) and a network driver
 * register themselves at start; while none is registered the lifecycle
 * procedures answer NO_SUPPORT ("this function is not supported by the
 * connection driver: virDomainCreate") and networks only change state.
 *
 * Objects are those of frontd's registries (frontd/domain_registry.h,
 * frontd/network_registry.h).  Contract for every callback:
 *   - the object is locked and the caller owns its job (sv_obj_begin_job),
 *     so no other lifecycle operation runs on it; the driver may unlock it
 *     while it waits (QEMU starting, a monitor reply) and re-locks it
 *     before returning;
 *   - the caller has checked the state the operation needs (active or not),
 *     reporting libvirt's errors, so the driver only acts;
 *   - the driver records the outcome in the registry: start ->
 *     sv_domain_mark_running(), stop -> sv_domain_mark_shutoff(), pause and
 *     resume -> sv_domain_set_state();
 *   - lifecycle events: the procedure emits the event of the operation it
 *     asked for (STARTED/BOOTED, STOPPED/DESTROYED, SUSPENDED/PAUSED,
 *     RESUMED/UNPAUSED); the driver emits what happens by itself (guest
 *     shutdown, crash, reboot, the STOPPED of a graceful shutdown);
 *   - return 0, or -1 with sv_error set (libvirt's wording).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct sv_domain_obj;
struct sv_network_obj;

/* What only the running hypervisor knows, for virDomainGetInfo. */
typedef struct sv_domain_runtime_info {
    uint64_t cpu_time_ns;
    uint64_t memory_kib;        /* current (balloon) size */
} sv_domain_runtime_info;

/* ---- console and monitoring (virsh console, domifstat, domblkstat,
 * dommemstat, domcontrol, domifaddr) -------------------------------------- */

/* virDomainConsoleFlags */
enum {
    SV_DOMAIN_CONSOLE_FORCE = 1 << 0,
    SV_DOMAIN_CONSOLE_SAFE = 1 << 1,
};

/* virDomainInterfaceStats / virDomainBlockStats: -1 = not known. */
typedef struct sv_domain_interface_stats {
    int64_t rx_bytes, rx_packets, rx_errs, rx_drop;
    int64_t tx_bytes, tx_packets, tx_errs, tx_drop;
} sv_domain_interface_stats;

typedef struct sv_domain_block_stats {
    int64_t rd_req, rd_bytes, wr_req, wr_bytes, errs;
} sv_domain_block_stats;

/* virDomainMemoryStatTags; values in KiB except the fault counts and
 * last_update (seconds since the epoch). */
enum {
    SV_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    SV_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    SV_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    SV_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    SV_DOMAIN_MEMORY_STAT_UNUSED = 4,
    SV_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    SV_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    SV_DOMAIN_MEMORY_STAT_RSS = 7,
    SV_DOMAIN_MEMORY_STAT_USABLE = 8,
    SV_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    SV_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    SV_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    SV_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    SV_DOMAIN_MEMORY_STAT_NR = 13,
};

typedef struct sv_domain_memory_stat {
    int tag;
    uint64_t val;
} sv_domain_memory_stat;

/* virDomainControlState / virDomainControlErrorReason */
enum {
    SV_DOMAIN_CONTROL_OK = 0,
    SV_DOMAIN_CONTROL_JOB = 1,
    SV_DOMAIN_CONTROL_OCCUPIED = 2,
    SV_DOMAIN_CONTROL_ERROR = 3,
    SV_DOMAIN_CONTROL_ERROR_REASON_MONITOR = 2,
};

typedef struct sv_domain_control_info {
    unsigned state;
    unsigned details;
    uint64_t state_time_ms;     /* how long the state lasts (OCCUPIED) */
} sv_domain_control_info;

/* virDomainInterfaceAddressesSource / virIPAddrType */
enum {
    SV_DOMAIN_IFADDR_SRC_LEASE = 0,
    SV_DOMAIN_IFADDR_SRC_AGENT = 1,
    SV_DOMAIN_IFADDR_SRC_ARP = 2,
    SV_IP_ADDR_TYPE_IPV4 = 0,
    SV_IP_ADDR_TYPE_IPV6 = 1,
};

typedef struct sv_domain_ip_addr {
    int type;                   /* SV_IP_ADDR_TYPE_* */
    char *addr;
    unsigned prefix;
} sv_domain_ip_addr;

/* Everything in it is malloc'd; the caller frees it all. */
typedef struct sv_domain_iface {
    char *name;                 /* host device, or "-" when it has none */
    char *hwaddr;               /* may be NULL */
    sv_domain_ip_addr *addrs;
    size_t naddrs;
} sv_domain_iface;

typedef struct sv_hv_driver {
    const char *name;           /* "QEMU" */
    /* virDomainCreateWithFlags / CreateXML: flags are libvirt's
     * VIR_DOMAIN_START_* (1 PAUSED, 2 AUTODESTROY, 4 BYPASS_CACHE,
     * 8 FORCE_BOOT, 32 RESET_NVRAM).  AUTODESTROY is frontd's business
     * (frontd/autodestroy.h: it destroys the guest through domain_destroy
     * when the starting connection closes); the driver ignores it. */
    int (*domain_start)(struct sv_domain_obj *d, unsigned flags);
    /* VIR_DOMAIN_DESTROY_* (1 GRACEFUL) */
    int (*domain_destroy)(struct sv_domain_obj *d, unsigned flags);
    /* VIR_DOMAIN_SHUTDOWN_* / VIR_DOMAIN_REBOOT_* (1 ACPI, 2 AGENT, ...) */
    int (*domain_shutdown)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_reboot)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_reset)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_suspend)(struct sv_domain_obj *d);
    int (*domain_resume)(struct sv_domain_obj *d);
    /* Active domains only; called without the job (a quick query). */
    int (*domain_get_info)(struct sv_domain_obj *d, sv_domain_runtime_info *ret);

    /* virDomainOpenConsole: a connected stream socket (caller closes) to
     * the character device dev_name of d ("serial0", "console1": frontd
     * resolved the name from the live config and checked it is a pty).
     * flags: SV_DOMAIN_CONSOLE_*.  frontd allows one session per device
     * (it ends the older one first for FORCE), so the driver hands out a
     * new connection whenever asked, dropping one it may still hold.
     * Called with the job. */
    int (*domain_open_console)(struct sv_domain_obj *d, const char *dev_name, unsigned flags,
                               int *ret_fd);

    /* Monitoring, active domains.  The stats that need the monitor
     * (block, memory) are called with the job, the others without. */
    /* device: the interface's target dev or its MAC address. */
    int (*domain_interface_stats)(struct sv_domain_obj *d, const char *device,
                                  sv_domain_interface_stats *ret);
    /* path: a disk's target dev or source path; "" sums every disk. */
    int (*domain_block_stats)(struct sv_domain_obj *d, const char *path,
                              sv_domain_block_stats *ret);
    /* Up to nr stats into stats (libvirt's order); returns how many, or -1. */
    int (*domain_memory_stats)(struct sv_domain_obj *d, sv_domain_memory_stat *stats,
                               unsigned nr);
    /* The monitor's side of virDomainGetControlInfo (ERROR when it is
     * broken, OCCUPIED while a command runs); frontd adds JOB. */
    int (*domain_get_control_info)(struct sv_domain_obj *d, sv_domain_control_info *ret);
    /* virDomainInterfaceAddresses from source SV_DOMAIN_IFADDR_SRC_LEASE or
     * _ARP: every interface with an address (*ret_n may be 0). */
    int (*domain_interface_addresses)(struct sv_domain_obj *d, unsigned source,
                                      sv_domain_iface **ret, size_t *ret_n);
} sv_hv_driver;

typedef struct sv_net_driver {
    /* Bring the network up (bridge, addresses, DHCP, firewall) from its
     * live config, before it is marked active; tear it down. */
    int (*network_start)(struct sv_network_obj *n);
    int (*network_stop)(struct sv_network_obj *n);
} sv_net_driver;

/* Register (NULL: unregister) the driver.  Call before clients connect;
 * the pointer must stay valid. */
void sv_hv_driver_register(const sv_hv_driver *drv);
const sv_hv_driver *sv_hv_driver_get(void);
void sv_net_driver_register(const sv_net_driver *drv);
const sv_net_driver *sv_net_driver_get(void);
