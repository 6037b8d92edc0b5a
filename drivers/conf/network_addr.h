/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IPv4/IPv6 address values shared by the network and nwfilter models:
 * strict parsing (inet_pton forms only), canonical formatting (inet_ntop),
 * and the prefix/netmask arithmetic the validators need.
 */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>

/* Big enough for any address inet_ntop prints, with the NUL. */
#define SV_IP_ADDR_STRLEN INET6_ADDRSTRLEN

typedef struct sv_ip_addr {
    int family;                 /* AF_UNSPEC when unset, AF_INET or AF_INET6 */
    union {
        struct in_addr v4;
        struct in6_addr v6;
    } u;
} sv_ip_addr;

/* Parse s as an address of `family` (AF_INET, AF_INET6, or AF_UNSPEC for
 * either).  Returns 0 or -EINVAL. */
int sv_ip_addr_parse(const char *s, int family, sv_ip_addr *ret);
/* Canonical text form; "" for an unset address. */
void sv_ip_addr_format(const sv_ip_addr *a, char out[SV_IP_ADDR_STRLEN]);
bool sv_ip_addr_is_set(const sv_ip_addr *a);
/* Number of address bits: 32, 128, or 0 when unset. */
unsigned sv_ip_addr_bits(const sv_ip_addr *a);
/* Order two addresses of the same family numerically (<0, 0, >0);
 * different families order by family. */
int sv_ip_addr_cmp(const sv_ip_addr *a, const sv_ip_addr *b);
/* Prefix length of a contiguous netmask, or -1 when the mask has holes. */
int sv_ip_netmask_prefix(const sv_ip_addr *mask);
/* True when addr lies inside net/prefix (same family required). */
bool sv_ip_addr_in_subnet(const sv_ip_addr *addr, const sv_ip_addr *net, unsigned prefix);
/* The prefix libvirt assumes when <ip> gives neither netmask nor prefix:
 * the classful length for IPv4 (8/16/24), 64 for IPv6. */
unsigned sv_ip_default_prefix(const sv_ip_addr *addr);
/* Address bits after the prefix all zero (the network address) or all
 * one (IPv4 broadcast). */
bool sv_ip_addr_is_network(const sv_ip_addr *addr, unsigned prefix);
bool sv_ip_addr_is_broadcast(const sv_ip_addr *addr, unsigned prefix);
