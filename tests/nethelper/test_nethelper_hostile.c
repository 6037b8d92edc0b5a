/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hostile front: speaks the helper protocol directly and tries harmful
 * requests.  Each must be refused, leave every link in the namespace as it
 * was, and leave the helper serving; protocol violations must make the
 * helper exit (the test then restarts it, as the launcher would).
 *     netns-run.sh test_nethelper_hostile PATH/TO/sepvirt-nethelper
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nhtest.h"
#include "sv_util.h"

#define MAX_DEVICES 32
#define FLOOD 20000

static char *conf, *state;
static nh_helper h;
static char owned_tap[IFNAMSIZ];
static int owned_fd = -1;

static void setup_namespace(void)
{
    if (nh_sh("ip link add eth0 type veth peer name eth0p && ip link set eth0 up && "
              "ip link add br0 type bridge && ip link set br0 up && "
              "ip link add brx type bridge && "
              "ip link add notbr type veth peer name notbrp && "
              "ip link add vp0 type veth peer name vp1 && ip link set vp0 up && "
              "ip tuntap add vnet900 mode tap") != 0) {
        printf("Bail out! cannot set up the namespace\n");
        exit(1);
    }
    conf = nh_path("nethelper.conf");
    state = nh_path("nethelper.state");
    nh_write_file(conf, "bridge = br0\nbridge = notbr\nmacvtap_parent = vp0\n"
                  "max_devices = 32\n", 0644);
}

static void start(void)
{
    if (nh_start(&h, conf, state) < 0) {
        printf("Bail out! helper does not start\n");
        exit(1);
    }
}

/* A well-framed request (the codec's sender checks bypassed where the
 * payload itself is the attack), its reply status. */
static int request(uint16_t type, const void *payload, size_t len)
{
    static uint32_t seq;
    uint8_t rep[SV_HELPER_MAX_PAYLOAD];
    int fds[SV_HELPER_MAX_FDS], status, r;
    size_t nfds = 0;
    sv_helper_hdr hdr;

    r = sv_helper_send(h.raw, sv_helper_net_proto(), type, ++seq, payload, len, NULL, 0);
    if (r == 0)
        r = sv_helper_recv(h.raw, sv_helper_net_proto(), SV_HELPER_DIR_REPLY, &hdr, rep,
                           sizeof(rep), fds, &nfds, &status);
    if (r < 0)
        return 1000 + r; /* transport failure: never equals an expected -errno */
    nh_close_fds(fds, nfds);
    return status;
}

static bool alive(void)
{
    sv_helper_ping_req p = { 1, 0 };

    return request(SV_HELPER_PING, &p, sizeof(p)) == 0;
}

/* Run one refused request: right error, no link changed, helper serving. */
static void refused(const char *what, int want, uint16_t type, const void *payload, size_t len)
{
    _cleanup_free_ char *before = nh_links(), *after = NULL;
    int got = request(type, payload, len);

    after = nh_links();
    nh_ok(got == want && strcmp(before, after) == 0 && alive(),
          "%s: refused with %s%s", what, strerror(-want),
          got == want ? "" : " (got another answer)");
    if (strcmp(before, after) != 0)
        nh_diag("links changed:\n%s\n---\n%s", before, after);
}

/* LINK_SET with DELETE for name. */
static void name_req(sv_net_link_set_req *r, const char *name)
{
    memset(r, 0, sizeof(*r));
    r->flags = SV_NET_SET_DELETE;
    strncpy(r->name, name, sizeof(r->name) - 1);
}

static void test_ownership(void)
{
    sv_net_link_set_req del;
    sv_net_link_set_req set;
    sv_net_link_set_req att;

    name_req(&del, "eth0");
    refused("delete eth0", -EPERM, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, "lo");
    refused("delete lo", -EPERM, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, "vnet900");
    refused("delete a vnet device someone else made", -EPERM, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, "br0");
    refused("delete the allowed bridge", -EPERM, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, "../../../etc");
    refused("delete a path-like name", -EPERM, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, owned_tap);
    del.name[strlen(owned_tap) + 1] = 'x';
    refused("delete an owned name with bytes after its NUL", -EINVAL, SV_NET_LINK_SET,
            &del, sizeof(del));
    memset(del.name, 'a', sizeof(del.name));
    refused("delete an unterminated name", -EINVAL, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, "");
    refused("delete an empty name", -EINVAL, SV_NET_LINK_SET, &del, sizeof(del));
    name_req(&del, owned_tap);
    del.flags |= SV_NET_SET_UP;
    refused("delete and set up at once", -EINVAL, SV_NET_LINK_SET, &del, sizeof(del));

    memset(&set, 0, sizeof(set));
    strcpy(set.name, "lo");
    set.flags = SV_NET_SET_DOWN;
    refused("set lo down", -EPERM, SV_NET_LINK_SET, &set, sizeof(set));
    strcpy(set.name, "eth0");
    set.flags = SV_NET_SET_MTU;
    set.mtu = 1280;
    refused("set eth0's MTU", -EPERM, SV_NET_LINK_SET, &set, sizeof(set));
    memset(&set, 0, sizeof(set));
    strcpy(set.name, owned_tap);
    set.flags = SV_NET_SET_UP | SV_NET_SET_DOWN;
    refused("set an owned tap up and down at once", -EINVAL, SV_NET_LINK_SET, &set, sizeof(set));
    set.flags = 1u << 7;
    refused("set with an unknown flag", -EINVAL, SV_NET_LINK_SET, &set, sizeof(set));
    set.flags = SV_NET_SET_MAC;
    memcpy(set.mac, "\x01\x00\x5e\x00\x00\x01", 6);
    refused("set a multicast MAC", -EINVAL, SV_NET_LINK_SET, &set, sizeof(set));

    memset(&att, 0, sizeof(att));
    att.flags = SV_NET_SET_BRIDGE;
    strcpy(att.name, "eth0");
    strcpy(att.bridge, "br0");
    refused("attach eth0 to br0", -EPERM, SV_NET_LINK_SET, &att, sizeof(att));
    strcpy(att.name, owned_tap);
    strcpy(att.bridge, "brx");
    refused("attach an owned tap to a bridge not allowed", -EPERM, SV_NET_LINK_SET,
            &att, sizeof(att));
    strcpy(att.bridge, "notbr");
    refused("attach to an allowed name that is not a bridge", -ENODEV, SV_NET_LINK_SET,
            &att, sizeof(att));
    att.flags = SV_NET_SET_BRIDGE | SV_NET_SET_DOWN;
    strcpy(att.bridge, "br0");
    refused("attach to a bridge and set down at once", -EINVAL, SV_NET_LINK_SET, &att,
            sizeof(att));
    att.flags = SV_NET_SET_UP;
    refused("a bridge name without the BRIDGE flag", -EINVAL, SV_NET_LINK_SET, &att,
            sizeof(att));
}

static void test_create(void)
{
    sv_net_create_req tap;
    sv_net_create_req mv;
    sv_helper_list_req list = { 0, 1 };
    sv_helper_ping_req ping = { 1, 2 };

    memset(&tap, 0, sizeof(tap));
    tap.queues = 1;
    strcpy(tap.link, "brx");
    refused("tap on a bridge not allowed", -EPERM, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    strcpy(tap.link, "eth0");
    refused("tap on eth0 as a bridge", -EPERM, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    /* Create requests have no name field; smuggling one into the reserved
     * bytes or behind the bridge's NUL is refused. */
    memset(tap.link, 0, sizeof(tap.link));
    memcpy(tap.link + 1, "eth1", 4);
    refused("tap with a name hidden behind the bridge's NUL", -EINVAL, SV_NET_TAP_CREATE,
            &tap, sizeof(tap));
    memset(tap.link, 0, sizeof(tap.link));
    memcpy(tap.reserved, "e0", 2);
    refused("tap with bytes in reserved", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    memset(tap.reserved, 0, sizeof(tap.reserved));
    tap.queues = 0;
    refused("tap with 0 queues", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    tap.queues = SV_NET_MAX_QUEUES + 1;
    tap.flags = SV_NET_TAP_MULTIQUEUE;
    refused("tap with too many queues", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    tap.queues = 2;
    tap.flags = 0;
    refused("2 queues without MULTIQUEUE", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    tap.queues = 1;
    tap.flags = 1u << 9;
    refused("tap with an unknown flag", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    tap.flags = 0;
    tap.mode = SV_NET_MACV_BRIDGE;
    refused("tap with a macvtap mode", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));
    tap.mode = 0;
    memcpy(tap.mac, "\xff\xff\xff\xff\xff\xff", 6);
    refused("tap with a broadcast MAC", -EINVAL, SV_NET_TAP_CREATE, &tap, sizeof(tap));

    memset(&mv, 0, sizeof(mv));
    mv.mode = SV_NET_MACV_BRIDGE;
    mv.queues = 1;
    strcpy(mv.link, "eth0");
    refused("macvtap on eth0 (not allowed)", -EPERM, SV_NET_MACVTAP_CREATE, &mv, sizeof(mv));
    memset(mv.link, 0, sizeof(mv.link));
    strcpy(mv.link, "lo");
    refused("macvtap on lo", -EPERM, SV_NET_MACVTAP_CREATE, &mv, sizeof(mv));
    strcpy(mv.link, "vp0");
    mv.mode = 0;
    refused("macvtap mode 0", -EINVAL, SV_NET_MACVTAP_CREATE, &mv, sizeof(mv));
    mv.mode = 5;
    refused("macvtap mode 5", -EINVAL, SV_NET_MACVTAP_CREATE, &mv, sizeof(mv));
    mv.mode = SV_NET_MACV_BRIDGE;
    mv.flags = SV_NET_MACV_NOTAP;
    refused("macvlan asking for a queue fd", -EINVAL, SV_NET_MACVTAP_CREATE, &mv, sizeof(mv));
    refused("list with reserved bytes", -EINVAL, SV_NET_LIST_OWNED, &list, sizeof(list));
    refused("ping with reserved bytes", -EINVAL, SV_HELPER_PING, &ping, sizeof(ping));
}

/* The name of a tap we made and let go is taken by someone else's device:
 * still not ours. */
static void test_hijacked_name(void)
{
    sv_net_tap_opts o = { 0 };
    sv_net_link_set_req del;
    char name[IFNAMSIZ] = "";
    int fd;
    size_t n;

    if (sv_net_tap_create(h.client, &o, name, &fd, &n) < 0) {
        nh_ok(false, "create a tap");
        return;
    }
    close(fd);
    nh_sh("ip link add %s type veth peer name %sp", name, name);
    name_req(&del, name);
    refused("delete a foreign device that took a freed owned name", -ENODEV,
            SV_NET_LINK_SET, &del, sizeof(del));
    nh_ok(nh_link_exists(name), "%s is still there", name);
    nh_sh("ip link del %s", name);
}

/* Raw datagrams that break the protocol: the helper must exit (3; 0 for
 * an empty datagram, which reads as end of stream) and change nothing. */
static void violation(const char *what, const void *buf, size_t len, const int *fds,
                      size_t nfds, int want_exit)
{
    _cleanup_free_ char *before = nh_links(), *after = NULL;
    int code;

    if (!nh_raw_send(h.raw, buf, len, fds, nfds)) {
        nh_ok(false, "%s: send", what);
        return;
    }
    code = nh_wait_exit(&h, 3000);
    after = nh_links();
    nh_ok(code == want_exit && strcmp(before, after) == 0,
          "%s: helper exits %d, nothing changed", what, code);
    nh_stop(&h);
    start();
}

static size_t frame(uint8_t *buf, uint32_t magic, uint16_t version, uint16_t type,
                    uint32_t len_field, size_t payload_len)
{
    sv_helper_hdr hdr = { magic, version, type, 1, len_field };

    memcpy(buf, &hdr, sizeof(hdr));
    memset(buf + sizeof(hdr), 0, payload_len);
    return sizeof(hdr) + payload_len;
}

static void test_violations(void)
{
    static uint8_t big[65536];
    uint8_t buf[256];
    const uint32_t M = SV_HELPER_MAGIC, V = SV_HELPER_NET_VERSION;
    const size_t tap = sizeof(sv_net_create_req), del = sizeof(sv_net_link_set_req);
    int fds[20];
    size_t n;

    for (int i = 0; i < 20; i++)
        fds[i] = STDIN_FILENO;
    violation("8-byte datagram", buf, frame(buf, M, V, 2, 0, 0) - 8, NULL, 0, 3);
    violation("header without payload", buf, frame(buf, M, V, SV_NET_TAP_CREATE, 0, 0), NULL, 0, 3);
    n = frame(buf, M, V, SV_NET_TAP_CREATE, (uint32_t)tap - 4, tap - 4);
    violation("short TAP_CREATE", buf, n, NULL, 0, 3);
    n = frame(buf, M, V, SV_NET_TAP_CREATE, (uint32_t)tap + 1, tap + 1);
    violation("long TAP_CREATE", buf, n, NULL, 0, 3);
    n = frame(buf, M, V, SV_NET_TAP_CREATE, (uint32_t)tap, tap + 4);
    violation("length field disagrees with the datagram", buf, n, NULL, 0, 3);
    violation("unknown type 99", buf, frame(buf, M, V, 99, (uint32_t)del, del), NULL, 0, 3);
    violation("type 0", buf, frame(buf, M, V, 0, (uint32_t)del, del), NULL, 0, 3);
    violation("wrong magic", buf, frame(buf, 0x41414141, V, SV_NET_LINK_SET, (uint32_t)del, del),
              NULL, 0, 3);
    violation("wrong version", buf, frame(buf, M, V + 1, SV_NET_LINK_SET, (uint32_t)del, del),
              NULL, 0, 3);
    violation("a reply sent as a request", buf,
              frame(buf, M, V, SV_NET_LINK_SET | SV_HELPER_REPLY, (uint32_t)del, del), NULL, 0, 3);
    n = frame(buf, M, V, SV_NET_LINK_SET, (uint32_t)del, del);
    violation("an fd on a request that takes none", buf, n, fds, 1, 3);
    violation("20 fds (control data truncated)", buf, n, fds, 20, 3);
    n = frame(big, M, V, SV_NET_TAP_CREATE, sizeof(big) - 16, sizeof(big) - 16);
    violation("64 KiB datagram", big, n, NULL, 0, 3);
    violation("empty datagram", buf, 0, NULL, 0, 0);
}

static void *flood_writer(void *arg)
{
    sv_helper_ping_req p = { 0, 0 };
    long bad = 0;

    for (uint32_t i = 1; i <= FLOOD; i++) {
        p.nonce = i;
        if (sv_helper_send(h.raw, sv_helper_net_proto(), SV_HELPER_PING, i, &p, sizeof(p),
                           NULL, 0) < 0)
            bad++;
    }
    return (void *)bad;
}

static void test_flood(void)
{
    pthread_t w;
    void *wbad;
    uint32_t in_order = 0;
    sv_net_tap_opts o = { 0 };
    int fds[MAX_DEVICES + 1];
    int made = 0, last = 0;

    pthread_create(&w, NULL, flood_writer, NULL);
    for (uint32_t i = 1; i <= FLOOD; i++) {
        sv_helper_ping_rep rep;
        sv_helper_hdr hdr;
        int rfds[SV_HELPER_MAX_FDS], status;
        size_t n;

        if (sv_helper_recv(h.raw, sv_helper_net_proto(), SV_HELPER_DIR_REPLY, &hdr, &rep,
                           sizeof(rep), rfds, &n, &status) < 0)
            break;
        in_order += hdr.seq == i && rep.nonce == i && status == 0;
    }
    pthread_join(w, &wbad);
    nh_ok(in_order == FLOOD && wbad == NULL && alive(),
          "a flood of %d pipelined requests: all answered in order, helper serving", FLOOD);

    /* Holding every tap open: the table's limit stops creation. */
    for (int i = 0; i <= MAX_DEVICES; i++) {
        char name[IFNAMSIZ];
        size_t n;

        last = sv_net_tap_create(h.client, &o, name, &fds[made], &n);
        if (last == 0)
            made++;
    }
    nh_ok(made == MAX_DEVICES - 1 && last == -ENOSPC,
          "a flood of creations stops at max_devices (%d made, then %s)", made, strerror(-last));
    nh_close_fds(fds, (size_t)made);
    {
        char name[IFNAMSIZ];
        int fd;
        size_t n;

        nh_ok(sv_net_tap_create(h.client, &o, name, &fd, &n) == 0,
              "after the taps are closed, creation works again");
        close(fd);
    }
}

static void bad_start(const char *what, const char *text, int mode, uid_t uid)
{
    _cleanup_free_ char *c = nh_path("bad.conf");
    _cleanup_free_ char *before = nh_links(), *after = NULL;
    nh_helper b;
    int code = -1;

    nh_write_file(c, text, mode);
    if (chown(c, uid, uid) < 0)
        nh_diag("chown: %m");
    if (nh_start(&b, c, state) < 0)
        code = nh_wait_exit(&b, 3000);
    nh_stop(&b);
    after = nh_links();
    nh_ok(code == 2 && strcmp(before, after) == 0, "config %s: helper refuses to start", what);
}

static void test_config_and_state(void)
{
    _cleanup_free_ char *s = nh_path("tampered.state");
    _cleanup_free_ char *text = NULL;
    nh_helper t;

    bad_start("writable by group", "bridge = br0\n", 0664, 0);
    bad_start("writable by others", "bridge = br0\n", 0606, 0);
    bad_start("owned by uid 1000", "bridge = br0\n", 0644, 1000);
    bad_start("with an unknown key", "bridge = br0\nallow_everything = yes\n", 0644, 0);
    bad_start("with a bare '*' bridge", "bridge = *\n", 0644, 0);

    /* A state file that claims eth0 does not make eth0 ours. */
    text = sv_asprintf("sepvirt-nethelper-state 1\ndev eth0 %u 1\ndev lo 1 1\n",
                       if_nametoindex("eth0"));
    nh_write_file(s, text, 0600);
    if (nh_start(&t, conf, s) == 0) {
        nh_ok(sv_net_link_delete(t.client, "eth0") == -EPERM && nh_link_exists("eth0"),
              "a state file claiming eth0 does not make it deletable");
    } else {
        nh_ok(false, "start with a tampered state file");
    }
    nh_stop(&t);
}

/* Started by hand, without the launcher's confinement, it refuses to run. */
static void test_unconfined(const char *binary)
{
    _cleanup_free_ char *before = nh_links(), *after = NULL;
    int code = nh_sh("%s --fd 3 --config %s --state %s 3<&0 2>/dev/null", binary, conf, state);

    after = nh_links();
    nh_ok(code == 2 && strcmp(before, after) == 0, "an unconfined helper refuses to run (%d)",
          code);
}

static void test_privileges(void)
{
    char path[64], line[256];
    bool seccomp = false, caps = false;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)h.pid);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f)) {
        seccomp |= strcmp(line, "Seccomp:\t2\n") == 0;
        /* CAP_NET_ADMIN (12) and CAP_MKNOD (27) only */
        caps |= strcmp(line, "CapEff:\t0000000008001000\n") == 0;
    }
    if (f)
        fclose(f);
    nh_ok(seccomp, "helper runs under a seccomp filter");
    nh_ok(caps, "helper's effective capabilities are CAP_NET_ADMIN and CAP_MKNOD only");
}

int main(int argc, char **argv)
{
    sv_net_tap_opts o = { 0 };
    size_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SEPVIRT-NETHELPER\n", argv[0]);
        return 2;
    }
    nh_set_binary(argv[1]);
    setup_namespace();
    start();
    if (sv_net_tap_create(h.client, &o, owned_tap, &owned_fd, &n) < 0) {
        printf("Bail out! cannot create the owned tap\n");
        return 1;
    }
    test_privileges();
    test_unconfined(argv[1]);
    test_ownership();
    test_create();
    test_hijacked_name();
    test_violations();
    nh_ok(alive() && nh_link_exists(owned_tap) &&
          sv_net_link_set(h.client, owned_tap, SV_NET_SET_UP, 0, NULL) == 0,
          "after all that, a restarted helper still owns %s", owned_tap);
    test_flood();
    test_config_and_state();
    nh_stop(&h);
    close(owned_fd);
    return nh_done();
}
