/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What fake_front tells the launcher test (tests/launcher). */
#pragma once

#include <stdint.h>

#define HARNESS_SOCK "harness.sock"
#define HARNESS_HAS_NET 1u
#define HARNESS_HAS_SPAWN 2u

/* "hello": helper = HARNESS_HAS_* mask, fds = net then spawn (those
 * present); "helper": helper = SV_HELPER_ID_*, one fd: its new socket. */
typedef struct harness_msg {
    char tag[8];
    uint32_t helper;
    uint32_t nfds;
} harness_msg;
