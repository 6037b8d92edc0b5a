/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* URI -> socket path / CONNECT_OPEN name / flags (client/lib/cl_uri.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cl_uri.h"
#include "sv_error.h"

static const cl_uri_env user_env = {
    .xdg_runtime_dir = "/run/user/1000", .home = "/home/u", .euid = 1000,
};
static const cl_uri_env root_env = { .home = "/root", .euid = 0 };

static void expect_uri(const char *uri, bool ro, const cl_uri_env *env, const char *want_uri,
                       const char *want_name, const char *want_sock, unsigned int want_flags,
                       bool want_probe)
{
    cl_uri u;

    assert_int_equal(cl_uri_parse(uri, ro, env, &u), 0);
    assert_string_equal(u.uri, want_uri);
    assert_string_equal(u.open_name, want_name);
    assert_string_equal(u.socket_path, want_sock);
    assert_int_equal(u.open_flags, want_flags);
    assert_int_equal(u.probe, want_probe);
    cl_uri_clear(&u);
}

static void expect_error(const char *uri, const cl_uri_env *env, int code, const char *needle)
{
    cl_uri u;

    sv_error_reset();
    assert_int_equal(cl_uri_parse(uri, false, env, &u), -1);
    assert_non_null(sv_error_last());
    assert_int_equal(sv_error_last()->code, code);
    assert_non_null(strstr(sv_error_message(), needle));
}

static void test_default_user(void **state)
{
    (void)state;
    expect_uri(NULL, false, &user_env, "qemu:///session", "",
               "/run/user/1000/sepvirt/sepvirt-sock", CL_OPEN_USER | CL_OPEN_AUTOSTART, true);
    expect_uri("", true, &user_env, "qemu:///session", "",
               "/run/user/1000/sepvirt/sepvirt-sock",
               CL_OPEN_RO | CL_OPEN_USER | CL_OPEN_AUTOSTART, true);
}

static void test_default_root(void **state)
{
    (void)state;
    expect_uri(NULL, false, &root_env, "qemu:///system", "", "/run/sepvirt/sepvirt-sock", 0, true);
    expect_uri(NULL, true, &root_env, "qemu:///system", "", "/run/sepvirt/sepvirt-sock-ro",
               CL_OPEN_RO, true);
}

static void test_env_precedence(void **state)
{
    cl_uri_env env = user_env;

    (void)state;
    env.libvirt_default_uri = "qemu:///system";
    expect_uri(NULL, false, &env, "qemu:///system", "qemu:///system",
               "/run/sepvirt/sepvirt-sock", 0, false);
    env.sepvirt_default_uri = "qemu+unix:///session?socket=/tmp/s";
    expect_uri(NULL, false, &env, "qemu+unix:///session?socket=/tmp/s", "qemu:///session",
               "/tmp/s", CL_OPEN_USER, false);
    /* An explicit URI beats both. */
    expect_uri("qemu:///session", false, &env, "qemu:///session", "qemu:///session",
               "/run/user/1000/sepvirt/sepvirt-sock", CL_OPEN_USER | CL_OPEN_AUTOSTART, false);
}

static void test_session_system(void **state)
{
    cl_uri_env noxdg = user_env;

    (void)state;
    expect_uri("qemu:///system", false, &user_env, "qemu:///system", "qemu:///system",
               "/run/sepvirt/sepvirt-sock", 0, false);
    expect_uri("qemu:///system", true, &user_env, "qemu:///system", "qemu:///system",
               "/run/sepvirt/sepvirt-sock-ro", CL_OPEN_RO, false);
    noxdg.xdg_runtime_dir = NULL;
    expect_uri("qemu:///session", false, &noxdg, "qemu:///session", "qemu:///session",
               "/home/u/.cache/sepvirt/run/sepvirt-sock", CL_OPEN_USER | CL_OPEN_AUTOSTART,
               false);
    /* Relative XDG values are ignored, as the daemon ignores them. */
    noxdg.xdg_runtime_dir = "relative";
    noxdg.xdg_cache_home = "/c";
    expect_uri("qemu:///session", false, &noxdg, "qemu:///session", "qemu:///session",
               "/c/sepvirt/run/sepvirt-sock", CL_OPEN_USER | CL_OPEN_AUTOSTART, false);
    /* root's session has no USER bit, like libvirt. */
    expect_uri("qemu:///session", false, &root_env, "qemu:///session", "qemu:///session",
               "/root/.cache/sepvirt/run/sepvirt-sock", 0, false);
    expect_uri("QEMU+UNIX:///system", false, &root_env, "QEMU+UNIX:///system",
               "qemu:///system", "/run/sepvirt/sepvirt-sock", 0, false);
}

static void test_sepvirt_root(void **state)
{
    cl_uri_env env = user_env;

    (void)state;
    env.sepvirt_root = "/srv/sv";
    expect_uri("qemu:///session", false, &env, "qemu:///session", "qemu:///session",
               "/srv/sv/run/sepvirt-sock", CL_OPEN_USER | CL_OPEN_AUTOSTART, false);
    expect_uri("qemu:///system", true, &env, "qemu:///system", "qemu:///system",
               "/srv/sv/run/sepvirt-sock-ro", CL_OPEN_RO, false);
    /* An explicit socket still wins. */
    expect_uri("qemu:///system?socket=/s", false, &env, "qemu:///system?socket=/s",
               "qemu:///system", "/s", 0, false);
}

static void test_socket_param(void **state)
{
    (void)state;
    expect_uri("qemu+unix:///session?socket=/tmp/x%20y/sock", false, &user_env,
               "qemu+unix:///session?socket=/tmp/x%20y/sock", "qemu:///session",
               "/tmp/x y/sock", CL_OPEN_USER, false);
    expect_uri("qemu+unix:///system?socket=/s", true, &user_env,
               "qemu+unix:///system?socket=/s", "qemu:///system", "/s", CL_OPEN_RO, false);
    /* Client-side parameters are dropped, others reach the daemon. */
    expect_uri("qemu:///system?foo=bar&socket=/s&mode=direct&x", false, &root_env,
               "qemu:///system?foo=bar&socket=/s&mode=direct&x", "qemu:///system?foo=bar&x",
               "/s", 0, false);
    /* With an explicit socket the daemon judges the path. */
    expect_uri("qemu:///embed?socket=/s", false, &root_env, "qemu:///embed?socket=/s",
               "qemu:///embed", "/s", 0, false);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("foo:///bar", &user_env, SV_ERR_NO_CONNECT, "no connection driver available");
    expect_error("qemu+tls://host/system", &user_env, SV_ERR_INVALID_ARG, "transport 'tls'");
    expect_error("qemu+ssh://host/system", &user_env, SV_ERR_INVALID_ARG, "transport 'ssh'");
    expect_error("qemu://host/system", &user_env, SV_ERR_INVALID_ARG, "remote host");
    expect_error("qemu:///bogus", &user_env, SV_ERR_INTERNAL_ERROR,
                 "unexpected QEMU URI path '/bogus'");
    expect_error("nonsense", &user_env, SV_ERR_INVALID_ARG, "unable to parse URI");
    expect_error("q e:///x", &user_env, SV_ERR_INVALID_ARG, "unable to parse URI");
    expect_error("qemu:///system?socket=", &user_env, SV_ERR_INVALID_ARG, "empty socket path");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_user),
        cmocka_unit_test(test_default_root),
        cmocka_unit_test(test_env_precedence),
        cmocka_unit_test(test_session_system),
        cmocka_unit_test(test_sepvirt_root),
        cmocka_unit_test(test_socket_param),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
