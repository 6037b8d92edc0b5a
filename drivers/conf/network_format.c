/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* network XML: formatting in libvirt's net-dumpxml layout, copy, free. */
#include <string.h>

#include "network_conf.h"
#include "sv_buf.h"
#include "sv_error.h"
#include "xml_util.h"

/* Start tag already open: close it and indent its children. */
static void children_begin(sv_buf *b)
{
    sv_buf_add(b, ">\n");
    b->indent += 2;
}

static void elem_begin(sv_buf *b, const char *name)
{
    sv_buf_iprintf(b, "<%s>\n", name);
    b->indent += 2;
}

static void elem_end(sv_buf *b, const char *name)
{
    b->indent -= 2;
    sv_buf_iprintf(b, "</%s>\n", name);
}

static void attr_ip(sv_buf *b, const char *name, const sv_ip_addr *a)
{
    char s[SV_IP_ADDR_STRLEN];

    if (!sv_ip_addr_is_set(a))
        return;
    sv_ip_addr_format(a, s);
    sv_buf_printf(b, " %s='%s'", name, s);
}

static void attr_mac(sv_buf *b, const char *name, const unsigned char mac[SV_MAC_LEN])
{
    char s[SV_MAC_STRLEN];

    sv_mac_format(mac, s);
    sv_buf_printf(b, " %s='%s'", name, s);
}

static void format_rate(sv_buf *b, const char *elem, const sv_network_rate *r)
{
    if (r->present)
        sv_xml_format_rate(b, elem, r->average, r->peak, r->floor, r->burst);
}

static void format_bandwidth(sv_buf *b, const sv_network_bandwidth *bw)
{
    if (!bw)
        return;
    elem_begin(b, "bandwidth");
    format_rate(b, "inbound", &bw->inbound);
    format_rate(b, "outbound", &bw->outbound);
    elem_end(b, "bandwidth");
}

static void format_virtualport(sv_buf *b, const sv_network_virtualport *vp)
{
    if (!vp)
        return;
    sv_buf_iprintf(b, "<virtualport");
    if (vp->type == SV_NETWORK_VPORT_OPENVSWITCH)
        sv_buf_add(b, " type='openvswitch'");
    if (!vp->profileid) {
        sv_buf_add(b, "/>\n");
        return;
    }
    children_begin(b);
    sv_buf_iprintf(b, "<parameters");
    sv_buf_attr(b, "profileid", vp->profileid);
    sv_buf_add(b, "/>\n");
    elem_end(b, "virtualport");
}

static void format_forward(sv_buf *b, const sv_network_def *def, unsigned flags)
{
    const sv_network_forward *f = &def->forward;
    bool has_nat = sv_ip_addr_is_set(&f->nat_start) || f->nat_port_start || f->nat_ipv6;

    if (f->mode == SV_NETWORK_FORWARD_NONE)
        return;
    sv_buf_iprintf(b, "<forward");
    if (f->n_ifs)
        sv_buf_attr(b, "dev", f->ifs[0].dev);
    sv_buf_printf(b, " mode='%s'", sv_network_forward_mode_name(f->mode));
    if (!f->n_ifs && !has_nat) {
        sv_buf_add(b, "/>\n");
        return;
    }
    children_begin(b);
    if (has_nat) {
        sv_buf_iprintf(b, "<nat");
        if (f->nat_ipv6)
            sv_buf_printf(b, " ipv6='%s'", sv_tristate_yesno(f->nat_ipv6));
        if (!sv_ip_addr_is_set(&f->nat_start) && !f->nat_port_start) {
            sv_buf_add(b, "/>\n");
        } else {
            children_begin(b);
            if (sv_ip_addr_is_set(&f->nat_start)) {
                sv_buf_iprintf(b, "<address");
                attr_ip(b, "start", &f->nat_start);
                attr_ip(b, "end", &f->nat_end);
                sv_buf_add(b, "/>\n");
            }
            if (f->nat_port_start)
                sv_buf_iprintf(b, "<port start='%u' end='%u'/>\n", f->nat_port_start, f->nat_port_end);
            elem_end(b, "nat");
        }
    }
    for (size_t i = 0; i < f->n_ifs; i++) {
        sv_buf_iprintf(b, "<interface");
        sv_buf_attr(b, "dev", f->ifs[i].dev);
        if (!(flags & SV_NETWORK_XML_INACTIVE) && f->ifs[i].connections)
            sv_buf_printf(b, " connections='%u'", f->ifs[i].connections);
        sv_buf_add(b, "/>\n");
    }
    elem_end(b, "forward");
}

static void format_dns(sv_buf *b, const sv_network_dns *dns)
{
    if (!dns->enable && !dns->forward_plain_names && !dns->n_forwarders && !dns->n_hosts)
        return;
    sv_buf_iprintf(b, "<dns");
    if (dns->enable)
        sv_buf_printf(b, " enable='%s'", sv_tristate_yesno(dns->enable));
    if (dns->forward_plain_names)
        sv_buf_printf(b, " forwardPlainNames='%s'", sv_tristate_yesno(dns->forward_plain_names));
    if (!dns->n_forwarders && !dns->n_hosts) {
        sv_buf_add(b, "/>\n");
        return;
    }
    children_begin(b);
    for (size_t i = 0; i < dns->n_forwarders; i++) {
        sv_buf_iprintf(b, "<forwarder");
        sv_buf_attr(b, "domain", dns->forwarders[i].domain);
        attr_ip(b, "addr", &dns->forwarders[i].addr);
        sv_buf_add(b, "/>\n");
    }
    for (size_t i = 0; i < dns->n_hosts; i++) {
        const sv_network_dns_host *h = &dns->hosts[i];

        sv_buf_iprintf(b, "<host");
        attr_ip(b, "ip", &h->ip);
        children_begin(b);
        for (size_t j = 0; j < h->n_hostnames; j++) {
            sv_buf_iprintf(b, "<hostname>");
            sv_buf_escape_xml(b, h->hostnames[j]);
            sv_buf_add(b, "</hostname>\n");
        }
        elem_end(b, "host");
    }
    elem_end(b, "dns");
}

static void format_ip(sv_buf *b, const sv_network_ip *ip)
{
    static const char *const families[] = {NULL, "ipv4", "ipv6"};

    sv_buf_iprintf(b, "<ip");
    sv_buf_attr(b, "family", families[ip->family]);
    attr_ip(b, "address", &ip->address);
    attr_ip(b, "netmask", &ip->netmask);
    if (ip->prefix)
        sv_buf_printf(b, " prefix='%u'", ip->prefix);
    /* libvirt always writes <ip> as a start/end pair, even when empty. */
    children_begin(b);
    if (ip->n_ranges || ip->n_hosts) {
        elem_begin(b, "dhcp");
        for (size_t i = 0; i < ip->n_ranges; i++) {
            sv_buf_iprintf(b, "<range");
            attr_ip(b, "start", &ip->ranges[i].start);
            attr_ip(b, "end", &ip->ranges[i].end);
            sv_buf_add(b, "/>\n");
        }
        for (size_t i = 0; i < ip->n_hosts; i++) {
            const sv_network_dhcp_host *h = &ip->hosts[i];

            sv_buf_iprintf(b, "<host");
            if (h->has_mac)
                attr_mac(b, "mac", h->mac);
            sv_buf_attr(b, "id", h->id);
            sv_buf_attr(b, "name", h->name);
            attr_ip(b, "ip", &h->ip);
            sv_buf_add(b, "/>\n");
        }
        elem_end(b, "dhcp");
    }
    elem_end(b, "ip");
}

static void format_portgroup(sv_buf *b, const sv_network_portgroup *pg)
{
    sv_buf_iprintf(b, "<portgroup");
    sv_buf_attr(b, "name", pg->name);
    if (pg->is_default)
        sv_buf_add(b, " default='yes'");
    children_begin(b);
    format_virtualport(b, pg->virtualport);
    format_bandwidth(b, pg->bandwidth);
    elem_end(b, "portgroup");
}

char *sv_network_def_format(const sv_network_def *def, unsigned flags)
{
    sv_buf b = {0};
    char uuid[SV_UUID_STRLEN];
    bool own = sv_network_mode_has_own_bridge(def->forward.mode);

    sv_buf_add(&b, "<network");
    if (!(flags & SV_NETWORK_XML_INACTIVE) && def->connections)
        sv_buf_printf(&b, " connections='%u'", def->connections);
    sv_buf_add(&b, ">\n");
    b.indent = 2;
    sv_buf_iprintf(&b, "<name>");
    sv_buf_escape_xml(&b, def->name);
    sv_buf_add(&b, "</name>\n");
    sv_uuid_format(def->uuid, uuid);
    sv_buf_iprintf(&b, "<uuid>%s</uuid>\n", uuid);
    format_forward(&b, def, flags);
    if (own || def->bridge_name) {
        sv_buf_iprintf(&b, "<bridge");
        sv_buf_attr(&b, "name", def->bridge_name);
        if (own)
            sv_buf_printf(&b, " stp='%s' delay='%lu'", def->stp ? "on" : "off", def->delay);
        sv_buf_add(&b, "/>\n");
    }
    if (def->has_mac) {
        sv_buf_iprintf(&b, "<mac");
        attr_mac(&b, "address", def->mac);
        sv_buf_add(&b, "/>\n");
    }
    if (def->domain_name) {
        sv_buf_iprintf(&b, "<domain");
        sv_buf_attr(&b, "name", def->domain_name);
        sv_buf_attr(&b, "localOnly", sv_tristate_yesno(def->domain_local_only));
        sv_buf_add(&b, "/>\n");
    }
    format_dns(&b, &def->dns);
    format_bandwidth(&b, def->bandwidth);
    for (size_t i = 0; i < def->n_ips; i++)
        format_ip(&b, &def->ips[i]);
    format_virtualport(&b, def->virtualport);
    for (size_t i = 0; i < def->n_portgroups; i++)
        format_portgroup(&b, &def->portgroups[i]);
    b.indent = 0;
    sv_buf_add(&b, "</network>\n");
    return sv_buf_steal(&b);
}

static void virtualport_free(sv_network_virtualport *vp)
{
    if (!vp)
        return;
    free(vp->profileid);
    free(vp);
}

void sv_network_def_free(sv_network_def *def)
{
    if (!def)
        return;
    free(def->name);
    for (size_t i = 0; i < def->forward.n_ifs; i++)
        free(def->forward.ifs[i].dev);
    free(def->forward.ifs);
    free(def->bridge_name);
    free(def->domain_name);
    for (size_t i = 0; i < def->dns.n_forwarders; i++)
        free(def->dns.forwarders[i].domain);
    free(def->dns.forwarders);
    for (size_t i = 0; i < def->dns.n_hosts; i++) {
        for (size_t j = 0; j < def->dns.hosts[i].n_hostnames; j++)
            free(def->dns.hosts[i].hostnames[j]);
        free(def->dns.hosts[i].hostnames);
    }
    free(def->dns.hosts);
    free(def->bandwidth);
    for (size_t i = 0; i < def->n_ips; i++) {
        for (size_t j = 0; j < def->ips[i].n_hosts; j++) {
            free(def->ips[i].hosts[j].id);
            free(def->ips[i].hosts[j].name);
        }
        free(def->ips[i].hosts);
        free(def->ips[i].ranges);
    }
    free(def->ips);
    virtualport_free(def->virtualport);
    for (size_t i = 0; i < def->n_portgroups; i++) {
        free(def->portgroups[i].name);
        virtualport_free(def->portgroups[i].virtualport);
        free(def->portgroups[i].bandwidth);
    }
    free(def->portgroups);
    free(def);
}

sv_network_def *sv_network_def_copy(const sv_network_def *def)
{
    /* The formatter writes every field (live state too, without INACTIVE)
     * and the parser reads them all back, so a round trip is a deep copy;
     * an unfilled bridge name stays unfilled and the MAC is already set. */
    _cleanup_free_ char *xml = sv_network_def_format(def, 0);

    return sv_network_def_parse(xml, strlen(xml), SV_NETWORK_PARSE_LIVE);
}
