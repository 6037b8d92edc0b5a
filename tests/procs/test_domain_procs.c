/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The domain and network procedure handlers called directly (no socket),
 * with and without a driver behind drivers/driver.h.  The test driver
 * follows the driver contract (record the outcome in the registry), so the
 * procedures' checks, state/reason tracking, transient-domain handling and
 * error texts are exercised before the QEMU and network drivers exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dispatch.h"
#include "domain_registry.h"
#include "driver.h"
#include "network_registry.h"
#include "procs_fixture.h"
#include "registry.h"
#include "sv_error.h"
#include "sv_util.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "22222222-2222-3333-4444-555555555555"

/* ---- the test drivers ------------------------------------------------------ */

static bool fail_next;
static int calls_shutdown;

static int t_start(struct sv_domain_obj *d, unsigned flags)
{
    if (fail_next) {
        fail_next = false;
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "test driver: start failed");
        return -1;
    }
    return sv_domain_mark_running(d, NULL, (flags & 1) ? SV_DOMAIN_PAUSED : SV_DOMAIN_RUNNING,
                                  (flags & 1) ? SV_DOMAIN_PAUSED_USER : SV_DOMAIN_RUNNING_BOOTED);
}

static int t_destroy(struct sv_domain_obj *d, unsigned flags)
{
    sv_domain_mark_shutoff(d, SV_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

static int t_shutdown(struct sv_domain_obj *d, unsigned flags)
{
    calls_shutdown++;
    return 0;
}

static int t_suspend(struct sv_domain_obj *d)
{
    sv_domain_set_state(d, SV_DOMAIN_PAUSED, SV_DOMAIN_PAUSED_USER);
    return 0;
}

static int t_resume(struct sv_domain_obj *d)
{
    sv_domain_set_state(d, SV_DOMAIN_RUNNING, 5 /* UNPAUSED */);
    return 0;
}

static int t_info(struct sv_domain_obj *d, sv_domain_runtime_info *ret)
{
    ret->cpu_time_ns = 42;
    ret->memory_kib = 1000;
    return 0;
}

static const sv_hv_driver test_hv = {
    .name = "TEST",
    .domain_start = t_start,
    .domain_destroy = t_destroy,
    .domain_shutdown = t_shutdown,
    .domain_suspend = t_suspend,
    .domain_resume = t_resume,
    .domain_get_info = t_info,
};

static int t_net_start(struct sv_network_obj *n)
{
    if (fail_next) {
        fail_next = false;
        sv_error_set(SV_FROM_NETWORK, SV_ERR_INTERNAL_ERROR, "test driver: no bridge");
        return -1;
    }
    return 0;
}

static const sv_net_driver test_net = { .network_start = t_net_start };

/* ---- calling procedures -------------------------------------------------------- */

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = sv_malloc0(sizeof(*f));

    if (procs_registry_new(f->dir) < 0)
        return -1;
    sv_hv_driver_register(&test_hv);
    sv_net_driver_register(&test_net);
    fail_next = false;
    calls_shutdown = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    sv_hv_driver_register(NULL);
    sv_net_driver_register(NULL);
    sv_registry_shutdown();
    procs_rm_rf(f->dir);
    free(f);
    return 0;
}

static const sv_proc *find_proc(int num)
{
    const sv_proc_table *tables[] = { &sv_procs_domain, &sv_procs_network };

    for (size_t t = 0; t < SV_ARRAY_SIZE(tables); t++)
        for (size_t i = 0; i < tables[t]->n; i++)
            if (tables[t]->procs[i].proc == num)
                return &tables[t]->procs[i];
    fail_msg("procedure %d not in the tables", num);
    return NULL;
}

/* Call procedure num; ret (may be NULL when it returns nothing) is filled. */
static int call(int num, void *args, void *ret)
{
    const sv_proc *p = find_proc(num);

    sv_error_reset();
    return p->handler(NULL, args, ret);
}

static void free_ret(int num, void *ret)
{
    const sv_proc *p = find_proc(num);

    if (p->ret_filter)
        xdr_free(p->ret_filter, ret);
}

/* Expect failure with this code and message. */
static void fails(int num, void *args, int code, const char *message)
{
    char ret[512] = {0};

    assert_int_equal(call(num, args, ret), -1);
    assert_int_equal(sv_error_last()->code, code);
    assert_string_equal(sv_error_message(), message);
}

static remote_nonnull_domain dom_ref(const char *name, const char *uuid)
{
    remote_nonnull_domain d = { .name = (char *)name, .id = -1 };

    assert_int_equal(sv_uuid_parse(uuid, (unsigned char *)d.uuid), 0);
    return d;
}

static char *domain_xml(const char *name, const char *uuid, unsigned mib)
{
    return sv_asprintf("<domain type='qemu'><name>%s</name><uuid>%s</uuid>"
                       "<memory unit='MiB'>%u</memory><vcpu current='1'>2</vcpu>"
                       "<os><type arch='x86_64'>hvm</type></os></domain>",
                       name, uuid, mib);
}

static void define(const char *name, const char *uuid, unsigned mib)
{
    _cleanup_free_ char *xml = domain_xml(name, uuid, mib);
    remote_domain_define_xml_args args = { .xml = xml };
    remote_domain_define_xml_ret ret = {0};

    assert_int_equal(call(REMOTE_PROC_DOMAIN_DEFINE_XML, &args, &ret), 0);
    assert_string_equal(ret.dom.name, name);
    free_ret(REMOTE_PROC_DOMAIN_DEFINE_XML, &ret);
}

static void state_is(remote_nonnull_domain *dom, int state, int reason)
{
    remote_domain_get_state_args args = { .dom = *dom };
    remote_domain_get_state_ret ret = {0};

    assert_int_equal(call(REMOTE_PROC_DOMAIN_GET_STATE, &args, &ret), 0);
    assert_int_equal(ret.state, state);
    assert_int_equal(ret.reason, reason);
}

static int flag_of(int num, remote_nonnull_domain *dom)
{
    remote_domain_is_active_args args = { .dom = *dom };
    remote_domain_is_active_ret ret = {0};

    assert_int_equal(call(num, &args, &ret), 0);
    return ret.active;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_no_driver(void **state)
{
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_create_args c = { .dom = dom };
    remote_domain_destroy_args d = { .dom = dom };
    remote_domain_suspend_args s = { .dom = dom };
    _cleanup_free_ char *xml = domain_xml("t", UUID_B, 64);
    remote_domain_create_xml_args cx = { .xml_desc = xml };

    sv_hv_driver_register(NULL);
    define("vm1", UUID_A, 64);
    fails(REMOTE_PROC_DOMAIN_CREATE, &c, SV_ERR_NO_SUPPORT,
          "this function is not supported by the connection driver: virDomainCreate");
    fails(REMOTE_PROC_DOMAIN_DESTROY, &d, SV_ERR_NO_SUPPORT,
          "this function is not supported by the connection driver: virDomainDestroy");
    fails(REMOTE_PROC_DOMAIN_SUSPEND, &s, SV_ERR_NO_SUPPORT,
          "this function is not supported by the connection driver: virDomainSuspend");
    fails(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, SV_ERR_NO_SUPPORT,
          "this function is not supported by the connection driver: virDomainCreateXML");
    assert_null(sv_domain_find_name("t"));
    (void)state;
}

static void test_lifecycle(void **state)
{
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_create_with_flags_args cwf = { .dom = dom, .flags = 0 };
    remote_domain_create_with_flags_ret cwf_ret = {0};
    remote_domain_create_args c = { .dom = dom };
    remote_domain_lookup_by_id_args byid = { .id = 1 };
    remote_domain_lookup_by_id_ret byid_ret = {0};
    remote_domain_get_info_args info = { .dom = dom };
    remote_domain_get_info_ret info_ret = {0};
    remote_domain_suspend_args s = { .dom = dom };
    remote_domain_resume_args r = { .dom = dom };
    remote_domain_shutdown_args sh = { .dom = dom };
    remote_domain_destroy_args d = { .dom = dom };

    define("vm1", UUID_A, 64);
    state_is(&dom, SV_DOMAIN_SHUTOFF, SV_DOMAIN_SHUTOFF_UNKNOWN);
    fails(REMOTE_PROC_DOMAIN_SUSPEND, &s, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: domain is not running");

    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &cwf, &cwf_ret), 0);
    assert_int_equal(cwf_ret.dom.id, 1);
    free_ret(REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &cwf_ret);
    state_is(&dom, SV_DOMAIN_RUNNING, SV_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_ACTIVE, &dom), 1);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_LOOKUP_BY_ID, &byid, &byid_ret), 0);
    assert_string_equal(byid_ret.dom.name, "vm1");
    free_ret(REMOTE_PROC_DOMAIN_LOOKUP_BY_ID, &byid_ret);
    fails(REMOTE_PROC_DOMAIN_CREATE, &c, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: domain is already running");

    /* The running hypervisor answers cpu time and current memory. */
    assert_int_equal(call(REMOTE_PROC_DOMAIN_GET_INFO, &info, &info_ret), 0);
    assert_int_equal(info_ret.state, SV_DOMAIN_RUNNING);
    assert_int_equal(info_ret.cpuTime, 42);
    assert_int_equal(info_ret.memory, 1000);
    assert_int_equal(info_ret.maxMem, 64 * 1024);
    assert_int_equal(info_ret.nrVirtCpu, 1);

    assert_int_equal(call(REMOTE_PROC_DOMAIN_SUSPEND, &s, NULL), 0);
    state_is(&dom, SV_DOMAIN_PAUSED, SV_DOMAIN_PAUSED_USER);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_SUSPEND, &s, NULL), 0);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_RESUME, &r, NULL), 0);
    state_is(&dom, SV_DOMAIN_RUNNING, 5);
    fails(REMOTE_PROC_DOMAIN_RESUME, &r, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: domain is already running");
    assert_int_equal(call(REMOTE_PROC_DOMAIN_SHUTDOWN, &sh, NULL), 0);
    assert_int_equal(calls_shutdown, 1);

    assert_int_equal(call(REMOTE_PROC_DOMAIN_DESTROY, &d, NULL), 0);
    state_is(&dom, SV_DOMAIN_SHUTOFF, SV_DOMAIN_SHUTOFF_DESTROYED);
    fails(REMOTE_PROC_DOMAIN_DESTROY, &d, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: domain is not running");
    fails(REMOTE_PROC_DOMAIN_LOOKUP_BY_ID, &byid, SV_ERR_NO_DOMAIN,
          "Domain not found: no domain with matching id 1");
    (void)state;
}

static char *xml_of(remote_nonnull_domain *dom, unsigned flags)
{
    remote_domain_get_xml_desc_args args = { .dom = *dom, .flags = flags };
    remote_domain_get_xml_desc_ret ret = {0};

    assert_int_equal(call(REMOTE_PROC_DOMAIN_GET_XML_DESC, &args, &ret), 0);
    return ret.xml;
}

static void test_redefine_running(void **state)
{
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_create_args c = { .dom = dom };
    remote_domain_destroy_args d = { .dom = dom };
    _cleanup_free_ char *live = NULL, *inactive = NULL, *after = NULL;

    define("vm1", UUID_A, 64);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE, &c, NULL), 0);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_UPDATED, &dom), 0);
    define("vm1", UUID_A, 128);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_UPDATED, &dom), 1);
    live = xml_of(&dom, 0);
    inactive = xml_of(&dom, 2 /* INACTIVE */);
    assert_non_null(strstr(live, "<memory unit='KiB'>65536</memory>"));
    assert_non_null(strstr(live, "id='1'"));
    assert_non_null(strstr(inactive, "<memory unit='KiB'>131072</memory>"));
    assert_null(strstr(inactive, "id='1'"));
    assert_int_equal(call(REMOTE_PROC_DOMAIN_DESTROY, &d, NULL), 0);
    after = xml_of(&dom, 0);
    assert_non_null(strstr(after, "<memory unit='KiB'>131072</memory>"));
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_UPDATED, &dom), 0);
    (void)state;
}

static void test_transient(void **state)
{
    _cleanup_free_ char *xml = domain_xml("t", UUID_B, 64);
    remote_domain_create_xml_args cx = { .xml_desc = xml };
    remote_domain_create_xml_ret cx_ret = {0};
    remote_nonnull_domain dom = dom_ref("t", UUID_B);
    remote_domain_destroy_args d = { .dom = dom };
    remote_domain_set_autostart_args as = { .dom = dom, .autostart = 1 };
    remote_domain_undefine_args u = { .dom = dom };

    fail_next = true;
    fails(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, SV_ERR_INTERNAL_ERROR, "test driver: start failed");
    assert_null(sv_domain_find_name("t"));   /* a failed create leaves nothing */

    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, &cx_ret), 0);
    assert_true(cx_ret.dom.id > 0);
    free_ret(REMOTE_PROC_DOMAIN_CREATE_XML, &cx_ret);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_PERSISTENT, &dom), 0);
    fails(REMOTE_PROC_DOMAIN_SET_AUTOSTART, &as, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: cannot set autostart for transient domain");
    fails(REMOTE_PROC_DOMAIN_UNDEFINE, &u, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: cannot undefine transient domain");
    fails(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: domain 't' is already active");
    assert_int_equal(call(REMOTE_PROC_DOMAIN_DESTROY, &d, NULL), 0);
    assert_null(sv_domain_find_name("t"));
    fails(REMOTE_PROC_DOMAIN_DESTROY, &d, SV_ERR_NO_DOMAIN,
          "Domain not found: no domain with matching uuid '" UUID_B "' (t)");
    (void)state;
}

static void test_create_xml_over_defined(void **state)
{
    _cleanup_free_ char *xml = domain_xml("vm1", UUID_A, 256);
    remote_domain_create_xml_args cx = { .xml_desc = xml };
    remote_domain_create_xml_ret cx_ret = {0};
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_destroy_args d = { .dom = dom };
    _cleanup_free_ char *live = NULL, *after = NULL;

    define("vm1", UUID_A, 64);
    fail_next = true;
    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, &cx_ret), -1);
    after = xml_of(&dom, 0);
    assert_non_null(strstr(after, "<memory unit='KiB'>65536</memory>"));

    /* The given XML runs; the definition stays for the next start. */
    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE_XML, &cx, &cx_ret), 0);
    free_ret(REMOTE_PROC_DOMAIN_CREATE_XML, &cx_ret);
    live = xml_of(&dom, 0);
    assert_non_null(strstr(live, "<memory unit='KiB'>262144</memory>"));
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_PERSISTENT, &dom), 1);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_DESTROY, &d, NULL), 0);
    free(after);
    after = xml_of(&dom, 0);
    assert_non_null(strstr(after, "<memory unit='KiB'>65536</memory>"));
    (void)state;
}

static void test_undefine_running(void **state)
{
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_create_args c = { .dom = dom };
    remote_domain_undefine_flags_args u = { .dom = dom, .flags = 0 };
    remote_domain_undefine_flags_args bad = { .dom = dom, .flags = 4 | 8 };
    remote_domain_destroy_args d = { .dom = dom };

    define("vm1", UUID_A, 64);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE, &c, NULL), 0);
    fails(REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &bad, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: cannot both keep and delete nvram");
    assert_int_equal(call(REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &u, NULL), 0);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_PERSISTENT, &dom), 0);
    assert_int_equal(flag_of(REMOTE_PROC_DOMAIN_IS_ACTIVE, &dom), 1);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_DESTROY, &d, NULL), 0);
    assert_null(sv_domain_find_name("vm1"));
    (void)state;
}

static int vcpus(remote_nonnull_domain *dom, unsigned flags, int *ret_num)
{
    remote_domain_get_vcpus_flags_args args = { .dom = *dom, .flags = flags };
    remote_domain_get_vcpus_flags_ret ret = {0};
    int r = call(REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS, &args, &ret);

    *ret_num = ret.num;
    return r;
}

static void test_vcpus_and_metadata(void **state)
{
    remote_nonnull_domain dom = dom_ref("vm1", UUID_A);
    remote_domain_create_args c = { .dom = dom };
    remote_domain_get_vcpus_flags_args both = { .dom = dom, .flags = 1 | 2 };
    char *desc = "running note";
    remote_domain_set_metadata_args set = { .dom = dom, .type = 0, .metadata = &desc, .flags = 1 };
    remote_domain_get_metadata_args get = { .dom = dom, .type = 0, .flags = 0 };
    remote_domain_get_metadata_args get_conf = { .dom = dom, .type = 0, .flags = 2 };
    remote_domain_get_metadata_ret got = {0};
    remote_domain_get_metadata_args bad_type = { .dom = dom, .type = 7 };
    int num;

    define("vm1", UUID_A, 64);
    assert_int_equal(vcpus(&dom, 0, &num), 0);
    assert_int_equal(num, 1);
    assert_int_equal(vcpus(&dom, 4 /* MAXIMUM */, &num), 0);
    assert_int_equal(num, 2);
    assert_int_equal(vcpus(&dom, 1 /* LIVE */, &num), -1);
    assert_string_equal(sv_error_message(), "Requested operation is not valid: domain is not running");
    fails(REMOTE_PROC_DOMAIN_GET_VCPUS_FLAGS, &both, SV_ERR_INVALID_ARG,
          "invalid argument: Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' "
          "are mutually exclusive");
    fails(REMOTE_PROC_DOMAIN_GET_METADATA, &bad_type, SV_ERR_INVALID_ARG,
          "invalid argument: unknown metadata type '7'");

    /* A live-only change on a running domain leaves the config alone. */
    assert_int_equal(call(REMOTE_PROC_DOMAIN_CREATE, &c, NULL), 0);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_SET_METADATA, &set, NULL), 0);
    assert_int_equal(call(REMOTE_PROC_DOMAIN_GET_METADATA, &get, &got), 0);
    assert_string_equal(got.metadata, "running note");
    free_ret(REMOTE_PROC_DOMAIN_GET_METADATA, &got);
    fails(REMOTE_PROC_DOMAIN_GET_METADATA, &get_conf, SV_ERR_NO_DOMAIN_METADATA,
          "metadata not found: Requested metadata element is not present");
    (void)state;
}

static void test_networks(void **state)
{
    _cleanup_free_ char *xml = sv_strdup("<network><name>n1</name><uuid>" UUID_A "</uuid>"
                                         "<bridge name='svtp%d'/></network>");
    remote_network_define_xml_args def = { .xml = xml };
    remote_network_define_xml_ret def_ret = {0};
    remote_nonnull_network net = { .name = "n1" };
    remote_network_create_args start = { .net = net };
    remote_network_destroy_args stop = { .net = net };
    remote_network_is_active_args q = { .net = net };
    remote_network_is_active_ret q_ret = {0};
    remote_network_get_bridge_name_args br = { .net = net };
    remote_network_get_bridge_name_ret br_ret = {0};

    assert_int_equal(sv_uuid_parse(UUID_A, (unsigned char *)net.uuid), 0);
    memcpy(start.net.uuid, net.uuid, SV_UUID_LEN);
    memcpy(stop.net.uuid, net.uuid, SV_UUID_LEN);
    memcpy(q.net.uuid, net.uuid, SV_UUID_LEN);
    memcpy(br.net.uuid, net.uuid, SV_UUID_LEN);

    assert_int_equal(call(REMOTE_PROC_NETWORK_DEFINE_XML, &def, &def_ret), 0);
    free_ret(REMOTE_PROC_NETWORK_DEFINE_XML, &def_ret);
    assert_int_equal(call(REMOTE_PROC_NETWORK_GET_BRIDGE_NAME, &br, &br_ret), 0);
    assert_string_equal(br_ret.name, "svtp0");
    free_ret(REMOTE_PROC_NETWORK_GET_BRIDGE_NAME, &br_ret);

    /* A driver that cannot start it leaves it inactive. */
    fail_next = true;
    fails(REMOTE_PROC_NETWORK_CREATE, &start, SV_ERR_INTERNAL_ERROR, "test driver: no bridge");
    assert_int_equal(call(REMOTE_PROC_NETWORK_IS_ACTIVE, &q, &q_ret), 0);
    assert_int_equal(q_ret.active, 0);
    assert_int_equal(call(REMOTE_PROC_NETWORK_CREATE, &start, NULL), 0);
    assert_int_equal(call(REMOTE_PROC_NETWORK_IS_ACTIVE, &q, &q_ret), 0);
    assert_int_equal(q_ret.active, 1);
    assert_int_equal(call(REMOTE_PROC_NETWORK_DESTROY, &stop, NULL), 0);
    fails(REMOTE_PROC_NETWORK_DESTROY, &stop, SV_ERR_OPERATION_INVALID,
          "Requested operation is not valid: network 'n1' is not active");
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redefine_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_xml_over_defined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undefine_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vcpus_and_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_networks, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
