/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain devices: the common device info (<boot>, <alias>, <address>),
 * <disk>, <controller>, <rng>, <memballoon> and <watchdog>: parse, free,
 * format.
 */
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

#define ADDR_ATTRS_MAX 8

/* ---- device info ------------------------------------------------------ */

static bool alias_is_user(const char *alias)
{
    return alias && strncmp(alias, "ua-", 3) == 0;
}

static int parse_address(xmlNode *n, sv_domain_address *addr)
{
    static const char *const pci[] = {"type", "domain", "bus", "slot", "function", "multifunction", NULL};
    static const char *const drive[] = {"type", "controller", "bus", "target", "unit", NULL};
    static const char *const vser[] = {"type", "controller", "bus", "port", NULL};
    static const char *const usb[] = {"type", "bus", "port", NULL};
    _cleanup_free_ char *type = NULL;
    int v;

    if (sv_xml_prop_required(n, "type", &type) < 0 ||
        sv_xml_prop_enum(n, "type", sv_domain_addr_type_names, 0, &v) < 0)
        return -1;
    addr->type = v;
    switch (addr->type) {
    case SV_DOMAIN_ADDR_PCI:
        if (sv_domain_check(n, pci, NULL) < 0 || sv_xml_prop_u32(n, "domain", 0, &addr->domain) < 0 ||
            sv_xml_prop_u32(n, "bus", 0, &addr->bus) < 0 || sv_xml_prop_u32(n, "slot", 0, &addr->slot) < 0 ||
            sv_xml_prop_u32(n, "function", 0, &addr->function) < 0 ||
            sv_xml_prop_onoff(n, "multifunction", &addr->multifunction) < 0)
            return -1;
        if (addr->domain > 0xffff || addr->bus > 0xff || addr->slot > 0x1f || addr->function > 7)
            return sv_xml_error(n, "PCI address %x:%x:%x.%x is out of range (domain <= 0xffff, bus <= 0xff, "
                                "slot <= 0x1f, function <= 7)", addr->domain, addr->bus, addr->slot, addr->function);
        break;
    case SV_DOMAIN_ADDR_DRIVE:
        if (sv_domain_check(n, drive, NULL) < 0 || sv_xml_prop_u32(n, "controller", 0, &addr->controller) < 0 ||
            sv_xml_prop_u32(n, "bus", 0, &addr->bus) < 0 || sv_xml_prop_u32(n, "target", 0, &addr->target) < 0 ||
            sv_xml_prop_u32(n, "unit", 0, &addr->unit) < 0)
            return -1;
        break;
    case SV_DOMAIN_ADDR_VIRTIO_SERIAL:
        if (sv_domain_check(n, vser, NULL) < 0 || sv_xml_prop_u32(n, "controller", 0, &addr->controller) < 0 ||
            sv_xml_prop_u32(n, "bus", 0, &addr->bus) < 0 || sv_xml_prop_u32(n, "port", 0, &addr->port) < 0)
            return -1;
        break;
    case SV_DOMAIN_ADDR_USB:
        if (sv_domain_check(n, usb, NULL) < 0 || sv_xml_prop_u32(n, "bus", 0, &addr->bus) < 0)
            return -1;
        addr->usb_port = sv_xml_prop(n, "port");
        if (addr->usb_port) {
            const char *p = addr->usb_port;
            int parts = 0;

            /* 1 to 5 dot-separated port numbers, as libvirt accepts */
            while (*p) {
                if (*p < '0' || *p > '9' || ++parts > 5)
                    return sv_xml_error(n, "invalid USB port '%s'", addr->usb_port);
                while (*p >= '0' && *p <= '9')
                    p++;
                if (*p == '.' && p[1])
                    p++;
                else if (*p)
                    return sv_xml_error(n, "invalid USB port '%s'", addr->usb_port);
            }
        }
        break;
    case SV_DOMAIN_ADDR_NONE:
        break;
    }
    return 0;
}

int sv_domain_info_parse(xmlNode *dev, sv_domain_device_info *info, bool allow_boot, unsigned flags)
{
    static const char *const alias_attrs[] = {"name", NULL};
    static const char *const boot_attrs[] = {"order", NULL};
    xmlNode *n;

    if ((n = sv_xml_child(dev, "alias"))) {
        if (sv_domain_check(n, alias_attrs, NULL) < 0 || sv_xml_prop_required(n, "name", &info->alias) < 0)
            return -1;
        for (const char *p = info->alias; *p; p++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *p))
                return sv_xml_error(n, "invalid alias '%s'", info->alias);
        /* Driver-assigned aliases describe a running domain only. */
        if ((flags & SV_DOMAIN_XML_INACTIVE) && !alias_is_user(info->alias)) {
            free(info->alias);
            info->alias = NULL;
        }
    }
    if (allow_boot && (n = sv_xml_child(dev, "boot"))) {
        _cleanup_free_ char *order = NULL;

        if (sv_domain_check(n, boot_attrs, NULL) < 0 || sv_xml_prop_required(n, "order", &order) < 0 ||
            sv_xml_prop_u32(n, "order", 0, &info->boot_order) < 0)
            return -1;
        if (info->boot_order == 0)
            return sv_xml_error(n, "boot order must be greater than zero");
    }
    if ((n = sv_xml_child(dev, "address")) && parse_address(n, &info->addr) < 0)
        return -1;
    return 0;
}

int sv_domain_boot_order_check(const sv_domain_def *def, xmlNode *dev, const sv_domain_device_info *info)
{
    xmlNode *n = sv_xml_child(dev, "boot");
    unsigned order = info->boot_order;

    if (!order)
        return 0;
    if (def->os.nboot > 0)
        return sv_xml_error(n, "per-device <boot order> cannot be used together with <os><boot dev>");
    for (size_t i = 0; i < def->ndisks; i++)
        if (&def->disks[i]->info != info && def->disks[i]->info.boot_order == order)
            return sv_xml_error(n, "boot order %u is used by more than one device", order);
    for (size_t i = 0; i < def->nnets; i++)
        if (&def->nets[i]->info != info && def->nets[i]->info.boot_order == order)
            return sv_xml_error(n, "boot order %u is used by more than one device", order);
    return 0;
}

void sv_domain_info_clear(sv_domain_device_info *info)
{
    free(info->alias);
    free(info->addr.usb_port);
    memset(info, 0, sizeof(*info));
}

bool sv_domain_info_has_output(const sv_domain_device_info *info, unsigned flags)
{
    return info->boot_order || info->addr.type != SV_DOMAIN_ADDR_NONE ||
           (info->alias && (!(flags & SV_DOMAIN_XML_INACTIVE) || alias_is_user(info->alias)));
}

void sv_domain_info_format(sv_buf *b, const sv_domain_device_info *info, unsigned flags)
{
    const sv_domain_address *a = &info->addr;

    if (info->boot_order)
        sv_buf_iprintf(b, "<boot order='%u'/>\n", info->boot_order);
    if (info->alias && (!(flags & SV_DOMAIN_XML_INACTIVE) || alias_is_user(info->alias))) {
        sv_buf_iprintf(b, "<alias");
        sv_buf_attr(b, "name", info->alias);
        sv_buf_add(b, "/>\n");
    }
    switch (a->type) {
    case SV_DOMAIN_ADDR_PCI:
        sv_buf_iprintf(b, "<address type='pci' domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'",
                       a->domain, a->bus, a->slot, a->function);
        if (a->multifunction)
            sv_buf_printf(b, " multifunction='%s'", sv_tristate_onoff(a->multifunction));
        sv_buf_add(b, "/>\n");
        break;
    case SV_DOMAIN_ADDR_DRIVE:
        sv_buf_iprintf(b, "<address type='drive' controller='%u' bus='%u' target='%u' unit='%u'/>\n",
                       a->controller, a->bus, a->target, a->unit);
        break;
    case SV_DOMAIN_ADDR_VIRTIO_SERIAL:
        sv_buf_iprintf(b, "<address type='virtio-serial' controller='%u' bus='%u' port='%u'/>\n",
                       a->controller, a->bus, a->port);
        break;
    case SV_DOMAIN_ADDR_USB:
        sv_buf_iprintf(b, "<address type='usb' bus='%u'", a->bus);
        sv_buf_attr(b, "port", a->usb_port);
        sv_buf_add(b, "/>\n");
        break;
    case SV_DOMAIN_ADDR_NONE:
        break;
    }
}

/* Close a device element: "/>" when it has no children, else the children
 * from info plus the end tag.  `open` says whether children were already
 * written (then the start tag was closed with ">"). */
void sv_domain_device_end(sv_buf *b, const char *name, bool open, const sv_domain_device_info *info,
                          unsigned flags)
{
    if (!open && !sv_domain_info_has_output(info, flags)) {
        sv_buf_add(b, "/>\n");
        return;
    }
    if (!open) {
        sv_buf_add(b, ">\n");
        b->indent += 2;
    }
    sv_domain_info_format(b, info, flags);
    b->indent -= 2;
    sv_buf_iprintf(b, "</%s>\n", name);
}

/* ---- disk ------------------------------------------------------------- */

/* Bus implied by the target name, as libvirt derives it. */
static int disk_bus_from_dst(const char *dst, sv_domain_disk_bus *ret)
{
    static const struct {
        const char *prefix;
        sv_domain_disk_bus bus;
    } map[] = {{"hd", SV_DOMAIN_DISK_BUS_IDE}, {"sd", SV_DOMAIN_DISK_BUS_SCSI}, {"vd", SV_DOMAIN_DISK_BUS_VIRTIO}};

    for (size_t i = 0; i < SV_ARRAY_SIZE(map); i++) {
        size_t l = strlen(map[i].prefix), rest;

        if (strncmp(dst, map[i].prefix, l) != 0)
            continue;
        rest = strspn(dst + l, "abcdefghijklmnopqrstuvwxyz");
        if (rest == 0 || rest > 3 || dst[l + rest])
            return -1;
        *ret = map[i].bus;
        return 0;
    }
    return -1;
}

static int disk_parse_driver(sv_domain_disk_def *d, xmlNode *n)
{
    static const char *const attrs[] = {"name", "type", "cache", "io", "discard", NULL};
    int v;

    if (!n)
        return 0;
    if (sv_domain_check(n, attrs, NULL) < 0)
        return -1;
    d->driver_name = sv_xml_prop(n, "name");
    if (d->driver_name && strcmp(d->driver_name, "qemu") != 0)
        return sv_xml_unsupported(n, "unsupported disk driver name '%s' (expected qemu)", d->driver_name);
    if (sv_xml_prop_enum(n, "type", sv_domain_disk_format_names, SV_DOMAIN_DISK_FORMAT_RAW, &v) < 0)
        return -1;
    d->format = v;
    if (sv_xml_prop_enum(n, "cache", sv_domain_disk_cache_names, 0, &v) < 0)
        return -1;
    d->cache = v;
    if (sv_xml_prop_enum(n, "io", sv_domain_disk_io_names, 0, &v) < 0)
        return -1;
    d->io = v;
    if (sv_xml_prop_enum(n, "discard", sv_domain_disk_discard_names, 0, &v) < 0)
        return -1;
    d->discard = v;
    return 0;
}

static int disk_parse_target(sv_domain_disk_def *d, xmlNode *dev, xmlNode *n)
{
    static const char *const attrs[] = {"dev", "bus", NULL};
    sv_domain_disk_bus implied;
    int v;

    if (!n)
        return sv_xml_error(dev, "missing required element <target>");
    if (sv_domain_check(n, attrs, NULL) < 0 || sv_xml_prop_required(n, "dev", &d->dst) < 0)
        return -1;
    if (disk_bus_from_dst(d->dst, &implied) < 0)
        return sv_xml_error(n, "invalid disk target dev '%s' (expected hd, sd or vd followed by 1-3 letters)",
                            d->dst);
    if (sv_xml_prop_enum(n, "bus", sv_domain_disk_bus_names, (int)implied, &v) < 0)
        return -1;
    d->bus = v;
    return 0;
}

static int disk_parse_serial(sv_domain_disk_def *d, xmlNode *n)
{
    if (!n)
        return 0;
    if (sv_domain_check_leaf(n) < 0 || sv_domain_text_required(n, &d->serial) < 0)
        return -1;
    if (strspn(d->serial, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ .+-") != strlen(d->serial))
        return sv_xml_error(n, "disk serial '%s' contains invalid characters", d->serial);
    if (strlen(d->serial) > 36)
        return sv_xml_error(n, "disk serial '%s' is too long (limit 36 characters)", d->serial);
    return 0;
}

int sv_domain_disk_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"type", "device", NULL};
    static const char *const children[] = {
        "driver", "source", "target", "readonly", "shareable", "serial", "boot", "alias", "address", NULL};
    sv_domain_disk_def *d;
    xmlNode *n;
    int v;

    if (def->ndisks == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many disks (limit %d)", SV_DOMAIN_MAX_DEVICES);
    d = sv_malloc0(sizeof(*d));
    SV_DOMAIN_APPEND(def->disks, def->ndisks, d);
    if (sv_domain_check(dev, attrs, children) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_disk_type_names, SV_DOMAIN_DISK_FILE, &v) < 0)
        return -1;
    d->type = v;
    if (sv_xml_prop_enum(dev, "device", sv_domain_disk_device_names, SV_DOMAIN_DISK_DEVICE_DISK, &v) < 0)
        return -1;
    d->device = v;
    d->format = SV_DOMAIN_DISK_FORMAT_RAW;
    if (disk_parse_driver(d, sv_xml_child(dev, "driver")) < 0)
        return -1;
    if (!d->driver_name)
        d->driver_name = sv_strdup("qemu");

    if ((n = sv_xml_child(dev, "source"))) {
        const char *attr = d->type == SV_DOMAIN_DISK_FILE ? "file" : "dev";
        const char *const src_attrs[] = {attr, NULL};

        if (sv_domain_check(n, src_attrs, NULL) < 0 || sv_domain_prop_path(n, attr, false, &d->src) < 0)
            return -1;
    }
    if (!d->src && d->device == SV_DOMAIN_DISK_DEVICE_DISK)
        return sv_xml_error(dev, "a disk with device='disk' needs <source %s='...'>",
                            d->type == SV_DOMAIN_DISK_FILE ? "file" : "dev");
    if (disk_parse_target(d, dev, sv_xml_child(dev, "target")) < 0)
        return -1;
    for (size_t i = 0; i + 1 < def->ndisks; i++)
        if (strcmp(def->disks[i]->dst, d->dst) == 0)
            return sv_xml_error(sv_xml_child(dev, "target"), "disk target dev '%s' is used by more than one <disk>",
                                d->dst);
    if ((n = sv_xml_child(dev, "readonly")) && sv_domain_check_leaf(n) < 0)
        return -1;
    d->readonly = n != NULL;
    if ((n = sv_xml_child(dev, "shareable")) && sv_domain_check_leaf(n) < 0)
        return -1;
    d->shareable = n != NULL;
    if (disk_parse_serial(d, sv_xml_child(dev, "serial")) < 0)
        return -1;
    if (d->device == SV_DOMAIN_DISK_DEVICE_CDROM) {
        if (d->bus == SV_DOMAIN_DISK_BUS_VIRTIO)
            return sv_xml_unsupported(sv_xml_child(dev, "target"), "a cdrom cannot use bus 'virtio'");
        /* libvirt: a CD-ROM is always read-only */
        d->readonly = true;
    }
    if (sv_domain_info_parse(dev, &d->info, true, flags) < 0)
        return -1;
    return sv_domain_boot_order_check(def, dev, &d->info);
}

void sv_domain_disk_def_free(sv_domain_disk_def *d)
{
    if (!d)
        return;
    free(d->driver_name);
    free(d->src);
    free(d->dst);
    free(d->serial);
    sv_domain_info_clear(&d->info);
    free(d);
}

void sv_domain_disk_def_format(sv_buf *b, const sv_domain_disk_def *d, unsigned flags)
{
    sv_buf_iprintf(b, "<disk type='%s' device='%s'>\n", sv_domain_disk_type_names[d->type],
                   sv_domain_disk_device_names[d->device]);
    b->indent += 2;
    sv_buf_iprintf(b, "<driver");
    sv_buf_attr(b, "name", d->driver_name);
    sv_buf_printf(b, " type='%s'", sv_domain_disk_format_names[d->format]);
    if (d->cache)
        sv_buf_printf(b, " cache='%s'", sv_domain_disk_cache_names[d->cache]);
    if (d->io)
        sv_buf_printf(b, " io='%s'", sv_domain_disk_io_names[d->io]);
    if (d->discard)
        sv_buf_printf(b, " discard='%s'", sv_domain_disk_discard_names[d->discard]);
    sv_buf_add(b, "/>\n");
    if (d->src) {
        sv_buf_iprintf(b, "<source");
        sv_buf_attr(b, d->type == SV_DOMAIN_DISK_FILE ? "file" : "dev", d->src);
        sv_buf_add(b, "/>\n");
    }
    sv_buf_iprintf(b, "<target");
    sv_buf_attr(b, "dev", d->dst);
    sv_buf_printf(b, " bus='%s'/>\n", sv_domain_disk_bus_names[d->bus]);
    if (d->readonly)
        sv_buf_iprintf(b, "<readonly/>\n");
    if (d->shareable)
        sv_buf_iprintf(b, "<shareable/>\n");
    if (d->serial) {
        sv_buf_iprintf(b, "<serial>");
        sv_buf_escape_xml(b, d->serial);
        sv_buf_add(b, "</serial>\n");
    }
    sv_domain_device_end(b, "disk", true, &d->info, flags);
}

/* ---- controller ------------------------------------------------------- */

static const char *const *controller_models(sv_domain_controller_type type)
{
    static const char *const ide[] = {"piix3", "piix4", "ich6", NULL};
    static const char *const scsi[] = {
        "auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi", "ibmvscsi", "virtio-scsi", "lsisas1078",
        "virtio-transitional", "virtio-non-transitional", "ncr53c90", "am53c974", "dc390", NULL};
    static const char *const vser[] = {"virtio", "virtio-transitional", "virtio-non-transitional", NULL};
    static const char *const pci[] = {
        "pci-root", "pcie-root", "pci-bridge", "dmi-to-pci-bridge", "pcie-root-port",
        "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus",
        "pcie-expander-bus", "pcie-to-pci-bridge", NULL};
    static const char *const usb[] = {
        "piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3",
        "vt82c686b-uhci", "pci-ohci", "nec-xhci", "qusb1", "qusb2", "qemu-xhci", "none", NULL};
    static const char *const none[] = {NULL};

    switch (type) {
    case SV_DOMAIN_CONTROLLER_IDE:
        return ide;
    case SV_DOMAIN_CONTROLLER_SCSI:
        return scsi;
    case SV_DOMAIN_CONTROLLER_VIRTIO_SERIAL:
        return vser;
    case SV_DOMAIN_CONTROLLER_PCI:
        return pci;
    case SV_DOMAIN_CONTROLLER_USB:
        return usb;
    case SV_DOMAIN_CONTROLLER_FDC:
    case SV_DOMAIN_CONTROLLER_SATA:
        break;
    }
    return none;
}

int sv_domain_controller_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"type", "index", "model", "ports", "vectors", NULL};
    static const char *const children[] = {"alias", "address", NULL};
    _cleanup_free_ char *type = NULL, *index = NULL;
    sv_domain_controller_def *c;
    int v;

    if (def->ncontrollers == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many controllers (limit %d)", SV_DOMAIN_MAX_DEVICES);
    c = sv_malloc0(sizeof(*c));
    SV_DOMAIN_APPEND(def->controllers, def->ncontrollers, c);
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "type", &type) < 0 ||
        sv_xml_prop_enum(dev, "type", sv_domain_controller_type_names, 0, &v) < 0)
        return -1;
    c->type = v;
    index = sv_xml_prop(dev, "index");
    if (index) {
        if (sv_xml_prop_u32(dev, "index", 0, &c->index) < 0)
            return -1;
        if (c->index > 255)
            return sv_xml_error(dev, "controller index %u is out of range (0-255)", c->index);
    } else {
        c->index = UINT32_MAX;   /* assigned in post-parse */
    }
    c->model = sv_xml_prop(dev, "model");
    if (c->model) {
        const char *const *models = controller_models(c->type);
        bool ok = false;

        for (size_t i = 0; models[i]; i++)
            ok = ok || strcmp(models[i], c->model) == 0;
        if (!ok)
            return sv_xml_unsupported(dev, "unknown model '%s' for controller type '%s'", c->model, type);
    }
    if (sv_xml_prop_u32(dev, "ports", 0, &c->ports) < 0 || sv_xml_prop_u32(dev, "vectors", 0, &c->vectors) < 0)
        return -1;
    if ((c->ports || c->vectors) && c->type != SV_DOMAIN_CONTROLLER_VIRTIO_SERIAL)
        return sv_xml_unsupported(dev, "attributes 'ports' and 'vectors' are only supported for virtio-serial");
    if (c->ports > 31 || c->vectors > 1024)
        return sv_xml_error(dev, "ports (max 31) or vectors (max 1024) out of range");
    for (size_t i = 0; i + 1 < def->ncontrollers; i++)
        if (index && def->controllers[i]->type == c->type && def->controllers[i]->index == c->index)
            return sv_xml_error(dev, "more than one '%s' controller with index %u", type, c->index);
    return sv_domain_info_parse(dev, &c->info, false, flags);
}

void sv_domain_controller_def_free(sv_domain_controller_def *c)
{
    if (!c)
        return;
    free(c->model);
    sv_domain_info_clear(&c->info);
    free(c);
}

void sv_domain_controller_def_format(sv_buf *b, const sv_domain_controller_def *c, unsigned flags)
{
    sv_buf_iprintf(b, "<controller type='%s' index='%u'", sv_domain_controller_type_names[c->type], c->index);
    sv_buf_attr(b, "model", c->model);
    if (c->ports)
        sv_buf_printf(b, " ports='%u'", c->ports);
    if (c->vectors)
        sv_buf_printf(b, " vectors='%u'", c->vectors);
    sv_domain_device_end(b, "controller", false, &c->info, flags);
}

/* ---- rng -------------------------------------------------------------- */

int sv_domain_rng_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"model", NULL};
    static const char *const children[] = {"backend", "rate", "alias", "address", NULL};
    static const char *const backend_attrs[] = {"model", NULL};
    static const char *const rate_attrs[] = {"bytes", "period", NULL};
    _cleanup_free_ char *model = NULL, *bmodel = NULL;
    sv_domain_rng_def *r;
    xmlNode *n;
    int v;

    if (def->nrngs == SV_DOMAIN_MAX_DEVICES)
        return sv_xml_error(dev, "too many rng devices (limit %d)", SV_DOMAIN_MAX_DEVICES);
    r = sv_malloc0(sizeof(*r));
    SV_DOMAIN_APPEND(def->rngs, def->nrngs, r);
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "model", &model) < 0 ||
        sv_xml_prop_enum(dev, "model", sv_domain_rng_model_names, 0, &v) < 0)
        return -1;
    r->model = v;
    n = sv_xml_child(dev, "backend");
    if (!n)
        return sv_xml_error(dev, "missing required element <backend>");
    if (sv_domain_check(n, backend_attrs, NULL) < 0 || sv_xml_prop_required(n, "model", &bmodel) < 0 ||
        sv_xml_prop_enum(n, "model", sv_domain_rng_backend_names, 0, &v) < 0)
        return -1;
    r->backend = v;
    r->device = sv_xml_content(n);
    if (r->backend == SV_DOMAIN_RNG_BACKEND_BUILTIN) {
        if (*r->device)
            return sv_xml_error(n, "the builtin backend takes no device path");
        free(r->device);
        r->device = NULL;
    } else if (!*r->device) {
        free(r->device);
        r->device = sv_strdup("/dev/urandom");
    } else if (r->device[0] != '/') {
        return sv_xml_error(n, "rng device '%s' must be an absolute path", r->device);
    }
    if ((n = sv_xml_child(dev, "rate"))) {
        _cleanup_free_ char *bytes = NULL;

        if (sv_domain_check(n, rate_attrs, NULL) < 0 || sv_xml_prop_required(n, "bytes", &bytes) < 0 ||
            sv_xml_prop_u32(n, "bytes", 0, &r->rate_bytes) < 0 ||
            sv_xml_prop_u32(n, "period", 0, &r->rate_period) < 0)
            return -1;
        if (r->rate_bytes == 0)
            return sv_xml_error(n, "attribute 'bytes' must be greater than zero");
    }
    return sv_domain_info_parse(dev, &r->info, false, flags);
}

void sv_domain_rng_def_free(sv_domain_rng_def *r)
{
    if (!r)
        return;
    free(r->device);
    sv_domain_info_clear(&r->info);
    free(r);
}

void sv_domain_rng_def_format(sv_buf *b, const sv_domain_rng_def *r, unsigned flags)
{
    sv_buf_iprintf(b, "<rng model='%s'>\n", sv_domain_rng_model_names[r->model]);
    b->indent += 2;
    if (r->rate_bytes) {
        sv_buf_iprintf(b, "<rate bytes='%u'", r->rate_bytes);
        if (r->rate_period)
            sv_buf_printf(b, " period='%u'", r->rate_period);
        sv_buf_add(b, "/>\n");
    }
    sv_buf_iprintf(b, "<backend model='%s'", sv_domain_rng_backend_names[r->backend]);
    if (r->device) {
        sv_buf_add(b, ">");
        sv_buf_escape_xml(b, r->device);
        sv_buf_add(b, "</backend>\n");
    } else {
        sv_buf_add(b, "/>\n");
    }
    sv_domain_device_end(b, "rng", true, &r->info, flags);
}

/* ---- memballoon ------------------------------------------------------- */

int sv_domain_memballoon_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"model", "autodeflate", NULL};
    static const char *const children[] = {"stats", "alias", "address", NULL};
    static const char *const stats_attrs[] = {"period", NULL};
    _cleanup_free_ char *model = NULL;
    sv_domain_memballoon_def *m;
    xmlNode *n;
    int v;

    m = def->memballoon = sv_malloc0(sizeof(*m));
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "model", &model) < 0 ||
        sv_xml_prop_enum(dev, "model", sv_domain_memballoon_model_names, 0, &v) < 0)
        return -1;
    m->model = v;
    if (sv_xml_prop_onoff(dev, "autodeflate", &m->autodeflate) < 0)
        return -1;
    if ((n = sv_xml_child(dev, "stats"))) {
        _cleanup_free_ char *period = NULL;

        if (sv_domain_check(n, stats_attrs, NULL) < 0 || sv_xml_prop_required(n, "period", &period) < 0 ||
            sv_xml_prop_u32(n, "period", 0, &m->period) < 0)
            return -1;
        if (m->period > INT32_MAX)
            return sv_xml_error(n, "stats period %u is out of range", m->period);
        m->has_period = true;
    }
    if (sv_domain_info_parse(dev, &m->info, false, flags) < 0)
        return -1;
    if (m->model == SV_DOMAIN_MEMBALLOON_NONE &&
        (m->autodeflate || m->has_period || m->info.addr.type != SV_DOMAIN_ADDR_NONE))
        return sv_xml_error(dev, "memballoon model 'none' takes no options, stats or address");
    return 0;
}

void sv_domain_memballoon_def_free(sv_domain_memballoon_def *m)
{
    if (!m)
        return;
    sv_domain_info_clear(&m->info);
    free(m);
}

void sv_domain_memballoon_def_format(sv_buf *b, const sv_domain_memballoon_def *m, unsigned flags)
{
    sv_buf_iprintf(b, "<memballoon model='%s'", sv_domain_memballoon_model_names[m->model]);
    if (m->autodeflate)
        sv_buf_printf(b, " autodeflate='%s'", sv_tristate_onoff(m->autodeflate));
    if (m->has_period) {
        sv_buf_add(b, ">\n");
        b->indent += 2;
        sv_buf_iprintf(b, "<stats period='%u'/>\n", m->period);
    }
    sv_domain_device_end(b, "memballoon", m->has_period, &m->info, flags);
}

/* ---- watchdog --------------------------------------------------------- */

int sv_domain_watchdog_parse(sv_domain_def *def, xmlNode *dev, unsigned flags)
{
    static const char *const attrs[] = {"model", "action", NULL};
    static const char *const children[] = {"alias", "address", NULL};
    _cleanup_free_ char *model = NULL;
    sv_domain_watchdog_def *w;
    int v;

    w = def->watchdog = sv_malloc0(sizeof(*w));
    if (sv_domain_check(dev, attrs, children) < 0 || sv_xml_prop_required(dev, "model", &model) < 0 ||
        sv_xml_prop_enum(dev, "model", sv_domain_watchdog_model_names, 0, &v) < 0)
        return -1;
    w->model = v;
    if (sv_xml_prop_enum(dev, "action", sv_domain_watchdog_action_names, SV_DOMAIN_WATCHDOG_RESET, &v) < 0)
        return -1;
    w->action = v;
    return sv_domain_info_parse(dev, &w->info, false, flags);
}

void sv_domain_watchdog_def_free(sv_domain_watchdog_def *w)
{
    if (!w)
        return;
    sv_domain_info_clear(&w->info);
    free(w);
}

void sv_domain_watchdog_def_format(sv_buf *b, const sv_domain_watchdog_def *w, unsigned flags)
{
    sv_buf_iprintf(b, "<watchdog model='%s' action='%s'", sv_domain_watchdog_model_names[w->model],
                   sv_domain_watchdog_action_names[w->action]);
    sv_domain_device_end(b, "watchdog", false, &w->info, flags);
}
