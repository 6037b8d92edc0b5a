/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Golden round-trip tests for the XML models, libvirt's xml2xml style.
 *
 * DATADIR/<kind>/NAME.xml          input
 * DATADIR/<kind>/NAME.out.xml      expected normalized output (when absent the
 *                                  input itself is the expected output)
 * DATADIR/<kind>/invalid/NAME.xml  input that must be refused
 * DATADIR/<kind>/invalid/NAME.err  a substring the error message must contain
 *
 * Every valid case is also formatted a second time (parse the output, format
 * again) and must give identical text.  With SV_REGENERATE=1 missing or
 * differing .out.xml files are written instead of failing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_any.h"
#include "sv_error.h"
#include "sv_testcases.h"
#include "sv_util.h"

static int n_pass, n_fail;

static void result(bool ok, const char *kind, const char *name, const char *why)
{
    if (ok) {
        n_pass++;
        printf("ok %d - %s/%s\n", n_pass + n_fail, kind, name);
    } else {
        n_fail++;
        printf("not ok %d - %s/%s: %s\n", n_pass + n_fail, kind, name, why);
    }
}

static bool write_file(const char *path, const char *data)
{
    FILE *f = fopen(path, "w");
    bool ok;

    if (!f)
        return false;
    ok = fputs(data, f) >= 0;
    return fclose(f) == 0 && ok;
}

static void run_valid(const char *datadir, const char *kindname, sv_conf_kind kind, size_t *count)
{
    _cleanup_free_ char *dir = sv_asprintf("%s/%s", datadir, kindname);
    bool regen = getenv("SV_REGENERATE") != NULL;
    size_t n;
    char **names = sv_test_list_cases(dir, ".out.xml", &n);

    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *in_path = sv_asprintf("%s/%s.xml", dir, names[i]);
        _cleanup_free_ char *out_path = sv_asprintf("%s/%s.out.xml", dir, names[i]);
        _cleanup_free_ char *in = NULL, *expect = NULL, *out = NULL, *out2 = NULL;
        size_t in_len;

        if (sv_read_file(in_path, SIZE_MAX, &in, &in_len) < 0) {
            result(false, kindname, names[i], "cannot read input");
            goto next;
        }
        sv_error_reset();
        out = sv_conf_normalize(in, in_len, kind, NULL);
        if (!out) {
            char why[1200];

            snprintf(why, sizeof(why), "parse failed: %s", sv_error_message());
            result(false, kindname, names[i], why);
            goto next;
        }
        if (sv_read_file(out_path, SIZE_MAX, &expect, NULL) < 0)
            expect = sv_strdup(in);
        if (strcmp(out, expect) != 0) {
            if (regen && write_file(out_path, out)) {
                printf("# regenerated %s\n", out_path);
            } else {
                fprintf(stderr, "--- expected %s\n%s--- got\n%s---\n", out_path, expect, out);
                result(false, kindname, names[i], "output differs from expected");
                goto next;
            }
        }
        out2 = sv_conf_normalize(out, strlen(out), kind, NULL);
        if (!out2 || strcmp(out, out2) != 0) {
            fprintf(stderr, "--- first format\n%s--- second format\n%s---\n", out, out2 ? out2 : sv_error_message());
            result(false, kindname, names[i], "second round trip is not identical");
            goto next;
        }
        result(true, kindname, names[i], NULL);
        (*count)++;
    next:
        free(names[i]);
    }
    free(names);
}

static void run_invalid(const char *datadir, const char *kindname, sv_conf_kind kind, size_t *count)
{
    _cleanup_free_ char *dir = sv_asprintf("%s/%s/invalid", datadir, kindname);
    size_t n;
    char **names = sv_test_list_cases(dir, ".out.xml", &n);

    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *in_path = sv_asprintf("%s/%s.xml", dir, names[i]);
        _cleanup_free_ char *err_path = sv_asprintf("%s/%s.err", dir, names[i]);
        _cleanup_free_ char *in = NULL, *expect = NULL, *out = NULL;
        _cleanup_free_ char *label = sv_asprintf("invalid/%s", names[i]);
        size_t in_len, elen;

        if (sv_read_file(in_path, SIZE_MAX, &in, &in_len) < 0 ||
            sv_read_file(err_path, SIZE_MAX, &expect, &elen) < 0) {
            result(false, kindname, label, "cannot read input or .err file");
            goto next;
        }
        while (elen > 0 && (expect[elen - 1] == '\n' || expect[elen - 1] == '\r'))
            expect[--elen] = '\0';
        sv_error_reset();
        out = sv_conf_normalize(in, in_len, kind, NULL);
        if (out) {
            result(false, kindname, label, "invalid input was accepted");
            goto next;
        }
        if (elen == 0 || !strstr(sv_error_message(), expect)) {
            char why[1400];

            snprintf(why, sizeof(why), "error '%s' does not contain '%s'", sv_error_message(), expect);
            result(false, kindname, label, why);
            goto next;
        }
        result(true, kindname, label, NULL);
        (*count)++;
    next:
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *dir;
        sv_conf_kind kind;
        size_t min_valid;
    } kinds[] = {
        {"domain", SV_CONF_DOMAIN, 40},
        {"network", SV_CONF_NETWORK, 10},
        {"nwfilter", SV_CONF_NWFILTER, 10},
    };
    const size_t min_invalid = 25;
    size_t invalid = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATADIR\n", argv[0]);
        return 2;
    }
    for (size_t k = 0; k < SV_ARRAY_SIZE(kinds); k++) {
        size_t valid = 0;

        run_valid(argv[1], kinds[k].dir, kinds[k].kind, &valid);
        run_invalid(argv[1], kinds[k].dir, kinds[k].kind, &invalid);
        if (valid < kinds[k].min_valid) {
            char why[128];

            snprintf(why, sizeof(why), "only %zu passing cases, need %zu", valid, kinds[k].min_valid);
            result(false, kinds[k].dir, "coverage", why);
        }
    }
    if (invalid < min_invalid) {
        char why[128];

        snprintf(why, sizeof(why), "only %zu passing invalid cases, need %zu", invalid, min_invalid);
        result(false, "all", "invalid-coverage", why);
    }
    printf("1..%d\n", n_pass + n_fail);
    printf("# %d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
