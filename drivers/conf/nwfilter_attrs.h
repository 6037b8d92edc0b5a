/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * nwfilter protocol elements: the per-protocol attribute tables, typed
 * value parsing and canonical formatting.  Internal to drivers/conf: the
 * rest of the project uses nwfilter_conf.h.
 */
#pragma once

#include <libxml/tree.h>

#include "nwfilter_conf.h"
#include "sv_buf.h"

/* Protocol for an element name, or SV_NWFILTER_PROTO_NONE if unknown. */
sv_nwfilter_protocol sv_nwfilter_protocol_from_name(const char *name);
/* Parse a protocol element's attributes into rule->attrs and check the
 * rule-level constraints (ranges, masks, port needs protocol).  Returns
 * -1 with sv_error set naming the attribute. */
int sv_nwfilter_protocol_parse(xmlNode *n, sv_nwfilter_protocol proto, sv_nwfilter_rule *rule);
/* Append the protocol element (at b->indent) for a rule that has one. */
void sv_nwfilter_protocol_format(sv_buf *b, const sv_nwfilter_rule *rule);
void sv_nwfilter_attr_clear(sv_nwfilter_attr *a);
