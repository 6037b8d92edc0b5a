/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * console: the guest's serial console on this terminal, as virsh console.
 *
 * On a terminal, stdin goes raw (keys reach the guest as typed, the guest
 * echoes) and is restored on every way out; the escape character (Ctrl-]
 * unless -e says otherwise) detaches with a clean finish of the stream, so
 * does the guest's end of file; a closed terminal aborts.  Unlike virsh,
 * stdin may also be a pipe or file (scripts, tests): its end only stops
 * the input, the escape character still detaches.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sepvirsh.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int signo)
{
    (void)signo;
    got_signal = 1;
}

/* The byte the escape sequence ("^]", "x") stands for. */
static char escape_byte(const char *esc)
{
    if (esc[0] == '^' && esc[1]) {
        char c = esc[1];

        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        return (char)(c ^ 0x40);
    }
    return esc[0];
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd p = { .fd = fd, .events = POLLOUT };
                (void)poll(&p, 1, -1);
                continue;
            }
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

typedef enum { END_FINISH, END_ABORT, END_ERROR } console_end;

/* Everything the stream holds now to stdout.  Returns -1 to go on, else
 * how the session ends. */
static int drain_stream(sepvirt_stream *st)
{
    char buf[16384];

    for (;;) {
        int n = sepvirt_stream_recv(st, buf, sizeof(buf));

        if (n == -2)
            return -1;
        if (n < 0)
            return END_ERROR;
        if (n == 0)
            return END_FINISH;     /* the guest side is gone */
        if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
            return END_ABORT;
    }
}

/* Input typed (or piped) to the stream, up to the escape byte.  Returns -1
 * to go on, else how the session ends. */
static int forward_input(sepvirt_stream *st, char esc, bool tty, bool *stdin_open)
{
    char buf[4096];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
    char *hit;

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return -1;
    if (n <= 0) {
        /* A closed terminal ends the session; the end of a pipe only
         * ends the input. */
        *stdin_open = false;
        return tty ? END_ABORT : -1;
    }
    hit = memchr(buf, esc, (size_t)n);
    if (hit)
        n = hit - buf;
    if (n > 0 && sepvirt_stream_send(st, buf, (size_t)n) < 0)
        return END_ERROR;
    return hit ? END_FINISH : -1;
}

static console_end pump(sepvirt_stream *st, char esc, bool tty)
{
    bool stdin_open = true;

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = sepvirt_stream_fd(st), .events = POLLIN },
            { .fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
        };
        int r;

        if (got_signal)
            return END_ABORT;
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return END_ABORT;
        }
        if (fds[0].revents && (r = drain_stream(st)) >= 0)
            return (console_end)r;
        if (fds[1].revents && (r = forward_input(st, esc, tty, &stdin_open)) >= 0)
            return (console_end)r;
    }
}

/* Connect dom's console to this terminal until it ends. */
static bool run_console(sh_ctl *ctl, sepvirt_domain *dom, const char *dev_name, unsigned int flags)
{
    sepvirt_stream *st = sepvirt_stream_new(sepvirt_domain_get_conn(dom), SEPVIRT_STREAM_NONBLOCK);
    bool tty = isatty(STDIN_FILENO);
    struct sigaction sa = { .sa_handler = on_signal }, old[5];
    static const int sigs[5] = { SIGQUIT, SIGTERM, SIGINT, SIGHUP, SIGPIPE };
    struct termios saved, raw;
    console_end end;
    bool ok;

    if (!st)
        return false;
    if (sepvirt_domain_open_console(dom, dev_name, st, flags) < 0) {
        sepvirt_stream_free(st);
        return false;
    }
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        cfmakeraw(&raw);
        tty = tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
    } else {
        tty = false;
    }
    /* Whatever ends the session, the terminal is put back first. */
    got_signal = 0;
    for (size_t i = 0; i < 5; i++)
        sigaction(sigs[i], &sa, &old[i]);

    end = pump(st, escape_byte(ctl->escape ? ctl->escape : "^]"), tty);

    for (size_t i = 0; i < 5; i++)
        sigaction(sigs[i], &old[i], NULL);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);

    if (end == END_FINISH)
        ok = sepvirt_stream_finish(st) == 0;
    else if (end == END_ABORT)
        ok = sepvirt_stream_abort(st) == 0;
    else
        ok = false;     /* the stream's error was raised by recv/send */
    sepvirt_stream_free(st);
    return ok;
}

const sh_opt_def sh_opts_console[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "devname", SH_OT_STRING, SH_OFLAG_REQ_OPT, "character device name" },
    { "force", SH_OT_BOOL, 0, "force console connection (disconnect already connected sessions)" },
    { "safe", SH_OT_BOOL, 0, "only connect if safe console handling is supported" },
    { NULL, 0, 0, NULL },
};

bool sh_cmd_console(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *esc = ctl->escape ? ctl->escape : "^]";
    const char *dev_name = NULL;
    unsigned int flags = 0;
    sepvirt_domain *dom;
    bool ok = false;
    int state;

    if (sh_opt_bool(cmd, "force"))
        flags |= SEPVIRT_DOMAIN_CONSOLE_FORCE;
    if (sh_opt_bool(cmd, "safe"))
        flags |= SEPVIRT_DOMAIN_CONSOLE_SAFE;
    (void)sh_opt_string(cmd, "devname", &dev_name);
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, NULL)))
        return false;
    if ((state = sh_domain_state(ctl, dom, NULL)) < 0) {
        sh_error(ctl, "%s", "Unable to get domain status");
    } else if (state == SEPVIRT_DOMAIN_SHUTOFF) {
        sh_error(ctl, "%s", "The domain is not running");
    } else {
        sh_print_extra(ctl, "Connected to domain '%s'\n", sepvirt_domain_get_name(dom));
        sh_print_extra(ctl, "Escape character is %s", esc);
        if (esc[0] == '^')
            sh_print_extra(ctl, " (Ctrl + %c)", esc[1]);
        sh_print_extra(ctl, "\n");
        fflush(stdout);
        ok = run_console(ctl, dom, dev_name, flags);
    }
    sepvirt_domain_free(dom);
    return ok;
}
