/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The net helper against real kernel devices, inside the network namespace
 * netns-run.sh made: working tap and macvtap fds, link changes, counter
 * names over 10,000 create/delete cycles, two racing creators, and a
 * restarted helper that keeps its counters and its ownership table.
 *     netns-run.sh test_nethelper PATH/TO/sepvirt-nethelper
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netdev_name.h"
#include "nhtest.h"
#include "sv_util.h"

/* 10,000 by default; the sanitizer run of the suite lowers it through
 * SV_NETHELPER_CYCLES, since each cycle costs ~17 ms in the kernel alone. */
static int cycles_wanted(void)
{
    const char *env = getenv("SV_NETHELPER_CYCLES");
    int n = env ? atoi(env) : 0;

    return n > 0 ? n : 10000;
}
#define RACE_PER_THREAD 150

static char *conf;

static long long name_id(const char *name)
{
    sv_netdev_prefix p;
    long long id;

    return sv_netdev_name_parse(name, &p, &id) ? id : -1;
}

static void setup_namespace(void)
{
    if (nh_sh("ip link add br0 type bridge forward_delay 0 && ip link set br0 up && "
              "ip link add brx type bridge && "
              "ip link add vp0 type veth peer name vp1 && ip link set vp0 up && "
              "ip link set vp1 up") != 0) {
        printf("Bail out! cannot set up the namespace\n");
        exit(1);
    }
    conf = nh_path("nethelper.conf");
    nh_write_file(conf, "bridge = br0\nmacvtap_parent = vp0\n", 0644);
}

static void test_tap(nh_helper *h)
{
    sv_net_tap_opts o = { .bridge = "br0" };
    uint8_t mac[6] = { 0xfe, 0x54, 0, 0x12, 0x34, 0x56 };
    char name[IFNAMSIZ] = "";
    int fds[SV_NET_MAX_QUEUES];
    size_t n = 0;
    bool all = true;
    int r;

    r = sv_net_tap_create(h->client, &o, name, fds, &n);
    nh_ok(r == 0 && n == 1, "tap on br0: %s, %zu fd", name, n);
    nh_ok(nh_link_has(name, "master br0") && nh_link_has(name, ",UP"), "%s is up in br0", name);
    nh_ok(nh_link_has(name, "tun type tap"), "%s is a tap device", name);
    nh_ok(nh_frame_seen(fds[0], "br0"), "a frame written to the tap fd is seen on br0");
    nh_close_fds(fds, n);
    nh_ok(!nh_link_exists(name), "closing the fd removes %s (not persistent)", name);

    o = (sv_net_tap_opts){ .flags = SV_NET_TAP_MULTIQUEUE, .queues = 4, .bridge = "br0" };
    r = sv_net_tap_create(h->client, &o, name, fds, &n);
    nh_ok(r == 0 && n == 4, "multiqueue tap %s: %zu fds", name, n);
    for (size_t i = 0; i < n; i++)
        all = all && nh_frame_seen(fds[i], "br0");
    nh_ok(all, "frames from each of the 4 queues are seen on br0");
    nh_ok(nh_link_has(name, "multi_queue"), "%s is multi_queue", name);
    nh_close_fds(fds, n);

    o = (sv_net_tap_opts){ .flags = SV_NET_TAP_VNET_HDR, .mtu = 1400, .mac = mac };
    nh_ok(sv_net_tap_create(h->client, &o, name, fds, &n) == 0, "tap with vnet_hdr, mtu, mac");
    nh_ok(nh_link_has(name, "mtu 1400") && nh_link_has(name, "fe:54:00:12:34:56") &&
          nh_link_has(name, "vnet_hdr"), "%s has mtu 1400, the MAC and vnet_hdr", name);
    nh_ok(!nh_link_has(name, "master"), "%s is not attached to a bridge", name);
    nh_ok(sv_net_bridge_attach(h->client, name, "br0") == 0 && nh_link_has(name, "master br0"),
          "LINK_SET with BRIDGE puts %s into br0", name);
    mac[5] = 0x57;
    nh_ok(sv_net_link_set(h->client, name, SV_NET_SET_DOWN | SV_NET_SET_MTU | SV_NET_SET_MAC,
                          1280, mac) == 0 &&
          nh_link_has(name, "mtu 1280") && nh_link_has(name, "fe:54:00:12:34:57") &&
          !nh_link_has(name, ",UP"), "LINK_SET: down, mtu 1280, new MAC");
    nh_ok(sv_net_link_set(h->client, name, SV_NET_SET_UP, 0, NULL) == 0 &&
          nh_link_has(name, ",UP"), "LINK_SET: up");
    nh_ok(sv_net_link_delete(h->client, name) == 0 && !nh_link_exists(name),
          "LINK_SET with DELETE removes %s while its fd is open", name);
    nh_close_fds(fds, n);
}

static void test_macvtap(nh_helper *h)
{
    sv_net_macvtap_opts o = { .parent = "vp0", .mode = SV_NET_MACV_BRIDGE };
    char name[IFNAMSIZ] = "";
    int fds[SV_NET_MAX_QUEUES];
    size_t n = 0;

    nh_ok(sv_net_macvtap_create(h->client, &o, name, fds, &n) == 0 && n == 1,
          "macvtap on vp0: %s", name);
    nh_ok(strncmp(name, "macvtap", 7) == 0 && nh_link_has(name, "macvtap mode bridge") &&
          nh_link_has(name, "@vp0"), "%s is a bridge-mode macvtap on vp0", name);
    nh_ok(nh_frame_seen(fds[0], "vp1"), "a frame written to the macvtap fd leaves through vp0");
    nh_ok(sv_net_link_delete(h->client, name) == 0 && !nh_link_exists(name),
          "LINK_SET with DELETE removes %s", name);
    nh_close_fds(fds, n);

    o = (sv_net_macvtap_opts){ .parent = "vp0", .mode = SV_NET_MACV_VEPA, .queues = 2,
                               .flags = SV_NET_MACV_VNET_HDR };
    nh_ok(sv_net_macvtap_create(h->client, &o, name, fds, &n) == 0 && n == 2 &&
          nh_link_has(name, "mode vepa"), "two-queue vepa macvtap %s", name);
    nh_close_fds(fds, n);
    nh_ok(sv_net_link_delete(h->client, name) == 0, "and its deletion");

    o = (sv_net_macvtap_opts){ .parent = "vp0", .mode = SV_NET_MACV_PRIVATE,
                               .flags = SV_NET_MACV_NOTAP };
    nh_ok(sv_net_macvtap_create(h->client, &o, name, fds, &n) == 0 && n == 0 &&
          strncmp(name, "macvlan", 7) == 0 && nh_link_has(name, "macvlan mode private"),
          "NOTAP makes a macvlan (%s) and no fd", name);
    nh_ok(sv_net_link_delete(h->client, name) == 0 && !nh_link_exists(name), "deleted");
}

/* Where no devtmpfs (or udev) made /dev/tapN, the helper makes a node of
 * its own for the moment of the open.  Simulated with a private /dev. */
static void test_macvtap_without_devtmpfs(void)
{
    _cleanup_free_ char *pconf = NULL, *state = NULL;
    char dir[] = "/tmp/sv-nh-privdev-XXXXXX";
    sv_net_macvtap_opts o = { .parent = "vp0", .mode = SV_NET_MACV_BRIDGE };
    char name[IFNAMSIZ] = "";
    int fd = -1;
    size_t n = 0;
    nh_helper h;

    /* The work dir may be /dev/shm, which the private /dev hides. */
    if (!mkdtemp(dir)) {
        nh_ok(false, "mkdtemp");
        return;
    }
    pconf = sv_asprintf("%s/nethelper.conf", dir);
    state = sv_asprintf("%s/state", dir);
    nh_write_file(pconf, "macvtap_parent = vp0\n", 0644);
    if (nh_start_private_dev(&h, pconf, state, dir) < 0) {
        nh_sh("rm -rf '%s'", dir);
        nh_ok(false, "start a helper with a private /dev");
        return;
    }
    nh_ok(sv_net_macvtap_create(h.client, &o, name, &fd, &n) == 0 && n == 1,
          "macvtap %s with no /dev/tapN node: fd from a node of the helper's own", name);
    nh_ok(n == 1 && nh_frame_seen(fd, "vp1"), "and that fd works");
    nh_ok(nh_sh("ls /dev/.sepvirt-tap* >/dev/null 2>&1") != 0, "no node left behind in /dev");
    if (n == 1)
        close(fd);
    sv_net_link_delete(h.client, name);
    nh_stop(&h);
    nh_sh("rm -rf '%s'", dir);
}

static void test_list(nh_helper *h)
{
    sv_net_tap_opts o = { 0 };
    char a[IFNAMSIZ], b[IFNAMSIZ];
    int fa, fb;
    size_t n, count;
    sv_net_owned *list = NULL;
    bool has_a = false, has_b = false;

    sv_net_tap_create(h->client, &o, a, &fa, &n);
    sv_net_tap_create(h->client, &o, b, &fb, &n);
    nh_ok(sv_net_list_owned(h->client, &list, &count) == 0, "LIST_OWNED");
    for (size_t i = 0; i < count; i++) {
        has_a |= strcmp(list[i].name, a) == 0 && list[i].kind == SV_NET_KIND_TAP;
        has_b |= strcmp(list[i].name, b) == 0;
    }
    free(list);
    nh_ok(has_a && has_b && count == 2, "lists exactly the two open taps (%zu)", count);
    close(fa);
    sv_net_list_owned(h->client, &list, &count);
    nh_ok(count == 1 && strcmp(list[0].name, b) == 0,
          "a tap whose fd was closed drops out of the table");
    free(list);
    close(fb);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_cycles(nh_helper *h)
{
    sv_net_tap_opts o = { 0 };
    struct timespec t0;
    long long prev = -1, first = -1;
    int failures = 0, reused = 0;
    double secs;
    const int CYCLES = cycles_wanted();

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < CYCLES; i++) {
        char name[IFNAMSIZ] = "";
        int fd;
        size_t n;
        long long id;

        if (sv_net_tap_create(h->client, &o, name, &fd, &n) < 0) {
            failures++;
            continue;
        }
        id = name_id(name);
        if (first < 0)
            first = id;
        /* Strictly increasing: no name handed out twice, never the lowest
         * free one (which would be the one just deleted). */
        if (id <= prev)
            reused++;
        prev = id;
        if (sv_net_link_delete(h->client, name) < 0)
            failures++;
        close(fd);
    }
    secs = seconds_since(&t0);
    nh_ok(failures == 0 && reused == 0 && prev - first == CYCLES - 1,
          "%d create/delete cycles: vnet%lld..vnet%lld, no name reused", CYCLES, first, prev);
    nh_diag("%d cycles in %.2f s (%.0f µs per create+delete)", CYCLES, secs,
            secs * 1e6 / CYCLES);
    nh_ok(secs < 400, "cycles finish in reasonable time");
}

typedef struct racer {
    nh_helper *h;
    char names[RACE_PER_THREAD][IFNAMSIZ];
    int fds[RACE_PER_THREAD];
    int failures;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    sv_net_tap_opts o = { 0 };

    for (int i = 0; i < RACE_PER_THREAD; i++) {
        size_t n;

        if (sv_net_tap_create(r->h->client, &o, r->names[i], &r->fds[i], &n) < 0) {
            r->fds[i] = -1;
            r->names[i][0] = '\0';
            r->failures++;
        }
    }
    return NULL;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Two helpers with separate state (so separate counters that start at the
 * same number) create taps in the same namespace at the same time. */
static void test_race(void)
{
    nh_helper a, b;
    racer ra = { .h = &a }, rb = { .h = &b };
    pthread_t ta, tb;
    char (*all)[IFNAMSIZ] = sv_calloc(2 * RACE_PER_THREAD, IFNAMSIZ);
    int dups = 0;
    _cleanup_free_ char *sa = nh_path("race-a.state"), *sb = nh_path("race-b.state");

    if (nh_start(&a, conf, sa) < 0 || nh_start(&b, conf, sb) < 0) {
        nh_ok(false, "start two helpers");
        free(all);
        return;
    }
    pthread_create(&ta, NULL, race, &ra);
    pthread_create(&tb, NULL, race, &rb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    memcpy(all, ra.names, sizeof(ra.names));
    memcpy(all + RACE_PER_THREAD, rb.names, sizeof(rb.names));
    qsort(all, 2 * RACE_PER_THREAD, IFNAMSIZ, cmp_names);
    for (int i = 1; i < 2 * RACE_PER_THREAD; i++)
        dups += all[i][0] && strcmp(all[i], all[i - 1]) == 0;
    nh_ok(ra.failures == 0 && rb.failures == 0,
          "two racing creators: %d + %d taps, no failure", RACE_PER_THREAD, RACE_PER_THREAD);
    nh_ok(dups == 0, "all %d names distinct", 2 * RACE_PER_THREAD);
    nh_close_fds(ra.fds, RACE_PER_THREAD);
    nh_close_fds(rb.fds, RACE_PER_THREAD);
    nh_stop(&a);
    nh_stop(&b);
    free(all);
}

static void test_restart(void)
{
    _cleanup_free_ char *state = nh_path("restart.state");
    sv_net_tap_opts o = { 0 };
    sv_net_macvtap_opts mo = { .parent = "vp0", .mode = SV_NET_MACV_BRIDGE };
    char t[3][IFNAMSIZ], m[IFNAMSIZ], next[IFNAMSIZ];
    int tfd[3], mfd, fd;
    size_t n, count = 0;
    sv_net_owned *list = NULL;
    nh_helper h;

    if (nh_start(&h, conf, state) < 0) {
        nh_ok(false, "start helper");
        return;
    }
    for (int i = 0; i < 3; i++)
        sv_net_tap_create(h.client, &o, t[i], &tfd[i], &n);
    sv_net_macvtap_create(h.client, &mo, m, &mfd, &n);
    nh_kill(&h);
    nh_ok(nh_link_exists(t[2]) && nh_link_exists(m),
          "devices survive a SIGKILLed helper (%s, %s)", t[2], m);

    if (nh_start(&h, conf, state) < 0) {
        nh_ok(false, "restart helper");
        return;
    }
    nh_ok(sv_net_list_owned(h.client, &list, &count) == 0 && count == 4,
          "restarted helper reloads its ownership table (%zu entries)", count);
    free(list);
    nh_ok(sv_net_tap_create(h.client, &o, next, &fd, &n) == 0 &&
          name_id(next) == name_id(t[2]) + 1, "and continues the counter: %s after %s",
          next, t[2]);
    nh_ok(sv_net_link_delete(h.client, m) == 0 && !nh_link_exists(m),
          "and may delete what the previous instance created (%s)", m);
    /* vnetN is freed; after another restart it must not come back. */
    nh_ok(sv_net_link_delete(h.client, next) == 0, "delete the newest tap %s", next);
    close(fd);
    nh_stop(&h);
    if (nh_start(&h, conf, state) < 0) {
        nh_ok(false, "restart helper");
        return;
    }
    {
        char again[IFNAMSIZ];

        nh_ok(sv_net_tap_create(h.client, &o, again, &fd, &n) == 0 &&
              name_id(again) == name_id(next) + 1,
              "a just-freed name is not reused across a restart (%s after %s)", again, next);
        close(fd);
    }
    nh_stop(&h);

    /* Without any state file: the counter starts past the devices in use. */
    unlink(state);
    if (nh_start(&h, conf, state) < 0) {
        nh_ok(false, "start helper without state");
        return;
    }
    nh_ok(sv_net_tap_create(h.client, &o, next, &fd, &n) == 0 &&
          name_id(next) == name_id(t[2]) + 1,
          "with no state file the counter starts after the devices in use (%s)", next);
    nh_ok(sv_net_link_delete(h.client, t[0]) == -EPERM && nh_link_exists(t[0]),
          "and devices it has no record of are not its to delete");
    close(fd);
    nh_stop(&h);
    nh_close_fds(tfd, 3);
    close(mfd);
}

static void run_with_helper(void (*fn)(nh_helper *h))
{
    _cleanup_free_ char *state = nh_path("main.state");
    nh_helper h;

    if (nh_start(&h, conf, state) < 0) {
        printf("Bail out! helper does not start\n");
        exit(1);
    }
    nh_ok(true, "helper started and answered PING with the net protocol version");
    fn(&h);
    nh_ok(nh_stop(&h) == 0, "helper exits 0 when frontd closes the connection");
}

static void test_devices(nh_helper *h)
{
    test_tap(h);
    test_macvtap(h);
    test_list(h);
    test_macvtap_without_devtmpfs();
}

/* Three groups, so the slow one (cycles: the kernel takes ~15 ms to
 * unregister a device here) runs in parallel with the others. */
int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s SEPVIRT-NETHELPER devices|cycles|restart\n", argv[0]);
        return 2;
    }
    nh_set_binary(argv[1]);
    setup_namespace();
    if (strcmp(argv[2], "devices") == 0)
        run_with_helper(test_devices);
    else if (strcmp(argv[2], "cycles") == 0)
        run_with_helper(test_cycles);
    else if (strcmp(argv[2], "restart") == 0) {
        test_race();
        test_restart();
    } else {
        return 2;
    }
    return nh_done();
}
