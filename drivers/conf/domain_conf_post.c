/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain post-parse: the defaults libvirt fills in and the checks that
 * look at more than one element.  Errors name the <domain> element (line
 * of the root) plus the device they are about.
 */
#include <string.h>

#include "domain_conf_priv.h"
#include "sv_error.h"

static void os_defaults(sv_domain_os_def *os)
{
    static const char *const machines[] = {
        [SV_DOMAIN_ARCH_X86_64] = "pc",     [SV_DOMAIN_ARCH_I686] = "pc",
        [SV_DOMAIN_ARCH_AARCH64] = "virt",  [SV_DOMAIN_ARCH_ARMV7L] = "virt",
        [SV_DOMAIN_ARCH_PPC64] = "pseries", [SV_DOMAIN_ARCH_PPC64LE] = "pseries",
        [SV_DOMAIN_ARCH_S390X] = "s390-ccw-virtio", [SV_DOMAIN_ARCH_RISCV64] = "virt",
    };

    if (!os->machine)
        os->machine = sv_strdup(machines[os->arch]);
}

static int cpu_defaults(sv_domain_def *def, xmlNode *root)
{
    sv_domain_cpu_def *cpu = def->cpu;

    if (!cpu)
        return 0;
    switch (cpu->mode) {
    case SV_DOMAIN_CPU_CUSTOM:
        if (cpu->model) {
            if (!cpu->match)
                cpu->match = SV_DOMAIN_CPU_MATCH_EXACT;
            if (!cpu->check)
                cpu->check = SV_DOMAIN_CPU_CHECK_PARTIAL;
        }
        break;
    case SV_DOMAIN_CPU_HOST_MODEL:
        if (!cpu->check)
            cpu->check = SV_DOMAIN_CPU_CHECK_PARTIAL;
        break;
    case SV_DOMAIN_CPU_HOST_PASSTHROUGH:
    case SV_DOMAIN_CPU_MAXIMUM:
        if (!cpu->check)
            cpu->check = SV_DOMAIN_CPU_CHECK_NONE;
        if (!cpu->migratable)
            cpu->migratable = SV_TRISTATE_YES;
        break;
    }
    if (cpu->sockets) {
        uint64_t total = (uint64_t)cpu->sockets * cpu->dies * cpu->cores * cpu->threads;

        if (total != def->vcpus)
            return sv_xml_error(root, "CPU topology (%u sockets x %u dies x %u cores x %u threads = %llu) "
                                "does not match the maximum vcpu count %u", cpu->sockets, cpu->dies,
                                cpu->cores, cpu->threads, (unsigned long long)total, def->vcpus);
    }
    return 0;
}

static void boot_defaults(sv_domain_def *def)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i]->info.boot_order)
            return;
    for (size_t i = 0; i < def->nnets; i++)
        if (def->nets[i]->info.boot_order)
            return;
    /* libvirt boots from the first hard disk when nothing says otherwise */
    if (def->os.nboot == 0)
        def->os.boot[def->os.nboot++] = SV_DOMAIN_BOOT_HD;
}

static int controllers_fill(sv_domain_def *def, xmlNode *root)
{
    /* used[type][index]: indexes are 0-255 (checked by the parser) */
    bool used[SV_DOMAIN_CONTROLLER_USB + 1][256] = {{false}};

    for (size_t i = 0; i < def->ncontrollers; i++)
        if (def->controllers[i]->index != UINT32_MAX)
            used[def->controllers[i]->type][def->controllers[i]->index] = true;
    for (size_t i = 0; i < def->ncontrollers; i++) {
        sv_domain_controller_def *c = def->controllers[i];
        unsigned next = 0;

        if (c->index != UINT32_MAX)
            continue;
        /* libvirt picks the lowest index no controller of the type uses */
        while (next < 256 && used[c->type][next])
            next++;
        if (next == 256)
            return sv_xml_error(root, "no free index for a '%s' controller", sv_domain_controller_type_names[c->type]);
        used[c->type][next] = true;
        c->index = next;
    }
    for (size_t i = 0; i < def->ncontrollers; i++) {
        sv_domain_controller_def *c = def->controllers[i];
        bool root_model = c->model && (strcmp(c->model, "pci-root") == 0 || strcmp(c->model, "pcie-root") == 0);

        if (c->type == SV_DOMAIN_CONTROLLER_PCI && c->model && (root_model != (c->index == 0)))
            return sv_xml_error(root, "pci controller model '%s' %s index 0", c->model,
                                root_model ? "must have" : "cannot have");
        if (root_model && c->info.addr.type != SV_DOMAIN_ADDR_NONE)
            return sv_xml_error(root, "a %s controller cannot have an address", c->model);
    }
    return 0;
}

static sv_domain_chr_def *chr_new_from(const sv_domain_chr_def *src, sv_domain_chr_device kind)
{
    sv_domain_chr_def *chr = sv_malloc0(sizeof(*chr));

    chr->device = kind;
    sv_domain_chr_copy_source(chr, src);
    chr->target_type = kind == SV_DOMAIN_CHR_SERIAL ? -1 : SV_DOMAIN_CONSOLE_TARGET_SERIAL;
    chr->target_port = -1;
    return chr;
}

/* libvirt's console/serial pairing for HVM guests: a serial console is an
 * alias of the first serial port.  <console> alone gets a serial port
 * made from it; <serial> without a serial console gets one, inserted as
 * the first console. */
static int chr_fill(sv_domain_def *def, xmlNode *root)
{
    sv_domain_serial_target dflt = def->os.arch == SV_DOMAIN_ARCH_X86_64 || def->os.arch == SV_DOMAIN_ARCH_I686
                                       ? SV_DOMAIN_SERIAL_TARGET_ISA
                                       : SV_DOMAIN_SERIAL_TARGET_PCI;

    for (size_t i = 1; i < def->nconsoles; i++)
        if (def->consoles[i]->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL)
            return sv_xml_unsupported(root, "only the first <console> can be a serial console "
                                      "(use <target type='virtio'/> for console %zu)", i);
    if (def->nconsoles > 0 && def->consoles[0]->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL &&
        def->nserials == 0) {
        sv_domain_chr_def *serial = chr_new_from(def->consoles[0], SV_DOMAIN_CHR_SERIAL);

        serial->target_port = def->consoles[0]->target_port;
        SV_DOMAIN_APPEND(def->serials, def->nserials, serial);
    } else if (def->nserials > 0 &&
               (def->nconsoles == 0 || def->consoles[0]->target_type != SV_DOMAIN_CONSOLE_TARGET_SERIAL)) {
        /* the serial console goes first, before any virtio console */
        sv_domain_chr_def *console = chr_new_from(def->serials[0], SV_DOMAIN_CHR_CONSOLE);

        def->consoles = sv_realloc(def->consoles, (def->nconsoles + 1) * sizeof(*def->consoles));
        memmove(def->consoles + 1, def->consoles, def->nconsoles * sizeof(*def->consoles));
        def->consoles[0] = console;
        def->nconsoles++;
    }

    for (size_t i = 0; i < def->nserials; i++) {
        sv_domain_chr_def *s = def->serials[i];

        if (s->target_type < 0)
            s->target_type = dflt;
        if (s->target_port < 0) {
            int max = -1;

            for (size_t j = 0; j < i; j++)
                if (def->serials[j]->target_port > max)
                    max = def->serials[j]->target_port;
            s->target_port = max + 1;
        }
        if (s->target_type == SV_DOMAIN_SERIAL_TARGET_ISA && s->target_port > 3)
            return sv_xml_error(root, "isa-serial port %d is out of range (0-3)", s->target_port);
        for (size_t j = 0; j < i; j++)
            if (def->serials[j]->target_port == s->target_port)
                return sv_xml_error(root, "serial port %d is used more than once", s->target_port);
    }

    for (size_t i = 0; i < def->nconsoles; i++) {
        sv_domain_chr_def *c = def->consoles[i];

        if (i == 0 && c->target_type == SV_DOMAIN_CONSOLE_TARGET_SERIAL) {
            sv_domain_chr_def *s = def->serials[0];

            /* the console shows the serial port it aliases */
            sv_domain_chr_copy_source(c, s);
            c->target_port = s->target_port;
            free(c->info.alias);
            c->info.alias = sv_strdup(s->info.alias);
            continue;
        }
        if (c->target_port < 0) {
            int max = -1;

            for (size_t j = 0; j < i; j++)
                if (def->consoles[j]->target_type == c->target_type && def->consoles[j]->target_port > max)
                    max = def->consoles[j]->target_port;
            c->target_port = max + 1;
        }
    }
    return 0;
}

static int videos_fill(sv_domain_def *def, xmlNode *root)
{
    size_t primary = def->nvideos, nprimary = 0;

    for (size_t i = 0; i < def->nvideos; i++) {
        if (def->videos[i]->primary) {
            primary = i;
            nprimary++;
        }
        if (def->videos[i]->model == SV_DOMAIN_VIDEO_NONE && def->nvideos > 1)
            return sv_xml_error(root, "video model 'none' must be the only <video>");
    }
    if (nprimary > 1)
        return sv_xml_error(root, "only one primary video device is supported");
    if (def->nvideos == 0)
        return 0;
    /* libvirt keeps the primary video first */
    if (primary < def->nvideos && primary > 0) {
        sv_domain_video_def *p = def->videos[primary];

        memmove(def->videos + 1, def->videos, primary * sizeof(*def->videos));
        def->videos[0] = p;
    }
    def->videos[0]->primary = true;
    return 0;
}

int sv_domain_def_postparse(sv_domain_def *def, xmlNode *root)
{
    os_defaults(&def->os);
    boot_defaults(def);
    if (cpu_defaults(def, root) < 0 || controllers_fill(def, root) < 0 || chr_fill(def, root) < 0 ||
        videos_fill(def, root) < 0)
        return -1;
    if (!def->memballoon) {
        def->memballoon = sv_malloc0(sizeof(*def->memballoon));
        def->memballoon->model = SV_DOMAIN_MEMBALLOON_VIRTIO;
    }
    if (def->os.loader_type == SV_DOMAIN_LOADER_ROM && def->os.nvram)
        return sv_xml_error(root, "<nvram> requires a <loader type='pflash'>");
    return 0;
}
