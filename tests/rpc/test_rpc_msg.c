/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the RPC codec (ipc/rpc_msg.c, ipc/rpc_reader.c) against the
 * worked byte examples of shared/spec/libvirt-wire.md §1.10, plus the
 * strictness rules (length checks, limits, trailing bytes).  TAP output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpc_msg.h"
#include "rpc_reader.h"
#include "sv_util.h"

static int n_test, n_fail;

static void check(int ok, const char *what)
{
    n_test++;
    if (!ok)
        n_fail++;
    printf("%s %d - %s\n", ok ? "ok" : "not ok", n_test, what);
}

/* Parse "0000001c 20008086 ..." into bytes. */
static size_t hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;

    while (*s && n < max) {
        unsigned v;
        if (*s == ' ' || *s == '\n') {
            s++;
            continue;
        }
        if (sscanf(s, "%2x", &v) != 1)
            abort();
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

static int same(const uint8_t *a, size_t alen, const char *expect_hex)
{
    uint8_t want[512];
    size_t wlen = hex(expect_hex, want, sizeof(want));

    if (alen != wlen || memcmp(a, want, wlen) != 0) {
        printf("# got     ");
        for (size_t i = 0; i < alen; i++)
            printf("%02x%s", a[i], i % 4 == 3 ? " " : "");
        printf("\n# expect  %s\n", expect_hex);
        return 0;
    }
    return 1;
}

static sv_rpc_header call_hdr(int proc, uint32_t serial)
{
    sv_rpc_header h = { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc, REMOTE_CALL, serial, REMOTE_OK };
    return h;
}

static void test_auth_list_reply(void)
{
    sv_rpc_header call = call_hdr(REMOTE_PROC_AUTH_LIST, 0);
    sv_rpc_header reply = sv_rpc_reply_header(&call, REMOTE_OK);
    remote_auth_type types[1] = { REMOTE_AUTH_NONE };
    remote_auth_list_ret ret = { .types = { 1, types } };
    uint8_t *buf;
    size_t len;

    check(sv_rpc_encode(&reply, (xdrproc_t)xdr_remote_auth_list_ret, &ret, SV_RPC_MAX_REPLY, &buf, &len) == 0 &&
          same(buf, len, "00000024 20008086 00000001 00000042 00000001 00000000 00000000 00000001 00000000"),
          "AUTH_LIST reply [NONE] matches spec bytes");
    free(buf);
}

static void test_open_call_decode(void)
{
    uint8_t msg[64];
    size_t len = hex("00000038 20008086 00000001 00000001 00000000 00000002 00000000 00000001"
                     "0000000e 71656d75 3a2f2f2f 73797374 656d0000 00000000", msg, sizeof(msg));
    sv_rpc_header h;
    const uint8_t *payload;
    size_t plen;
    remote_connect_open_args args;

    check(sv_rpc_decode_packet(msg, len, &h, &payload, &plen, NULL) == 0 &&
          h.prog == REMOTE_PROGRAM && h.proc == REMOTE_PROC_CONNECT_OPEN && h.serial == 2 &&
          h.type == REMOTE_CALL && plen == 28, "CONNECT_OPEN call header decodes");
    check(sv_rpc_decode_payload(payload, plen, (xdrproc_t)xdr_remote_connect_open_args, &args, sizeof(args)) == 0 &&
          args.name && strcmp(*args.name, "qemu:///system") == 0 && args.flags == 0,
          "CONNECT_OPEN args decode to qemu:///system");
    xdr_free((xdrproc_t)xdr_remote_connect_open_args, (char *)&args);

    /* One trailing byte group too many: refused. */
    check(sv_rpc_decode_payload(payload, plen - 4, (xdrproc_t)xdr_remote_connect_open_args, &args, sizeof(args)) < 0,
          "truncated OPEN args refused");
    memset(&args, 0, sizeof(args));
    {
        uint8_t longer[64];
        memcpy(longer, payload, plen);
        memset(longer + plen, 0, 4);
        check(sv_rpc_decode_payload(longer, plen + 4, (xdrproc_t)xdr_remote_connect_open_args, &args, sizeof(args)) < 0,
              "trailing bytes after OPEN args refused");
    }
}

static void test_error_reply(void)
{
    sv_rpc_header call = call_hdr(999, 7);
    uint8_t *buf;
    size_t len;

    check(sv_rpc_encode_error(&call, 39, 7, "unknown procedure: 999", &buf, &len) == 0 &&
          same(buf, len,
               "00000064 20008086 00000001 000003e7 00000001 00000007 00000001 00000027"
               "00000007 00000001 00000016 756e6b6e 6f776e20 70726f63 65647572 653a2039"
               "39390000 00000002 00000000 00000000 00000000 00000000 00000000 00000000"
               "00000000"),
          "unknown procedure error reply matches spec bytes");
    free(buf);
}

static void test_lifecycle_event(void)
{
    sv_rpc_header h = { REMOTE_PROGRAM, 1, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, REMOTE_MESSAGE, 1, REMOTE_OK };
    remote_domain_event_callback_lifecycle_msg m = { 0 };
    unsigned char uuid[16];
    uint8_t *buf;
    size_t len;

    sv_uuid_parse("c7a5fdbd-edaf-9455-926a-d65c16db1809", uuid);
    m.callbackID = 1;
    m.msg.dom.name = (char *)"demo";
    memcpy(m.msg.dom.uuid, uuid, 16);
    m.msg.dom.id = 1;
    m.msg.event = 2;
    m.msg.detail = 0;
    check(sv_rpc_encode(&h, (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &m,
                        SV_RPC_MAX_REPLY, &buf, &len) == 0 &&
          same(buf, len,
               "00000044 20008086 00000001 0000013e 00000002 00000001 00000000 00000001"
               "00000004 64656d6f c7a5fdbd edaf9455 926ad65c 16db1809 00000001 00000002"
               "00000000"),
          "lifecycle event (318) matches spec bytes");
    free(buf);
}

static void test_list_all_reply_decode(void)
{
    uint8_t msg[128];
    size_t len = hex("00000040 20008086 00000001 00000111 00000001 00000006 00000000 00000001"
                     "00000004 64656d6f c7a5fdbd edaf9455 926ad65c 16db1809 ffffffff 00000001",
                     msg, sizeof(msg));
    sv_rpc_header h;
    const uint8_t *payload;
    size_t plen;
    remote_connect_list_all_domains_ret ret;

    check(sv_rpc_decode_packet(msg, len, &h, &payload, &plen, NULL) == 0 &&
          sv_rpc_decode_payload(payload, plen, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret, sizeof(ret)) == 0 &&
          ret.domains.domains_len == 1 && strcmp(ret.domains.domains_val[0].name, "demo") == 0 &&
          ret.domains.domains_val[0].id == -1 && ret.ret == 1,
          "LIST_ALL_DOMAINS reply decodes");
    xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&ret);
}

static void test_nodeinfo_size(void)
{
    sv_rpc_header h = sv_rpc_reply_header(&(sv_rpc_header){ REMOTE_PROGRAM, 1, 6, 0, 3, 0 }, REMOTE_OK);
    remote_node_get_info_ret ni = { .memory = 1, .cpus = 2 };
    uint8_t *buf;
    size_t len;

    /* char model[32] is 32 * 4 bytes; then 8 + 6 * 4. */
    check(sv_rpc_encode(&h, (xdrproc_t)xdr_remote_node_get_info_ret, &ni, SV_RPC_MAX_REPLY, &buf, &len) == 0 &&
          len == 28 + 128 + 8 + 24, "NODE_GET_INFO reply is 188 bytes (char = 4 bytes)");
    free(buf);
}

static void test_limits(void)
{
    uint8_t b[64] = { 0 };
    uint32_t len;
    sv_rpc_header h;
    const uint8_t *p;
    size_t plen;

    hex("0000001b", b, 4);
    check(sv_rpc_length_decode(b, &len) < 0, "length 27 refused");
    hex("02000005", b, 4);
    check(sv_rpc_length_decode(b, &len) < 0, "length 32 MiB + 5 refused");
    hex("02000004", b, 4);
    check(sv_rpc_length_decode(b, &len) == 0 && len == 0x02000004, "length 32 MiB + 4 accepted");
    hex("ffffffff", b, 4);
    check(sv_rpc_length_decode(b, &len) < 0, "length 0xffffffff refused");

    /* Length word disagreeing with the buffer. */
    hex("00000020 20008086 00000001 00000042 00000000 00000000 00000000", b, sizeof(b));
    check(sv_rpc_decode_packet(b, 28, &h, &p, &plen, NULL) < 0, "length word != buffer size refused");
    /* Unknown type. */
    hex("0000001c 20008086 00000001 00000042 00000007 00000000 00000000", b, sizeof(b));
    check(sv_rpc_decode_packet(b, 28, &h, &p, &plen, NULL) < 0, "message type 7 refused");
    /* CALL with status ERROR. */
    hex("0000001c 20008086 00000001 00000042 00000000 00000000 00000001", b, sizeof(b));
    check(sv_rpc_decode_packet(b, 28, &h, &p, &plen, NULL) < 0, "CALL with status ERROR refused");
    /* CALL_WITH_FDS with 33 fds. */
    hex("00000020 20008086 00000001 00000042 00000004 00000000 00000000 00000021", b, sizeof(b));
    check(sv_rpc_decode_packet(b, 32, &h, &p, &plen, NULL) < 0, "33 fds refused");

    /* String longer than REMOTE_STRING_MAX; negative array count. */
    {
        remote_domain_lookup_by_name_args a;
        remote_connect_list_all_domains_ret r;
        remote_node_get_security_model_ret m;
        uint8_t s[16];

        hex("00400001 61616161", s, sizeof(s));
        check(sv_rpc_decode_payload(s, 8, (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &a, sizeof(a)) < 0,
              "string of 4 MiB + 1 refused");
        hex("ffffffff 00000000", s, sizeof(s));
        check(sv_rpc_decode_payload(s, 8, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &r, sizeof(r)) < 0,
              "negative array count refused");
        {
            remote_connect_open_args o;
            hex("00000002 00000000 00000000", s, sizeof(s));
            check(sv_rpc_decode_payload(s, 12, (xdrproc_t)xdr_remote_connect_open_args, &o, sizeof(o)) < 0,
                  "optional-value flag 2 refused");
        }
        hex("00000003 61006200", s, sizeof(s));
        check(sv_rpc_decode_payload(s, 8, (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &a, sizeof(a)) < 0,
              "string with an embedded NUL refused");
        hex("00004000 00000000", s, sizeof(s));
        check(sv_rpc_decode_payload(s, 8, (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &r, sizeof(r)) < 0,
              "array count beyond the payload refused");
        hex("00000102 00000000", s, sizeof(s));
        check(sv_rpc_decode_payload(s, 8, (xdrproc_t)xdr_remote_node_get_security_model_ret, &m, sizeof(m)) < 0,
              "security model of 258 chars refused");
    }
}

static void test_reader(void)
{
    int sv[2];
    uint8_t two[56];
    size_t n = hex("0000001c 20008086 00000001 00000042 00000000 00000000 00000000"
                   "0000001c 20008086 00000001 00000042 00000000 00000001 00000000", two, sizeof(two));
    sv_rpc_reader r = { 0 };
    uint8_t *m1 = NULL, *m2 = NULL, *m3 = NULL;
    size_t l1 = 0, l2 = 0, l3 = 0;
    int rc3;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
        abort();
    if (write(sv[0], two, 30) != 30)
        abort();
    check(sv_rpc_reader_next(&r, sv[1], &m1, &l1) == 1 && l1 == 28, "reader: first message");
    check(sv_rpc_reader_next(&r, sv[1], &m2, &l2) == 0 && sv_rpc_reader_pending(&r), "reader: partial second");
    if (write(sv[0], two + 30, n - 30) != (ssize_t)(n - 30))
        abort();
    check(sv_rpc_reader_next(&r, sv[1], &m2, &l2) == 1 && l2 == 28 && m2[23] == 1, "reader: second message");
    if (write(sv[0], "\xff\xff\xff\xff", 4) != 4)
        abort();
    check(sv_rpc_reader_next(&r, sv[1], &m3, &l3) == -EBADMSG, "reader: bad length word");
    close(sv[0]);
    sv_rpc_reader_clear(&r);
    rc3 = sv_rpc_reader_next(&r, sv[1], &m3, &l3);
    check(rc3 == -ECONNRESET, "reader: EOF");
    sv_rpc_reader_clear(&r);
    close(sv[1]);
    free(m1);
    free(m2);
}

int main(void)
{
    test_auth_list_reply();
    test_open_call_decode();
    test_error_reply();
    test_lifecycle_event();
    test_list_all_reply_decode();
    test_nodeinfo_size();
    test_limits();
    test_reader();
    printf("1..%d\n", n_test);
    return n_fail ? 1 : 0;
}
