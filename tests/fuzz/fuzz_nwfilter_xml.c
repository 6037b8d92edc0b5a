/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: nwfilter XML through parse, validate, format, and again.
 * Seeds: tests/conf/data/nwfilter/ (see scripts/fuzz.sh). */
#include "fuzz_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return sv_fuzz_conf_one(data, size, SV_CONF_NWFILTER);
}
