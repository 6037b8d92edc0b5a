/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spawn.conf: what is accepted, what is refused (never root, never a
 * program path someone else could replace, no unknown options), and the
 * file's own ownership check.  Runs as any user: the expected owner is the
 * test's own uid in session mode; root-only cases are skipped otherwise.
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
#include <unistd.h>

#include <cmocka.h>

#include "sv_caps.h"
#include "sv_spawnconf.h"

typedef struct fixture {
    char dir[64];
    char path[96];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    strcpy(f->dir, "/tmp/sv-spawnconf-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/spawn.conf", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static int load(fixture *f, const char *text, mode_t mode, bool session, sv_spawnconf *c,
                unsigned *refused)
{
    int fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    chmod(f->path, mode);
    return sv_spawnconf_load(f->path, geteuid(), session, c, refused);
}

static void test_accepted(void **state)
{
    fixture *f = *state;
    static sv_spawnconf c;
    const sv_spawn_kind *k;
    unsigned refused;

    assert_int_equal(load(f, "# comment\n\n"
                             "qemu /usr/bin/sleep 1234 5678 devices=kvm,net/tun nofile=8192\n"
                             "  dnsmasq\t/usr/bin/sleep 4321 8765 caps=net_bind_service,net_raw # x\n"
                             "passt /usr/bin/sleep nobody nogroup\n",
                          0644, false, &c, &refused), 0);
    assert_int_equal(refused, 0);
    assert_int_equal(c.n, 3);
    k = sv_spawnconf_find(&c, "qemu");
    assert_non_null(k);
    assert_string_equal(k->path, "/usr/bin/sleep");
    assert_int_equal(k->uid, 1234);
    assert_int_equal(k->gid, 5678);
    assert_int_equal(k->nofile, 8192);
    assert_string_equal(k->devices[0], "null");
    assert_string_equal(k->devices[5], "kvm");
    assert_string_equal(k->devices[6], "net/tun");
    assert_null(k->devices[7]);
    k = sv_spawnconf_find(&c, "dnsmasq");
    assert_int_equal(k->n_caps, 2);
    assert_int_equal(k->caps[0], CAP_NET_BIND_SERVICE);
    assert_int_equal(k->caps[1], CAP_NET_RAW);
    assert_int_equal(k->nofile, 4096);
    k = sv_spawnconf_find(&c, "passt");
    assert_int_equal(k->uid, 65534);
    assert_null(sv_spawnconf_find(&c, "nosuch"));
}

static void test_refused_lines(void **state)
{
    static const char *const bad[] = {
        "root /usr/bin/sleep root root\n",           /* uid 0 */
        "root2 /usr/bin/sleep 0 1000\n",
        "root3 /usr/bin/sleep 1000 0\n",              /* gid 0 */
        "root4 /usr/bin/sleep 1000 root\n",
        "keep /usr/bin/sleep - -\n",                  /* "-" only in session mode */
        "rel usr/bin/sleep 1000 1000\n",              /* relative program */
        "dots /usr/bin/../bin/sleep 1000 1000\n",
        "gone /nonexistent/program 1000 1000\n",
        "dir /usr/bin 1000 1000\n",                   /* not a regular file */
        "Upper /usr/bin/sleep 1000 1000\n",           /* kind name */
        "a/b /usr/bin/sleep 1000 1000\n",
        "averyveryverylongkind /usr/bin/sleep 1000 1000\n",
        "short /usr/bin/sleep 1000\n",                /* missing group */
        "opt /usr/bin/sleep 1000 1000 colour=blue\n", /* unknown option */
        "dev /usr/bin/sleep 1000 1000 devices=../sda\n",
        "cap /usr/bin/sleep 1000 1000 caps=cap_sys_everything\n",
        "nof /usr/bin/sleep 1000 1000 nofile=3\n",
        "nouser /usr/bin/sleep no-such-user-here 1000\n",
    };
    fixture *f = *state;
    static sv_spawnconf c;
    unsigned refused;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(load(f, bad[i], 0644, false, &c, &refused), 0);
        if (refused != 1 || c.n != 0)
            fail_msg("accepted: %s", bad[i]);
    }
    /* the same kind twice: the second is refused */
    assert_int_equal(load(f, "k /usr/bin/sleep 1 1\nk /usr/bin/sleep 2 2\n", 0644, false, &c,
                          &refused), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(refused, 1);
    assert_int_equal(sv_spawnconf_find(&c, "k")->uid, 1);
}

static void test_session_ids(void **state)
{
    fixture *f = *state;
    static sv_spawnconf c;
    unsigned refused;

    assert_int_equal(load(f, "k /usr/bin/sleep - -\nm /usr/bin/sleep - 1000\n", 0644, true, &c,
                          &refused), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(refused, 1);   /* both or neither */
    assert_int_equal(c.kinds[0].uid, SV_CAPS_KEEP_IDS);
}

static void test_file_checks(void **state)
{
    fixture *f = *state;
    static sv_spawnconf c;
    unsigned refused;

    assert_int_equal(load(f, "k /usr/bin/sleep 1 1\n", 0664, false, &c, &refused), -EPERM);
    assert_int_equal(load(f, "k /usr/bin/sleep 1 1\n", 0646, false, &c, &refused), -EPERM);
    assert_int_equal(sv_spawnconf_load(f->path, geteuid() + 1, false, &c, &refused), -EPERM);
    unlink(f->path);
    assert_int_equal(sv_spawnconf_load(f->path, geteuid(), false, &c, &refused), -ENOENT);
    assert_int_equal(c.n, 0);
}

/* Session mode without a file: QEMU and passt as the user, each only when
 * its program is installed; an empty file means no kinds at all. */
static void test_session_default(void **state)
{
    fixture *f = *state;
    static sv_spawnconf c;
    const sv_spawn_kind *k;
    bool have_qemu = access("/usr/bin/qemu-system-x86_64", X_OK) == 0;
    bool have_passt = access("/usr/bin/passt", X_OK) == 0;
    unsigned refused;

    assert_int_equal(sv_spawnconf_load(f->path, geteuid(), true, &c, &refused), 0);
    assert_int_equal(c.n, (size_t)have_qemu + have_passt);
    assert_int_equal(refused, (unsigned)!have_qemu + !have_passt);
    k = sv_spawnconf_find(&c, "qemu");
    if (have_qemu) {
        assert_non_null(k);
        assert_string_equal(k->path, "/usr/bin/qemu-system-x86_64");
        assert_int_equal(k->uid, SV_CAPS_KEEP_IDS);
        assert_int_equal(k->gid, SV_CAPS_KEEP_IDS);
    } else {
        assert_null(k);
    }
    assert_true(!have_passt || sv_spawnconf_find(&c, "passt"));
    /* Not in system mode, and not when a file exists. */
    assert_int_equal(sv_spawnconf_load(f->path, geteuid(), false, &c, &refused), -ENOENT);
    assert_int_equal(c.n, 0);
    assert_int_equal(load(f, "# nothing here\n", 0644, true, &c, &refused), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(refused, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_default, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
