/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The capabilities and sysinfo documents (libvirt's formats, see
 * docs/formatcaps.rst and formatdomain.rst#smbios-system-information).
 */
#include "hostinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_buf.h"
#include "sv_util.h"

#define SYSFS_FILE_MAX 65536

/* Trimmed content of a small sysfs/proc file, or NULL. */
static char *read_line(const char *path)
{
    char *data = NULL;
    size_t len;

    if (sv_read_file(path, SYSFS_FILE_MAX, &data, &len) < 0)
        return NULL;
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
        data[--len] = '\0';
    if (len == 0) {
        free(data);
        return NULL;
    }
    return data;
}

static char *cpu_attr(int cpu, const char *attr)
{
    char path[160];

    snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/%s", cpu, attr);
    return read_line(path);
}

/* Parse a kernel cpu list ("0-3,8,10-11") into a bitmap of max bits. */
static void parse_cpulist(const char *s, bool *map, int max)
{
    while (s && *s) {
        char *end;
        long a = strtol(s, &end, 10), b = a;

        if (end == s)
            return;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        for (long i = a; i <= b && i < max; i++)
            if (i >= 0)
                map[i] = true;
        s = *end == ',' ? end + 1 : NULL;
    }
}

#define CAPS_MAX_CPUS 4096

static void format_cell(sv_buf *b, int node, uint64_t mem_kib, const bool *cpus)
{
    int ncpus = 0;

    for (int i = 0; i < CAPS_MAX_CPUS; i++)
        ncpus += cpus[i];
    sv_buf_printf(b, "        <cell id='%d'>\n", node);
    sv_buf_printf(b, "          <memory unit='KiB'>%llu</memory>\n", (unsigned long long)mem_kib);
    sv_buf_printf(b, "          <cpus num='%d'>\n", ncpus);
    for (int i = 0; i < CAPS_MAX_CPUS; i++) {
        _cleanup_free_ char *sock = NULL, *die = NULL, *core = NULL, *sib = NULL;

        if (!cpus[i])
            continue;
        sock = cpu_attr(i, "physical_package_id");
        die = cpu_attr(i, "die_id");
        core = cpu_attr(i, "core_id");
        sib = cpu_attr(i, "thread_siblings_list");
        sv_buf_printf(b, "            <cpu id='%d' socket_id='%s' die_id='%s' core_id='%s' siblings='",
                      i, sock ? sock : "0", die ? die : "0", core ? core : "0");
        sv_buf_escape_xml(b, sib ? sib : "0");
        sv_buf_add(b, "'/>\n");
    }
    sv_buf_add(b, "          </cpus>\n");
    sv_buf_add(b, "        </cell>\n");
}

static uint64_t node_mem_kib(int node)
{
    char path[96];
    _cleanup_free_ char *data = NULL;
    const char *p;

    snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo", node);
    if (sv_read_file(path, SYSFS_FILE_MAX, &data, NULL) < 0)
        return 0;
    p = strstr(data, "MemTotal:");
    return p ? strtoull(p + 9, NULL, 10) : 0;
}

static void format_topology(sv_buf *b, const sv_host_topology *t)
{
    bool *cpus = sv_calloc(CAPS_MAX_CPUS, sizeof(bool));
    int ncells = 0;

    for (int node = 0; node < CAPS_MAX_CPUS; node++) {
        char path[96];

        snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
        if (access(path, F_OK) < 0)
            break;
        ncells++;
    }

    sv_buf_add(b, "    <topology>\n");
    if (ncells == 0) {
        _cleanup_free_ char *online = read_line("/sys/devices/system/cpu/online");
        sv_buf_add(b, "      <cells num='1'>\n");
        if (online)
            parse_cpulist(online, cpus, CAPS_MAX_CPUS);
        else
            for (int i = 0; i < t->cpus && i < CAPS_MAX_CPUS; i++)
                cpus[i] = true;
        format_cell(b, 0, t->memory_kib, cpus);
    } else {
        sv_buf_printf(b, "      <cells num='%d'>\n", ncells);
        for (int node = 0; node < ncells; node++) {
            char path[96];
            _cleanup_free_ char *list = NULL;

            snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/cpulist", node);
            list = read_line(path);
            memset(cpus, 0, CAPS_MAX_CPUS * sizeof(bool));
            parse_cpulist(list, cpus, CAPS_MAX_CPUS);
            format_cell(b, node, node_mem_kib(node), cpus);
        }
    }
    sv_buf_add(b, "      </cells>\n");
    sv_buf_add(b, "    </topology>\n");
    free(cpus);
}

static const char *cpu_vendor(void)
{
    _cleanup_free_ char *info = NULL;

    if (sv_read_file("/proc/cpuinfo", 4u * 1024 * 1024, &info, NULL) < 0)
        return NULL;
    if (strstr(info, "GenuineIntel"))
        return "Intel";
    if (strstr(info, "AuthenticAMD"))
        return "AMD";
    return NULL;
}

static void format_guest(sv_buf *b)
{
    const char *emulator = sv_host_qemu_binary();
    const sv_host_machine *m;

    if (!emulator)
        return;
    sv_buf_add(b, "  <guest>\n");
    sv_buf_add(b, "    <os_type>hvm</os_type>\n");
    sv_buf_add(b, "    <arch name='x86_64'>\n");
    sv_buf_add(b, "      <wordsize>64</wordsize>\n");
    sv_buf_add(b, "      <emulator>");
    sv_buf_escape_xml(b, emulator);
    sv_buf_add(b, "</emulator>\n");
    for (m = sv_host_qemu_machines(); m && m->name; m++) {
        /* Modern machine types take many CPUs; libvirt reports QEMU's
         * per-machine limits, which we do not probe. */
        int max = strstr(m->name, "q35") ? 288 : 255;

        if (strcmp(m->name, "none") == 0)
            continue;
        if (m->alias) {
            sv_buf_add(b, "      <machine canonical='");
            sv_buf_escape_xml(b, m->name);
            sv_buf_printf(b, "' maxCpus='%d'>", max);
            sv_buf_escape_xml(b, m->alias);
        } else {
            sv_buf_printf(b, "      <machine maxCpus='%d'>", max);
            sv_buf_escape_xml(b, m->name);
        }
        sv_buf_add(b, "</machine>\n");
    }
    sv_buf_add(b, "      <domain type='qemu'/>\n");
    if (sv_host_has_kvm())
        sv_buf_add(b, "      <domain type='kvm'/>\n");
    sv_buf_add(b, "    </arch>\n");
    sv_buf_add(b, "    <features>\n");
    sv_buf_add(b, "      <acpi default='on' toggle='yes'/>\n");
    sv_buf_add(b, "      <apic default='on' toggle='no'/>\n");
    sv_buf_add(b, "      <cpuselection/>\n");
    sv_buf_add(b, "      <deviceboot/>\n");
    sv_buf_add(b, "      <disksnapshot default='on' toggle='no'/>\n");
    sv_buf_add(b, "    </features>\n");
    sv_buf_add(b, "  </guest>\n");
}

char *sv_host_capabilities_xml(void)
{
    sv_buf b = { 0 };
    sv_host_topology t;
    unsigned char uuid[16];
    char uuidstr[SV_UUID_STRLEN];
    const char *vendor = cpu_vendor();

    sv_host_topology_get(&t);
    sv_host_uuid(uuid);
    sv_uuid_format(uuid, uuidstr);

    sv_buf_add(&b, "<capabilities>\n\n");
    sv_buf_add(&b, "  <host>\n");
    sv_buf_printf(&b, "    <uuid>%s</uuid>\n", uuidstr);
    sv_buf_add(&b, "    <cpu>\n");
    sv_buf_add(&b, "      <arch>");
    sv_buf_escape_xml(&b, t.arch);
    sv_buf_add(&b, "</arch>\n");
    if (vendor)
        sv_buf_printf(&b, "      <vendor>%s</vendor>\n", vendor);
    sv_buf_printf(&b, "      <topology sockets='%d' dies='1' cores='%d' threads='%d'/>\n",
                  t.sockets, t.cores, t.threads);
    sv_buf_printf(&b, "      <pages unit='KiB' size='%ld'/>\n", sysconf(_SC_PAGESIZE) / 1024);
    sv_buf_add(&b, "    </cpu>\n");
    sv_buf_add(&b, "    <power_management/>\n");
    sv_buf_printf(&b, "    <iommu support='%s'/>\n",
                  access("/sys/kernel/iommu_groups/0", F_OK) == 0 ? "yes" : "no");
    format_topology(&b, &t);
    sv_buf_add(&b, "  </host>\n\n");
    format_guest(&b);
    sv_buf_add(&b, "\n</capabilities>\n");
    return sv_buf_steal(&b);
}

/* ---- sysinfo ------------------------------------------------------------ */

typedef struct dmi_entry {
    const char *name;       /* libvirt's entry name */
    const char *file;       /* under /sys/class/dmi/id */
} dmi_entry;

static void add_entry(sv_buf *b, const char *name, const char *value)
{
    sv_buf_printf(b, "    <entry name='%s'>", name);
    sv_buf_escape_xml(b, value);
    sv_buf_add(b, "</entry>\n");
}

/* Emit <section> with the entries that are readable; nothing if none. */
static void format_dmi_section(sv_buf *b, const char *section, const dmi_entry *e, size_t n)
{
    bool open = false;

    for (size_t i = 0; i < n; i++) {
        char path[128];
        _cleanup_free_ char *v = NULL;

        snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", e[i].file);
        v = read_line(path);
        if (!v)
            continue;
        if (!open) {
            sv_buf_printf(b, "  <%s>\n", section);
            open = true;
        }
        add_entry(b, e[i].name, v);
    }
    if (open)
        sv_buf_printf(b, "  </%s>\n", section);
}

static void format_processors(sv_buf *b)
{
    _cleanup_free_ char *info = NULL;
    const char *p;
    int socket = -1;

    if (sv_read_file("/proc/cpuinfo", 4u * 1024 * 1024, &info, NULL) < 0)
        return;
    /* One <processor> per physical package, from its first logical CPU. */
    for (p = info; p && *p; ) {
        const char *end = strstr(p, "\n\n");
        _cleanup_free_ char *block = sv_strndup(p, end ? (size_t)(end - p) : strlen(p));
        _cleanup_free_ char *id = sv_host_proc_field(block, "physical id");
        _cleanup_free_ char *vendor = sv_host_proc_field(block, "vendor_id");
        _cleanup_free_ char *model = sv_host_proc_field(block, "model name");
        int this_socket = id ? atoi(id) : 0;

        p = end ? end + 2 : NULL;
        if (this_socket <= socket)
            continue;
        socket = this_socket;
        sv_buf_add(b, "  <processor>\n");
        sv_buf_printf(b, "    <entry name='socket_destination'>CPU %d</entry>\n", socket);
        if (vendor)
            add_entry(b, "manufacturer", vendor);
        if (model)
            add_entry(b, "version", model);
        sv_buf_add(b, "  </processor>\n");
    }
}

char *sv_host_sysinfo_xml(void)
{
    static const dmi_entry bios[] = {
        { "vendor", "bios_vendor" }, { "version", "bios_version" },
        { "date", "bios_date" }, { "release", "bios_release" },
    };
    static const dmi_entry system[] = {
        { "manufacturer", "sys_vendor" }, { "product", "product_name" },
        { "version", "product_version" }, { "serial", "product_serial" },
        { "uuid", "product_uuid" }, { "sku", "product_sku" },
        { "family", "product_family" },
    };
    static const dmi_entry board[] = {
        { "manufacturer", "board_vendor" }, { "product", "board_name" },
        { "version", "board_version" }, { "serial", "board_serial" },
        { "asset", "board_asset_tag" },
    };
    static const dmi_entry chassis[] = {
        { "manufacturer", "chassis_vendor" }, { "version", "chassis_version" },
        { "serial", "chassis_serial" }, { "asset", "chassis_asset_tag" },
    };
    sv_buf b = { 0 };

    sv_buf_add(&b, "<sysinfo type='smbios'>\n");
    format_dmi_section(&b, "bios", bios, SV_ARRAY_SIZE(bios));
    format_dmi_section(&b, "system", system, SV_ARRAY_SIZE(system));
    format_dmi_section(&b, "baseBoard", board, SV_ARRAY_SIZE(board));
    format_dmi_section(&b, "chassis", chassis, SV_ARRAY_SIZE(chassis));
    format_processors(&b);
    sv_buf_add(&b, "</sysinfo>\n");
    return sv_buf_steal(&b);
}
