/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the net helper's pure parts: name counters (wrap, skip,
 * reserve), the config file (ownership, syntax) and the state file. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "netconf.h"
#include "netdev_name.h"
#include "owned.h"

static char tmpdir[] = "/tmp/sv-netnames-XXXXXX";

static bool exists_list(const char *name, void *opaque)
{
    for (const char *const *p = opaque; *p; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

static void test_limits_and_parse(void **state)
{
    sv_netdev_prefix p;
    long long id;

    assert_int_equal(sv_netdev_id_limit(SV_NETDEV_VNET), INT_MAX);
    assert_int_equal(sv_netdev_id_limit(SV_NETDEV_MACVTAP), 100000000LL);
    assert_int_equal(sv_netdev_id_limit(SV_NETDEV_MACVLAN), 100000000LL);
    assert_true(sv_netdev_name_parse("vnet12", &p, &id));
    assert_int_equal(p, SV_NETDEV_VNET);
    assert_int_equal(id, 12);
    assert_true(sv_netdev_name_parse("macvtap99999999", &p, &id));
    assert_int_equal(id, 99999999);
    assert_false(sv_netdev_name_parse("vnet", &p, &id));
    assert_false(sv_netdev_name_parse("vnet01", &p, &id));
    assert_false(sv_netdev_name_parse("vnet-1", &p, &id));
    assert_false(sv_netdev_name_parse("vnet1a", &p, &id));
    assert_false(sv_netdev_name_parse("eth0", &p, &id));
    assert_false(sv_netdev_name_parse("vnet2147483647", &p, &id)); /* = INT_MAX */
    assert_true(sv_netdev_name_parse("vnet2147483646", &p, &id));
}

static void test_counter(void **state)
{
    const char *none[] = { NULL };
    const char *taken[] = { "vnet3", "vnet4", NULL };
    sv_netdev_names n;
    char name[SV_NETDEV_NAME_MAX];

    sv_netdev_names_init(&n);
    memset(name, 'x', sizeof(name));
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, none, name), 0);
    assert_string_equal(name, "vnet0");
    /* the whole array goes on the wire: zero after the NUL */
    for (size_t i = strlen(name); i < sizeof(name); i++)
        assert_int_equal(name[i], 0);
    /* never the lowest free: vnet0 is free again but the next is vnet1 */
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, none, name), 0);
    assert_string_equal(name, "vnet1");
    sv_netdev_names_reserve(&n, "vnet2");
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, taken, name), 0);
    assert_string_equal(name, "vnet5"); /* 3 and 4 exist: skipped */
    sv_netdev_names_reserve(&n, "vnet1");   /* lower: no effect */
    sv_netdev_names_reserve(&n, "eth77");   /* not ours: no effect */
    sv_netdev_names_reserve(&n, "macvtap9");
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, none, name), 0);
    assert_string_equal(name, "vnet6");
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_MACVTAP, exists_list, none, name), 0);
    assert_string_equal(name, "macvtap10");
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_MACVLAN, exists_list, none, name), 0);
    assert_string_equal(name, "macvlan0");
}

static void test_wrap(void **state)
{
    const char *none[] = { NULL };
    const char *zero_taken[] = { "macvtap0", NULL };
    sv_netdev_names n;
    char name[SV_NETDEV_NAME_MAX];

    sv_netdev_names_init(&n);
    sv_netdev_names_set_last(&n, SV_NETDEV_VNET, INT_MAX - 2LL);
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, none, name), 0);
    assert_string_equal(name, "vnet2147483646");
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, exists_list, none, name), 0);
    assert_string_equal(name, "vnet0");

    sv_netdev_names_set_last(&n, SV_NETDEV_MACVTAP, 99999998);
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_MACVTAP, exists_list, zero_taken, name), 0);
    assert_string_equal(name, "macvtap99999999");
    assert_int_equal(strlen(name), 15);
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_MACVTAP, exists_list, zero_taken, name), 0);
    assert_string_equal(name, "macvtap1"); /* wrapped, 0 exists */

    /* out-of-range persisted values are ignored */
    sv_netdev_names_set_last(&n, SV_NETDEV_MACVTAP, 100000000);
    sv_netdev_names_set_last(&n, SV_NETDEV_MACVTAP, -2);
    assert_int_equal(n.last[SV_NETDEV_MACVTAP], 1);
}

static bool always(const char *name, void *opaque)
{
    return true;
}

static void test_exhausted(void **state)
{
    sv_netdev_names n;
    char name[SV_NETDEV_NAME_MAX];

    sv_netdev_names_init(&n);
    assert_int_equal(sv_netdev_names_next(&n, SV_NETDEV_VNET, always, NULL, name), -ENOSPC);
}

static char *write_file(const char *base, const char *text, mode_t mode)
{
    char *path;
    FILE *f;

    assert_true(asprintf(&path, "%s/%s", tmpdir, base) > 0);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static void test_conf(void **state)
{
    sv_netconf c;
    char err[256];
    char *p;

    p = write_file("ok.conf", "# comment\n\n  bridge = br0\nbridge=virbr*\n"
                   "macvtap_parent = eth1 \nmax_devices = 64\n", 0644);
    assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)), 0);
    assert_true(sv_netconf_allowed(&c, SV_NETCONF_BRIDGE, "br0"));
    assert_false(sv_netconf_allowed(&c, SV_NETCONF_BRIDGE, "br01"));
    assert_true(sv_netconf_allowed(&c, SV_NETCONF_BRIDGE, "virbr7"));
    assert_false(sv_netconf_allowed(&c, SV_NETCONF_BRIDGE, "eth0"));
    assert_true(sv_netconf_allowed(&c, SV_NETCONF_PARENT, "eth1"));
    assert_false(sv_netconf_allowed(&c, SV_NETCONF_PARENT, "eth0"));
    assert_int_equal(c.max_devices, 64);
    free(p);

    p = write_file("gw.conf", "bridge = br0\n", 0664);
    assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)), -EPERM);
    free(p);
    p = write_file("ow.conf", "bridge = br0\n", 0646);
    assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)), -EPERM);
    free(p);
    if (geteuid() == 0) {
        p = write_file("uid.conf", "bridge = br0\n", 0644);
        assert_int_equal(chown(p, 1000, 1000), 0);
        assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)), -EPERM);
        free(p);
    }
    p = write_file("key.conf", "bridge = br0\nbrigde = br1\n", 0600);
    assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)), -ENOKEY);
    assert_non_null(strstr(err, ":2: unknown key"));
    free(p);
    {
        const char *bad[] = {
            "bridge = *\n", "bridge = br*0\n", "bridge = a/b\n", "bridge =\n",
            "bridge = 0123456789abcdefX\n", "max_devices = -1\n", "max_devices = 0\n",
            "max_devices = 99999999\n", "max_devices = 1x\n", "just words\n",
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            p = write_file("bad.conf", bad[i], 0600);
            assert_int_equal(sv_netconf_load(p, &c, err, sizeof(err)) < 0, true);
            free(p);
        }
    }
    assert_int_equal(sv_netconf_load("/nonexistent/x.conf", &c, err, sizeof(err)), -ENOENT);
}

static void test_state(void **state)
{
    sv_owned t, u;
    unsigned bad = 0;
    char *path, *p;

    assert_true(asprintf(&path, "%s/state", tmpdir) > 0);
    unlink(path);
    assert_int_equal(sv_owned_load(&t, path, 4, &bad), 0);
    assert_int_equal(t.n, 0);
    t.names.last[SV_NETDEV_VNET] = 41;
    assert_int_equal(sv_owned_add(&t, "vnet40", 12, 1), 0);
    assert_int_equal(sv_owned_add(&t, "macvtap3", 13, 2), 0);
    assert_int_equal(sv_owned_save(&t), 0);
    assert_int_equal(sv_owned_load(&u, path, 4, &bad), 0);
    assert_int_equal(bad, 0);
    assert_int_equal(u.n, 2);
    assert_non_null(sv_owned_find(&u, "vnet40"));
    assert_int_equal(sv_owned_find(&u, "macvtap3")->ifindex, 13);
    assert_int_equal(u.names.last[SV_NETDEV_VNET], 41);
    assert_int_equal(u.names.last[SV_NETDEV_MACVTAP], 3);
    sv_owned_remove(&u, "vnet40");
    assert_null(sv_owned_find(&u, "vnet40"));
    assert_int_equal(u.n, 1);
    assert_int_equal(sv_owned_add(&u, "vnet1", 2, 1), 0);
    assert_int_equal(sv_owned_add(&u, "vnet2", 3, 1), 0);
    assert_int_equal(sv_owned_add(&u, "vnet3", 4, 1), 0);
    assert_int_equal(sv_owned_add(&u, "vnet4", 5, 1), -ENOSPC);
    sv_owned_free(&t);
    sv_owned_free(&u);

    /* A tampered file cannot make the helper own eth0 or lo. */
    p = write_file("state2", "sepvirt-nethelper-state 1\nlast vnet 5\ndev eth0 2 1\n"
                   "dev lo 1 1\ndev vnet3 7 1 extra\ndev vnet4 0 1\ndev vnet5 9 1\n"
                   "last bogus 3\ngarbage\n", 0600);
    assert_int_equal(sv_owned_load(&t, p, 16, &bad), 0);
    assert_int_equal(bad, 6);
    assert_int_equal(t.n, 1);
    assert_non_null(sv_owned_find(&t, "vnet5"));
    assert_null(sv_owned_find(&t, "eth0"));
    sv_owned_free(&t);
    free(p);
    free(path);
}

static int setup(void **state)
{
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_and_parse),
        cmocka_unit_test(test_counter),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_exhausted),
        cmocka_unit_test(test_conf),
        cmocka_unit_test(test_state),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
