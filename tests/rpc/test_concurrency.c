/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * 64 concurrent clients x 1,000 calls each against a private
 * sepvirt-frontd, through the ipc/ codec.  Every client keeps up to 4
 * calls in flight (a mix of procedures run inline and on workers), so
 * replies come back out of order and are matched by serial; every reply is
 * decoded and its value checked.  TAP output.
 *
 * usage: test_concurrency SEPVIRT_FRONTD
 */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpc_msg.h"
#include "rpc_reader.h"

#define NCLIENTS 64
#define NCALLS 1000
#define WINDOW 4

static char sock_path[512];
static char hostname[256];
static long ncpus;

typedef struct client_result {
    int errors;
    char first_error[256];
} client_result;

static void fail(client_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(client_result *r, const char *fmt, ...)
{
    va_list ap;

    if (r->errors++ == 0) {
        va_start(ap, fmt);
        vsnprintf(r->first_error, sizeof(r->first_error), fmt, ap);
        va_end(ap);
    }
}

static int send_call(int fd, int proc, uint32_t serial, xdrproc_t filter, void *args)
{
    sv_rpc_header h = { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc, REMOTE_CALL, serial, REMOTE_OK };
    uint8_t *buf;
    size_t len;
    ssize_t n;

    if (sv_rpc_encode(&h, filter, args, SV_RPC_MAX_MESSAGE, &buf, &len) < 0)
        return -1;
    n = send(fd, buf, len, MSG_NOSIGNAL);
    free(buf);
    return n == (ssize_t)len ? 0 : -1;
}

/* Blocking read of one reply; returns 0 and fills hdr/payload (malloc'ed). */
static int recv_reply(int fd, sv_rpc_reader *rd, sv_rpc_header *hdr, uint8_t **msg,
                      const uint8_t **payload, size_t *plen)
{
    size_t len;

    if (sv_rpc_reader_next(rd, fd, msg, &len) != 1)
        return -1;
    if (sv_rpc_decode_packet(*msg, len, hdr, payload, plen, NULL) < 0) {
        free(*msg);
        return -1;
    }
    return 0;
}

static int simple_call(int fd, sv_rpc_reader *rd, int proc, uint32_t serial, xdrproc_t filter, void *args)
{
    sv_rpc_header h;
    uint8_t *msg;
    const uint8_t *p;
    size_t plen;
    int ok;

    if (send_call(fd, proc, serial, filter, args) < 0 || recv_reply(fd, rd, &h, &msg, &p, &plen) < 0)
        return -1;
    ok = h.serial == serial && h.proc == proc && h.status == REMOTE_OK;
    free(msg);
    return ok ? 0 : -1;
}

/* Inline, worker, inline, inline, inline, inline-or-deferred procedures. */
enum { K_HOSTNAME, K_NODEINFO, K_LIBVER, K_FEATURE, K_TYPE, K_VERSION, K_COUNT };
static const int kind_proc[K_COUNT] = {
    REMOTE_PROC_CONNECT_GET_HOSTNAME, REMOTE_PROC_NODE_GET_INFO, REMOTE_PROC_CONNECT_GET_LIB_VERSION,
    REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, REMOTE_PROC_CONNECT_GET_TYPE,
    REMOTE_PROC_CONNECT_GET_VERSION,
};
static uint64_t first_hv_ver = UINT64_MAX;   /* atomic */

static void check_reply(client_result *r, int kind, const uint8_t *p, size_t plen)
{
    switch (kind) {
    case K_HOSTNAME: {
        remote_connect_get_hostname_ret ret;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_connect_get_hostname_ret, &ret, sizeof(ret)) < 0)
            return fail(r, "hostname reply does not decode");
        if (strcmp(ret.hostname, hostname) != 0)
            fail(r, "hostname %s", ret.hostname);
        xdr_free((xdrproc_t)xdr_remote_connect_get_hostname_ret, (char *)&ret);
        return;
    }
    case K_NODEINFO: {
        remote_node_get_info_ret ret;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_node_get_info_ret, &ret, sizeof(ret)) < 0)
            return fail(r, "nodeinfo reply does not decode");
        if (ret.cpus != ncpus)
            fail(r, "nodeinfo cpus %d", ret.cpus);
        return;
    }
    case K_LIBVER: {
        remote_connect_get_lib_version_ret ret;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_connect_get_lib_version_ret, &ret, sizeof(ret)) < 0 ||
            ret.lib_ver != 9000000)
            fail(r, "lib version");
        return;
    }
    case K_FEATURE: {
        remote_connect_supports_feature_ret ret;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_connect_supports_feature_ret, &ret, sizeof(ret)) < 0 ||
            ret.supported != 1)
            fail(r, "feature 10");
        return;
    }
    case K_VERSION: {
        remote_connect_get_version_ret ret;
        uint64_t expect = UINT64_MAX;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_connect_get_version_ret, &ret, sizeof(ret)) < 0)
            return fail(r, "version reply does not decode");
        /* Every reply, deferred or not, gives the same version. */
        if (!__atomic_compare_exchange_n(&first_hv_ver, &expect, ret.hv_ver, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && expect != ret.hv_ver)
            fail(r, "hypervisor version %llu, earlier %llu", (unsigned long long)ret.hv_ver,
                 (unsigned long long)expect);
        return;
    }
    case K_TYPE: {
        remote_connect_get_type_ret ret;
        if (sv_rpc_decode_payload(p, plen, (xdrproc_t)xdr_remote_connect_get_type_ret, &ret, sizeof(ret)) < 0)
            return fail(r, "type reply does not decode");
        if (strcmp(ret.type, "QEMU") != 0)
            fail(r, "type %s", ret.type);
        xdr_free((xdrproc_t)xdr_remote_connect_get_type_ret, (char *)&ret);
        return;
    }
    }
}

static void *client_main(void *opaque)
{
    client_result *r = opaque;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    sv_rpc_reader rd = { 0 };
    char *name = (char *)"qemu:///session";
    remote_connect_open_args open_args = { .name = &name, .flags = 0 };
    remote_connect_supports_feature_args feat = { .feature = 10 };
    int kind_of_serial[NCALLS + 16];
    uint32_t serial = 2;
    int sent = 0, received = 0, inflight = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    strcpy(addr.sun_path, sock_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        fail(r, "connect: %s", strerror(errno));
        goto out;
    }
    if (simple_call(fd, &rd, REMOTE_PROC_AUTH_LIST, 0, NULL, NULL) < 0 ||
        simple_call(fd, &rd, REMOTE_PROC_CONNECT_OPEN, 1,
                    (xdrproc_t)xdr_remote_connect_open_args, &open_args) < 0) {
        fail(r, "auth/open failed");
        goto out;
    }

    while (received < NCALLS) {
        sv_rpc_header h;
        uint8_t *msg;
        const uint8_t *p;
        size_t plen;
        int kind;

        while (sent < NCALLS && inflight < WINDOW) {
            kind = (sent * 7 + (int)serial) % K_COUNT;
            kind_of_serial[serial - 2] = kind;
            if (send_call(fd, kind_proc[kind], serial,
                          kind == K_FEATURE ? (xdrproc_t)xdr_remote_connect_supports_feature_args : NULL,
                          kind == K_FEATURE ? &feat : NULL) < 0) {
                fail(r, "send failed after %d calls", sent);
                goto out;
            }
            serial++;
            sent++;
            inflight++;
        }
        if (recv_reply(fd, &rd, &h, &msg, &p, &plen) < 0) {
            fail(r, "connection lost after %d replies", received);
            goto out;
        }
        if (h.serial < 2 || h.serial >= serial || h.type != REMOTE_REPLY || h.status != REMOTE_OK ||
            h.proc != kind_proc[kind_of_serial[h.serial - 2]]) {
            fail(r, "unexpected reply, serial %u", h.serial);
        } else {
            check_reply(r, kind_of_serial[h.serial - 2], p, plen);
        }
        free(msg);
        received++;
        inflight--;
    }
    if (simple_call(fd, &rd, REMOTE_PROC_CONNECT_CLOSE, serial, NULL, NULL) < 0)
        fail(r, "close failed");
out:
    sv_rpc_reader_clear(&rd);
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char tmpl[] = "/tmp/sv-rpc-conc-XXXXXX";
    char *dir, run[300], conf[300], state[300], xdg[300];
    pthread_t th[NCLIENTS];
    client_result res[NCLIENTS];
    int total_errors = 0, status = 0, n = 0, failed = 0;
    double t0, elapsed;
    pid_t pid;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SEPVIRT_FRONTD\n", argv[0]);
        return 2;
    }
    dir = mkdtemp(tmpl);
    if (!dir)
        return 1;
    snprintf(run, sizeof(run), "%s/run", dir);
    snprintf(conf, sizeof(conf), "%s/config", dir);
    snprintf(state, sizeof(state), "%s/state", dir);
    snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
    snprintf(sock_path, sizeof(sock_path), "%s/sepvirt-sock", run);
    gethostname(hostname, sizeof(hostname));
    ncpus = sysconf(_SC_NPROCESSORS_ONLN);

    pid = fork();
    if (pid == 0) {
        /* Stop the daemon even if this test is killed (timeout). */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        setenv("XDG_RUNTIME_DIR", xdg, 1);
        setenv("SEPVIRT_ROOT", dir, 1);
        execl(argv[1], argv[1], "--session", "--runtime-dir", run, "--config-dir", conf,
              "--state-dir", state, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 2000 && access(sock_path, F_OK) < 0; i++)
        usleep(10000);

    memset(res, 0, sizeof(res));
    t0 = now();
    for (int i = 0; i < NCLIENTS; i++)
        pthread_create(&th[i], NULL, client_main, &res[i]);
    for (int i = 0; i < NCLIENTS; i++)
        pthread_join(th[i], NULL);
    elapsed = now() - t0;

    for (int i = 0; i < NCLIENTS; i++) {
        total_errors += res[i].errors;
        if (res[i].errors && failed++ < 5)
            printf("# client %d: %d errors, first: %s\n", i, res[i].errors, res[i].first_error);
    }
    printf("%s %d - %d clients x %d calls, %d errors (%.2f s, %.0f calls/s)\n",
           total_errors ? "not ok" : "ok", ++n, NCLIENTS, NCALLS, total_errors, elapsed,
           NCLIENTS * NCALLS / elapsed);
    printf("%s %d - finished within 60 s\n", elapsed < 60 ? "ok" : "not ok", ++n);

    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    printf("%s %d - daemon exits 0 on SIGTERM\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "not ok", ++n);
    printf("%s %d - socket removed\n", access(sock_path, F_OK) < 0 ? "ok" : "not ok", ++n);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("1..%d\n", n);
    return total_errors || elapsed >= 60 || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
