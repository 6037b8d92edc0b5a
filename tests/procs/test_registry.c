/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the domain and network registries (frontd/registry.h,
 * domain_registry.h, network_registry.h) over a real config store in a
 * temporary directory: define/redefine/undefine rules, list filters,
 * persistence across a reload, corrupt-file reporting, ids, bridge names,
 * concurrent lookups, and the <metadata> helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain_metadata.h"
#include "domain_registry.h"
#include "network_registry.h"
#include "procs_fixture.h"
#include "registry.h"
#include "sv_buf.h"
#include "sv_error.h"
#include "sv_util.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "22222222-2222-3333-4444-555555555555"
#define UUID_C "33333333-2222-3333-4444-555555555555"
#define UUID_D "44444444-2222-3333-4444-555555555555"

typedef struct fixture {
    char dir[64];
} fixture;

static void registry_up(fixture *f)
{
    if (procs_registry_open(f->dir) < 0)
        fail_msg("registry init: %s", sv_error_message());
}

static int setup(void **state)
{
    fixture *f = sv_malloc0(sizeof(*f));

    if (procs_registry_new(f->dir) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sv_registry_shutdown();
    procs_rm_rf(f->dir);
    free(f);
    return 0;
}

static char *domain_xml(const char *name, const char *uuid, unsigned mib)
{
    return sv_asprintf("<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
                       "<memory unit='MiB'>%u</memory><vcpu>1</vcpu>"
                       "<os><type arch='x86_64'>hvm</type></os></domain>",
                       name, uuid, mib);
}

static sv_domain_def *domain_def(const char *name, const char *uuid, unsigned mib)
{
    _cleanup_free_ char *xml = domain_xml(name, uuid, mib);
    sv_domain_def *def = sv_domain_def_parse(xml, strlen(xml), SV_DOMAIN_XML_INACTIVE);

    if (!def)
        fail_msg("parse: %s", sv_error_message());
    return def;
}

/* Define and return the new domain, unlocked and unreferenced. */
static void define_ok(const char *name, const char *uuid, unsigned mib, bool expect_updated)
{
    sv_domain_def *def = domain_def(name, uuid, mib);
    sv_domain_obj *d = NULL;
    bool updated = !expect_updated;

    assert_int_equal(sv_domain_define(&def, &updated, &d), 0);
    assert_null(def);
    assert_non_null(d);
    assert_int_equal(updated, expect_updated);
    assert_string_equal(d->obj.name, name);
    sv_domain_obj_end(d);
}

static void define_fails(const char *name, const char *uuid, int code, const char *message)
{
    sv_domain_def *def = domain_def(name, uuid, 64);
    sv_domain_obj *d = NULL;
    bool updated;

    sv_error_reset();
    assert_int_equal(sv_domain_define(&def, &updated, &d), -1);
    assert_non_null(def);
    assert_null(d);
    assert_int_equal(sv_error_last()->code, code);
    assert_string_equal(sv_error_message(), message);
    sv_domain_def_free(def);
}

static bool config_exists(fixture *f, const char *kind, const char *name)
{
    _cleanup_free_ char *p = sv_asprintf("%s/%s/%s.xml", f->dir, kind, name);

    return access(p, F_OK) == 0;
}

static bool autostart_link_exists(fixture *f, const char *kind, const char *name)
{
    _cleanup_free_ char *p = sv_asprintf("%s/%s/autostart/%s.xml", f->dir, kind, name);
    struct stat st;

    return lstat(p, &st) == 0;
}

static unsigned char *uuid_of(const char *s)
{
    static unsigned char u[SV_UUID_LEN];

    assert_int_equal(sv_uuid_parse(s, u), 0);
    return u;
}

/* ---- define / lookup ------------------------------------------------------ */

static void test_define_and_lookup(void **state)
{
    fixture *f = *state;
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    assert_true(config_exists(f, "qemu", "vm1"));

    d = sv_domain_find_name("vm1");
    assert_non_null(d);
    assert_true(d->obj.persistent);
    assert_false(d->obj.active);
    assert_false(d->obj.autostart);
    assert_int_equal(d->obj.id, -1);
    assert_int_equal(sv_domain_get_state(d, NULL), SV_DOMAIN_SHUTOFF);
    assert_int_equal(sv_domain_obj_def(d)->memory_kib, 64 * 1024);
    sv_domain_obj_end(d);

    d = sv_domain_find_uuid(uuid_of(UUID_A));
    assert_non_null(d);
    assert_string_equal(d->obj.name, "vm1");
    sv_domain_obj_end(d);

    assert_null(sv_domain_find_name("nope"));
    assert_null(sv_domain_find_uuid(uuid_of(UUID_B)));
    assert_null(sv_domain_find_id(1));
    assert_null(sv_domain_find_id(-1));
}

static void test_redefine(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *path = sv_asprintf("%s/qemu/vm1.xml", f->dir);
    _cleanup_free_ char *data = NULL;
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    define_ok("vm1", UUID_A, 96, true);
    d = sv_domain_find_name("vm1");
    assert_int_equal(sv_domain_obj_def(d)->memory_kib, 96 * 1024);
    assert_false(d->obj.updated);   /* inactive: the new config is the config */
    sv_domain_obj_end(d);
    assert_int_equal(sv_read_file(path, 1 << 20, &data, NULL), 0);
    assert_non_null(strstr(data, "98304"));
}

static void test_define_conflicts(void **state)
{
    define_ok("vm1", UUID_A, 64, false);
    define_fails("vm1", UUID_B, SV_ERR_OPERATION_FAILED,
                 "operation failed: domain 'vm1' already exists with uuid " UUID_A);
    define_fails("other", UUID_A, SV_ERR_OPERATION_FAILED,
                 "operation failed: domain 'vm1' is already defined with uuid " UUID_A);
    /* Nothing changed. */
    assert_int_equal(sv_domain_count(false), 1);
    (void)state;
}

static void test_undefine(void **state)
{
    fixture *f = *state;
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    d = sv_domain_find_name("vm1");
    assert_int_equal(sv_domain_set_autostart(d, true), 0);
    assert_true(autostart_link_exists(f, "qemu", "vm1"));
    assert_int_equal(sv_domain_undefine(d), 0);
    assert_true(d->obj.removing);
    sv_domain_obj_end(d);

    assert_false(config_exists(f, "qemu", "vm1"));
    assert_false(autostart_link_exists(f, "qemu", "vm1"));
    assert_null(sv_domain_find_name("vm1"));
    assert_int_equal(sv_domain_count(false), 0);
    /* The name and UUID are free again. */
    define_ok("vm1", UUID_B, 64, false);
}

static void test_undefine_running_becomes_transient(void **state)
{
    fixture *f = *state;
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    d = sv_domain_find_name("vm1");
    assert_int_equal(sv_domain_mark_running(d, NULL, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED), 0);
    assert_int_equal(sv_domain_undefine(d), 0);
    assert_false(d->obj.persistent);
    assert_true(d->obj.active);
    assert_false(config_exists(f, "qemu", "vm1"));

    /* A transient domain cannot be undefined or autostarted. */
    sv_error_reset();
    assert_int_equal(sv_domain_undefine(d), -1);
    assert_string_equal(sv_error_message(),
                        "Requested operation is not valid: cannot undefine transient domain");
    assert_int_equal(sv_domain_set_autostart(d, true), -1);
    assert_string_equal(sv_error_message(),
                        "Requested operation is not valid: cannot set autostart for transient domain");

    /* Stopping a transient domain removes it. */
    sv_domain_mark_shutoff(d, SV_DOMAIN_SHUTOFF_DESTROYED);
    sv_domain_obj_end(d);
    assert_null(sv_domain_find_name("vm1"));
}

static void test_redefine_while_running(void **state)
{
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    d = sv_domain_find_name("vm1");
    assert_int_equal(sv_domain_mark_running(d, NULL, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED), 0);
    sv_domain_obj_end(d);

    define_ok("vm1", UUID_A, 128, true);
    d = sv_domain_find_name("vm1");
    /* The live config keeps running; the new one waits for the stop. */
    assert_int_equal(sv_domain_obj_def(d)->memory_kib, 64 * 1024);
    assert_int_equal(((sv_domain_def *)d->obj.new_def)->memory_kib, 128 * 1024);
    assert_true(d->obj.updated);
    sv_domain_mark_shutoff(d, SV_DOMAIN_SHUTOFF_SHUTDOWN);
    assert_int_equal(sv_domain_obj_def(d)->memory_kib, 128 * 1024);
    assert_null(d->obj.new_def);
    assert_false(d->obj.updated);
    assert_int_equal(sv_domain_obj_def(d)->id, -1);
    sv_domain_obj_end(d);
    (void)state;
}

/* ---- ids and state ----------------------------------------------------------- */

static void test_ids(void **state)
{
    sv_domain_obj *a, *b;
    int reason;

    define_ok("a", UUID_A, 64, false);
    define_ok("b", UUID_B, 64, false);
    a = sv_domain_find_name("a");
    assert_int_equal(sv_domain_mark_running(a, NULL, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED), 0);
    assert_int_equal(a->obj.id, 1);
    assert_int_equal(sv_domain_obj_def(a)->id, 1);
    sv_domain_obj_end(a);
    b = sv_domain_find_name("b");
    assert_int_equal(sv_domain_mark_running(b, NULL, SV_DOMAIN_PAUSED, SV_DOMAIN_PAUSED_USER), 0);
    assert_int_equal(b->obj.id, 2);
    assert_int_equal(sv_domain_get_state(b, &reason), SV_DOMAIN_PAUSED);
    assert_int_equal(reason, SV_DOMAIN_PAUSED_USER);
    sv_domain_obj_end(b);

    a = sv_domain_find_id(1);
    assert_non_null(a);
    assert_string_equal(a->obj.name, "a");
    sv_domain_mark_shutoff(a, SV_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(sv_domain_get_state(a, &reason), SV_DOMAIN_SHUTOFF);
    assert_int_equal(reason, SV_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(a->obj.id, -1);
    sv_domain_obj_end(a);
    assert_null(sv_domain_find_id(1));

    /* Ids are not reused right away. */
    a = sv_domain_find_name("a");
    assert_int_equal(sv_domain_mark_running(a, NULL, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED), 0);
    assert_int_equal(a->obj.id, 3);
    sv_domain_obj_end(a);
    (void)state;
}

/* ---- listing -------------------------------------------------------------------- */

typedef int (*list_fn)(unsigned flags, sv_obj ***ret_objs, size_t *ret_n);

static int domain_list(unsigned flags, sv_obj ***ret_objs, size_t *ret_n)
{
    return sv_domain_list(flags, (sv_domain_obj ***)ret_objs, ret_n);
}

static int network_list(unsigned flags, sv_obj ***ret_objs, size_t *ret_n)
{
    return sv_network_list(flags, (sv_network_obj ***)ret_objs, ret_n);
}

/* Check the names list() returns for flags, comma-separated ("ERR" when
 * it refuses the flags). */
static void check_names(list_fn list, unsigned flags, const char *expected)
{
    _cleanup_free_ char *got = NULL;
    sv_obj **objs;
    sv_buf b = {0};
    size_t n;

    if (list(flags, &objs, &n) < 0) {
        got = sv_strdup("ERR");
    } else {
        for (size_t i = 0; i < n; i++)
            sv_buf_printf(&b, "%s%s", i ? "," : "", objs[i]->name);
        sv_objlist_collect_free(objs, n);
        got = b.data ? sv_buf_steal(&b) : sv_strdup("");
    }
    if (strcmp(got, expected) != 0)
        fail_msg("flags 0x%x: expected '%s', got '%s'", flags, expected, got);
}

static void check_list(unsigned flags, const char *expected)
{
    check_names(domain_list, flags, expected);
}

static void test_list_flags(void **state)
{
    sv_domain_obj *d;
    sv_domain_def *def;

    /* off: persistent, shut off, autostart; run: persistent, running;
     * tpaused: transient, paused; zoff: persistent, shut off. */
    define_ok("off", UUID_A, 64, false);
    define_ok("run", UUID_B, 64, false);
    define_ok("zoff", UUID_D, 64, false);
    d = sv_domain_find_name("off");
    assert_int_equal(sv_domain_set_autostart(d, true), 0);
    sv_domain_obj_end(d);
    d = sv_domain_find_name("run");
    assert_int_equal(sv_domain_mark_running(d, NULL, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED), 0);
    sv_domain_obj_end(d);
    def = domain_def("tpaused", UUID_C, 64);
    assert_int_equal(sv_domain_add_live(&def, &d), 0);
    assert_int_equal(sv_domain_mark_running(d, NULL, SV_DOMAIN_PAUSED, SV_DOMAIN_PAUSED_USER), 0);
    sv_domain_obj_end(d);

    check_list(0, "off,run,tpaused,zoff");
    check_list(SV_LIST_DOMAINS_ACTIVE, "run,tpaused");
    check_list(SV_LIST_DOMAINS_INACTIVE, "off,zoff");
    check_list(SV_LIST_DOMAINS_ACTIVE | SV_LIST_DOMAINS_INACTIVE, "off,run,tpaused,zoff");
    check_list(SV_LIST_DOMAINS_PERSISTENT, "off,run,zoff");
    check_list(SV_LIST_DOMAINS_TRANSIENT, "tpaused");
    check_list(SV_LIST_DOMAINS_ACTIVE | SV_LIST_DOMAINS_PERSISTENT, "run");
    check_list(SV_LIST_DOMAINS_RUNNING, "run");
    check_list(SV_LIST_DOMAINS_PAUSED, "tpaused");
    check_list(SV_LIST_DOMAINS_SHUTOFF, "off,zoff");
    check_list(SV_LIST_DOMAINS_OTHER, "");
    check_list(SV_LIST_DOMAINS_RUNNING | SV_LIST_DOMAINS_PAUSED, "run,tpaused");
    check_list(SV_LIST_DOMAINS_AUTOSTART, "off");
    check_list(SV_LIST_DOMAINS_NO_AUTOSTART, "run,tpaused,zoff");
    check_list(SV_LIST_DOMAINS_INACTIVE | SV_LIST_DOMAINS_NO_AUTOSTART, "zoff");
    check_list(SV_LIST_DOMAINS_MANAGEDSAVE, "");
    check_list(SV_LIST_DOMAINS_NO_MANAGEDSAVE, "off,run,tpaused,zoff");
    check_list(SV_LIST_DOMAINS_HAS_SNAPSHOT, "");
    check_list(SV_LIST_DOMAINS_NO_SNAPSHOT | SV_LIST_DOMAINS_ACTIVE, "run,tpaused");
    check_list(SV_LIST_DOMAINS_HAS_CHECKPOINT, "");
    check_list(SV_LIST_DOMAINS_NO_CHECKPOINT, "off,run,tpaused,zoff");
    check_list(SV_LIST_DOMAINS_ALL_FLAGS & ~(SV_LIST_DOMAINS_MANAGEDSAVE |
                                             SV_LIST_DOMAINS_HAS_SNAPSHOT |
                                             SV_LIST_DOMAINS_HAS_CHECKPOINT),
               "off,run,tpaused,zoff");

    /* Unknown bits are refused, as libvirt's virCheckFlags does. */
    sv_error_reset();
    check_list(1u << 16, "ERR");
    assert_int_equal(sv_error_last()->code, SV_ERR_INVALID_ARG);
    assert_string_equal(sv_error_message(), "invalid argument: unsupported flags (0x10000) in "
                                            "function virConnectListAllDomains");

    assert_int_equal(sv_domain_count(true), 2);
    assert_int_equal(sv_domain_count(false), 2);
    (void)state;
}

/* ---- persistence ------------------------------------------------------------------ */

static void test_reload(void **state)
{
    fixture *f = *state;
    sv_domain_obj *d;

    define_ok("vm1", UUID_A, 64, false);
    define_ok("vm2", UUID_B, 80, false);
    d = sv_domain_find_name("vm2");
    assert_int_equal(sv_domain_set_autostart(d, true), 0);
    sv_domain_obj_end(d);

    sv_registry_shutdown();
    registry_up(f);

    assert_int_equal(sv_domain_count(false), 2);
    d = sv_domain_find_uuid(uuid_of(UUID_B));
    assert_non_null(d);
    assert_string_equal(d->obj.name, "vm2");
    assert_true(d->obj.autostart);
    assert_true(d->obj.persistent);
    assert_int_equal(sv_domain_get_state(d, NULL), SV_DOMAIN_SHUTOFF);
    assert_int_equal(sv_domain_obj_def(d)->memory_kib, 80 * 1024);
    assert_int_equal(sv_domain_set_autostart(d, false), 0);
    sv_domain_obj_end(d);
    d = sv_domain_find_name("vm1");
    assert_false(d->obj.autostart);
    sv_domain_obj_end(d);

    sv_registry_shutdown();
    registry_up(f);
    d = sv_domain_find_name("vm2");
    assert_false(d->obj.autostart);
    sv_domain_obj_end(d);
}

static void write_file(const char *path, const char *data)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(data, fp);
    fclose(fp);
}

static void test_corrupt_files(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *garbage = sv_asprintf("%s/qemu/garbage.xml", f->dir);
    _cleanup_free_ char *renamed = sv_asprintf("%s/qemu/renamed.xml", f->dir);
    _cleanup_free_ char *dupfile = sv_asprintf("%s/qemu/zdup.xml", f->dir);
    _cleanup_free_ char *errlog = sv_asprintf("%s/stderr.log", f->dir);
    _cleanup_free_ char *good = domain_xml("good", UUID_A, 64);
    _cleanup_free_ char *other = domain_xml("other", UUID_B, 64);
    _cleanup_free_ char *dupxml = domain_xml("zdup", UUID_A, 64);
    _cleanup_free_ char *log = NULL;
    _cleanup_free_ char *goodpath = sv_asprintf("%s/qemu/good.xml", f->dir);
    sv_domain_obj *d;
    int saved, fd;

    sv_registry_shutdown();
    write_file(goodpath, good);
    write_file(garbage, "<domain><name>garbage");
    write_file(renamed, other);          /* file name differs from <name> */
    write_file(dupfile, dupxml);             /* same UUID as good.xml */

    saved = dup(STDERR_FILENO);
    fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    registry_up(f);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);

    assert_int_equal(sv_domain_count(false), 1);
    d = sv_domain_find_name("good");
    assert_non_null(d);
    sv_domain_obj_end(d);
    assert_null(sv_domain_find_name("other"));
    assert_null(sv_domain_find_name("zdup"));

    /* Each bad file is named on stderr and left in place. */
    assert_int_equal(sv_read_file(errlog, 1 << 20, &log, NULL), 0);
    assert_non_null(strstr(log, "garbage.xml"));
    assert_non_null(strstr(log, "renamed.xml"));
    assert_non_null(strstr(log, "zdup.xml"));
    assert_null(strstr(log, "good.xml"));
    assert_int_equal(access(garbage, F_OK), 0);
    assert_int_equal(access(renamed, F_OK), 0);
    assert_int_equal(access(dupfile, F_OK), 0);
}

/* ---- networks ---------------------------------------------------------------------- */

static sv_network_def *network_def(const char *name, const char *uuid, const char *bridge)
{
    _cleanup_free_ char *br = bridge ? sv_asprintf("<bridge name='%s'/>", bridge) : sv_strdup("");
    _cleanup_free_ char *xml = sv_asprintf("<network><name>%s</name><uuid>%s</uuid>%s"
                                           "<ip address='192.168.150.1' netmask='255.255.255.0'/>"
                                           "</network>", name, uuid, br);
    sv_network_def *def = sv_network_def_parse(xml, strlen(xml), SV_NETWORK_XML_INACTIVE);

    if (!def)
        fail_msg("parse: %s", sv_error_message());
    return def;
}

/* Define; return the bridge name it got (malloc'd) or NULL on failure. */
static char *net_define(const char *name, const char *uuid, const char *bridge)
{
    sv_network_def *def = network_def(name, uuid, bridge);
    sv_network_obj *n;
    bool updated;
    char *br;

    if (sv_network_define(&def, &updated, &n) < 0) {
        sv_network_def_free(def);
        return NULL;
    }
    br = sv_strdup(sv_network_obj_def(n)->bridge_name);
    sv_network_obj_end(n);
    return br;
}

static void test_network_bridges(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *b1 = NULL, *b2 = NULL, *b3 = NULL, *b4 = NULL, *b5 = NULL;

    /* Automatic names skip those in use (hosts rarely have virbr9xx). */
    b1 = net_define("n1", UUID_A, "svt9%d");
    b2 = net_define("n2", UUID_B, "svt9%d");
    assert_string_equal(b1, "svt90");
    assert_string_equal(b2, "svt91");
    assert_true(config_exists(f, "networks", "n1"));

    /* An explicit name another network uses is refused ... */
    sv_error_reset();
    assert_null(net_define("n3", UUID_C, "svt90"));
    assert_string_equal(sv_error_message(), "internal error: bridge name 'svt90' already in use.");
    /* ... but a network keeps its own on redefine. */
    b3 = net_define("n1", UUID_A, "svt90");
    assert_string_equal(b3, "svt90");
    /* No bridge at all: libvirt's virbrN (the first free one). */
    b4 = net_define("n4", UUID_D, NULL);
    assert_non_null(b4);
    assert_int_equal(strncmp(b4, "virbr", 5), 0);
    b5 = net_define("n5", "55555555-2222-3333-4444-555555555555", "svt9%d");
    assert_string_equal(b5, "svt92");
}

static void check_net_list(unsigned flags, const char *expected)
{
    check_names(network_list, flags, expected);
}

static void test_network_state(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *b1 = net_define("n1", UUID_A, "svt9%d");
    _cleanup_free_ char *b2 = net_define("n2", UUID_B, "svt9%d");
    sv_network_def *def = network_def("tn", UUID_C, "svt9%d");
    sv_network_obj *n;

    n = sv_network_find_name("n1");
    assert_int_equal(sv_network_mark_active(n), 0);
    assert_true(n->obj.active);
    assert_int_equal(sv_network_set_autostart(n, true), 0);
    sv_network_obj_end(n);
    assert_int_equal(sv_network_add_live(&def, &n), 0);
    assert_int_equal(sv_network_mark_active(n), 0);
    assert_false(n->obj.persistent);
    assert_string_equal(sv_network_obj_def(n)->bridge_name, "svt92");
    sv_network_obj_end(n);

    check_net_list(0, "n1,n2,tn");
    check_net_list(SV_LIST_NETWORKS_ACTIVE, "n1,tn");
    check_net_list(SV_LIST_NETWORKS_INACTIVE, "n2");
    check_net_list(SV_LIST_NETWORKS_PERSISTENT, "n1,n2");
    check_net_list(SV_LIST_NETWORKS_TRANSIENT, "tn");
    check_net_list(SV_LIST_NETWORKS_AUTOSTART, "n1");
    check_net_list(SV_LIST_NETWORKS_NO_AUTOSTART | SV_LIST_NETWORKS_ACTIVE, "tn");
    check_net_list(1u << 6, "ERR");
    assert_int_equal(sv_network_count(true), 2);

    /* Undefining an active network leaves it running, transient. */
    n = sv_network_find_name("n1");
    assert_int_equal(sv_network_undefine(n), 0);
    assert_true(n->obj.active);
    assert_false(n->obj.persistent);
    assert_false(config_exists(f, "networks", "n1"));
    assert_false(autostart_link_exists(f, "networks", "n1"));
    sv_network_mark_inactive(n);
    sv_network_obj_end(n);
    n = sv_network_find_name("tn");
    sv_network_mark_inactive(n);
    sv_network_obj_end(n);
    check_net_list(0, "n2");
}

/* ---- concurrency -------------------------------------------------------------------- */

static void *lookup_loop(void *arg)
{
    int *misses = arg;

    for (int i = 0; i < 20000; i++) {
        sv_domain_obj *d = sv_domain_find_name("stable");

        if (!d)
            (*misses)++;
        sv_domain_obj_end(d);
        sv_domain_obj_end(sv_domain_find_name("churn"));
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    pthread_t th[4];
    int misses[4] = {0};

    define_ok("stable", UUID_A, 64, false);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, lookup_loop, &misses[i]);
    for (int i = 0; i < 50; i++) {
        sv_domain_obj *d;

        define_ok("churn", UUID_B, 64, false);
        d = sv_domain_find_name("churn");
        assert_non_null(d);
        assert_int_equal(sv_domain_undefine(d), 0);
        sv_domain_obj_end(d);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(misses[i], 0);
    }
    (void)state;
}

/* ---- metadata ------------------------------------------------------------------------- */

static void test_metadata(void **state)
{
    _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL;
    _cleanup_free_ char *got = NULL, *got2 = NULL;

    assert_int_equal(sv_domain_metadata_get(NULL, "http://a/", &got), 1);
    assert_int_equal(sv_domain_metadata_set(NULL, "http://a/", "app", "<foo bar='1'><x>t</x></foo>",
                                            &m1), 0);
    assert_string_equal(m1, "    <app:foo xmlns:app=\"http://a/\" bar=\"1\">\n"
                            "      <app:x>t</app:x>\n"
                            "    </app:foo>\n");
    assert_int_equal(sv_domain_metadata_set(m1, "http://b/", "other", "<y/>", &m2), 0);
    assert_int_equal(sv_domain_metadata_get(m2, "http://a/", &got), 0);
    assert_string_equal(got, "<foo bar=\"1\">\n  <x>t</x>\n</foo>");
    assert_int_equal(sv_domain_metadata_get(m2, "http://c/", &got2), 1);
    /* Replacing keeps one element per namespace; removing drops it. */
    assert_int_equal(sv_domain_metadata_set(m2, "http://a/", "app", "<bar/>", &m3), 0);
    assert_string_equal(m3, "    <other:y xmlns:other=\"http://b/\"/>\n"
                            "    <app:bar xmlns:app=\"http://a/\"/>\n");
    assert_int_equal(sv_domain_metadata_set(m3, "http://b/", NULL, NULL, &m4), 0);
    assert_string_equal(m4, "    <app:bar xmlns:app=\"http://a/\"/>\n");
    free(m1);
    m1 = NULL;
    assert_int_equal(sv_domain_metadata_set(m4, "http://a/", NULL, NULL, &m1), 0);
    assert_string_equal(m1, "");

    /* Bad input is refused. */
    free(m2);
    m2 = NULL;
    assert_int_equal(sv_domain_metadata_set(NULL, "http://a/", "app", "<unclosed>", &m2), -1);
    assert_int_equal(sv_domain_metadata_set(NULL, "http://a/", "app", "<a/><b/>", &m2), -1);
    assert_int_equal(sv_domain_metadata_set(NULL, "http://a/", "1bad", "<a/>", &m2), -1);
    assert_null(m2);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_define_and_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redefine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undefine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undefine_running_becomes_transient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redefine_while_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_bridges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
