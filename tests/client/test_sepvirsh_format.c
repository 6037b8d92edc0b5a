/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh's formatting: tables, state/reason/event words, nodeinfo.
 * Expected strings are what Debian's virsh 9.0 prints for the same data. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sepvirsh_format.h"
#include "sv_config.h"

static void expect_table(sh_table *t, bool header, const char *want)
{
    char *got = sh_table_format(t, header);

    assert_string_equal(got, want);
    free(got);
}

static void test_table_list(void **state)
{
    sh_table *t = sh_table_new("Id", "Name", "State", NULL);

    (void)state;
    /* Empty: header and rule only (virsh list on an empty host). */
    expect_table(t, true, " Id   Name   State\n--------------------\n");
    sh_table_add(t, "1", "test", "running", NULL);
    sh_table_add(t, "-", "alpha", "shut off", NULL);
    expect_table(t, true,
                 " Id   Name    State\n"
                 "------------------------\n"
                 " 1    test    running\n"
                 " -    alpha   shut off\n");
    /* -q: no header, and the header no longer widens columns. */
    expect_table(t, false,
                 " 1   test    running\n"
                 " -   alpha   shut off\n");
    sh_table_free(t);
}

static void test_table_net_list(void **state)
{
    sh_table *t = sh_table_new("Name", "State", "Autostart", "Persistent", NULL);
    const char *row[] = { "net1", "inactive", "no", "yes" };

    (void)state;
    sh_table_add(t, "default", "active", "no", "yes", NULL);
    sh_table_addv(t, row, 4);
    expect_table(t, true,
                 " Name      State      Autostart   Persistent\n"
                 "----------------------------------------------\n"
                 " default   active     no          yes\n"
                 " net1      inactive   no          yes\n");
    sh_table_free(t);
}

static void test_table_empty_cell_and_escapes(void **state)
{
    sh_table *t = sh_table_new("Id", "Name", "State", "Title", NULL);

    (void)state;
    sh_table_add(t, "1", "test", "running", "", NULL);
    sh_table_add(t, "-", "a\tb", "shut off", "T\\x", NULL);
    expect_table(t, true,
                 " Id   Name     State      Title\n"
                 "----------------------------------\n"
                 " 1    test     running    \n"
                 " -    a\\x09b   shut off   T\\x5cx\n");
    sh_table_free(t);
}

static void test_table_wide_chars(void **state)
{
    sh_table *t;

    (void)state;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        skip();
    t = sh_table_new("Name", "State", NULL);
    /* "é" is one column, "日本" two each: widths, not bytes. */
    sh_table_add(t, "caf\xc3\xa9", "x", NULL);
    sh_table_add(t, "\xe6\x97\xa5\xe6\x9c\xac", "y", NULL);
    expect_table(t, true,
                 " Name   State\n"
                 "---------------\n"
                 " caf\xc3\xa9   x\n"
                 " \xe6\x97\xa5\xe6\x9c\xac   y\n");
    sh_table_free(t);
    setlocale(LC_CTYPE, "C");
    /* In the C locale each non-ASCII byte is escaped as virsh does. */
    t = sh_table_new("Name", NULL);
    sh_table_add(t, "\xc3\xa9", NULL);
    expect_table(t, false, " \\xff\\xff\n");
    sh_table_free(t);
}

static void test_states(void **state)
{
    (void)state;
    assert_string_equal(sh_domain_state_str(SEPVIRT_DOMAIN_RUNNING), "running");
    assert_string_equal(sh_domain_state_str(SEPVIRT_DOMAIN_BLOCKED), "idle");
    assert_string_equal(sh_domain_state_str(SEPVIRT_DOMAIN_SHUTDOWN), "in shutdown");
    assert_string_equal(sh_domain_state_str(SEPVIRT_DOMAIN_SHUTOFF), "shut off");
    assert_string_equal(sh_domain_state_str(SEPVIRT_DOMAIN_PMSUSPENDED), "pmsuspended");
    assert_string_equal(sh_domain_state_str(42), "no state");
    assert_string_equal(sh_domain_state_str(-1), "no state");

    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_SHUTOFF, 2), "destroyed");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_SHUTOFF, 8), "daemon");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_RUNNING, 1), "booted");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_PAUSED, 5), "I/O error");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_CRASHED, 1), "panicked");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_RUNNING, 99), "unknown");
    assert_string_equal(sh_domain_reason_str(99, 0), "unknown");
    assert_string_equal(sh_domain_reason_str(SEPVIRT_DOMAIN_SHUTOFF, -1), "unknown");
}

static void test_events(void **state)
{
    (void)state;
    assert_string_equal(sh_domain_event_str(0), "Defined");
    assert_string_equal(sh_domain_event_detail_str(0, 0), "Added");
    assert_string_equal(sh_domain_event_detail_str(0, 1), "Updated");
    assert_string_equal(sh_domain_event_str(1), "Undefined");
    assert_string_equal(sh_domain_event_detail_str(1, 0), "Removed");
    assert_string_equal(sh_domain_event_detail_str(2, 0), "Booted");
    assert_string_equal(sh_domain_event_detail_str(5, 1), "Destroyed");
    assert_string_equal(sh_domain_event_detail_str(6, 1), "Finished after guest request");
    assert_string_equal(sh_domain_event_str(9), "unknown");
    assert_string_equal(sh_domain_event_detail_str(2, 40), "unknown");
    assert_string_equal(sh_network_event_str(3), "Stopped");
    assert_string_equal(sh_network_event_str(4), "unknown");
    assert_int_equal(sh_domain_event_count, 27);
    assert_string_equal(sh_domain_event_names[0], "lifecycle");
    assert_string_equal(sh_domain_event_names[26], "memory-device-size-change");
}

static void test_nodeinfo_and_version(void **state)
{
    sepvirt_node_info info = {
        .model = "x86_64", .memory_kib = 24684092, .cpus = 2, .mhz = 2596, .nodes = 1,
        .sockets = 1, .cores = 2, .threads = 1,
    };
    char buf[32], *s;

    (void)state;
    s = sh_format_nodeinfo(&info);
    assert_string_equal(s,
                        "CPU model:           x86_64\n"
                        "CPU(s):              2\n"
                        "CPU frequency:       2596 MHz\n"
                        "CPU socket(s):       1\n"
                        "Core(s) per socket:  2\n"
                        "Thread(s) per core:  1\n"
                        "NUMA cell(s):        1\n"
                        "Memory size:         24684092 KiB\n");
    free(s);
    info.mhz = 0;
    s = sh_format_nodeinfo(&info);
    assert_null(strstr(s, "CPU frequency"));
    free(s);

    sh_version_str(9000000, buf);
    assert_string_equal(buf, "9.0.0");
    sh_version_str(7002022, buf);
    assert_string_equal(buf, "7.2.22");
    sh_version_str(SEPVIRT_VERSION_NUMBER, buf);
    assert_string_equal(buf, SEPVIRT_VERSION_STRING);
    /* The public header's version is the project's (meson.build). */
    assert_string_equal(SEPVIRT_VERSION_STRING, SV_VERSION);
    assert_true(SEPVIRT_CHECK_VERSION(0, 1, 0));
    assert_false(SEPVIRT_CHECK_VERSION(SEPVIRT_VERSION_MAJOR + 1, 0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_list),
        cmocka_unit_test(test_table_net_list),
        cmocka_unit_test(test_table_empty_cell_and_escapes),
        cmocka_unit_test(test_table_wide_chars),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_nodeinfo_and_version),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
