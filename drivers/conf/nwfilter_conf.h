/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nwfilter XML model: parse, validate, fill defaults, format.
 *
 *   <filter name='...' [chain='root|mac|vlan|stp|arp|rarp|ipv4|ipv6[-suffix]']
 *           [priority='-1000..1000']>
 *     <uuid/>
 *     <rule action='drop|accept|reject|return|continue' direction='in|out|inout'
 *           [priority='-1000..1000'] [statematch='false']>
 *       <PROTOCOL [match='no'] ATTRIBUTE='value' .../>      (at most one)
 *     </rule>
 *     <filterref filter='...'><parameter name='IP' value='...'/>...</filterref>
 *   </filter>
 *
 * PROTOCOL is one of mac, vlan, stp, arp, rarp, ip, ipv6, tcp, udp, udplite,
 * esp, ah, sctp, icmp, igmp, all and tcp-ipv6, udp-ipv6, udplite-ipv6,
 * esp-ipv6, ah-ipv6, sctp-ipv6, icmpv6, all-ipv6, each with libvirt's
 * attribute set.  An attribute value is either a literal checked against the
 * attribute's type or a variable reference $NAME, $NAME[N] or $NAME[@N].
 *
 * Defaults, as libvirt: a random UUID; chain 'root'; the chain priority from
 * the chain's prefix (root 0, mac -800, vlan -750, ipv4 -700, ipv6 -600,
 * arp -500, rarp -400, anything else 0); rule priority 500.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "network_addr.h"
#include "sv_util.h"

#define SV_NWFILTER_PRIORITY_MIN (-1000)
#define SV_NWFILTER_PRIORITY_MAX 1000
#define SV_NWFILTER_RULE_PRIORITY_DEFAULT 500
/* Chain names become part of firewall chain names, hence the short limit. */
#define SV_NWFILTER_CHAIN_MAX 12
#define SV_NWFILTER_COMMENT_MAX 256
#define SV_NWFILTER_VARNAME_MAX 64
#define SV_NWFILTER_ITERATOR_MAX 1000

typedef enum sv_nwfilter_chain_kind {
    SV_NWFILTER_CHAIN_ROOT = 0,
    SV_NWFILTER_CHAIN_MAC,
    SV_NWFILTER_CHAIN_VLAN,
    SV_NWFILTER_CHAIN_STP,
    SV_NWFILTER_CHAIN_ARP,
    SV_NWFILTER_CHAIN_RARP,
    SV_NWFILTER_CHAIN_IPV4,
    SV_NWFILTER_CHAIN_IPV6,
    SV_NWFILTER_CHAIN_LAST,
} sv_nwfilter_chain_kind;

typedef enum sv_nwfilter_action {
    SV_NWFILTER_ACTION_DROP = 0,
    SV_NWFILTER_ACTION_ACCEPT,
    SV_NWFILTER_ACTION_REJECT,
    SV_NWFILTER_ACTION_RETURN,
    SV_NWFILTER_ACTION_CONTINUE,
    SV_NWFILTER_ACTION_LAST,
} sv_nwfilter_action;

typedef enum sv_nwfilter_direction {
    SV_NWFILTER_DIR_IN = 0,
    SV_NWFILTER_DIR_OUT,
    SV_NWFILTER_DIR_INOUT,
    SV_NWFILTER_DIR_LAST,
} sv_nwfilter_direction;

typedef enum sv_nwfilter_protocol {
    SV_NWFILTER_PROTO_NONE = 0,     /* rule without a protocol element */
    /* Ethernet layer */
    SV_NWFILTER_PROTO_MAC,
    SV_NWFILTER_PROTO_VLAN,
    SV_NWFILTER_PROTO_STP,
    SV_NWFILTER_PROTO_ARP,
    SV_NWFILTER_PROTO_RARP,
    SV_NWFILTER_PROTO_IP,
    SV_NWFILTER_PROTO_IPV6,
    /* over IPv4 */
    SV_NWFILTER_PROTO_TCP,
    SV_NWFILTER_PROTO_UDP,
    SV_NWFILTER_PROTO_UDPLITE,
    SV_NWFILTER_PROTO_ESP,
    SV_NWFILTER_PROTO_AH,
    SV_NWFILTER_PROTO_SCTP,
    SV_NWFILTER_PROTO_ICMP,
    SV_NWFILTER_PROTO_IGMP,
    SV_NWFILTER_PROTO_ALL,
    /* over IPv6 */
    SV_NWFILTER_PROTO_TCP_IPV6,
    SV_NWFILTER_PROTO_UDP_IPV6,
    SV_NWFILTER_PROTO_UDPLITE_IPV6,
    SV_NWFILTER_PROTO_ESP_IPV6,
    SV_NWFILTER_PROTO_AH_IPV6,
    SV_NWFILTER_PROTO_SCTP_IPV6,
    SV_NWFILTER_PROTO_ICMPV6,
    SV_NWFILTER_PROTO_ALL_IPV6,
    SV_NWFILTER_PROTO_LAST,
} sv_nwfilter_protocol;

/* Every match attribute, by meaning (the XML name "type" is STP_TYPE in
 * <stp> and ICMP_TYPE in <icmp>). */
typedef enum sv_nwfilter_attr_id {
    SV_NWF_SRCMACADDR = 0,
    SV_NWF_SRCMACMASK,
    SV_NWF_DSTMACADDR,
    SV_NWF_DSTMACMASK,
    SV_NWF_PROTOCOLID,          /* mac: ethertype */
    SV_NWF_VLANID,
    SV_NWF_ENCAP_PROTOCOL,
    SV_NWF_STP_TYPE,
    SV_NWF_STP_FLAGS,
    SV_NWF_ROOT_PRIORITY,
    SV_NWF_ROOT_PRIORITY_HI,
    SV_NWF_ROOT_ADDRESS,
    SV_NWF_ROOT_ADDRESS_MASK,
    SV_NWF_ROOT_COST,
    SV_NWF_ROOT_COST_HI,
    SV_NWF_SENDER_PRIORITY,
    SV_NWF_SENDER_PRIORITY_HI,
    SV_NWF_SENDER_ADDRESS,
    SV_NWF_SENDER_ADDRESS_MASK,
    SV_NWF_PORT,
    SV_NWF_PORT_HI,
    SV_NWF_AGE,
    SV_NWF_AGE_HI,
    SV_NWF_MAX_AGE,
    SV_NWF_MAX_AGE_HI,
    SV_NWF_HELLO_TIME,
    SV_NWF_HELLO_TIME_HI,
    SV_NWF_FORWARD_DELAY,
    SV_NWF_FORWARD_DELAY_HI,
    SV_NWF_HWTYPE,
    SV_NWF_PROTOCOLTYPE,
    SV_NWF_OPCODE,
    SV_NWF_ARPSRCMACADDR,
    SV_NWF_ARPDSTMACADDR,
    SV_NWF_ARPSRCIPADDR,
    SV_NWF_ARPSRCIPMASK,
    SV_NWF_ARPDSTIPADDR,
    SV_NWF_ARPDSTIPMASK,
    SV_NWF_GRATUITOUS,
    SV_NWF_SRCIPADDR,
    SV_NWF_SRCIPMASK,
    SV_NWF_DSTIPADDR,
    SV_NWF_DSTIPMASK,
    SV_NWF_SRCIPFROM,
    SV_NWF_SRCIPTO,
    SV_NWF_DSTIPFROM,
    SV_NWF_DSTIPTO,
    SV_NWF_PROTOCOL,            /* ip/ipv6: L4 protocol number */
    SV_NWF_SRCPORTSTART,
    SV_NWF_SRCPORTEND,
    SV_NWF_DSTPORTSTART,
    SV_NWF_DSTPORTEND,
    SV_NWF_DSCP,
    SV_NWF_CONNLIMIT_ABOVE,
    SV_NWF_STATE,
    SV_NWF_ICMP_TYPE,
    SV_NWF_ICMP_TYPEEND,
    SV_NWF_ICMP_CODE,
    SV_NWF_ICMP_CODEEND,
    SV_NWF_TCP_OPTION,
    SV_NWF_TCP_FLAGS,
    SV_NWF_COMMENT,
    SV_NWF_ATTR_LAST,
} sv_nwfilter_attr_id;

/* How a literal value is checked and stored. */
typedef enum sv_nwfilter_value_type {
    SV_NWF_T_MAC = 0,           /* mac[] */
    SV_NWF_T_MACMASK,           /* mac[] */
    SV_NWF_T_IPV4,              /* ip */
    SV_NWF_T_IPV4MASK,          /* num = prefix length 0..32 (dotted masks converted) */
    SV_NWF_T_IPV6,              /* ip */
    SV_NWF_T_IPV6MASK,          /* num = prefix length 0..128 */
    SV_NWF_T_UINT8,             /* num */
    SV_NWF_T_UINT16,            /* num */
    SV_NWF_T_UINT32,            /* num */
    SV_NWF_T_DSCP,              /* num 0..63 */
    SV_NWF_T_VLANID,            /* num 0..4095 */
    SV_NWF_T_ETHERTYPE,         /* num >= 0x600; names arp rarp ipv4 ipv6 vlan */
    SV_NWF_T_IPPROTO,           /* num 0..255; names tcp udp icmp ... */
    SV_NWF_T_ARPOP,             /* num; names Request Reply ... */
    SV_NWF_T_STATE,             /* num = SV_NWF_STATE_* bits; 0 = NONE */
    SV_NWF_T_TCPFLAGS,          /* num = mask << 8 | flags, SV_NWF_TCP_* bits */
    SV_NWF_T_BOOL,              /* num 0/1 */
    SV_NWF_T_COMMENT,           /* str */
} sv_nwfilter_value_type;

enum {
    SV_NWF_STATE_NEW = 1 << 0,
    SV_NWF_STATE_ESTABLISHED = 1 << 1,
    SV_NWF_STATE_RELATED = 1 << 2,
    SV_NWF_STATE_INVALID = 1 << 3,
};

enum {
    SV_NWF_TCP_FIN = 1 << 0,
    SV_NWF_TCP_SYN = 1 << 1,
    SV_NWF_TCP_RST = 1 << 2,
    SV_NWF_TCP_PSH = 1 << 3,
    SV_NWF_TCP_ACK = 1 << 4,
    SV_NWF_TCP_URG = 1 << 5,
    SV_NWF_TCP_ALL = 0x3f,
};

typedef struct sv_nwfilter_var_ref {
    char *name;
    int index;                  /* $NAME[N]: N, else -1 */
    int iterator;               /* $NAME[@N]: N, else -1 */
} sv_nwfilter_var_ref;

typedef struct sv_nwfilter_attr {
    sv_nwfilter_attr_id id;
    sv_nwfilter_value_type type;
    bool is_var;                /* value is a variable reference */
    sv_nwfilter_var_ref var;    /* when is_var */
    /* Literal value; which field depends on type (see above). */
    uint32_t num;
    bool hex;                   /* number was written in hex: kept as 0x.. */
    unsigned char mac[SV_MAC_LEN];
    sv_ip_addr ip;
    char *str;
} sv_nwfilter_attr;

typedef struct sv_nwfilter_rule {
    sv_nwfilter_action action;
    sv_nwfilter_direction direction;
    int priority;
    bool statematch;            /* false: statematch='false' */
    sv_nwfilter_protocol protocol;
    bool negate;                /* match='no': every attribute is negated */
    sv_nwfilter_attr *attrs;    /* in libvirt's attribute order */
    size_t n_attrs;
} sv_nwfilter_rule;

typedef struct sv_nwfilter_param {
    char *name;
    char **values;              /* a name given several times is a list */
    size_t n_values;
} sv_nwfilter_param;

typedef struct sv_nwfilter_ref {
    char *filter;
    sv_nwfilter_param *params;  /* sorted by name */
    size_t n_params;
} sv_nwfilter_ref;

typedef enum sv_nwfilter_entry_type {
    SV_NWFILTER_ENTRY_RULE = 0,
    SV_NWFILTER_ENTRY_REF,
} sv_nwfilter_entry_type;

typedef struct sv_nwfilter_entry {
    sv_nwfilter_entry_type type;
    sv_nwfilter_rule *rule;     /* type RULE */
    sv_nwfilter_ref *ref;       /* type REF */
} sv_nwfilter_entry;

typedef struct sv_nwfilter_def {
    char *name;
    unsigned char uuid[SV_UUID_LEN];
    char *chain;                /* as written, e.g. "root", "arp-xyz" */
    sv_nwfilter_chain_kind chain_kind;  /* from the chain's prefix */
    int priority;
    sv_nwfilter_entry *entries; /* rules and filterrefs in document order */
    size_t n_entries;
} sv_nwfilter_def;

/* Parse and validate; returns NULL with sv_error set. */
sv_nwfilter_def *sv_nwfilter_def_parse(const char *xml, size_t len, unsigned flags);
/* Format; returns malloc'd XML text. */
char *sv_nwfilter_def_format(const sv_nwfilter_def *def, unsigned flags);
void sv_nwfilter_def_free(sv_nwfilter_def *def);
/* Deep copy; NULL with sv_error set on failure. */
sv_nwfilter_def *sv_nwfilter_def_copy(const sv_nwfilter_def *def);

const char *sv_nwfilter_chain_kind_name(sv_nwfilter_chain_kind kind);
/* Default priority of a chain kind (root 0, mac -800, ...). */
int sv_nwfilter_chain_default_priority(sv_nwfilter_chain_kind kind);
const char *sv_nwfilter_action_name(sv_nwfilter_action a);
const char *sv_nwfilter_direction_name(sv_nwfilter_direction d);
/* XML element name of a protocol ("tcp-ipv6"), NULL for NONE. */
const char *sv_nwfilter_protocol_name(sv_nwfilter_protocol p);
/* XML attribute name of an attribute id ("srcipaddr", "type"...). */
const char *sv_nwfilter_attr_name(sv_nwfilter_attr_id id);
bool sv_nwfilter_protocol_is_ipv4(sv_nwfilter_protocol p);   /* tcp .. all */
bool sv_nwfilter_protocol_is_ipv6(sv_nwfilter_protocol p);   /* tcp-ipv6 .. all-ipv6 */
/* The attribute with that id in a rule, or NULL. */
const sv_nwfilter_attr *sv_nwfilter_rule_attr(const sv_nwfilter_rule *rule, sv_nwfilter_attr_id id);

/* Variable and parameter syntax (also used for <filterref> in domain XML). */
bool sv_nwfilter_varname_valid(const char *name);
bool sv_nwfilter_varvalue_valid(const char *value);
