/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain character devices: <serial>, <console>, <channel>: parse, free,
 * format.  The serial/console pairing libvirt does is in
 * domain_conf_post.c.
 */
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

#define SV_CHR_PORT_MAX 255

static const char *const chr_element[] = {"serial", "console", "channel"};

static int parse_source(sv_domain_chr_def *chr, xmlNode *dev, xmlNode *n, unsigned flags)
{
    static const char *const pty_attrs[] = {"path", NULL};
    static const char *const file_attrs[] = {"path", "append", NULL};
    static const char *const unix_attrs[] = {"mode", "path", NULL};
    int v;

    switch (chr->type) {
    case SV_DOMAIN_CHR_PTY:
        if (!n)
            return 0;
        if (sv_domain_check(n, pty_attrs, NULL) < 0 || sv_domain_prop_path(n, "path", false, &chr->path) < 0)
            return -1;
        /* the pts path is assigned when the domain runs */
        if (flags & SV_DOMAIN_XML_INACTIVE) {
            free(chr->path);
            chr->path = NULL;
        }
        return 0;
    case SV_DOMAIN_CHR_FILE:
        if (!n)
            return sv_xml_error(dev, "missing required element <source path='...'>");
        if (sv_domain_check(n, file_attrs, NULL) < 0 || sv_domain_prop_path(n, "path", true, &chr->path) < 0 ||
            sv_xml_prop_onoff(n, "append", &chr->append) < 0)
            return -1;
        return 0;
    case SV_DOMAIN_CHR_UNIX:
        /* Without a path the driver creates a listening socket itself. */
        chr->mode = SV_DOMAIN_CHR_BIND;
        if (!n)
            return 0;
        if (sv_domain_check(n, unix_attrs, NULL) < 0 || sv_domain_prop_path(n, "path", false, &chr->path) < 0 ||
            sv_xml_prop_enum(n, "mode", sv_domain_chr_unix_mode_names,
                             chr->path ? SV_DOMAIN_CHR_CONNECT : SV_DOMAIN_CHR_BIND, &v) < 0)
            return -1;
        chr->mode = v;
        if (!chr->path && chr->mode == SV_DOMAIN_CHR_CONNECT)
            return sv_xml_error(n, "mode='connect' requires attribute 'path'");
        return 0;
    }
    return 0;
}

static int parse_port(sv_domain_chr_def *chr, xmlNode *n)
{
    _cleanup_free_ char *port = sv_xml_prop(n, "port");
    uint32_t v;

    chr->target_port = -1;
    if (!port)
        return 0;
    if (sv_xml_prop_u32(n, "port", 0, &v) < 0)
        return -1;
    if (v > SV_CHR_PORT_MAX)
        return sv_xml_error(n, "target port %u is out of range (0-%d)", v, SV_CHR_PORT_MAX);
    chr->target_port = (int)v;
    return 0;
}

static int parse_serial_target(sv_domain_chr_def *chr, xmlNode *n)
{
    static const char *const attrs[] = {"type", "port", NULL};
    static const char *const children[] = {"model", NULL};
    static const char *const model_attrs[] = {"name", NULL};
    xmlNode *m;
    int type = -1, model = -1;

    chr->target_type = -1;
    chr->target_port = -1;
    if (!n)
        return 0;
    if (sv_domain_check(n, attrs, children) < 0 || parse_port(chr, n) < 0 ||
        sv_xml_prop_enum(n, "type", sv_domain_serial_target_names, -1, &type) < 0)
        return -1;
    if ((m = sv_xml_child(n, "model"))) {
        _cleanup_free_ char *name = NULL;

        if (sv_domain_check(m, model_attrs, NULL) < 0 || sv_xml_prop_required(m, "name", &name) < 0 ||
            sv_xml_prop_enum(m, "name", sv_domain_serial_model_names, 0, &model) < 0)
            return -1;
    }
    /* Each supported target type has exactly one device model. */
    if (type >= 0 && model >= 0 && type != model)
        return sv_xml_error(n, "serial target type '%s' does not match model '%s'",
                            sv_domain_serial_target_names[type], sv_domain_serial_model_names[model]);
    chr->target_type = type >= 0 ? type : model;
    return 0;
}

static int parse_target(sv_domain_chr_def *chr, xmlNode *dev, xmlNode *n)
{
    static const char *const console_attrs[] = {"type", "port", NULL};
    static const char *const channel_attrs[] = {"type", "name", "state", NULL};
    static const char *const channel_types[] = {"virtio", NULL};
    int v;

    switch (chr->device) {
    case SV_DOMAIN_CHR_SERIAL:
        return parse_serial_target(chr, n);
    case SV_DOMAIN_CHR_CONSOLE:
        chr->target_port = -1;
        if (!n)
            return 0;
        if (sv_domain_check(n, console_attrs, NULL) < 0 || parse_port(chr, n) < 0 ||
            sv_xml_prop_enum(n, "type", sv_domain_console_target_names, SV_DOMAIN_CONSOLE_TARGET_SERIAL, &v) < 0)
            return -1;
        chr->target_type = v;
        return 0;
    case SV_DOMAIN_CHR_CHANNEL:
        if (!n)
            return sv_xml_error(dev, "missing required element <target>");
        {
            _cleanup_free_ char *type = NULL;

            if (sv_domain_check(n, channel_attrs, NULL) < 0 || sv_xml_prop_required(n, "type", &type) < 0 ||
                sv_xml_prop_enum(n, "type", channel_types, 0, &v) < 0)
                return -1;
        }
        chr->target_type = v;
        chr->target_port = -1;
        chr->target_name = sv_xml_prop(n, "name");
        if (chr->target_name) {
            size_t l = strlen(chr->target_name);

            if (l == 0 || l > 255 ||
                strspn(chr->target_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != l)
                return sv_xml_error(n, "invalid channel name '%s'", chr->target_name);
        }
        return 0;
    }
    return 0;
}

int sv_domain_chr_parse(sv_domain_def *def, xmlNode *dev, sv_domain_chr_device kind, unsigned flags)
{
    static const char *const attrs[] = {"type", "tty", NULL};
    static const char *const children[] = {"source", "target", "alias", "address", NULL};
    sv_domain_chr_def ***arr = kind == SV_DOMAIN_CHR_SERIAL    ? &def->serials
                               : kind == SV_DOMAIN_CHR_CONSOLE ? &def->consoles
                                                               : &def->channels;
    size_t *n = kind == SV_DOMAIN_CHR_SERIAL ? &def->nserials : kind == SV_DOMAIN_CHR_CONSOLE ? &def->nconsoles
                                                                                              : &def->nchannels;
    sv_domain_chr_def *chr;
    int v;

    if (*n == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many <%s> devices (limit %d)", chr_element[kind], SV_DOMAIN_MAX_DEVICES);
    chr = sv_malloc0(sizeof(*chr));
    SV_DOMAIN_APPEND(*arr, *n, chr);
    chr->device = kind;
    /* `tty` is output only (it mirrors the pty path), ignored as libvirt does. */
    if (sv_domain_check(dev, attrs, children) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_chr_type_names, SV_DOMAIN_CHR_PTY, &v) < 0)
        return -1;
    chr->type = v;
    if (parse_source(chr, dev, sv_xml_child(dev, "source"), flags) < 0 ||
        parse_target(chr, dev, sv_xml_child(dev, "target")) < 0)
        return -1;
    if (kind == SV_DOMAIN_CHR_CHANNEL && chr->type == SV_DOMAIN_CHR_FILE)
        return sv_xml_unsupported(dev, "channel type 'file' is not supported (expected unix or pty)");
    return sv_domain_info_parse(dev, &chr->info, false, flags);
}

void sv_domain_chr_copy_source(sv_domain_chr_def *dst, const sv_domain_chr_def *src)
{
    dst->type = src->type;
    free(dst->path);
    dst->path = sv_strdup(src->path);
    dst->append = src->append;
    dst->mode = src->mode;
}

void sv_domain_chr_def_free(sv_domain_chr_def *chr)
{
    if (!chr)
        return;
    free(chr->path);
    free(chr->target_name);
    sv_domain_info_clear(&chr->info);
    free(chr);
}

static void format_source(sv_buf *b, const sv_domain_chr_def *chr, unsigned flags)
{
    switch (chr->type) {
    case SV_DOMAIN_CHR_PTY:
        if (chr->path && !(flags & SV_DOMAIN_XML_INACTIVE)) {
            sv_buf_iprintf(b, "<source");
            sv_buf_attr(b, "path", chr->path);
            sv_buf_add(b, "/>\n");
        }
        break;
    case SV_DOMAIN_CHR_FILE:
        sv_buf_iprintf(b, "<source");
        sv_buf_attr(b, "path", chr->path);
        if (chr->append)
            sv_buf_printf(b, " append='%s'", sv_tristate_onoff(chr->append));
        sv_buf_add(b, "/>\n");
        break;
    case SV_DOMAIN_CHR_UNIX:
        if (chr->path) {
            sv_buf_iprintf(b, "<source mode='%s'", sv_domain_chr_unix_mode_names[chr->mode]);
            sv_buf_attr(b, "path", chr->path);
            sv_buf_add(b, "/>\n");
        }
        break;
    }
}

void sv_domain_chr_def_format(sv_buf *b, const sv_domain_chr_def *chr, unsigned flags)
{
    const char *elem = chr_element[chr->device];

    sv_buf_iprintf(b, "<%s type='%s'", elem, sv_domain_chr_type_names[chr->type]);
    if (chr->type == SV_DOMAIN_CHR_PTY && chr->path && chr->device != SV_DOMAIN_CHR_CHANNEL &&
        !(flags & SV_DOMAIN_XML_INACTIVE))
        sv_buf_attr(b, "tty", chr->path);
    sv_buf_add(b, ">\n");
    b->indent += 2;
    format_source(b, chr, flags);
    switch (chr->device) {
    case SV_DOMAIN_CHR_SERIAL:
        sv_buf_iprintf(b, "<target type='%s' port='%d'>\n", sv_domain_serial_target_names[chr->target_type],
                       chr->target_port);
        sv_buf_iprintf(b, "  <model name='%s'/>\n", sv_domain_serial_model_names[chr->target_type]);
        sv_buf_iprintf(b, "</target>\n");
        break;
    case SV_DOMAIN_CHR_CONSOLE:
        sv_buf_iprintf(b, "<target type='%s' port='%d'/>\n", sv_domain_console_target_names[chr->target_type],
                       chr->target_port);
        break;
    case SV_DOMAIN_CHR_CHANNEL:
        sv_buf_iprintf(b, "<target type='virtio'");
        sv_buf_attr(b, "name", chr->target_name);
        sv_buf_add(b, "/>\n");
        break;
    }
    sv_domain_device_end(b, elem, true, &chr->info, flags);
}
