/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt's connection core against a scripted peer on a socketpair:
 * replies matched by serial with many calls in flight, keepalive PONG,
 * "unknown procedure" read as NO_SUPPORT, event delivery, and a peer that
 * goes away or sends garbage.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cl_conn.h"
#include "rpc_msg.h"

typedef struct peer {
    int fd;              /* the "daemon" end */
    sepvirt_conn *conn;  /* the client end */
} peer;

static void peer_open(peer *p)
{
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    p->fd = sv[0];
    p->conn = cl_conn_new(sv[1], "qemu+unix:///session?socket=/test", false);
    assert_int_equal(cl_conn_start_io(p->conn), 0);
}

static void peer_close(peer *p)
{
    if (p->fd >= 0)
        close(p->fd);
    assert_int_equal(sepvirt_conn_close(p->conn), 0);
}

static void read_full(int fd, void *buf, size_t len)
{
    char *b = buf;

    while (len > 0) {
        ssize_t n = read(fd, b, len);

        assert_true(n > 0);
        b += n;
        len -= (size_t)n;
    }
}

/* Read one message; returns its payload (after the header), malloc'ed. */
static uint8_t *peer_read(peer *p, sv_rpc_header *hdr, size_t *ret_len)
{
    uint8_t *buf;
    const uint8_t *payload;
    uint32_t len;

    buf = malloc(SV_RPC_MAX_MESSAGE);
    read_full(p->fd, buf, 4);
    assert_int_equal(sv_rpc_length_decode(buf, &len), 0);
    read_full(p->fd, buf + 4, len - 4);
    assert_int_equal(sv_rpc_decode_packet(buf, len, hdr, &payload, ret_len, NULL), 0);
    memmove(buf, payload, *ret_len);
    return buf;
}

static void peer_send(peer *p, int prog, int proc, int type, unsigned int serial, int status,
                      xdrproc_t filter, void *body)
{
    sv_rpc_header hdr = { .prog = prog, .vers = 1, .proc = proc, .type = type,
                          .serial = serial, .status = status };
    uint8_t *buf;
    size_t len;

    assert_int_equal(sv_rpc_encode(&hdr, filter, body, SV_RPC_MAX_MESSAGE, &buf, &len), 0);
    assert_int_equal(write(p->fd, buf, len), (ssize_t)len);
    free(buf);
}

/* ---- many calls in flight, answered in reverse order ---------------------- */

#define NCALLS 8

typedef struct caller {
    sepvirt_conn *conn;
    unsigned int index;
    char *result;
} caller;

static void *caller_main(void *arg)
{
    caller *c = arg;

    c->result = sepvirt_conn_get_sysinfo(c->conn, c->index);
    return NULL;
}

static void test_out_of_order_replies(void **state)
{
    peer p;
    pthread_t threads[NCALLS];
    caller callers[NCALLS];
    unsigned int serials[NCALLS], flags[NCALLS];

    (void)state;
    peer_open(&p);
    for (unsigned int i = 0; i < NCALLS; i++) {
        callers[i] = (caller){ .conn = p.conn, .index = i };
        pthread_create(&threads[i], NULL, caller_main, &callers[i]);
    }
    for (unsigned int i = 0; i < NCALLS; i++) {
        sv_rpc_header hdr;
        remote_connect_get_sysinfo_args args;
        size_t len;
        uint8_t *body = peer_read(&p, &hdr, &len);

        assert_int_equal(hdr.prog, REMOTE_PROGRAM);
        assert_int_equal(hdr.proc, REMOTE_PROC_CONNECT_GET_SYSINFO);
        assert_int_equal(hdr.type, REMOTE_CALL);
        assert_int_equal(sv_rpc_decode_payload(body, len,
                                               (xdrproc_t)xdr_remote_connect_get_sysinfo_args,
                                               &args, sizeof(args)), 0);
        serials[i] = hdr.serial;
        flags[i] = args.flags;
        free(body);
    }
    for (int i = NCALLS - 1; i >= 0; i--) {
        char text[32];
        remote_connect_get_sysinfo_ret ret = { .sysinfo = text };

        snprintf(text, sizeof(text), "sys-%u", flags[i]);
        peer_send(&p, REMOTE_PROGRAM, REMOTE_PROC_CONNECT_GET_SYSINFO, REMOTE_REPLY, serials[i],
                  REMOTE_OK, (xdrproc_t)xdr_remote_connect_get_sysinfo_ret, &ret);
    }
    for (unsigned int i = 0; i < NCALLS; i++) {
        char want[32];

        pthread_join(threads[i], NULL);
        snprintf(want, sizeof(want), "sys-%u", i);
        assert_non_null(callers[i].result);
        assert_string_equal(callers[i].result, want);
        free(callers[i].result);
    }
    peer_close(&p);
}

static int close_reason = -1;

static void on_close(sepvirt_conn *conn, int reason, void *opaque)
{
    (void)conn;
    (void)opaque;
    close_reason = reason;
}

/* ---- keepalive ---------------------------------------------------------------- */

static void test_ping_pong(void **state)
{
    peer p;
    sv_rpc_header hdr;
    size_t len;
    uint8_t *body;

    (void)state;
    peer_open(&p);
    peer_send(&p, KEEPALIVE_PROGRAM, KEEPALIVE_PROC_PING, REMOTE_MESSAGE, 0, REMOTE_OK, NULL, NULL);
    body = peer_read(&p, &hdr, &len);
    assert_int_equal(hdr.prog, KEEPALIVE_PROGRAM);
    assert_int_equal(hdr.proc, KEEPALIVE_PROC_PONG);
    assert_int_equal(hdr.type, REMOTE_MESSAGE);
    assert_int_equal(len, 0);
    free(body);
    peer_close(&p);
}

/* Our own PINGs: sent after the interval, connection dropped when the
 * peer never answers. */
static void test_keepalive_timeout(void **state)
{
    peer p;
    sv_rpc_header hdr;
    size_t len;
    const sepvirt_error *e;

    (void)state;
    peer_open(&p);
    assert_int_equal(sepvirt_conn_set_keepalive(p.conn, 1, 1), 1);   /* not announced */
    p.conn->feature_keepalive = true;
    assert_int_equal(sepvirt_conn_set_keepalive(p.conn, 1, 1), 0);
    free(peer_read(&p, &hdr, &len));
    assert_int_equal(hdr.prog, KEEPALIVE_PROGRAM);
    assert_int_equal(hdr.proc, KEEPALIVE_PROC_PING);
    /* No PONG: after one more interval the client gives up. */
    close_reason = -1;
    assert_int_equal(sepvirt_conn_register_close_callback(p.conn, on_close, NULL, NULL), 0);
    assert_int_equal(sepvirt_event_run_once(p.conn, 5000), 1);
    assert_int_equal(close_reason, SEPVIRT_CONN_CLOSE_REASON_KEEPALIVE);
    assert_int_equal(sepvirt_conn_is_alive(p.conn), 0);
    assert_null(sepvirt_conn_get_hostname(p.conn));
    e = sepvirt_last_error();
    assert_non_null(e);
    assert_string_equal(e->message, "internal error: client socket is closed");
    peer_close(&p);
}

/* ---- errors -------------------------------------------------------------------- */

typedef struct { peer *p; int code, domain; const char *msg; } err_script;

static void *error_peer(void *arg)
{
    err_script *s = arg;
    sv_rpc_header hdr;
    size_t len;
    char *msg = (char *)s->msg;
    remote_error err = { .code = s->code, .domain = s->domain, .message = &msg, .level = 2 };

    free(peer_read(s->p, &hdr, &len));
    peer_send(s->p, REMOTE_PROGRAM, hdr.proc, REMOTE_REPLY, hdr.serial, REMOTE_ERROR,
              (xdrproc_t)xdr_remote_error, &err);
    return NULL;
}

static void test_error_mapping(void **state)
{
    peer p;
    pthread_t t;
    err_script s = { .code = 39, .domain = 7, .msg = "unknown procedure: 59" };
    const sepvirt_error *e;
    sepvirt_error *ce;

    (void)state;
    peer_open(&p);
    s.p = &p;
    pthread_create(&t, NULL, error_peer, &s);
    assert_null(sepvirt_conn_get_hostname(p.conn));
    pthread_join(t, NULL);
    e = sepvirt_last_error();
    assert_non_null(e);
    assert_int_equal(e->code, SEPVIRT_ERR_NO_SUPPORT);
    assert_string_equal(e->message, "unknown procedure: 59");

    s = (err_script){ .p = &p, .code = 42, .domain = 10,
                      .msg = "Domain not found: no domain with matching name 'x'" };
    pthread_create(&t, NULL, error_peer, &s);
    assert_null(sepvirt_domain_lookup_by_name(p.conn, "x"));
    pthread_join(t, NULL);
    e = sepvirt_last_error();
    assert_int_equal(e->code, SEPVIRT_ERR_NO_DOMAIN);
    assert_int_equal(e->domain, 10);
    /* The connection keeps its last error for other threads. */
    ce = sepvirt_conn_last_error(p.conn);
    assert_non_null(ce);
    assert_string_equal(ce->message, "Domain not found: no domain with matching name 'x'");
    sepvirt_error_free(ce);
    /* A successful call clears the thread's error. */
    sepvirt_reset_last_error();
    assert_null(sepvirt_last_error());
    peer_close(&p);
}

/* ---- events ---------------------------------------------------------------------- */

typedef struct { int calls; char name[64]; int id, event, detail; } seen_event;

static void on_lifecycle(sepvirt_conn *conn, sepvirt_domain *dom, int event, int detail,
                         void *opaque)
{
    seen_event *s = opaque;

    (void)conn;
    s->calls++;
    snprintf(s->name, sizeof(s->name), "%s", sepvirt_domain_get_name(dom));
    s->id = (int)sepvirt_domain_get_id(dom);
    s->event = event;
    s->detail = detail;
}

static void *register_peer(void *arg)
{
    peer *p = arg;
    sv_rpc_header hdr;
    size_t len;
    remote_connect_domain_event_callback_register_any_ret ret = { .callbackID = 7 };

    free(peer_read(p, &hdr, &len));
    assert_int_equal(hdr.proc, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY);
    peer_send(p, REMOTE_PROGRAM, hdr.proc, REMOTE_REPLY, hdr.serial, REMOTE_OK,
              (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_ret, &ret);
    return NULL;
}

static void test_event_delivery(void **state)
{
    peer p;
    pthread_t t;
    seen_event seen = { 0 };
    remote_domain_event_callback_lifecycle_msg msg = {
        .callbackID = 7,
        .msg = { .dom = { .name = "demo", .id = -1 }, .event = 0, .detail = 0 },
    };
    int id;

    (void)state;
    peer_open(&p);
    pthread_create(&t, NULL, register_peer, &p);
    id = sepvirt_domain_event_register(p.conn, NULL, SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
                                       SEPVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle), &seen, NULL);
    pthread_join(t, NULL);
    assert_int_equal(id, 7);
    assert_int_equal(sepvirt_event_run_once(p.conn, 0), 0);

    /* An event for another callback id is ignored, ours is delivered. */
    msg.callbackID = 8;
    peer_send(&p, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, REMOTE_MESSAGE, 1,
              REMOTE_OK, (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &msg);
    msg.callbackID = 7;
    msg.msg.event = 1;
    peer_send(&p, REMOTE_PROGRAM, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, REMOTE_MESSAGE, 1,
              REMOTE_OK, (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &msg);
    while (seen.calls == 0)
        assert_true(sepvirt_event_run_once(p.conn, 5000) >= 0);
    assert_int_equal(seen.calls, 1);
    assert_string_equal(seen.name, "demo");
    assert_int_equal(seen.id, -1);
    assert_int_equal(seen.event, SEPVIRT_DOMAIN_EVENT_UNDEFINED);
    assert_int_equal(seen.detail, 0);
    /* Unsupported IDs are refused locally. */
    assert_int_equal(sepvirt_domain_event_register(p.conn, NULL, 2,
                                                   SEPVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                                   &seen, NULL), -1);
    peer_close(&p);
}

/* ---- peer goes away / sends garbage ---------------------------------------------- */

static void *hangup_peer(void *arg)
{
    peer *p = arg;
    sv_rpc_header hdr;
    size_t len;

    free(peer_read(p, &hdr, &len));
    close(p->fd);
    p->fd = -1;
    return NULL;
}

static void test_peer_hangup(void **state)
{
    peer p;
    pthread_t t;
    const sepvirt_error *e;

    (void)state;
    peer_open(&p);
    close_reason = -1;
    assert_int_equal(sepvirt_conn_register_close_callback(p.conn, on_close, NULL, NULL), 0);
    pthread_create(&t, NULL, hangup_peer, &p);
    assert_null(sepvirt_conn_get_hostname(p.conn));
    pthread_join(t, NULL);
    e = sepvirt_last_error();
    assert_non_null(e);
    assert_string_equal(e->message, "End of file while reading data: Input/output error");
    assert_int_equal(sepvirt_event_run_once(p.conn, 1000), 1);
    assert_int_equal(close_reason, SEPVIRT_CONN_CLOSE_REASON_EOF);
    assert_int_equal(sepvirt_event_run_once(p.conn, 0), -1);
    assert_int_equal(sepvirt_conn_is_alive(p.conn), 0);
    peer_close(&p);
}

static void test_peer_garbage(void **state)
{
    peer p;
    const unsigned char tiny[8] = { 0, 0, 0, 5, 1, 2, 3, 4 };

    (void)state;
    peer_open(&p);
    assert_int_equal(write(p.fd, tiny, sizeof(tiny)), (ssize_t)sizeof(tiny));
    assert_true(sepvirt_event_run_once(p.conn, 5000) >= 0);
    assert_int_equal(sepvirt_conn_is_alive(p.conn), 0);
    /* The close event went out above; now the dead connection's reason. */
    assert_int_equal(sepvirt_event_run_once(p.conn, 0), -1);
    assert_non_null(strstr(sepvirt_last_error()->message, "malformed packet"));
    peer_close(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_order_replies),
        cmocka_unit_test(test_ping_pong),
        cmocka_unit_test(test_keepalive_timeout),
        cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_event_delivery),
        cmocka_unit_test(test_peer_hangup),
        cmocka_unit_test(test_peer_garbage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
