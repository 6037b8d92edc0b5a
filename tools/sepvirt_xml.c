/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-xml: validate a domain, network or nwfilter XML document and
 * print it normalized (defaults filled), or print why it is refused.
 * Exit status: 0 valid, 1 invalid, 2 usage error (as virt-xml-validate).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "conf_any.h"
#include "sv_config.h"
#include "sv_error.h"
#include "sv_util.h"
#include "xml_util.h"

static void usage(FILE *out, const char *prog)
{
    fprintf(out,
            "Usage: %s [OPTIONS] FILE...\n"
            "Validate libvirt domain, network or nwfilter XML and print it normalized.\n"
            "\n"
            "  -k, --kind=KIND   domain, network or nwfilter (default: from the root element)\n"
            "  -v, --validate    only validate; print \"FILE validates\"\n"
            "  -q, --quiet       print nothing on success\n"
            "  -h, --help        show this help\n"
            "  -V, --version     show the version\n"
            "FILE may be '-' for standard input.\n",
            prog);
}

static int read_input(const char *path, char **ret, size_t *ret_len)
{
    if (strcmp(path, "-") != 0)
        return sv_read_file(path, SV_XML_MAX_SIZE, ret, ret_len);
    return sv_read_file("/dev/stdin", SV_XML_MAX_SIZE, ret, ret_len);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"validate", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    sv_conf_kind kind = SV_CONF_AUTO;
    bool validate_only = false, quiet = false;
    int c, status = 0;

    while ((c = getopt_long(argc, argv, "k:vqhV", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            kind = sv_conf_kind_from_name(optarg);
            if (kind == SV_CONF_AUTO) {
                fprintf(stderr, "%s: unknown kind '%s' (expected domain, network or nwfilter)\n", argv[0], optarg);
                return 2;
            }
            break;
        case 'v': validate_only = true; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout, argv[0]); return 0;
        case 'V': printf("sepvirt-xml %s\n", SV_VERSION); return 0;
        default: usage(stderr, argv[0]); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr, argv[0]);
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        _cleanup_free_ char *data = NULL, *out = NULL;
        size_t len;
        int r = read_input(argv[i], &data, &len);

        if (r < 0) {
            fprintf(stderr, "%s: error: cannot read: %s\n", argv[i],
                    r == -EFBIG ? "file too large" : strerror(-r));
            status = 1;
            continue;
        }
        sv_error_reset();
        out = sv_conf_normalize(data, len, kind, NULL);
        if (!out) {
            fprintf(stderr, "%s: error: %s\n", argv[i], sv_error_message());
            status = 1;
            continue;
        }
        if (quiet)
            continue;
        if (validate_only)
            printf("%s validates\n", argv[i]);
        else
            fputs(out, stdout);
    }
    return status;
}
