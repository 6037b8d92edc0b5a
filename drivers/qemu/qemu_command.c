/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "qemu_command.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sv_buf.h"
#include "sv_error.h"
#include "sv_json.h"
#include "sv_util.h"
#include "xml_util.h"

#define DEFAULT_EMULATOR "/usr/bin/qemu-system-x86_64"

typedef struct argv_list {
    char **v;
    size_t n;
} argv_list;

typedef struct build {
    const sv_domain_def *def;
    const sv_qemu_build_ctx *ctx;
    argv_list args;
    bool q35;
    bool kvm;
    bool need_usb;          /* a USB device exists */
    bool have_usb;          /* a USB controller was emitted */
    bool strict_boot;       /* per-device boot order in use */
    char sata_bus[16];      /* bus name prefix of the first SATA controller */
    bool have_sata, have_scsi, have_vserial;
} build;

static void add(build *b, const char *s)
{
    b->args.v = sv_realloc(b->args.v, (b->args.n + 2) * sizeof(char *));
    b->args.v[b->args.n++] = sv_strdup(s);
    b->args.v[b->args.n] = NULL;
}

static void addf(build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(build *b, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    b->args.v = sv_realloc(b->args.v, (b->args.n + 2) * sizeof(char *));
    b->args.v[b->args.n++] = s;
    b->args.v[b->args.n] = NULL;
}

static void add2(build *b, const char *opt, sv_buf *val)
{
    add(b, opt);
    add(b, val->data ? val->data : "");
    sv_buf_free(val);
}

/* QEMU option values escape ',' by doubling it. */
static void buf_add_opt(sv_buf *o, const char *s)
{
    for (; *s; s++) {
        if (*s == ',')
            sv_buf_add(o, ",,");
        else
            sv_buf_addn(o, s, 1);
    }
}

static int unsupported(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int unsupported(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sv_error_set(SV_FROM_QEMU, SV_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: %s", msg);
    return -1;
}

/* Index of a disk from its target name: vda → 0, sdb → 1, hdaa → 26. */
static unsigned disk_index(const char *dst)
{
    const char *p = dst;
    unsigned idx = 0;

    while (*p && !(p[0] >= 'a' && p[0] <= 'z' && p > dst + 1))
        p++;
    for (; *p >= 'a' && *p <= 'z'; p++)
        idx = idx * 26 + (unsigned)(*p - 'a') + 1;
    return idx ? idx - 1 : 0;
}

/* ",bus=pci.0,addr=0x5" for a PCI address on the root bus. */
static int pci_address(build *b, sv_buf *o, const sv_domain_device_info *info)
{
    const sv_domain_address *a = &info->addr;

    if (a->type != SV_DOMAIN_ADDR_PCI)
        return 0;
    if (a->domain != 0 || a->bus != 0)
        return unsupported("PCI address %04x:%02x:%02x.%x: only bus 0 of domain 0 is supported",
                           a->domain, a->bus, a->slot, a->function);
    sv_buf_printf(o, ",bus=%s,addr=0x%x", b->q35 ? "pcie.0" : "pci.0", a->slot);
    if (a->function)
        sv_buf_printf(o, ".0x%x", a->function);
    if (a->multifunction == SV_TRISTATE_YES)
        sv_buf_add(o, ",multifunction=on");
    return 0;
}

static void boot_index(build *b, sv_buf *o, const sv_domain_device_info *info)
{
    if (info->boot_order)
        sv_buf_printf(o, ",bootindex=%u", info->boot_order);
    (void)b;
}

/* ---- machine, cpu, memory --------------------------------------------- */

static int build_machine(build *b)
{
    const sv_domain_def *def = b->def;
    sv_buf o = {0};

    if (def->os.arch != SV_DOMAIN_ARCH_X86_64 && def->os.arch != SV_DOMAIN_ARCH_I686)
        return unsupported("architecture '%s' (this driver runs qemu-system-x86_64)",
                           sv_domain_arch_names[def->os.arch]);
    buf_add_opt(&o, def->os.machine ? def->os.machine : "pc");
    sv_buf_add(&o, ",usb=off,dump-guest-core=off");
    if (!def->acpi)
        sv_buf_add(&o, ",acpi=off");
    for (size_t i = 0; i < def->clock.ntimers; i++) {
        const sv_domain_timer_def *t = &def->clock.timers[i];

        if (t->name == SV_DOMAIN_TIMER_HPET && t->present != SV_TRISTATE_ABSENT)
            sv_buf_printf(&o, ",hpet=%s", t->present == SV_TRISTATE_YES ? "on" : "off");
    }
    add2(b, "-machine", &o);
    add(b, "-accel");
    add(b, b->kvm ? "kvm" : "tcg");
    return 0;
}

static int build_cpu(build *b)
{
    const sv_domain_cpu_def *cpu = b->def->cpu;
    sv_buf o = {0};

    if (!cpu)
        return 0;
    switch (cpu->mode) {
    case SV_DOMAIN_CPU_HOST_PASSTHROUGH:
        if (!b->kvm)
            return unsupported("CPU mode 'host-passthrough' needs <domain type='kvm'>");
        sv_buf_add(&o, "host");
        break;
    case SV_DOMAIN_CPU_HOST_MODEL:
        /* Without a CPU model database, host-model is the host CPU under
         * KVM and the richest emulated CPU under TCG. */
        sv_buf_add(&o, b->kvm ? "host" : "max");
        break;
    case SV_DOMAIN_CPU_MAXIMUM:
        sv_buf_add(&o, "max");
        break;
    case SV_DOMAIN_CPU_CUSTOM:
        if (!cpu->model) {
            if (cpu->nfeatures == 0)
                return 0;
            sv_buf_add(&o, b->kvm ? "host" : "qemu64");
        } else {
            buf_add_opt(&o, cpu->model);
        }
        break;
    }
    if (cpu->migratable == SV_TRISTATE_NO && cpu->mode == SV_DOMAIN_CPU_HOST_PASSTHROUGH)
        sv_buf_add(&o, ",migratable=off");
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        const sv_domain_cpu_feature *f = &cpu->features[i];
        bool on = f->policy == SV_DOMAIN_CPU_FEATURE_FORCE || f->policy == SV_DOMAIN_CPU_FEATURE_REQUIRE ||
                  f->policy == SV_DOMAIN_CPU_FEATURE_OPTIONAL;

        sv_buf_add(&o, ",");
        buf_add_opt(&o, f->name);
        sv_buf_add(&o, on ? "=on" : "=off");
    }
    add2(b, "-cpu", &o);
    return 0;
}

static void build_memory_smp(build *b)
{
    const sv_domain_def *def = b->def;
    const sv_domain_cpu_def *cpu = def->cpu;
    sv_buf o = {0};

    sv_buf_printf(&o, "size=%lluk", (unsigned long long)def->memory_kib);
    if (def->max_memory_kib)
        sv_buf_printf(&o, ",slots=%u,maxmem=%lluk", def->max_memory_slots,
                      (unsigned long long)def->max_memory_kib);
    add2(b, "-m", &o);

    sv_buf_printf(&o, "%u,maxcpus=%u", def->vcpus_current, def->vcpus);
    if (cpu && cpu->sockets)
        sv_buf_printf(&o, ",sockets=%u,dies=%u,cores=%u,threads=%u", cpu->sockets,
                      cpu->dies ? cpu->dies : 1, cpu->cores, cpu->threads);
    else
        sv_buf_printf(&o, ",sockets=%u,cores=1,threads=1", def->vcpus);
    add2(b, "-smp", &o);
}

/* ---- firmware, boot, clock, lifecycle ---------------------------------- */

static int build_os(build *b)
{
    const sv_domain_os_def *os = &b->def->os;
    sv_buf o = {0};

    if (os->loader) {
        if (os->loader_type == SV_DOMAIN_LOADER_PFLASH) {
            sv_buf_add(&o, "if=pflash,format=raw,unit=0,file=");
            buf_add_opt(&o, os->loader);
            if (os->loader_readonly == SV_TRISTATE_YES)
                sv_buf_add(&o, ",readonly=on");
            add2(b, "-drive", &o);
            if (os->nvram) {
                sv_buf_add(&o, "if=pflash,format=raw,unit=1,file=");
                buf_add_opt(&o, os->nvram);
                add2(b, "-drive", &o);
            }
        } else {
            add(b, "-bios");
            add(b, os->loader);
        }
    }
    if (os->kernel) {
        add(b, "-kernel");
        add(b, os->kernel);
        if (os->initrd) {
            add(b, "-initrd");
            add(b, os->initrd);
        }
        if (os->cmdline) {
            add(b, "-append");
            add(b, os->cmdline);
        }
    }
    if (b->strict_boot) {
        sv_buf_add(&o, "strict=on");
    } else if (os->nboot > 0) {
        static const char letters[] = {'a', 'd', 'c', 'n'};

        sv_buf_add(&o, "order=");
        for (size_t i = 0; i < os->nboot; i++)
            sv_buf_addn(&o, &letters[os->boot[i]], 1);
    }
    if (os->bootmenu != SV_TRISTATE_ABSENT) {
        sv_buf_printf(&o, "%smenu=%s", o.len ? "," : "", os->bootmenu == SV_TRISTATE_YES ? "on" : "off");
        if (os->has_bootmenu_timeout)
            sv_buf_printf(&o, ",splash-time=%u", os->bootmenu_timeout);
    }
    if (o.len)
        add2(b, "-boot", &o);
    return 0;
}

static int build_clock(build *b)
{
    const sv_domain_clock_def *clock = &b->def->clock;
    sv_buf o = {0};

    switch (clock->offset) {
    case SV_DOMAIN_CLOCK_UTC:
        sv_buf_add(&o, "base=utc");
        break;
    case SV_DOMAIN_CLOCK_LOCALTIME:
        sv_buf_add(&o, "base=localtime");
        break;
    default:
        return unsupported("clock offset '%s'", sv_domain_clock_offset_names[clock->offset]);
    }
    for (size_t i = 0; i < clock->ntimers; i++) {
        const sv_domain_timer_def *t = &clock->timers[i];

        switch (t->name) {
        case SV_DOMAIN_TIMER_RTC:
            if (t->tickpolicy == SV_DOMAIN_TICKPOLICY_CATCHUP)
                sv_buf_add(&o, ",driftfix=slew");
            else if (t->tickpolicy != SV_DOMAIN_TICKPOLICY_ABSENT && t->tickpolicy != SV_DOMAIN_TICKPOLICY_DELAY)
                return unsupported("rtc timer tickpolicy '%s'", sv_domain_tickpolicy_names[t->tickpolicy]);
            break;
        case SV_DOMAIN_TIMER_HPET:
            break;  /* machine property */
        case SV_DOMAIN_TIMER_PIT:
            if (t->tickpolicy == SV_DOMAIN_TICKPOLICY_ABSENT)
                break;
            if (!b->kvm)
                return unsupported("pit timer tickpolicy needs <domain type='kvm'>");
            if (t->tickpolicy != SV_DOMAIN_TICKPOLICY_DELAY && t->tickpolicy != SV_DOMAIN_TICKPOLICY_DISCARD)
                return unsupported("pit timer tickpolicy '%s'", sv_domain_tickpolicy_names[t->tickpolicy]);
            add(b, "-global");
            addf(b, "kvm-pit.lost_tick_policy=%s", sv_domain_tickpolicy_names[t->tickpolicy]);
            break;
        case SV_DOMAIN_TIMER_KVMCLOCK:
            if (t->present == SV_TRISTATE_NO && !b->kvm)
                break;  /* TCG guests have no kvmclock */
            if (t->present != SV_TRISTATE_ABSENT)
                return unsupported("kvmclock timer setting (use <cpu> features)");
            break;
        default:
            if (t->present != SV_TRISTATE_ABSENT || t->tickpolicy != SV_DOMAIN_TICKPOLICY_ABSENT)
                return unsupported("timer '%s'", sv_domain_timer_name_names[t->name]);
        }
    }
    add2(b, "-rtc", &o);
    return 0;
}

static void build_lifecycle(build *b)
{
    /* The driver itself decides what a guest power-off means (on_poweroff),
     * so QEMU must stop rather than exit and report SHUTDOWN. */
    add(b, "-no-shutdown");
    if (b->def->on_reboot == SV_DOMAIN_LIFECYCLE_DESTROY)
        add(b, "-no-reboot");
}

/* ---- controllers ------------------------------------------------------ */

static const char *usb_model_device(const char *model, bool q35)
{
    static const struct {
        const char *model, *device;
    } map[] = {
        {"qemu-xhci", "qemu-xhci"}, {"piix3-uhci", "piix3-usb-uhci"}, {"piix4-uhci", "piix4-usb-uhci"},
        {"ehci", "usb-ehci"}, {"ich9-ehci1", "ich9-usb-ehci1"}, {"nec-xhci", "nec-usb-xhci"},
        {"pci-ohci", "pci-ohci"},
    };

    if (!model)
        return q35 ? "qemu-xhci" : "piix3-usb-uhci";
    for (size_t i = 0; i < SV_ARRAY_SIZE(map); i++)
        if (strcmp(map[i].model, model) == 0)
            return map[i].device;
    return NULL;
}

static int build_controllers(build *b)
{
    const sv_domain_def *def = b->def;

    for (size_t i = 0; i < def->ncontrollers; i++) {
        const sv_domain_controller_def *c = def->controllers[i];
        sv_buf o = {0};

        switch (c->type) {
        case SV_DOMAIN_CONTROLLER_USB: {
            const char *dev;

            if (sv_streq(c->model, "none"))
                continue;
            dev = usb_model_device(c->model, b->q35);
            if (!dev)
                return unsupported("USB controller model '%s'", c->model);
            if (c->index > 0)
                return unsupported("more than one USB controller");
            sv_buf_printf(&o, "%s,id=usb", dev);
            b->have_usb = true;
            break;
        }
        case SV_DOMAIN_CONTROLLER_SCSI:
            if (!c->model || sv_streq(c->model, "virtio-scsi") || sv_streq(c->model, "auto"))
                sv_buf_printf(&o, "virtio-scsi-pci,id=scsi%u", c->index);
            else if (sv_streq(c->model, "lsilogic"))
                sv_buf_printf(&o, "lsi53c895a,id=scsi%u", c->index);
            else
                return unsupported("SCSI controller model '%s'", c->model);
            b->have_scsi = true;
            break;
        case SV_DOMAIN_CONTROLLER_SATA:
            if (b->have_sata)
                return unsupported("more than one SATA controller");
            b->have_sata = true;
            if (b->q35 && c->index == 0) {
                /* q35 has its AHCI controller built in, named "ide". */
                snprintf(b->sata_bus, sizeof(b->sata_bus), "ide");
                continue;
            }
            snprintf(b->sata_bus, sizeof(b->sata_bus), "sata%u", c->index);
            sv_buf_printf(&o, "ahci,id=sata%u", c->index);
            break;
        case SV_DOMAIN_CONTROLLER_VIRTIO_SERIAL:
            sv_buf_printf(&o, "virtio-serial-pci,id=virtio-serial%u", c->index);
            if (c->ports)
                sv_buf_printf(&o, ",max_ports=%u", c->ports);
            if (c->vectors)
                sv_buf_printf(&o, ",vectors=%u", c->vectors);
            b->have_vserial = true;
            break;
        case SV_DOMAIN_CONTROLLER_PCI:
            if (c->index == 0)
                continue;  /* the root bus is part of the machine */
            return unsupported("PCI controller index %u (only the root bus)", c->index);
        case SV_DOMAIN_CONTROLLER_IDE:
            if (b->q35)
                return unsupported("IDE controller on a q35 machine");
            if (c->index > 0)
                return unsupported("more than one IDE controller");
            continue;  /* built into the pc machine */
        case SV_DOMAIN_CONTROLLER_FDC:
            continue;
        }
        if (pci_address(b, &o, &c->info) < 0) {
            sv_buf_free(&o);
            return -1;
        }
        add2(b, "-device", &o);
    }
    return 0;
}

/* Controllers libvirt would add implicitly for the devices present. */
static void build_implicit_controllers(build *b)
{
    const sv_domain_def *def = b->def;
    bool need_scsi = false, need_sata = false, need_vserial = def->nchannels > 0;

    for (size_t i = 0; i < def->ndisks; i++) {
        need_scsi |= def->disks[i]->bus == SV_DOMAIN_DISK_BUS_SCSI;
        need_sata |= def->disks[i]->bus == SV_DOMAIN_DISK_BUS_SATA;
        b->need_usb |= def->disks[i]->bus == SV_DOMAIN_DISK_BUS_USB;
    }
    for (size_t i = 0; i < def->nconsoles; i++)
        need_vserial |= def->consoles[i]->target_type == SV_DOMAIN_CONSOLE_TARGET_VIRTIO;
    for (size_t i = 0; i < def->ninputs; i++)
        b->need_usb |= def->inputs[i]->bus == SV_DOMAIN_INPUT_BUS_USB;
    for (size_t i = 0; i < def->nserials; i++)
        b->need_usb |= def->serials[i]->target_type == SV_DOMAIN_SERIAL_TARGET_USB;

    if (b->need_usb && !b->have_usb) {
        bool disabled = false;

        for (size_t i = 0; i < def->ncontrollers; i++)
            disabled |= def->controllers[i]->type == SV_DOMAIN_CONTROLLER_USB &&
                        sv_streq(def->controllers[i]->model, "none");
        if (!disabled) {
            add(b, "-device");
            addf(b, "%s,id=usb", usb_model_device(NULL, b->q35));
            b->have_usb = true;
        }
    }
    if (need_scsi && !b->have_scsi) {
        add(b, "-device");
        add(b, "virtio-scsi-pci,id=scsi0");
        b->have_scsi = true;
    }
    if (need_sata && !b->have_sata) {
        b->have_sata = true;
        if (b->q35) {
            snprintf(b->sata_bus, sizeof(b->sata_bus), "ide");
        } else {
            snprintf(b->sata_bus, sizeof(b->sata_bus), "sata0");
            add(b, "-device");
            add(b, "ahci,id=sata0");
        }
    }
    if (need_vserial && !b->have_vserial) {
        add(b, "-device");
        add(b, "virtio-serial-pci,id=virtio-serial0");
        b->have_vserial = true;
    }
}

/* ---- disks ------------------------------------------------------------ */

static void disk_cache_flags(sv_domain_disk_cache cache, bool *direct, bool *no_flush, int *write_cache)
{
    *direct = cache == SV_DOMAIN_DISK_CACHE_NONE || cache == SV_DOMAIN_DISK_CACHE_DIRECTSYNC;
    *no_flush = cache == SV_DOMAIN_DISK_CACHE_UNSAFE;
    switch (cache) {
    case SV_DOMAIN_DISK_CACHE_WRITETHROUGH:
    case SV_DOMAIN_DISK_CACHE_DIRECTSYNC:
        *write_cache = 0;
        break;
    case SV_DOMAIN_DISK_CACHE_NONE:
    case SV_DOMAIN_DISK_CACHE_WRITEBACK:
    case SV_DOMAIN_DISK_CACHE_UNSAFE:
        *write_cache = 1;
        break;
    default:
        *write_cache = -1;
    }
}

static int build_disk_backend(build *b, size_t i, const sv_domain_disk_def *d)
{
    int fd = b->ctx->disk_fds ? b->ctx->disk_fds[i] : -1;
    bool direct, no_flush;
    int write_cache;
    sv_buf o = {0};

    disk_cache_flags(d->cache, &direct, &no_flush, &write_cache);
    if (fd >= 0) {
        add(b, "-add-fd");
        addf(b, "set=%zu,fd=%d,opaque=disk-%s", i + 1, fd, d->dst);
    }
    sv_buf_printf(&o, "{\"driver\":\"%s\",\"filename\":", d->type == SV_DOMAIN_DISK_BLOCK ? "host_device" : "file");
    if (fd >= 0) {
        char path[32];

        snprintf(path, sizeof(path), "/dev/fdset/%zu", i + 1);
        sv_json_append_string(&o, path);
    } else {
        sv_json_append_string(&o, d->src);
    }
    sv_buf_printf(&o, ",\"node-name\":\"sv-%s-file\"", d->dst);
    if (d->io != SV_DOMAIN_DISK_IO_ABSENT) {
        if (d->io == SV_DOMAIN_DISK_IO_NATIVE && !direct) {
            sv_buf_free(&o);
            return unsupported("disk '%s': io='native' needs cache='none' or 'directsync'", d->dst);
        }
        sv_buf_printf(&o, ",\"aio\":\"%s\"", sv_domain_disk_io_names[d->io]);
    }
    if (d->cache != SV_DOMAIN_DISK_CACHE_ABSENT && d->cache != SV_DOMAIN_DISK_CACHE_DEFAULT)
        sv_buf_printf(&o, ",\"cache\":{\"direct\":%s,\"no-flush\":%s}", direct ? "true" : "false",
                      no_flush ? "true" : "false");
    if (d->discard != SV_DOMAIN_DISK_DISCARD_ABSENT)
        sv_buf_printf(&o, ",\"discard\":\"%s\"", sv_domain_disk_discard_names[d->discard]);
    sv_buf_printf(&o, ",\"read-only\":%s}", d->readonly ? "true" : "false");
    add2(b, "-blockdev", &o);

    sv_buf_printf(&o, "{\"node-name\":\"sv-%s-fmt\",\"driver\":\"%s\",\"file\":\"sv-%s-file\"", d->dst,
                  sv_domain_disk_format_names[d->format], d->dst);
    if (d->discard != SV_DOMAIN_DISK_DISCARD_ABSENT)
        sv_buf_printf(&o, ",\"discard\":\"%s\"", sv_domain_disk_discard_names[d->discard]);
    sv_buf_printf(&o, ",\"read-only\":%s}", d->readonly ? "true" : "false");
    add2(b, "-blockdev", &o);
    return 0;
}

static int build_disk(build *b, size_t i)
{
    const sv_domain_disk_def *d = b->def->disks[i];
    bool cdrom = d->device == SV_DOMAIN_DISK_DEVICE_CDROM;
    const sv_domain_address *a = &d->info.addr;
    unsigned idx = disk_index(d->dst);
    bool direct, no_flush;
    int write_cache;
    sv_buf o = {0};

    if (d->src && build_disk_backend(b, i, d) < 0)
        return -1;
    switch (d->bus) {
    case SV_DOMAIN_DISK_BUS_VIRTIO:
        if (cdrom)
            return unsupported("disk '%s': a cdrom cannot use bus 'virtio'", d->dst);
        sv_buf_printf(&o, "virtio-blk-pci,id=virtio-disk%u", idx);
        if (pci_address(b, &o, &d->info) < 0) {
            sv_buf_free(&o);
            return -1;
        }
        break;
    case SV_DOMAIN_DISK_BUS_SATA: {
        unsigned unit = a->type == SV_DOMAIN_ADDR_DRIVE ? a->unit : idx;

        if (unit > 5)
            return unsupported("disk '%s': SATA has 6 ports", d->dst);
        sv_buf_printf(&o, "%s,bus=%s.%u,id=sata0-0-%u", cdrom ? "ide-cd" : "ide-hd", b->sata_bus, unit, unit);
        break;
    }
    case SV_DOMAIN_DISK_BUS_IDE: {
        unsigned bus = a->type == SV_DOMAIN_ADDR_DRIVE ? a->bus : idx / 2;
        unsigned unit = a->type == SV_DOMAIN_ADDR_DRIVE ? a->unit : idx % 2;

        if (b->q35)
            return unsupported("disk '%s': IDE bus on a q35 machine (use sata)", d->dst);
        if (bus > 1 || unit > 1)
            return unsupported("disk '%s': IDE has 2 buses of 2 units", d->dst);
        sv_buf_printf(&o, "%s,bus=ide.%u,unit=%u,id=ide0-%u-%u", cdrom ? "ide-cd" : "ide-hd", bus, unit, bus, unit);
        break;
    }
    case SV_DOMAIN_DISK_BUS_SCSI: {
        unsigned ctrl = a->type == SV_DOMAIN_ADDR_DRIVE ? a->controller : 0;
        unsigned unit = a->type == SV_DOMAIN_ADDR_DRIVE ? a->unit : idx;

        sv_buf_printf(&o, "%s,bus=scsi%u.0,channel=0,scsi-id=%u,lun=0,id=scsi%u-0-%u-0",
                      cdrom ? "scsi-cd" : "scsi-hd", ctrl, unit, ctrl, unit);
        break;
    }
    case SV_DOMAIN_DISK_BUS_USB:
        if (cdrom)
            return unsupported("disk '%s': a cdrom cannot use bus 'usb'", d->dst);
        sv_buf_printf(&o, "usb-storage,bus=usb.0,id=usb-disk%u", idx);
        break;
    }
    if (d->src)
        sv_buf_printf(&o, ",drive=sv-%s-fmt", d->dst);
    if (d->serial) {
        sv_buf_add(&o, ",serial=");
        buf_add_opt(&o, d->serial);
    }
    if (d->shareable)
        sv_buf_add(&o, ",share-rw=on");
    disk_cache_flags(d->cache, &direct, &no_flush, &write_cache);
    if (write_cache >= 0 && !cdrom && d->bus != SV_DOMAIN_DISK_BUS_USB)
        sv_buf_printf(&o, ",write-cache=%s", write_cache ? "on" : "off");
    boot_index(b, &o, &d->info);
    add2(b, "-device", &o);
    return 0;
}

/* ---- network ------------------------------------------------------------ */

static const char *const net_model_devices[] = {
    [SV_DOMAIN_NET_MODEL_VIRTIO] = "virtio-net-pci",
    [SV_DOMAIN_NET_MODEL_E1000] = "e1000",
    [SV_DOMAIN_NET_MODEL_E1000E] = "e1000e",
    [SV_DOMAIN_NET_MODEL_RTL8139] = "rtl8139",
    [SV_DOMAIN_NET_MODEL_NE2K_PCI] = "ne2k_pci",
    [SV_DOMAIN_NET_MODEL_PCNET] = "pcnet",
    [SV_DOMAIN_NET_MODEL_VMXNET3] = "vmxnet3",
};

static int build_net(build *b, size_t i)
{
    const sv_domain_net_def *n = b->def->nets[i];
    const sv_qemu_net_backend *be = b->ctx->nets ? &b->ctx->nets[i] : NULL;
    char mac[SV_MAC_STRLEN];
    sv_buf o = {0};

    if (!be)
        return unsupported("interface %zu has no host backend", i);
    switch (be->kind) {
    case SV_QEMU_NET_TAP:
        sv_buf_printf(&o, "tap,fd=%d,id=hostnet%zu,vhost=off", be->fd, i);
        break;
    case SV_QEMU_NET_PASST:
        sv_buf_printf(&o, "stream,id=hostnet%zu,server=off,addr.type=fd,addr.str=%d", i, be->fd);
        break;
    case SV_QEMU_NET_USER:
        sv_buf_printf(&o, "user,id=hostnet%zu", i);
        break;
    }
    add2(b, "-netdev", &o);

    sv_mac_format(n->mac, mac);
    sv_buf_printf(&o, "%s,netdev=hostnet%zu,id=net%zu,mac=%s", net_model_devices[n->model], i, i, mac);
    if (pci_address(b, &o, &n->info) < 0) {
        sv_buf_free(&o);
        return -1;
    }
    boot_index(b, &o, &n->info);
    add2(b, "-device", &o);
    return 0;
}

/* ---- character devices -------------------------------------------------- */

/* "-chardev" for a character device backend; id is charserial0 etc.
 * log_fd >= 0: QEMU also writes the output there, through fd set log_set. */
static void build_chardev(build *b, const sv_domain_chr_def *c, const char *id, int fd,
                          int log_fd, size_t log_set)
{
    sv_buf o = {0};

    if (log_fd >= 0) {
        add(b, "-add-fd");
        addf(b, "set=%zu,fd=%d,opaque=log-%s", log_set, log_fd, id);
    }

    if (fd >= 0) {
        sv_buf_printf(&o, "socket,id=%s,fd=%d,server=on,wait=off", id, fd);
    } else {
        switch (c->type) {
        case SV_DOMAIN_CHR_PTY:
            sv_buf_printf(&o, "pty,id=%s", id);
            break;
        case SV_DOMAIN_CHR_FILE:
            sv_buf_printf(&o, "file,id=%s,path=", id);
            buf_add_opt(&o, c->path);
            if (c->append != SV_TRISTATE_ABSENT)
                sv_buf_printf(&o, ",append=%s", c->append == SV_TRISTATE_YES ? "on" : "off");
            break;
        case SV_DOMAIN_CHR_UNIX:
            sv_buf_printf(&o, "socket,id=%s,path=", id);
            buf_add_opt(&o, c->path);
            sv_buf_add(&o, c->mode == SV_DOMAIN_CHR_BIND ? ",server=on,wait=off" : ",server=off");
            break;
        }
    }
    if (log_fd >= 0)
        sv_buf_printf(&o, ",logfile=/dev/fdset/%zu,logappend=on", log_set);
    add2(b, "-chardev", &o);
}

static int build_serials(build *b)
{
    const sv_domain_def *def = b->def;

    for (size_t i = 0; i < def->nserials; i++) {
        const sv_domain_chr_def *c = def->serials[i];
        int fd = b->ctx->serial_fds ? b->ctx->serial_fds[i] : -1;
        int log_fd = b->ctx->serial_log_fds ? b->ctx->serial_log_fds[i] : -1;
        char id[32];
        sv_buf o = {0};

        snprintf(id, sizeof(id), "charserial%zu", i);
        /* Fd sets 1..ndisks are the disks'. */
        build_chardev(b, c, id, fd, log_fd, def->ndisks + 1 + i);
        switch ((sv_domain_serial_target)c->target_type) {
        case SV_DOMAIN_SERIAL_TARGET_ISA:
            sv_buf_printf(&o, "isa-serial,chardev=%s,id=serial%zu,index=%d", id, i, c->target_port);
            break;
        case SV_DOMAIN_SERIAL_TARGET_PCI:
            sv_buf_printf(&o, "pci-serial,chardev=%s,id=serial%zu", id, i);
            if (pci_address(b, &o, &c->info) < 0) {
                sv_buf_free(&o);
                return -1;
            }
            break;
        case SV_DOMAIN_SERIAL_TARGET_USB:
            sv_buf_printf(&o, "usb-serial,chardev=%s,id=serial%zu,bus=usb.0", id, i);
            break;
        }
        add2(b, "-device", &o);
    }
    for (size_t i = 0; i < def->nconsoles; i++) {
        const sv_domain_chr_def *c = def->consoles[i];
        char id[32];

        if (c->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL)
            continue;  /* the same port as serial0, already built */
        snprintf(id, sizeof(id), "charconsole%zu", i);
        build_chardev(b, c, id, -1, -1, 0);
        add(b, "-device");
        addf(b, "virtconsole,chardev=%s,id=console%zu", id, i);
    }
    for (size_t i = 0; i < def->nchannels; i++) {
        const sv_domain_chr_def *c = def->channels[i];
        int fd = b->ctx->channel_fds ? b->ctx->channel_fds[i] : -1;
        unsigned port = c->info.addr.type == SV_DOMAIN_ADDR_VIRTIO_SERIAL ? c->info.addr.port : (unsigned)i + 1;
        unsigned bus = c->info.addr.type == SV_DOMAIN_ADDR_VIRTIO_SERIAL ? c->info.addr.controller : 0;
        char id[32];
        sv_buf o = {0};

        snprintf(id, sizeof(id), "charchannel%zu", i);
        build_chardev(b, c, id, fd, -1, 0);
        sv_buf_printf(&o, "virtserialport,bus=virtio-serial%u.0,nr=%u,chardev=%s,id=channel%zu", bus, port, id, i);
        if (c->target_name) {
            sv_buf_add(&o, ",name=");
            buf_add_opt(&o, c->target_name);
        }
        add2(b, "-device", &o);
    }
    return 0;
}

/* ---- graphics, video, input ------------------------------------------- */

static int build_graphics(build *b)
{
    const sv_domain_def *def = b->def;

    if (def->ngraphics > 1)
        return unsupported("more than one <graphics> device");
    for (size_t i = 0; i < def->ngraphics; i++) {
        const sv_domain_graphics_def *g = def->graphics[i];
        int port = b->ctx->vnc_ports ? b->ctx->vnc_ports[i] : g->port;
        const char *addr = g->listen_address ? g->listen_address : "127.0.0.1";
        sv_buf o = {0};

        if (g->type == SV_DOMAIN_GRAPHICS_VNC) {
            if (g->has_listen && g->listen_type == SV_DOMAIN_LISTEN_NONE) {
                sv_buf_add(&o, "none");
            } else {
                if (port < 5900 || port > 65535)
                    return unsupported("VNC port %d (must be 5900-65535)", port);
                if (strchr(addr, ':'))
                    sv_buf_printf(&o, "[%s]:%d", addr, port - 5900);
                else
                    sv_buf_printf(&o, "%s:%d", addr, port - 5900);
            }
            add2(b, "-vnc", &o);
        } else {
            if (g->has_listen && g->listen_type == SV_DOMAIN_LISTEN_NONE)
                sv_buf_add(&o, "port=0");
            else
                sv_buf_printf(&o, "port=%d,addr=%s", port, addr);
            if (g->tls_port > 0)
                sv_buf_printf(&o, ",tls-port=%d", g->tls_port);
            sv_buf_add(&o, ",disable-ticketing=on,seamless-migration=on");
            add2(b, "-spice", &o);
        }
        if (g->keymap) {
            add(b, "-k");
            add(b, g->keymap);
        }
    }
    return 0;
}

static int build_videos(build *b)
{
    const sv_domain_def *def = b->def;

    for (size_t i = 0; i < def->nvideos; i++) {
        const sv_domain_video_def *v = def->videos[i];
        const char *dev = NULL;
        sv_buf o = {0};

        if (i > 0 && v->model != SV_DOMAIN_VIDEO_QXL && v->model != SV_DOMAIN_VIDEO_VIRTIO)
            return unsupported("secondary video model '%s'", sv_domain_video_model_names[v->model]);
        switch (v->model) {
        case SV_DOMAIN_VIDEO_VGA: dev = "VGA"; break;
        case SV_DOMAIN_VIDEO_CIRRUS: dev = "cirrus-vga"; break;
        case SV_DOMAIN_VIDEO_VMVGA: dev = "vmware-svga"; break;
        case SV_DOMAIN_VIDEO_QXL: dev = i == 0 ? "qxl-vga" : "qxl"; break;
        case SV_DOMAIN_VIDEO_VIRTIO: dev = i == 0 ? "virtio-vga" : "virtio-gpu-pci"; break;
        case SV_DOMAIN_VIDEO_BOCHS: dev = "bochs-display"; break;
        case SV_DOMAIN_VIDEO_RAMFB: dev = "ramfb"; break;
        case SV_DOMAIN_VIDEO_NONE: continue;
        }
        sv_buf_printf(&o, "%s,id=video%zu", dev, i);
        if (v->model == SV_DOMAIN_VIDEO_VGA || v->model == SV_DOMAIN_VIDEO_VMVGA) {
            if (v->vram)
                sv_buf_printf(&o, ",vgamem_mb=%u", v->vram / 1024);
        } else if (v->model == SV_DOMAIN_VIDEO_QXL) {
            if (v->ram)
                sv_buf_printf(&o, ",ram_size=%llu", (unsigned long long)v->ram * 1024);
            if (v->vram)
                sv_buf_printf(&o, ",vram_size=%llu", (unsigned long long)v->vram * 1024);
            if (v->vgamem && i == 0)
                sv_buf_printf(&o, ",vgamem_mb=%u", v->vgamem / 1024);
        } else if (v->model == SV_DOMAIN_VIDEO_VIRTIO && v->heads > 1) {
            sv_buf_printf(&o, ",max_outputs=%u", v->heads);
        }
        if (pci_address(b, &o, &v->info) < 0) {
            sv_buf_free(&o);
            return -1;
        }
        add2(b, "-device", &o);
    }
    return 0;
}

static void build_inputs(build *b)
{
    static const char *const usb_devs[] = {"usb-mouse", "usb-tablet", "usb-kbd"};
    static const char *const virtio_devs[] = {"virtio-mouse-pci", "virtio-tablet-pci", "virtio-keyboard-pci"};
    const sv_domain_def *def = b->def;

    for (size_t i = 0; i < def->ninputs; i++) {
        const sv_domain_input_def *in = def->inputs[i];

        if (in->bus == SV_DOMAIN_INPUT_BUS_PS2)
            continue;  /* the i8042 controller is part of the pc/q35 machine */
        add(b, "-device");
        if (in->bus == SV_DOMAIN_INPUT_BUS_USB)
            addf(b, "%s,id=input%zu,bus=usb.0", usb_devs[in->type], i);
        else
            addf(b, "%s,id=input%zu", virtio_devs[in->type], i);
    }
}

/* ---- rng, balloon, watchdog -------------------------------------------- */

static void build_rngs(build *b)
{
    const sv_domain_def *def = b->def;

    for (size_t i = 0; i < def->nrngs; i++) {
        const sv_domain_rng_def *r = def->rngs[i];
        sv_buf o = {0};

        if (r->backend == SV_DOMAIN_RNG_BACKEND_BUILTIN) {
            sv_buf_printf(&o, "{\"qom-type\":\"rng-builtin\",\"id\":\"objrng%zu\"}", i);
        } else {
            sv_buf_printf(&o, "{\"qom-type\":\"rng-random\",\"id\":\"objrng%zu\",\"filename\":", i);
            sv_json_append_string(&o, r->device ? r->device : "/dev/urandom");
            sv_buf_add(&o, "}");
        }
        add2(b, "-object", &o);
        sv_buf_printf(&o, "virtio-rng-pci,rng=objrng%zu,id=rng%zu", i, i);
        if (r->rate_bytes) {
            sv_buf_printf(&o, ",max-bytes=%u,period=%u", r->rate_bytes, r->rate_period ? r->rate_period : 1000);
        }
        (void)pci_address(b, &o, &r->info);
        add2(b, "-device", &o);
    }
}

static int build_balloon_watchdog(build *b)
{
    const sv_domain_def *def = b->def;
    const sv_domain_memballoon_def *m = def->memballoon;
    const sv_domain_watchdog_def *w = def->watchdog;
    sv_buf o = {0};

    if (m && m->model == SV_DOMAIN_MEMBALLOON_VIRTIO) {
        sv_buf_add(&o, "virtio-balloon-pci,id=balloon0");
        if (m->autodeflate != SV_TRISTATE_ABSENT)
            sv_buf_printf(&o, ",deflate-on-oom=%s", m->autodeflate == SV_TRISTATE_YES ? "on" : "off");
        if (pci_address(b, &o, &m->info) < 0) {
            sv_buf_free(&o);
            return -1;
        }
        add2(b, "-device", &o);
    }
    if (w) {
        static const char *const actions[] = {
            [SV_DOMAIN_WATCHDOG_RESET] = "reset", [SV_DOMAIN_WATCHDOG_SHUTDOWN] = "shutdown",
            [SV_DOMAIN_WATCHDOG_POWEROFF] = "poweroff", [SV_DOMAIN_WATCHDOG_PAUSE] = "pause",
            [SV_DOMAIN_WATCHDOG_NONE] = "none", [SV_DOMAIN_WATCHDOG_DUMP] = NULL,
            [SV_DOMAIN_WATCHDOG_INJECT_NMI] = "inject-nmi",
        };

        if (w->model != SV_DOMAIN_WATCHDOG_I6300ESB && w->model != SV_DOMAIN_WATCHDOG_IB700)
            return unsupported("watchdog model '%s' on x86", sv_domain_watchdog_model_names[w->model]);
        if (!actions[w->action])
            return unsupported("watchdog action '%s'", sv_domain_watchdog_action_names[w->action]);
        add(b, "-device");
        addf(b, "%s,id=watchdog0", sv_domain_watchdog_model_names[w->model]);
        add(b, "-action");
        addf(b, "watchdog=%s", actions[w->action]);
    }
    return 0;
}

/* ---- the whole command line -------------------------------------------- */

static bool machine_is_q35(const char *machine)
{
    return machine && (strcmp(machine, "q35") == 0 || strncmp(machine, "pc-q35-", 7) == 0);
}

static int build_all(build *b)
{
    const sv_domain_def *def = b->def;
    char uuid[SV_UUID_STRLEN];
    sv_buf o = {0};

    add(b, def->emulator ? def->emulator : b->ctx->emulator ? b->ctx->emulator : DEFAULT_EMULATOR);
    sv_buf_add(&o, "guest=");
    buf_add_opt(&o, def->name);
    sv_buf_add(&o, ",debug-threads=on");
    add2(b, "-name", &o);
    add(b, "-S");
    if (build_machine(b) < 0 || build_cpu(b) < 0)
        return -1;
    build_memory_smp(b);
    sv_uuid_format(def->uuid, uuid);
    add(b, "-uuid");
    add(b, uuid);
    add(b, "-no-user-config");
    add(b, "-nodefaults");
    /* No local window ever: consoles are VNC/SPICE servers or streams. */
    add(b, "-display");
    add(b, "none");
    add(b, "-chardev");
    addf(b, "socket,id=charmonitor,fd=%d,server=on,wait=off", b->ctx->monitor_fd);
    add(b, "-mon");
    add(b, "chardev=charmonitor,id=monitor,mode=control");
    if (build_clock(b) < 0)
        return -1;
    build_lifecycle(b);
    if (build_os(b) < 0)
        return -1;
    if (build_controllers(b) < 0)
        return -1;
    build_implicit_controllers(b);
    for (size_t i = 0; i < def->ndisks; i++)
        if (build_disk(b, i) < 0)
            return -1;
    for (size_t i = 0; i < def->nnets; i++)
        if (build_net(b, i) < 0)
            return -1;
    if (build_serials(b) < 0)
        return -1;
    build_inputs(b);
    if (build_graphics(b) < 0 || build_videos(b) < 0)
        return -1;
    build_rngs(b);
    if (build_balloon_watchdog(b) < 0)
        return -1;
    add(b, "-sandbox");
    add(b, "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    add(b, "-msg");
    add(b, "timestamp=on");
    return 0;
}

int sv_qemu_build_argv(const sv_domain_def *def, const sv_qemu_build_ctx *ctx, char ***ret_argv)
{
    build b = {.def = def, .ctx = ctx};

    b.q35 = machine_is_q35(def->os.machine);
    b.kvm = def->virt_type == SV_DOMAIN_VIRT_KVM;
    for (size_t i = 0; i < def->ndisks; i++)
        b.strict_boot |= def->disks[i]->info.boot_order != 0;
    for (size_t i = 0; i < def->nnets; i++)
        b.strict_boot |= def->nets[i]->info.boot_order != 0;
    if (ctx->monitor_fd < 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "no monitor socket for the QEMU command line");
        return -1;
    }
    if (build_all(&b) < 0) {
        sv_qemu_argv_free(b.args.v);
        return -1;
    }
    *ret_argv = b.args.v;
    return 0;
}

void sv_qemu_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **p = argv; *p; p++)
        free(*p);
    free(argv);
}

char *sv_qemu_argv_to_string(char *const *argv)
{
    sv_buf o = {0};

    for (char *const *p = argv; *p; p++) {
        const char *s = *p;
        bool plain = *s != '\0';

        for (const char *c = s; *c; c++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,:/+@%", *c))
                plain = false;
        if (p != argv)
            sv_buf_add(&o, p[-1][0] == '-' && (*p)[0] != '-' ? " " : " \\\n");
        if (plain) {
            sv_buf_add(&o, s);
        } else {
            sv_buf_add(&o, "'");
            for (const char *c = s; *c; c++) {
                if (*c == '\'')
                    sv_buf_add(&o, "'\\''");
                else
                    sv_buf_addn(&o, c, 1);
            }
            sv_buf_add(&o, "'");
        }
    }
    sv_buf_add(&o, "\n");
    return sv_buf_steal(&o);
}
