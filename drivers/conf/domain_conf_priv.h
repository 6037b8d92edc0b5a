/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal interfaces between the domain_conf*.c files. */
#pragma once

#include <libxml/tree.h>

#include "domain_conf.h"
#include "sv_buf.h"
#include "xml_util.h"

/* Append item to a pointer array (arr, n), growing it. */
#define SV_DOMAIN_APPEND(arr, n, item) \
    do { \
        (arr) = sv_realloc((arr), ((n) + 1) * sizeof(*(arr))); \
        (arr)[(n)++] = (item); \
    } while (0)

/* Refuse attributes/children beyond the allowed lists (NULL-terminated). */
int sv_domain_check(xmlNode *n, const char *const *attrs, const char *const *children);
/* The element must carry no attributes and no element children. */
int sv_domain_check_leaf(xmlNode *n);
/* Text of a required, non-empty element. */
int sv_domain_text_required(xmlNode *n, char **ret);
/* An absolute path attribute (required when `required`). */
int sv_domain_prop_path(xmlNode *n, const char *name, bool required, char **ret);

/* Device info from the children of dev: <alias>, <boot> (only when
 * allow_boot; the caller's child allowlist must admit it), <address>. */
int sv_domain_info_parse(xmlNode *dev, sv_domain_device_info *info, bool allow_boot, unsigned flags);
void sv_domain_info_clear(sv_domain_device_info *info);
/* Refuse a <boot order> of dev that another device uses or that meets
 * <os><boot dev>; info must already be in def. */
int sv_domain_boot_order_check(const sv_domain_def *def, xmlNode *dev, const sv_domain_device_info *info);
/* Whether sv_domain_info_format would write anything. */
bool sv_domain_info_has_output(const sv_domain_device_info *info, unsigned flags);
/* Finish a device element: when `open` (its start tag was closed with ">"
 * and b->indent raised by 2) write the info children and the end tag;
 * otherwise write "/>" or, when info has output, ">", info and end tag. */
void sv_domain_device_end(sv_buf *b, const char *name, bool open, const sv_domain_device_info *info,
                          unsigned flags);

/* Device parsers: dev is the device element; results are appended to def. */
int sv_domain_disk_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_controller_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_net_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_chr_parse(sv_domain_def *def, xmlNode *dev, sv_domain_chr_device kind, unsigned flags);
int sv_domain_graphics_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_video_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_input_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_rng_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_memballoon_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);
int sv_domain_watchdog_parse(sv_domain_def *def, xmlNode *dev, unsigned flags);

/* Copy the source part (type, path, append, mode) of a character device. */
void sv_domain_chr_copy_source(sv_domain_chr_def *dst, const sv_domain_chr_def *src);

/* Defaults and whole-domain checks, run after parsing. */
int sv_domain_def_postparse(sv_domain_def *def, xmlNode *root);

/* Free functions (NULL-safe). */
void sv_domain_disk_def_free(sv_domain_disk_def *d);
void sv_domain_controller_def_free(sv_domain_controller_def *c);
void sv_domain_net_def_free(sv_domain_net_def *n);
void sv_domain_chr_def_free(sv_domain_chr_def *c);
void sv_domain_graphics_def_free(sv_domain_graphics_def *g);
void sv_domain_video_def_free(sv_domain_video_def *v);
void sv_domain_input_def_free(sv_domain_input_def *i);
void sv_domain_rng_def_free(sv_domain_rng_def *r);
void sv_domain_memballoon_def_free(sv_domain_memballoon_def *m);
void sv_domain_watchdog_def_free(sv_domain_watchdog_def *w);

/* Device formatters (indent is taken from b->indent). */
void sv_domain_info_format(sv_buf *b, const sv_domain_device_info *info, unsigned flags);
void sv_domain_disk_def_format(sv_buf *b, const sv_domain_disk_def *d, unsigned flags);
void sv_domain_controller_def_format(sv_buf *b, const sv_domain_controller_def *c, unsigned flags);
void sv_domain_net_def_format(sv_buf *b, const sv_domain_net_def *n, unsigned flags);
void sv_domain_chr_def_format(sv_buf *b, const sv_domain_chr_def *c, unsigned flags);
void sv_domain_graphics_def_format(sv_buf *b, const sv_domain_graphics_def *g, unsigned flags);
void sv_domain_video_def_format(sv_buf *b, const sv_domain_video_def *v, unsigned flags);
void sv_domain_input_def_format(sv_buf *b, const sv_domain_input_def *i, unsigned flags);
void sv_domain_rng_def_format(sv_buf *b, const sv_domain_rng_def *r, unsigned flags);
void sv_domain_memballoon_def_format(sv_buf *b, const sv_domain_memballoon_def *m, unsigned flags);
void sv_domain_watchdog_def_format(sv_buf *b, const sv_domain_watchdog_def *w, unsigned flags);
