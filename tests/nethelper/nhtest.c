/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nhtest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sv_error.h"
#include "sv_jail.h"
#include "sv_util.h"

#define FRAME_ETHERTYPE 0x88b5 /* IEEE local experimental */

static int ntests, nfailed;
static char workdir[64];
static const char *binary;

void nh_ok(bool ok, const char *fmt, ...)
{
    va_list ap;

    printf("%sok %d - ", ok ? "" : "not ", ++ntests);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!ok)
        nfailed++;
}

void nh_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

int nh_done(void)
{
    printf("1..%d\n", ntests);
    return nfailed ? 1 : 0;
}

int nh_sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    fflush(stdout);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *capture(const char *cmd)
{
    size_t cap = 4096, len = 0, n;
    char *out = sv_malloc0(cap);
    FILE *f;

    fflush(stdout);
    f = popen(cmd, "r");
    if (!f)
        return out;
    while ((n = fread(out + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            out = sv_realloc(out, cap);
        }
    }
    out[len] = '\0';
    pclose(f);
    return out;
}

char *nh_links(void)
{
    return capture("ip -o link show 2>&1 | sed 's/^[0-9]*: //'");
}

bool nh_link_has(const char *name, const char *needle)
{
    char cmd[128];
    _cleanup_free_ char *out = NULL;

    snprintf(cmd, sizeof(cmd), "ip -o -d link show dev '%s' 2>/dev/null", name);
    out = capture(cmd);
    return out[0] && strstr(out, needle);
}

bool nh_link_exists(const char *name)
{
    return if_nametoindex(name) != 0;
}

static void remove_workdir(void)
{
    if (workdir[0])
        nh_sh("rm -rf '%s'", workdir);
}

const char *nh_workdir(void)
{
    if (!workdir[0]) {
        /* tmpfs where possible: the helper fsyncs its state file on every
         * change, as it would in /run. */
        strcpy(workdir, access("/dev/shm", W_OK) == 0 ? "/dev/shm/sv-nh-XXXXXX"
                                                      : "/tmp/sv-nh-XXXXXX");
        if (!mkdtemp(workdir))
            abort();
        atexit(remove_workdir);
    }
    return workdir;
}

char *nh_path(const char *base)
{
    return sv_asprintf("%s/%s", nh_workdir(), base);
}

void nh_write_file(const char *path, const char *text, int mode)
{
    FILE *f = fopen(path, "w");

    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    if (chmod(path, (mode_t)mode) < 0)
        abort();
}

void nh_set_binary(const char *path)
{
    binary = realpath(path, NULL);   /* the jail wants an absolute path */
    if (!binary)
        abort();
}

/* Start the helper confined exactly as sepvirtd starts it (helpers/launcher.c:
 * CAP_NET_ADMIN and CAP_MKNOD only, its seccomp profile loaded before exec,
 * only its socket at fd 3); with private_dir also in a mount namespace whose
 * /dev is a writable tmpfs with only null and net/tun, where every other
 * mount is read-only but private_dir. */
static int start(nh_helper *h, const char *conf, const char *state, const char *private_dir)
{
    static const int caps[] = { CAP_NET_ADMIN, CAP_MKNOD };
    static const char *const devices[] = { "null", "net/tun", NULL };
    const char *rw[] = { "/dev", private_dir, NULL };
    char *argv[] = { (char *)binary, "--fd", "3", "--config", (char *)conf, "--state",
                     (char *)state, NULL };
    int sv[2], null_fd = open("/dev/null", O_RDWR | O_CLOEXEC), pidfd, r;
    sv_jail_fd fds[4];

    memset(h, 0, sizeof(*h));
    h->raw = -1;
    if (null_fd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    fds[0] = (sv_jail_fd){ null_fd, 0 };
    fds[1] = (sv_jail_fd){ 1, 1 };
    fds[2] = (sv_jail_fd){ 2, 2 };
    fds[3] = (sv_jail_fd){ sv[1], 3 };
    fflush(stdout);
    r = sv_jail_spawn(&(sv_jail){
            .path = binary, .argv = argv, .envp = (char *const *)sv_sanitizer_env,
            .fds = fds, .n_fds = 4, .uid = SV_CAPS_KEEP_IDS, .gid = SV_CAPS_KEEP_IDS,
            .caps = caps, .n_caps = 2, .seccomp = &sv_profile_nethelper, .nofile = 256,
            .cgroup_fd = -1, .devices = private_dir ? devices : NULL, .rw_paths = rw,
            .flags = private_dir ? SV_JAIL_NEWNS | SV_JAIL_RO_ROOT : 0,
        }, &h->pid, &pidfd);
    close(null_fd);
    close(sv[1]);
    if (r < 0) {
        nh_diag("start %s: %s", binary, strerror(-r));
        close(sv[0]);
        return -1;
    }
    close(pidfd);
    h->raw = sv[0];
    h->conf = sv_strdup(conf);
    h->state = sv_strdup(state);
    h->client = sv_net_client_new(fcntl(sv[0], F_DUPFD_CLOEXEC, 3));
    if (!h->client) {
        nh_diag("client: %s", sv_error_message());
        return -1;
    }
    return 0;
}

int nh_start(nh_helper *h, const char *conf, const char *state)
{
    return start(h, conf, state, NULL);
}

int nh_start_private_dev(nh_helper *h, const char *conf, const char *state, const char *dir)
{
    return start(h, conf, state, dir);
}

static int status_code(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int nh_wait_exit(nh_helper *h, int ms)
{
    for (int waited = 0; h->pid > 0; waited += 10) {
        int st;
        pid_t r = waitpid(h->pid, &st, WNOHANG);

        if (r == h->pid) {
            h->pid = 0;
            return status_code(st);
        }
        if (waited >= ms)
            return -1;
        usleep(10000);
    }
    return -1;
}

static void release(nh_helper *h)
{
    sv_net_client_free(h->client);
    h->client = NULL;
    if (h->raw >= 0)
        close(h->raw);
    h->raw = -1;
    free(h->conf);
    free(h->state);
    h->conf = h->state = NULL;
}

int nh_stop(nh_helper *h)
{
    int st = 0;

    release(h);
    if (h->pid > 0 && waitpid(h->pid, &st, 0) == h->pid)
        st = status_code(st);
    h->pid = 0;
    return st;
}

void nh_kill(nh_helper *h)
{
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        waitpid(h->pid, NULL, 0);
    }
    h->pid = 0;
    release(h);
}

void nh_close_fds(int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

bool nh_raw_send(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
    char cbuf[CMSG_SPACE(sizeof(int) * 32)];
    struct iovec iov = { (void *)buf, len };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

    if (nfds > 32)
        return false;
    if (nfds) {
        struct cmsghdr *c;

        mh.msg_control = cbuf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    return sendmsg(sock, &mh, 0) == (ssize_t)len;
}

bool nh_frame_seen(int fd, const char *capture_if)
{
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
    uint8_t frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
                          FRAME_ETHERTYPE >> 8, FRAME_ETHERTYPE & 0xff, 's', 'v' };
    struct timespec start, now;
    bool seen = false;
    int ps;

    if (getrandom(frame + 16, 16, 0) != 16)
        return false;
    sll.sll_ifindex = (int)if_nametoindex(capture_if);
    ps = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (ps < 0 || bind(ps, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        nh_diag("AF_PACKET on %s: %s", capture_if, strerror(errno));
        if (ps >= 0)
            close(ps);
        return false;
    }
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* A bridge port may still be coming up: resend until seen or 3 s. */
    for (int tries = 0; !seen; tries++) {
        struct pollfd p = { .fd = ps, .events = POLLIN };

        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 3)
            break;
        if (tries % 10 == 0 && write(fd, frame, sizeof(frame)) != (ssize_t)sizeof(frame)) {
            nh_diag("write to tap fd: %s", strerror(errno));
            break;
        }
        while (!seen && poll(&p, 1, 50) > 0) {
            uint8_t buf[2048];
            ssize_t n = recv(ps, buf, sizeof(buf), 0);

            seen = n >= (ssize_t)sizeof(frame) && memcmp(buf, frame, sizeof(frame)) == 0;
        }
    }
    close(ps);
    return seen;
}
