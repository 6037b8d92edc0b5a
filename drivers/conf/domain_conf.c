/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain XML: enum tables, the top-level parser (everything outside
 * <devices>), free and copy.  Devices are in domain_conf_devices.c,
 * domain_conf_net.c, domain_conf_chr.c and domain_conf_display.c; defaults
 * and cross-element checks in domain_conf_post.c; output in
 * domain_conf_format.c.
 */
#include "domain_conf.h"

#include <errno.h>
#include <libxml/parser.h>
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

const char *const sv_domain_virt_names[] = {"qemu", "kvm", NULL};
const char *const sv_domain_lifecycle_names[] = {
    "destroy", "restart", "preserve", "rename-restart", "coredump-destroy", "coredump-restart", NULL};
const char *const sv_domain_vcpu_placement_names[] = {"static", "auto", NULL};
const char *const sv_domain_os_type_names[] = {"hvm", NULL};
const char *const sv_domain_arch_names[] = {
    "x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x", "riscv64", NULL};
const char *const sv_domain_boot_dev_names[] = {"fd", "cdrom", "hd", "network", NULL};
const char *const sv_domain_loader_type_names[] = {"", "rom", "pflash", NULL};
const char *const sv_domain_cpu_mode_names[] = {"custom", "host-model", "host-passthrough", "maximum", NULL};
const char *const sv_domain_cpu_match_names[] = {"", "minimum", "exact", "strict", NULL};
const char *const sv_domain_cpu_check_names[] = {"", "none", "partial", "full", NULL};
const char *const sv_domain_cpu_fallback_names[] = {"allow", "forbid", NULL};
const char *const sv_domain_cpu_feature_policy_names[] = {"force", "require", "optional", "disable", "forbid", NULL};
const char *const sv_domain_clock_offset_names[] = {"utc", "localtime", "timezone", "variable", NULL};
const char *const sv_domain_timer_name_names[] = {
    "platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock", NULL};
const char *const sv_domain_tickpolicy_names[] = {"", "delay", "catchup", "merge", "discard", NULL};
const char *const sv_domain_addr_type_names[] = {"", "pci", "drive", "virtio-serial", "usb", NULL};
const char *const sv_domain_disk_type_names[] = {"file", "block", NULL};
const char *const sv_domain_disk_device_names[] = {"disk", "cdrom", NULL};
const char *const sv_domain_disk_bus_names[] = {"ide", "scsi", "virtio", "usb", "sata", NULL};
const char *const sv_domain_disk_format_names[] = {"raw", "qcow2", NULL};
const char *const sv_domain_disk_cache_names[] = {
    "", "default", "none", "writethrough", "writeback", "directsync", "unsafe", NULL};
const char *const sv_domain_disk_io_names[] = {"", "native", "threads", "io_uring", NULL};
const char *const sv_domain_disk_discard_names[] = {"", "unmap", "ignore", NULL};
const char *const sv_domain_controller_type_names[] = {
    "ide", "fdc", "scsi", "sata", "virtio-serial", "pci", "usb", NULL};
const char *const sv_domain_net_type_names[] = {"network", "bridge", "direct", "ethernet", "user", NULL};
const char *const sv_domain_net_model_names[] = {
    "virtio", "e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", "vmxnet3", NULL};
const char *const sv_domain_direct_mode_names[] = {"vepa", "private", "bridge", "passthrough", NULL};
const char *const sv_domain_chr_type_names[] = {"pty", "file", "unix", NULL};
const char *const sv_domain_chr_unix_mode_names[] = {"connect", "bind", NULL};
const char *const sv_domain_serial_target_names[] = {"isa-serial", "usb-serial", "pci-serial", NULL};
const char *const sv_domain_serial_model_names[] = {"isa-serial", "usb-serial", "pci-serial", NULL};
const char *const sv_domain_console_target_names[] = {"serial", "virtio", NULL};
const char *const sv_domain_graphics_type_names[] = {"vnc", "spice", NULL};
const char *const sv_domain_listen_type_names[] = {"address", "none", NULL};
const char *const sv_domain_video_model_names[] = {
    "vga", "cirrus", "vmvga", "qxl", "virtio", "bochs", "ramfb", "none", NULL};
const char *const sv_domain_input_type_names[] = {"mouse", "tablet", "keyboard", NULL};
const char *const sv_domain_input_bus_names[] = {"ps2", "usb", "virtio", NULL};
const char *const sv_domain_rng_model_names[] = {"virtio", NULL};
const char *const sv_domain_rng_backend_names[] = {"random", "builtin", NULL};
const char *const sv_domain_memballoon_model_names[] = {"virtio", "none", NULL};
const char *const sv_domain_watchdog_model_names[] = {"i6300esb", "ib700", "diag288", "itco", NULL};
const char *const sv_domain_watchdog_action_names[] = {
    "reset", "shutdown", "poweroff", "pause", "none", "dump", "inject-nmi", NULL};

/* libvirt's ceiling for memory sizes (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED),
 * in KiB: what still converts to bytes in a signed 64-bit integer. */
#define SV_DOMAIN_MEMORY_MAX_KIB 9007199254740991ULL
#define SV_DOMAIN_MAX_VCPUS 4096
#define SV_DOMAIN_MAX_LIST 256

/* ---- small shared parsing helpers ------------------------------------- */

int sv_domain_check(xmlNode *n, const char *const *attrs, const char *const *children)
{
    static const char *const none[] = {NULL};

    if (sv_xml_check_attrs(n, attrs ? attrs : none) < 0)
        return -1;
    return sv_xml_check_children(n, children ? children : none, children);
}

int sv_domain_check_leaf(xmlNode *n)
{
    return sv_domain_check(n, NULL, NULL);
}

int sv_domain_text_required(xmlNode *n, char **ret)
{
    char *s = sv_xml_content(n);

    if (!*s) {
        free(s);
        return sv_xml_error(n, "element must not be empty");
    }
    *ret = s;
    return 0;
}

int sv_domain_prop_path(xmlNode *n, const char *name, bool required, char **ret)
{
    char *v = sv_xml_prop(n, name);

    if (!v) {
        if (required)
            return sv_xml_error(n, "missing required attribute '%s'", name);
        *ret = NULL;
        return 0;
    }
    if (v[0] != '/') {
        sv_xml_error(n, "attribute '%s' must be an absolute path, got '%s'", name, v);
        free(v);
        return -1;
    }
    *ret = v;
    return 0;
}

/* Text of n as an absolute path. */
static int text_path(xmlNode *n, char **ret)
{
    char *s;

    if (sv_domain_text_required(n, &s) < 0)
        return -1;
    if (s[0] != '/') {
        sv_xml_error(n, "must be an absolute path, got '%s'", s);
        free(s);
        return -1;
    }
    *ret = s;
    return 0;
}

static int text_enum(xmlNode *n, const char *const *values, int *ret)
{
    _cleanup_free_ char *s = sv_xml_content(n);

    for (int i = 0; values[i]; i++) {
        if (values[i][0] && strcmp(values[i], s) == 0) {
            *ret = i;
            return 0;
        }
    }
    return sv_xml_unsupported(n, "unknown value '%s'", s);
}

static int child_leaf_text(xmlNode *parent, const char *name, char **ret)
{
    xmlNode *n = sv_xml_child(parent, name);

    *ret = NULL;
    if (!n)
        return 0;
    if (sv_domain_check_leaf(n) < 0)
        return -1;
    *ret = sv_xml_content(n);
    return 0;
}

/* ---- general elements ---------------------------------------------------- */

static int parse_name_uuid(sv_domain_def *def, xmlNode *root)
{
    xmlNode *n = sv_xml_child(root, "name");

    if (!n)
        return sv_xml_error(root, "missing required element <name>");
    if (sv_domain_check_leaf(n) < 0 || sv_domain_text_required(n, &def->name) < 0)
        return -1;
    if (strchr(def->name, '/'))
        return sv_xml_error(n, "domain name '%s' must not contain '/'", def->name);
    for (const char *p = def->name; *p; p++)
        if ((unsigned char)*p < 0x20)
            return sv_xml_error(n, "domain name must not contain control characters");

    n = sv_xml_child(root, "uuid");
    if (n) {
        _cleanup_free_ char *s = NULL;

        if (sv_domain_check_leaf(n) < 0)
            return -1;
        s = sv_xml_content(n);
        if (sv_uuid_parse(s, def->uuid) < 0)
            return sv_xml_error(n, "malformed UUID '%s'", s);
    } else if (sv_uuid_generate(def->uuid) < 0) {
        sv_error_set(SV_FROM_CONF, SV_ERR_INTERNAL_ERROR, "cannot generate a UUID");
        return -1;
    }
    return 0;
}

static int parse_title_description(sv_domain_def *def, xmlNode *root)
{
    xmlNode *n = sv_xml_child(root, "title");

    if (child_leaf_text(root, "title", &def->title) < 0)
        return -1;
    if (def->title && strpbrk(def->title, "\r\n"))
        return sv_xml_error(n, "title must not contain newlines");
    return child_leaf_text(root, "description", &def->description);
}

/* Drop whitespace-only text between elements so the serializer can indent
 * (as libvirt does): keeps text that is an element's only content. */
static void strip_blank_nodes(xmlNode *n, int depth)
{
    xmlNode *c, *next;
    bool has_elements = false;

    if (depth > 256)
        return;
    for (c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            has_elements = true;
    for (c = n->children; c; c = next) {
        next = c->next;
        if (has_elements && c->type == XML_TEXT_NODE && xmlIsBlankNode(c)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            strip_blank_nodes(c, depth + 1);
        }
    }
}

static int check_ns_uri(xmlNode *n, const xmlNs *ns)
{
    if (ns && ns->href && strpbrk((const char *)ns->href, "<>&\"'"))
        return sv_xml_error(n, "metadata namespace URI '%s' contains a character that is not allowed",
                            (const char *)ns->href);
    return 0;
}

/* libxml2 writes namespace URIs back without escaping them, so a URI
 * holding markup characters would come out as broken XML: refuse it,
 * whether declared inside <metadata> or inherited from an ancestor. */
static int check_metadata_namespaces(xmlNode *top)
{
    xmlNode *n = top;

    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            if (check_ns_uri(n, n->ns) < 0)
                return -1;
            for (xmlNs *ns = n->nsDef; ns; ns = ns->next)
                if (check_ns_uri(n, ns) < 0)
                    return -1;
            for (xmlAttr *a = n->properties; a; a = a->next)
                if (check_ns_uri(n, a->ns) < 0)
                    return -1;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n != top && !n->next)
            n = n->parent;
        if (n == top)
            break;
        n = n->next;
    }
    return 0;
}

static int parse_metadata(sv_domain_def *def, xmlNode *root)
{
    xmlNode *md = sv_xml_child(root, "metadata");
    sv_buf b = {0};
    int count = 0;

    if (!md)
        return 0;
    if (sv_xml_check_attrs(md, (const char *const[]){NULL}) < 0)
        return -1;
    sv_xml_foreach_child(c, md) {
        xmlDoc *doc;
        xmlNode *copy;
        xmlBufferPtr xb;

        if (!c->ns || !c->ns->href) {
            sv_buf_free(&b);
            return sv_xml_error(c, "metadata element <%s> must have a namespace", (const char *)c->name);
        }
        if (check_metadata_namespaces(c) < 0) {
            sv_buf_free(&b);
            return -1;
        }
        if (++count > SV_DOMAIN_MAX_LIST) {
            sv_buf_free(&b);
            return sv_xml_error(md, "too many metadata elements (limit %d)", SV_DOMAIN_MAX_LIST);
        }
        /* Copying into its own document declares the namespaces the
         * element inherits from <domain>, so the dump stands alone; it is
         * dumped at the nesting level it is printed at (2: inside
         * <domain><metadata>) so that nested lines are indented. */
        doc = xmlNewDoc((const xmlChar *)"1.0");
        copy = doc ? xmlDocCopyNode(c, doc, 1) : NULL;
        xb = xmlBufferCreate();
        if (!copy || !xb)
            abort();
        xmlDocSetRootElement(doc, copy);
        strip_blank_nodes(copy, 0);
        xmlNodeDump(xb, doc, copy, 2, 1);
        sv_buf_printf(&b, "    %s\n", (const char *)xmlBufferContent(xb));
        xmlBufferFree(xb);
        xmlFreeDoc(doc);
    }
    def->metadata = b.data ? sv_buf_steal(&b) : sv_strdup("");
    return 0;
}

/* ---- memory and vcpus ------------------------------------------------- */

static int parse_memory(sv_domain_def *def, xmlNode *root)
{
    static const char *const unit_only[] = {"unit", NULL};
    static const char *const max_attrs[] = {"unit", "slots", NULL};
    xmlNode *n = sv_xml_child(root, "memory");

    if (!n)
        return sv_xml_error(root, "missing required element <memory>");
    if (sv_domain_check(n, unit_only, NULL) < 0 ||
        sv_xml_parse_scaled(n, NULL, "unit", "KiB", 1024, SV_DOMAIN_MEMORY_MAX_KIB, &def->memory_kib) < 0)
        return -1;
    if (def->memory_kib == 0)
        return sv_xml_error(n, "memory size must be greater than zero");

    n = sv_xml_child(root, "currentMemory");
    if (n) {
        if (sv_domain_check(n, unit_only, NULL) < 0 ||
            sv_xml_parse_scaled(n, NULL, "unit", "KiB", 1024, SV_DOMAIN_MEMORY_MAX_KIB,
                                &def->current_memory_kib) < 0)
            return -1;
        if (def->current_memory_kib > def->memory_kib)
            return sv_xml_error(n, "currentMemory (%llu KiB) must not exceed memory (%llu KiB)",
                                (unsigned long long)def->current_memory_kib,
                                (unsigned long long)def->memory_kib);
        if (def->current_memory_kib == 0)
            return sv_xml_error(n, "currentMemory must be greater than zero");
    } else {
        def->current_memory_kib = def->memory_kib;
    }

    n = sv_xml_child(root, "maxMemory");
    if (n) {
        _cleanup_free_ char *slots = sv_xml_prop(n, "slots");

        if (sv_domain_check(n, max_attrs, NULL) < 0 ||
            sv_xml_parse_scaled(n, NULL, "unit", "KiB", 1024, SV_DOMAIN_MEMORY_MAX_KIB,
                                &def->max_memory_kib) < 0)
            return -1;
        if (!slots)
            return sv_xml_error(n, "missing required attribute 'slots'");
        if (sv_xml_prop_u32(n, "slots", 0, &def->max_memory_slots) < 0)
            return -1;
        if (def->max_memory_slots == 0 || def->max_memory_kib == 0)
            return sv_xml_error(n, "both the maximum memory size and the slot count must be non-zero");
        if (def->max_memory_slots > 255)
            return sv_xml_error(n, "slot count %u is too large (limit 255)", def->max_memory_slots);
        if (def->max_memory_kib < def->memory_kib)
            return sv_xml_error(n, "maxMemory (%llu KiB) must not be less than memory (%llu KiB)",
                                (unsigned long long)def->max_memory_kib,
                                (unsigned long long)def->memory_kib);
    }
    return 0;
}

static bool cpuset_valid(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789,-^", *s))
            return false;
    return true;
}

static int parse_vcpu(sv_domain_def *def, xmlNode *root)
{
    static const char *const attrs[] = {"placement", "current", "cpuset", NULL};
    xmlNode *n = sv_xml_child(root, "vcpu");
    _cleanup_free_ char *text = NULL;
    int placement;

    def->vcpus = def->vcpus_current = 1;
    if (!n)
        return 0;
    if (sv_domain_check(n, attrs, NULL) < 0 || sv_domain_text_required(n, &text) < 0)
        return -1;
    if (sv_parse_u32(text, &def->vcpus) < 0)
        return sv_xml_error(n, "invalid vcpu count '%s'", text);
    if (def->vcpus == 0)
        return sv_xml_error(n, "vcpu count must be greater than zero");
    if (def->vcpus > SV_DOMAIN_MAX_VCPUS)
        return sv_xml_error(n, "vcpu count %u is too large (limit %d)", def->vcpus, SV_DOMAIN_MAX_VCPUS);
    if (sv_xml_prop_u32(n, "current", def->vcpus, &def->vcpus_current) < 0)
        return -1;
    if (def->vcpus_current == 0 || def->vcpus_current > def->vcpus)
        return sv_xml_error(n, "current vcpu count %u must be between 1 and the maximum %u",
                            def->vcpus_current, def->vcpus);
    if (sv_xml_prop_enum(n, "placement", sv_domain_vcpu_placement_names, 0, &placement) < 0)
        return -1;
    def->placement = placement;
    def->cpuset = sv_xml_prop(n, "cpuset");
    if (def->cpuset && !cpuset_valid(def->cpuset))
        return sv_xml_error(n, "invalid cpuset '%s'", def->cpuset);
    return 0;
}

/* ---- os ----------------------------------------------------------------- */

static int parse_os_type(sv_domain_os_def *os, xmlNode *osn)
{
    static const char *const attrs[] = {"arch", "machine", NULL};
    xmlNode *n = sv_xml_child(osn, "type");
    int v;

    if (!n)
        return sv_xml_error(osn, "missing required element <type>");
    if (sv_domain_check(n, attrs, NULL) < 0 || text_enum(n, sv_domain_os_type_names, &v) < 0)
        return -1;
    os->type = v;
    if (sv_xml_prop_enum(n, "arch", sv_domain_arch_names, SV_DOMAIN_ARCH_X86_64, &v) < 0)
        return -1;
    os->arch = v;
    os->machine = sv_xml_prop(n, "machine");
    if (os->machine && !*os->machine)
        return sv_xml_error(n, "attribute 'machine' must not be empty");
    return 0;
}

static int parse_os_firmware(sv_domain_os_def *os, xmlNode *osn)
{
    static const char *const loader_attrs[] = {"readonly", "secure", "type", NULL};
    static const char *const nvram_attrs[] = {"template", NULL};
    xmlNode *n = sv_xml_child(osn, "loader");
    int v;

    if (n) {
        if (sv_domain_check(n, loader_attrs, NULL) < 0 || text_path(n, &os->loader) < 0 ||
            sv_xml_prop_yesno(n, "readonly", &os->loader_readonly) < 0 ||
            sv_xml_prop_yesno(n, "secure", &os->loader_secure) < 0 ||
            sv_xml_prop_enum(n, "type", sv_domain_loader_type_names, 0, &v) < 0)
            return -1;
        os->loader_type = v;
    }
    n = sv_xml_child(osn, "nvram");
    if (n) {
        if (sv_domain_check(n, nvram_attrs, NULL) < 0 || text_path(n, &os->nvram) < 0 ||
            sv_domain_prop_path(n, "template", false, &os->nvram_template) < 0)
            return -1;
        if (!os->loader)
            return sv_xml_error(n, "<nvram> requires a <loader>");
    }
    return 0;
}

static int parse_os(sv_domain_def *def, xmlNode *root)
{
    static const char *const children[] = {
        "type", "loader", "nvram", "kernel", "initrd", "cmdline", "boot", "bootmenu", NULL};
    static const char *const once[] = {"type", "loader", "nvram", "kernel", "initrd", "cmdline", "bootmenu", NULL};
    static const char *const boot_attrs[] = {"dev", NULL};
    static const char *const menu_attrs[] = {"enable", "timeout", NULL};
    sv_domain_os_def *os = &def->os;
    xmlNode *osn = sv_xml_child(root, "os");
    xmlNode *n;

    if (!osn)
        return sv_xml_error(root, "missing required element <os>");
    if (sv_xml_check_attrs(osn, (const char *const[]){NULL}) < 0 ||
        sv_xml_check_children(osn, children, once) < 0)
        return -1;
    if (parse_os_type(os, osn) < 0 || parse_os_firmware(os, osn) < 0)
        return -1;
    if ((n = sv_xml_child(osn, "kernel")) && (sv_domain_check_leaf(n) < 0 || text_path(n, &os->kernel) < 0))
        return -1;
    if ((n = sv_xml_child(osn, "initrd")) && (sv_domain_check_leaf(n) < 0 || text_path(n, &os->initrd) < 0))
        return -1;
    if (child_leaf_text(osn, "cmdline", &os->cmdline) < 0)
        return -1;
    if (os->initrd && !os->kernel)
        return sv_xml_error(sv_xml_child(osn, "initrd"), "<initrd> requires a <kernel>");
    sv_xml_foreach_child(c, osn) {
        _cleanup_free_ char *dev = NULL;
        int v;

        if (!sv_xml_is(c, "boot"))
            continue;
        if (sv_domain_check(c, boot_attrs, NULL) < 0 || sv_xml_prop_required(c, "dev", &dev) < 0 ||
            sv_xml_prop_enum(c, "dev", sv_domain_boot_dev_names, 0, &v) < 0)
            return -1;
        if (os->nboot == SV_DOMAIN_MAX_BOOT_DEVS)
            return sv_xml_error(c, "too many <boot> elements (limit %d)", SV_DOMAIN_MAX_BOOT_DEVS);
        os->boot[os->nboot++] = v;
    }
    if ((n = sv_xml_child(osn, "bootmenu"))) {
        _cleanup_free_ char *timeout = NULL;

        if (sv_domain_check(n, menu_attrs, NULL) < 0 || sv_xml_prop_yesno(n, "enable", &os->bootmenu) < 0)
            return -1;
        if (os->bootmenu == SV_TRISTATE_ABSENT)
            return sv_xml_error(n, "missing required attribute 'enable'");
        timeout = sv_xml_prop(n, "timeout");
        if (timeout) {
            if (sv_xml_prop_u32(n, "timeout", 0, &os->bootmenu_timeout) < 0)
                return -1;
            if (os->bootmenu_timeout > 65535)
                return sv_xml_error(n, "boot menu timeout %u is out of range (0-65535 ms)", os->bootmenu_timeout);
            os->has_bootmenu_timeout = true;
        }
    }
    return 0;
}

static int parse_features(sv_domain_def *def, xmlNode *root)
{
    static const char *const children[] = {"acpi", "apic", "pae", NULL};
    xmlNode *n = sv_xml_child(root, "features");

    if (!n)
        return 0;
    if (sv_domain_check(n, NULL, children) < 0)
        return -1;
    sv_xml_foreach_child(c, n)
        if (sv_domain_check_leaf(c) < 0)
            return -1;
    def->acpi = sv_xml_child(n, "acpi") != NULL;
    def->apic = sv_xml_child(n, "apic") != NULL;
    def->pae = sv_xml_child(n, "pae") != NULL;
    return 0;
}

/* ---- cpu ---------------------------------------------------------------- */

static int parse_cpu_topology(sv_domain_cpu_def *cpu, xmlNode *n)
{
    static const char *const attrs[] = {"sockets", "dies", "cores", "threads", NULL};
    static const char *const required[] = {"sockets", "cores", "threads"};
    unsigned *fields[] = {&cpu->sockets, &cpu->cores, &cpu->threads};

    if (sv_domain_check(n, attrs, NULL) < 0)
        return -1;
    for (size_t i = 0; i < SV_ARRAY_SIZE(required); i++) {
        _cleanup_free_ char *v = sv_xml_prop(n, required[i]);

        if (!v)
            return sv_xml_error(n, "missing required attribute '%s'", required[i]);
        if (sv_xml_prop_u32(n, required[i], 0, fields[i]) < 0)
            return -1;
        if (*fields[i] == 0 || *fields[i] > SV_DOMAIN_MAX_VCPUS)
            return sv_xml_error(n, "attribute '%s' must be between 1 and %d", required[i], SV_DOMAIN_MAX_VCPUS);
    }
    if (sv_xml_prop_u32(n, "dies", 1, &cpu->dies) < 0)
        return -1;
    if (cpu->dies == 0 || cpu->dies > SV_DOMAIN_MAX_VCPUS)
        return sv_xml_error(n, "attribute 'dies' must be between 1 and %d", SV_DOMAIN_MAX_VCPUS);
    return 0;
}

static int parse_cpu_feature(sv_domain_cpu_def *cpu, xmlNode *n)
{
    static const char *const attrs[] = {"policy", "name", NULL};
    _cleanup_free_ char *name = NULL;
    int policy;

    if (sv_domain_check(n, attrs, NULL) < 0 || sv_xml_prop_required(n, "name", &name) < 0 ||
        sv_xml_prop_enum(n, "policy", sv_domain_cpu_feature_policy_names,
                         SV_DOMAIN_CPU_FEATURE_REQUIRE, &policy) < 0)
        return -1;
    for (const char *p = name; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", *p))
            return sv_xml_error(n, "invalid CPU feature name '%s'", name);
    for (size_t i = 0; i < cpu->nfeatures; i++)
        if (strcmp(cpu->features[i].name, name) == 0)
            return sv_xml_error(n, "CPU feature '%s' specified more than once", name);
    if (cpu->nfeatures == SV_DOMAIN_MAX_LIST)
        return sv_xml_error(n, "too many CPU features (limit %d)", SV_DOMAIN_MAX_LIST);
    cpu->features = sv_realloc(cpu->features, (cpu->nfeatures + 1) * sizeof(*cpu->features));
    cpu->features[cpu->nfeatures].name = name;
    cpu->features[cpu->nfeatures++].policy = policy;
    name = NULL;
    return 0;
}

static int parse_cpu(sv_domain_def *def, xmlNode *root)
{
    static const char *const attrs[] = {"mode", "match", "check", "migratable", NULL};
    static const char *const children[] = {"model", "topology", "feature", NULL};
    static const char *const once[] = {"model", "topology", NULL};
    static const char *const model_attrs[] = {"fallback", NULL};
    xmlNode *n = sv_xml_child(root, "cpu");
    xmlNode *m;
    sv_domain_cpu_def *cpu;
    int v;

    if (!n)
        return 0;
    cpu = def->cpu = sv_malloc0(sizeof(*cpu));
    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, once) < 0)
        return -1;
    if (sv_xml_prop_enum(n, "mode", sv_domain_cpu_mode_names, SV_DOMAIN_CPU_CUSTOM, &v) < 0)
        return -1;
    cpu->mode = v;
    if (sv_xml_prop_enum(n, "match", sv_domain_cpu_match_names, 0, &v) < 0)
        return -1;
    cpu->match = v;
    if (sv_xml_prop_enum(n, "check", sv_domain_cpu_check_names, 0, &v) < 0)
        return -1;
    cpu->check = v;
    if (sv_xml_prop_onoff(n, "migratable", &cpu->migratable) < 0)
        return -1;
    if (cpu->migratable && cpu->mode != SV_DOMAIN_CPU_HOST_PASSTHROUGH && cpu->mode != SV_DOMAIN_CPU_MAXIMUM)
        return sv_xml_error(n, "attribute 'migratable' is only valid for host-passthrough and maximum modes");
    if ((m = sv_xml_child(n, "model"))) {
        if (cpu->mode != SV_DOMAIN_CPU_CUSTOM)
            return sv_xml_unsupported(m, "a CPU model is only supported with mode='custom'");
        if (sv_domain_check(m, model_attrs, NULL) < 0 || sv_domain_text_required(m, &cpu->model) < 0 ||
            sv_xml_prop_enum(m, "fallback", sv_domain_cpu_fallback_names, 0, &v) < 0)
            return -1;
        cpu->fallback = v;
    }
    if (cpu->match && (cpu->mode != SV_DOMAIN_CPU_CUSTOM || !cpu->model))
        return sv_xml_error(n, "attribute 'match' requires mode='custom' with a <model>");
    if ((m = sv_xml_child(n, "topology")) && parse_cpu_topology(cpu, m) < 0)
        return -1;
    sv_xml_foreach_child(c, n)
        if (sv_xml_is(c, "feature") && parse_cpu_feature(cpu, c) < 0)
            return -1;
    return 0;
}

/* ---- clock and lifecycle -------------------------------------------------- */

static int parse_timer(sv_domain_clock_def *clock, xmlNode *n)
{
    static const char *const attrs[] = {"name", "present", "tickpolicy", NULL};
    _cleanup_free_ char *name = NULL;
    sv_domain_timer_def t = {0};
    int v;

    if (sv_domain_check(n, attrs, NULL) < 0 || sv_xml_prop_required(n, "name", &name) < 0 ||
        sv_xml_prop_enum(n, "name", sv_domain_timer_name_names, 0, &v) < 0)
        return -1;
    t.name = v;
    if (sv_xml_prop_yesno(n, "present", &t.present) < 0 ||
        sv_xml_prop_enum(n, "tickpolicy", sv_domain_tickpolicy_names, 0, &v) < 0)
        return -1;
    t.tickpolicy = v;
    if (t.tickpolicy && t.name != SV_DOMAIN_TIMER_PIT && t.name != SV_DOMAIN_TIMER_RTC &&
        t.name != SV_DOMAIN_TIMER_HPET && t.name != SV_DOMAIN_TIMER_PLATFORM)
        return sv_xml_error(n, "timer '%s' does not take a tickpolicy", name);
    for (size_t i = 0; i < clock->ntimers; i++)
        if (clock->timers[i].name == t.name)
            return sv_xml_error(n, "timer '%s' specified more than once", name);
    clock->timers = sv_realloc(clock->timers, (clock->ntimers + 1) * sizeof(*clock->timers));
    clock->timers[clock->ntimers++] = t;
    return 0;
}

static int parse_clock(sv_domain_def *def, xmlNode *root)
{
    static const char *const attrs[] = {"offset", "timezone", "adjustment", "basis", NULL};
    static const char *const children[] = {"timer", NULL};
    static const char *const basis_names[] = {"utc", "localtime", NULL};
    sv_domain_clock_def *clock = &def->clock;
    xmlNode *n = sv_xml_child(root, "clock");
    _cleanup_free_ char *adj = NULL, *basis = NULL;
    int v;

    if (!n)
        return 0;
    basis = sv_xml_prop(n, "basis");
    if (sv_xml_check_attrs(n, attrs) < 0 || sv_xml_check_children(n, children, NULL) < 0 ||
        sv_xml_prop_enum(n, "offset", sv_domain_clock_offset_names, 0, &v) < 0)
        return -1;
    clock->offset = v;
    clock->timezone = sv_xml_prop(n, "timezone");
    adj = sv_xml_prop(n, "adjustment");
    if (clock->offset == SV_DOMAIN_CLOCK_TIMEZONE) {
        if (!clock->timezone || !*clock->timezone)
            return sv_xml_error(n, "offset='timezone' requires attribute 'timezone'");
        for (const char *p = clock->timezone; *p; p++)
            if ((unsigned char)*p <= 0x20 || *p == ',')
                return sv_xml_error(n, "invalid timezone '%s'", clock->timezone);
    } else if (clock->timezone) {
        return sv_xml_error(n, "attribute 'timezone' requires offset='timezone'");
    }
    if (clock->offset == SV_DOMAIN_CLOCK_VARIABLE) {
        if (adj) {
            char *end;

            errno = 0;
            clock->adjustment = strtoll(adj, &end, 10);
            if (errno || *end || end == adj)
                return sv_xml_error(n, "invalid value '%s' for attribute 'adjustment'", adj);
        }
        if (sv_xml_prop_enum(n, "basis", basis_names, 0, &clock->basis) < 0)
            return -1;
    } else if (adj || basis) {
        return sv_xml_error(n, "attributes 'adjustment' and 'basis' require offset='variable'");
    }
    sv_xml_foreach_child(c, n) {
        if (clock->ntimers == SV_DOMAIN_MAX_LIST)
            return sv_xml_error(c, "too many timers");
        if (parse_timer(clock, c) < 0)
            return -1;
    }
    return 0;
}

static int parse_lifecycle(xmlNode *root, const char *name, sv_domain_lifecycle_action dflt,
                           bool crash, sv_domain_lifecycle_action *ret)
{
    xmlNode *n = sv_xml_child(root, name);
    int v;

    *ret = dflt;
    if (!n)
        return 0;
    if (sv_domain_check_leaf(n) < 0 || text_enum(n, sv_domain_lifecycle_names, &v) < 0)
        return -1;
    if (!crash && (v == SV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY || v == SV_DOMAIN_LIFECYCLE_COREDUMP_RESTART))
        return sv_xml_unsupported(n, "action '%s' is only valid for <on_crash>", sv_domain_lifecycle_names[v]);
    *ret = v;
    return 0;
}

/* ---- devices ------------------------------------------------------------ */

static int parse_devices(sv_domain_def *def, xmlNode *root, unsigned flags)
{
    static const char *const children[] = {
        "emulator", "disk", "controller", "interface", "serial", "console", "channel", "input",
        "graphics", "video", "watchdog", "memballoon", "rng", NULL};
    static const char *const once[] = {"emulator", "watchdog", "memballoon", NULL};
    xmlNode *devs = sv_xml_child(root, "devices");
    size_t count = 0;
    xmlNode *n;

    if (!devs)
        return 0;
    if (sv_xml_check_attrs(devs, (const char *const[]){NULL}) < 0 ||
        sv_xml_check_children(devs, children, once) < 0)
        return -1;
    if ((n = sv_xml_child(devs, "emulator")) && (sv_domain_check_leaf(n) < 0 || text_path(n, &def->emulator) < 0))
        return -1;
    sv_xml_foreach_child(c, devs) {
        int r = 0;

        if (++count > 8 * SV_DOMAIN_MAX_DEVICES)
            return sv_xml_error(devs, "too many devices (limit %d)", 8 * SV_DOMAIN_MAX_DEVICES);
        if (sv_xml_is(c, "disk"))
            r = sv_domain_disk_parse(def, c, flags);
        else if (sv_xml_is(c, "controller"))
            r = sv_domain_controller_parse(def, c, flags);
        else if (sv_xml_is(c, "interface"))
            r = sv_domain_net_parse(def, c, flags);
        else if (sv_xml_is(c, "serial"))
            r = sv_domain_chr_parse(def, c, SV_DOMAIN_CHR_SERIAL, flags);
        else if (sv_xml_is(c, "console"))
            r = sv_domain_chr_parse(def, c, SV_DOMAIN_CHR_CONSOLE, flags);
        else if (sv_xml_is(c, "channel"))
            r = sv_domain_chr_parse(def, c, SV_DOMAIN_CHR_CHANNEL, flags);
        else if (sv_xml_is(c, "input"))
            r = sv_domain_input_parse(def, c, flags);
        else if (sv_xml_is(c, "graphics"))
            r = sv_domain_graphics_parse(def, c, flags);
        else if (sv_xml_is(c, "video"))
            r = sv_domain_video_parse(def, c, flags);
        else if (sv_xml_is(c, "watchdog"))
            r = sv_domain_watchdog_parse(def, c, flags);
        else if (sv_xml_is(c, "memballoon"))
            r = sv_domain_memballoon_parse(def, c, flags);
        else if (sv_xml_is(c, "rng"))
            r = sv_domain_rng_parse(def, c, flags);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* ---- entry points ------------------------------------------------------- */

/* The helpers match elements by local name, so an element of another
 * namespace (such as qemu:commandline) would be read as if it were ours:
 * refuse it instead.  <metadata> holds foreign elements by design.
 * Iterative walk; libxml2 bounds the depth anyway. */
static int check_namespaces(xmlNode *root)
{
    xmlNode *n = root;

    for (;;) {
        bool descend = n->type == XML_ELEMENT_NODE;

        if (descend && n->ns)
            return sv_xml_unsupported(n, "unsupported element <%s%s%s> (namespace '%s')",
                                      n->ns->prefix ? (const char *)n->ns->prefix : "",
                                      n->ns->prefix ? ":" : "", (const char *)n->name,
                                      n->ns->href ? (const char *)n->ns->href : "");
        if (descend && n->parent == root && sv_xml_is(n, "metadata"))
            descend = false;
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        if (n == root)
            return 0;
        n = n->next;
    }
}

static int parse_root(sv_domain_def *def, xmlNode *root, unsigned flags)
{
    static const char *const attrs[] = {"type", "id", NULL};
    static const char *const children[] = {
        "name", "uuid", "title", "description", "metadata", "maxMemory", "memory", "currentMemory",
        "vcpu", "os", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "devices", NULL};
    _cleanup_free_ char *type = NULL;
    int v;

    if (check_namespaces(root) < 0 || sv_xml_check_attrs(root, attrs) < 0 ||
        sv_xml_check_children(root, children, children) < 0)
        return -1;
    if (sv_xml_prop_required(root, "type", &type) < 0 ||
        sv_xml_prop_enum(root, "type", sv_domain_virt_names, 0, &v) < 0)
        return -1;
    def->virt_type = v;
    def->id = -1;
    if (!(flags & SV_DOMAIN_XML_INACTIVE)) {
        if (sv_xml_prop_int(root, "id", -1, &def->id) < 0)
            return -1;
        if (def->id < -1)
            return sv_xml_error(root, "invalid domain id %d", def->id);
    }
    if (parse_name_uuid(def, root) < 0 || parse_title_description(def, root) < 0 ||
        parse_metadata(def, root) < 0 || parse_memory(def, root) < 0 || parse_vcpu(def, root) < 0 ||
        parse_os(def, root) < 0 || parse_features(def, root) < 0 || parse_cpu(def, root) < 0 ||
        parse_clock(def, root) < 0)
        return -1;
    if (parse_lifecycle(root, "on_poweroff", SV_DOMAIN_LIFECYCLE_DESTROY, false, &def->on_poweroff) < 0 ||
        parse_lifecycle(root, "on_reboot", SV_DOMAIN_LIFECYCLE_RESTART, false, &def->on_reboot) < 0 ||
        parse_lifecycle(root, "on_crash", SV_DOMAIN_LIFECYCLE_DESTROY, true, &def->on_crash) < 0)
        return -1;
    if (parse_devices(def, root, flags) < 0)
        return -1;
    return sv_domain_def_postparse(def, root);
}

sv_domain_def *sv_domain_def_parse(const char *xml, size_t len, unsigned flags)
{
    xmlNode *root;
    xmlDoc *doc = sv_xml_parse(xml, len, "domain", &root);
    sv_domain_def *def;

    if (!doc)
        return NULL;
    def = sv_malloc0(sizeof(*def));
    if (parse_root(def, root, flags) < 0) {
        sv_domain_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    return def;
}

sv_domain_def *sv_domain_def_copy(const sv_domain_def *def)
{
    _cleanup_free_ char *xml = sv_domain_def_format(def, 0);

    if (!xml)
        return NULL;
    return sv_domain_def_parse(xml, strlen(xml), 0);
}

sv_domain_disk_def *sv_domain_def_find_disk(const sv_domain_def *def, const char *dst)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (sv_streq(def->disks[i]->dst, dst))
            return def->disks[i];
    return NULL;
}

sv_domain_net_def *sv_domain_def_find_net(const sv_domain_def *def, const unsigned char mac[SV_MAC_LEN])
{
    for (size_t i = 0; i < def->nnets; i++)
        if (memcmp(def->nets[i]->mac, mac, SV_MAC_LEN) == 0)
            return def->nets[i];
    return NULL;
}

/* ---- free ------------------------------------------------------------- */

#define FREE_ARRAY(arr, n, fn) \
    do { \
        for (size_t i_ = 0; i_ < (n); i_++) \
            fn((arr)[i_]); \
        free(arr); \
    } while (0)

void sv_domain_def_free(sv_domain_def *def)
{
    if (!def)
        return;
    free(def->name);
    free(def->title);
    free(def->description);
    free(def->metadata);
    free(def->cpuset);
    free(def->os.machine);
    free(def->os.loader);
    free(def->os.nvram);
    free(def->os.nvram_template);
    free(def->os.kernel);
    free(def->os.initrd);
    free(def->os.cmdline);
    if (def->cpu) {
        for (size_t i = 0; i < def->cpu->nfeatures; i++)
            free(def->cpu->features[i].name);
        free(def->cpu->features);
        free(def->cpu->model);
        free(def->cpu);
    }
    free(def->clock.timezone);
    free(def->clock.timers);
    free(def->emulator);
    FREE_ARRAY(def->disks, def->ndisks, sv_domain_disk_def_free);
    FREE_ARRAY(def->controllers, def->ncontrollers, sv_domain_controller_def_free);
    FREE_ARRAY(def->nets, def->nnets, sv_domain_net_def_free);
    FREE_ARRAY(def->serials, def->nserials, sv_domain_chr_def_free);
    FREE_ARRAY(def->consoles, def->nconsoles, sv_domain_chr_def_free);
    FREE_ARRAY(def->channels, def->nchannels, sv_domain_chr_def_free);
    FREE_ARRAY(def->inputs, def->ninputs, sv_domain_input_def_free);
    FREE_ARRAY(def->graphics, def->ngraphics, sv_domain_graphics_def_free);
    FREE_ARRAY(def->videos, def->nvideos, sv_domain_video_def_free);
    FREE_ARRAY(def->rngs, def->nrngs, sv_domain_rng_def_free);
    sv_domain_watchdog_def_free(def->watchdog);
    sv_domain_memballoon_def_free(def->memballoon);
    free(def);
}
