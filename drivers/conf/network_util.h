/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Array helpers for the network and nwfilter parsers.  A 10 MiB document
 * can hold hundreds of thousands of repeated elements, so growth is
 * geometric and duplicate checks sort instead of comparing every pair.
 */
#pragma once

#include <libxml/tree.h>
#include <stddef.h>
#include <sys/types.h>

/* Make room for element n (0-based) of an array that grows by doubling:
 * reallocates when n is 0 or a power of two, otherwise returns p. */
void *sv_netconf_grow(void *p, size_t n, size_t size);
#define SV_NETCONF_APPEND(arr, n) ((arr) = sv_netconf_grow((arr), (n), sizeof(*(arr))), &(arr)[(n)++])

/* Index of the first element (in array order) that compares equal under
 * cmp to an earlier one, or -1 when all are distinct.  O(n log n). */
ssize_t sv_netconf_first_duplicate(const void *base, size_t n, size_t size,
                                   int (*cmp)(const void *, const void *));

/* Read a <uuid> element into uuid, or generate a random one when u is
 * NULL (libvirt's default).  Returns -1 with sv_error set on a bad UUID. */
int sv_netconf_parse_uuid(xmlNode *u, unsigned char *uuid);
