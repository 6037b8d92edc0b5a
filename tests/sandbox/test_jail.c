/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The jail, checked from inside: sv_jail_spawn starts jail_probe, which
 * prints what it sees (ids, capability sets, no_new_privs, seccomp mode, fds,
 * environment, limits, cgroup, /dev, writable paths).  Needs root; skipped
 * otherwise.  Every test removes its temporary directory and cgroup leaf.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sv_cgroup.h"
#include "sv_jail.h"

#define NOBODY 65534

static const char *probe_path;

typedef struct fixture {
    char dir[64];
    char group[64];     /* cgroup group and leaf, removed by teardown */
    char leaf[64];
    int cg_dir;
    char out[16384];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/sv-jail-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    chmod(f->dir, 0755);
    f->cg_dir = -1;
    snprintf(f->group, sizeof(f->group), "sepvirt-jailtest-%d", getpid());
    snprintf(f->leaf, sizeof(f->leaf), "probe");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char path[128];

    snprintf(path, sizeof(path), "%s/rw", f->dir);
    rmdir(path);
    rmdir(f->dir);
    if (f->cg_dir >= 0) {
        sv_cgroup_leaf_remove(f->cg_dir, f->leaf);
        close(f->cg_dir);
        sv_cgroup_remove_group(f->group);
    }
    free(f);
    return 0;
}

/* Spawn the probe in j (stdout → a pipe), collect its output, reap it. */
static int run(fixture *f, sv_jail *j, char **argv)
{
    int out[2], null_fd = open("/dev/null", O_RDWR | O_CLOEXEC), pidfd, status, r;
    sv_jail_fd fds[3];
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    assert_true(null_fd >= 0);
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    fds[0] = (sv_jail_fd){ null_fd, 0 };
    fds[1] = (sv_jail_fd){ out[1], 1 };
    fds[2] = (sv_jail_fd){ 2, 2 };
    if (!j->fds) {
        j->fds = fds;
        j->n_fds = 3;
    }
    j->path = probe_path;
    j->argv = argv;
    r = sv_jail_spawn(j, &pid, &pidfd);
    close(out[1]);
    close(null_fd);
    if (r < 0) {
        close(out[0]);
        return r;
    }
    while ((n = read(out[0], f->out + len, sizeof(f->out) - 1 - len)) > 0)
        len += (size_t)n;
    f->out[len] = '\0';
    close(out[0]);
    close(pidfd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

static void expect(const fixture *f, const char *line)
{
    char want[256];

    snprintf(want, sizeof(want), "\n%s\n", line);
    if (strncmp(f->out, want + 1, strlen(want + 1)) != 0 && !strstr(f->out, want))
        fail_msg("missing \"%s\" in probe output:\n%s", line, f->out);
}

static void expect_not(const fixture *f, const char *text)
{
    if (strstr(f->out, text))
        fail_msg("unexpected \"%s\" in probe output:\n%s", text, f->out);
}

static bool host_has(const char *dev)
{
    struct stat st;

    return stat(dev, &st) == 0 && S_ISCHR(st.st_mode);
}

static void test_unprivileged_user(void **state)
{
    static const char *const devices[] = {
        "null", "zero", "full", "urandom", "kvm", "net/tun", "vhost-net", NULL,
    };
    fixture *f = *state;
    char line[160];
    int procs = -1;
    sv_jail j = {
        .uid = NOBODY, .gid = NOBODY, .seccomp = &sv_profile_frontd, .nofile = 256,
        .cgroup_fd = -1, .flags = SV_JAIL_NEWNS, .devices = devices,
    };

    if (sv_cgroup_open(f->group, &f->cg_dir) == 0)
        assert_int_equal(sv_cgroup_leaf(f->cg_dir, f->leaf, &procs), 0);
    j.cgroup_fd = procs;
    assert_int_equal(run(f, &j, (char *[]){ "probe", NULL }), 0);
    if (procs >= 0) {
        close(procs);
        /* the probe has exited, so its leaf is empty and goes */
        assert_int_equal(sv_cgroup_leaf_remove(f->cg_dir, f->leaf), 0);
        snprintf(line, sizeof(line), "/%s/%s", f->group, f->leaf);
        if (!strstr(f->out, line))
            fail_msg("not in cgroup %s:\n%s", line, f->out);
    }
    expect(f, "uid=65534");
    expect(f, "gid=65534");
    expect(f, "groups=0");
    expect(f, "CapEff=0000000000000000");
    expect(f, "CapPrm=0000000000000000");
    expect(f, "CapBnd=0000000000000000");
    expect(f, "CapAmb=0000000000000000");
    expect(f, "NoNewPrivs=1");
    expect(f, "Seccomp=2");
    expect(f, "fds=0,1,2,");
    expect(f, "env=0");
    expect(f, "nofile=256/256");
    expect(f, "core=0");
    expect(f, "dev=null:c:0:666");
    expect(f, "dev=urandom:c:0:666");
    expect(f, "dev=fd:l:0:777");
    if (host_has("/dev/kvm"))
        expect(f, "dev=kvm:c:65534:600");
    if (host_has("/dev/net/tun"))
        expect(f, "dev=net/tun:c:65534:600");
    if (!host_has("/dev/vhost-net"))
        expect_not(f, "vhost-net");
    expect_not(f, "dev=sda");
    expect_not(f, "dev=mem");
}

static void test_root_helper(void **state)
{
    static const int caps[] = { CAP_NET_ADMIN };
    fixture *f = *state;
    char rw[96], in_rw[128], in_ro[128], want[160];
    const char *rw_paths[] = { rw, NULL };
    sv_jail j = {
        .uid = SV_CAPS_KEEP_IDS, .caps = caps, .n_caps = 1, .nofile = 128, .cgroup_fd = -1,
        .flags = SV_JAIL_NEWNS | SV_JAIL_RO_ROOT, .rw_paths = rw_paths,
    };

    snprintf(rw, sizeof(rw), "%s/rw", f->dir);
    snprintf(in_rw, sizeof(in_rw), "%s/x", rw);
    snprintf(in_ro, sizeof(in_ro), "%s/x", f->dir);
    assert_int_equal(mkdir(rw, 0700), 0);
    assert_int_equal(run(f, &j, (char *[]){ "probe", "--write", in_rw, "--write", in_ro, NULL }),
                     0);
    expect(f, "uid=0");
    expect(f, "CapEff=0000000000001000");
    expect(f, "CapPrm=0000000000001000");
    expect(f, "CapBnd=0000000000001000");
    expect(f, "CapInh=0000000000000000");
    expect(f, "CapAmb=0000000000000000");
    expect(f, "NoNewPrivs=1");
    expect(f, "Seccomp=0");
    snprintf(want, sizeof(want), "write:%s=ok", in_rw);
    expect(f, want);
    snprintf(want, sizeof(want), "write:%s=EROFS", in_ro);
    expect(f, want);
    assert_int_equal(access(in_ro, F_OK), -1);
}

static void test_ambient_caps(void **state)
{
    static const int caps[] = { CAP_NET_BIND_SERVICE };
    fixture *f = *state;
    sv_jail j = {
        .uid = NOBODY, .gid = NOBODY, .caps = caps, .n_caps = 1, .cgroup_fd = -1,
    };

    assert_int_equal(run(f, &j, (char *[]){ "probe", NULL }), 0);
    expect(f, "uid=65534");
    expect(f, "CapEff=0000000000000400");
    expect(f, "CapPrm=0000000000000400");
    expect(f, "CapAmb=0000000000000400");
    expect(f, "CapBnd=0000000000000400");
}

/* fds whose sources and destinations cross: a → 4 and b → 3 where a is 3
 * and b is 4 in the caller; plus one source at two numbers. */
static void test_fd_remap(void **state)
{
    fixture *f = *state;
    int out[2], a, b, null_fd;
    struct stat sa, sb;
    char want[64];

    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    /* park the pipe and null high so 3 and 4 are free for a and b */
    assert_int_equal(dup3(out[0], 40, O_CLOEXEC), 40);
    assert_int_equal(dup3(out[1], 41, O_CLOEXEC), 41);
    assert_int_equal(dup3(null_fd, 42, O_CLOEXEC), 42);
    close(out[0]);
    close(out[1]);
    close(null_fd);
    a = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    b = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    assert_true(a >= 0 && b >= 0);
    assert_int_equal(fstat(a, &sa), 0);
    assert_int_equal(fstat(b, &sb), 0);
    {
        sv_jail_fd fds[] = { { 42, 0 }, { 41, 1 }, { 41, 2 }, { a, 4 }, { b, 3 } };
        sv_jail j = { .uid = SV_CAPS_KEEP_IDS, .fds = fds, .n_fds = 5, .cgroup_fd = -1 };
        char *argv[] = { "probe", NULL };
        pid_t pid;
        int pidfd, status;
        ssize_t n;
        size_t len = 0;

        j.path = probe_path;
        j.argv = argv;
        assert_int_equal(sv_jail_spawn(&j, &pid, &pidfd), 0);
        close(41);
        while ((n = read(40, f->out + len, sizeof(f->out) - 1 - len)) > 0)
            len += (size_t)n;
        f->out[len] = '\0';
        close(40);
        close(42);
        close(pidfd);
        assert_int_equal(waitpid(pid, &status, 0), pid);
    }
    expect(f, "fds=0,1,2,3,4,");
    snprintf(want, sizeof(want), "ino3=%llu", (unsigned long long)sb.st_ino);
    expect(f, want);
    snprintf(want, sizeof(want), "ino4=%llu", (unsigned long long)sa.st_ino);
    expect(f, want);
    close(a);
    close(b);
}

static void test_failures_reported(void **state)
{
    static const char *const bad_devices[] = { "../etc/passwd", NULL };
    sv_jail j = { .uid = SV_CAPS_KEEP_IDS, .cgroup_fd = -1 };
    char *argv[] = { "probe", NULL };
    pid_t pid;
    int pidfd;

    (void)state;
    j.argv = argv;
    j.path = "/nonexistent/program";
    assert_int_equal(sv_jail_spawn(&j, &pid, &pidfd), -ENOENT);
    j.path = "relative/program";
    assert_int_equal(sv_jail_spawn(&j, &pid, &pidfd), -EINVAL);
    /* a failure inside the child comes back as its errno, child reaped */
    j.path = probe_path;
    j.flags = SV_JAIL_NEWNS;
    j.devices = bad_devices;
    assert_int_equal(sv_jail_spawn(&j, &pid, &pidfd), -EINVAL);
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unprivileged_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_helper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ambient_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fd_remap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures_reported, setup, teardown),
    };

    probe_path = argc > 1 ? realpath(argv[1], NULL) : NULL;
    if (!probe_path || geteuid() != 0) {
        fprintf(stderr, "test_jail: needs root and the probe path; skipped\n");
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
