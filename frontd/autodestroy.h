/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VIR_DOMAIN_START_AUTODESTROY: a guest started with the flag is destroyed,
 * as virDomainDestroy would, when the connection that started it closes,
 * whatever the way (CONNECT_CLOSE, EOF, the client killed, frontd dropping
 * it for a protocol error).  Other connections closing do not matter.
 *
 * A registration names the run, not just the domain: the domain's UUID and
 * the id it got at that start.  A guest that stopped meanwhile, or was
 * started again by anyone, is left alone.
 *
 * Registrations live in frontd's memory only and end with it: frontd
 * stopping (SIGTERM: sv_autodestroy_stop() before the connections close)
 * or dying (a crash, SIGKILL) leaves those guests running, as a restart of
 * frontd leaves every guest running (virtqemud's rule too; the monolithic
 * libvirtd 9.0 destroys them at SIGTERM).  The restarted frontd adopts them
 * as ordinary guests.
 */
#pragma once

#include "client.h"
#include "sv_util.h"

/* After a successful start with the flag, with the domain's job held (so
 * registrations of one domain are made in the order of its runs): destroy
 * run id of domain uuid when c closes.  When c is closed already, the
 * destroy is queued at once. */
void sv_autodestroy_add(sv_client *c, const unsigned char uuid[SV_UUID_LEN], int id);

/* Event loop, when c closes: queue the destroys c registered to worker
 * threads (a destroy waits for QEMU to exit) and forget c. */
void sv_autodestroy_client_gone(sv_client *c);

/* frontd stops: forget every registration and take no more. */
void sv_autodestroy_stop(void);

/* proc_domain_lifecycle.c: destroy domain uuid, through the same job and
 * driver path as virDomainDestroy, when it still runs with id.  Blocks;
 * failures are logged. */
void sv_proc_domain_autodestroy(const unsigned char uuid[SV_UUID_LEN], int id);
