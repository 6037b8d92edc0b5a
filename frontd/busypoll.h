/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Adaptive busy polling for the event loop.
 *
 * A client that issues calls back to back (virsh in a script, a management
 * tool walking every domain) sends its next call a few tens of microseconds
 * after our reply.  If the loop blocks in epoll_wait meanwhile, the thread
 * sleeps, its CPU goes idle, and every call pays a wake-up: on a virtual
 * machine a halted vCPU takes tens of microseconds to come back, far more
 * than answering the call.  So after handling work the loop keeps polling
 * (epoll_wait with a zero timeout) for a short window before it blocks.
 *
 * The window adapts like the kernel's guest halt-polling: it grows (doubles,
 * up to the configured maximum) when work arrived soon after the loop gave
 * up polling, stays while work arrives inside it, and shrinks (halves) when
 * the loop stayed idle longer than the maximum.  An idle daemon therefore
 * stops spinning after a few calls, and a busy one spins only as long as
 * its clients' gaps.  A maximum of 0 turns polling off.
 *
 * Polling only pays while a CPU would otherwise sit idle.  The loop yields
 * the CPU between polls, so on a contended CPU a poll round comes back late
 * (another task ran): the window drops to zero.  One late round on a quiet
 * machine (an interrupt, the hypervisor running something else) says
 * little, and the window grows back at once; late rounds in a row mean the
 * CPU is busy, where polling only takes time from the clients and the rest
 * of the host, so polling stays off for a hold time that doubles with each
 * further late round (SV_BUSYPOLL_HOLD_MIN_NS up to SV_BUSYPOLL_HOLD_MAX_NS)
 * and is forgotten once a poll round catches a call in time.
 *
 * Times are CLOCK_MONOTONIC nanoseconds passed in by the caller, which
 * keeps this a pure state machine the unit tests drive directly.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* First window when polling starts to pay off. */
#define SV_BUSYPOLL_START_NS 10000u
/* A poll round this late means another task had the CPU meanwhile. */
#define SV_BUSYPOLL_STALL_NS 10000u
/* How long polling stays off after late rounds in a row. */
#define SV_BUSYPOLL_HOLD_MIN_NS 1000000u
#define SV_BUSYPOLL_HOLD_MAX_NS 200000000u

typedef struct sv_busypoll {
    uint64_t max_ns;        /* configured maximum window; 0: never poll */
    uint64_t window_ns;     /* current window */
    uint64_t idle_since;    /* when the loop last ran out of work; 0: never */
    uint64_t last_poll;     /* when the last poll round of this idle spell ended */
    uint64_t hold_until;    /* no polling before this time (contended CPU) */
    unsigned late;          /* late poll rounds since polling last paid off */
} sv_busypoll;

void sv_busypoll_init(sv_busypoll *bp, uint64_t max_ns);

/* Whether the loop should poll (true) or block (false) at time now. */
bool sv_busypoll_spin(const sv_busypoll *bp, uint64_t now);

/* A poll round found nothing and ended at time now. */
void sv_busypoll_polled(sv_busypoll *bp, uint64_t now);

/* Work arrived at time now: adapt the window to the idle time it ended. */
void sv_busypoll_woke(sv_busypoll *bp, uint64_t now);

/* The loop handled its work and is idle from time now. */
void sv_busypoll_idle(sv_busypoll *bp, uint64_t now);

/* CLOCK_MONOTONIC now, in nanoseconds. */
uint64_t sv_busypoll_now(void);
