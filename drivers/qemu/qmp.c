/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "qmp.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sv_error.h"
#include "sv_util.h"

struct sv_qmp {
    int fd;
    pthread_t reader;
    bool reader_started;
    sv_qmp_event_cb on_event;
    sv_qmp_eof_cb on_eof;
    void *opaque;

    pthread_mutex_t cmd_lock;   /* one command in flight */
    pthread_mutex_t lock;       /* protects the fields below */
    pthread_cond_t cond;
    bool closed;
    unsigned long next_id;
    unsigned long wait_id;      /* id of the command in flight, 0 if none */
    sv_json *reply;             /* its reply once received */

    char *buf;                  /* partial input line(s) */
    size_t len;
};

static int deadline_left(const struct timespec *deadline)
{
    struct timespec now;
    long ms;

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : (int)ms;
}

static void deadline_init(struct timespec *d, int timeout_ms)
{
    clock_gettime(CLOCK_MONOTONIC, d);
    d->tv_sec += timeout_ms / 1000;
    d->tv_nsec += (long)(timeout_ms % 1000) * 1000000;
    if (d->tv_nsec >= 1000000000) {
        d->tv_sec++;
        d->tv_nsec -= 1000000000;
    }
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Pop one complete line from mon->buf, or NULL. */
static char *take_line(sv_qmp *mon)
{
    char *nl = mon->len ? memchr(mon->buf, '\n', mon->len) : NULL;   /* buf may be NULL */
    char *line;
    size_t n;

    if (!nl)
        return NULL;
    n = (size_t)(nl - mon->buf);
    line = sv_strndup(mon->buf, n);
    memmove(mon->buf, nl + 1, mon->len - n - 1);
    mon->len -= n + 1;
    return line;
}

/* Read more input; 1 on data, 0 on EOF/error, -ETIMEDOUT when timeout_ms (>=0) expires. */
static int fill(sv_qmp *mon, int timeout_ms)
{
    ssize_t n;

    if (mon->len >= SV_QMP_MAX_LINE)
        return 0;
    if (timeout_ms >= 0) {
        struct pollfd pfd = {.fd = mon->fd, .events = POLLIN};
        int r;

        do
            r = poll(&pfd, 1, timeout_ms);
        while (r < 0 && errno == EINTR);
        if (r == 0)
            return -ETIMEDOUT;
        if (r < 0)
            return 0;
    }
    if (!mon->buf)
        mon->buf = sv_malloc0(SV_QMP_MAX_LINE + 1);
    do
        n = read(mon->fd, mon->buf + mon->len, SV_QMP_MAX_LINE - mon->len);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return 0;
    mon->len += (size_t)n;
    return 1;
}

/* Read one JSON message synchronously (used before the reader thread runs). */
static sv_json *read_message_sync(sv_qmp *mon, const struct timespec *deadline)
{
    for (;;) {
        _cleanup_free_ char *line = take_line(mon);

        if (line) {
            sv_json *v = sv_json_parse(line, strlen(line));

            if (!v || v->type != SV_JSON_OBJECT) {
                sv_json_free(v);
                sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "malformed QMP message from QEMU");
                return NULL;
            }
            if (sv_json_get(v, "event")) {
                /* Events before negotiation completes are dropped, as QEMU
                 * sends none before qmp_capabilities. */
                sv_json_free(v);
                continue;
            }
            return v;
        }
        int r = fill(mon, deadline_left(deadline));

        if (r == -ETIMEDOUT) {
            sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_TIMEOUT, "timed out waiting for the QEMU monitor");
            return NULL;
        }
        if (r == 0) {
            sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "QEMU monitor closed the connection");
            return NULL;
        }
    }
}

static void handle_message(sv_qmp *mon, sv_json *msg)
{
    const char *event;
    int64_t id_num = 0;
    const char *id_str;

    if (sv_json_get_string(msg, "event", &event)) {
        if (mon->on_event)
            mon->on_event(mon, event, sv_json_get(msg, "data"), mon->opaque);
        sv_json_free(msg);
        return;
    }
    if (sv_json_get_string(msg, "id", &id_str) && strncmp(id_str, "sv-", 3) == 0)
        id_num = strtoll(id_str + 3, NULL, 10);
    pthread_mutex_lock(&mon->lock);
    if (id_num > 0 && (unsigned long)id_num == mon->wait_id && !mon->reply) {
        mon->reply = msg;
        msg = NULL;
        pthread_cond_broadcast(&mon->cond);
    }
    pthread_mutex_unlock(&mon->lock);
    sv_json_free(msg);  /* a reply nobody waits for (timed out earlier) */
}

static void *reader_main(void *arg)
{
    sv_qmp *mon = arg;

    for (;;) {
        char *line;

        while ((line = take_line(mon))) {
            sv_json *msg = sv_json_parse(line, strlen(line));

            free(line);
            if (!msg || msg->type != SV_JSON_OBJECT) {
                sv_json_free(msg);
                goto out;
            }
            handle_message(mon, msg);
        }
        if (fill(mon, -1) <= 0)
            break;
    }
out:
    pthread_mutex_lock(&mon->lock);
    mon->closed = true;
    pthread_cond_broadcast(&mon->cond);
    pthread_mutex_unlock(&mon->lock);
    if (mon->on_eof)
        mon->on_eof(mon, mon->opaque);
    return NULL;
}

static int send_command(sv_qmp *mon, unsigned long id, const char *cmd, const char *args_json)
{
    sv_buf b = {0};
    int r;

    sv_buf_add(&b, "{\"execute\":");
    sv_json_append_string(&b, cmd);
    if (args_json)
        sv_buf_printf(&b, ",\"arguments\":%s", args_json);
    sv_buf_printf(&b, ",\"id\":\"sv-%lu\"}\n", id);
    r = write_all(mon->fd, b.data, b.len);
    sv_buf_free(&b);
    return r;
}

static int reply_to_result(const char *cmd, sv_json *reply, sv_json **ret_return)
{
    sv_json *err = sv_json_get(reply, "error");
    sv_json *ret = sv_json_get(reply, "return");

    if (err) {
        const char *desc = "unknown error";

        sv_json_get_string(err, "desc", &desc);
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR,
                     "internal error: unable to execute QEMU command '%s': %s", cmd, desc);
        return -1;
    }
    if (!ret) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "QEMU reply to '%s' has no return value", cmd);
        return -1;
    }
    if (ret_return) {
        /* Detach "return" from the reply so the caller owns it. */
        for (size_t i = 0; i < reply->n; i++) {
            if (reply->items[i] == ret) {
                reply->items[i] = sv_malloc0(sizeof(sv_json));
                break;
            }
        }
        *ret_return = ret;
    }
    return 0;
}

static int negotiate(sv_qmp *mon, int timeout_ms)
{
    struct timespec deadline;
    sv_json *greeting, *reply;
    int r;

    deadline_init(&deadline, timeout_ms);
    greeting = read_message_sync(mon, &deadline);
    if (!greeting)
        return -1;
    r = sv_json_get(greeting, "QMP") ? 0 : -1;
    sv_json_free(greeting);
    if (r < 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "QEMU monitor sent no QMP greeting");
        return -1;
    }
    mon->wait_id = ++mon->next_id;
    if (send_command(mon, mon->wait_id, "qmp_capabilities", NULL) < 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "cannot write to the QEMU monitor");
        return -1;
    }
    reply = read_message_sync(mon, &deadline);
    mon->wait_id = 0;
    if (!reply)
        return -1;
    r = reply_to_result("qmp_capabilities", reply, NULL);
    sv_json_free(reply);
    return r;
}

int sv_qmp_open(int fd, int timeout_ms, sv_qmp_event_cb on_event, sv_qmp_eof_cb on_eof,
                void *opaque, sv_qmp **ret_mon)
{
    sv_qmp *mon = sv_malloc0(sizeof(*mon));

    mon->fd = fd;
    mon->on_event = on_event;
    mon->on_eof = on_eof;
    mon->opaque = opaque;
    pthread_mutex_init(&mon->cmd_lock, NULL);
    pthread_mutex_init(&mon->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&mon->cond, &ca);
    pthread_condattr_destroy(&ca);

    if (negotiate(mon, timeout_ms) < 0) {
        sv_qmp_close(mon);
        return -1;
    }
    if (pthread_create(&mon->reader, NULL, reader_main, mon) != 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "cannot start the QEMU monitor reader thread");
        sv_qmp_close(mon);
        return -1;
    }
    mon->reader_started = true;
    *ret_mon = mon;
    return 0;
}

int sv_qmp_connect(const char *path, int timeout_ms, sv_qmp_event_cb on_event, sv_qmp_eof_cb on_eof,
                   void *opaque, sv_qmp **ret_mon)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR, "monitor socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot create monitor socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        sv_error_set_errno(SV_FROM_QEMU, errno, "cannot connect to QEMU monitor %s", path);
        close(fd);
        return -1;
    }
    return sv_qmp_open(fd, timeout_ms, on_event, on_eof, opaque, ret_mon);
}

int sv_qmp_command(sv_qmp *mon, const char *cmd, const char *args_json, int timeout_ms,
                   sv_json **ret_return)
{
    struct timespec deadline;
    sv_json *reply = NULL;
    unsigned long id;
    int r = -1;

    pthread_mutex_lock(&mon->cmd_lock);
    pthread_mutex_lock(&mon->lock);
    if (mon->closed) {
        pthread_mutex_unlock(&mon->lock);
        sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "QEMU monitor is closed");
        goto out;
    }
    id = mon->wait_id = ++mon->next_id;
    pthread_mutex_unlock(&mon->lock);

    if (send_command(mon, id, cmd, args_json) < 0) {
        sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "cannot send '%s' to the QEMU monitor", cmd);
        goto clear;
    }
    deadline_init(&deadline, timeout_ms);
    pthread_mutex_lock(&mon->lock);
    while (!mon->reply && !mon->closed) {
        if (pthread_cond_timedwait(&mon->cond, &mon->lock, &deadline) == ETIMEDOUT)
            break;
    }
    reply = mon->reply;
    mon->reply = NULL;
    pthread_mutex_unlock(&mon->lock);
    if (!reply) {
        if (sv_qmp_closed(mon))
            sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_FAILED, "QEMU monitor closed while running '%s'", cmd);
        else
            sv_error_set(SV_FROM_QEMU, SV_ERR_OPERATION_TIMEOUT, "timed out waiting for QEMU to answer '%s'", cmd);
        goto clear;
    }
    r = reply_to_result(cmd, reply, ret_return);
    sv_json_free(reply);
clear:
    pthread_mutex_lock(&mon->lock);
    mon->wait_id = 0;
    sv_json_free(mon->reply);
    mon->reply = NULL;
    pthread_mutex_unlock(&mon->lock);
out:
    pthread_mutex_unlock(&mon->cmd_lock);
    return r;
}

bool sv_qmp_closed(sv_qmp *mon)
{
    bool closed;

    pthread_mutex_lock(&mon->lock);
    closed = mon->closed;
    pthread_mutex_unlock(&mon->lock);
    return closed;
}

void sv_qmp_close(sv_qmp *mon)
{
    if (!mon)
        return;
    if (mon->reader_started) {
        /* Wake the reader (blocked in read) and wait for it. */
        shutdown(mon->fd, SHUT_RDWR);
        pthread_join(mon->reader, NULL);
    }
    close(mon->fd);
    sv_json_free(mon->reply);
    pthread_cond_destroy(&mon->cond);
    pthread_mutex_destroy(&mon->lock);
    pthread_mutex_destroy(&mon->cmd_lock);
    free(mon->buf);
    free(mon);
}
