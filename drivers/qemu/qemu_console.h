/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Consoles of running guests (virsh console).  QEMU serves each pty serial
 * port on a socket in frontd's run directory (serialN.sock, one client at
 * a time).  frontd keeps its own connection to that socket from the first
 * console session until the guest ends, and sessions are spliced onto it:
 *
 *   - output that arrives while nobody is attached is kept, the last
 *     QEMU_CONSOLE_RING bytes of it, and replayed to the next session, so
 *     `virsh console` shows the login prompt or the boot's last lines;
 *   - the first session of a run (or of a restarted frontd) starts from
 *     the tail of the port's log file (<state>/qemu/log/<name>.serialN.log);
 *   - while a session is attached, a client that does not read holds the
 *     guest's output back (as a pty would), with bounded buffers.
 *
 * One thread serves every port.
 */
#pragma once

struct sv_domain_obj;

/* Output kept for the next session. */
#define QEMU_CONSOLE_RING (16 * 1024)

/* sv_hv_driver.domain_open_console: d locked, job held, active; dev_name
 * is a serial port's alias ("serial0"; a console on the serial target is
 * serial port 0).  Returns 0 and *ret_fd, the session's end of a socket
 * pair, or -1 with sv_error set.  A session already attached to the port
 * is dropped. */
int qemu_domain_open_console(struct sv_domain_obj *d, const char *dev_name, unsigned flags,
                             int *ret_fd);
