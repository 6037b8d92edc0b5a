/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The QEMU driver's monitoring hooks (drivers/driver.h): what virsh's
 * domifstat, domblkstat, dommemstat, domcontrol and domifaddr show, with
 * libvirt's sources, units and errors:
 *
 *   interface  the host device's counters in /sys/class/net/<dev>/statistics,
 *              seen from the guest (rx and tx swapped) for network and
 *              bridge NICs, as libvirt does
 *   block      query-blockstats (read/write requests and bytes)
 *   memory     query-balloon (actual), the balloon's guest-stats (when the
 *              guest reports them), and QEMU's RSS from /proc/<pid>/status
 *   control    ERROR when the monitor is gone while the guest runs
 *   addresses  LEASE: the dnsmasq lease file of a NIC's network,
 *              <state>/network/<network>.leases, when there is one;
 *              ARP: the host's ARP table (/proc/net/arp) by MAC
 *
 * All are called with the domain locked; block and memory with its job.
 */
#pragma once

#include <stddef.h>

#include "driver.h"

int qemu_domain_interface_stats(struct sv_domain_obj *d, const char *device,
                                sv_domain_interface_stats *ret);
int qemu_domain_block_stats(struct sv_domain_obj *d, const char *path, sv_domain_block_stats *ret);
int qemu_domain_memory_stats(struct sv_domain_obj *d, sv_domain_memory_stat *stats, unsigned nr);
int qemu_domain_get_control_info(struct sv_domain_obj *d, sv_domain_control_info *ret);
int qemu_domain_interface_addresses(struct sv_domain_obj *d, unsigned source,
                                    sv_domain_iface **ret, size_t *ret_n);
