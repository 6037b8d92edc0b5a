/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rule lists the profiles are assembled from (sandbox/policy_*.c). */
#pragma once

#include "sv_seccomp.h"

extern const sv_sc_rule sv_policy_base[];
extern const sv_sc_rule sv_policy_frontd[];
extern const sv_sc_rule sv_policy_nethelper[];
extern const sv_sc_rule sv_policy_spawnhelper[];
/* Only in sanitizer builds: what the ASan/UBSan runtimes need. */
extern const sv_sc_rule sv_policy_sanitizer[];
