/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sv-policy-dump: one line per profile, "NAME COUNT syscall syscall ...",
 * for scripts/privileged-lines.sh and docs/security.md.  Not installed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sv_seccomp.h"

#define MAX_NAMES 512

/* The distinct syscall names p lets through (SV_SC_FAIL rules excluded),
 * in first-seen order. */
static size_t names_of(const sv_sc_profile *p, const char *names[MAX_NAMES])
{
    size_t n = 0;

    for (const sv_sc_rule *const *part = p->parts; *part; part++)
        for (const sv_sc_rule *rule = *part; rule->name; rule++) {
            bool dup = rule->action == SV_SC_FAIL;

            for (size_t i = 0; i < n && !dup; i++)
                dup = strcmp(names[i], rule->name) == 0;
            if (!dup && n < MAX_NAMES)
                names[n++] = rule->name;
        }
    return n;
}

int main(void)
{
    for (const sv_sc_profile *const *p = sv_profiles; *p; p++) {
        const char *names[MAX_NAMES];
        size_t n = names_of(*p, names);

        printf("%s %zu", (*p)->name, n);
        for (size_t i = 0; i < n; i++)
            printf(" %s", names[i]);
        printf("\n");
    }
    return 0;
}
