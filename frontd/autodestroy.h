/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VIR_DOMAIN_START_AUTODESTROY: a guest started with the flag is destroyed,
 * as virDomainDestroy would, when the connection that started it closes,
 * whatever the way (CONNECT_CLOSE, EOF, the client killed, the daemon
 * dropping it for a protocol error or at its own shutdown, as libvirtd 9.0
 * does).  Other connections closing do not matter.
 *
 * A registration names the run, not just the domain: the domain's UUID and
 * the id it got at that start.  A guest that stopped meanwhile, or was
 * started again by anyone, is left alone.
 *
 * Registrations live in frontd's memory only: when frontd dies without
 * closing its connections (a crash, SIGKILL) and the launcher restarts it,
 * they are gone and those guests keep running, as any other guest does.
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

/* proc_domain_lifecycle.c: destroy domain uuid, through the same job and
 * driver path as virDomainDestroy, when it still runs with id.  Blocks;
 * failures are logged. */
void sv_proc_domain_autodestroy(const unsigned char uuid[SV_UUID_LEN], int id);
