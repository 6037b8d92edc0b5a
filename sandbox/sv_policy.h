/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How a profile is assembled (sandbox/policy_*.c): the shared base list,
 * the process's own rules and, in sanitizer builds only, what the ASan and
 * UBSan runtimes need at start-up.
 */
#pragma once

#include "sv_seccomp.h"

extern const sv_sc_rule sv_policy_base[];
extern const sv_sc_rule sv_policy_sanitizer[];

#ifdef SV_SANITIZE
#define SV_PROFILE(nm, rules) \
    { nm, (const sv_sc_rule *const[]){ sv_policy_base, rules, sv_policy_sanitizer, NULL } }
#else
#define SV_PROFILE(nm, rules) { nm, (const sv_sc_rule *const[]){ sv_policy_base, rules, NULL } }
#endif
