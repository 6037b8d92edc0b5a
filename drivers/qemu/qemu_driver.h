/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The QEMU hypervisor driver (drivers/driver.h's sv_hv_driver): starts
 * guests through the spawn helper with devices from the net helper, keeps
 * one QMP monitor per running guest, turns QEMU's events into libvirt's
 * states, reasons and lifecycle events, and writes a status file per
 * running guest so a restarted frontd finds its guests again.
 *
 * Runtime places (sv_frontd_paths):
 *   <runtime>/qemu/<uuid>/        monitor.sock, serialN.sock (frontd's)
 *   <state>/qemu/status/<name>.status   what a restarted frontd needs
 *   <state>/qemu/log/<name>.log         QEMU's command line and stderr
 *   <state>/qemu/log/<name>.serialN.log the guest's output on serial port N
 */
#pragma once

#include <stddef.h>

struct sv_domain_obj;

/* Under the launcher (sv_helper_conn_launched()): reconnect to the guests
 * that still run, reconcile the helpers' processes and devices, register
 * the driver and autostart domains (in the background).  Without the
 * launcher no driver is registered and the lifecycle calls stay
 * unsupported.  Call after sv_registry_init() and sv_helper_conn_init().
 * Returns 0 or -1 with sv_error set. */
int sv_qemu_driver_init(void);
/* Close every monitor; the guests keep running (a later frontd
 * reconnects).  Call before sv_registry_shutdown(). */
void sv_qemu_driver_shutdown(void);

/* For the console stream: a new connection to the serial port or console
 * of d (locked, active) named dev_name ("serial0", "console0"; NULL: the
 * first console, else the first serial port).  Returns 0 and *ret_fd (a
 * connected stream socket, caller closes), or -1 with sv_error set
 * (libvirt's wording: no console device / not a pty). */
int sv_qemu_domain_open_console(struct sv_domain_obj *d, const char *dev_name, int *ret_fd);

/* The file the guest's output on serial port index goes to (malloc'd). */
char *sv_qemu_serial_log_path(const char *domain_name, size_t index);
