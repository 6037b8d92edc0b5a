/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain <interface>: parse, free, format.
 *
 * Default model rule: libvirt leaves <model> absent for QEMU and lets the
 * machine type pick a NIC.  We fill in model type='virtio' when absent, so
 * the guest gets the same, fast, device whatever the machine type, and the
 * stored XML says what the guest gets.
 */
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

#define SV_IFNAME_MAX 15   /* IFNAMSIZ - 1 */
#define SV_FILTER_PARAMS_MAX 256
#define SV_PROFILEID_MAX 40

/* Names the driver generates for tap/macvtap devices; in inactive XML
 * they are stale and dropped, as libvirt does. */
static bool ifname_is_generated(const char *name)
{
    return strncmp(name, "vnet", 4) == 0 || strncmp(name, "macvtap", 7) == 0 || strncmp(name, "macvlan", 7) == 0;
}

static int check_ifname(xmlNode *n, const char *what, const char *name)
{
    if (!*name || strlen(name) > SV_IFNAME_MAX)
        return sv_xml_error(n, "%s '%s' must be 1 to %d characters long", what, name, SV_IFNAME_MAX);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return sv_xml_error(n, "%s '%s' is not a valid interface name", what, name);
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '/' || *p == ':' || (unsigned char)*p >= 0x7f)
            return sv_xml_error(n, "%s '%s' contains an invalid character", what, name);
    return 0;
}

static int parse_source(sv_domain_net_def *net, xmlNode *dev, xmlNode *n)
{
    static const char *const network_attrs[] = {"network", "portgroup", NULL};
    static const char *const bridge_attrs[] = {"bridge", NULL};
    static const char *const direct_attrs[] = {"dev", "mode", NULL};
    const char *type = sv_domain_net_type_names[net->type];
    int v;

    switch (net->type) {
    case SV_DOMAIN_NET_NETWORK:
        if (!n)
            return sv_xml_error(dev, "missing required element <source network='...'>");
        if (sv_domain_check(n, network_attrs, NULL) < 0 || sv_xml_prop_required(n, "network", &net->source) < 0)
            return -1;
        if (strchr(net->source, '/'))
            return sv_xml_error(n, "network name '%s' must not contain '/'", net->source);
        net->portgroup = sv_xml_prop(n, "portgroup");
        break;
    case SV_DOMAIN_NET_BRIDGE:
        if (!n)
            return sv_xml_error(dev, "missing required element <source bridge='...'>");
        if (sv_domain_check(n, bridge_attrs, NULL) < 0 || sv_xml_prop_required(n, "bridge", &net->source) < 0 ||
            check_ifname(n, "bridge name", net->source) < 0)
            return -1;
        break;
    case SV_DOMAIN_NET_DIRECT:
        if (!n)
            return sv_xml_error(dev, "missing required element <source dev='...'>");
        if (sv_domain_check(n, direct_attrs, NULL) < 0 || sv_xml_prop_required(n, "dev", &net->source) < 0 ||
            check_ifname(n, "source dev", net->source) < 0 ||
            sv_xml_prop_enum(n, "mode", sv_domain_direct_mode_names, SV_DOMAIN_DIRECT_VEPA, &v) < 0)
            return -1;
        net->direct_mode = v;
        break;
    case SV_DOMAIN_NET_ETHERNET:
    case SV_DOMAIN_NET_USER:
        if (n)
            return sv_xml_unsupported(n, "<source> is not supported for interface type '%s'", type);
        break;
    }
    return 0;
}

static int parse_virtualport(sv_domain_net_def *net, xmlNode *n)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const children[] = {"parameters", NULL};
    static const char *const param_attrs[] = {"interfaceid", "profileid", NULL};
    _cleanup_free_ char *type = NULL, *ifaceid = NULL;
    xmlNode *p;

    if (!n)
        return 0;
    if (net->type != SV_DOMAIN_NET_NETWORK && net->type != SV_DOMAIN_NET_BRIDGE)
        return sv_xml_unsupported(n, "<virtualport> is only supported for interface types network and bridge");
    if (sv_domain_check(n, attrs, children) < 0)
        return -1;
    type = sv_xml_prop(n, "type");
    if (!type && net->type != SV_DOMAIN_NET_NETWORK)
        return sv_xml_error(n, "missing required attribute 'type'");
    if (type && strcmp(type, "openvswitch") != 0)
        return sv_xml_unsupported(n, "unsupported virtualport type '%s' (expected openvswitch)", type);
    net->virtualport = type ? SV_DOMAIN_VPORT_OPENVSWITCH : SV_DOMAIN_VPORT_UNTYPED;
    if ((p = sv_xml_child(n, "parameters"))) {
        if (sv_domain_check(p, param_attrs, NULL) < 0)
            return -1;
        ifaceid = sv_xml_prop(p, "interfaceid");
        if (ifaceid) {
            if (sv_uuid_parse(ifaceid, net->interfaceid) < 0)
                return sv_xml_error(p, "malformed interfaceid '%s' (expected a UUID)", ifaceid);
            net->has_interfaceid = true;
        }
        net->profileid = sv_xml_prop(p, "profileid");
        if (net->profileid) {
            size_t l = strlen(net->profileid);

            if (l == 0 || l > SV_PROFILEID_MAX ||
                strspn(net->profileid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-") != l)
                return sv_xml_error(p, "invalid profileid '%s': 1 to %d letters, digits, '_', '.', ':' or '-'",
                                    net->profileid, SV_PROFILEID_MAX);
        }
    }
    /* libvirt generates the OVS port's interface-id for bridge interfaces;
     * for network interfaces the network may still supply one. */
    if (!net->has_interfaceid && net->type == SV_DOMAIN_NET_BRIDGE) {
        if (sv_uuid_generate(net->interfaceid) < 0) {
            sv_error_set(SV_FROM_CONF, SV_ERR_INTERNAL_ERROR, "cannot generate an interfaceid");
            return -1;
        }
        net->has_interfaceid = true;
    }
    return 0;
}

static int parse_rate(sv_domain_net_def *net, xmlNode *n, bool inbound, sv_domain_bandwidth_rate **ret)
{
    static const char *const attrs[] = {"average", "peak", "burst", "floor", NULL};
    static const char *const names[] = {"average", "peak", "burst", "floor"};
    sv_domain_bandwidth_rate *r;
    uint64_t *fields[4];

    if (!n)
        return 0;
    r = *ret = sv_malloc0(sizeof(*r));
    fields[0] = &r->average;
    fields[1] = &r->peak;
    fields[2] = &r->burst;
    fields[3] = &r->floor;
    if (sv_domain_check(n, attrs, NULL) < 0)
        return -1;
    for (size_t i = 0; i < SV_ARRAY_SIZE(names); i++) {
        _cleanup_free_ char *v = sv_xml_prop(n, names[i]);

        if (!v)
            continue;
        if (sv_xml_prop_u64(n, names[i], 0, fields[i]) < 0)
            return -1;
        if (*fields[i] == 0 || *fields[i] > UINT32_MAX)
            return sv_xml_error(n, "attribute '%s' must be between 1 and %u", names[i], UINT32_MAX);
    }
    if (r->floor && !inbound)
        return sv_xml_unsupported(n, "attribute 'floor' is only supported for <inbound>");
    if (r->floor && net->type != SV_DOMAIN_NET_NETWORK)
        return sv_xml_unsupported(n, "attribute 'floor' is only supported for interface type network");
    if (!r->average && !r->floor)
        return sv_xml_error(n, "missing required attribute 'average'");
    if (!r->average && (r->peak || r->burst))
        return sv_xml_error(n, "attributes 'peak' and 'burst' require 'average'");
    if (r->peak && r->peak < r->average)
        return sv_xml_error(n, "peak (%llu) must not be below average (%llu)", (unsigned long long)r->peak,
                            (unsigned long long)r->average);
    return 0;
}

static int parse_bandwidth(sv_domain_net_def *net, xmlNode *n)
{
    static const char *const children[] = {"inbound", "outbound", NULL};

    if (!n)
        return 0;
    if (net->type == SV_DOMAIN_NET_USER)
        return sv_xml_unsupported(n, "<bandwidth> is not supported for interface type 'user'");
    if (sv_domain_check(n, NULL, children) < 0)
        return -1;
    return parse_rate(net, sv_xml_child(n, "inbound"), true, &net->inbound) < 0 ||
           parse_rate(net, sv_xml_child(n, "outbound"), false, &net->outbound) < 0 ? -1 : 0;
}

static bool filter_name_valid(const char *s, const char *extra)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              strchr(extra, *s)))
            return false;
    return true;
}

static int parse_filterref(sv_domain_net_def *net, xmlNode *n)
{
    static const char *const attrs[] = {"filter", NULL};
    static const char *const children[] = {"parameter", NULL};
    static const char *const param_attrs[] = {"name", "value", NULL};

    if (!n)
        return 0;
    if (net->type == SV_DOMAIN_NET_USER || net->type == SV_DOMAIN_NET_DIRECT)
        return sv_xml_unsupported(n, "<filterref> is not supported for interface type '%s'",
                                  sv_domain_net_type_names[net->type]);
    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, NULL) < 0 ||
        sv_xml_prop_required(n, "filter", &net->filter) < 0)
        return -1;
    if (!filter_name_valid(net->filter, ".:-"))
        return sv_xml_error(n, "invalid filter name '%s'", net->filter);
    sv_xml_foreach_child(c, n) {
        sv_domain_filter_param p = {0};

        if (net->nfilter_params == SV_FILTER_PARAMS_MAX)
            return sv_xml_error(c, "too many filter parameters (limit %d)", SV_FILTER_PARAMS_MAX);
        if (sv_domain_check(c, param_attrs, NULL) < 0 || sv_xml_prop_required(c, "name", &p.name) < 0)
            return -1;
        if (sv_xml_prop_required(c, "value", &p.value) < 0) {
            free(p.name);
            return -1;
        }
        net->filter_params = sv_realloc(net->filter_params, (net->nfilter_params + 1) * sizeof(p));
        net->filter_params[net->nfilter_params++] = p;
        if (!filter_name_valid(p.name, "") || (p.name[0] >= '0' && p.name[0] <= '9'))
            return sv_xml_error(c, "invalid filter parameter name '%s'", p.name);
        for (const char *s = p.value; *s; s++)
            if ((unsigned char)*s < 0x20)
                return sv_xml_error(c, "filter parameter '%s' has a control character in its value", p.name);
    }
    /* libvirt prints parameters sorted by name; a name given several
     * times (a list such as $IP) keeps its values in document order:
     * a stable insertion sort (the list is short). */
    for (size_t i = 1; i < net->nfilter_params; i++) {
        sv_domain_filter_param key = net->filter_params[i];
        size_t j = i;

        while (j > 0 && strcmp(net->filter_params[j - 1].name, key.name) > 0) {
            net->filter_params[j] = net->filter_params[j - 1];
            j--;
        }
        net->filter_params[j] = key;
    }
    return 0;
}

static int parse_mac(sv_domain_net_def *net, xmlNode *n)
{
    static const char *const attrs[] = {"address", NULL};
    _cleanup_free_ char *addr = NULL;

    if (!n) {
        sv_mac_generate(net->mac);
        return 0;
    }
    if (sv_domain_check(n, attrs, NULL) < 0 || sv_xml_prop_required(n, "address", &addr) < 0)
        return -1;
    if (sv_mac_parse(addr, net->mac) < 0)
        return sv_xml_error(n, "malformed MAC address '%s'", addr);
    if (net->mac[0] & 1)
        return sv_xml_error(n, "expected a unicast MAC address, found multicast '%s'", addr);
    return 0;
}

int sv_domain_net_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const children[] = {
        "mac", "source", "virtualport", "bandwidth", "target", "model", "filterref", "boot", "alias", "address",
        NULL};
    static const char *const target_attrs[] = {"dev", NULL};
    static const char *const model_attrs[] = {"type", NULL};
    _cleanup_free_ char *type = NULL;
    sv_domain_net_def *net;
    xmlNode *n;
    int v;

    if (def->nnets == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many interfaces (limit %d)", SV_DOMAIN_MAX_DEVICES);
    net = sv_malloc0(sizeof(*net));
    SV_DOMAIN_APPEND(def->nets, def->nnets, net);
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "type", &type) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_net_type_names, 0, &v) < 0)
        return -1;
    net->type = v;
    if (parse_mac(net, sv_xml_child(dev, "mac")) < 0 || parse_source(net, dev, sv_xml_child(dev, "source")) < 0 ||
        parse_virtualport(net, sv_xml_child(dev, "virtualport")) < 0 ||
        parse_bandwidth(net, sv_xml_child(dev, "bandwidth")) < 0)
        return -1;
    if ((n = sv_xml_child(dev, "target"))) {
        if (sv_domain_check(n, target_attrs, NULL) < 0 || sv_xml_prop_required(n, "dev", &net->ifname) < 0 ||
            check_ifname(n, "target dev", net->ifname) < 0)
            return -1;
        if (net->type == SV_DOMAIN_NET_USER)
            return sv_xml_unsupported(n, "<target> is not supported for interface type 'user'");
        if ((flags & SV_DOMAIN_XML_INACTIVE) && ifname_is_generated(net->ifname)) {
            free(net->ifname);
            net->ifname = NULL;
        }
    }
    net->model = SV_DOMAIN_NET_MODEL_VIRTIO;
    if ((n = sv_xml_child(dev, "model"))) {
        _cleanup_free_ char *mtype = NULL;

        if (sv_domain_check(n, model_attrs, NULL) < 0 || sv_xml_prop_required(n, "type", &mtype) < 0 ||
            sv_xml_prop_enum(n, "type", sv_domain_net_model_names, 0, &v) < 0)
            return -1;
        net->model = v;
    }
    if (parse_filterref(net, sv_xml_child(dev, "filterref")) < 0)
        return -1;
    for (size_t i = 0; i + 1 < def->nnets; i++) {
        if (memcmp(def->nets[i]->mac, net->mac, SV_MAC_LEN) == 0) {
            char mac[SV_MAC_STRLEN];

            sv_mac_format(net->mac, mac);
            return sv_xml_error(sv_xml_child(dev, "mac") ? sv_xml_child(dev, "mac") : dev,
                                "MAC address %s is used by more than one <interface>", mac);
        }
    }
    if (sv_domain_info_parse(dev, &net->info, true, flags) < 0)
        return -1;
    return sv_domain_boot_order_check(def, dev, &net->info);
}

void sv_domain_net_def_free(sv_domain_net_def *net)
{
    if (!net)
        return;
    free(net->source);
    free(net->portgroup);
    free(net->profileid);
    free(net->inbound);
    free(net->outbound);
    free(net->ifname);
    free(net->filter);
    for (size_t i = 0; i < net->nfilter_params; i++) {
        free(net->filter_params[i].name);
        free(net->filter_params[i].value);
    }
    free(net->filter_params);
    sv_domain_info_clear(&net->info);
    free(net);
}

static void format_rate(sv_buf *b, const char *name, const sv_domain_bandwidth_rate *r)
{
    if (r)
        sv_xml_format_rate(b, name, r->average, r->peak, r->floor, r->burst);
}

static void format_source(sv_buf *b, const sv_domain_net_def *net)
{
    switch (net->type) {
    case SV_DOMAIN_NET_NETWORK:
        sv_buf_iprintf(b, "<source");
        sv_buf_attr(b, "network", net->source);
        sv_buf_attr(b, "portgroup", net->portgroup);
        sv_buf_add(b, "/>\n");
        break;
    case SV_DOMAIN_NET_BRIDGE:
        sv_buf_iprintf(b, "<source");
        sv_buf_attr(b, "bridge", net->source);
        sv_buf_add(b, "/>\n");
        break;
    case SV_DOMAIN_NET_DIRECT:
        sv_buf_iprintf(b, "<source");
        sv_buf_attr(b, "dev", net->source);
        sv_buf_printf(b, " mode='%s'/>\n", sv_domain_direct_mode_names[net->direct_mode]);
        break;
    case SV_DOMAIN_NET_ETHERNET:
    case SV_DOMAIN_NET_USER:
        break;
    }
}

void sv_domain_net_def_format(sv_buf *b, const sv_domain_net_def *net, unsigned flags)
{
    char mac[SV_MAC_STRLEN];

    sv_mac_format(net->mac, mac);
    sv_buf_iprintf(b, "<interface type='%s'>\n", sv_domain_net_type_names[net->type]);
    b->indent += 2;
    sv_buf_iprintf(b, "<mac address='%s'/>\n", mac);
    format_source(b, net);
    if (net->virtualport) {
        sv_buf_iprintf(b, net->virtualport == SV_DOMAIN_VPORT_OPENVSWITCH ? "<virtualport type='openvswitch'"
                                                                          : "<virtualport");
        if (net->has_interfaceid || net->profileid) {
            sv_buf_add(b, ">\n");
            b->indent += 2;
            sv_buf_iprintf(b, "<parameters");
            if (net->has_interfaceid) {
                char uuid[SV_UUID_STRLEN];

                sv_uuid_format(net->interfaceid, uuid);
                sv_buf_printf(b, " interfaceid='%s'", uuid);
            }
            sv_buf_attr(b, "profileid", net->profileid);
            sv_buf_add(b, "/>\n");
            b->indent -= 2;
            sv_buf_iprintf(b, "</virtualport>\n");
        } else {
            sv_buf_add(b, "/>\n");
        }
    }
    if (net->inbound || net->outbound) {
        sv_buf_iprintf(b, "<bandwidth>\n");
        b->indent += 2;
        format_rate(b, "inbound", net->inbound);
        format_rate(b, "outbound", net->outbound);
        b->indent -= 2;
        sv_buf_iprintf(b, "</bandwidth>\n");
    }
    if (net->ifname && !((flags & SV_DOMAIN_XML_INACTIVE) && ifname_is_generated(net->ifname))) {
        sv_buf_iprintf(b, "<target");
        sv_buf_attr(b, "dev", net->ifname);
        sv_buf_add(b, "/>\n");
    }
    sv_buf_iprintf(b, "<model type='%s'/>\n", sv_domain_net_model_names[net->model]);
    if (net->filter) {
        sv_buf_iprintf(b, "<filterref");
        sv_buf_attr(b, "filter", net->filter);
        if (!net->nfilter_params) {
            sv_buf_add(b, "/>\n");
        } else {
            sv_buf_add(b, ">\n");
            b->indent += 2;
            for (size_t i = 0; i < net->nfilter_params; i++) {
                sv_buf_iprintf(b, "<parameter");
                sv_buf_attr(b, "name", net->filter_params[i].name);
                sv_buf_attr(b, "value", net->filter_params[i].value);
                sv_buf_add(b, "/>\n");
            }
            b->indent -= 2;
            sv_buf_iprintf(b, "</filterref>\n");
        }
    }
    sv_domain_device_end(b, "interface", true, &net->info, flags);
}
