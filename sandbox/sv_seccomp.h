/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp allowlists, crosvm style: a process's profile is the shared base
 * list plus that process's own additions; every rule names one syscall and
 * optionally up to three argument checks (ANDed).  Several rules for the
 * same syscall are ORed.  Anything not listed kills the whole process
 * (SECCOMP_RET_KILL_PROCESS → it dies by SIGSYS).
 *
 * The launcher loads a process's filter right before exec (see sv_jail.h),
 * so the process runs confined from its first instruction, and no helper
 * can forget to confine itself.  The only way to exec under such a filter is
 * the "exec once" rule (sv_sc_exec): execveat on one fd number that lies at
 * or above the process's RLIMIT_NOFILE hard limit and is closed by the exec
 * itself, with a pathname pointer the new image cannot map.
 */
#pragma once

#include <seccomp.h>
#include <stddef.h>

#define SV_SC_MAX_ARGS 3

typedef struct sv_sc_arg {
    unsigned arg;          /* 0..5 */
    enum scmp_compare op;  /* SCMP_CMP_EQ or SCMP_CMP_MASKED_EQ */
    scmp_datum_t a, b;     /* EQ: a = value; MASKED_EQ: a = mask, b = value */
} sv_sc_arg;

typedef enum sv_sc_action {
    SV_SC_ALLOW,
    SV_SC_FAIL,            /* fail with errno_ret instead of running */
    SV_SC_EXEC_ONCE,       /* execveat, checked as described above */
} sv_sc_action;

typedef struct sv_sc_rule {
    const char *name;      /* syscall name as libseccomp knows it */
    sv_sc_action action;
    int errno_ret;
    unsigned n_args;
    sv_sc_arg args[SV_SC_MAX_ARGS];
} sv_sc_rule;

/* Rule list entries; a list ends with SV_SC_END. */
#define SV_SC(nm) { #nm, SV_SC_ALLOW, 0, 0, { { 0 } } }
#define SV_SC_ERRNO(nm, e) { #nm, SV_SC_FAIL, (e), 0, { { 0 } } }
#define SV_SC_ARGS(nm, n, ...) { #nm, SV_SC_ALLOW, 0, (n), { __VA_ARGS__ } }
#define SV_SC_EXEC { "execveat", SV_SC_EXEC_ONCE, 0, 0, { { 0 } } }
#define SV_EQ(i, v) { (i), SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define SV_MASK(i, m, v) { (i), SCMP_CMP_MASKED_EQ, (scmp_datum_t)(m), (scmp_datum_t)(v) }
/* ioctl request numbers are 32 bits in the kernel; compare only those. */
#define SV_IOCTL(req) SV_SC_ARGS(ioctl, 1, SV_MASK(1, 0xffffffffu, (unsigned)(req)))
#define SV_SC_END { NULL, SV_SC_ALLOW, 0, 0, { { 0 } } }

/* A process's profile: NULL-terminated list of rule lists. */
typedef struct sv_sc_profile {
    const char *name;
    const sv_sc_rule *const *parts;
} sv_sc_profile;

/* The "exec once" rule: see the header comment and sv_jail.c. */
typedef struct sv_sc_exec {
    int fd;                /* the O_PATH fd of the program */
    const char *empty;     /* the "" pathname passed to execveat */
} sv_sc_exec;

/* Profiles, one per sepvirt process (sandbox/policy_*.c). */
extern const sv_sc_profile sv_profile_frontd;
extern const sv_sc_profile sv_profile_nethelper;
extern const sv_sc_profile sv_profile_spawnhelper;
/* NULL-terminated list of the above, for tests and the counting tool. */
extern const sv_sc_profile *const sv_profiles[];
/* Environment the launcher adds for its daemons in sanitizer builds (see
 * policy_sanitizer.c); empty (just NULL) in release builds. */
extern const char *const sv_sanitizer_env[];

/*
 * Build the filter of profile p and load it into the calling thread;
 * NO_NEW_PRIVS is set too.  The SV_SC_EXEC rule becomes the exec-once rule
 * for exec, or is left out when exec is NULL (a process confining itself).
 * Return 0 or -errno.  Safe in a freshly forked child of a single-threaded
 * process.
 */
int sv_seccomp_load(const sv_sc_profile *p, const sv_sc_exec *exec);
