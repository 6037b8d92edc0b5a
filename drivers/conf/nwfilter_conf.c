/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nwfilter XML: <filter>, <rule> and <filterref> (protocol elements are in
 * nwfilter_attrs.c). */
#include "nwfilter_conf.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "network_util.h"
#include "nwfilter_attrs.h"
#include "sv_buf.h"
#include "sv_error.h"
#include "xml_util.h"

static const char *const chain_names[] = {"root", "mac", "vlan", "stp", "arp", "rarp", "ipv4", "ipv6", NULL};
static const int chain_priorities[] = {0, -800, -750, 0, -500, -400, -700, -600};
static const char *const action_names[] = {"drop", "accept", "reject", "return", "continue", NULL};
static const char *const direction_names[] = {"in", "out", "inout", NULL};

const char *sv_nwfilter_chain_kind_name(sv_nwfilter_chain_kind kind)
{
    return kind >= 0 && kind < SV_NWFILTER_CHAIN_LAST ? chain_names[kind] : NULL;
}

int sv_nwfilter_chain_default_priority(sv_nwfilter_chain_kind kind)
{
    return kind >= 0 && kind < SV_NWFILTER_CHAIN_LAST ? chain_priorities[kind] : 0;
}

const char *sv_nwfilter_action_name(sv_nwfilter_action a)
{
    return a >= 0 && a < SV_NWFILTER_ACTION_LAST ? action_names[a] : NULL;
}

const char *sv_nwfilter_direction_name(sv_nwfilter_direction d)
{
    return d >= 0 && d < SV_NWFILTER_DIR_LAST ? direction_names[d] : NULL;
}

static int parse_priority(xmlNode *n, int dflt, int *ret)
{
    if (sv_xml_prop_int(n, "priority", dflt, ret) < 0)
        return -1;
    if (*ret < SV_NWFILTER_PRIORITY_MIN || *ret > SV_NWFILTER_PRIORITY_MAX)
        return sv_xml_error(n, "priority %d is out of range (%d..%d)", *ret, SV_NWFILTER_PRIORITY_MIN,
                            SV_NWFILTER_PRIORITY_MAX);
    return 0;
}

/* libvirt's rule: 'root' exactly, or any name starting with one of the
 * other chain kinds ("ipv4", "arp-xyz", "mac_spoof"). */
static int parse_chain(xmlNode *n, sv_nwfilter_def *def)
{
    char *chain = sv_xml_prop(n, "chain");

    if (!chain) {
        def->chain = sv_strdup("root");
        def->chain_kind = SV_NWFILTER_CHAIN_ROOT;
        return 0;
    }
    def->chain = chain;
    if (!*chain || strlen(chain) > SV_NWFILTER_CHAIN_MAX ||
        chain[strspn(chain, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")] != '\0')
        return sv_xml_error(n, "invalid chain name '%s': 1..%d letters, digits, '_', '.', ':' or '-'", chain,
                            SV_NWFILTER_CHAIN_MAX);
    if (strcmp(chain, "root") == 0) {
        def->chain_kind = SV_NWFILTER_CHAIN_ROOT;
        return 0;
    }
    for (int k = SV_NWFILTER_CHAIN_ROOT + 1; k < SV_NWFILTER_CHAIN_LAST; k++) {
        if (strncmp(chain, chain_names[k], strlen(chain_names[k])) == 0) {
            def->chain_kind = (sv_nwfilter_chain_kind)k;
            return 0;
        }
    }
    return sv_xml_error(n, "invalid chain name '%s': use 'root' or a name starting with mac, vlan, stp, arp, "
                           "rarp, ipv4 or ipv6", chain);
}

static int parse_statematch(xmlNode *n, bool *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, "statematch");

    *ret = true;
    if (!v)
        return 0;
    if (strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0)
        *ret = false;
    else if (strcmp(v, "1") != 0 && strcasecmp(v, "true") != 0)
        return sv_xml_error(n, "invalid value '%s' for attribute 'statematch' (expected true or false)", v);
    return 0;
}

static int parse_rule(xmlNode *n, sv_nwfilter_rule *rule)
{
    static const char *const attrs[] = {"action", "direction", "priority", "statematch", NULL};
    _cleanup_free_ char *action = NULL, *direction = NULL;
    xmlNode *proto = NULL;
    int v;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_prop_required(n, "action", &action) < 0 ||
        sv_xml_prop_required(n, "direction", &direction) < 0 ||
        sv_xml_prop_enum(n, "action", action_names, 0, &v) < 0)
        return -1;
    rule->action = (sv_nwfilter_action)v;
    if (sv_xml_prop_enum(n, "direction", direction_names, 0, &v) < 0)
        return -1;
    rule->direction = (sv_nwfilter_direction)v;
    if (parse_priority(n, SV_NWFILTER_RULE_PRIORITY_DEFAULT, &rule->priority) < 0 ||
        parse_statematch(n, &rule->statematch) < 0)
        return -1;
    sv_xml_foreach_child(c, n) {
        sv_nwfilter_protocol p = sv_nwfilter_protocol_from_name((const char *)c->name);

        if (p == SV_NWFILTER_PROTO_NONE)
            return sv_xml_unsupported(c, "unknown protocol element <%s> in <rule>", (const char *)c->name);
        if (proto)
            return sv_xml_error(c, "a <rule> takes one protocol element, found <%s> after <%s>",
                                (const char *)c->name, (const char *)proto->name);
        proto = c;
        if (sv_nwfilter_protocol_parse(c, p, rule) < 0)
            return -1;
    }
    return 0;
}

typedef struct param_item {
    char *name, *value;
    size_t pos;                 /* document order, to keep list values in order */
} param_item;

static int param_item_cmp(const void *a, const void *b)
{
    const param_item *x = a, *y = b;
    int r = strcmp(x->name, y->name);

    return r ? r : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorting groups a repeated name into one list (values in document order)
 * and gives libvirt's output order, parameters sorted by name. */
static void group_params(param_item *items, size_t n, sv_nwfilter_ref *ref)
{
    if (n > 1)
        qsort(items, n, sizeof(*items), param_item_cmp);
    for (size_t i = 0; i < n; i++) {
        sv_nwfilter_param *p;

        if (ref->n_params && strcmp(ref->params[ref->n_params - 1].name, items[i].name) == 0) {
            p = &ref->params[ref->n_params - 1];
            free(items[i].name);
        } else {
            p = SV_NETCONF_APPEND(ref->params, ref->n_params);
            memset(p, 0, sizeof(*p));
            p->name = items[i].name;
        }
        *SV_NETCONF_APPEND(p->values, p->n_values) = items[i].value;
    }
}

static int parse_filterref(xmlNode *n, sv_nwfilter_ref *ref)
{
    static const char *const attrs[] = {"filter", NULL};
    static const char *const children[] = {"parameter", NULL};
    param_item *items = NULL;
    size_t n_items = 0;
    int r = -1;

    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, NULL) < 0 ||
        sv_xml_prop_required(n, "filter", &ref->filter) < 0)
        return -1;
    for (const char *p = ref->filter; *p; p++)
        if (*p == '/' || iscntrl((unsigned char)*p))
            return sv_xml_error(n, "invalid filter name '%s' in attribute 'filter'", ref->filter);
    sv_xml_foreach_child(c, n) {
        static const char *const pattrs[] = {"name", "value", NULL};
        param_item *it = SV_NETCONF_APPEND(items, n_items);

        it->name = it->value = NULL;
        it->pos = n_items;
        if (sv_xml_check_attrs(c, pattrs) < 0 || sv_xml_check_children(c, NULL, NULL) < 0 ||
            sv_xml_prop_required(c, "name", &it->name) < 0 || sv_xml_prop_required(c, "value", &it->value) < 0)
            goto out;
        if (!sv_nwfilter_varname_valid(it->name)) {
            sv_xml_error(c, "invalid parameter name '%s': letters, digits and '_' only", it->name);
            goto out;
        }
        if (!sv_nwfilter_varvalue_valid(it->value)) {
            sv_xml_error(c, "invalid value '%s' for parameter '%s': letters, digits, '_', '.' and ':' only",
                         it->value, it->name);
            goto out;
        }
    }
    /* Repeating a name makes a list, which rules walk with $NAME[@N]. */
    group_params(items, n_items, ref);
    n_items = 0;
    r = 0;
out:
    for (size_t i = 0; i < n_items; i++) {
        free(items[i].name);
        free(items[i].value);
    }
    free(items);
    return r;
}

static int parse_filter(xmlNode *root, sv_nwfilter_def *def)
{
    static const char *const attrs[] = {"name", "chain", "priority", NULL};
    static const char *const children[] = {"uuid", "rule", "filterref", NULL};
    static const char *const once[] = {"uuid", NULL};
    if (sv_xml_check_attrs(root, attrs) < 0 || sv_xml_check_children(root, children, once) < 0 ||
        sv_xml_prop_required(root, "name", &def->name) < 0)
        return -1;
    if (strlen(def->name) > 255 || strchr(def->name, '/'))
        return sv_xml_error(root, "invalid filter name '%s': at most 255 characters, no '/'", def->name);
    for (const char *p = def->name; *p; p++)
        if (iscntrl((unsigned char)*p))
            return sv_xml_error(root, "invalid filter name: control characters are not allowed");
    if (parse_chain(root, def) < 0 ||
        parse_priority(root, sv_nwfilter_chain_default_priority(def->chain_kind), &def->priority) < 0)
        return -1;
    if (sv_netconf_parse_uuid(sv_xml_child(root, "uuid"), def->uuid) < 0)
        return -1;
    sv_xml_foreach_child(c, root) {
        sv_nwfilter_entry *e;

        if (sv_xml_is(c, "uuid"))
            continue;
        e = SV_NETCONF_APPEND(def->entries, def->n_entries);
        memset(e, 0, sizeof(*e));
        if (sv_xml_is(c, "rule")) {
            e->type = SV_NWFILTER_ENTRY_RULE;
            e->rule = sv_malloc0(sizeof(*e->rule));
            if (parse_rule(c, e->rule) < 0)
                return -1;
        } else {
            e->type = SV_NWFILTER_ENTRY_REF;
            e->ref = sv_malloc0(sizeof(*e->ref));
            if (parse_filterref(c, e->ref) < 0)
                return -1;
        }
    }
    return 0;
}

sv_nwfilter_def *sv_nwfilter_def_parse(const char *xml, size_t len, unsigned flags)
{
    xmlNode *root;
    xmlDoc *doc;
    sv_nwfilter_def *def;

    (void)flags;
    if (!(doc = sv_xml_parse(xml, len, "filter", &root)))
        return NULL;
    def = sv_malloc0(sizeof(*def));
    if (parse_filter(root, def) < 0) {
        sv_nwfilter_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    return def;
}

static void format_rule(sv_buf *b, const sv_nwfilter_rule *rule)
{
    sv_buf_iprintf(b, "<rule action='%s' direction='%s' priority='%d'", action_names[rule->action],
                   direction_names[rule->direction], rule->priority);
    if (!rule->statematch)
        sv_buf_add(b, " statematch='false'");
    if (rule->protocol == SV_NWFILTER_PROTO_NONE) {
        sv_buf_add(b, "/>\n");
        return;
    }
    sv_buf_add(b, ">\n");
    b->indent += 2;
    sv_nwfilter_protocol_format(b, rule);
    b->indent -= 2;
    sv_buf_iprintf(b, "</rule>\n");
}

static void format_ref(sv_buf *b, const sv_nwfilter_ref *ref)
{
    sv_buf_iprintf(b, "<filterref");
    sv_buf_attr(b, "filter", ref->filter);
    if (!ref->n_params) {
        sv_buf_add(b, "/>\n");
        return;
    }
    sv_buf_add(b, ">\n");
    b->indent += 2;
    for (size_t i = 0; i < ref->n_params; i++) {
        for (size_t j = 0; j < ref->params[i].n_values; j++) {
            sv_buf_iprintf(b, "<parameter");
            sv_buf_attr(b, "name", ref->params[i].name);
            sv_buf_attr(b, "value", ref->params[i].values[j]);
            sv_buf_add(b, "/>\n");
        }
    }
    b->indent -= 2;
    sv_buf_iprintf(b, "</filterref>\n");
}

char *sv_nwfilter_def_format(const sv_nwfilter_def *def, unsigned flags)
{
    sv_buf b = {0};
    char uuid[SV_UUID_STRLEN];

    (void)flags;
    sv_buf_add(&b, "<filter");
    sv_buf_attr(&b, "name", def->name);
    sv_buf_attr(&b, "chain", def->chain);
    /* libvirt omits priority 0; we also write it when the chain's default
     * differs, so that reading the output back gives the same priority. */
    if (def->priority != 0 || sv_nwfilter_chain_default_priority(def->chain_kind) != 0)
        sv_buf_printf(&b, " priority='%d'", def->priority);
    sv_buf_add(&b, ">\n");
    b.indent = 2;
    sv_uuid_format(def->uuid, uuid);
    sv_buf_iprintf(&b, "<uuid>%s</uuid>\n", uuid);
    for (size_t i = 0; i < def->n_entries; i++) {
        if (def->entries[i].type == SV_NWFILTER_ENTRY_RULE)
            format_rule(&b, def->entries[i].rule);
        else
            format_ref(&b, def->entries[i].ref);
    }
    b.indent = 0;
    sv_buf_add(&b, "</filter>\n");
    return sv_buf_steal(&b);
}

static void rule_free(sv_nwfilter_rule *rule)
{
    if (!rule)
        return;
    for (size_t i = 0; i < rule->n_attrs; i++)
        sv_nwfilter_attr_clear(&rule->attrs[i]);
    free(rule->attrs);
    free(rule);
}

static void ref_free(sv_nwfilter_ref *ref)
{
    if (!ref)
        return;
    for (size_t i = 0; i < ref->n_params; i++) {
        for (size_t j = 0; j < ref->params[i].n_values; j++)
            free(ref->params[i].values[j]);
        free(ref->params[i].values);
        free(ref->params[i].name);
    }
    free(ref->params);
    free(ref->filter);
    free(ref);
}

void sv_nwfilter_def_free(sv_nwfilter_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->n_entries; i++) {
        rule_free(def->entries[i].rule);
        ref_free(def->entries[i].ref);
    }
    free(def->entries);
    free(def->chain);
    free(def->name);
    free(def);
}

sv_nwfilter_def *sv_nwfilter_def_copy(const sv_nwfilter_def *def)
{
    /* Formatting writes every field and parsing reads them all back. */
    _cleanup_free_ char *xml = sv_nwfilter_def_format(def, 0);

    return sv_nwfilter_def_parse(xml, strlen(xml), 0);
}
