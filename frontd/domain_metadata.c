/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain_metadata.h"

#include <libxml/tree.h>
#include <string.h>

#include "registry.h"
#include "sv_buf.h"
#include "sv_error.h"
#include "sv_util.h"
#include "xml_util.h"

/* Whitespace-only text between elements is layout, not content: drop it so
 * dumps re-indent for the level they are printed at. */
static void strip_layout(xmlNode *n)
{
    xmlNode *c = n->children;

    while (c) {
        xmlNode *next = c->next;

        if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_layout(c);
        }
        c = next;
    }
}

/* Parse text as the content of a <metadata> element. */
static xmlDoc *parse_wrapped(const char *text, xmlNode **ret_root)
{
    _cleanup_free_ char *xml = sv_asprintf("<metadata>%s</metadata>", text ? text : "");
    xmlDoc *doc = sv_xml_parse(xml, strlen(xml), "metadata", ret_root);

    if (doc)
        strip_layout(*ret_root);
    return doc;
}

static xmlNode *find_by_ns(xmlNode *root, const char *uri)
{
    sv_xml_foreach_child(c, root) {
        if (c->ns && c->ns->href && strcmp((const char *)c->ns->href, uri) == 0)
            return c;
    }
    return NULL;
}

static char *dump_node(xmlDoc *doc, xmlNode *n, int level)
{
    xmlBufferPtr xb = xmlBufferCreate();
    char *s;

    if (!xb)
        abort();
    xmlNodeDump(xb, doc, n, level, 1);
    s = sv_strdup((const char *)xmlBufferContent(xb));
    xmlBufferFree(xb);
    return s;
}

static void drop_ns(xmlNode *n, const char *uri)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && n->ns->href && strcmp((const char *)n->ns->href, uri) == 0)
            xmlSetNs(n, NULL);
        drop_ns(n->children, uri);
    }
}

int sv_domain_metadata_get(const char *metadata, const char *uri, char **ret_xml)
{
    xmlNode *root, *found, *copy;
    xmlDoc *doc, *out;

    if (!metadata)
        return 1;
    if (!(doc = parse_wrapped(metadata, &root)))
        return -1;
    if (!(found = find_by_ns(root, uri))) {
        xmlFreeDoc(doc);
        return 1;
    }
    /* Work on a copy in its own document: it carries every namespace it
     * uses, and removing one does not touch the original. */
    out = xmlNewDoc((const xmlChar *)"1.0");
    copy = out ? xmlDocCopyNode(found, out, 1) : NULL;
    if (!copy)
        abort();
    xmlDocSetRootElement(out, copy);
    drop_ns(copy, uri);
    for (xmlNs **pp = &copy->nsDef; *pp; pp = &(*pp)->next) {
        if ((*pp)->href && strcmp((const char *)(*pp)->href, uri) == 0) {
            xmlNs *ns = *pp;

            *pp = ns->next;
            ns->next = NULL;
            xmlFreeNs(ns);
            break;
        }
    }
    *ret_xml = dump_node(out, copy, 0);
    xmlFreeDoc(out);
    xmlFreeDoc(doc);
    return 0;
}

static void set_ns_where_missing(xmlNode *n, xmlNs *ns)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!n->ns)
            xmlSetNs(n, ns);
        set_ns_where_missing(n->children, ns);
    }
}

/* The element the caller gave, moved into namespace uri/key. */
static xmlNode *new_element(xmlDoc *doc, const char *uri, const char *key, const char *xml)
{
    xmlNode *root, *el, *copy;
    xmlDoc *src = parse_wrapped(xml, &root);
    xmlNs *ns;

    if (!src) {
        sv_report_add_prefix();
        return NULL;
    }
    el = sv_xml_first_element(root);
    if (!el || sv_xml_next_element(el)) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_XML_ERROR, "%s",
                  "metadata must be exactly one XML element");
        xmlFreeDoc(src);
        return NULL;
    }
    if (xmlValidateNCName((const xmlChar *)key, 0) != 0) {
        sv_report(SV_FROM_DOMAIN, SV_ERR_INTERNAL_ERROR, "%s",
                  "failed to validate prefix for a new XML namespace");
        xmlFreeDoc(src);
        return NULL;
    }
    copy = xmlDocCopyNode(el, doc, 1);
    if (!copy || !(ns = xmlNewNs(copy, (const xmlChar *)uri, (const xmlChar *)key)))
        abort();
    set_ns_where_missing(copy, ns);
    xmlFreeDoc(src);
    return copy;
}

int sv_domain_metadata_set(const char *metadata, const char *uri, const char *key,
                           const char *xml, char **ret_metadata)
{
    xmlNode *root, *old, *added = NULL;
    xmlDoc *doc = parse_wrapped(metadata, &root);
    sv_buf b = {0};

    if (!doc)
        return -1;
    if (xml && !(added = new_element(doc, uri, key, xml))) {
        xmlFreeDoc(doc);
        return -1;
    }
    while ((old = find_by_ns(root, uri))) {
        xmlUnlinkNode(old);
        xmlFreeNode(old);
    }
    if (added)
        xmlAddChild(root, added);
    /* The text form domain_conf keeps: each child at nesting level 2. */
    sv_xml_foreach_child(c, root) {
        _cleanup_free_ char *s = dump_node(doc, c, 2);

        sv_buf_printf(&b, "    %s\n", s);
    }
    xmlFreeDoc(doc);
    *ret_metadata = b.data ? sv_buf_steal(&b) : sv_strdup("");
    return 0;
}
