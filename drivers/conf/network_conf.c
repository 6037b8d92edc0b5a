/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network XML: parsing, validation and defaults (formatting is in
 * network_format.c). */
#include "network_conf.h"

#include <ctype.h>
#include <string.h>
#include <sys/socket.h>

#include "network_util.h"
#include "sv_error.h"
#include "xml_util.h"

/* Rates and bursts are kilobytes; capping them at 32 bits keeps every
 * later bits-per-second conversion far from overflow. */
#define RATE_MAX UINT32_MAX

static const char *const forward_mode_names[] = {
    "", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", NULL,
};

const char *sv_network_forward_mode_name(sv_network_forward_mode mode)
{
    if (mode == SV_NETWORK_FORWARD_NONE)
        return "none";
    if (mode < 0 || mode >= SV_NETWORK_FORWARD_LAST)
        return NULL;
    return forward_mode_names[mode];
}

bool sv_network_mode_has_own_bridge(sv_network_forward_mode mode)
{
    return mode == SV_NETWORK_FORWARD_NONE || mode == SV_NETWORK_FORWARD_NAT ||
           mode == SV_NETWORK_FORWARD_ROUTE || mode == SV_NETWORK_FORWARD_OPEN;
}

const sv_network_portgroup *sv_network_def_portgroup(const sv_network_def *def, const char *name)
{
    for (size_t i = 0; i < def->n_portgroups; i++)
        if (name ? strcmp(def->portgroups[i].name, name) == 0 : def->portgroups[i].is_default)
            return &def->portgroups[i];
    return NULL;
}

unsigned sv_network_ip_prefix(const sv_network_ip *ip)
{
    if (ip->prefix > 0)
        return ip->prefix;
    if (sv_ip_addr_is_set(&ip->netmask)) {
        int p = sv_ip_netmask_prefix(&ip->netmask);

        if (p >= 0)
            return (unsigned)p;
    }
    return sv_ip_default_prefix(&ip->address);
}

bool sv_network_ifname_valid(const char *name, bool allow_template)
{
    size_t len = strlen(name);
    const char *pct = strchr(name, '%');

    if (len == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || iscntrl((unsigned char)*p) ||
            (unsigned char)*p >= 0x7f)
            return false;
    if (pct) {
        /* Exactly one "%d", with room left for at least one digit. */
        if (!allow_template || pct[1] != 'd' || strchr(pct + 1, '%'))
            return false;
        return len - 2 + 1 <= 15;
    }
    return len <= 15;
}

/* Names that end up in dnsmasq's configuration: letters, digits, '-',
 * '_' and '.', so no value can smuggle in a new config line. */
static bool dns_name_valid(const char *s)
{
    size_t len = strlen(s);

    if (len == 0 || len > 253 || s[0] == '.' || s[0] == '-')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

/* Object names (network, portgroup): printable, no '/', bounded. */
static bool object_name_valid(const char *s)
{
    size_t len = strlen(s);

    if (len == 0 || len > 255 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (; *s; s++)
        if (*s == '/' || iscntrl((unsigned char)*s))
            return false;
    return true;
}

static int prop_ip(xmlNode *n, const char *attr, int family, bool required, sv_ip_addr *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, attr);

    if (!v) {
        if (required)
            return sv_xml_error(n, "missing required attribute '%s'", attr);
        memset(ret, 0, sizeof(*ret));
        return 0;
    }
    if (sv_ip_addr_parse(v, family, ret) < 0)
        return sv_xml_error(n, "invalid %s address '%s' in attribute '%s'",
                            family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IP", v, attr);
    return 0;
}

static int prop_ifname(xmlNode *n, const char *attr, bool required, bool allow_template, char **ret)
{
    char *v = sv_xml_prop(n, attr);

    if (!v) {
        *ret = NULL;
        return required ? sv_xml_error(n, "missing required attribute '%s'", attr) : 0;
    }
    if (!sv_network_ifname_valid(v, allow_template)) {
        sv_xml_error(n, "invalid interface name '%s' in attribute '%s'", v, attr);
        free(v);
        return -1;
    }
    *ret = v;
    return 0;
}

static int prop_dns_name(xmlNode *n, const char *attr, bool required, char **ret)
{
    char *v = sv_xml_prop(n, attr);

    if (!v) {
        *ret = NULL;
        return required ? sv_xml_error(n, "missing required attribute '%s'", attr) : 0;
    }
    if (!dns_name_valid(v)) {
        sv_xml_error(n, "invalid name '%s' in attribute '%s': use letters, digits, '-', '_' and '.'", v, attr);
        free(v);
        return -1;
    }
    *ret = v;
    return 0;
}

/* Elements that only make sense on a bridge the network owns. */
static int require_own_bridge(xmlNode *n, const sv_network_def *def)
{
    if (sv_network_mode_has_own_bridge(def->forward.mode))
        return 0;
    return sv_xml_error(n, "element <%s> is not allowed in a network with forward mode='%s'",
                        (const char *)n->name, sv_network_forward_mode_name(def->forward.mode));
}

static int parse_nat(xmlNode *n, sv_network_forward *fwd)
{
    static const char *const attrs[] = {"ipv6", NULL};
    static const char *const children[] = {"address", "port", NULL};
    xmlNode *c;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, children) < 0 ||
        sv_xml_prop_yesno(n, "ipv6", &fwd->nat_ipv6) < 0)
        return -1;
    if ((c = sv_xml_child(n, "address"))) {
        static const char *const aattrs[] = {"start", "end", NULL};

        if (sv_xml_check_attrs(c, aattrs) < 0 || sv_xml_check_children(c, NULL, NULL) < 0 ||
            prop_ip(c, "start", AF_INET, true, &fwd->nat_start) < 0 ||
            prop_ip(c, "end", AF_INET, true, &fwd->nat_end) < 0)
            return -1;
        if (sv_ip_addr_cmp(&fwd->nat_start, &fwd->nat_end) > 0)
            return sv_xml_error(c, "address range is reversed: start is after end");
    }
    if ((c = sv_xml_child(n, "port"))) {
        static const char *const pattrs[] = {"start", "end", NULL};
        uint32_t start, end;

        if (sv_xml_check_attrs(c, pattrs) < 0 || sv_xml_check_children(c, NULL, NULL) < 0 ||
            sv_xml_prop_u32(c, "start", 0, &start) < 0 || sv_xml_prop_u32(c, "end", 0, &end) < 0)
            return -1;
        if (start == 0 || start > 65535 || end == 0 || end > 65535)
            return sv_xml_error(c, "attributes 'start' and 'end' are required and must be 1..65535");
        if (start > end)
            return sv_xml_error(c, "port range %u-%u is reversed", start, end);
        fwd->nat_port_start = start;
        fwd->nat_port_end = end;
    }
    return 0;
}

static int forward_if_cmp(const void *a, const void *b)
{
    return strcmp(((const sv_network_forward_if *)a)->dev, ((const sv_network_forward_if *)b)->dev);
}

static int parse_forward_ifs(xmlNode *n, sv_network_forward *fwd)
{
    _cleanup_free_ xmlNode **nodes = NULL;
    size_t n_nodes = 0;
    ssize_t dup;

    sv_xml_foreach_child(c, n) {
        static const char *const iattrs[] = {"dev", "connections", NULL};
        sv_network_forward_if *fi;
        uint32_t conns;

        if (!sv_xml_is(c, "interface"))
            continue;
        *SV_NETCONF_APPEND(nodes, n_nodes) = c;
        fi = SV_NETCONF_APPEND(fwd->ifs, fwd->n_ifs);
        fi->dev = NULL;
        if (sv_xml_check_attrs(c, iattrs) < 0 || sv_xml_check_children(c, NULL, NULL) < 0 ||
            sv_xml_prop_u32(c, "connections", 0, &conns) < 0 || prop_ifname(c, "dev", true, false, &fi->dev) < 0)
            return -1;
        fi->connections = conns;
    }
    if ((dup = sv_netconf_first_duplicate(fwd->ifs, fwd->n_ifs, sizeof(*fwd->ifs), forward_if_cmp)) >= 0)
        return sv_xml_error(nodes[dup], "duplicate forward interface dev='%s'", fwd->ifs[dup].dev);
    return 0;
}

static int parse_forward(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"mode", "dev", NULL};
    static const char *const children[] = {"nat", "interface", NULL};
    static const char *const once[] = {"nat", NULL};
    sv_network_forward *fwd = &def->forward;
    _cleanup_free_ char *mode = sv_xml_prop(n, "mode");
    _cleanup_free_ char *dev = NULL;
    int m;

    if (mode && strcmp(mode, "hostdev") == 0)
        return sv_xml_unsupported(n, "forward mode 'hostdev' is not supported");
    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, once) < 0)
        return -1;
    /* libvirt: <forward/> without a mode means NAT. */
    if (sv_xml_prop_enum(n, "mode", forward_mode_names, SV_NETWORK_FORWARD_NAT, &m) < 0)
        return -1;
    fwd->mode = (sv_network_forward_mode)m;
    if (prop_ifname(n, "dev", false, false, &dev) < 0)
        return -1;

    if (parse_forward_ifs(n, fwd) < 0)
        return -1;
    if (dev) {
        if (fwd->n_ifs > 0 && strcmp(dev, fwd->ifs[0].dev) != 0)
            return sv_xml_error(n, "forward dev='%s' must match the first <interface dev='%s'>", dev,
                                fwd->ifs[0].dev);
        if (fwd->n_ifs == 0) {
            fwd->ifs = sv_malloc0(sizeof(*fwd->ifs));
            fwd->ifs[0].dev = dev;
            dev = NULL;
            fwd->n_ifs = 1;
        }
    }

    if (sv_xml_child(n, "nat")) {
        if (fwd->mode != SV_NETWORK_FORWARD_NAT)
            return sv_xml_error(sv_xml_child(n, "nat"), "element <nat> is only allowed with forward mode='nat'");
        if (parse_nat(sv_xml_child(n, "nat"), fwd) < 0)
            return -1;
    }
    switch (fwd->mode) {
    case SV_NETWORK_FORWARD_OPEN:
        if (fwd->n_ifs)
            return sv_xml_error(n, "forward mode='open' does not take a dev attribute or <interface> elements");
        break;
    case SV_NETWORK_FORWARD_NAT:
    case SV_NETWORK_FORWARD_ROUTE:
        /* Only one outgoing device can be restricted to; more would be ignored. */
        if (fwd->n_ifs > 1)
            return sv_xml_error(n, "forward mode='%s' takes at most one <interface>", mode ? mode : "nat");
        break;
    case SV_NETWORK_FORWARD_PRIVATE:
    case SV_NETWORK_FORWARD_VEPA:
    case SV_NETWORK_FORWARD_PASSTHROUGH:
        if (!fwd->n_ifs)
            return sv_xml_error(n, "forward mode='%s' requires a dev attribute or an <interface> element", mode);
        break;
    default:
        break;
    }
    return 0;
}

static int parse_bridge(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"name", "stp", "delay", NULL};
    bool own = sv_network_mode_has_own_bridge(def->forward.mode);
    int stp;
    uint64_t delay;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0)
        return -1;
    if (def->forward.mode != SV_NETWORK_FORWARD_BRIDGE && !own)
        return require_own_bridge(n, def);
    if (prop_ifname(n, "name", !own, own, &def->bridge_name) < 0 ||
        sv_xml_prop_onoff(n, "stp", &stp) < 0 || sv_xml_prop_u64(n, "delay", 0, &delay) < 0)
        return -1;
    if (!own) {
        if (stp != SV_TRISTATE_ABSENT || xmlHasProp(n, (const xmlChar *)"delay"))
            return sv_xml_error(n, "attributes 'stp' and 'delay' are only allowed in isolated, nat, route "
                                   "and open networks, not with forward mode='bridge'");
        if (def->forward.n_ifs)
            return sv_xml_error(n, "forward mode='bridge' takes either <bridge name> or a forward dev/"
                                   "<interface>, not both");
        return 0;
    }
    if (delay > 3600)
        return sv_xml_error(n, "delay %llu is out of range (0..3600 seconds)", (unsigned long long)delay);
    def->stp = stp != SV_TRISTATE_NO;
    def->delay = (unsigned long)delay;
    return 0;
}

static int parse_mac(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"address", NULL};
    _cleanup_free_ char *v = NULL;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0 ||
        require_own_bridge(n, def) < 0 || sv_xml_prop_required(n, "address", &v) < 0)
        return -1;
    if (sv_mac_parse(v, def->mac) < 0)
        return sv_xml_error(n, "invalid MAC address '%s' in attribute 'address'", v);
    if (def->mac[0] & 1)
        return sv_xml_error(n, "bridge MAC address '%s' is a multicast address", v);
    def->has_mac = true;
    return 0;
}

static int parse_domain(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"name", "localOnly", NULL};

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0 ||
        require_own_bridge(n, def) < 0 || prop_dns_name(n, "name", true, &def->domain_name) < 0 ||
        sv_xml_prop_yesno(n, "localOnly", &def->domain_local_only) < 0)
        return -1;
    return 0;
}

static int parse_dns_host(xmlNode *n, sv_network_dns *dns)
{
    static const char *const attrs[] = {"ip", NULL};
    static const char *const children[] = {"hostname", NULL};
    sv_network_dns_host *h;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, NULL) < 0)
        return -1;
    h = SV_NETCONF_APPEND(dns->hosts, dns->n_hosts);
    memset(h, 0, sizeof(*h));
    if (prop_ip(n, "ip", AF_UNSPEC, true, &h->ip) < 0)
        return -1;
    sv_xml_foreach_child(c, n) {
        char *name = sv_xml_content(c);

        if (sv_xml_first_element(c) || !dns_name_valid(name)) {
            sv_xml_error(c, "invalid hostname '%s': use letters, digits, '-', '_' and '.'", name);
            free(name);
            return -1;
        }
        *SV_NETCONF_APPEND(h->hostnames, h->n_hostnames) = name;
    }
    if (h->n_hostnames == 0)
        return sv_xml_error(n, "DNS host entry needs at least one <hostname>");
    return 0;
}

static int parse_dns(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"enable", "forwardPlainNames", NULL};
    static const char *const children[] = {"forwarder", "host", NULL};
    sv_network_dns *dns = &def->dns;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, NULL) < 0 ||
        require_own_bridge(n, def) < 0 || sv_xml_prop_yesno(n, "enable", &dns->enable) < 0 ||
        sv_xml_prop_yesno(n, "forwardPlainNames", &dns->forward_plain_names) < 0)
        return -1;
    sv_xml_foreach_child(c, n) {
        if (sv_xml_is(c, "host")) {
            if (parse_dns_host(c, dns) < 0)
                return -1;
        } else {
            static const char *const fattrs[] = {"domain", "addr", NULL};
            sv_network_dns_forwarder *f;

            if (sv_xml_check_attrs(c, fattrs) < 0 || sv_xml_check_children(c, NULL, NULL) < 0)
                return -1;
            f = SV_NETCONF_APPEND(dns->forwarders, dns->n_forwarders);
            memset(f, 0, sizeof(*f));
            if (prop_dns_name(c, "domain", false, &f->domain) < 0 ||
                prop_ip(c, "addr", AF_UNSPEC, false, &f->addr) < 0)
                return -1;
            if (!f->domain && !sv_ip_addr_is_set(&f->addr))
                return sv_xml_error(c, "needs an 'addr' or a 'domain' attribute (or both)");
        }
    }
    if (dns->enable == SV_TRISTATE_NO && (dns->n_hosts || dns->n_forwarders))
        return sv_xml_error(n, "<dns enable='no'> must not contain <forwarder> or <host> elements");
    return 0;
}

static int parse_rate(xmlNode *n, bool allow_floor, sv_network_rate *r)
{
    static const char *const attrs[] = {"average", "peak", "burst", "floor", NULL};
    struct {
        const char *name;
        uint64_t *val;
    } fields[] = {{"average", &r->average}, {"peak", &r->peak}, {"burst", &r->burst}, {"floor", &r->floor}};

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0)
        return -1;
    for (size_t i = 0; i < SV_ARRAY_SIZE(fields); i++) {
        _cleanup_free_ char *v = sv_xml_prop(n, fields[i].name);

        if (!v)
            continue;
        if (sv_xml_prop_u64(n, fields[i].name, 0, fields[i].val) < 0)
            return -1;
        /* 0 is how the model says "not given", so it cannot be a value. */
        if (*fields[i].val == 0 || *fields[i].val > RATE_MAX)
            return sv_xml_error(n, "attribute '%s' must be 1..%u", fields[i].name, RATE_MAX);
    }
    if (r->floor && !allow_floor)
        return sv_xml_unsupported(n, "attribute 'floor' is only supported on <inbound> of a portgroup");
    if (!r->average && !r->floor)
        return sv_xml_error(n, "missing required attribute 'average'");
    if ((r->peak || r->burst) && !r->average)
        return sv_xml_error(n, "attributes 'peak' and 'burst' require 'average'");
    r->present = true;
    return 0;
}

static int parse_bandwidth(xmlNode *n, bool allow_floor, sv_network_bandwidth **ret)
{
    static const char *const children[] = {"inbound", "outbound", NULL};
    sv_network_bandwidth *bw;
    xmlNode *c;

    if (sv_xml_check_attrs(n, NULL) < 0 || sv_xml_check_children(n, children, children) < 0)
        return -1;
    bw = sv_malloc0(sizeof(*bw));
    *ret = bw;
    if ((c = sv_xml_child(n, "inbound")) && parse_rate(c, allow_floor, &bw->inbound) < 0)
        return -1;
    if ((c = sv_xml_child(n, "outbound")) && parse_rate(c, false, &bw->outbound) < 0)
        return -1;
    if (!bw->inbound.present && !bw->outbound.present) {
        /* An empty <bandwidth/> limits nothing: keep no trace of it, as libvirt. */
        free(bw);
        *ret = NULL;
    }
    return 0;
}

static int parse_virtualport(xmlNode *n, bool require_type, sv_network_virtualport **ret)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const children[] = {"parameters", NULL};
    static const char *const types[] = {"", "openvswitch", NULL};
    _cleanup_free_ char *type = sv_xml_prop(n, "type");
    sv_network_virtualport *vp;
    xmlNode *p;
    int t;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, children) < 0)
        return -1;
    if (type && (strcmp(type, "802.1Qbg") == 0 || strcmp(type, "802.1Qbh") == 0 || strcmp(type, "midonet") == 0))
        return sv_xml_unsupported(n, "virtualport type '%s' is not supported (only 'openvswitch')", type);
    if (sv_xml_prop_enum(n, "type", types, SV_NETWORK_VPORT_NONE, &t) < 0)
        return -1;
    if (require_type && t == SV_NETWORK_VPORT_NONE)
        return sv_xml_error(n, "missing required attribute 'type'");
    vp = sv_malloc0(sizeof(*vp));
    *ret = vp;
    vp->type = (sv_network_vport_type)t;
    if ((p = sv_xml_child(n, "parameters"))) {
        static const char *const pattrs[] = {"profileid", "interfaceid", NULL};

        if (sv_xml_check_attrs(p, pattrs) < 0 || sv_xml_check_children(p, NULL, NULL) < 0)
            return -1;
        if (xmlHasProp(p, (const xmlChar *)"interfaceid"))
            return sv_xml_error(p, "attribute 'interfaceid' belongs on a domain interface, not on a network");
        vp->profileid = sv_xml_prop(p, "profileid");
        if (vp->profileid) {
            size_t len = strlen(vp->profileid);

            if (len == 0 || len > 40 || vp->profileid[strspn(vp->profileid,
                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")] != '\0')
                return sv_xml_error(p, "invalid profileid '%s': 1..40 letters, digits, '_', '.', ':' or '-'",
                                    vp->profileid);
        }
    }
    if (vp->type == SV_NETWORK_VPORT_NONE && !vp->profileid) {
        /* A typeless virtualport without parameters says nothing (libvirt drops it too). */
        free(vp);
        *ret = NULL;
    }
    return 0;
}

/* virtualport needs an existing bridge to plug ports into. */
static int check_virtualport_allowed(xmlNode *n, const sv_network_def *def)
{
    if (def->forward.mode != SV_NETWORK_FORWARD_BRIDGE || !def->bridge_name)
        return sv_xml_error(n, "<virtualport> requires forward mode='bridge' and a <bridge name>");
    return 0;
}

static int parse_portgroup(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"name", "default", NULL};
    static const char *const children[] = {"virtualport", "bandwidth", NULL};
    sv_network_portgroup *pg;
    xmlNode *c;
    int dflt;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, children) < 0)
        return -1;
    pg = SV_NETCONF_APPEND(def->portgroups, def->n_portgroups);
    memset(pg, 0, sizeof(*pg));
    if (sv_xml_prop_required(n, "name", &pg->name) < 0 || sv_xml_prop_yesno(n, "default", &dflt) < 0)
        return -1;
    if (!object_name_valid(pg->name))
        return sv_xml_error(n, "invalid portgroup name '%s'", pg->name);
    pg->is_default = dflt == SV_TRISTATE_YES;
    if ((c = sv_xml_child(n, "virtualport")) &&
        (check_virtualport_allowed(c, def) < 0 || parse_virtualport(c, false, &pg->virtualport) < 0))
        return -1;
    if ((c = sv_xml_child(n, "bandwidth")) && parse_bandwidth(c, true, &pg->bandwidth) < 0)
        return -1;
    return 0;
}

static int portgroup_cmp(const void *a, const void *b)
{
    return strcmp(((const sv_network_portgroup *)a)->name, ((const sv_network_portgroup *)b)->name);
}

static int parse_portgroups(xmlNode *root, sv_network_def *def)
{
    _cleanup_free_ xmlNode **nodes = NULL;
    size_t n_nodes = 0;
    ssize_t dflt = -1, dup;

    sv_xml_foreach_child(c, root) {
        if (!sv_xml_is(c, "portgroup"))
            continue;
        *SV_NETCONF_APPEND(nodes, n_nodes) = c;
        if (parse_portgroup(c, def) < 0)
            return -1;
        if (def->portgroups[def->n_portgroups - 1].is_default) {
            if (dflt >= 0)
                return sv_xml_error(c, "portgroup '%s' is marked default but '%s' already is",
                                    def->portgroups[def->n_portgroups - 1].name, def->portgroups[dflt].name);
            dflt = (ssize_t)def->n_portgroups - 1;
        }
    }
    if ((dup = sv_netconf_first_duplicate(def->portgroups, def->n_portgroups, sizeof(*def->portgroups),
                                          portgroup_cmp)) >= 0)
        return sv_xml_error(nodes[dup], "duplicate portgroup name '%s'", def->portgroups[dup].name);
    return 0;
}

static int parse_dhcp_range(xmlNode *n, sv_network_ip *ip, unsigned prefix)
{
    static const char *const attrs[] = {"start", "end", NULL};
    sv_network_dhcp_range r;
    char net[SV_IP_ADDR_STRLEN];

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0 ||
        prop_ip(n, "start", ip->address.family, true, &r.start) < 0 ||
        prop_ip(n, "end", ip->address.family, true, &r.end) < 0)
        return -1;
    sv_ip_addr_format(&ip->address, net);
    if (!sv_ip_addr_in_subnet(&r.start, &ip->address, prefix) ||
        !sv_ip_addr_in_subnet(&r.end, &ip->address, prefix))
        return sv_xml_error(n, "dhcp range is not entirely within the network %s/%u", net, prefix);
    if (sv_ip_addr_cmp(&r.start, &r.end) > 0)
        return sv_xml_error(n, "dhcp range is reversed: start is after end");
    if (sv_ip_addr_is_network(&r.start, prefix))
        return sv_xml_error(n, "dhcp range start is the network address of %s/%u", net, prefix);
    if (sv_ip_addr_is_broadcast(&r.end, prefix))
        return sv_xml_error(n, "dhcp range end is the broadcast address of %s/%u", net, prefix);
    *SV_NETCONF_APPEND(ip->ranges, ip->n_ranges) = r;
    return 0;
}

static int parse_dhcp_host(xmlNode *n, sv_network_ip *ip, unsigned prefix)
{
    static const char *const attrs[] = {"mac", "id", "name", "ip", NULL};
    bool v6 = ip->address.family == AF_INET6;
    _cleanup_free_ char *mac = NULL;
    sv_network_dhcp_host *h;
    char net[SV_IP_ADDR_STRLEN];

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, NULL, NULL) < 0)
        return -1;
    h = SV_NETCONF_APPEND(ip->hosts, ip->n_hosts);
    memset(h, 0, sizeof(*h));
    mac = sv_xml_prop(n, "mac");
    h->id = sv_xml_prop(n, "id");
    if (prop_dns_name(n, "name", false, &h->name) < 0 || prop_ip(n, "ip", ip->address.family, true, &h->ip) < 0)
        return -1;
    if (mac) {
        if (v6)
            return sv_xml_error(n, "attribute 'mac' is not allowed in an IPv6 dhcp host (use 'id' or 'name')");
        if (sv_mac_parse(mac, h->mac) < 0)
            return sv_xml_error(n, "invalid MAC address '%s' in attribute 'mac'", mac);
        h->has_mac = true;
    }
    if (h->id) {
        if (!v6)
            return sv_xml_error(n, "attribute 'id' is only allowed in an IPv6 dhcp host");
        if (!*h->id || h->id[strspn(h->id, "0123456789abcdefABCDEF:")] != '\0')
            return sv_xml_error(n, "invalid DHCP client id '%s' in attribute 'id'", h->id);
    }
    if (!v6 && !h->has_mac && !h->name)
        return sv_xml_error(n, "IPv4 dhcp host needs a 'mac' or a 'name' attribute");
    if (v6 && !h->id && !h->name)
        return sv_xml_error(n, "IPv6 dhcp host needs an 'id' or a 'name' attribute");
    sv_ip_addr_format(&ip->address, net);
    if (!sv_ip_addr_in_subnet(&h->ip, &ip->address, prefix))
        return sv_xml_error(n, "dhcp host ip is not within the network %s/%u", net, prefix);
    return 0;
}

/* Hosts without a MAC never collide: order them by position instead. */
static int host_mac_cmp(const void *a, const void *b)
{
    const sv_network_dhcp_host *x = a, *y = b;

    if (x->has_mac && y->has_mac)
        return memcmp(x->mac, y->mac, SV_MAC_LEN);
    if (x->has_mac != y->has_mac)
        return x->has_mac ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int host_ip_cmp(const void *a, const void *b)
{
    return sv_ip_addr_cmp(&((const sv_network_dhcp_host *)a)->ip, &((const sv_network_dhcp_host *)b)->ip);
}

static int check_dhcp_hosts(xmlNode **nodes, const sv_network_ip *ip)
{
    ssize_t dup;

    if ((dup = sv_netconf_first_duplicate(ip->hosts, ip->n_hosts, sizeof(*ip->hosts), host_mac_cmp)) >= 0) {
        char mac[SV_MAC_STRLEN];

        sv_mac_format(ip->hosts[dup].mac, mac);
        return sv_xml_error(nodes[dup], "duplicate dhcp host mac '%s'", mac);
    }
    if ((dup = sv_netconf_first_duplicate(ip->hosts, ip->n_hosts, sizeof(*ip->hosts), host_ip_cmp)) >= 0) {
        char addr[SV_IP_ADDR_STRLEN];

        sv_ip_addr_format(&ip->hosts[dup].ip, addr);
        return sv_xml_error(nodes[dup], "duplicate dhcp host ip '%s'", addr);
    }
    return 0;
}

static int parse_ip(xmlNode *n, sv_network_def *def)
{
    static const char *const attrs[] = {"family", "address", "netmask", "prefix", NULL};
    static const char *const children[] = {"dhcp", NULL};
    static const char *const families[] = {"", "ipv4", "ipv6", NULL};
    _cleanup_free_ char *netmask = NULL, *prefix_s = NULL;
    sv_network_ip *ip;
    xmlNode *dhcp;
    unsigned prefix;
    int family;
    uint32_t p;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, children) < 0 ||
        require_own_bridge(n, def) < 0 ||
        sv_xml_prop_enum(n, "family", families, SV_NETWORK_IP_FAMILY_ABSENT, &family) < 0)
        return -1;
    ip = SV_NETCONF_APPEND(def->ips, def->n_ips);
    memset(ip, 0, sizeof(*ip));
    ip->family = (sv_network_ip_family)family;
    if (prop_ip(n, "address", AF_UNSPEC, true, &ip->address) < 0)
        return -1;
    if (ip->address.family == AF_INET6 && family != SV_NETWORK_IP_FAMILY_IPV6)
        return sv_xml_error(n, "IPv6 address needs family='ipv6'");
    if (ip->address.family == AF_INET && family == SV_NETWORK_IP_FAMILY_IPV6)
        return sv_xml_error(n, "family='ipv6' given for an IPv4 address");

    netmask = sv_xml_prop(n, "netmask");
    prefix_s = sv_xml_prop(n, "prefix");
    if (netmask && prefix_s)
        return sv_xml_error(n, "attributes 'netmask' and 'prefix' are mutually exclusive");
    if (netmask) {
        if (ip->address.family != AF_INET)
            return sv_xml_error(n, "attribute 'netmask' is only allowed for IPv4 (use 'prefix')");
        if (prop_ip(n, "netmask", AF_INET, true, &ip->netmask) < 0)
            return -1;
        if (sv_ip_netmask_prefix(&ip->netmask) <= 0)
            return sv_xml_error(n, "invalid netmask '%s': ones must be contiguous and not all zero", netmask);
    }
    if (prefix_s) {
        if (sv_xml_prop_u32(n, "prefix", 0, &p) < 0)
            return -1;
        if (p == 0 || p > sv_ip_addr_bits(&ip->address))
            return sv_xml_error(n, "prefix %u is out of range (1..%u)", p, sv_ip_addr_bits(&ip->address));
        ip->prefix = p;
    }
    prefix = sv_network_ip_prefix(ip);

    if ((dhcp = sv_xml_child(n, "dhcp"))) {
        static const char *const dchildren[] = {"range", "host", NULL};
        _cleanup_free_ xmlNode **host_nodes = NULL;
        size_t n_host_nodes = 0;

        if (sv_xml_check_attrs(dhcp, NULL) < 0 || sv_xml_check_children(dhcp, dchildren, NULL) < 0)
            return -1;
        sv_xml_foreach_child(c, dhcp) {
            if (sv_xml_is(c, "range")) {
                if (parse_dhcp_range(c, ip, prefix) < 0)
                    return -1;
            } else {
                *SV_NETCONF_APPEND(host_nodes, n_host_nodes) = c;
                if (parse_dhcp_host(c, ip, prefix) < 0)
                    return -1;
            }
        }
        if (check_dhcp_hosts(host_nodes, ip) < 0)
            return -1;
        /* dnsmasq serves one DHCP subnet per family on a network. */
        for (size_t i = 0; i + 1 < def->n_ips && (ip->n_ranges || ip->n_hosts); i++) {
            const sv_network_ip *o = &def->ips[i];

            if (o->address.family == ip->address.family && (o->n_ranges || o->n_hosts))
                return sv_xml_error(dhcp, "only one %s address per network may have <dhcp>",
                                    ip->address.family == AF_INET ? "IPv4" : "IPv6");
        }
    }
    return 0;
}

static int parse_name_uuid(xmlNode *root, sv_network_def *def)
{
    xmlNode *n = sv_xml_child(root, "name");
    xmlNode *u = sv_xml_child(root, "uuid");

    if (!n)
        return sv_xml_error(root, "missing required element <name>");
    if (sv_xml_check_attrs(n, NULL) < 0 || sv_xml_check_children(n, NULL, NULL) < 0)
        return -1;
    def->name = sv_xml_content(n);
    if (!object_name_valid(def->name))
        return sv_xml_error(n, "invalid network name '%s': 1..255 characters, no '/' or control characters",
                            def->name);
    return sv_netconf_parse_uuid(u, def->uuid);
}

static int network_parse(xmlNode *root, sv_network_def *def)
{
    static const char *const attrs[] = {"connections", NULL};
    static const char *const children[] = {
        "name", "uuid", "forward", "bridge", "mac", "domain", "dns", "bandwidth", "ip", "virtualport",
        "portgroup", NULL,
    };
    static const char *const once[] = {
        "name", "uuid", "forward", "bridge", "mac", "domain", "dns", "bandwidth", "virtualport", NULL,
    };
    xmlNode *c;

    if (sv_xml_check_attrs(root, attrs) < 0 || sv_xml_check_children(root, children, once) < 0 ||
        sv_xml_prop_u32(root, "connections", 0, &def->connections) < 0 || parse_name_uuid(root, def) < 0)
        return -1;
    /* The forward mode decides what else is allowed, so it goes first. */
    def->stp = true;
    if ((c = sv_xml_child(root, "forward")) && parse_forward(c, def) < 0)
        return -1;
    if ((c = sv_xml_child(root, "bridge")) && parse_bridge(c, def) < 0)
        return -1;
    if (def->forward.mode == SV_NETWORK_FORWARD_BRIDGE && !def->bridge_name && !def->forward.n_ifs)
        return sv_xml_error(sv_xml_child(root, "forward"),
                            "forward mode='bridge' requires a <bridge name> or a forward dev/<interface>");
    if ((c = sv_xml_child(root, "mac")) && parse_mac(c, def) < 0)
        return -1;
    if ((c = sv_xml_child(root, "domain")) && parse_domain(c, def) < 0)
        return -1;
    if ((c = sv_xml_child(root, "dns")) && parse_dns(c, def) < 0)
        return -1;
    if ((c = sv_xml_child(root, "bandwidth")) &&
        (require_own_bridge(c, def) < 0 || parse_bandwidth(c, false, &def->bandwidth) < 0))
        return -1;
    if ((c = sv_xml_child(root, "virtualport")) &&
        (check_virtualport_allowed(c, def) < 0 || parse_virtualport(c, true, &def->virtualport) < 0))
        return -1;
    sv_xml_foreach_child(e, root) {
        if (sv_xml_is(e, "ip") && parse_ip(e, def) < 0)
            return -1;
    }
    if (parse_portgroups(root, def) < 0)
        return -1;
    if (sv_network_mode_has_own_bridge(def->forward.mode) && !def->has_mac) {
        sv_mac_generate(def->mac);
        def->has_mac = true;
    }
    return 0;
}

sv_network_def *sv_network_def_parse(const char *xml, size_t len, unsigned flags)
{
    xmlNode *root;
    xmlDoc *doc;
    sv_network_def *def;

    if (!(doc = sv_xml_parse(xml, len, "network", &root)))
        return NULL;
    def = sv_malloc0(sizeof(*def));
    if (network_parse(root, def) < 0) {
        sv_network_def_free(def);
        def = NULL;
    } else if (!(flags & SV_NETWORK_PARSE_LIVE)) {
        /* net-dumpxml output fed back to net-define carries counters that
         * describe the old run: accepted, as libvirt does, but not kept. */
        def->connections = 0;
        for (size_t i = 0; i < def->forward.n_ifs; i++)
            def->forward.ifs[i].connections = 0;
    }
    xmlFreeDoc(doc);
    return def;
}

bool sv_network_def_needs_bridge_name(const sv_network_def *def)
{
    return sv_network_mode_has_own_bridge(def->forward.mode) &&
           (!def->bridge_name || strchr(def->bridge_name, '%'));
}

const char *sv_network_def_bridge_template(const sv_network_def *def)
{
    return def->bridge_name && strchr(def->bridge_name, '%') ? def->bridge_name : "virbr%d";
}

int sv_network_def_fill_bridge(sv_network_def *def, unsigned n)
{
    const char *tmpl = sv_network_def_bridge_template(def);
    const char *pct = strstr(tmpl, "%d");
    char *name = sv_asprintf("%.*s%u%s", (int)(pct - tmpl), tmpl, n, pct + 2);

    if (!sv_network_ifname_valid(name, false)) {
        sv_error_set(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR,
                     "bridge name '%s' from template '%s' is not a valid interface name", name, tmpl);
        free(name);
        return -1;
    }
    free(def->bridge_name);
    def->bridge_name = name;
    return 0;
}
