/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the helper protocol codec (ipc/helper_proto.c): the pure
 * decoder's checks, fd passing over a real socketpair, and the helper-side
 * dispatch loop.  No privileges needed. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "helper_client.h"
#include "helper_proto.h"
#include "nhtest.h"

enum { T_ECHO = 2, T_FDS = 3 };

typedef struct { uint32_t a, b; } echo_req;
typedef struct { uint32_t sum; } echo_rep;
typedef struct { uint32_t n; } fds_req;

static const sv_helper_msg msgs[] = {
    SV_HELPER_MSG_PING,
    { T_ECHO, "ECHO", sizeof(echo_req), 0, sizeof(echo_rep), 0 },
    { T_FDS, "FDS", sizeof(fds_req), 2, sizeof(echo_rep), 3 },
};
static const sv_helper_proto proto = { "test", 7, msgs, 3 };

static size_t build(uint8_t *buf, uint32_t magic, uint16_t version, uint16_t type,
                    uint32_t len_field, const void *payload, size_t len)
{
    sv_helper_hdr h = { magic, version, type, 9, len_field };

    memcpy(buf, &h, sizeof(h));
    if (len)
        memcpy(buf + sizeof(h), payload, len);
    return sizeof(h) + len;
}

static void test_decode(void **state)
{
    uint8_t buf[256];
    echo_req req = { 1, 2 };
    sv_helper_view v;
    size_t n;

    n = build(buf, SV_HELPER_MAGIC, 7, T_ECHO, sizeof(req), &req, sizeof(req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), 0);
    assert_int_equal(v.hdr.seq, 9);
    assert_int_equal(v.payload_len, sizeof(req));
    assert_memory_equal(v.payload, &req, sizeof(req));

    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, 15, 0, &v), -EBADMSG);
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, 0, 0, &v), -EBADMSG);
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 1, &v), -ETOOMANYREFS);
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 0, &v), -EPROTO);
    /* len field disagrees with the bytes present, both ways */
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n - 1, 0, &v), -EBADMSG);
    n = build(buf, 0x12345678, 7, T_ECHO, sizeof(req), &req, sizeof(req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -EBADMSG);
    n = build(buf, SV_HELPER_MAGIC, 6, T_ECHO, sizeof(req), &req, sizeof(req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -EPROTONOSUPPORT);
    n = build(buf, SV_HELPER_MAGIC, 7, 99, sizeof(req), &req, sizeof(req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -ENOMSG);
    n = build(buf, SV_HELPER_MAGIC, 7, 0, sizeof(req), &req, sizeof(req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -ENOMSG);
    n = build(buf, SV_HELPER_MAGIC, 7, T_ECHO, 4, &req, 4);
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -EMSGSIZE);
    {
        uint8_t big[12] = { 0 };

        n = build(buf, SV_HELPER_MAGIC, 7, T_ECHO, sizeof(big), big, sizeof(big));
        assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 0, &v), -EMSGSIZE);
    }
    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS, sizeof(fds_req), &req, sizeof(fds_req));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 2, &v), 0);
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REQUEST, buf, n, 3, &v), -ETOOMANYREFS);
}

static void test_decode_reply(void **state)
{
    uint8_t buf[256];
    struct { sv_helper_status st; echo_rep rep; } r = { { 0, 0 }, { 3 } };
    sv_helper_view v;
    size_t n;

    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS | SV_HELPER_REPLY, sizeof(r), &r, sizeof(r));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 3, &v), 0);
    assert_int_equal(v.status, 0);
    assert_int_equal(v.payload_len, sizeof(echo_rep));
    r.st.status = -EPERM;
    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS | SV_HELPER_REPLY, sizeof(r), &r, sizeof(r));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 0, &v), 0);
    assert_int_equal(v.status, -EPERM);
    /* a failed reply carries no fds */
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 1, &v), -EPROTO);
    r.st.status = 1;
    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS | SV_HELPER_REPLY, sizeof(r), &r, sizeof(r));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 0, &v), -EBADMSG);
    r.st.status = -5000;
    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS | SV_HELPER_REPLY, sizeof(r), &r, sizeof(r));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 0, &v), -EBADMSG);
    r.st.status = 0;
    r.st.reserved = 1;
    n = build(buf, SV_HELPER_MAGIC, 7, T_FDS | SV_HELPER_REPLY, sizeof(r), &r, sizeof(r));
    assert_int_equal(sv_helper_decode(&proto, SV_HELPER_DIR_REPLY, buf, n, 0, &v), -EBADMSG);
}

static void test_strings(void **state)
{
    char s[8] = "abc";

    assert_true(sv_helper_str_ok(s, sizeof(s), false));
    s[5] = 'x';  /* garbage after the NUL */
    assert_false(sv_helper_str_ok(s, sizeof(s), false));
    memset(s, 'a', sizeof(s));  /* no NUL */
    assert_false(sv_helper_str_ok(s, sizeof(s), true));
    memset(s, 0, sizeof(s));
    assert_false(sv_helper_str_ok(s, sizeof(s), false));
    assert_true(sv_helper_str_ok(s, sizeof(s), true));
    assert_true(sv_helper_zero(s, sizeof(s)));
    s[7] = 1;
    assert_false(sv_helper_zero(s, sizeof(s)));
}

static bool fd_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

static void pair(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static void raw_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
    assert_true(nh_raw_send(sock, buf, len, fds, nfds));
}

static void test_fd_passing(void **state)
{
    int sv[2], fds[SV_HELPER_MAX_FDS], many[20];
    fds_req req = { 2 };
    sv_helper_hdr hdr;
    uint8_t buf[64], raw[64];
    size_t nfds = 99, n;

    pair(sv);
    for (int i = 0; i < 20; i++)
        many[i] = STDIN_FILENO;
    assert_int_equal(sv_helper_send(sv[0], &proto, T_FDS, 1, &req, sizeof(req), many, 2), 0);
    assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                    sizeof(buf), fds, &nfds, NULL), 0);
    assert_int_equal(nfds, 2);
    assert_true(fd_open(fds[0]) && fd_open(fds[1]));
    assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
    close(fds[0]);
    close(fds[1]);

    /* the sender refuses what the table does not allow */
    assert_int_equal(sv_helper_send(sv[0], &proto, T_FDS, 1, &req, sizeof(req), many, 3), -EINVAL);
    assert_int_equal(sv_helper_send(sv[0], &proto, T_ECHO, 1, &req, sizeof(req), NULL, 0), -EINVAL);
    assert_int_equal(sv_helper_send(sv[0], &proto, 42, 1, &req, sizeof(req), NULL, 0), -EINVAL);

    /* 3 fds on a type allowing 2: refused, and no fd leaks into us */
    n = build(raw, SV_HELPER_MAGIC, 7, T_FDS, sizeof(req), &req, sizeof(req));
    raw_send(sv[0], raw, n, many, 3);
    {
        int before = dup(0);

        close(before);
        assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                        sizeof(buf), fds, &nfds, NULL), -ETOOMANYREFS);
        /* the lowest free fd is still the same one: everything got closed */
        int after = dup(0);

        assert_int_equal(after, before);
        close(after);
    }
    /* 20 fds: the control buffer truncates (MSG_CTRUNC) */
    raw_send(sv[0], raw, n, many, 20);
    assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                    sizeof(buf), fds, &nfds, NULL), -ETOOMANYREFS);
    /* a datagram longer than any payload */
    {
        static uint8_t huge[SV_HELPER_MAX_PAYLOAD + 64];

        n = build(huge, SV_HELPER_MAGIC, 7, T_ECHO, sizeof(huge) - 16, huge + 16, sizeof(huge) - 16);
        raw_send(sv[0], huge, n, NULL, 0);
        assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                        sizeof(buf), fds, &nfds, NULL), -EMSGSIZE);
    }
    /* receive buffer too small for the payload */
    assert_int_equal(sv_helper_send(sv[0], &proto, T_FDS, 1, &req, sizeof(req), NULL, 0), 0);
    assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                    2, fds, &nfds, NULL), -ENOBUFS);
    close(sv[0]);
    assert_int_equal(sv_helper_recv(sv[1], &proto, SV_HELPER_DIR_REQUEST, &hdr, buf,
                                    sizeof(buf), fds, &nfds, NULL), -ECONNRESET);
    close(sv[1]);
}

static int h_echo(void *ctx, const void *reqp, int *fds, size_t nfds,
                  void *repp, int *rep_fds, size_t *rep_nfds)
{
    const echo_req *req = reqp;
    echo_rep *rep = repp;

    if (req->a == 666)
        return -EPERM;
    rep->sum = req->a + req->b;
    return 0;
}

static int h_fds(void *ctx, const void *reqp, int *fds, size_t nfds,
                 void *repp, int *rep_fds, size_t *rep_nfds)
{
    const fds_req *req = reqp;
    echo_rep *rep = repp;

    /* hand back req->n fresh fds; n == 4 exceeds the table (handler bug) */
    for (uint32_t i = 0; i < req->n; i++)
        rep_fds[i] = dup(STDIN_FILENO);
    *rep_nfds = req->n;
    rep->sum = (uint32_t)nfds;
    return 0;
}

static const sv_helper_dispatch table[] = {
    { T_ECHO, h_echo },
    { T_FDS, h_fds },
};

static void test_dispatch_check(void **state)
{
    const sv_helper_dispatch missing[] = { { T_ECHO, h_echo } };
    const sv_helper_dispatch extra[] = { { T_ECHO, h_echo }, { T_FDS, h_fds }, { 9, h_fds } };
    const sv_helper_dispatch twice[] = { { T_ECHO, h_echo }, { T_FDS, h_fds }, { T_FDS, h_fds } };
    const sv_helper_dispatch ping[] = { { T_ECHO, h_echo }, { T_FDS, h_fds }, { 1, h_fds } };

    assert_int_equal(sv_helper_dispatch_check(&proto, table, 2), 0);
    assert_int_equal(sv_helper_dispatch_check(&proto, missing, 1), -EINVAL);
    assert_int_equal(sv_helper_dispatch_check(&proto, extra, 3), -EINVAL);
    assert_int_equal(sv_helper_dispatch_check(&proto, twice, 3), -EINVAL);
    assert_int_equal(sv_helper_dispatch_check(&proto, ping, 3), -EINVAL);
}

static void test_serve(void **state)
{
    int sv[2], rfds[SV_HELPER_MAX_FDS];
    echo_req req = { 40, 2 };
    echo_rep rep;
    sv_helper_ping_req ping = { 77, 0 };
    sv_helper_ping_rep pong;
    fds_req freq = { 3 };
    uint32_t seq = 0;
    uint16_t type;
    size_t n;
    uint8_t raw[64];

    pair(sv);
    /* one request at a time: the reply fits the socket buffer */
    assert_int_equal(sv_helper_send(sv[0], &proto, T_ECHO, 1, &req, sizeof(req), NULL, 0), 0);
    assert_int_equal(sv_helper_serve_one(sv[1], &proto, table, 2, NULL, &type), 0);
    assert_int_equal(type, T_ECHO);
    {
        sv_helper_hdr hdr;
        int status;

        assert_int_equal(sv_helper_recv(sv[0], &proto, SV_HELPER_DIR_REPLY, &hdr, &rep,
                                        sizeof(rep), rfds, &n, &status), 0);
        assert_int_equal(status, 0);
        assert_int_equal(rep.sum, 42);
        assert_int_equal(hdr.seq, 1);
        assert_int_equal(hdr.type, T_ECHO | SV_HELPER_REPLY);
    }

    /* sv_helper_call: a fork plays the helper for the calls below */
    pid_t pid = fork();

    if (pid == 0) {
        close(sv[0]);
        while (sv_helper_serve_one(sv[1], &proto, table, 2, NULL, NULL) == 0)
            ;
        _exit(0);
    }
    assert_int_equal(sv_helper_call(sv[0], &proto, &seq, SV_HELPER_PING, &ping, sizeof(ping),
                                    NULL, 0, &pong, sizeof(pong), rfds, &n), 0);
    assert_int_equal(pong.nonce, 77);
    assert_int_equal(pong.version, 7);
    assert_string_equal(pong.name, "test");
    req.a = 666;
    assert_int_equal(sv_helper_call(sv[0], &proto, &seq, T_ECHO, &req, sizeof(req),
                                    NULL, 0, &rep, sizeof(rep), rfds, &n), -EPERM);
    assert_int_equal(sv_helper_call(sv[0], &proto, &seq, T_FDS, &freq, sizeof(freq),
                                    NULL, 0, &rep, sizeof(rep), rfds, &n), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        close(rfds[i]);
    /* replies left for an earlier requester are skipped, with their fds */
    {
        echo_rep old = { 1 };
        int before = dup(0), spare, after;

        close(before);
        spare = dup(STDIN_FILENO);
        assert_int_equal(sv_helper_send_reply(sv[1], &proto, T_FDS, seq - 1, 0, &old,
                                              sizeof(old), &spare, 1), 0);
        assert_int_equal(sv_helper_send_reply(sv[1], &proto, T_ECHO, 5, -EIO, &old,
                                              sizeof(old), NULL, 0), 0);
        close(spare);
        req.a = 1;
        assert_int_equal(sv_helper_call(sv[0], &proto, &seq, T_ECHO, &req, sizeof(req),
                                        NULL, 0, &rep, sizeof(rep), rfds, &n), 0);
        assert_int_equal(rep.sum, 3);
        after = dup(0);
        assert_int_equal(after, before);
        close(after);
    }
    freq.n = 4; /* handler bug: answered -EIO, not a protocol violation */
    assert_int_equal(sv_helper_call(sv[0], &proto, &seq, T_FDS, &freq, sizeof(freq),
                                    NULL, 0, &rep, sizeof(rep), rfds, &n), -EIO);
    /* a protocol violation ends the serving loop */
    n = build(raw, SV_HELPER_MAGIC, 7, 55, 0, NULL, 0);
    raw_send(sv[0], raw, n, NULL, 0);
    {
        int status;

        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
    }
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_decode_reply),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_fd_passing),
        cmocka_unit_test(test_dispatch_check),
        cmocka_unit_test(test_serve),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
