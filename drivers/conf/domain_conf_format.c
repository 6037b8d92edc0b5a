/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain XML output in libvirt's virsh dumpxml layout: 2-space indent,
 * single-quoted attributes, elements in libvirt's order.
 */
#include <string.h>

#include "domain_conf_priv.h"

static void text_element(sv_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    sv_buf_iprintf(b, "<%s>", name);
    sv_buf_escape_xml(b, value);
    sv_buf_printf(b, "</%s>\n", name);
}

static void format_general(sv_buf *b, const sv_domain_def *def)
{
    char uuid[SV_UUID_STRLEN];

    sv_uuid_format(def->uuid, uuid);
    text_element(b, "name", def->name);
    sv_buf_iprintf(b, "<uuid>%s</uuid>\n", uuid);
    text_element(b, "title", def->title);
    text_element(b, "description", def->description);
    if (def->metadata) {
        if (*def->metadata) {
            sv_buf_iprintf(b, "<metadata>\n");
            sv_buf_add(b, def->metadata);
            sv_buf_iprintf(b, "</metadata>\n");
        } else {
            sv_buf_iprintf(b, "<metadata/>\n");
        }
    }
    if (def->max_memory_kib)
        sv_buf_iprintf(b, "<maxMemory slots='%u' unit='KiB'>%llu</maxMemory>\n", def->max_memory_slots,
                       (unsigned long long)def->max_memory_kib);
    sv_buf_iprintf(b, "<memory unit='KiB'>%llu</memory>\n", (unsigned long long)def->memory_kib);
    sv_buf_iprintf(b, "<currentMemory unit='KiB'>%llu</currentMemory>\n",
                   (unsigned long long)def->current_memory_kib);
    sv_buf_iprintf(b, "<vcpu placement='%s'", sv_domain_vcpu_placement_names[def->placement]);
    sv_buf_attr(b, "cpuset", def->cpuset);
    if (def->vcpus_current != def->vcpus)
        sv_buf_printf(b, " current='%u'", def->vcpus_current);
    sv_buf_printf(b, ">%u</vcpu>\n", def->vcpus);
}

static void format_os(sv_buf *b, const sv_domain_os_def *os)
{
    sv_buf_iprintf(b, "<os>\n");
    b->indent += 2;
    sv_buf_iprintf(b, "<type arch='%s'", sv_domain_arch_names[os->arch]);
    sv_buf_attr(b, "machine", os->machine);
    sv_buf_printf(b, ">%s</type>\n", sv_domain_os_type_names[os->type]);
    if (os->loader) {
        sv_buf_iprintf(b, "<loader");
        sv_buf_attr(b, "readonly", sv_tristate_yesno(os->loader_readonly));
        sv_buf_attr(b, "secure", sv_tristate_yesno(os->loader_secure));
        if (os->loader_type)
            sv_buf_printf(b, " type='%s'", sv_domain_loader_type_names[os->loader_type]);
        sv_buf_add(b, ">");
        sv_buf_escape_xml(b, os->loader);
        sv_buf_add(b, "</loader>\n");
    }
    if (os->nvram) {
        sv_buf_iprintf(b, "<nvram");
        sv_buf_attr(b, "template", os->nvram_template);
        sv_buf_add(b, ">");
        sv_buf_escape_xml(b, os->nvram);
        sv_buf_add(b, "</nvram>\n");
    }
    text_element(b, "kernel", os->kernel);
    text_element(b, "initrd", os->initrd);
    text_element(b, "cmdline", os->cmdline);
    for (size_t i = 0; i < os->nboot; i++)
        sv_buf_iprintf(b, "<boot dev='%s'/>\n", sv_domain_boot_dev_names[os->boot[i]]);
    if (os->bootmenu) {
        sv_buf_iprintf(b, "<bootmenu enable='%s'", sv_tristate_yesno(os->bootmenu));
        if (os->has_bootmenu_timeout)
            sv_buf_printf(b, " timeout='%u'", os->bootmenu_timeout);
        sv_buf_add(b, "/>\n");
    }
    b->indent -= 2;
    sv_buf_iprintf(b, "</os>\n");
}

static void format_features(sv_buf *b, const sv_domain_def *def)
{
    if (!def->acpi && !def->apic && !def->pae)
        return;
    sv_buf_iprintf(b, "<features>\n");
    if (def->acpi)
        sv_buf_iprintf(b, "  <acpi/>\n");
    if (def->apic)
        sv_buf_iprintf(b, "  <apic/>\n");
    if (def->pae)
        sv_buf_iprintf(b, "  <pae/>\n");
    sv_buf_iprintf(b, "</features>\n");
}

static void format_cpu(sv_buf *b, const sv_domain_cpu_def *cpu)
{
    bool children = cpu->model || cpu->sockets || cpu->nfeatures;

    sv_buf_iprintf(b, "<cpu");
    if (cpu->mode != SV_DOMAIN_CPU_CUSTOM || cpu->model)
        sv_buf_printf(b, " mode='%s'", sv_domain_cpu_mode_names[cpu->mode]);
    if (cpu->match)
        sv_buf_printf(b, " match='%s'", sv_domain_cpu_match_names[cpu->match]);
    if (cpu->check)
        sv_buf_printf(b, " check='%s'", sv_domain_cpu_check_names[cpu->check]);
    if (cpu->migratable)
        sv_buf_printf(b, " migratable='%s'", sv_tristate_onoff(cpu->migratable));
    if (!children) {
        sv_buf_add(b, "/>\n");
        return;
    }
    sv_buf_add(b, ">\n");
    b->indent += 2;
    if (cpu->model) {
        sv_buf_iprintf(b, "<model fallback='%s'>", sv_domain_cpu_fallback_names[cpu->fallback]);
        sv_buf_escape_xml(b, cpu->model);
        sv_buf_add(b, "</model>\n");
    }
    if (cpu->sockets)
        sv_buf_iprintf(b, "<topology sockets='%u' dies='%u' cores='%u' threads='%u'/>\n", cpu->sockets, cpu->dies,
                       cpu->cores, cpu->threads);
    for (size_t i = 0; i < cpu->nfeatures; i++) {
        sv_buf_iprintf(b, "<feature policy='%s'", sv_domain_cpu_feature_policy_names[cpu->features[i].policy]);
        sv_buf_attr(b, "name", cpu->features[i].name);
        sv_buf_add(b, "/>\n");
    }
    b->indent -= 2;
    sv_buf_iprintf(b, "</cpu>\n");
}

static void format_clock(sv_buf *b, const sv_domain_clock_def *clock)
{
    static const char *const basis[] = {"utc", "localtime"};

    sv_buf_iprintf(b, "<clock offset='%s'", sv_domain_clock_offset_names[clock->offset]);
    if (clock->offset == SV_DOMAIN_CLOCK_TIMEZONE)
        sv_buf_attr(b, "timezone", clock->timezone);
    if (clock->offset == SV_DOMAIN_CLOCK_VARIABLE)
        sv_buf_printf(b, " adjustment='%lld' basis='%s'", clock->adjustment, basis[clock->basis]);
    if (!clock->ntimers) {
        sv_buf_add(b, "/>\n");
        return;
    }
    sv_buf_add(b, ">\n");
    b->indent += 2;
    for (size_t i = 0; i < clock->ntimers; i++) {
        const sv_domain_timer_def *t = &clock->timers[i];

        sv_buf_iprintf(b, "<timer name='%s'", sv_domain_timer_name_names[t->name]);
        sv_buf_attr(b, "present", sv_tristate_yesno(t->present));
        if (t->tickpolicy)
            sv_buf_printf(b, " tickpolicy='%s'", sv_domain_tickpolicy_names[t->tickpolicy]);
        sv_buf_add(b, "/>\n");
    }
    b->indent -= 2;
    sv_buf_iprintf(b, "</clock>\n");
}

static void format_devices(sv_buf *b, const sv_domain_def *def, unsigned flags)
{
    sv_buf_iprintf(b, "<devices>\n");
    b->indent += 2;
    text_element(b, "emulator", def->emulator);
    for (size_t i = 0; i < def->ndisks; i++)
        sv_domain_disk_def_format(b, def->disks[i], flags);
    for (size_t i = 0; i < def->ncontrollers; i++)
        sv_domain_controller_def_format(b, def->controllers[i], flags);
    for (size_t i = 0; i < def->nnets; i++)
        sv_domain_net_def_format(b, def->nets[i], flags);
    for (size_t i = 0; i < def->nserials; i++)
        sv_domain_chr_def_format(b, def->serials[i], flags);
    for (size_t i = 0; i < def->nconsoles; i++)
        sv_domain_chr_def_format(b, def->consoles[i], flags);
    for (size_t i = 0; i < def->nchannels; i++)
        sv_domain_chr_def_format(b, def->channels[i], flags);
    for (size_t i = 0; i < def->ninputs; i++)
        sv_domain_input_def_format(b, def->inputs[i], flags);
    for (size_t i = 0; i < def->ngraphics; i++)
        sv_domain_graphics_def_format(b, def->graphics[i], flags);
    for (size_t i = 0; i < def->nvideos; i++)
        sv_domain_video_def_format(b, def->videos[i], flags);
    if (def->watchdog)
        sv_domain_watchdog_def_format(b, def->watchdog, flags);
    if (def->memballoon)
        sv_domain_memballoon_def_format(b, def->memballoon, flags);
    for (size_t i = 0; i < def->nrngs; i++)
        sv_domain_rng_def_format(b, def->rngs[i], flags);
    b->indent -= 2;
    sv_buf_iprintf(b, "</devices>\n");
}

char *sv_domain_def_format(const sv_domain_def *def, unsigned flags)
{
    sv_buf b = {0};

    sv_buf_printf(&b, "<domain type='%s'", sv_domain_virt_names[def->virt_type]);
    if (def->id >= 0 && !(flags & SV_DOMAIN_XML_INACTIVE))
        sv_buf_printf(&b, " id='%d'", def->id);
    sv_buf_add(&b, ">\n");
    b.indent = 2;
    format_general(&b, def);
    format_os(&b, &def->os);
    format_features(&b, def);
    if (def->cpu)
        format_cpu(&b, def->cpu);
    format_clock(&b, &def->clock);
    sv_buf_iprintf(&b, "<on_poweroff>%s</on_poweroff>\n", sv_domain_lifecycle_names[def->on_poweroff]);
    sv_buf_iprintf(&b, "<on_reboot>%s</on_reboot>\n", sv_domain_lifecycle_names[def->on_reboot]);
    sv_buf_iprintf(&b, "<on_crash>%s</on_crash>\n", sv_domain_lifecycle_names[def->on_crash]);
    format_devices(&b, def, flags);
    b.indent = 0;
    sv_buf_add(&b, "</domain>\n");
    return sv_buf_steal(&b);
}
