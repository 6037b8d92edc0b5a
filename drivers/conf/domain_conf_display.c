/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain <graphics>, <video> and <input>: parse, free, format. */
#include <arpa/inet.h>
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

#define SV_VNC_PORT_MIN 5900
#define SV_VIDEO_HEADS_MAX 16

/* ---- graphics --------------------------------------------------------- */

static int check_listen_address(xmlNode *n, const char *addr)
{
    unsigned char buf[16];
    size_t l = strlen(addr);

    if (inet_pton(AF_INET, addr, buf) == 1 || inet_pton(AF_INET6, addr, buf) == 1)
        return 0;
    /* otherwise a host name */
    if (l == 0 || l > 253 || strspn(addr, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != l ||
        addr[0] == '-' || addr[0] == '.')
        return sv_xml_error(n, "invalid listen address '%s'", addr);
    return 0;
}

static int parse_port(xmlNode *n, const char *name, int min, int *ret, bool *ret_auto)
{
    _cleanup_free_ char *s = sv_xml_prop(n, name);
    int v;

    *ret = 0;
    *ret_auto = false;
    if (!s)
        return 0;
    if (sv_xml_prop_int(n, name, 0, &v) < 0)
        return -1;
    if (v == -1) {
        /* libvirt's legacy spelling of autoport */
        *ret_auto = true;
        return 0;
    }
    if (v < min || v > 65535)
        return sv_xml_error(n, "attribute '%s' must be -1 or between %d and 65535, got %d", name, min, v);
    *ret = v;
    return 0;
}

static int parse_listen(sv_domain_graphics_def *g, xmlNode *dev)
{
    static const char *const attrs[] = {"type", "address", NULL};
    _cleanup_free_ char *attr_addr = sv_xml_prop(dev, "listen");
    xmlNode *n = sv_xml_child(dev, "listen");

    if (attr_addr && check_listen_address(dev, attr_addr) < 0)
        return -1;
    g->has_listen = true;
    g->listen_type = SV_DOMAIN_LISTEN_ADDRESS;
    if (n) {
        _cleanup_free_ char *type = NULL;
        int v;

        if (sv_xml_count_children(dev, "listen") > 1)
            return sv_xml_unsupported(sv_xml_next_element(n), "only one <listen> is supported");
        if (sv_domain_check(n, attrs, NULL) < 0 || sv_xml_prop_required(n, "type", &type) < 0 ||
            sv_xml_prop_enum(n, "type", sv_domain_listen_type_names, 0, &v) < 0)
            return -1;
        g->listen_type = v;
        g->listen_address = sv_xml_prop(n, "address");
        if (g->listen_type == SV_DOMAIN_LISTEN_NONE && g->listen_address)
            return sv_xml_error(n, "listen type 'none' takes no address");
        if (g->listen_address && check_listen_address(n, g->listen_address) < 0)
            return -1;
        if (attr_addr && g->listen_type != SV_DOMAIN_LISTEN_ADDRESS)
            return sv_xml_error(dev, "attribute 'listen' requires a <listen type='address'>");
        /* the attribute is the old spelling of the first address listen */
        if (attr_addr && g->listen_address && strcmp(attr_addr, g->listen_address) != 0)
            return sv_xml_error(dev, "attribute 'listen' ('%s') must match the address of <listen> ('%s')",
                                attr_addr, g->listen_address);
    }
    if (attr_addr && !g->listen_address) {
        g->listen_address = attr_addr;
        attr_addr = NULL;
    }
    return 0;
}

int sv_domain_graphics_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const vnc_attrs[] = {"type", "port", "autoport", "listen", "keymap", NULL};
    static const char *const spice_attrs[] = {"type", "port", "tlsPort", "autoport", "listen", "keymap", NULL};
    static const char *const children[] = {"listen", NULL};
    _cleanup_free_ char *type = NULL;
    sv_domain_graphics_def *g;
    bool port_auto, tls_auto;
    int v, autoport;

    if (def->ngraphics == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many graphics devices (limit %d)", SV_DOMAIN_MAX_DEVICES);
    g = sv_malloc0(sizeof(*g));
    SV_DOMAIN_APPEND(def->graphics, def->ngraphics, g);
    if (sv_xml_prop_required(dev, "type", &type) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_graphics_type_names, 0, &v) < 0)
        return -1;
    g->type = v;
    if (sv_xml_check_attrs(dev, g->type == SV_DOMAIN_GRAPHICS_VNC ? vnc_attrs : spice_attrs) < 0 ||
        sv_xml_check_children(dev, children, NULL) < 0)
        return -1;
    if (parse_port(dev, "port", g->type == SV_DOMAIN_GRAPHICS_VNC ? SV_VNC_PORT_MIN : 1, &g->port, &port_auto) < 0 ||
        parse_port(dev, "tlsPort", 1, &g->tls_port, &tls_auto) < 0 ||
        sv_xml_prop_yesno(dev, "autoport", &autoport) < 0)
        return -1;
    if (autoport != SV_TRISTATE_ABSENT)
        g->autoport = autoport == SV_TRISTATE_YES;
    else if (g->type == SV_DOMAIN_GRAPHICS_VNC)
        g->autoport = port_auto || !g->port;
    else
        g->autoport = !g->port && !g->tls_port;
    /* An automatically chosen port belongs to a running domain only. */
    if (g->autoport && (flags & SV_DOMAIN_XML_INACTIVE))
        g->port = g->tls_port = 0;
    g->keymap = sv_xml_prop(dev, "keymap");
    if (g->keymap && (!*g->keymap || strspn(g->keymap, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
                                         strlen(g->keymap)))
        return sv_xml_error(dev, "invalid keymap '%s'", g->keymap);
    if (parse_listen(g, dev) < 0)
        return -1;
    for (size_t i = 0; i + 1 < def->ngraphics; i++)
        if (def->graphics[i]->type == g->type)
            return sv_xml_unsupported(dev, "only one <graphics type='%s'> is supported", type);
    return 0;
}

void sv_domain_graphics_def_free(sv_domain_graphics_def *g)
{
    if (!g)
        return;
    free(g->keymap);
    free(g->listen_address);
    free(g);
}

void sv_domain_graphics_def_format(sv_buf *b, const sv_domain_graphics_def *g, unsigned flags)
{
    bool live = !(flags & SV_DOMAIN_XML_INACTIVE);

    sv_buf_iprintf(b, "<graphics type='%s'", sv_domain_graphics_type_names[g->type]);
    if (g->type == SV_DOMAIN_GRAPHICS_VNC) {
        if (g->port && (!g->autoport || live))
            sv_buf_printf(b, " port='%d'", g->port);
        else if (g->autoport)
            sv_buf_add(b, " port='-1'");
    } else {
        if (g->port && (!g->autoport || live))
            sv_buf_printf(b, " port='%d'", g->port);
        if (g->tls_port && (!g->autoport || live))
            sv_buf_printf(b, " tlsPort='%d'", g->tls_port);
    }
    sv_buf_printf(b, " autoport='%s'", g->autoport ? "yes" : "no");
    if (g->listen_type == SV_DOMAIN_LISTEN_ADDRESS)
        sv_buf_attr(b, "listen", g->listen_address);
    sv_buf_attr(b, "keymap", g->keymap);
    if (!g->has_listen) {
        sv_buf_add(b, "/>\n");
        return;
    }
    sv_buf_add(b, ">\n");
    b->indent += 2;
    sv_buf_iprintf(b, "<listen type='%s'", sv_domain_listen_type_names[g->listen_type]);
    sv_buf_attr(b, "address", g->listen_address);
    sv_buf_add(b, "/>\n");
    b->indent -= 2;
    sv_buf_iprintf(b, "</graphics>\n");
}

/* ---- video ------------------------------------------------------------ */

/* libvirt's QEMU defaults for video RAM, KiB */
static void video_defaults(sv_domain_video_def *v, bool has_vram)
{
    switch (v->model) {
    case SV_DOMAIN_VIDEO_VGA:
    case SV_DOMAIN_VIDEO_CIRRUS:
    case SV_DOMAIN_VIDEO_VMVGA:
    case SV_DOMAIN_VIDEO_BOCHS:
        if (!has_vram)
            v->vram = 16384;
        break;
    case SV_DOMAIN_VIDEO_QXL:
        if (!has_vram)
            v->vram = 65536;
        if (!v->ram)
            v->ram = 65536;
        if (!v->vgamem)
            v->vgamem = 16384;
        break;
    case SV_DOMAIN_VIDEO_VIRTIO:
    case SV_DOMAIN_VIDEO_RAMFB:
    case SV_DOMAIN_VIDEO_NONE:
        break;
    }
    if (!v->heads && v->model != SV_DOMAIN_VIDEO_NONE)
        v->heads = 1;
}

static int parse_video_model(sv_domain_video_def *v, xmlNode *n)
{
    static const char *const attrs[] = {"type", "vram", "ram", "vgamem", "heads", "primary", NULL};
    _cleanup_free_ char *vram = NULL;
    int t, primary;

    if (sv_domain_check(n, attrs, NULL) < 0 ||
        sv_xml_prop_enum(n, "type", sv_domain_video_model_names, SV_DOMAIN_VIDEO_VGA, &t) < 0)
        return -1;
    v->model = t;
    vram = sv_xml_prop(n, "vram");
    if (sv_xml_prop_u32(n, "vram", 0, &v->vram) < 0 || sv_xml_prop_u32(n, "ram", 0, &v->ram) < 0 ||
        sv_xml_prop_u32(n, "vgamem", 0, &v->vgamem) < 0 || sv_xml_prop_u32(n, "heads", 0, &v->heads) < 0 ||
        sv_xml_prop_yesno(n, "primary", &primary) < 0)
        return -1;
    v->primary = primary == SV_TRISTATE_YES;
    if ((v->ram || v->vgamem) && v->model != SV_DOMAIN_VIDEO_QXL)
        return sv_xml_unsupported(n, "attributes 'ram' and 'vgamem' are only supported for model qxl");
    if (vram && (v->model == SV_DOMAIN_VIDEO_VIRTIO || v->model == SV_DOMAIN_VIDEO_RAMFB ||
                 v->model == SV_DOMAIN_VIDEO_NONE))
        return sv_xml_unsupported(n, "attribute 'vram' is not supported for model '%s'",
                                  sv_domain_video_model_names[v->model]);
    if (v->vram > 1024 * 1024 || v->ram > 1024 * 1024 || v->vgamem > 1024 * 1024)
        return sv_xml_error(n, "video memory sizes are limited to 1048576 KiB");
    if (v->heads > SV_VIDEO_HEADS_MAX || (v->model == SV_DOMAIN_VIDEO_NONE && v->heads))
        return sv_xml_error(n, "invalid heads count %u", v->heads);
    video_defaults(v, vram != NULL);
    return 0;
}

int sv_domain_video_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const children[] = {"model", "alias", "address", NULL};
    sv_domain_video_def *v;
    xmlNode *n;

    if (def->nvideos == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many video devices (limit %d)", SV_DOMAIN_MAX_DEVICES);
    v = sv_malloc0(sizeof(*v));
    SV_DOMAIN_APPEND(def->videos, def->nvideos, v);
    if (sv_domain_check(dev, NULL, children) < 0)
        return -1;
    if ((n = sv_xml_child(dev, "model"))) {
        if (parse_video_model(v, n) < 0)
            return -1;
    } else {
        v->model = SV_DOMAIN_VIDEO_VGA;
        video_defaults(v, false);
    }
    return sv_domain_info_parse(dev, &v->info, false, flags);
}

void sv_domain_video_def_free(sv_domain_video_def *v)
{
    if (!v)
        return;
    sv_domain_info_clear(&v->info);
    free(v);
}

void sv_domain_video_def_format(sv_buf *b, const sv_domain_video_def *v, unsigned flags)
{
    sv_buf_iprintf(b, "<video>\n");
    b->indent += 2;
    sv_buf_iprintf(b, "<model type='%s'", sv_domain_video_model_names[v->model]);
    if (v->ram)
        sv_buf_printf(b, " ram='%u'", v->ram);
    if (v->vram)
        sv_buf_printf(b, " vram='%u'", v->vram);
    if (v->vgamem)
        sv_buf_printf(b, " vgamem='%u'", v->vgamem);
    if (v->heads)
        sv_buf_printf(b, " heads='%u'", v->heads);
    if (v->primary)
        sv_buf_add(b, " primary='yes'");
    sv_buf_add(b, "/>\n");
    sv_domain_device_end(b, "video", true, &v->info, flags);
}

/* ---- input ------------------------------------------------------------ */

int sv_domain_input_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"type", "bus", NULL};
    static const char *const children[] = {"alias", "address", NULL};
    _cleanup_free_ char *type = NULL;
    sv_domain_input_def *in;
    int v;

    if (def->ninputs == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many input devices (limit %d)", SV_DOMAIN_MAX_DEVICES);
    in = sv_malloc0(sizeof(*in));
    SV_DOMAIN_APPEND(def->inputs, def->ninputs, in);
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "type", &type) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_input_type_names, 0, &v) < 0)
        return -1;
    in->type = v;
    if (sv_xml_prop_enum(dev, "bus", sv_domain_input_bus_names,
                         in->type == SV_DOMAIN_INPUT_TABLET ? SV_DOMAIN_INPUT_BUS_USB : SV_DOMAIN_INPUT_BUS_PS2,
                         &v) < 0)
        return -1;
    in->bus = v;
    if (in->type == SV_DOMAIN_INPUT_TABLET && in->bus == SV_DOMAIN_INPUT_BUS_PS2)
        return sv_xml_unsupported(dev, "a tablet cannot use bus 'ps2'");
    return sv_domain_info_parse(dev, &in->info, false, flags);
}

void sv_domain_input_def_free(sv_domain_input_def *in)
{
    if (!in)
        return;
    sv_domain_info_clear(&in->info);
    free(in);
}

void sv_domain_input_def_format(sv_buf *b, const sv_domain_input_def *in, unsigned flags)
{
    sv_buf_iprintf(b, "<input type='%s' bus='%s'", sv_domain_input_type_names[in->type],
                   sv_domain_input_bus_names[in->bus]);
    sv_domain_device_end(b, "input", false, &in->info, flags);
}
