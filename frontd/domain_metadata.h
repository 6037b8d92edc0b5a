/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The <metadata> element of a domain, as virDomainGetMetadata /
 * virDomainSetMetadata (type ELEMENT) see it: one child element per
 * namespace URI.  Works on the text form domain_conf keeps in
 * sv_domain_def.metadata (each child dumped at nesting level 2, indented by
 * four spaces, one per line group), so a set result reloads identically.
 */
#pragma once

/* The child in namespace uri, with that namespace removed from it (what
 * libvirt returns: "<foo bar='1'/>" for "<app:foo xmlns:app='uri' .../>").
 * metadata may be NULL.  Returns 0 and *ret_xml, 1 when there is no such
 * child, -1 with sv_error set. */
int sv_domain_metadata_get(const char *metadata, const char *uri, char **ret_xml);

/* Replace the child in namespace uri by xml (a single element, put into
 * namespace uri with prefix key), or just remove it when xml is NULL.
 * Returns 0 and the new text in *ret_metadata (malloc'd, "" when no child
 * remains), -1 with sv_error set (bad XML, bad key). */
int sv_domain_metadata_set(const char *metadata, const char *uri, const char *key,
                           const char *xml, char **ret_metadata);
