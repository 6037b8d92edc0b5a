/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared body of the XML model fuzz targets. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "conf_any.h"

/* Normalize data as kind; on success normalize the output again, which must
 * succeed and give identical text.  Aborts (a libFuzzer crash) when the
 * round trip is not stable, when the kind comes back different, or when a
 * refusal leaves no error message.  Always returns 0. */
int sv_fuzz_conf_one(const uint8_t *data, size_t size, sv_conf_kind kind);
