/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event / net-event: wait for domain or network events and print them as
 * virsh does.  The wait is an application-driven loop: poll() on the
 * library's event descriptor (and a self-pipe for ^C), then dispatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sepvirsh.h"
#include "sepvirsh_format.h"
#include "sv_util.h"

typedef enum { WAIT_DONE, WAIT_TIMEOUT, WAIT_INTERRUPT, WAIT_ERROR } wait_result;

typedef struct event_data {
    sh_ctl *ctl;
    const char *name;     /* event type name, for generic events */
    bool loop;
    bool timestamp;
    int *count;
    bool *done;
} event_data;

static int sigpipe[2] = { -1, -1 };

static void on_sigint(int sig)
{
    char c = (char)sig;
    int saved = errno;

    if (write(sigpipe[1], &c, 1) < 0)
        errno = saved;   /* nothing useful to do in a handler */
    errno = saved;
}

/* virTimeStringNowRaw: UTC with milliseconds. */
static void timestamp_now(char buf[64])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(buf, 64, "%04d-%02d-%02d %02d:%02d:%02d.%03d+0000", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(ts.tv_nsec / 1000000));
}

static void event_printf(event_data *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void event_printf(event_data *d, const char *fmt, ...)
{
    va_list ap;

    /* Without --loop only the first event counts. */
    if (!d->loop && *d->count)
        return;
    if (d->timestamp) {
        char ts[64];

        timestamp_now(ts);
        sh_print(d->ctl, "%s: ", ts);
    }
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fflush(stdout);
    (*d->count)++;
    if (!d->loop)
        *d->done = true;
}

static void on_lifecycle(sepvirt_conn *conn, sepvirt_domain *dom, int event, int detail,
                         void *opaque)
{
    (void)conn;
    event_printf(opaque, "event 'lifecycle' for domain '%s': %s %s\n",
                 sepvirt_domain_get_name(dom), sh_domain_event_str(event),
                 sh_domain_event_detail_str(event, detail));
}

static void on_generic(sepvirt_conn *conn, sepvirt_domain *dom, void *opaque)
{
    event_data *d = opaque;

    (void)conn;
    event_printf(d, "event '%s' for domain '%s'\n", d->name, sepvirt_domain_get_name(dom));
}

static void on_net_lifecycle(sepvirt_conn *conn, sepvirt_network *net, int event, int detail,
                             void *opaque)
{
    (void)conn;
    (void)detail;
    event_printf(opaque, "event 'lifecycle' for network %s: %s\n",
                 sepvirt_network_get_name(net), sh_network_event_str(event));
}

static bool disconnected;

static void on_close(sepvirt_conn *conn, int reason, void *opaque)
{
    static const char *const why[] = { "I/O error", "end of file", "keepalive timeout", "client" };
    sh_ctl *ctl = opaque;
    char *uri = sepvirt_conn_get_uri(conn);

    disconnected = true;
    if (reason != SEPVIRT_CONN_CLOSE_REASON_CLIENT)
        sh_error(ctl, "Disconnected from %s due to %s", uri ? uri : "(null)",
                 reason >= 0 && reason < 4 ? why[reason] : "unknown");
    free(uri);
}

/* Dispatch events until done, timeout (ms, 0 = none) or ^C. */
static wait_result wait_events(sh_ctl *ctl, int timeout_ms, const bool *done)
{
    struct sigaction sa = { .sa_handler = on_sigint }, old;
    struct timespec start;
    wait_result res = WAIT_ERROR;

    if (pipe2(sigpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        sh_error(ctl, "cannot create pipe: %s", strerror(errno));
        return WAIT_ERROR;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    disconnected = false;
    sepvirt_conn_register_close_callback(ctl->conn, on_close, ctl, NULL);
    clock_gettime(CLOCK_MONOTONIC, &start);

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = sepvirt_event_fd(ctl->conn), .events = POLLIN },
            { .fd = sigpipe[0], .events = POLLIN },
        };
        int wait = -1, r;

        if (timeout_ms > 0) {
            struct timespec now;
            long long elapsed;

            clock_gettime(CLOCK_MONOTONIC, &now);
            elapsed = (now.tv_sec - start.tv_sec) * 1000LL +
                      (now.tv_nsec - start.tv_nsec) / 1000000;
            if (elapsed >= timeout_ms) {
                res = WAIT_TIMEOUT;
                break;
            }
            wait = (int)(timeout_ms - elapsed);
        }
        r = poll(fds, 2, wait);
        if (r < 0 && errno != EINTR) {
            sh_error(ctl, "poll failed: %s", strerror(errno));
            break;
        }
        if (r > 0 && fds[1].revents) {
            res = WAIT_INTERRUPT;
            break;
        }
        if (r > 0 && fds[0].revents)
            sepvirt_event_dispatch(ctl->conn);
        /* virsh ends the wait when the connection goes away. */
        if (*done || disconnected) {
            res = WAIT_DONE;
            break;
        }
    }

    sepvirt_conn_unregister_close_callback(ctl->conn, on_close);
    sigaction(SIGINT, &old, NULL);
    close(sigpipe[0]);
    close(sigpipe[1]);
    sigpipe[0] = sigpipe[1] = -1;
    return res;
}

static bool finish_wait(sh_ctl *ctl, wait_result res, int count)
{
    switch (res) {
    case WAIT_INTERRUPT:
        sh_print(ctl, "%s", "event loop interrupted\n");
        break;
    case WAIT_TIMEOUT:
        sh_print(ctl, "%s", "event loop timed out\n");
        break;
    case WAIT_DONE:
        break;
    case WAIT_ERROR:
        return false;
    }
    sh_print(ctl, "events received: %d\n", count);
    return count > 0;
}

/* --timeout N (seconds, > 0) in milliseconds; 0 when absent. */
static int timeout_ms(sh_ctl *ctl, const sh_cmd *cmd, int *ret)
{
    int secs = 0;
    int r = sh_opt_int(ctl, cmd, "timeout", &secs, true);

    if (r < 0)
        return -1;
    if (r > 0 && secs > 2147483647 / 1000) {
        sh_error(ctl, "%s", "timeout is too big");
        return -1;
    }
    *ret = r > 0 ? secs * 1000 : 0;
    return 0;
}

static bool cmd_event(sh_ctl *ctl, const sh_cmd *cmd)
{
    bool all = sh_opt_bool(cmd, "all");
    const char *name = NULL;
    event_data data[32];
    int evids[32], cbids[32], count = 0, timeout = 0;
    size_t ndata = 0;
    bool done = false, ret = false;
    sepvirt_domain *dom = NULL;
    wait_result res;

    if (all && sh_opt_bool(cmd, "event")) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", "all", "event");
        return false;
    }
    if (sh_opt_bool(cmd, "list") && (all || sh_opt_bool(cmd, "event"))) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", "list",
                 all ? "all" : "event");
        return false;
    }
    if (sh_opt_bool(cmd, "list")) {
        for (size_t i = 0; i < sh_domain_event_count; i++)
            sh_print(ctl, "%s\n", sh_domain_event_names[i]);
        return true;
    }
    sh_opt_string(cmd, "event", &name);
    if (!name && !all) {
        sh_error(ctl, "%s", "one of --list, --all, or --event <type> is required");
        return false;
    }
    for (size_t i = 0; i < sh_domain_event_count; i++) {
        if (name && strcmp(name, sh_domain_event_names[i]) != 0)
            continue;
        data[ndata] = (event_data){ .ctl = ctl, .name = sh_domain_event_names[i],
                                    .loop = sh_opt_bool(cmd, "loop"),
                                    .timestamp = sh_opt_bool(cmd, "timestamp"),
                                    .count = &count, .done = &done };
        evids[ndata] = (int)i;
        cbids[ndata++] = -1;
    }
    if (ndata == 0) {
        sh_error(ctl, "unknown event type %s", name);
        return false;
    }
    if (timeout_ms(ctl, cmd, &timeout) < 0)
        return false;
    if (sh_opt_bool(cmd, "domain") &&
        !(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, NULL)))
        return false;

    /* The library delivers lifecycle and reboot events; other types are
     * never sent by sepvirt, so waiting for them just times out. */
    for (size_t i = 0; i < ndata; i++) {
        int r;

        if (evids[i] == SEPVIRT_DOMAIN_EVENT_ID_LIFECYCLE)
            r = sepvirt_domain_event_register(ctl->conn, dom, evids[i],
                                              SEPVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                              &data[i], NULL);
        else if (evids[i] == SEPVIRT_DOMAIN_EVENT_ID_REBOOT)
            r = sepvirt_domain_event_register(ctl->conn, dom, evids[i], on_generic, &data[i],
                                              NULL);
        else
            r = -2;
        if (r == -1 && i == 0)
            goto cleanup;
        if (r == -1)
            sh_reset_error(ctl);
        cbids[i] = r;
    }
    res = wait_events(ctl, timeout, &done);
    ret = finish_wait(ctl, res, count);

 cleanup:
    for (size_t i = 0; i < ndata; i++) {
        if (cbids[i] >= 0 && sepvirt_domain_event_deregister(ctl->conn, cbids[i]) < 0)
            ret = false;
    }
    if (dom)
        sepvirt_domain_free(dom);
    return ret;
}

bool sh_cmd_net_event(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name = NULL;
    sepvirt_network *net = NULL;
    int count = 0, timeout = 0, id;
    bool done = false, ret;
    event_data data;
    wait_result res;

    if (sh_opt_bool(cmd, "list")) {
        sh_print(ctl, "%s\n", "lifecycle");
        return true;
    }
    if (sh_opt_string(cmd, "event", &name) <= 0) {
        sh_error(ctl, "%s", "either --list or --event <type> is required");
        return false;
    }
    if (strcmp(name, "lifecycle") != 0) {
        sh_error(ctl, "unknown event type %s", name);
        return false;
    }
    data = (event_data){ .ctl = ctl, .name = "lifecycle", .loop = sh_opt_bool(cmd, "loop"),
                         .timestamp = sh_opt_bool(cmd, "timestamp"), .count = &count,
                         .done = &done };
    if (timeout_ms(ctl, cmd, &timeout) < 0)
        return false;
    if (sh_opt_bool(cmd, "network") &&
        !(net = sh_lookup_network(ctl, cmd, SH_BYUUID | SH_BYNAME, NULL)))
        return false;
    id = sepvirt_network_event_register(ctl->conn, net, SEPVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                                        SEPVIRT_NETWORK_EVENT_CALLBACK(on_net_lifecycle),
                                        &data, NULL);
    if (net)
        sepvirt_network_free(net);
    if (id < 0)
        return false;
    res = wait_events(ctl, timeout, &done);
    ret = finish_wait(ctl, res, count);
    if (sepvirt_network_event_deregister(ctl->conn, id) < 0)
        ret = false;
    return ret;
}

static const sh_opt_def opts_event[] = {
    { "domain", SH_OT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", SH_OT_STRING, 0, "which event type to wait for" },
    { "all", SH_OT_BOOL, 0, "wait for all events instead of just one type" },
    { "loop", SH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", SH_OT_INT, 0, "timeout seconds" },
    { "list", SH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", SH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL, 0, 0, NULL },
};

const sh_opt_def sh_opts_net_event[] = {
    { "network", SH_OT_STRING, 0, "filter by network name or uuid" },
    { "event", SH_OT_STRING, 0, "which event type to wait for" },
    { "loop", SH_OT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", SH_OT_INT, 0, "timeout seconds" },
    { "list", SH_OT_BOOL, 0, "list valid event types" },
    { "timestamp", SH_OT_BOOL, 0, "show timestamp for each printed event" },
    { NULL, 0, 0, NULL },
};

const sh_cmd_def sh_event_cmds[] = {
    { "event", cmd_event, opts_event, "Domain Events", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
