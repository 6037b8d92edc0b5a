/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxml2 helpers shared by the domain, network and nwfilter models.
 *
 * Every error helper records an sv_error (code SV_ERR_XML_ERROR or
 * SV_ERR_CONFIG_UNSUPPORTED) whose message names the element, the line and
 * the reason, e.g.
 *   "line 12: element <disk>: unknown value 'foo' for attribute 'bus'"
 * and returns -1, so callers write `return sv_xml_error(node, ...);`.
 */
#pragma once

#include <libxml/tree.h>
#include <stdbool.h>
#include <stdint.h>

#include "sv_buf.h"

/* Documents above this size are refused before parsing. */
#define SV_XML_MAX_SIZE (10 * 1024 * 1024)

/* Parse an XML document from memory with network access, entity
 * substitution and DTD loading disabled.  Requires the root element to be
 * root_name.  Returns the document (free with xmlFreeDoc) or NULL with
 * sv_error set (message carries libxml2's line and text). */
xmlDoc *sv_xml_parse(const char *xml, size_t len, const char *root_name, xmlNode **ret_root);

/* Error helpers; all return -1. */
int sv_xml_error(xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sv_xml_unsupported(xmlNode *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Element children only, skipping text/comments. */
xmlNode *sv_xml_first_element(xmlNode *parent);
xmlNode *sv_xml_next_element(xmlNode *n);
#define sv_xml_foreach_child(c, parent) \
    for (xmlNode *c = sv_xml_first_element(parent); c; c = sv_xml_next_element(c))
/* First element child with that name, or NULL. */
xmlNode *sv_xml_child(xmlNode *parent, const char *name);
/* Number of element children with that name. */
int sv_xml_count_children(xmlNode *parent, const char *name);
bool sv_xml_is(xmlNode *n, const char *name);

/* Refuse any element child whose name is not in the NULL-terminated
 * allowed list ("unsupported element <x> in <parent>"), and any child that
 * appears more than once when its name is in once_only (may be NULL). */
int sv_xml_check_children(xmlNode *n, const char *const *allowed, const char *const *once_only);
/* Refuse any attribute whose name is not in the NULL-terminated list. */
int sv_xml_check_attrs(xmlNode *n, const char *const *allowed);

/* Attribute as a malloc'd string (NULL when absent). */
char *sv_xml_prop(xmlNode *n, const char *name);
/* Same, but a missing attribute is an error ("missing required attribute"). */
int sv_xml_prop_required(xmlNode *n, const char *name, char **ret);
/* Text content (trimmed of surrounding whitespace), malloc'd, never NULL. */
char *sv_xml_content(xmlNode *n);

/* Attribute mapped through a NULL-terminated table of names; absent →
 * *ret = dflt and return 0; unknown value → error naming the allowed set. */
int sv_xml_prop_enum(xmlNode *n, const char *name, const char *const *values, int dflt, int *ret);
/* Integer attributes; absent → *ret = dflt, return 0. */
int sv_xml_prop_u64(xmlNode *n, const char *name, uint64_t dflt, uint64_t *ret);
int sv_xml_prop_u32(xmlNode *n, const char *name, uint32_t dflt, uint32_t *ret);
int sv_xml_prop_int(xmlNode *n, const char *name, int dflt, int *ret);
/* Tristate: absent 0, "yes"/"on" 1, "no"/"off" 2 (see SV_TRISTATE_*). */
enum { SV_TRISTATE_ABSENT = 0, SV_TRISTATE_YES = 1, SV_TRISTATE_NO = 2 };
int sv_xml_prop_yesno(xmlNode *n, const char *name, int *ret);
int sv_xml_prop_onoff(xmlNode *n, const char *name, int *ret);
const char *sv_tristate_yesno(int v);
const char *sv_tristate_onoff(int v);

/* Scaled integer: element text (or value) with unit attribute `unit_attr`
 * (b, bytes, k, KiB, KB, M, MiB, MB, G, GiB, GB, T, TiB, TB, P, PiB, PB, E,
 * EiB, EB).  Result is returned in units of `result_scale` bytes (1024 for
 * KiB), rounded up; default unit when absent is default_unit ("KiB").
 * Values above max (in result units) are an overflow error. */
int sv_xml_parse_scaled(xmlNode *n, const char *text, const char *unit_attr,
                        const char *default_unit, uint64_t result_scale,
                        uint64_t max, uint64_t *ret);
/* Convert value+unit to bytes; -EINVAL unknown unit, -ERANGE overflow. */
int sv_scale_to_bytes(uint64_t value, const char *unit, uint64_t *ret);

/* Serialize a node and its subtree exactly (for <metadata>). malloc'd. */
char *sv_xml_node_dump(xmlNode *n);

/* Append one <inbound>/<outbound>-style rate element: "<elem" and the
 * non-zero attributes in libvirt's order (average, peak, floor, burst). */
void sv_xml_format_rate(sv_buf *b, const char *elem, uint64_t average, uint64_t peak,
                        uint64_t floor, uint64_t burst);

/* Append a string as an attribute ` name='value'` (escaped) when non-NULL. */
void sv_buf_attr(sv_buf *b, const char *name, const char *value);
