/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Profiles: the base list plus each process's additions. */
#include "sv_policy.h"

#ifdef SV_SANITIZE
#define SANITIZER sv_policy_sanitizer,
#else
#define SANITIZER
#endif

static const sv_sc_rule *const frontd_parts[] = {
    sv_policy_base, sv_policy_frontd, SANITIZER NULL,
};
static const sv_sc_rule *const nethelper_parts[] = {
    sv_policy_base, sv_policy_nethelper, SANITIZER NULL,
};
static const sv_sc_rule *const spawnhelper_parts[] = {
    sv_policy_base, sv_policy_spawnhelper, SANITIZER NULL,
};

const sv_sc_profile sv_profile_frontd = { "frontd", frontd_parts };
const sv_sc_profile sv_profile_nethelper = { "nethelper", nethelper_parts };
const sv_sc_profile sv_profile_spawnhelper = { "spawnhelper", spawnhelper_parts };

const sv_sc_profile *const sv_profiles[] = {
    &sv_profile_frontd, &sv_profile_nethelper, &sv_profile_spawnhelper, NULL,
};
