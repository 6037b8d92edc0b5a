/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * network XML model: parse, validate, fill defaults, format.
 *
 * The accepted subset of libvirt's <network> format:
 *   <network [connections='N']>
 *     <name/> <uuid/>
 *     <forward mode='nat|route|open|bridge|private|vepa|passthrough' [dev=]>
 *       <nat [ipv6='yes|no']><address start end/><port start end/></nat>
 *       <interface dev='...'/>...
 *     </forward>                          (no <forward>: isolated network)
 *     <bridge [name=] [stp='on|off'] [delay=]/>
 *     <mac address=/>  <domain name= [localOnly=]/>
 *     <dns [enable=] [forwardPlainNames=]> <forwarder [domain] [addr]/>
 *          <host ip=><hostname/>...</host> </dns>
 *     <bandwidth><inbound average peak burst/><outbound .../></bandwidth>
 *     <ip [family] address [netmask|prefix]> <dhcp> <range start end/>
 *          <host mac|id name ip/> </dhcp> </ip>...
 *     <virtualport type='openvswitch'><parameters profileid=/></virtualport>
 *     <portgroup name [default='yes']> virtualport, bandwidth </portgroup>...
 *   </network>
 * Anything else is refused with an error naming the element or attribute.
 *
 * Defaults filled at parse time, as libvirt's define does: a random UUID
 * when <uuid> is absent; for the bridge-backed modes (isolated, nat, route,
 * open) stp on, delay 0 and a random 52:54:00 bridge MAC when <mac> is
 * absent.  The bridge *name* is left absent (or a "%d" template) until the
 * driver calls sv_network_def_fill_bridge(): picking a free name depends on
 * the host, which the parser does not look at.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "network_addr.h"
#include "sv_util.h"

typedef enum sv_network_forward_mode {
    SV_NETWORK_FORWARD_NONE = 0,    /* no <forward>: isolated */
    SV_NETWORK_FORWARD_NAT,
    SV_NETWORK_FORWARD_ROUTE,
    SV_NETWORK_FORWARD_OPEN,
    SV_NETWORK_FORWARD_BRIDGE,
    SV_NETWORK_FORWARD_PRIVATE,
    SV_NETWORK_FORWARD_VEPA,
    SV_NETWORK_FORWARD_PASSTHROUGH,
    SV_NETWORK_FORWARD_LAST,
} sv_network_forward_mode;

typedef struct sv_network_forward_if {
    char *dev;
    unsigned connections;           /* live state, see SV_NETWORK_PARSE_LIVE */
} sv_network_forward_if;

typedef struct sv_network_forward {
    sv_network_forward_mode mode;
    /* ifs[0] is also the forward dev= attribute (libvirt stores them alike). */
    sv_network_forward_if *ifs;
    size_t n_ifs;
    sv_ip_addr nat_start, nat_end;  /* <nat><address>; unset when absent */
    unsigned nat_port_start;        /* <nat><port>; 0 when absent */
    unsigned nat_port_end;
    int nat_ipv6;                   /* SV_TRISTATE_* */
} sv_network_forward;

/* Rates in kilobytes per second, burst in kilobytes; 0 = not given. */
typedef struct sv_network_rate {
    bool present;
    uint64_t average, peak, burst, floor;
} sv_network_rate;

typedef struct sv_network_bandwidth {
    sv_network_rate inbound, outbound;
} sv_network_bandwidth;

typedef enum sv_network_vport_type {
    SV_NETWORK_VPORT_NONE = 0,      /* type omitted (portgroups only) */
    SV_NETWORK_VPORT_OPENVSWITCH,
} sv_network_vport_type;

typedef struct sv_network_virtualport {
    sv_network_vport_type type;
    char *profileid;                /* <parameters profileid=>, may be NULL */
} sv_network_virtualport;

typedef struct sv_network_portgroup {
    char *name;
    bool is_default;
    sv_network_virtualport *virtualport;    /* NULL when absent */
    sv_network_bandwidth *bandwidth;        /* NULL when absent */
} sv_network_portgroup;

typedef enum sv_network_ip_family {
    SV_NETWORK_IP_FAMILY_ABSENT = 0,    /* family attribute omitted (IPv4) */
    SV_NETWORK_IP_FAMILY_IPV4,
    SV_NETWORK_IP_FAMILY_IPV6,
} sv_network_ip_family;

typedef struct sv_network_dhcp_range {
    sv_ip_addr start, end;
} sv_network_dhcp_range;

typedef struct sv_network_dhcp_host {
    bool has_mac;                   /* IPv4 only */
    unsigned char mac[SV_MAC_LEN];
    char *id;                       /* DHCPv6 client id, IPv6 only */
    char *name;
    sv_ip_addr ip;
} sv_network_dhcp_host;

typedef struct sv_network_ip {
    sv_network_ip_family family;    /* as written */
    sv_ip_addr address;
    sv_ip_addr netmask;             /* unset when not given */
    unsigned prefix;                /* 0 when not given */
    sv_network_dhcp_range *ranges;
    size_t n_ranges;
    sv_network_dhcp_host *hosts;
    size_t n_hosts;
} sv_network_ip;

typedef struct sv_network_dns_forwarder {
    char *domain;                   /* may be NULL */
    sv_ip_addr addr;                /* may be unset */
} sv_network_dns_forwarder;

typedef struct sv_network_dns_host {
    sv_ip_addr ip;
    char **hostnames;
    size_t n_hostnames;
} sv_network_dns_host;

typedef struct sv_network_dns {
    int enable;                     /* SV_TRISTATE_* */
    int forward_plain_names;        /* SV_TRISTATE_* */
    sv_network_dns_forwarder *forwarders;
    size_t n_forwarders;
    sv_network_dns_host *hosts;
    size_t n_hosts;
} sv_network_dns;

typedef struct sv_network_def {
    char *name;
    unsigned char uuid[SV_UUID_LEN];
    unsigned connections;           /* live state, see SV_NETWORK_PARSE_LIVE */
    sv_network_forward forward;
    char *bridge_name;              /* NULL or a "%d" template until filled */
    bool stp;                       /* bridge-backed modes only */
    unsigned long delay;
    bool has_mac;
    unsigned char mac[SV_MAC_LEN];
    char *domain_name;              /* <domain name=> */
    int domain_local_only;          /* SV_TRISTATE_* */
    sv_network_dns dns;
    sv_network_bandwidth *bandwidth;
    sv_network_ip *ips;
    size_t n_ips;
    sv_network_virtualport *virtualport;
    sv_network_portgroup *portgroups;
    size_t n_portgroups;
} sv_network_def;

/* Flags. */
enum {
    /* format: config form, leave out live state (connections counters). */
    SV_NETWORK_XML_INACTIVE = 1 << 0,
    /* parse: keep live state (the driver's status files); without it the
     * connections counters are accepted and dropped. */
    SV_NETWORK_PARSE_LIVE = 1 << 1,
};

/* Parse and validate; returns NULL with sv_error set. */
sv_network_def *sv_network_def_parse(const char *xml, size_t len, unsigned flags);
/* Format; returns malloc'd XML text. */
char *sv_network_def_format(const sv_network_def *def, unsigned flags);
void sv_network_def_free(sv_network_def *def);
/* Deep copy (live state included); NULL with sv_error set on failure. */
sv_network_def *sv_network_def_copy(const sv_network_def *def);

/* Name of a forward mode ("none" for isolated). */
const char *sv_network_forward_mode_name(sv_network_forward_mode mode);
/* True for the modes whose guests plug into a bridge the network owns
 * (isolated, nat, route, open): these get stp/delay, a bridge MAC, IPs. */
bool sv_network_mode_has_own_bridge(sv_network_forward_mode mode);
/* The portgroup called name, or the default portgroup when name is NULL;
 * NULL when there is none (what a domain's <source portgroup=> resolves to). */
const sv_network_portgroup *sv_network_def_portgroup(const sv_network_def *def, const char *name);
/* Effective prefix of an <ip>: prefix, else netmask, else the default. */
unsigned sv_network_ip_prefix(const sv_network_ip *ip);

/* Bridge naming, libvirt's rule: a network that owns its bridge and whose
 * <bridge name> is absent or contains "%d" needs a name at define time.
 * The template is that name, or "virbr%d" when absent. */
bool sv_network_def_needs_bridge_name(const sv_network_def *def);
const char *sv_network_def_bridge_template(const sv_network_def *def);
/* Set bridge_name to the template with %d replaced by n.  The driver picks
 * n (a name not in use on the host).  Returns -1 with sv_error set when the
 * result is not a valid interface name. */
int sv_network_def_fill_bridge(sv_network_def *def, unsigned n);
/* Interface-name check used for bridge and forward devices: 1..15
 * characters, no '/', ':', whitespace or control characters, not "." or "..".
 * allow_template admits exactly one "%d". */
bool sv_network_ifname_valid(const char *name, bool allow_template);
