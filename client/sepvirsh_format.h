/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pure formatting used by sepvirsh: virsh's tables and enum strings. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <sepvirt/sepvirt.h>

/* virsh's words for states, reasons and events (untranslated). */
const char *sh_domain_state_str(int state);
const char *sh_domain_reason_str(int state, int reason);
const char *sh_domain_event_str(int event);
const char *sh_domain_event_detail_str(int event, int detail);
const char *sh_network_event_str(int event);

/* Domain event names as `virsh event --list` prints them, indexed by ID. */
extern const char *const sh_domain_event_names[];
extern const size_t sh_domain_event_count;

/* "major.minor.micro" from libvirt's version encoding, into buf[32]. */
void sh_version_str(unsigned long v, char buf[32]);

/* The nodeinfo block, malloc'ed. */
char *sh_format_nodeinfo(const sepvirt_node_info *info);

/* A table printed like virsh's vshTable: cells separated by padding, a
 * dashed rule under the header; widths count display columns. */
typedef struct sh_table sh_table;
sh_table *sh_table_new(const char *first, ...) __attribute__((sentinel));
/* Same number of cells as the header, NULL-terminated. */
void sh_table_add(sh_table *t, const char *first, ...) __attribute__((sentinel));
void sh_table_addv(sh_table *t, const char *const *cells, size_t n);
/* Rendered table (malloc'ed); without header when header is false. */
char *sh_table_format(const sh_table *t, bool header);
void sh_table_free(sh_table *t);
