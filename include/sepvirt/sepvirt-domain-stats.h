/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: statistics and state of running domains (libvirt's
 * virDomainInterfaceStats, virDomainBlockStats, virDomainMemoryStats,
 * virDomainGetControlInfo, virDomainInterfaceAddresses,
 * virDomainGetVcpusFlags).  Numbers and tags are libvirt's.
 *
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_DOMAIN_STATS_H
#define SEPVIRT_DOMAIN_STATS_H

#include <sepvirt/sepvirt-common.h>
#include <sepvirt/sepvirt-domain.h>

#ifdef __cplusplus
extern "C" {
#endif

/* -1 in a field: not known. */
typedef struct sepvirt_interface_stats {
    long long rx_bytes, rx_packets, rx_errs, rx_drop;
    long long tx_bytes, tx_packets, tx_errs, tx_drop;
} sepvirt_interface_stats;

typedef struct sepvirt_block_stats {
    long long rd_req, rd_bytes, wr_req, wr_bytes, errs;
} sepvirt_block_stats;

typedef enum {
    SEPVIRT_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    SEPVIRT_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    SEPVIRT_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    SEPVIRT_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    SEPVIRT_DOMAIN_MEMORY_STAT_UNUSED = 4,
    SEPVIRT_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    SEPVIRT_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    SEPVIRT_DOMAIN_MEMORY_STAT_RSS = 7,
    SEPVIRT_DOMAIN_MEMORY_STAT_USABLE = 8,
    SEPVIRT_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    SEPVIRT_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    SEPVIRT_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    SEPVIRT_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    SEPVIRT_DOMAIN_MEMORY_STAT_NR = 13,
} sepvirt_domain_memory_stat_tag;

typedef struct sepvirt_domain_memory_stat {
    int tag;                        /* sepvirt_domain_memory_stat_tag */
    unsigned long long val;         /* KiB, except faults and last_update */
} sepvirt_domain_memory_stat;

typedef enum {
    SEPVIRT_DOMAIN_CONTROL_OK = 0,
    SEPVIRT_DOMAIN_CONTROL_JOB = 1,         /* a background job runs */
    SEPVIRT_DOMAIN_CONTROL_OCCUPIED = 2,    /* the monitor is busy */
    SEPVIRT_DOMAIN_CONTROL_ERROR = 3,
} sepvirt_domain_control_state;

typedef enum {
    SEPVIRT_DOMAIN_CONTROL_ERROR_REASON_NONE = 0,
    SEPVIRT_DOMAIN_CONTROL_ERROR_REASON_UNKNOWN = 1,
    SEPVIRT_DOMAIN_CONTROL_ERROR_REASON_MONITOR = 2,
    SEPVIRT_DOMAIN_CONTROL_ERROR_REASON_INTERNAL = 3,
} sepvirt_domain_control_error_reason;

typedef struct sepvirt_domain_control_info {
    unsigned int state;             /* sepvirt_domain_control_state */
    unsigned int details;           /* error reason for SEPVIRT_DOMAIN_CONTROL_ERROR */
    unsigned long long state_time;  /* ms in the current state (JOB, OCCUPIED) */
} sepvirt_domain_control_info;

typedef enum {
    SEPVIRT_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0,   /* the network's DHCP leases */
    SEPVIRT_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1,   /* the guest agent */
    SEPVIRT_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2,     /* the host's ARP table */
} sepvirt_domain_interface_addresses_source;

typedef enum {
    SEPVIRT_IP_ADDR_TYPE_IPV4 = 0,
    SEPVIRT_IP_ADDR_TYPE_IPV6 = 1,
} sepvirt_ip_addr_type;

typedef struct sepvirt_domain_ip_address {
    int type;                       /* sepvirt_ip_addr_type */
    char *addr;
    unsigned int prefix;
} sepvirt_domain_ip_address;

typedef struct sepvirt_domain_interface {
    char *name;
    char *hwaddr;                   /* may be NULL */
    unsigned int naddrs;
    sepvirt_domain_ip_address *addrs;
} sepvirt_domain_interface;

/* virDomainGetVcpusFlags flags (with SEPVIRT_DOMAIN_AFFECT_*). */
typedef enum {
    SEPVIRT_DOMAIN_VCPU_MAXIMUM = 1 << 2,
    SEPVIRT_DOMAIN_VCPU_GUEST = 1 << 3,
} sepvirt_domain_vcpu_flag_values;

/* device: the interface's target device name (vnet0) or its MAC address. */
int sepvirt_domain_interface_stats(sepvirt_domain *dom, const char *device,
                                   sepvirt_interface_stats *ret_stats);
/* disk: target (vda) or source path; "" sums every disk. */
int sepvirt_domain_block_stats(sepvirt_domain *dom, const char *disk,
                               sepvirt_block_stats *ret_stats);
/* Up to nr_stats entries into stats; returns how many, or -1. */
int sepvirt_domain_memory_stats(sepvirt_domain *dom, sepvirt_domain_memory_stat *stats,
                                unsigned int nr_stats, unsigned int flags);
int sepvirt_domain_get_control_info(sepvirt_domain *dom, sepvirt_domain_control_info *ret_info,
                                    unsigned int flags);
/* The interfaces with addresses from source; *ret_ifaces (may be NULL when
 * the count is 0) is released with sepvirt_domain_interfaces_free().
 * Returns the count or -1. */
int sepvirt_domain_interface_addresses(sepvirt_domain *dom, sepvirt_domain_interface **ret_ifaces,
                                       unsigned int source, unsigned int flags);
void sepvirt_domain_interfaces_free(sepvirt_domain_interface *ifaces, int n);
/* The number of vCPUs flags ask for (SEPVIRT_DOMAIN_AFFECT_*,
 * SEPVIRT_DOMAIN_VCPU_*), or -1. */
int sepvirt_domain_get_vcpus_flags(sepvirt_domain *dom, unsigned int flags);

#ifdef __cplusplus
}
#endif
#endif
