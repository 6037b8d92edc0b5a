/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "xml_util.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sv_error.h"
#include "sv_util.h"

static void xml_set_error(xmlNode *n, int code, const char *fmt, va_list ap)
{
    char text[SV_ERROR_MSG_MAX - 128];

    vsnprintf(text, sizeof(text), fmt, ap);
    if (n)
        sv_error_set(SV_FROM_CONF, code, "line %ld: element <%s>: %s",
                     xmlGetLineNo(n), (const char *)n->name, text);
    else
        sv_error_set(SV_FROM_CONF, code, "%s", text);
}

int sv_xml_error(xmlNode *n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xml_set_error(n, SV_ERR_XML_ERROR, fmt, ap);
    va_end(ap);
    return -1;
}

int sv_xml_unsupported(xmlNode *n, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xml_set_error(n, SV_ERR_CONFIG_UNSUPPORTED, fmt, ap);
    va_end(ap);
    return -1;
}

static void xml_silent_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

xmlDoc *sv_xml_parse(const char *xml, size_t len, const char *root_name, xmlNode **ret_root)
{
    xmlParserCtxtPtr ctxt;
    xmlDoc *doc;
    xmlNode *root;

    if (len > SV_XML_MAX_SIZE) {
        sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "XML document too large (%zu bytes, limit %d)",
                     len, SV_XML_MAX_SIZE);
        return NULL;
    }
    if (len == 0 || memchr(xml, '\0', len)) {
        sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "%s",
                     len == 0 ? "empty XML document" : "XML document contains a NUL byte");
        return NULL;
    }
    ctxt = xmlNewParserCtxt();
    if (!ctxt)
        abort();
    xmlSetGenericErrorFunc(NULL, xml_silent_error);
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);

        if (e && e->message) {
            char msg[512];
            size_t l;

            snprintf(msg, sizeof(msg), "%s", e->message);
            l = strlen(msg);
            while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
                msg[--l] = '\0';
            sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "line %d: malformed XML: %s", e->line, msg);
        } else {
            sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "malformed XML document");
        }
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlFreeParserCtxt(ctxt);
    root = xmlDocGetRootElement(doc);
    if (!root || !sv_xml_is(root, root_name)) {
        sv_error_set(SV_FROM_CONF, SV_ERR_XML_ERROR, "line %ld: expected root element <%s>, found <%s>",
                     root ? xmlGetLineNo(root) : 1L, root_name, root ? (const char *)root->name : "");
        xmlFreeDoc(doc);
        return NULL;
    }
    if (ret_root)
        *ret_root = root;
    return doc;
}

xmlNode *sv_xml_first_element(xmlNode *parent)
{
    xmlNode *c;

    for (c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

xmlNode *sv_xml_next_element(xmlNode *n)
{
    for (n = n->next; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

bool sv_xml_is(xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *sv_xml_child(xmlNode *parent, const char *name)
{
    sv_xml_foreach_child(c, parent)
        if (sv_xml_is(c, name))
            return c;
    return NULL;
}

int sv_xml_count_children(xmlNode *parent, const char *name)
{
    int n = 0;

    sv_xml_foreach_child(c, parent)
        if (sv_xml_is(c, name))
            n++;
    return n;
}

static bool name_in(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

int sv_xml_check_children(xmlNode *n, const char *const *allowed, const char *const *once_only)
{
    sv_xml_foreach_child(c, n) {
        const char *name = (const char *)c->name;

        if (!name_in(name, allowed))
            return sv_xml_unsupported(c, "unsupported element <%s> in <%s>", name, (const char *)n->name);
        if (name_in(name, once_only) && sv_xml_child(n, name) != c)
            return sv_xml_error(c, "element <%s> may appear only once in <%s>", name, (const char *)n->name);
    }
    return 0;
}

int sv_xml_check_attrs(xmlNode *n, const char *const *allowed)
{
    for (xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns && a->ns->prefix && strcmp((const char *)a->ns->prefix, "xml") == 0)
            continue;
        if (!name_in((const char *)a->name, allowed))
            return sv_xml_unsupported(n, "unsupported attribute '%s'", (const char *)a->name);
    }
    return 0;
}

char *sv_xml_prop(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s;

    if (!v)
        return NULL;
    s = sv_strdup((const char *)v);
    xmlFree(v);
    return s;
}

int sv_xml_prop_required(xmlNode *n, const char *name, char **ret)
{
    char *v = sv_xml_prop(n, name);

    if (!v)
        return sv_xml_error(n, "missing required attribute '%s'", name);
    if (!*v) {
        free(v);
        return sv_xml_error(n, "attribute '%s' must not be empty", name);
    }
    *ret = v;
    return 0;
}

char *sv_xml_content(xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    const char *s = v ? (const char *)v : "";
    size_t len;
    char *r;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    r = sv_strndup(s, len);
    xmlFree(v);
    return r;
}

int sv_xml_prop_enum(xmlNode *n, const char *name, const char *const *values, int dflt, int *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, name);
    sv_buf allowed = {0};

    if (!v) {
        *ret = dflt;
        return 0;
    }
    for (int i = 0; values[i]; i++) {
        if (values[i][0] && strcmp(values[i], v) == 0) {
            *ret = i;
            return 0;
        }
    }
    for (int i = 0; values[i]; i++) {
        if (!values[i][0])
            continue;
        sv_buf_printf(&allowed, "%s%s", allowed.len ? ", " : "", values[i]);
    }
    sv_xml_unsupported(n, "unknown value '%s' for attribute '%s' (expected one of: %s)",
                       v, name, allowed.data ? allowed.data : "");
    sv_buf_free(&allowed);
    return -1;
}

int sv_xml_prop_u64(xmlNode *n, const char *name, uint64_t dflt, uint64_t *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, name);
    int r;

    if (!v) {
        *ret = dflt;
        return 0;
    }
    r = sv_parse_u64(v, ret);
    if (r == -ERANGE)
        return sv_xml_error(n, "value '%s' of attribute '%s' is out of range", v, name);
    if (r < 0)
        return sv_xml_error(n, "invalid value '%s' for attribute '%s': expected an unsigned integer", v, name);
    return 0;
}

int sv_xml_prop_u32(xmlNode *n, const char *name, uint32_t dflt, uint32_t *ret)
{
    uint64_t v;

    if (sv_xml_prop_u64(n, name, dflt, &v) < 0)
        return -1;
    if (v > UINT32_MAX)
        return sv_xml_error(n, "value %llu of attribute '%s' is out of range", (unsigned long long)v, name);
    *ret = (uint32_t)v;
    return 0;
}

int sv_xml_prop_int(xmlNode *n, const char *name, int dflt, int *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, name);
    int r;

    if (!v) {
        *ret = dflt;
        return 0;
    }
    r = sv_parse_int(v, ret);
    if (r == -ERANGE)
        return sv_xml_error(n, "value '%s' of attribute '%s' is out of range", v, name);
    if (r < 0)
        return sv_xml_error(n, "invalid value '%s' for attribute '%s': expected an integer", v, name);
    return 0;
}

static int prop_bool(xmlNode *n, const char *name, const char *yes, const char *no, int *ret)
{
    _cleanup_free_ char *v = sv_xml_prop(n, name);

    if (!v)
        *ret = SV_TRISTATE_ABSENT;
    else if (strcmp(v, yes) == 0)
        *ret = SV_TRISTATE_YES;
    else if (strcmp(v, no) == 0)
        *ret = SV_TRISTATE_NO;
    else
        return sv_xml_error(n, "invalid value '%s' for attribute '%s' (expected %s or %s)", v, name, yes, no);
    return 0;
}

int sv_xml_prop_yesno(xmlNode *n, const char *name, int *ret)
{
    return prop_bool(n, name, "yes", "no", ret);
}

int sv_xml_prop_onoff(xmlNode *n, const char *name, int *ret)
{
    return prop_bool(n, name, "on", "off", ret);
}

const char *sv_tristate_yesno(int v)
{
    return v == SV_TRISTATE_YES ? "yes" : v == SV_TRISTATE_NO ? "no" : NULL;
}

const char *sv_tristate_onoff(int v)
{
    return v == SV_TRISTATE_YES ? "on" : v == SV_TRISTATE_NO ? "off" : NULL;
}

/* libvirt's unit rules: "b", "byte", "bytes"; a prefix letter k m g t p e
 * alone or with "iB" means powers of 1024, with "B" powers of 1000; all
 * case-insensitive. */
static int unit_scale(const char *unit, uint64_t *ret)
{
    static const char prefixes[] = "kmgtpe";
    const char *p;
    uint64_t base, scale = 1;

    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 || strcasecmp(unit, "bytes") == 0) {
        *ret = 1;
        return 0;
    }
    if (!unit[0] || !(p = strchr(prefixes, tolower((unsigned char)unit[0]))))
        return -EINVAL;
    if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
        base = 1024;
    else if (strcasecmp(unit + 1, "B") == 0)
        base = 1000;
    else
        return -EINVAL;
    for (long i = 0; i <= p - prefixes; i++)
        scale *= base;
    *ret = scale;
    return 0;
}

int sv_scale_to_bytes(uint64_t value, const char *unit, uint64_t *ret)
{
    uint64_t scale;

    if (unit_scale(unit, &scale) < 0)
        return -EINVAL;
    if (value > UINT64_MAX / scale)
        return -ERANGE;
    *ret = value * scale;
    return 0;
}

int sv_xml_parse_scaled(xmlNode *n, const char *text, const char *unit_attr,
                        const char *default_unit, uint64_t result_scale,
                        uint64_t max, uint64_t *ret)
{
    _cleanup_free_ char *unit = unit_attr ? sv_xml_prop(n, unit_attr) : NULL;
    _cleanup_free_ char *content = text ? NULL : sv_xml_content(n);
    const char *s = text ? text : content;
    uint64_t value, bytes, result;
    int r;

    r = sv_parse_u64(s, &value);
    if (r == -ERANGE)
        return sv_xml_error(n, "value '%s' is out of range", s);
    if (r < 0)
        return sv_xml_error(n, "invalid value '%s': expected an unsigned integer", s);
    r = sv_scale_to_bytes(value, unit ? unit : default_unit, &bytes);
    if (r == -EINVAL)
        return sv_xml_unsupported(n, "unknown unit '%s'", unit);
    if (r == -ERANGE)
        return sv_xml_error(n, "value %s %s overflows", s, unit ? unit : default_unit);
    result = bytes / result_scale + (bytes % result_scale ? 1 : 0);
    if (result > max)
        return sv_xml_error(n, "value %s %s is too large (limit %llu %s)", s, unit ? unit : default_unit,
                            (unsigned long long)max, result_scale == 1024 ? "KiB" : "units");
    *ret = result;
    return 0;
}

char *sv_xml_node_dump(xmlNode *n)
{
    xmlBufferPtr buf = xmlBufferCreate();
    char *s;

    if (!buf)
        abort();
    xmlNodeDump(buf, n->doc, n, 0, 0);
    s = sv_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s;
}

void sv_buf_attr(sv_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    sv_buf_printf(b, " %s='", name);
    sv_buf_escape_xml(b, value);
    sv_buf_add(b, "'");
}

void sv_xml_format_rate(sv_buf *b, const char *elem, uint64_t average, uint64_t peak,
                        uint64_t floor, uint64_t burst)
{
    const struct {
        const char *name;
        uint64_t value;
    } attrs[] = {{"average", average}, {"peak", peak}, {"floor", floor}, {"burst", burst}};

    sv_buf_iprintf(b, "<%s", elem);
    for (size_t i = 0; i < SV_ARRAY_SIZE(attrs); i++)
        if (attrs[i].value)
            sv_buf_printf(b, " %s='%llu'", attrs[i].name, (unsigned long long)attrs[i].value);
    sv_buf_add(b, "/>\n");
}
