/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every seccomp rule of every profile, Firecracker style
 * (test_seccomp_validate.py): a child loads the profile and makes the call.
 *   - a listed call with arguments the rule accepts gets through (the child
 *     is not killed by SIGSYS: it returns, maybe with an error, or exits);
 *   - the same call with one checked argument changed to a value no rule
 *     accepts dies by SIGSYS;
 *   - every syscall number the profile does not list dies by SIGSYS;
 *   - a SV_SC_FAIL rule returns its errno;
 *   - the exec-once rule: exec through the given fd works once; another fd,
 *     another pathname pointer, or execve dies; after exec the fd is gone.
 * Arguments the rule does not check are -1, which makes every allowed call
 * fail harmlessly (EBADF, EFAULT, EINVAL) instead of acting.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sv_policy.h"

#define MAX_NR 512
#define EXEC_FD 900

static const char *probe_path;

typedef enum outcome { PASSED, KILLED, BROKEN } outcome;

/* Run nr(args) in a child confined by p; how did it end? */
static outcome call_confined(const sv_sc_profile *p, long nr, const scmp_datum_t a[6],
                             int want_errno)
{
    int status;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        long r;

        alarm(5);   /* a wrongly allowed blocking call must not hang the test */
        if (sv_seccomp_load(p, NULL) < 0)
            syscall(SYS_exit_group, 99);
        r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        /* the raw call, not _exit(): a sanitizer runtime's exit hook
         * would make calls of its own */
        syscall(SYS_exit_group, want_errno && !(r == -1 && errno == want_errno) ? 98 : 0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
        return KILLED;
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 99 || WEXITSTATUS(status) == 98))
        return BROKEN;
    return PASSED;
}

/* true if the argument checks of r accept these arguments. */
static bool rule_matches(const sv_sc_rule *r, const scmp_datum_t args[6])
{
    for (unsigned i = 0; i < r->n_args; i++) {
        const sv_sc_arg *a = &r->args[i];
        scmp_datum_t v = args[a->arg];

        if (a->op == SCMP_CMP_EQ ? v != a->a : (v & a->a) != a->b)
            return false;
    }
    return true;
}

static bool any_rule_accepts(const sv_sc_profile *p, const char *name, const scmp_datum_t a[6])
{
    for (const sv_sc_rule *const *part = p->parts; *part; part++)
        for (const sv_sc_rule *r = *part; r->name; r++)
            if (strcmp(r->name, name) == 0 && r->action == SV_SC_ALLOW &&
                rule_matches(r, a))
                return true;
    return false;
}

static bool listed(const sv_sc_profile *p, long nr)
{
    for (const sv_sc_rule *const *part = p->parts; *part; part++)
        for (const sv_sc_rule *r = *part; r->name; r++)
            if (seccomp_syscall_resolve_name(r->name) == nr)
                return true;
    return false;
}

/* A value for argument i that no rule of this syscall accepts. */
static bool mutate(const sv_sc_profile *p, const sv_sc_rule *r, scmp_datum_t a[6], unsigned i)
{
    const sv_sc_arg *c = &r->args[i];
    scmp_datum_t orig = a[c->arg];
    scmp_datum_t base = c->op == SCMP_CMP_EQ ? c->a : c->b;
    const scmp_datum_t tries[] = {
        base ^ 1, base ^ 0x40, base + 0x1000, base ^ 0x5a5a0000, ~base,
        c->op == SCMP_CMP_MASKED_EQ ? base ^ c->a : base + 7,
    };

    for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++) {
        a[c->arg] = tries[t];
        if (!any_rule_accepts(p, r->name, a))
            return true;
    }
    a[c->arg] = orig;
    return false;
}

static void check_rule(const sv_sc_profile *p, const sv_sc_rule *r)
{
    scmp_datum_t a[6] = { -1, -1, -1, -1, -1, -1 };
    long nr = seccomp_syscall_resolve_name(r->name);
    outcome o;

    assert_true(nr >= 0);
    if (r->action == SV_SC_FAIL) {
        o = call_confined(p, nr, a, r->errno_ret);
        if (o != PASSED)
            fail_msg("%s: %s should fail with errno %d", p->name, r->name, r->errno_ret);
        return;
    }
    for (unsigned i = 0; i < r->n_args; i++)
        a[r->args[i].arg] = r->args[i].op == SCMP_CMP_EQ ? r->args[i].a : r->args[i].b;
    o = call_confined(p, nr, a, 0);
    if (o != PASSED)
        fail_msg("%s: allowed call %s was %s", p->name, r->name,
                 o == KILLED ? "killed" : "broken");
    for (unsigned i = 0; i < r->n_args; i++) {
        scmp_datum_t m[6];

        memcpy(m, a, sizeof(m));
        if (!mutate(p, r, m, i))
            continue;   /* every value of this argument is allowed by some rule */
        o = call_confined(p, nr, m, 0);
        if (o != KILLED)
            fail_msg("%s: %s with argument %u = %#llx was not killed", p->name, r->name,
                     r->args[i].arg, (unsigned long long)m[r->args[i].arg]);
    }
}

static void test_rules(void **state)
{
    const sv_sc_profile *p = *state;
    size_t n = 0;

    for (const sv_sc_rule *const *part = p->parts; *part; part++)
        for (const sv_sc_rule *r = *part; r->name; r++)
            if (r->action != SV_SC_EXEC_ONCE) {
                check_rule(p, r);
                n++;
            }
    print_message("%s: %zu rules checked\n", p->name, n);
}

static void test_unlisted_killed(void **state)
{
    const sv_sc_profile *p = *state;
    scmp_datum_t a[6] = { -1, -1, -1, -1, -1, -1 };
    size_t n = 0;

    /* Every syscall libseccomp knows for this arch, and two numbers no
     * kernel has.  (Unknown numbers in between are left out: the Firecracker
     * PVM guest kernel here handles 335 and 336 before seccomp runs.) */
    for (long nr = 0; nr < MAX_NR; nr++) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
        bool known = name != NULL;

        free(name);
        if (listed(p, nr) || (!known && nr != 400 && nr != MAX_NR - 1))
            continue;
        if (call_confined(p, nr, a, 0) != KILLED)
            fail_msg("%s: unlisted syscall %ld was not killed", p->name, nr);
        n++;
    }
    print_message("%s: %zu unlisted syscall numbers killed\n", p->name, n);
}

/* The child of the exec tests: probe at EXEC_FD, the profile loaded with
 * the exec-once rule, then one exec attempt chosen by how. */
static int exec_confined(const sv_sc_profile *p, int how)
{
    struct rlimit rl = { EXEC_FD, EXEC_FD };
    char *argv[] = { (char *)probe_path, "--exec-again", "900", NULL };
    char *envp[] = { NULL };
    int status, fd;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        void *page = mmap(NULL, 4096, PROT_READ,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        const char *empty = page == NULL ? NULL : "";
        sv_sc_exec ex = { .fd = EXEC_FD, .empty = empty };

        fd = open(probe_path, O_PATH | O_CLOEXEC);
        if (fd < 0 || dup3(fd, EXEC_FD, O_CLOEXEC) < 0 || setrlimit(RLIMIT_NOFILE, &rl) < 0 ||
            sv_seccomp_load(p, &ex) < 0)
            syscall(SYS_exit_group, 99);
        switch (how) {
        case 0: syscall(SYS_execveat, EXEC_FD, empty, argv, envp, AT_EMPTY_PATH); break;
        case 1: syscall(SYS_execveat, fd, empty, argv, envp, AT_EMPTY_PATH); break;
        case 2: syscall(SYS_execveat, EXEC_FD, probe_path, argv, envp, AT_EMPTY_PATH); break;
        case 3: syscall(SYS_execveat, EXEC_FD, empty, argv, envp, 0); break;
        default: execve(probe_path, argv, envp); break;
        }
        syscall(SYS_exit_group, 97);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_exec_once(void **state)
{
    const sv_sc_profile *p = *state;
    int status = exec_confined(p, 0);

    /* The probe ran (exit 0) and its own execveat on the same fd found it
     * closed: EBADF, not a second exec. */
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (int how = 1; how <= 4; how++) {
        status = exec_confined(p, how);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
            fail_msg("%s: exec variant %d was not killed (status %#x)", p->name, how, status);
    }
}

int main(int argc, char **argv)
{
    struct CMUnitTest tests[32];
    size_t n = 0;

    probe_path = argc > 1 ? realpath(argv[1], NULL) : NULL;
    for (const sv_sc_profile *const *p = sv_profiles; *p; p++) {
        tests[n++] = (struct CMUnitTest){ "rules", test_rules, NULL, NULL, (void *)*p };
        tests[n++] = (struct CMUnitTest){ "unlisted", test_unlisted_killed, NULL, NULL,
                                          (void *)*p };
        /* the exec-once rule needs page 0, which only root can map */
        if (probe_path && geteuid() == 0)
            tests[n++] = (struct CMUnitTest){ "exec_once", test_exec_once, NULL, NULL,
                                              (void *)*p };
    }
    return _cmocka_run_group_tests("seccomp", tests, n, NULL, NULL);
}
