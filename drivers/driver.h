/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Driver interfaces: what the domain and network procedures of frontd call
 * to act on the host.  A hypervisor driver (QEMU) and a network driver
 * register themselves at start; while none is registered the lifecycle
 * procedures answer NO_SUPPORT ("this function is not supported by the
 * connection driver: virDomainCreate") and networks only change state.
 *
 * Objects are those of frontd's registries (frontd/domain_registry.h,
 * frontd/network_registry.h).  Contract for every callback:
 *   - the object is locked and the caller owns its job (sv_obj_begin_job),
 *     so no other lifecycle operation runs on it; the driver may unlock it
 *     while it waits (QEMU starting, a monitor reply) and re-locks it
 *     before returning;
 *   - the caller has checked the state the operation needs (active or not),
 *     reporting libvirt's errors, so the driver only acts;
 *   - the driver records the outcome in the registry: start ->
 *     sv_domain_mark_running(), stop -> sv_domain_mark_shutoff(), pause and
 *     resume -> sv_domain_set_state();
 *   - lifecycle events: the procedure emits the event of the operation it
 *     asked for (STARTED/BOOTED, STOPPED/DESTROYED, SUSPENDED/PAUSED,
 *     RESUMED/UNPAUSED); the driver emits what happens by itself (guest
 *     shutdown, crash, reboot, the STOPPED of a graceful shutdown);
 *   - return 0, or -1 with sv_error set (libvirt's wording).
 */
#pragma once

#include <stdint.h>

struct sv_domain_obj;
struct sv_network_obj;

/* What only the running hypervisor knows, for virDomainGetInfo. */
typedef struct sv_domain_runtime_info {
    uint64_t cpu_time_ns;
    uint64_t memory_kib;        /* current (balloon) size */
} sv_domain_runtime_info;

typedef struct sv_hv_driver {
    const char *name;           /* "QEMU" */
    /* virDomainCreateWithFlags / CreateXML: flags are libvirt's
     * VIR_DOMAIN_START_* (1 PAUSED, 2 AUTODESTROY, 4 BYPASS_CACHE,
     * 8 FORCE_BOOT, 32 RESET_NVRAM). */
    int (*domain_start)(struct sv_domain_obj *d, unsigned flags);
    /* VIR_DOMAIN_DESTROY_* (1 GRACEFUL) */
    int (*domain_destroy)(struct sv_domain_obj *d, unsigned flags);
    /* VIR_DOMAIN_SHUTDOWN_* / VIR_DOMAIN_REBOOT_* (1 ACPI, 2 AGENT, ...) */
    int (*domain_shutdown)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_reboot)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_reset)(struct sv_domain_obj *d, unsigned flags);
    int (*domain_suspend)(struct sv_domain_obj *d);
    int (*domain_resume)(struct sv_domain_obj *d);
    /* Active domains only; called without the job (a quick query). */
    int (*domain_get_info)(struct sv_domain_obj *d, sv_domain_runtime_info *ret);
} sv_hv_driver;

typedef struct sv_net_driver {
    /* Bring the network up (bridge, addresses, DHCP, firewall) from its
     * live config, before it is marked active; tear it down. */
    int (*network_start)(struct sv_network_obj *n);
    int (*network_stop)(struct sv_network_obj *n);
} sv_net_driver;

/* Register (NULL: unregister) the driver.  Call before clients connect;
 * the pointer must stay valid. */
void sv_hv_driver_register(const sv_hv_driver *drv);
const sv_hv_driver *sv_hv_driver_get(void);
void sv_net_driver_register(const sv_net_driver *drv);
const sv_net_driver *sv_net_driver_get(void);
