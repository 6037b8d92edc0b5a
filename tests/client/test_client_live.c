/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt against a running sepvirt-frontd (started by interop.sh):
 * every call sepvirsh relies on, events through sepvirt_event_run_once(),
 * a read-only connection, many threads sharing one connection, and the
 * reference counting of handles.  TAP output on stdout.
 *
 *   test_client_live URI DATADIR
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sepvirt/sepvirt.h>

#include "sv_util.h"

static int n_tests, n_failed;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
    va_list ap;

    n_tests++;
    if (!ok)
        n_failed++;
    printf("%s %d - ", ok ? "ok" : "not ok", n_tests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!ok && sepvirt_last_error())
        printf("# last error: %s\n", sepvirt_last_error()->message);
    fflush(stdout);
}

static char *read_data(const char *dir, const char *name)
{
    _cleanup_free_ char *path = sv_asprintf("%s/%s", dir, name);
    char *data = NULL;
    size_t len;

    if (sv_read_file(path, 1 << 20, &data, &len) < 0) {
        printf("Bail out! cannot read %s\n", path);
        exit(1);
    }
    return data;
}

/* ---- events ------------------------------------------------------------------ */

typedef struct seen {
    char log[2048];
} seen;

static void on_domain(sepvirt_conn *conn, sepvirt_domain *dom, int event, int detail,
                      void *opaque)
{
    seen *s = opaque;
    size_t len = strlen(s->log);

    (void)conn;
    snprintf(s->log + len, sizeof(s->log) - len, "dom %s %d %d;", sepvirt_domain_get_name(dom),
             event, detail);
}

static void on_network(sepvirt_conn *conn, sepvirt_network *net, int event, int detail,
                       void *opaque)
{
    seen *s = opaque;
    size_t len = strlen(s->log);

    (void)conn;
    snprintf(s->log + len, sizeof(s->log) - len, "net %s %d %d;",
             sepvirt_network_get_name(net), event, detail);
}

/* Dispatch until `want` appears in the log or 5 s pass. */
static bool wait_for(sepvirt_conn *conn, seen *s, const char *want)
{
    time_t end = time(NULL) + 5;

    while (!strstr(s->log, want) && time(NULL) < end) {
        if (sepvirt_event_run_once(conn, 200) < 0)
            return false;
    }
    return strstr(s->log, want) != NULL;
}

/* ---- threads -------------------------------------------------------------------- */

typedef struct worker {
    sepvirt_conn *conn;
    int failures;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;

    for (int i = 0; i < 250; i++) {
        sepvirt_domain *dom = sepvirt_domain_lookup_by_name(w->conn, "alpha");
        sepvirt_domain_info info;
        int state;

        if (!dom || sepvirt_domain_get_info(dom, &info) < 0 ||
            sepvirt_domain_get_state(dom, &state, NULL, 0) < 0 ||
            state != SEPVIRT_DOMAIN_SHUTOFF || info.memory_kib != 65536)
            w->failures++;
        if (dom)
            sepvirt_domain_free(dom);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *uri, *dir;
    sepvirt_conn *conn, *ro;
    sepvirt_domain *dom, *d2, **doms;
    sepvirt_network *net, **nets;
    sepvirt_node_info node;
    sepvirt_domain_info info;
    seen events = { "" };
    unsigned char uuid[SEPVIRT_UUID_BUFLEN];
    char uuidstr[SEPVIRT_UUID_STRING_BUFLEN];
    char *s, *xml;
    unsigned long ver;
    int state, reason, autostart, nd, cbd, cbn, found;
    pthread_t threads[8];
    worker workers[8];

    if (argc != 3) {
        fprintf(stderr, "usage: %s URI DATADIR\n", argv[0]);
        return 2;
    }
    uri = argv[1];
    dir = argv[2];

    /* ---- connection and host ---- */
    conn = sepvirt_conn_open(uri);
    check(conn != NULL, "open %s", uri);
    if (!conn) {
        printf("Bail out! no connection\n");
        return 1;
    }
    s = sepvirt_conn_get_uri(conn);
    check(s && strcmp(s, uri) == 0, "get_uri returns the URI given");
    free(s);
    check(sv_streq(sepvirt_conn_get_type(conn), "QEMU"), "get_type is QEMU");
    check(sepvirt_conn_get_version(conn, &ver) == 0 && ver > 0, "get_version");
    check(sepvirt_conn_get_lib_version(conn, &ver) == 0 && ver > 0, "get_lib_version");
    check(sepvirt_lib_version() == SEPVIRT_VERSION_NUMBER, "lib_version matches the headers");
    s = sepvirt_conn_get_hostname(conn);
    check(s && *s, "get_hostname");
    free(s);
    check(sepvirt_node_get_info(conn, &node) == 0 && node.cpus > 0 && node.memory_kib > 0,
          "node_get_info");
    s = sepvirt_conn_get_capabilities(conn);
    check(s && strstr(s, "<capabilities>"), "get_capabilities");
    free(s);
    s = sepvirt_conn_get_sysinfo(conn, 0);
    check(s != NULL, "get_sysinfo");
    free(s);
    check(sepvirt_conn_is_secure(conn) == 1, "is_secure on a unix socket");
    check(sepvirt_conn_is_alive(conn) == 1, "is_alive");
    check(sepvirt_conn_set_keepalive(conn, 5, 3) >= 0, "set_keepalive");

    cbd = sepvirt_domain_event_register(conn, NULL, SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
                                        SEPVIRT_DOMAIN_EVENT_CALLBACK(on_domain), &events, NULL);
    check(cbd >= 0, "domain lifecycle callback registered");
    cbn = sepvirt_network_event_register(conn, NULL, SEPVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                                         SEPVIRT_NETWORK_EVENT_CALLBACK(on_network), &events,
                                         NULL);
    check(cbn >= 0, "network lifecycle callback registered");

    /* ---- domains ---- */
    xml = read_data(dir, "dom1.xml");
    dom = sepvirt_domain_define_xml(conn, xml);
    free(xml);
    check(dom && sv_streq(sepvirt_domain_get_name(dom), "alpha"), "define_xml");
    if (!dom) {
        printf("Bail out! define failed\n");
        return 1;
    }
    check(wait_for(conn, &events, "dom alpha 0 0;"), "DEFINED/ADDED event delivered");
    check(sepvirt_domain_get_id(dom) == (unsigned int)-1, "inactive domain has no id");
    sepvirt_domain_get_uuid_string(dom, uuidstr);
    check(strcmp(uuidstr, "11111111-2222-3333-4444-555555555555") == 0, "uuid string");
    sepvirt_domain_get_uuid(dom, uuid);
    d2 = sepvirt_domain_lookup_by_uuid(conn, uuid);
    check(d2 && sv_streq(sepvirt_domain_get_name(d2), "alpha"), "lookup_by_uuid");
    if (d2)
        sepvirt_domain_free(d2);
    d2 = sepvirt_domain_lookup_by_uuid_string(conn, uuidstr);
    check(d2 != NULL, "lookup_by_uuid_string");
    if (d2)
        sepvirt_domain_free(d2);
    check(sepvirt_domain_lookup_by_name(conn, "nosuch") == NULL &&
          sepvirt_last_error() && sepvirt_last_error()->code == SEPVIRT_ERR_NO_DOMAIN,
          "lookup of a missing domain fails with NO_DOMAIN");
    {
        sepvirt_error *e = sepvirt_conn_last_error(conn);

        check(e && e->code == SEPVIRT_ERR_NO_DOMAIN, "the connection keeps that error");
        sepvirt_error_free(e);
    }
    check(sepvirt_domain_lookup_by_uuid_string(conn, "not-a-uuid") == NULL &&
          sepvirt_last_error()->code == SEPVIRT_ERR_INVALID_ARG, "malformed uuid refused");
    xml = sepvirt_domain_get_xml_desc(dom, 0);
    check(xml && strstr(xml, "<name>alpha</name>"), "get_xml_desc");
    free(xml);
    xml = sepvirt_domain_get_xml_desc(dom, SEPVIRT_DOMAIN_XML_INACTIVE);
    check(xml != NULL, "get_xml_desc(INACTIVE)");
    free(xml);
    check(sepvirt_domain_get_info(dom, &info) == 0 && info.state == SEPVIRT_DOMAIN_SHUTOFF &&
          info.max_mem_kib == 65536 && info.nr_virt_cpu == 1, "get_info");
    check(sepvirt_domain_get_state(dom, &state, &reason, 0) == 0 &&
          state == SEPVIRT_DOMAIN_SHUTOFF, "get_state");
    s = sepvirt_domain_get_os_type(dom);
    check(sv_streq(s, "hvm"), "get_os_type");
    free(s);
    check(sepvirt_domain_is_active(dom) == 0, "is_active");
    check(sepvirt_domain_is_persistent(dom) == 1, "is_persistent");
    check(sepvirt_domain_set_autostart(dom, 1) == 0 &&
          sepvirt_domain_get_autostart(dom, &autostart) == 0 && autostart == 1, "autostart on");
    check(sepvirt_domain_set_autostart(dom, 0) == 0 &&
          sepvirt_domain_get_autostart(dom, &autostart) == 0 && autostart == 0, "autostart off");
    s = sepvirt_domain_get_metadata(dom, SEPVIRT_DOMAIN_METADATA_TITLE, NULL, 0);
    check(sv_streq(s, "Alpha title"), "get_metadata(TITLE)");
    free(s);
    check(sepvirt_domain_set_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT, "<thing/>", "ex",
                                      "http://example.org/ns", 0) == 0, "set_metadata(ELEMENT)");
    s = sepvirt_domain_get_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT,
                                    "http://example.org/ns", 0);
    check(s && strstr(s, "thing"), "get_metadata(ELEMENT)");
    free(s);
    check(sepvirt_domain_set_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT, NULL, NULL,
                                      "http://example.org/ns", 0) == 0 &&
          !sepvirt_domain_get_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT,
                                       "http://example.org/ns", 0) &&
          sepvirt_last_error()->code == SEPVIRT_ERR_NO_DOMAIN_METADATA,
          "removed metadata reads as NO_DOMAIN_METADATA");

    nd = sepvirt_conn_list_all_domains(conn, &doms, SEPVIRT_LIST_DOMAINS_INACTIVE);
    found = 0;
    for (int i = 0; i < nd; i++)
        found += sv_streq(sepvirt_domain_get_name(doms[i]), "alpha");
    sepvirt_domain_list_free(doms, nd);
    check(nd >= 1 && found == 1, "list_all_domains(INACTIVE) has alpha");
    check(sepvirt_conn_list_all_domains(conn, NULL, SEPVIRT_LIST_DOMAINS_ACTIVE) == 0,
          "list_all_domains(ACTIVE) counts none");

    /* ---- one connection, many threads ---- */
    for (int i = 0; i < 8; i++) {
        workers[i] = (worker){ .conn = conn };
        pthread_create(&threads[i], NULL, worker_main, &workers[i]);
    }
    found = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        found += workers[i].failures;
    }
    check(found == 0, "8 threads x 250 lookup+info+state on one connection (%d failures)",
          found);

    /* ---- read-only ---- */
    ro = sepvirt_conn_open_readonly(uri);
    check(ro != NULL && sepvirt_conn_is_readonly(ro) == 1, "open_readonly");
    if (ro) {
        xml = read_data(dir, "dom2.xml");
        check(!sepvirt_domain_define_xml(ro, xml) && sepvirt_last_error() &&
              sepvirt_last_error()->code == SEPVIRT_ERR_OPERATION_DENIED,
              "read-only connection cannot define");
        free(xml);
        d2 = sepvirt_domain_lookup_by_name(ro, "alpha");
        check(d2 && sepvirt_domain_get_info(d2, &info) == 0, "read-only connection can read");
        if (d2)
            sepvirt_domain_free(d2);
        check(sepvirt_conn_close(ro) == 0, "close read-only connection");
    }

    /* ---- networks ---- */
    xml = read_data(dir, "net1.xml");
    net = sepvirt_network_define_xml(conn, xml);
    free(xml);
    check(net && sv_streq(sepvirt_network_get_name(net), "net1"), "network define_xml");
    if (net) {
        sepvirt_network *n2;
        int active;

        check(wait_for(conn, &events, "net net1 0 0;"), "network DEFINED event delivered");
        n2 = sepvirt_network_lookup_by_uuid_string(conn, "aaaaaaaa-2222-3333-4444-555555555555");
        check(n2 && sv_streq(sepvirt_network_get_name(n2), "net1"), "network lookup by uuid");
        if (n2)
            sepvirt_network_free(n2);
        check(sepvirt_network_is_active(net) == 0 && sepvirt_network_is_persistent(net) == 1,
              "network is_active/is_persistent");
        s = sepvirt_network_get_bridge_name(net);
        check(sv_streq(s, "svbr1"), "network bridge name");
        free(s);
        s = sepvirt_network_get_xml_desc(net, SEPVIRT_NETWORK_XML_INACTIVE);
        check(s && strstr(s, "<name>net1</name>"), "network xml desc");
        free(s);
        check(sepvirt_network_set_autostart(net, 1) == 0 &&
              sepvirt_network_get_autostart(net, &autostart) == 0 && autostart == 1,
              "network autostart");
        nd = sepvirt_conn_list_all_networks(conn, &nets, 0);
        found = 0;
        for (int i = 0; i < nd; i++)
            found += sv_streq(sepvirt_network_get_name(nets[i]), "net1");
        sepvirt_network_list_free(nets, nd);
        check(found == 1, "list_all_networks has net1");
        if (sepvirt_network_create(net) == 0) {
            active = sepvirt_network_is_active(net);
            check(active == 1 && wait_for(conn, &events, "net net1 2 0;"),
                  "network start: active, STARTED event");
            check(sepvirt_network_destroy(net) == 0 && wait_for(conn, &events, "net net1 3 0;"),
                  "network destroy: STOPPED event");
        } else {
            check(sepvirt_last_error() != NULL, "network start refused with an error: %s",
                  sepvirt_last_error() ? sepvirt_last_error()->message : "");
        }
        check(sepvirt_network_undefine(net) == 0 && wait_for(conn, &events, "net net1 1 0;"),
              "network undefine: UNDEFINED event");
        sepvirt_network_free(net);
    }

    /* ---- undefine, events deregistration, reference counting ---- */
    check(sepvirt_domain_undefine_flags(dom, 0) == 0, "undefine_flags");
    check(wait_for(conn, &events, "dom alpha 1 0;"), "UNDEFINED/REMOVED event delivered");
    check(sepvirt_domain_lookup_by_name(conn, "alpha") == NULL, "undefined domain is gone");
    check(sepvirt_domain_event_deregister(conn, cbd) == 0, "domain callback deregistered");
    check(sepvirt_network_event_deregister(conn, cbn) == 0, "network callback deregistered");
    check(sepvirt_domain_event_deregister(conn, cbd) == -1, "second deregistration refused");

    /* The domain handle keeps the connection until it is freed. */
    check(sepvirt_conn_close(conn) == 1, "close with a live handle leaves one reference");
    check(sv_streq(sepvirt_domain_get_name(dom), "alpha"), "handle still usable after close");
    check(sepvirt_domain_free(dom) == 0, "freeing the last handle closes the connection");

    printf("1..%d\n", n_tests);
    return n_failed ? 1 : 0;
}
