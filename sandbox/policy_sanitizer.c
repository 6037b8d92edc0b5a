/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Only in sanitizer builds (-Db_sanitize): the ASan/UBSan runtimes start
 * inside the filter, which is loaded before exec, so their start-up calls
 * are added to every profile.  LeakSanitizer's exit-time scan would need
 * clone and ptrace, which no profile allows, and symbolizing a report
 * would fork: the launcher turns both off in the daemons' environment.
 * Release builds contain neither; the counts in docs/security.md are of
 * release builds.
 */
#include <fcntl.h>
#include <sys/resource.h>

#include "sv_policy.h"

const sv_sc_rule sv_policy_sanitizer[] = {
    SV_SC(readlink),
    SV_SC_ARGS(open, 1, SV_MASK(1, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, O_RDONLY)),
    SV_SC_ARGS(prlimit64, 2, SV_EQ(0, 0), SV_EQ(1, RLIMIT_CORE)),
    SV_SC(madvise), SV_SC(sigaltstack), SV_SC(rt_sigaction), SV_SC(rt_sigprocmask), SV_SC(getpid),
    SV_SC(gettid), SV_SC(clock_gettime), SV_SC(sched_yield),
    SV_SC_END,
};

const char *const sv_sanitizer_env[] = {
#ifdef SV_SANITIZE
    "ASAN_OPTIONS=detect_leaks=0:symbolize=0:abort_on_error=1",
    "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:symbolize=0",
#endif
    NULL,
};
