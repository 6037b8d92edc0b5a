/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nwfilter_attrs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "network_util.h"
#include "sv_error.h"
#include "xml_util.h"

typedef struct attr_desc {
    const char *name;
    sv_nwfilter_attr_id id;
    sv_nwfilter_value_type type;
} attr_desc;

/* Attribute lists follow libvirt's tables, so formatting order matches
 * nwfilter-dumpxml. */
#define A(n, i, t) {n, SV_NWF_##i, SV_NWF_T_##t}
#define MAC_COMMON \
    A("srcmacaddr", SRCMACADDR, MAC), A("srcmacmask", SRCMACMASK, MACMASK), \
    A("dstmacaddr", DSTMACADDR, MAC), A("dstmacmask", DSTMACMASK, MACMASK)
#define PORTS \
    A("srcportstart", SRCPORTSTART, UINT16), A("srcportend", SRCPORTEND, UINT16), \
    A("dstportstart", DSTPORTSTART, UINT16), A("dstportend", DSTPORTEND, UINT16)
#define L3_COMMON(ADDR, MASK) \
    A("srcmacaddr", SRCMACADDR, MAC), \
    A("srcipaddr", SRCIPADDR, ADDR), A("srcipmask", SRCIPMASK, MASK), \
    A("dstipaddr", DSTIPADDR, ADDR), A("dstipmask", DSTIPMASK, MASK), \
    A("srcipfrom", SRCIPFROM, ADDR), A("srcipto", SRCIPTO, ADDR), \
    A("dstipfrom", DSTIPFROM, ADDR), A("dstipto", DSTIPTO, ADDR), \
    A("dscp", DSCP, DSCP), A("connlimit-above", CONNLIMIT_ABOVE, UINT16), \
    A("state", STATE, STATE)
#define COMMENT A("comment", COMMENT, COMMENT)
#define END {NULL, 0, 0}

static const attr_desc mac_attrs[] = {MAC_COMMON, A("protocolid", PROTOCOLID, ETHERTYPE), COMMENT, END};
static const attr_desc vlan_attrs[] = {
    MAC_COMMON, A("vlanid", VLANID, VLANID), A("encap-protocol", ENCAP_PROTOCOL, ETHERTYPE), COMMENT, END,
};
static const attr_desc stp_attrs[] = {
    A("srcmacaddr", SRCMACADDR, MAC), A("srcmacmask", SRCMACMASK, MACMASK),
    A("type", STP_TYPE, UINT8), A("flags", STP_FLAGS, UINT8),
    A("root-priority", ROOT_PRIORITY, UINT16), A("root-priority-hi", ROOT_PRIORITY_HI, UINT16),
    A("root-address", ROOT_ADDRESS, MAC), A("root-address-mask", ROOT_ADDRESS_MASK, MACMASK),
    A("root-cost", ROOT_COST, UINT32), A("root-cost-hi", ROOT_COST_HI, UINT32),
    A("sender-priority", SENDER_PRIORITY, UINT16), A("sender-priority-hi", SENDER_PRIORITY_HI, UINT16),
    A("sender-address", SENDER_ADDRESS, MAC), A("sender-address-mask", SENDER_ADDRESS_MASK, MACMASK),
    A("port", PORT, UINT16), A("port-hi", PORT_HI, UINT16),
    A("age", AGE, UINT16), A("age-hi", AGE_HI, UINT16),
    A("max-age", MAX_AGE, UINT16), A("max-age-hi", MAX_AGE_HI, UINT16),
    A("hello-time", HELLO_TIME, UINT16), A("hello-time-hi", HELLO_TIME_HI, UINT16),
    A("forward-delay", FORWARD_DELAY, UINT16), A("forward-delay-hi", FORWARD_DELAY_HI, UINT16),
    COMMENT, END,
};
static const attr_desc arp_attrs[] = {
    MAC_COMMON,
    A("hwtype", HWTYPE, UINT16), A("protocoltype", PROTOCOLTYPE, UINT16), A("opcode", OPCODE, ARPOP),
    A("arpsrcmacaddr", ARPSRCMACADDR, MAC), A("arpdstmacaddr", ARPDSTMACADDR, MAC),
    A("arpsrcipaddr", ARPSRCIPADDR, IPV4), A("arpsrcipmask", ARPSRCIPMASK, IPV4MASK),
    A("arpdstipaddr", ARPDSTIPADDR, IPV4), A("arpdstipmask", ARPDSTIPMASK, IPV4MASK),
    A("gratuitous", GRATUITOUS, BOOL), COMMENT, END,
};
static const attr_desc ip_attrs[] = {
    MAC_COMMON,
    A("srcipaddr", SRCIPADDR, IPV4), A("srcipmask", SRCIPMASK, IPV4MASK),
    A("dstipaddr", DSTIPADDR, IPV4), A("dstipmask", DSTIPMASK, IPV4MASK),
    A("protocol", PROTOCOL, IPPROTO), PORTS, A("dscp", DSCP, DSCP), COMMENT, END,
};
static const attr_desc ipv6_attrs[] = {
    MAC_COMMON,
    A("srcipaddr", SRCIPADDR, IPV6), A("srcipmask", SRCIPMASK, IPV6MASK),
    A("dstipaddr", DSTIPADDR, IPV6), A("dstipmask", DSTIPMASK, IPV6MASK),
    A("protocol", PROTOCOL, IPPROTO), PORTS,
    A("type", ICMP_TYPE, UINT8), A("typeend", ICMP_TYPEEND, UINT8),
    A("code", ICMP_CODE, UINT8), A("codeend", ICMP_CODEEND, UINT8), COMMENT, END,
};
static const attr_desc tcp_attrs[] = {
    L3_COMMON(IPV4, IPV4MASK), PORTS, A("option", TCP_OPTION, UINT8), A("flags", TCP_FLAGS, TCPFLAGS), COMMENT, END,
};
static const attr_desc udp_attrs[] = {L3_COMMON(IPV4, IPV4MASK), PORTS, COMMENT, END};
static const attr_desc l3_attrs[] = {L3_COMMON(IPV4, IPV4MASK), COMMENT, END};
static const attr_desc icmp_attrs[] = {
    L3_COMMON(IPV4, IPV4MASK), A("type", ICMP_TYPE, UINT8), A("code", ICMP_CODE, UINT8), COMMENT, END,
};
static const attr_desc tcp6_attrs[] = {
    L3_COMMON(IPV6, IPV6MASK), PORTS, A("option", TCP_OPTION, UINT8), COMMENT, END,
};
static const attr_desc udp6_attrs[] = {L3_COMMON(IPV6, IPV6MASK), PORTS, COMMENT, END};
static const attr_desc l3v6_attrs[] = {L3_COMMON(IPV6, IPV6MASK), COMMENT, END};
static const attr_desc icmp6_attrs[] = {
    L3_COMMON(IPV6, IPV6MASK), A("type", ICMP_TYPE, UINT8), A("code", ICMP_CODE, UINT8), COMMENT, END,
};

static const struct {
    const char *name;
    const attr_desc *attrs;
} protocols[SV_NWFILTER_PROTO_LAST] = {
    [SV_NWFILTER_PROTO_MAC] = {"mac", mac_attrs},
    [SV_NWFILTER_PROTO_VLAN] = {"vlan", vlan_attrs},
    [SV_NWFILTER_PROTO_STP] = {"stp", stp_attrs},
    [SV_NWFILTER_PROTO_ARP] = {"arp", arp_attrs},
    [SV_NWFILTER_PROTO_RARP] = {"rarp", arp_attrs},
    [SV_NWFILTER_PROTO_IP] = {"ip", ip_attrs},
    [SV_NWFILTER_PROTO_IPV6] = {"ipv6", ipv6_attrs},
    [SV_NWFILTER_PROTO_TCP] = {"tcp", tcp_attrs},
    [SV_NWFILTER_PROTO_UDP] = {"udp", udp_attrs},
    [SV_NWFILTER_PROTO_UDPLITE] = {"udplite", l3_attrs},
    [SV_NWFILTER_PROTO_ESP] = {"esp", l3_attrs},
    [SV_NWFILTER_PROTO_AH] = {"ah", l3_attrs},
    [SV_NWFILTER_PROTO_SCTP] = {"sctp", udp_attrs},
    [SV_NWFILTER_PROTO_ICMP] = {"icmp", icmp_attrs},
    [SV_NWFILTER_PROTO_IGMP] = {"igmp", l3_attrs},
    [SV_NWFILTER_PROTO_ALL] = {"all", l3_attrs},
    [SV_NWFILTER_PROTO_TCP_IPV6] = {"tcp-ipv6", tcp6_attrs},
    [SV_NWFILTER_PROTO_UDP_IPV6] = {"udp-ipv6", udp6_attrs},
    [SV_NWFILTER_PROTO_UDPLITE_IPV6] = {"udplite-ipv6", l3v6_attrs},
    [SV_NWFILTER_PROTO_ESP_IPV6] = {"esp-ipv6", l3v6_attrs},
    [SV_NWFILTER_PROTO_AH_IPV6] = {"ah-ipv6", l3v6_attrs},
    [SV_NWFILTER_PROTO_SCTP_IPV6] = {"sctp-ipv6", udp6_attrs},
    [SV_NWFILTER_PROTO_ICMPV6] = {"icmpv6", icmp6_attrs},
    [SV_NWFILTER_PROTO_ALL_IPV6] = {"all-ipv6", l3v6_attrs},
};

/* XML names by id, for messages and the public lookup. */
static const char *const attr_names[SV_NWF_ATTR_LAST] = {
    [SV_NWF_SRCMACADDR] = "srcmacaddr", [SV_NWF_SRCMACMASK] = "srcmacmask",
    [SV_NWF_DSTMACADDR] = "dstmacaddr", [SV_NWF_DSTMACMASK] = "dstmacmask",
    [SV_NWF_PROTOCOLID] = "protocolid", [SV_NWF_VLANID] = "vlanid",
    [SV_NWF_ENCAP_PROTOCOL] = "encap-protocol", [SV_NWF_STP_TYPE] = "type", [SV_NWF_STP_FLAGS] = "flags",
    [SV_NWF_ROOT_PRIORITY] = "root-priority", [SV_NWF_ROOT_PRIORITY_HI] = "root-priority-hi",
    [SV_NWF_ROOT_ADDRESS] = "root-address", [SV_NWF_ROOT_ADDRESS_MASK] = "root-address-mask",
    [SV_NWF_ROOT_COST] = "root-cost", [SV_NWF_ROOT_COST_HI] = "root-cost-hi",
    [SV_NWF_SENDER_PRIORITY] = "sender-priority", [SV_NWF_SENDER_PRIORITY_HI] = "sender-priority-hi",
    [SV_NWF_SENDER_ADDRESS] = "sender-address", [SV_NWF_SENDER_ADDRESS_MASK] = "sender-address-mask",
    [SV_NWF_PORT] = "port", [SV_NWF_PORT_HI] = "port-hi", [SV_NWF_AGE] = "age", [SV_NWF_AGE_HI] = "age-hi",
    [SV_NWF_MAX_AGE] = "max-age", [SV_NWF_MAX_AGE_HI] = "max-age-hi",
    [SV_NWF_HELLO_TIME] = "hello-time", [SV_NWF_HELLO_TIME_HI] = "hello-time-hi",
    [SV_NWF_FORWARD_DELAY] = "forward-delay", [SV_NWF_FORWARD_DELAY_HI] = "forward-delay-hi",
    [SV_NWF_HWTYPE] = "hwtype", [SV_NWF_PROTOCOLTYPE] = "protocoltype", [SV_NWF_OPCODE] = "opcode",
    [SV_NWF_ARPSRCMACADDR] = "arpsrcmacaddr", [SV_NWF_ARPDSTMACADDR] = "arpdstmacaddr",
    [SV_NWF_ARPSRCIPADDR] = "arpsrcipaddr", [SV_NWF_ARPSRCIPMASK] = "arpsrcipmask",
    [SV_NWF_ARPDSTIPADDR] = "arpdstipaddr", [SV_NWF_ARPDSTIPMASK] = "arpdstipmask",
    [SV_NWF_GRATUITOUS] = "gratuitous",
    [SV_NWF_SRCIPADDR] = "srcipaddr", [SV_NWF_SRCIPMASK] = "srcipmask",
    [SV_NWF_DSTIPADDR] = "dstipaddr", [SV_NWF_DSTIPMASK] = "dstipmask",
    [SV_NWF_SRCIPFROM] = "srcipfrom", [SV_NWF_SRCIPTO] = "srcipto",
    [SV_NWF_DSTIPFROM] = "dstipfrom", [SV_NWF_DSTIPTO] = "dstipto", [SV_NWF_PROTOCOL] = "protocol",
    [SV_NWF_SRCPORTSTART] = "srcportstart", [SV_NWF_SRCPORTEND] = "srcportend",
    [SV_NWF_DSTPORTSTART] = "dstportstart", [SV_NWF_DSTPORTEND] = "dstportend",
    [SV_NWF_DSCP] = "dscp", [SV_NWF_CONNLIMIT_ABOVE] = "connlimit-above", [SV_NWF_STATE] = "state",
    [SV_NWF_ICMP_TYPE] = "type", [SV_NWF_ICMP_TYPEEND] = "typeend",
    [SV_NWF_ICMP_CODE] = "code", [SV_NWF_ICMP_CODEEND] = "codeend",
    [SV_NWF_TCP_OPTION] = "option", [SV_NWF_TCP_FLAGS] = "flags", [SV_NWF_COMMENT] = "comment",
};

typedef struct name_map {
    const char *name;
    uint32_t value;
} name_map;

static const name_map ethertypes[] = {
    {"arp", 0x0806}, {"rarp", 0x8035}, {"ipv4", 0x0800}, {"ipv6", 0x86dd}, {"vlan", 0x8100}, {NULL, 0},
};
static const name_map ipprotos[] = {
    {"tcp", 6}, {"udp", 17}, {"udplite", 136}, {"esp", 50}, {"ah", 51},
    {"icmp", 1}, {"igmp", 2}, {"sctp", 132}, {"icmpv6", 58}, {NULL, 0},
};
static const name_map arpops[] = {
    {"Request", 1}, {"Reply", 2}, {"Request_Reverse", 3}, {"Reply_Reverse", 4},
    {"DRARP_Request", 5}, {"DRARP_Reply", 6}, {"DRARP_Error", 7}, {"InARP_Request", 8},
    {"ARP_NAK", 10}, {NULL, 0},
};
static const name_map states[] = {
    {"NEW", SV_NWF_STATE_NEW}, {"ESTABLISHED", SV_NWF_STATE_ESTABLISHED},
    {"RELATED", SV_NWF_STATE_RELATED}, {"INVALID", SV_NWF_STATE_INVALID}, {NULL, 0},
};
static const name_map tcpflags[] = {
    {"FIN", SV_NWF_TCP_FIN}, {"SYN", SV_NWF_TCP_SYN}, {"RST", SV_NWF_TCP_RST},
    {"PSH", SV_NWF_TCP_PSH}, {"ACK", SV_NWF_TCP_ACK}, {"URG", SV_NWF_TCP_URG}, {NULL, 0},
};

const char *sv_nwfilter_protocol_name(sv_nwfilter_protocol p)
{
    if (p <= SV_NWFILTER_PROTO_NONE || p >= SV_NWFILTER_PROTO_LAST)
        return NULL;
    return protocols[p].name;
}

sv_nwfilter_protocol sv_nwfilter_protocol_from_name(const char *name)
{
    for (int p = SV_NWFILTER_PROTO_NONE + 1; p < SV_NWFILTER_PROTO_LAST; p++)
        if (strcmp(protocols[p].name, name) == 0)
            return (sv_nwfilter_protocol)p;
    return SV_NWFILTER_PROTO_NONE;
}

const char *sv_nwfilter_attr_name(sv_nwfilter_attr_id id)
{
    if (id < 0 || id >= SV_NWF_ATTR_LAST)
        return NULL;
    return attr_names[id];
}

bool sv_nwfilter_protocol_is_ipv4(sv_nwfilter_protocol p)
{
    return p >= SV_NWFILTER_PROTO_TCP && p <= SV_NWFILTER_PROTO_ALL;
}

bool sv_nwfilter_protocol_is_ipv6(sv_nwfilter_protocol p)
{
    return p >= SV_NWFILTER_PROTO_TCP_IPV6 && p <= SV_NWFILTER_PROTO_ALL_IPV6;
}

const sv_nwfilter_attr *sv_nwfilter_rule_attr(const sv_nwfilter_rule *rule, sv_nwfilter_attr_id id)
{
    for (size_t i = 0; i < rule->n_attrs; i++)
        if (rule->attrs[i].id == id)
            return &rule->attrs[i];
    return NULL;
}

void sv_nwfilter_attr_clear(sv_nwfilter_attr *a)
{
    free(a->var.name);
    free(a->str);
    memset(a, 0, sizeof(*a));
}

static bool chars_in(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

#define VARNAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

bool sv_nwfilter_varname_valid(const char *name)
{
    size_t len = strlen(name);

    return len > 0 && len <= SV_NWFILTER_VARNAME_MAX && chars_in(name, VARNAME_CHARS);
}

bool sv_nwfilter_varvalue_valid(const char *value)
{
    return *value && strlen(value) <= 1024 && chars_in(value, VARNAME_CHARS ".:");
}

/* Decimal digits only (no sign, no spaces), at most max. */
static int parse_decimal(const char *s, uint64_t max, uint32_t *ret)
{
    uint64_t v = 0;

    if (!*s || strlen(s) > 10 || !chars_in(s, "0123456789"))
        return -EINVAL;
    for (; *s; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    if (v > max)
        return -ERANGE;
    *ret = (uint32_t)v;
    return 0;
}

/* libvirt tries decimal first, then hex with or without "0x". */
static int parse_number(const char *s, bool allow_hex, uint64_t max, uint32_t *ret, bool *ret_hex)
{
    uint64_t v = 0;
    int r = parse_decimal(s, max, ret);

    *ret_hex = false;
    if (r != -EINVAL || !allow_hex)
        return r;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (!*s || strlen(s) > 8 || !chars_in(s, "0123456789abcdefABCDEF"))
        return -EINVAL;
    v = strtoull(s, NULL, 16);
    if (v > max)
        return -ERANGE;
    *ret = (uint32_t)v;
    *ret_hex = true;
    return 0;
}

static const name_map *map_by_name(const name_map *m, const char *name)
{
    for (; m->name; m++)
        if (strcasecmp(m->name, name) == 0)
            return m;
    return NULL;
}

static const char *map_by_value(const name_map *m, uint32_t value)
{
    for (; m->name; m++)
        if (m->value == value)
            return m->name;
    return NULL;
}

/* Comma-separated names from map (plus "NONE" = 0, and "ALL" = all_bits
 * when nonzero) into a bitmask. */
static int parse_flag_list(const char *s, const name_map *map, uint32_t all_bits, uint32_t *ret)
{
    _cleanup_free_ char *copy = sv_strdup(s);
    char *save = NULL;
    uint32_t bits = 0;
    int items = 0;
    bool none = false;

    if (!*s || s[strlen(s) - 1] == ',')
        return -EINVAL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const name_map *m = map_by_name(map, tok);

        items++;
        if (m)
            bits |= m->value;
        else if (strcasecmp(tok, "NONE") == 0)
            none = true;
        else if (all_bits && strcasecmp(tok, "ALL") == 0)
            bits |= all_bits;
        else
            return -EINVAL;
    }
    if (items == 0 || (none && items > 1))
        return -EINVAL;
    *ret = bits;
    return 0;
}

static void format_flag_list(sv_buf *b, const name_map *map, uint32_t all_bits, uint32_t bits)
{
    bool first = true;

    if (bits == 0) {
        sv_buf_add(b, "NONE");
        return;
    }
    if (all_bits && bits == all_bits) {
        sv_buf_add(b, "ALL");
        return;
    }
    for (; map->name; map++) {
        if (bits & map->value) {
            sv_buf_printf(b, "%s%s", first ? "" : ",", map->name);
            first = false;
        }
    }
}

static int parse_var(const char *s, sv_nwfilter_var_ref *ret)
{
    size_t n = strspn(s, VARNAME_CHARS);
    uint32_t v;

    ret->index = -1;
    ret->iterator = -1;
    if (n == 0 || n > SV_NWFILTER_VARNAME_MAX)
        return -EINVAL;
    if (s[n] == '[') {
        const char *end = strchr(s + n, ']');
        bool iter = s[n + 1] == '@';
        _cleanup_free_ char *num = NULL;

        if (!end || end[1] != '\0')
            return -EINVAL;
        num = sv_strndup(s + n + 1 + iter, (size_t)(end - (s + n + 1 + iter)));
        if (parse_decimal(num, iter ? SV_NWFILTER_ITERATOR_MAX : 65535, &v) < 0)
            return -EINVAL;
        if (iter)
            ret->iterator = (int)v;
        else
            ret->index = (int)v;
    } else if (s[n] != '\0') {
        return -EINVAL;
    }
    ret->name = sv_strndup(s, n);
    return 0;
}

static int parse_mask(const char *v, int family, sv_nwfilter_attr *a)
{
    unsigned bits = family == AF_INET ? 32 : 128;
    sv_ip_addr mask;
    int prefix;

    /* Masks are kept as prefix lengths and written back in CIDR form, as libvirt does. */
    if (parse_decimal(v, bits, &a->num) == 0)
        return 0;
    if (sv_ip_addr_parse(v, family, &mask) < 0 || (prefix = sv_ip_netmask_prefix(&mask)) < 0)
        return -EINVAL;
    a->num = (uint32_t)prefix;
    return 0;
}

static int parse_named_number(const char *v, const name_map *map, uint64_t min, uint64_t max, sv_nwfilter_attr *a)
{
    const name_map *m = map_by_name(map, v);

    if (m) {
        a->num = m->value;
        return 0;
    }
    if (parse_number(v, true, max, &a->num, &a->hex) < 0 || a->num < min)
        return -EINVAL;
    return 0;
}

/* Fill a from the literal text v according to a->type; -EINVAL on error. */
static int parse_literal(const char *v, sv_nwfilter_attr *a)
{
    switch (a->type) {
    case SV_NWF_T_MAC:
    case SV_NWF_T_MACMASK:
        return sv_mac_parse(v, a->mac);
    case SV_NWF_T_IPV4:
        return sv_ip_addr_parse(v, AF_INET, &a->ip);
    case SV_NWF_T_IPV6:
        return sv_ip_addr_parse(v, AF_INET6, &a->ip);
    case SV_NWF_T_IPV4MASK:
        return parse_mask(v, AF_INET, a);
    case SV_NWF_T_IPV6MASK:
        return parse_mask(v, AF_INET6, a);
    case SV_NWF_T_UINT8:
        return parse_number(v, true, UINT8_MAX, &a->num, &a->hex);
    case SV_NWF_T_UINT16:
        /* libvirt reads connlimit-above in decimal only. */
        return parse_number(v, a->id != SV_NWF_CONNLIMIT_ABOVE, UINT16_MAX, &a->num, &a->hex);
    case SV_NWF_T_UINT32:
        return parse_number(v, true, UINT32_MAX, &a->num, &a->hex);
    case SV_NWF_T_DSCP:
        return parse_number(v, true, 63, &a->num, &a->hex);
    case SV_NWF_T_VLANID:
        return parse_number(v, true, 4095, &a->num, &a->hex);
    case SV_NWF_T_ETHERTYPE:
        /* Values below 0x600 are frame lengths, not ethertypes. */
        return parse_named_number(v, ethertypes, 0x600, UINT16_MAX, a);
    case SV_NWF_T_IPPROTO:
        return parse_named_number(v, ipprotos, 0, UINT8_MAX, a);
    case SV_NWF_T_ARPOP:
        return parse_named_number(v, arpops, 0, UINT16_MAX, a);
    case SV_NWF_T_STATE:
        return parse_flag_list(v, states, 0, &a->num);
    case SV_NWF_T_TCPFLAGS: {
        const char *slash = strchr(v, '/');
        _cleanup_free_ char *mask = NULL;
        uint32_t m, f;

        if (!slash)
            return -EINVAL;
        mask = sv_strndup(v, (size_t)(slash - v));
        if (parse_flag_list(mask, tcpflags, SV_NWF_TCP_ALL, &m) < 0 ||
            parse_flag_list(slash + 1, tcpflags, SV_NWF_TCP_ALL, &f) < 0 || (f & ~m))
            return -EINVAL;
        a->num = m << 8 | f;
        return 0;
    }
    case SV_NWF_T_BOOL:
        if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
            a->num = 1;
        else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
            a->num = 0;
        else
            return -EINVAL;
        return 0;
    case SV_NWF_T_COMMENT:
        if (strlen(v) > SV_NWFILTER_COMMENT_MAX)
            return -EINVAL;
        for (const char *p = v; *p; p++)
            if (iscntrl((unsigned char)*p))
                return -EINVAL;
        a->str = sv_strdup(v);
        return 0;
    }
    return -EINVAL;
}

static const char *type_hint(sv_nwfilter_value_type t)
{
    switch (t) {
    case SV_NWF_T_MAC:
    case SV_NWF_T_MACMASK: return "a MAC address";
    case SV_NWF_T_IPV4: return "an IPv4 address";
    case SV_NWF_T_IPV6: return "an IPv6 address";
    case SV_NWF_T_IPV4MASK: return "a prefix length 0..32 or a dotted netmask";
    case SV_NWF_T_IPV6MASK: return "a prefix length 0..128 or an IPv6 netmask";
    case SV_NWF_T_UINT8: return "a number 0..255";
    case SV_NWF_T_UINT16: return "a number 0..65535";
    case SV_NWF_T_UINT32: return "a number 0..4294967295";
    case SV_NWF_T_DSCP: return "a number 0..63";
    case SV_NWF_T_VLANID: return "a number 0..4095";
    case SV_NWF_T_ETHERTYPE: return "arp, rarp, ipv4, ipv6, vlan or a number 0x600..0xffff";
    case SV_NWF_T_IPPROTO: return "a protocol name (tcp, udp, ...) or a number 0..255";
    case SV_NWF_T_ARPOP: return "an ARP opcode name (Request, Reply, ...) or a number 0..65535";
    case SV_NWF_T_STATE: return "a comma list of NEW, ESTABLISHED, RELATED, INVALID, or NONE";
    case SV_NWF_T_TCPFLAGS: return "MASK/FLAGS, each a comma list of SYN, ACK, URG, PSH, FIN, RST, ALL or NONE";
    case SV_NWF_T_BOOL: return "true or false";
    case SV_NWF_T_COMMENT: return "text of at most 256 characters without control characters";
    }
    return "?";
}

static const attr_desc *find_desc(const attr_desc *attrs, const char *name)
{
    for (; attrs->name; attrs++)
        if (strcmp(attrs->name, name) == 0)
            return attrs;
    return NULL;
}

/* Constraints between attributes: `dep` needs `base`; for numeric pairs
 * with literal values, base <= dep (ranges must not be reversed). */
static const struct {
    sv_nwfilter_attr_id dep, base;
    bool ordered;
} needs[] = {
    {SV_NWF_SRCMACMASK, SV_NWF_SRCMACADDR, false},
    {SV_NWF_DSTMACMASK, SV_NWF_DSTMACADDR, false},
    {SV_NWF_SRCIPMASK, SV_NWF_SRCIPADDR, false},
    {SV_NWF_DSTIPMASK, SV_NWF_DSTIPADDR, false},
    {SV_NWF_ARPSRCIPMASK, SV_NWF_ARPSRCIPADDR, false},
    {SV_NWF_ARPDSTIPMASK, SV_NWF_ARPDSTIPADDR, false},
    {SV_NWF_ROOT_ADDRESS_MASK, SV_NWF_ROOT_ADDRESS, false},
    {SV_NWF_SENDER_ADDRESS_MASK, SV_NWF_SENDER_ADDRESS, false},
    {SV_NWF_SRCIPTO, SV_NWF_SRCIPFROM, false},
    {SV_NWF_DSTIPTO, SV_NWF_DSTIPFROM, false},
    {SV_NWF_SRCPORTEND, SV_NWF_SRCPORTSTART, true},
    {SV_NWF_DSTPORTEND, SV_NWF_DSTPORTSTART, true},
    {SV_NWF_ICMP_TYPEEND, SV_NWF_ICMP_TYPE, true},
    {SV_NWF_ICMP_CODEEND, SV_NWF_ICMP_CODE, true},
    {SV_NWF_ROOT_PRIORITY_HI, SV_NWF_ROOT_PRIORITY, true},
    {SV_NWF_ROOT_COST_HI, SV_NWF_ROOT_COST, true},
    {SV_NWF_SENDER_PRIORITY_HI, SV_NWF_SENDER_PRIORITY, true},
    {SV_NWF_PORT_HI, SV_NWF_PORT, true},
    {SV_NWF_AGE_HI, SV_NWF_AGE, true},
    {SV_NWF_MAX_AGE_HI, SV_NWF_MAX_AGE, true},
    {SV_NWF_HELLO_TIME_HI, SV_NWF_HELLO_TIME, true},
    {SV_NWF_FORWARD_DELAY_HI, SV_NWF_FORWARD_DELAY, true},
};

static int check_rule(xmlNode *n, const sv_nwfilter_rule *rule)
{
    const sv_nwfilter_attr *proto;

    for (size_t i = 0; i < SV_ARRAY_SIZE(needs); i++) {
        const sv_nwfilter_attr *dep = sv_nwfilter_rule_attr(rule, needs[i].dep);
        const sv_nwfilter_attr *base = sv_nwfilter_rule_attr(rule, needs[i].base);

        if (!dep)
            continue;
        if (!base)
            return sv_xml_error(n, "attribute '%s' requires attribute '%s'", attr_names[needs[i].dep],
                                attr_names[needs[i].base]);
        if (needs[i].ordered && !dep->is_var && !base->is_var && dep->num < base->num)
            return sv_xml_error(n, "range is reversed: '%s' (%u) is below '%s' (%u)", attr_names[needs[i].dep],
                                dep->num, attr_names[needs[i].base], base->num);
    }
    if (rule->protocol != SV_NWFILTER_PROTO_IP && rule->protocol != SV_NWFILTER_PROTO_IPV6)
        return 0;
    /* Ports in <ip>/<ipv6> mean nothing unless the L4 protocol has ports. */
    if (!sv_nwfilter_rule_attr(rule, SV_NWF_SRCPORTSTART) && !sv_nwfilter_rule_attr(rule, SV_NWF_DSTPORTSTART))
        return 0;
    proto = sv_nwfilter_rule_attr(rule, SV_NWF_PROTOCOL);
    if (proto && (proto->is_var || proto->num == 6 || proto->num == 17 || proto->num == 33 || proto->num == 132))
        return 0;
    return sv_xml_error(n, "port attributes require attribute 'protocol' to be tcp, udp, dccp (33) or sctp");
}

int sv_nwfilter_protocol_parse(xmlNode *n, sv_nwfilter_protocol proto, sv_nwfilter_rule *rule)
{
    const attr_desc *attrs = protocols[proto].attrs;
    int match;

    /* Unknown attributes first, so the message names the culprit. */
    for (xmlAttr *p = n->properties; p; p = p->next) {
        const char *name = (const char *)p->name;

        if (strcmp(name, "match") != 0 && !find_desc(attrs, name))
            return sv_xml_unsupported(n, "unsupported attribute '%s' in protocol element <%s>", name,
                                      protocols[proto].name);
    }
    if (sv_xml_check_children(n, NULL, NULL) < 0 || sv_xml_prop_yesno(n, "match", &match) < 0)
        return -1;
    rule->protocol = proto;
    for (const attr_desc *d = attrs; d->name; d++) {
        _cleanup_free_ char *v = sv_xml_prop(n, d->name);
        sv_nwfilter_attr *a;

        if (!v)
            continue;
        a = SV_NETCONF_APPEND(rule->attrs, rule->n_attrs);
        memset(a, 0, sizeof(*a));
        a->id = d->id;
        a->type = d->type;
        if (v[0] == '$' && d->type != SV_NWF_T_COMMENT) {
            if (parse_var(v + 1, &a->var) < 0)
                return sv_xml_error(n, "invalid variable reference '%s' in attribute '%s' "
                                       "(expected $NAME, $NAME[N] or $NAME[@N])", v, d->name);
            a->is_var = true;
        } else if (parse_literal(v, a) < 0) {
            return sv_xml_error(n, "invalid value '%s' for attribute '%s': expected %s", v, d->name,
                                type_hint(d->type));
        }
    }
    /* Negating no condition would be lost on output (libvirt drops it too). */
    rule->negate = match == SV_TRISTATE_NO && rule->n_attrs > 0;
    return check_rule(n, rule);
}

static void format_value(sv_buf *b, const sv_nwfilter_attr *a)
{
    char s[SV_IP_ADDR_STRLEN > SV_MAC_STRLEN ? SV_IP_ADDR_STRLEN : SV_MAC_STRLEN];
    const char *name = NULL;

    if (a->is_var) {
        sv_buf_printf(b, "$%s", a->var.name);
        if (a->var.index >= 0)
            sv_buf_printf(b, "[%d]", a->var.index);
        else if (a->var.iterator >= 0)
            sv_buf_printf(b, "[@%d]", a->var.iterator);
        return;
    }
    switch (a->type) {
    case SV_NWF_T_MAC:
    case SV_NWF_T_MACMASK:
        sv_mac_format(a->mac, s);
        sv_buf_add(b, s);
        return;
    case SV_NWF_T_IPV4:
    case SV_NWF_T_IPV6:
        sv_ip_addr_format(&a->ip, s);
        sv_buf_add(b, s);
        return;
    case SV_NWF_T_STATE:
        format_flag_list(b, states, 0, a->num);
        return;
    case SV_NWF_T_TCPFLAGS:
        format_flag_list(b, tcpflags, SV_NWF_TCP_ALL, a->num >> 8);
        sv_buf_add(b, "/");
        format_flag_list(b, tcpflags, SV_NWF_TCP_ALL, a->num & 0xff);
        return;
    case SV_NWF_T_BOOL:
        sv_buf_add(b, a->num ? "true" : "false");
        return;
    case SV_NWF_T_COMMENT:
        sv_buf_escape_xml(b, a->str);
        return;
    case SV_NWF_T_ETHERTYPE:
        name = map_by_value(ethertypes, a->num);
        break;
    case SV_NWF_T_IPPROTO:
        name = map_by_value(ipprotos, a->num);
        break;
    case SV_NWF_T_ARPOP:
        name = map_by_value(arpops, a->num);
        break;
    default:
        break;
    }
    if (name)
        sv_buf_add(b, name);
    else
        sv_buf_printf(b, a->hex ? "0x%x" : "%u", a->num);
}

void sv_nwfilter_protocol_format(sv_buf *b, const sv_nwfilter_rule *rule)
{
    sv_buf_iprintf(b, "<%s", protocols[rule->protocol].name);
    if (rule->negate)
        sv_buf_add(b, " match='no'");
    for (size_t i = 0; i < rule->n_attrs; i++) {
        sv_buf_printf(b, " %s='", attr_names[rule->attrs[i].id]);
        format_value(b, &rule->attrs[i]);
        sv_buf_add(b, "'");
    }
    sv_buf_add(b, "/>\n");
}
