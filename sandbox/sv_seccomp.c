/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Seccomp profiles → libseccomp filters: see sv_seccomp.h. */
#include "sv_seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>

static int add_rule(scmp_filter_ctx ctx, const sv_sc_rule *r, const sv_sc_exec *exec)
{
    struct scmp_arg_cmp cmp[SV_SC_MAX_ARGS];
    uint32_t action = SCMP_ACT_ALLOW;
    unsigned n = r->n_args;
    int nr = seccomp_syscall_resolve_name(r->name);

    if (nr == __NR_SCMP_ERROR || n > SV_SC_MAX_ARGS)
        return -EINVAL;
    for (unsigned i = 0; i < n; i++)
        cmp[i] = (struct scmp_arg_cmp){ r->args[i].arg, r->args[i].op,
                                        r->args[i].a, r->args[i].b };
    if (r->action == SV_SC_FAIL)
        action = SCMP_ACT_ERRNO((uint32_t)r->errno_ret);
    if (r->action == SV_SC_EXEC_ONCE) {
        if (!exec)
            return 0;
        cmp[0] = SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)exec->fd);
        cmp[1] = SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)(uintptr_t)exec->empty);
        cmp[2] = SCMP_A4(SCMP_CMP_EQ, AT_EMPTY_PATH);
        n = 3;
    }
    return seccomp_rule_add_exact_array(ctx, action, nr, n, cmp);
}

int sv_seccomp_load(const sv_sc_profile *p, const sv_sc_exec *exec)
{
    scmp_filter_ctx ctx;
    int r = 0;

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return -errno;
    ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!ctx)
        return -ENOMEM;
    /* A call through another ABI (i386, x32) kills too. */
    r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    for (const sv_sc_rule *const *part = p->parts; r == 0 && *part; part++)
        for (const sv_sc_rule *rule = *part; r == 0 && rule->name; rule++) {
            r = add_rule(ctx, rule, exec);
            if (r == -EEXIST)
                r = 0;
        }
    if (r == 0)
        r = seccomp_load(ctx);
    seccomp_release(ctx);
    return r;
}
