/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How fake_front hands its connections to the launcher test: the helper
 * codec with a two-message protocol of its own, one way (no replies). */
#pragma once

#include <stdint.h>

#include "helper_proto.h"

#define HARNESS_SOCK "harness.sock"
#define HARNESS_HAS_NET 1u
#define HARNESS_HAS_SPAWN 2u

enum {
    HARNESS_HELLO = 2,   /* helper = HARNESS_HAS_* mask; fds: net, spawn (those present) */
    HARNESS_HELPER = 3,  /* helper = SV_HELPER_ID_*; one fd: its new socket */
};

typedef struct harness_msg {
    uint32_t helper;
    uint32_t reserved;
} harness_msg;

static inline const sv_helper_proto *harness_proto(void)
{
    static const sv_helper_msg msgs[] = {
        SV_HELPER_MSG_PING,
        { HARNESS_HELLO, "HELLO", sizeof(harness_msg), 2, sizeof(harness_msg), 0 },
        { HARNESS_HELPER, "HELPER", sizeof(harness_msg), 1, sizeof(harness_msg), 0 },
    };
    static const sv_helper_proto proto = { "harness", 1, msgs, sizeof(msgs) / sizeof(msgs[0]) };

    return &proto;
}
