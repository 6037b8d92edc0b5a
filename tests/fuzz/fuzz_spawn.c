/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target for the spawn helper's START check (ipc/helper_spawn.h),
 * which the helper and the launcher both run before the launcher splits
 * argv into strings for exec.  Input: one byte (fds that came with the
 * request), then the request body (zero-padded or cut to its size).  Every
 * accepted request must split into exactly argc NUL-terminated strings that
 * end inside argv_len, with a kind of [a-z0-9_-] only.
 */
#include <stdlib.h>
#include <string.h>

#include "helper_spawn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sv_spawn_start_req req;
    uint32_t off = 0;

    if (size < 1)
        return 0;
    memset(&req, 0, sizeof(req));
    memcpy(&req, data + 1, size - 1 < sizeof(req) ? size - 1 : sizeof(req));
    if (sv_spawn_start_check(&req, data[0] % (SV_HELPER_MAX_FDS + 1)) != 0)
        return 0;
    if (req.argc > SV_SPAWN_ARGC_MAX || req.argv_len > sizeof(req.argv) || req.kind[0] == '\0')
        abort();
    for (const char *k = req.kind; *k; k++)
        if (*k == '/' || *k == '.')
            abort();
    /* the launcher's split (helpers/launcher.c, order_start) */
    for (uint32_t i = 0; i < req.argc; i++) {
        const char *nul = memchr(req.argv + off, '\0', req.argv_len - off);

        if (off >= req.argv_len || !nul)
            abort();
        off = (uint32_t)(nul - req.argv) + 1;
    }
    if (off != req.argv_len)
        abort();
    return 0;
}
