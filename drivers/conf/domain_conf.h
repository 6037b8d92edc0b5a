/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * domain XML model: parse, validate, fill defaults, format.
 *
 * The structs are public on purpose: the domain registry and the QEMU
 * driver read their fields directly.  Every enum's value 0 is either the
 * default or "absent" (documented per field); the *_names tables map enum
 * values to their XML spelling ("" for an absent value) and are indexed by
 * the enum.  Sizes are in KiB, as libvirt stores them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sv_util.h"

/* Parse: ignore live-only data (id, pty paths, auto-generated vnet names).
 * Format: omit live-only data. */
#define SV_DOMAIN_XML_INACTIVE (1u << 0)

/* Upper bound on devices of one kind and on list-like children: keeps the
 * duplicate checks quadratic in a small number on hostile input. */
#define SV_DOMAIN_MAX_DEVICES 1024
#define SV_DOMAIN_MAX_BOOT_DEVS 4

/* ---- general ---------------------------------------------------------- */

typedef enum { SV_DOMAIN_VIRT_QEMU, SV_DOMAIN_VIRT_KVM } sv_domain_virt_type;
extern const char *const sv_domain_virt_names[];

typedef enum {
    SV_DOMAIN_LIFECYCLE_DESTROY,
    SV_DOMAIN_LIFECYCLE_RESTART,
    SV_DOMAIN_LIFECYCLE_PRESERVE,
    SV_DOMAIN_LIFECYCLE_RENAME_RESTART,
    SV_DOMAIN_LIFECYCLE_COREDUMP_DESTROY,   /* on_crash only */
    SV_DOMAIN_LIFECYCLE_COREDUMP_RESTART,   /* on_crash only */
} sv_domain_lifecycle_action;
extern const char *const sv_domain_lifecycle_names[];

typedef enum { SV_DOMAIN_VCPU_PLACEMENT_STATIC, SV_DOMAIN_VCPU_PLACEMENT_AUTO } sv_domain_vcpu_placement;
extern const char *const sv_domain_vcpu_placement_names[];

/* ---- os --------------------------------------------------------------- */

typedef enum { SV_DOMAIN_OS_HVM } sv_domain_os_type;
extern const char *const sv_domain_os_type_names[];

typedef enum {
    SV_DOMAIN_ARCH_X86_64,
    SV_DOMAIN_ARCH_I686,
    SV_DOMAIN_ARCH_AARCH64,
    SV_DOMAIN_ARCH_ARMV7L,
    SV_DOMAIN_ARCH_PPC64,
    SV_DOMAIN_ARCH_PPC64LE,
    SV_DOMAIN_ARCH_S390X,
    SV_DOMAIN_ARCH_RISCV64,
} sv_domain_arch;
extern const char *const sv_domain_arch_names[];

typedef enum {
    SV_DOMAIN_BOOT_FD,
    SV_DOMAIN_BOOT_CDROM,
    SV_DOMAIN_BOOT_HD,
    SV_DOMAIN_BOOT_NETWORK,
} sv_domain_boot_dev;
extern const char *const sv_domain_boot_dev_names[];

typedef enum { SV_DOMAIN_LOADER_ABSENT, SV_DOMAIN_LOADER_ROM, SV_DOMAIN_LOADER_PFLASH } sv_domain_loader_type;
extern const char *const sv_domain_loader_type_names[];

typedef struct sv_domain_os_def {
    sv_domain_os_type type;
    sv_domain_arch arch;            /* default x86_64 */
    char *machine;                  /* default per arch: "pc" on x86 */
    char *loader;                   /* firmware path or NULL */
    int loader_readonly;            /* SV_TRISTATE_* */
    int loader_secure;              /* SV_TRISTATE_* */
    sv_domain_loader_type loader_type;
    char *nvram;
    char *nvram_template;
    char *kernel;
    char *initrd;
    char *cmdline;
    size_t nboot;                   /* <boot dev=...> in order */
    sv_domain_boot_dev boot[SV_DOMAIN_MAX_BOOT_DEVS];
    int bootmenu;                   /* SV_TRISTATE_* (yes/no) */
    unsigned bootmenu_timeout;      /* ms; 0 = absent */
    bool has_bootmenu_timeout;
} sv_domain_os_def;

/* ---- cpu / clock -------------------------------------------------------- */

typedef enum {
    SV_DOMAIN_CPU_CUSTOM,
    SV_DOMAIN_CPU_HOST_MODEL,
    SV_DOMAIN_CPU_HOST_PASSTHROUGH,
    SV_DOMAIN_CPU_MAXIMUM,
} sv_domain_cpu_mode;
extern const char *const sv_domain_cpu_mode_names[];

typedef enum {
    SV_DOMAIN_CPU_MATCH_ABSENT,
    SV_DOMAIN_CPU_MATCH_MINIMUM,
    SV_DOMAIN_CPU_MATCH_EXACT,
    SV_DOMAIN_CPU_MATCH_STRICT,
} sv_domain_cpu_match;
extern const char *const sv_domain_cpu_match_names[];

typedef enum {
    SV_DOMAIN_CPU_CHECK_ABSENT,
    SV_DOMAIN_CPU_CHECK_NONE,
    SV_DOMAIN_CPU_CHECK_PARTIAL,
    SV_DOMAIN_CPU_CHECK_FULL,
} sv_domain_cpu_check;
extern const char *const sv_domain_cpu_check_names[];

typedef enum { SV_DOMAIN_CPU_FALLBACK_ALLOW, SV_DOMAIN_CPU_FALLBACK_FORBID } sv_domain_cpu_fallback;
extern const char *const sv_domain_cpu_fallback_names[];

typedef enum {
    SV_DOMAIN_CPU_FEATURE_FORCE,
    SV_DOMAIN_CPU_FEATURE_REQUIRE,
    SV_DOMAIN_CPU_FEATURE_OPTIONAL,
    SV_DOMAIN_CPU_FEATURE_DISABLE,
    SV_DOMAIN_CPU_FEATURE_FORBID,
} sv_domain_cpu_feature_policy;
extern const char *const sv_domain_cpu_feature_policy_names[];

typedef struct sv_domain_cpu_feature {
    char *name;
    sv_domain_cpu_feature_policy policy;
} sv_domain_cpu_feature;

typedef struct sv_domain_cpu_def {
    sv_domain_cpu_mode mode;
    sv_domain_cpu_match match;      /* custom with a model: default exact */
    sv_domain_cpu_check check;      /* default: none for host-passthrough/maximum, else partial */
    int migratable;                 /* SV_TRISTATE_* (on/off); host-passthrough/maximum default on */
    char *model;                    /* custom mode only */
    sv_domain_cpu_fallback fallback;
    unsigned sockets, dies, cores, threads;   /* all 0 = no <topology> */
    size_t nfeatures;
    sv_domain_cpu_feature *features;
} sv_domain_cpu_def;

typedef enum {
    SV_DOMAIN_CLOCK_UTC,
    SV_DOMAIN_CLOCK_LOCALTIME,
    SV_DOMAIN_CLOCK_TIMEZONE,
    SV_DOMAIN_CLOCK_VARIABLE,
} sv_domain_clock_offset;
extern const char *const sv_domain_clock_offset_names[];

typedef enum {
    SV_DOMAIN_TIMER_PLATFORM,
    SV_DOMAIN_TIMER_PIT,
    SV_DOMAIN_TIMER_RTC,
    SV_DOMAIN_TIMER_HPET,
    SV_DOMAIN_TIMER_TSC,
    SV_DOMAIN_TIMER_KVMCLOCK,
    SV_DOMAIN_TIMER_HYPERVCLOCK,
} sv_domain_timer_name;
extern const char *const sv_domain_timer_name_names[];

typedef enum {
    SV_DOMAIN_TICKPOLICY_ABSENT,
    SV_DOMAIN_TICKPOLICY_DELAY,
    SV_DOMAIN_TICKPOLICY_CATCHUP,
    SV_DOMAIN_TICKPOLICY_MERGE,
    SV_DOMAIN_TICKPOLICY_DISCARD,
} sv_domain_tickpolicy;
extern const char *const sv_domain_tickpolicy_names[];

typedef struct sv_domain_timer_def {
    sv_domain_timer_name name;
    int present;                    /* SV_TRISTATE_* (yes/no) */
    sv_domain_tickpolicy tickpolicy;
} sv_domain_timer_def;

typedef struct sv_domain_clock_def {
    sv_domain_clock_offset offset;
    char *timezone;                 /* offset timezone */
    long long adjustment;           /* offset variable: seconds */
    int basis;                      /* offset variable: SV_DOMAIN_CLOCK_UTC or _LOCALTIME */
    size_t ntimers;
    sv_domain_timer_def *timers;
} sv_domain_clock_def;

/* ---- device plumbing ---------------------------------------------------- */

typedef enum {
    SV_DOMAIN_ADDR_NONE,
    SV_DOMAIN_ADDR_PCI,
    SV_DOMAIN_ADDR_DRIVE,
    SV_DOMAIN_ADDR_VIRTIO_SERIAL,
    SV_DOMAIN_ADDR_USB,
} sv_domain_addr_type;
extern const char *const sv_domain_addr_type_names[];

typedef struct sv_domain_address {
    sv_domain_addr_type type;
    unsigned domain, slot, function;   /* pci */
    int multifunction;                 /* pci: SV_TRISTATE_* (on/off) */
    unsigned controller;               /* drive, virtio-serial */
    unsigned bus;                      /* pci, drive, virtio-serial, usb */
    unsigned target, unit;             /* drive */
    unsigned port;                     /* virtio-serial */
    char *usb_port;                    /* usb: "1" or dotted "1.2" */
} sv_domain_address;

/* What every device may carry: <boot order>, <alias>, <address>. */
typedef struct sv_domain_device_info {
    char *alias;                    /* live-only unless it starts with "ua-" */
    unsigned boot_order;            /* 0 = none (disk and interface only) */
    sv_domain_address addr;
} sv_domain_device_info;

/* ---- disks ------------------------------------------------------------ */

typedef enum { SV_DOMAIN_DISK_FILE, SV_DOMAIN_DISK_BLOCK } sv_domain_disk_type;
extern const char *const sv_domain_disk_type_names[];
typedef enum { SV_DOMAIN_DISK_DEVICE_DISK, SV_DOMAIN_DISK_DEVICE_CDROM } sv_domain_disk_device;
extern const char *const sv_domain_disk_device_names[];
typedef enum {
    SV_DOMAIN_DISK_BUS_IDE,
    SV_DOMAIN_DISK_BUS_SCSI,
    SV_DOMAIN_DISK_BUS_VIRTIO,
    SV_DOMAIN_DISK_BUS_USB,
    SV_DOMAIN_DISK_BUS_SATA,
} sv_domain_disk_bus;
extern const char *const sv_domain_disk_bus_names[];
typedef enum { SV_DOMAIN_DISK_FORMAT_RAW, SV_DOMAIN_DISK_FORMAT_QCOW2 } sv_domain_disk_format;
extern const char *const sv_domain_disk_format_names[];
typedef enum {
    SV_DOMAIN_DISK_CACHE_ABSENT,
    SV_DOMAIN_DISK_CACHE_DEFAULT,
    SV_DOMAIN_DISK_CACHE_NONE,
    SV_DOMAIN_DISK_CACHE_WRITETHROUGH,
    SV_DOMAIN_DISK_CACHE_WRITEBACK,
    SV_DOMAIN_DISK_CACHE_DIRECTSYNC,
    SV_DOMAIN_DISK_CACHE_UNSAFE,
} sv_domain_disk_cache;
extern const char *const sv_domain_disk_cache_names[];
typedef enum {
    SV_DOMAIN_DISK_IO_ABSENT,
    SV_DOMAIN_DISK_IO_NATIVE,
    SV_DOMAIN_DISK_IO_THREADS,
    SV_DOMAIN_DISK_IO_IO_URING,
} sv_domain_disk_io;
extern const char *const sv_domain_disk_io_names[];
typedef enum {
    SV_DOMAIN_DISK_DISCARD_ABSENT,
    SV_DOMAIN_DISK_DISCARD_UNMAP,
    SV_DOMAIN_DISK_DISCARD_IGNORE,
} sv_domain_disk_discard;
extern const char *const sv_domain_disk_discard_names[];

typedef struct sv_domain_disk_def {
    sv_domain_disk_type type;
    sv_domain_disk_device device;
    char *driver_name;              /* default "qemu" */
    sv_domain_disk_format format;   /* default raw */
    sv_domain_disk_cache cache;
    sv_domain_disk_io io;
    sv_domain_disk_discard discard;
    char *src;                      /* <source file=> or <source dev=>; NULL: empty cdrom */
    char *dst;                      /* <target dev=> */
    sv_domain_disk_bus bus;         /* default from dst prefix: vd virtio, sd scsi, hd ide */
    bool readonly;                  /* always true for cdrom */
    bool shareable;
    char *serial;
    sv_domain_device_info info;
} sv_domain_disk_def;

/* ---- controllers ------------------------------------------------------ */

typedef enum {
    SV_DOMAIN_CONTROLLER_IDE,
    SV_DOMAIN_CONTROLLER_FDC,
    SV_DOMAIN_CONTROLLER_SCSI,
    SV_DOMAIN_CONTROLLER_SATA,
    SV_DOMAIN_CONTROLLER_VIRTIO_SERIAL,
    SV_DOMAIN_CONTROLLER_PCI,
    SV_DOMAIN_CONTROLLER_USB,
} sv_domain_controller_type;
extern const char *const sv_domain_controller_type_names[];

typedef struct sv_domain_controller_def {
    sv_domain_controller_type type;
    unsigned index;                 /* default: next free index of this type */
    char *model;                    /* checked against the type's model list */
    unsigned ports, vectors;        /* virtio-serial; 0 = absent */
    sv_domain_device_info info;
} sv_domain_controller_def;

/* ---- interfaces ------------------------------------------------------- */

typedef enum {
    SV_DOMAIN_NET_NETWORK,
    SV_DOMAIN_NET_BRIDGE,
    SV_DOMAIN_NET_DIRECT,
    SV_DOMAIN_NET_ETHERNET,
    SV_DOMAIN_NET_USER,
} sv_domain_net_type;
extern const char *const sv_domain_net_type_names[];

typedef enum {
    SV_DOMAIN_NET_MODEL_VIRTIO,
    SV_DOMAIN_NET_MODEL_E1000,
    SV_DOMAIN_NET_MODEL_E1000E,
    SV_DOMAIN_NET_MODEL_RTL8139,
    SV_DOMAIN_NET_MODEL_NE2K_PCI,
    SV_DOMAIN_NET_MODEL_PCNET,
    SV_DOMAIN_NET_MODEL_VMXNET3,
} sv_domain_net_model;
extern const char *const sv_domain_net_model_names[];

typedef enum {
    SV_DOMAIN_DIRECT_VEPA,
    SV_DOMAIN_DIRECT_PRIVATE,
    SV_DOMAIN_DIRECT_BRIDGE,
    SV_DOMAIN_DIRECT_PASSTHROUGH,
} sv_domain_direct_mode;
extern const char *const sv_domain_direct_mode_names[];

/* One <inbound>/<outbound> of <bandwidth>: KiB/s (average, peak, floor)
 * and KiB (burst); 0 = absent. */
typedef struct sv_domain_bandwidth_rate {
    uint64_t average, peak, floor, burst;
} sv_domain_bandwidth_rate;

typedef struct sv_domain_filter_param {
    char *name;
    char *value;
} sv_domain_filter_param;

typedef enum {
    SV_DOMAIN_VPORT_ABSENT,
    SV_DOMAIN_VPORT_OPENVSWITCH,
    SV_DOMAIN_VPORT_UNTYPED,        /* network interfaces: the network says which */
} sv_domain_vport_type;

typedef struct sv_domain_net_def {
    sv_domain_net_type type;
    unsigned char mac[SV_MAC_LEN];  /* generated 52:54:00:xx:xx:xx when absent */
    char *source;                   /* network name, bridge name or direct dev */
    char *portgroup;                /* network */
    sv_domain_direct_mode direct_mode;
    sv_domain_vport_type virtualport;   /* <virtualport> */
    bool has_interfaceid;
    unsigned char interfaceid[SV_UUID_LEN]; /* generated for type bridge */
    char *profileid;
    sv_domain_bandwidth_rate *inbound;   /* NULL = absent */
    sv_domain_bandwidth_rate *outbound;
    char *ifname;                   /* <target dev=> */
    sv_domain_net_model model;      /* see the default rule in domain_conf_net.c */
    char *filter;                   /* <filterref filter=> */
    size_t nfilter_params;          /* sorted by name, values in document order */
    sv_domain_filter_param *filter_params;
    sv_domain_device_info info;
} sv_domain_net_def;

/* ---- character devices ------------------------------------------------ */

typedef enum { SV_DOMAIN_CHR_SERIAL, SV_DOMAIN_CHR_CONSOLE, SV_DOMAIN_CHR_CHANNEL } sv_domain_chr_device;
typedef enum { SV_DOMAIN_CHR_PTY, SV_DOMAIN_CHR_FILE, SV_DOMAIN_CHR_UNIX } sv_domain_chr_type;
extern const char *const sv_domain_chr_type_names[];
typedef enum { SV_DOMAIN_CHR_CONNECT, SV_DOMAIN_CHR_BIND } sv_domain_chr_unix_mode;
extern const char *const sv_domain_chr_unix_mode_names[];

typedef enum {
    SV_DOMAIN_SERIAL_TARGET_ISA,
    SV_DOMAIN_SERIAL_TARGET_USB,
    SV_DOMAIN_SERIAL_TARGET_PCI,
} sv_domain_serial_target;
extern const char *const sv_domain_serial_target_names[];   /* isa-serial ... */
extern const char *const sv_domain_serial_model_names[];    /* same spelling per target */

typedef enum { SV_DOMAIN_CONSOLE_TARGET_SERIAL, SV_DOMAIN_CONSOLE_TARGET_VIRTIO } sv_domain_console_target;
extern const char *const sv_domain_console_target_names[];

typedef struct sv_domain_chr_def {
    sv_domain_chr_device device;
    sv_domain_chr_type type;
    char *path;                     /* file/unix path; pty: live pts path */
    int append;                     /* file: SV_TRISTATE_* (on/off) */
    sv_domain_chr_unix_mode mode;   /* unix */
    int target_type;                /* serial: sv_domain_serial_target; console: sv_domain_console_target */
    int target_port;                /* serial/console; assigned when absent */
    char *target_name;              /* channel: virtio port name, e.g. org.qemu.guest_agent.0 */
    sv_domain_device_info info;
} sv_domain_chr_def;

/* ---- graphics, video, input ------------------------------------------ */

typedef enum { SV_DOMAIN_GRAPHICS_VNC, SV_DOMAIN_GRAPHICS_SPICE } sv_domain_graphics_type;
extern const char *const sv_domain_graphics_type_names[];
typedef enum { SV_DOMAIN_LISTEN_ADDRESS, SV_DOMAIN_LISTEN_NONE } sv_domain_listen_type;
extern const char *const sv_domain_listen_type_names[];

typedef struct sv_domain_graphics_def {
    sv_domain_graphics_type type;
    int port;                       /* 0 = unset; live value when autoport */
    int tls_port;                   /* spice */
    bool autoport;
    char *keymap;
    bool has_listen;                /* one <listen>; added as type address when absent */
    sv_domain_listen_type listen_type;
    char *listen_address;           /* NULL: the driver's default */
} sv_domain_graphics_def;

typedef enum {
    SV_DOMAIN_VIDEO_VGA,
    SV_DOMAIN_VIDEO_CIRRUS,
    SV_DOMAIN_VIDEO_VMVGA,
    SV_DOMAIN_VIDEO_QXL,
    SV_DOMAIN_VIDEO_VIRTIO,
    SV_DOMAIN_VIDEO_BOCHS,
    SV_DOMAIN_VIDEO_RAMFB,
    SV_DOMAIN_VIDEO_NONE,
} sv_domain_video_model;
extern const char *const sv_domain_video_model_names[];

typedef struct sv_domain_video_def {
    sv_domain_video_model model;    /* default vga */
    unsigned vram, ram, vgamem;     /* KiB; 0 = absent; defaults per model */
    unsigned heads;                 /* default 1 (0 for none) */
    bool primary;                   /* the first video is the primary one */
    sv_domain_device_info info;
} sv_domain_video_def;

typedef enum { SV_DOMAIN_INPUT_MOUSE, SV_DOMAIN_INPUT_TABLET, SV_DOMAIN_INPUT_KEYBOARD } sv_domain_input_type;
extern const char *const sv_domain_input_type_names[];
typedef enum { SV_DOMAIN_INPUT_BUS_PS2, SV_DOMAIN_INPUT_BUS_USB, SV_DOMAIN_INPUT_BUS_VIRTIO } sv_domain_input_bus;
extern const char *const sv_domain_input_bus_names[];

typedef struct sv_domain_input_def {
    sv_domain_input_type type;
    sv_domain_input_bus bus;        /* default: tablet usb, mouse/keyboard ps2 */
    sv_domain_device_info info;
} sv_domain_input_def;

/* ---- rng, memballoon, watchdog ---------------------------------------- */

typedef enum { SV_DOMAIN_RNG_VIRTIO } sv_domain_rng_model;
extern const char *const sv_domain_rng_model_names[];
typedef enum { SV_DOMAIN_RNG_BACKEND_RANDOM, SV_DOMAIN_RNG_BACKEND_BUILTIN } sv_domain_rng_backend;
extern const char *const sv_domain_rng_backend_names[];

typedef struct sv_domain_rng_def {
    sv_domain_rng_model model;
    sv_domain_rng_backend backend;
    char *device;                   /* random backend: default /dev/urandom */
    unsigned rate_bytes, rate_period;   /* <rate>; 0 = absent */
    sv_domain_device_info info;
} sv_domain_rng_def;

typedef enum { SV_DOMAIN_MEMBALLOON_VIRTIO, SV_DOMAIN_MEMBALLOON_NONE } sv_domain_memballoon_model;
extern const char *const sv_domain_memballoon_model_names[];

typedef struct sv_domain_memballoon_def {
    sv_domain_memballoon_model model;
    int autodeflate;                /* SV_TRISTATE_* (on/off) */
    bool has_period;
    unsigned period;                /* <stats period=> seconds */
    sv_domain_device_info info;
} sv_domain_memballoon_def;

typedef enum {
    SV_DOMAIN_WATCHDOG_I6300ESB,
    SV_DOMAIN_WATCHDOG_IB700,
    SV_DOMAIN_WATCHDOG_DIAG288,
    SV_DOMAIN_WATCHDOG_ITCO,
} sv_domain_watchdog_model;
extern const char *const sv_domain_watchdog_model_names[];
typedef enum {
    SV_DOMAIN_WATCHDOG_RESET,
    SV_DOMAIN_WATCHDOG_SHUTDOWN,
    SV_DOMAIN_WATCHDOG_POWEROFF,
    SV_DOMAIN_WATCHDOG_PAUSE,
    SV_DOMAIN_WATCHDOG_NONE,
    SV_DOMAIN_WATCHDOG_DUMP,
    SV_DOMAIN_WATCHDOG_INJECT_NMI,
} sv_domain_watchdog_action;
extern const char *const sv_domain_watchdog_action_names[];

typedef struct sv_domain_watchdog_def {
    sv_domain_watchdog_model model;
    sv_domain_watchdog_action action;   /* default reset */
    sv_domain_device_info info;
} sv_domain_watchdog_def;

/* ---- the domain -------------------------------------------------------- */

typedef struct sv_domain_def {
    char *name;
    unsigned char uuid[SV_UUID_LEN];    /* generated when absent */

    sv_domain_virt_type virt_type;      /* <domain type=> */
    int id;                             /* live id, -1 when inactive */
    char *title;                        /* one line */
    char *description;
    /* <metadata>: each child element as libxml2 serializes it at nesting
     * level 2 (blank text between elements dropped), prefixed by four
     * spaces and ending in a newline; "" for an empty <metadata/>; NULL
     * when absent.  Formatted verbatim. */
    char *metadata;

    uint64_t memory_kib;                /* <memory> */
    uint64_t current_memory_kib;        /* <currentMemory>, default memory */
    uint64_t max_memory_kib;            /* <maxMemory>, 0 = absent */
    unsigned max_memory_slots;

    unsigned vcpus;                     /* <vcpu> maximum, default 1 */
    unsigned vcpus_current;             /* current=, default vcpus */
    sv_domain_vcpu_placement placement;
    char *cpuset;                       /* vcpu cpuset=, or NULL */

    sv_domain_os_def os;
    bool acpi, apic, pae;               /* <features> */
    sv_domain_cpu_def *cpu;             /* NULL = no <cpu> */
    sv_domain_clock_def clock;
    sv_domain_lifecycle_action on_poweroff;  /* default destroy */
    sv_domain_lifecycle_action on_reboot;    /* default restart */
    sv_domain_lifecycle_action on_crash;     /* default destroy */

    char *emulator;                     /* <emulator> or NULL */
    size_t ndisks;
    sv_domain_disk_def **disks;
    size_t ncontrollers;
    sv_domain_controller_def **controllers;
    size_t nnets;
    sv_domain_net_def **nets;
    size_t nserials;
    sv_domain_chr_def **serials;
    size_t nconsoles;
    sv_domain_chr_def **consoles;
    size_t nchannels;
    sv_domain_chr_def **channels;
    size_t ninputs;
    sv_domain_input_def **inputs;
    size_t ngraphics;
    sv_domain_graphics_def **graphics;
    size_t nvideos;
    sv_domain_video_def **videos;
    sv_domain_watchdog_def *watchdog;   /* NULL = none */
    sv_domain_memballoon_def *memballoon;   /* always set after parse */
    size_t nrngs;
    sv_domain_rng_def **rngs;
} sv_domain_def;

/* Parse and validate; returns NULL with sv_error set. */
sv_domain_def *sv_domain_def_parse(const char *xml, size_t len, unsigned flags);
/* Format; returns malloc'd XML text. */
char *sv_domain_def_format(const sv_domain_def *def, unsigned flags);
void sv_domain_def_free(sv_domain_def *def);
/* Deep copy including live data; NULL with sv_error set on failure. */
sv_domain_def *sv_domain_def_copy(const sv_domain_def *def);

/* The disk whose <target dev=> is dst, or NULL. */
sv_domain_disk_def *sv_domain_def_find_disk(const sv_domain_def *def, const char *dst);
/* The interface with that MAC address, or NULL. */
sv_domain_net_def *sv_domain_def_find_net(const sv_domain_def *def, const unsigned char mac[SV_MAC_LEN]);
