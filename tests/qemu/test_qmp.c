/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * QMP client against a real QEMU: start qemu-system-x86_64 -S with a QMP
 * socket, negotiate, query, stop/cont and see the events, quit and see EOF.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qmp.h"
#include "sv_error.h"
#include "sv_util.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char events[1024];
static int eof_seen;

static void on_event(sv_qmp *mon, const char *event, const sv_json *data, void *opaque)
{
    (void)mon;
    (void)data;
    (void)opaque;
    pthread_mutex_lock(&lock);
    if (strlen(events) + strlen(event) + 2 < sizeof(events)) {
        strcat(events, event);
        strcat(events, " ");
    }
    pthread_mutex_unlock(&lock);
}

static void on_eof(sv_qmp *mon, void *opaque)
{
    (void)mon;
    (void)opaque;
    pthread_mutex_lock(&lock);
    eof_seen = 1;
    pthread_mutex_unlock(&lock);
}

static int failures;
#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, sv_error_message()); failures++; } } while (0)

static bool wait_for(const char *what, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        bool found;

        pthread_mutex_lock(&lock);
        found = what ? strstr(events, what) != NULL : eof_seen;
        pthread_mutex_unlock(&lock);
        if (found)
            return true;
        usleep(10000);
    }
    return false;
}

int main(void)
{
    char dir[] = "/tmp/sv-qmp-XXXXXX";
    _cleanup_free_ char *sock = NULL;
    sv_qmp *mon = NULL;
    sv_json *ret = NULL;
    const char *status;
    pid_t pid;
    int st;

    if (!mkdtemp(dir))
        return 1;
    sock = sv_asprintf("%s/qmp.sock", dir);
    pid = fork();
    if (pid == 0) {
        _cleanup_free_ char *qmp = sv_asprintf("unix:%s,server=on,wait=off", sock);

        execlp("qemu-system-x86_64", "qemu-system-x86_64", "-S", "-nodefaults", "-no-user-config",
               "-display", "none", "-machine", "q35,accel=tcg", "-m", "64", "-qmp", qmp, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500 && access(sock, F_OK) != 0; i++)
        usleep(10000);

    CHECK(sv_qmp_connect(sock, 5000, on_event, on_eof, NULL, &mon) == 0);
    if (!mon)
        goto out;
    CHECK(sv_qmp_command(mon, "query-status", NULL, 5000, &ret) == 0);
    CHECK(ret && sv_json_get_string(ret, "status", &status) && strcmp(status, "prelaunch") == 0);
    sv_json_free(ret);
    ret = NULL;

    CHECK(sv_qmp_command(mon, "cont", NULL, 5000, NULL) == 0);
    CHECK(wait_for("RESUME", 5000));
    CHECK(sv_qmp_command(mon, "stop", NULL, 5000, NULL) == 0);
    CHECK(wait_for("STOP", 5000));

    /* A QMP error comes back as an sv_error naming the command. */
    CHECK(sv_qmp_command(mon, "no-such-command", NULL, 5000, NULL) < 0);
    CHECK(strstr(sv_error_message(), "no-such-command") != NULL);
    /* Arguments are passed through. */
    CHECK(sv_qmp_command(mon, "human-monitor-command", "{\"command-line\":\"info version\"}", 5000, &ret) == 0);
    CHECK(ret && ret->type == SV_JSON_STRING && strstr(ret->string, "7.") != NULL);
    sv_json_free(ret);

    CHECK(sv_qmp_command(mon, "quit", NULL, 5000, NULL) == 0);
    CHECK(wait_for(NULL, 5000));
    CHECK(sv_qmp_closed(mon));
    CHECK(sv_qmp_command(mon, "query-status", NULL, 1000, NULL) < 0);
out:
    sv_qmp_close(mon);
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    unlink(sock);
    rmdir(dir);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
