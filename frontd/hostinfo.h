/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Facts about the host for the connection-level procedures: node info,
 * CPU topology, memory, the installed QEMU (version, machine types), and
 * the capabilities / sysinfo XML documents in libvirt's formats.
 *
 * Everything read from /proc and /sys is best effort: a missing file gives
 * a neutral value, never an error, since a container or a microVM lacks
 * some of them.  QEMU is probed once (first use) and cached.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct sv_host_topology {
    char arch[65];          /* uname machine, e.g. "x86_64" */
    uint64_t memory_kib;    /* MemTotal */
    int cpus;               /* online CPUs */
    int mhz;
    int nodes;              /* NUMA nodes (>= 1) */
    int sockets;            /* per node */
    int cores;              /* per socket */
    int threads;            /* per core */
} sv_host_topology;

void sv_host_topology_get(sv_host_topology *ret);

/* MemAvailable (else MemFree) in bytes. */
uint64_t sv_host_free_memory(void);

/* The host name (gethostname), malloc'ed; never NULL. */
char *sv_host_name(void);

/* The QEMU system emulator for x86_64 guests: an absolute path, or NULL
 * when none is installed. */
const char *sv_host_qemu_binary(void);

/* Whether QEMU was probed already, so the calls below return at once. */
bool sv_host_qemu_probed(void);

/* Its version as major * 1,000,000 + minor * 1,000 + micro; 0 if unknown. */
unsigned long sv_host_qemu_version(void);

typedef struct sv_host_machine {
    char *name;             /* "pc-i440fx-7.2" */
    char *alias;            /* "pc" when this is what the alias points at */
    bool is_default;
} sv_host_machine;

/* Machine types the emulator supports (NULL-name-terminated array owned by
 * the cache; empty when there is no emulator). */
const sv_host_machine *sv_host_qemu_machines(void);

/* Whether /dev/kvm exists (KVM-accelerated domains may be defined). */
bool sv_host_has_kvm(void);

/* libvirt's virConnectGetMaxVcpus for the qemu driver: type NULL/"qemu"
 * or "kvm".  Returns -1 with sv_error set for an unknown type. */
int sv_host_max_vcpus(const char *type);

/* The UUID of the host (SMBIOS when readable, else /etc/machine-id, else
 * one generated at first use). */
void sv_host_uuid(unsigned char uuid[16]);

/* Value of the first "key : value" line of /proc text (cpuinfo,
 * meminfo), malloc'ed, or NULL. */
char *sv_host_proc_field(const char *data, const char *key);

/* Documents (malloc'ed). */
char *sv_host_capabilities_xml(void);
char *sv_host_sysinfo_xml(void);
