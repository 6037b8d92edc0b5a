/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "busypoll.h"

#include <time.h>

void sv_busypoll_init(sv_busypoll *bp, uint64_t max_ns)
{
    bp->max_ns = max_ns;
    bp->window_ns = 0;
    bp->idle_since = 0;
    bp->last_poll = 0;
    bp->hold_until = 0;
    bp->late = 0;
}

bool sv_busypoll_spin(const sv_busypoll *bp, uint64_t now)
{
    return bp->idle_since != 0 && bp->window_ns != 0 && now - bp->idle_since < bp->window_ns;
}

void sv_busypoll_polled(sv_busypoll *bp, uint64_t now)
{
    if (now - bp->last_poll > SV_BUSYPOLL_STALL_NS) {
        uint64_t hold = 0;

        bp->window_ns = 0;
        if (bp->late < 32)
            bp->late++;
        if (bp->late > 1) {
            hold = SV_BUSYPOLL_HOLD_MIN_NS;
            for (unsigned i = 2; i < bp->late && hold < SV_BUSYPOLL_HOLD_MAX_NS; i++)
                hold *= 2;
            if (hold > SV_BUSYPOLL_HOLD_MAX_NS)
                hold = SV_BUSYPOLL_HOLD_MAX_NS;
        }
        bp->hold_until = now + hold;
    }
    bp->last_poll = now;
}

void sv_busypoll_woke(sv_busypoll *bp, uint64_t now)
{
    uint64_t idle;

    if (bp->idle_since == 0 || bp->max_ns == 0)
        return;
    idle = now - bp->idle_since;
    bp->idle_since = 0;
    if (idle <= bp->window_ns) {
        bp->late = 0;                   /* caught while polling */
        return;
    }
    if (idle <= bp->max_ns) {
        if (now < bp->hold_until)
            return;                     /* the CPU was contended lately */
        /* Polling a little longer would have caught it. */
        bp->window_ns = bp->window_ns ? bp->window_ns * 2 : SV_BUSYPOLL_START_NS;
        if (bp->window_ns > bp->max_ns)
            bp->window_ns = bp->max_ns;
        return;
    }
    /* A long quiet spell: polling was wasted. */
    bp->window_ns /= 2;
    if (bp->window_ns < SV_BUSYPOLL_START_NS)
        bp->window_ns = 0;
}

void sv_busypoll_idle(sv_busypoll *bp, uint64_t now)
{
    /* 0 means "never"; a clock reading of exactly 0 is moved by 1 ns. */
    bp->idle_since = now ? now : 1;
    bp->last_poll = now;
}

uint64_t sv_busypoll_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
