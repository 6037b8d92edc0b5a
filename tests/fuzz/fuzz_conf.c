/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fuzz_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_error.h"
#include "sv_util.h"

static _Noreturn void fuzz_fail(const char *what, const char *detail, const char *out)
{
    fprintf(stderr, "fuzz_conf: %s: %s\n--- first output ---\n%s\n", what, detail, out ? out : "");
    abort();
}

int sv_fuzz_conf_one(const uint8_t *data, size_t size, sv_conf_kind kind)
{
    /* The parsers take (pointer, length); the copy adds a NUL after the
     * end so a parser that strays past len is caught by ASan instead of
     * reading whatever follows libFuzzer's buffer. */
    _cleanup_free_ char *xml = sv_malloc0(size + 1);
    _cleanup_free_ char *out = NULL, *again = NULL;
    sv_conf_kind got = SV_CONF_AUTO;

    memcpy(xml, data, size);
    sv_error_reset();
    out = sv_conf_normalize(xml, size, kind, &got);
    if (!out) {
        if (!sv_error_last() || !sv_error_message()[0])
            fuzz_fail("refused without an error message", "", NULL);
        return 0;
    }
    if (got != kind)
        fuzz_fail("wrong kind", sv_conf_kind_name(got) ? sv_conf_kind_name(got) : "?", out);

    sv_error_reset();
    again = sv_conf_normalize(out, strlen(out), kind, NULL);
    if (!again)
        fuzz_fail("normalized output is refused", sv_error_message(), out);
    if (strcmp(out, again) != 0) {
        fprintf(stderr, "--- second output ---\n%s\n", again);
        fuzz_fail("second normalization differs", "", out);
    }
    return 0;
}
