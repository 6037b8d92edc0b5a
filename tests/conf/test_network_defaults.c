/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * network and nwfilter models: the defaults the golden files cannot show
 * because they are random (UUID, bridge MAC), the bridge-name template
 * rule, copies, live/inactive formatting, the address helpers, and a
 * deterministic mutation run that must never crash the parsers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "network_conf.h"
#include "nwfilter_conf.h"
#include "sv_error.h"

static sv_network_def *net_parse(const char *xml)
{
    sv_network_def *def = sv_network_def_parse(xml, strlen(xml), 0);

    if (!def)
        fail_msg("parse failed: %s", sv_error_message());
    return def;
}

static sv_nwfilter_def *filter_parse(const char *xml)
{
    sv_nwfilter_def *def = sv_nwfilter_def_parse(xml, strlen(xml), 0);

    if (!def)
        fail_msg("parse failed: %s", sv_error_message());
    return def;
}

static bool uuid_is_zero(const unsigned char *u)
{
    for (int i = 0; i < SV_UUID_LEN; i++)
        if (u[i])
            return false;
    return true;
}

static void test_network_uuid_generated(void **state)
{
    const char *xml = "<network><name>n</name></network>";
    sv_network_def *a = net_parse(xml), *b = net_parse(xml), *c;
    char uuid[SV_UUID_STRLEN], *out;

    (void)state;
    assert_false(uuid_is_zero(a->uuid));
    assert_int_equal(a->uuid[6] >> 4, 4);           /* version 4 */
    assert_int_equal(a->uuid[8] & 0xc0, 0x80);      /* RFC 4122 variant */
    assert_memory_not_equal(a->uuid, b->uuid, SV_UUID_LEN);
    /* The generated UUID is formatted and survives a round trip. */
    out = sv_network_def_format(a, 0);
    sv_uuid_format(a->uuid, uuid);
    assert_non_null(strstr(out, uuid));
    c = net_parse(out);
    assert_memory_equal(a->uuid, c->uuid, SV_UUID_LEN);
    free(out);
    sv_network_def_free(a);
    sv_network_def_free(b);
    sv_network_def_free(c);
}

static void test_network_mac_generated(void **state)
{
    static const char *const own[] = {
        "<network><name>iso</name></network>",
        "<network><name>nat</name><forward mode='nat'/></network>",
        "<network><name>route</name><forward mode='route'/></network>",
        "<network><name>open</name><forward mode='open'/></network>",
    };
    sv_network_def *br;

    (void)state;
    for (size_t i = 0; i < SV_ARRAY_SIZE(own); i++) {
        sv_network_def *a = net_parse(own[i]), *b = net_parse(own[i]);

        assert_true(a->has_mac);
        assert_int_equal(a->mac[0], 0x52);
        assert_int_equal(a->mac[1], 0x54);
        assert_int_equal(a->mac[2], 0x00);
        assert_memory_not_equal(a->mac, b->mac, SV_MAC_LEN);
        assert_true(a->stp);
        assert_int_equal(a->delay, 0);
        assert_null(a->bridge_name);
        sv_network_def_free(a);
        sv_network_def_free(b);
    }
    /* A host bridge is not ours: no MAC, stp/delay not written. */
    br = net_parse("<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>");
    assert_false(br->has_mac);
    sv_network_def_free(br);
}

static void test_network_bridge_template(void **state)
{
    sv_network_def *def;
    char *out;

    (void)state;
    def = net_parse("<network><name>a</name><forward mode='nat'/></network>");
    assert_true(sv_network_def_needs_bridge_name(def));
    assert_string_equal(sv_network_def_bridge_template(def), "virbr%d");
    assert_int_equal(sv_network_def_fill_bridge(def, 3), 0);
    assert_string_equal(def->bridge_name, "virbr3");
    assert_false(sv_network_def_needs_bridge_name(def));
    out = sv_network_def_format(def, 0);
    assert_non_null(strstr(out, "<bridge name='virbr3' stp='on' delay='0'/>"));
    free(out);
    sv_network_def_free(def);

    def = net_parse("<network><name>a</name><bridge name='lab%d'/></network>");
    assert_true(sv_network_def_needs_bridge_name(def));
    assert_string_equal(sv_network_def_bridge_template(def), "lab%d");
    assert_int_equal(sv_network_def_fill_bridge(def, 17), 0);
    assert_string_equal(def->bridge_name, "lab17");
    sv_network_def_free(def);

    /* 13 characters + digits: 2 digits fit in IFNAMSIZ-1, 3 do not. */
    def = net_parse("<network><name>a</name><bridge name='abcdefghijklm%d'/></network>");
    assert_int_equal(sv_network_def_fill_bridge(def, 99), 0);
    assert_string_equal(def->bridge_name, "abcdefghijklm99");
    sv_network_def_free(def);
    def = net_parse("<network><name>a</name><bridge name='abcdefghijklm%d'/></network>");
    assert_int_equal(sv_network_def_fill_bridge(def, 100), -1);
    assert_non_null(strstr(sv_error_message(), "not a valid interface name"));
    assert_string_equal(def->bridge_name, "abcdefghijklm%d");
    sv_network_def_free(def);

    def = net_parse("<network><name>a</name><bridge name='fixed0'/></network>");
    assert_false(sv_network_def_needs_bridge_name(def));
    sv_network_def_free(def);
    def = net_parse("<network><name>b</name><forward mode='bridge'/><bridge name='br0'/></network>");
    assert_false(sv_network_def_needs_bridge_name(def));
    sv_network_def_free(def);

    assert_true(sv_network_ifname_valid("virbr0", false));
    assert_false(sv_network_ifname_valid("virbr%d", false));
    assert_false(sv_network_ifname_valid("a%d%d", true));
    assert_false(sv_network_ifname_valid("a%s", true));
    assert_false(sv_network_ifname_valid("eth0:1", false));
    assert_false(sv_network_ifname_valid("a b", false));
    assert_false(sv_network_ifname_valid("..", false));
    assert_false(sv_network_ifname_valid("0123456789abcdef", false));
}

static void test_network_copy_and_inactive(void **state)
{
    static const char xml[] =
        "<network connections='2'><name>live</name><uuid>0b5f6a6e-4f4c-4bde-8a55-6c6a2f3e0012</uuid>"
        "<forward dev='eth9' mode='passthrough'><interface dev='eth9' connections='2'/></forward></network>";
    sv_network_def *def = sv_network_def_parse(xml, strlen(xml), SV_NETWORK_PARSE_LIVE), *copy, *plain;
    char *a, *b, *inactive;

    (void)state;
    assert_non_null(def);
    /* Without PARSE_LIVE the counters are accepted but not kept. */
    plain = net_parse(xml);
    assert_int_equal(plain->connections, 0);
    assert_int_equal(plain->forward.ifs[0].connections, 0);
    sv_network_def_free(plain);
    copy = sv_network_def_copy(def);
    assert_non_null(copy);
    a = sv_network_def_format(def, 0);
    b = sv_network_def_format(copy, 0);
    assert_string_equal(a, b);
    assert_ptr_not_equal(def->forward.ifs, copy->forward.ifs);
    assert_int_equal(copy->connections, 2);
    assert_int_equal(copy->forward.ifs[0].connections, 2);
    assert_non_null(strstr(a, "connections='2'"));
    inactive = sv_network_def_format(def, SV_NETWORK_XML_INACTIVE);
    assert_null(strstr(inactive, "connections"));
    free(a);
    free(b);
    free(inactive);
    sv_network_def_free(def);
    sv_network_def_free(copy);
}

static void test_network_portgroup_lookup(void **state)
{
    sv_network_def *def = net_parse("<network><name>o</name><forward mode='bridge'/><bridge name='br0'/>"
                                    "<portgroup name='a'/><portgroup name='b' default='yes'/></network>");

    (void)state;
    assert_string_equal(sv_network_def_portgroup(def, NULL)->name, "b");
    assert_string_equal(sv_network_def_portgroup(def, "a")->name, "a");
    assert_null(sv_network_def_portgroup(def, "c"));
    sv_network_def_free(def);
    def = net_parse("<network><name>o</name><forward mode='bridge'/><bridge name='br0'/>"
                    "<portgroup name='a'/></network>");
    assert_null(sv_network_def_portgroup(def, NULL));
    sv_network_def_free(def);
}

static void test_ip_helpers(void **state)
{
    sv_ip_addr a, net, mask;
    sv_network_ip ip = {0};
    char s[SV_IP_ADDR_STRLEN];

    (void)state;
    assert_int_equal(sv_ip_addr_parse("10.0.0.1", AF_INET, &a), 0);
    assert_int_equal(sv_network_ip_prefix(&(sv_network_ip){.address = a}), 8);
    assert_int_equal(sv_ip_addr_parse("172.16.0.1", AF_UNSPEC, &a), 0);
    assert_int_equal(sv_ip_default_prefix(&a), 16);
    assert_int_equal(sv_ip_addr_parse("192.168.1.1", AF_UNSPEC, &ip.address), 0);
    assert_int_equal(sv_network_ip_prefix(&ip), 24);
    assert_int_equal(sv_ip_addr_parse("255.255.240.0", AF_INET, &ip.netmask), 0);
    assert_int_equal(sv_network_ip_prefix(&ip), 20);
    ip.prefix = 30;
    assert_int_equal(sv_network_ip_prefix(&ip), 30);
    assert_int_equal(sv_ip_addr_parse("fd00::1", AF_UNSPEC, &a), 0);
    assert_int_equal(a.family, AF_INET6);
    assert_int_equal(sv_ip_default_prefix(&a), 64);

    assert_int_equal(sv_ip_addr_parse("10.0.0.1", AF_INET6, &a), -EINVAL);
    assert_int_equal(sv_ip_addr_parse("10.0.0", AF_UNSPEC, &a), -EINVAL);
    assert_int_equal(sv_ip_addr_parse(" 10.0.0.1", AF_UNSPEC, &a), -EINVAL);
    assert_int_equal(sv_ip_addr_parse("010.0.0.1", AF_UNSPEC, &a), -EINVAL);

    assert_int_equal(sv_ip_addr_parse("255.255.0.255", AF_INET, &mask), 0);
    assert_int_equal(sv_ip_netmask_prefix(&mask), -1);
    assert_int_equal(sv_ip_addr_parse("ffff:ffff:fe00::", AF_INET6, &mask), 0);
    assert_int_equal(sv_ip_netmask_prefix(&mask), 39);

    assert_int_equal(sv_ip_addr_parse("192.168.1.0", AF_INET, &net), 0);
    assert_int_equal(sv_ip_addr_parse("192.168.1.255", AF_INET, &a), 0);
    assert_true(sv_ip_addr_in_subnet(&a, &net, 24));
    assert_true(sv_ip_addr_is_broadcast(&a, 24));
    assert_false(sv_ip_addr_in_subnet(&a, &net, 25));
    assert_true(sv_ip_addr_is_network(&net, 24));
    assert_int_equal(sv_ip_addr_parse("2001:DB8:0::0:1", AF_INET6, &a), 0);
    sv_ip_addr_format(&a, s);
    assert_string_equal(s, "2001:db8::1");
}

static void test_nwfilter_defaults(void **state)
{
    static const struct {
        const char *chain;
        int priority;
        sv_nwfilter_chain_kind kind;
    } chains[] = {
        {NULL, 0, SV_NWFILTER_CHAIN_ROOT},
        {"root", 0, SV_NWFILTER_CHAIN_ROOT},
        {"mac", -800, SV_NWFILTER_CHAIN_MAC},
        {"vlan", -750, SV_NWFILTER_CHAIN_VLAN},
        {"stp", 0, SV_NWFILTER_CHAIN_STP},
        {"arp", -500, SV_NWFILTER_CHAIN_ARP},
        {"rarp", -400, SV_NWFILTER_CHAIN_RARP},
        {"ipv4", -700, SV_NWFILTER_CHAIN_IPV4},
        {"ipv6", -600, SV_NWFILTER_CHAIN_IPV6},
        {"arp-xyz", -500, SV_NWFILTER_CHAIN_ARP},
        {"ipv4_spoof", -700, SV_NWFILTER_CHAIN_IPV4},
        {"mac-ipv4", -800, SV_NWFILTER_CHAIN_MAC},
    };

    (void)state;
    for (size_t i = 0; i < SV_ARRAY_SIZE(chains); i++) {
        char *xml = chains[i].chain
                        ? sv_asprintf("<filter name='f' chain='%s'><rule action='accept' direction='in'/></filter>",
                                      chains[i].chain)
                        : sv_strdup("<filter name='f'><rule action='accept' direction='in'/></filter>");
        sv_nwfilter_def *def = filter_parse(xml), *again;
        char *out = sv_nwfilter_def_format(def, 0), *out2;

        assert_int_equal(def->priority, chains[i].priority);
        assert_int_equal(def->chain_kind, chains[i].kind);
        assert_string_equal(def->chain, chains[i].chain ? chains[i].chain : "root");
        assert_false(uuid_is_zero(def->uuid));
        assert_int_equal(def->n_entries, 1);
        assert_int_equal(def->entries[0].rule->priority, SV_NWFILTER_RULE_PRIORITY_DEFAULT);
        assert_true(def->entries[0].rule->statematch);
        assert_int_equal(def->entries[0].rule->protocol, SV_NWFILTER_PROTO_NONE);
        again = sv_nwfilter_def_copy(def);
        assert_non_null(again);
        out2 = sv_nwfilter_def_format(again, 0);
        assert_string_equal(out, out2);
        assert_memory_equal(def->uuid, again->uuid, SV_UUID_LEN);
        free(out);
        free(out2);
        free(xml);
        sv_nwfilter_def_free(def);
        sv_nwfilter_def_free(again);
    }
}

static void test_nwfilter_values(void **state)
{
    sv_nwfilter_def *def = filter_parse(
        "<filter name='f'><rule action='drop' direction='out'>"
        "<tcp match='no' srcipaddr='$IP[@2]' srcipmask='255.255.0.0' dstportstart='0x16' state='new'"
        " flags='SYN,ACK/SYN'/></rule></filter>");
    const sv_nwfilter_rule *r = def->entries[0].rule;
    const sv_nwfilter_attr *a;

    (void)state;
    assert_int_equal(r->protocol, SV_NWFILTER_PROTO_TCP);
    assert_true(r->negate);
    assert_true(sv_nwfilter_protocol_is_ipv4(r->protocol));
    a = sv_nwfilter_rule_attr(r, SV_NWF_SRCIPADDR);
    assert_true(a->is_var);
    assert_string_equal(a->var.name, "IP");
    assert_int_equal(a->var.iterator, 2);
    assert_int_equal(a->var.index, -1);
    assert_int_equal(sv_nwfilter_rule_attr(r, SV_NWF_SRCIPMASK)->num, 16);
    a = sv_nwfilter_rule_attr(r, SV_NWF_DSTPORTSTART);
    assert_int_equal(a->num, 22);
    assert_true(a->hex);
    assert_int_equal(sv_nwfilter_rule_attr(r, SV_NWF_STATE)->num, SV_NWF_STATE_NEW);
    assert_int_equal(sv_nwfilter_rule_attr(r, SV_NWF_TCP_FLAGS)->num,
                     (SV_NWF_TCP_SYN | SV_NWF_TCP_ACK) << 8 | SV_NWF_TCP_SYN);
    assert_null(sv_nwfilter_rule_attr(r, SV_NWF_DSTIPADDR));
    assert_string_equal(sv_nwfilter_attr_name(SV_NWF_CONNLIMIT_ABOVE), "connlimit-above");
    assert_string_equal(sv_nwfilter_protocol_name(SV_NWFILTER_PROTO_ALL_IPV6), "all-ipv6");
    assert_true(sv_nwfilter_varname_valid("DHCPSERVER"));
    assert_false(sv_nwfilter_varname_valid("a-b"));
    assert_true(sv_nwfilter_varvalue_valid("fe80::1"));
    assert_false(sv_nwfilter_varvalue_valid("a b"));
    sv_nwfilter_def_free(def);
}

typedef char *(*normalize_fn)(const char *xml, size_t len);

static char *net_normalize(const char *xml, size_t len)
{
    sv_network_def *d = sv_network_def_parse(xml, len, 0);
    char *out = d ? sv_network_def_format(d, 0) : NULL;

    sv_network_def_free(d);
    return out;
}

static char *filter_normalize(const char *xml, size_t len)
{
    sv_nwfilter_def *d = sv_nwfilter_def_parse(xml, len, 0);
    char *out = d ? sv_nwfilter_def_format(d, 0) : NULL;

    sv_nwfilter_def_free(d);
    return out;
}

/* Deterministic mutations (byte flips, truncations, inserted metacharacters)
 * of valid documents: every result must be parsed or refused, never crash,
 * and anything accepted must format to text that normalizes to itself. */
static void mutate_run(const char *seed, normalize_fn normalize)
{
    static const char inserts[] = "<>'\"&$%[]@/=\x01\xff";
    size_t len = strlen(seed);
    char *buf = sv_malloc0(len + 2);
    unsigned rng = 12345;

    for (int iter = 0; iter < 3000; iter++) {
        size_t n = len;
        char *out, *again;

        memcpy(buf, seed, len + 1);
        for (int k = 0; k < 1 + iter % 3; k++) {
            size_t pos;

            rng = rng * 1103515245u + 12345u;
            pos = (rng >> 8) % n;
            switch ((rng >> 4) % 3) {
            case 0:
                buf[pos] = (char)(buf[pos] ^ (1 << ((rng >> 20) % 7)));
                break;
            case 1:
                buf[pos] = inserts[(rng >> 16) % (sizeof(inserts) - 1)];
                break;
            default:
                n = pos + 1;
                break;
            }
        }
        out = normalize(buf, n);
        if (out) {
            again = normalize(out, strlen(out));
            assert_non_null(again);
            assert_string_equal(out, again);
            free(again);
        }
        free(out);
    }
    free(buf);
}

static void test_mutations(void **state)
{
    (void)state;
    mutate_run("<network><name>m</name><uuid>0b5f6a6e-4f4c-4bde-8a55-6c6a2f3e0002</uuid>"
               "<forward mode='nat' dev='eth0'><nat><address start='203.0.113.10' end='203.0.113.20'/>"
               "<port start='1024' end='65535'/></nat></forward><bridge name='virbr%d' stp='on' delay='0'/>"
               "<mac address='52:54:00:00:00:02'/><domain name='x.example'/><dns><forwarder addr='1.1.1.1'/>"
               "<host ip='10.0.0.2'><hostname>h</hostname></host></dns><bandwidth><inbound average='10' "
               "peak='20' burst='30'/></bandwidth><ip address='10.0.0.1' netmask='255.255.255.0'><dhcp>"
               "<range start='10.0.0.10' end='10.0.0.20'/><host mac='52:54:00:aa:00:01' name='w' "
               "ip='10.0.0.5'/></dhcp></ip><ip family='ipv6' address='fd00::1' prefix='64'/>"
               "<portgroup name='p' default='yes'><bandwidth><outbound average='1'/></bandwidth></portgroup>"
               "</network>",
               net_normalize);
    mutate_run("<network><name>o</name><forward mode='bridge'/><bridge name='ovsbr0'/>"
               "<virtualport type='openvswitch'><parameters profileid='x'/></virtualport>"
               "<portgroup name='a'><virtualport><parameters profileid='y'/></virtualport></portgroup></network>",
               net_normalize);
    mutate_run("<filter name='m' chain='ipv4-x' priority='-700'><uuid>6c2a3b1e-0d0f-4c57-9a39-1b2f4c5d6e01</uuid>"
               "<filterref filter='f'><parameter name='IP' value='10.0.0.1'/><parameter name='IP' value='10.0.0.2'/>"
               "</filterref><rule action='accept' direction='in' priority='400' statematch='false'>"
               "<tcp match='no' srcipaddr='$IP[@1]' srcipmask='24' dstportstart='22' dstportend='0x17' "
               "state='NEW,ESTABLISHED' flags='SYN,ACK/SYN' comment='c'/></rule>"
               "<rule action='drop' direction='out'><arp opcode='Request' arpsrcipaddr='10.0.0.1' "
               "arpsrcipmask='255.0.0.0' gratuitous='1'/></rule><rule action='return' direction='inout'>"
               "<ipv6 srcipaddr='fd00::1' protocol='tcp' srcportstart='1'/></rule></filter>",
               filter_normalize);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_uuid_generated),
        cmocka_unit_test(test_network_mac_generated),
        cmocka_unit_test(test_network_bridge_template),
        cmocka_unit_test(test_network_copy_and_inactive),
        cmocka_unit_test(test_network_portgroup_lookup),
        cmocka_unit_test(test_ip_helpers),
        cmocka_unit_test(test_nwfilter_defaults),
        cmocka_unit_test(test_nwfilter_values),
        cmocka_unit_test(test_mutations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
