/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Worker thread pool: runs procedure calls that may take time so that the
 * event loop keeps serving every other client.  Jobs run in FIFO order on
 * whichever worker is free; there is no per-client ordering (replies carry
 * the call's serial and may go out in any order).
 */
#pragma once

typedef void (*sv_work_fn)(void *opaque);

/* Allow up to n threads (started on demand; one now).  0 or -1 with
 * sv_error set. */
int sv_workers_start(unsigned n);

/* Queue fn(opaque).  Never blocks. */
void sv_workers_submit(sv_work_fn fn, void *opaque);

/* Run what is queued, then stop and join every thread. */
void sv_workers_stop(void);
