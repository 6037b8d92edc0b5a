/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sv-policy-dump: one line per profile, "NAME COUNT syscall syscall ...",
 * for scripts/privileged-lines.sh and docs/security.md.  Not installed.
 */
#include <stdio.h>

#include "sv_seccomp.h"

static void print_name(const char *name, void *opaque)
{
    (void)opaque;
    printf(" %s", name);
}

int main(void)
{
    for (const sv_sc_profile *const *p = sv_profiles; *p; p++) {
        printf("%s %zu", (*p)->name, sv_seccomp_count(*p));
        sv_seccomp_foreach(*p, print_name, NULL);
        printf("\n");
    }
    return 0;
}
