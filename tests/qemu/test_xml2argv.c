/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * XML → QEMU argv golden tests, and proof that QEMU accepts every argv.
 *
 *   test_xml2argv DATADIR          compare DATADIR/NAME.args with the argv
 *                                  built for DATADIR/NAME.xml; DATADIR/NAME.err
 *                                  instead holds a substring of the expected
 *                                  error.  SV_REGENERATE=1 writes .args files.
 *   test_xml2argv --run DATADIR KERNEL INITRD
 *                                  start the installed QEMU with each argv
 *                                  (-S), with real fds (taps in a private
 *                                  network namespace, disk images, sockets),
 *                                  check it answers QMP, then quit it.
 *
 * The fd numbers are fixed so golden files are stable: monitor 3, NICs
 * 20+i, disks 30+i, pty serials 40+i, unix channels 50+i, and for cases
 * named serial-log* the serial ports' log files 60+i.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "domain_conf.h"
#include "qemu_command.h"
#include "qmp.h"
#include "sv_error.h"
#include "sv_testcases.h"
#include "sv_util.h"

#define FD_MONITOR 3
#define FD_NET 20
#define FD_DISK 30
#define FD_SERIAL 40
#define FD_CHANNEL 50
#define FD_SERIAL_LOG 60

static int n_pass, n_fail;

static void result(bool ok, const char *name, const char *why)
{
    if (ok)
        n_pass++;
    else
        n_fail++;
    printf("%s %d - %s%s%s\n", ok ? "ok" : "not ok", n_pass + n_fail, name, ok ? "" : ": ", ok ? "" : why);
}

typedef struct ctx_storage {
    sv_qemu_build_ctx ctx;
    sv_qemu_net_backend nets[64];
    int disks[64], serials[64], serial_logs[64], channels[64], ports[8];
} ctx_storage;

static bool fill_ctx(const char *name, const sv_domain_def *def, ctx_storage *s)
{
    if (def->nnets > 64 || def->ndisks > 64 || def->nserials > 64 || def->nchannels > 64 || def->ngraphics > 8)
        return false;
    memset(s, 0, sizeof(*s));
    s->ctx.emulator = "/usr/bin/qemu-system-x86_64";
    s->ctx.monitor_fd = FD_MONITOR;
    for (size_t i = 0; i < def->nnets; i++) {
        s->nets[i].kind = def->nets[i]->type == SV_DOMAIN_NET_USER ? SV_QEMU_NET_USER : SV_QEMU_NET_TAP;
        s->nets[i].fd = def->nets[i]->type == SV_DOMAIN_NET_USER ? -1 : FD_NET + (int)i;
    }
    for (size_t i = 0; i < def->ndisks; i++)
        s->disks[i] = def->disks[i]->src ? FD_DISK + (int)i : -1;
    for (size_t i = 0; i < def->nserials; i++)
        s->serials[i] = def->serials[i]->type == SV_DOMAIN_CHR_PTY ? FD_SERIAL + (int)i : -1;
    for (size_t i = 0; i < def->nchannels; i++)
        s->channels[i] = def->channels[i]->type == SV_DOMAIN_CHR_UNIX &&
                         def->channels[i]->mode == SV_DOMAIN_CHR_BIND ? FD_CHANNEL + (int)i : -1;
    for (size_t i = 0; i < def->ngraphics; i++)
        s->ports[i] = def->graphics[i]->autoport || def->graphics[i]->port <= 0 ? 5900 + (int)i
                                                                                  : def->graphics[i]->port;
    s->ctx.nets = s->nets;
    s->ctx.disk_fds = s->disks;
    s->ctx.serial_fds = s->serials;
    if (strncmp(name, "serial-log", 10) == 0) {
        for (size_t i = 0; i < def->nserials; i++)
            s->serial_logs[i] = FD_SERIAL_LOG + (int)i;
        s->ctx.serial_log_fds = s->serial_logs;
    }
    s->ctx.channel_fds = s->channels;
    s->ctx.vnc_ports = s->ports;
    return true;
}

static sv_domain_def *load(const char *dir, const char *name)
{
    _cleanup_free_ char *path = sv_asprintf("%s/%s.xml", dir, name);
    _cleanup_free_ char *xml = NULL;
    size_t len;

    if (sv_read_file(path, 1 << 20, &xml, &len) < 0)
        return NULL;
    return sv_domain_def_parse(xml, len, 0);
}

static void trim(char *s)
{
    size_t l = strlen(s);

    while (l > 0 && (s[l - 1] == '\n' || s[l - 1] == '\r'))
        s[--l] = '\0';
}

static void run_golden(const char *dir)
{
    size_t n;
    char **names = sv_test_list_cases(dir, NULL, &n);
    bool regen = getenv("SV_REGENERATE") != NULL;

    for (size_t i = 0; i < n; i++) {
        _cleanup_free_ char *args_path = sv_asprintf("%s/%s.args", dir, names[i]);
        _cleanup_free_ char *err_path = sv_asprintf("%s/%s.err", dir, names[i]);
        _cleanup_free_ char *expect = NULL, *experr = NULL, *got = NULL;
        sv_domain_def *def = load(dir, names[i]);
        ctx_storage s;
        char **argv = NULL;
        int r;

        if (!def) {
            char why[1200];

            snprintf(why, sizeof(why), "XML does not parse: %s", sv_error_message());
            result(false, names[i], why);
            goto next;
        }
        fill_ctx(names[i], def, &s);
        sv_error_reset();
        r = sv_qemu_build_argv(def, &s.ctx, &argv);
        if (sv_read_file(err_path, 1 << 20, &experr, NULL) == 0) {
            trim(experr);
            if (r == 0)
                result(false, names[i], "argv built for a configuration that must be refused");
            else if (!strstr(sv_error_message(), experr))
                result(false, names[i], sv_error_message());
            else
                result(true, names[i], NULL);
            goto next;
        }
        if (r < 0) {
            result(false, names[i], sv_error_message());
            goto next;
        }
        got = sv_qemu_argv_to_string(argv);
        if (sv_read_file(args_path, 1 << 20, &expect, NULL) < 0 || strcmp(expect, got) != 0) {
            FILE *f;

            if (regen && (f = fopen(args_path, "w"))) {
                fputs(got, f);
                fclose(f);
                printf("# regenerated %s\n", args_path);
                result(true, names[i], NULL);
            } else {
                fprintf(stderr, "--- expected %s\n%s--- got\n%s", args_path, expect ? expect : "(missing)\n", got);
                result(false, names[i], "argv differs");
            }
            goto next;
        }
        result(true, names[i], NULL);
    next:
        sv_qemu_argv_free(argv);
        sv_domain_def_free(def);
        free(names[i]);
    }
    free(names);
}

/* ---- --run: start QEMU for real ---------------------------------------- */

static int open_tap(void)
{
    struct ifreq ifr = {0};
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return -1;
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void set_str(char **field, char *value)
{
    free(*field);
    *field = value;
}

typedef struct fdpair {
    int src, dst;
} fdpair;

/* Rewrites host paths of def into tmp and opens what QEMU gets as fds. */
static bool prepare(sv_domain_def *def, const ctx_storage *s, const char *tmp, const char *kernel,
                    const char *initrd, fdpair *fds, size_t *nfds, char **ret_monitor)
{
    *nfds = 0;
    if (def->os.kernel)
        set_str(&def->os.kernel, sv_strdup(kernel));
    if (def->os.initrd)
        set_str(&def->os.initrd, sv_strdup(initrd));
    set_str(&def->emulator, NULL);
    *ret_monitor = sv_asprintf("%s/monitor.sock", tmp);
    fds[(*nfds)++] = (fdpair){listen_unix(*ret_monitor), FD_MONITOR};
    for (size_t i = 0; i < def->nnets; i++)
        if (s->nets[i].fd >= 0)
            fds[(*nfds)++] = (fdpair){open_tap(), s->nets[i].fd};
    for (size_t i = 0; i < def->ndisks; i++) {
        sv_domain_disk_def *d = def->disks[i];
        _cleanup_free_ char *img = NULL;

        if (!d->src)
            continue;
        img = sv_asprintf("%s/disk%zu.img", tmp, i);
        if (d->format == SV_DOMAIN_DISK_FORMAT_QCOW2) {
            _cleanup_free_ char *cmd = sv_asprintf("qemu-img create -q -f qcow2 %s 16M", img);

            if (system(cmd) != 0)
                return false;
        } else {
            int f = open(img, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

            if (f < 0 || ftruncate(f, 16 << 20) < 0)
                return false;
            close(f);
        }
        if (d->type == SV_DOMAIN_DISK_BLOCK)
            d->type = SV_DOMAIN_DISK_FILE;  /* no block device to spare here */
        fds[(*nfds)++] = (fdpair){open(img, (d->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC), s->disks[i]};
    }
    for (size_t i = 0; i < def->nserials; i++) {
        sv_domain_chr_def *c = def->serials[i];

        if (s->serials[i] >= 0) {
            _cleanup_free_ char *p = sv_asprintf("%s/serial%zu.sock", tmp, i);

            fds[(*nfds)++] = (fdpair){listen_unix(p), s->serials[i]};
        } else if (c->path) {
            set_str(&c->path, sv_asprintf("%s/serial%zu.out", tmp, i));
        }
        if (s->ctx.serial_log_fds) {
            _cleanup_free_ char *log = sv_asprintf("%s/serial%zu.log", tmp, i);

            fds[(*nfds)++] = (fdpair){open(log, O_CREAT | O_WRONLY | O_CLOEXEC, 0600), s->serial_logs[i]};
        }
    }
    for (size_t i = 0; i < def->nconsoles; i++)
        if (def->consoles[i]->path && def->consoles[i]->target_type != SV_DOMAIN_CONSOLE_TARGET_SERIAL)
            set_str(&def->consoles[i]->path, sv_asprintf("%s/console%zu.out", tmp, i));
    for (size_t i = 0; i < def->nchannels; i++) {
        sv_domain_chr_def *c = def->channels[i];
        _cleanup_free_ char *p = sv_asprintf("%s/channel%zu.sock", tmp, i);

        if (s->channels[i] >= 0) {
            fds[(*nfds)++] = (fdpair){listen_unix(p), s->channels[i]};
        } else if (c->type == SV_DOMAIN_CHR_UNIX) {
            /* connect mode: QEMU needs a listener to connect to */
            int l = listen_unix(p);

            if (l < 0)
                return false;
            set_str(&c->path, sv_strdup(p));
        } else if (c->path) {
            set_str(&c->path, sv_asprintf("%s/channel%zu.out", tmp, i));
        }
    }
    for (size_t i = 0; i < *nfds; i++)
        if (fds[i].src < 0)
            return false;
    return true;
}

static void run_one(const char *dir, const char *name, const char *kernel, const char *initrd)
{
    char tmp[] = "/tmp/sv-argv-XXXXXX";
    sv_domain_def *def = load(dir, name);
    _cleanup_free_ char *err_path = sv_asprintf("%s/%s.err", dir, name);
    _cleanup_free_ char *monitor = NULL;
    fdpair fds[256];
    size_t nfds = 0;
    ctx_storage s;
    char **argv = NULL;
    sv_qmp *mon = NULL;
    sv_json *ret = NULL;
    const char *status = NULL;
    pid_t pid = -1;
    int st = 0;
    bool ok = false;
    char why[1200] = "";

    if (access(err_path, F_OK) == 0) {
        sv_domain_def_free(def);
        return;  /* refused configurations are covered by the golden run */
    }
    if (def && def->virt_type == SV_DOMAIN_VIRT_KVM && access("/dev/kvm", R_OK | W_OK) != 0) {
        printf("ok %d - %s # SKIP /dev/kvm is not usable here\n", ++n_pass + n_fail, name);
        sv_domain_def_free(def);
        return;
    }
    if (!def || !mkdtemp(tmp)) {
        result(false, name, "cannot load case");
        sv_domain_def_free(def);
        return;
    }
    fill_ctx(name, def, &s);
    if (!prepare(def, &s, tmp, kernel, initrd, fds, &nfds, &monitor)) {
        snprintf(why, sizeof(why), "cannot prepare host resources: %s", strerror(errno));
        goto out;
    }
    if (sv_qemu_build_argv(def, &s.ctx, &argv) < 0) {
        snprintf(why, sizeof(why), "%s", sv_error_message());
        goto out;
    }
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);

        /* Move sources above every target first so dup2 cannot clobber. */
        for (size_t i = 0; i < nfds; i++)
            fds[i].src = fcntl(fds[i].src, F_DUPFD, 200);
        for (size_t i = 0; i < nfds; i++)
            dup2(fds[i].src, fds[i].dst);
        dup2(devnull, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    if (sv_qmp_connect(monitor, 15000, NULL, NULL, NULL, &mon) < 0) {
        snprintf(why, sizeof(why), "QEMU did not answer QMP: %s", sv_error_message());
        goto out;
    }
    if (sv_qmp_command(mon, "query-status", NULL, 10000, &ret) < 0 || !sv_json_get_string(ret, "status", &status) ||
        strcmp(status, "prelaunch") != 0) {
        snprintf(why, sizeof(why), "unexpected status: %s", status ? status : sv_error_message());
        goto out;
    }
    sv_qmp_command(mon, "quit", NULL, 10000, NULL);
    waitpid(pid, &st, 0);
    pid = -1;
    ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!ok)
        snprintf(why, sizeof(why), "QEMU exit status %d", st);
out:
    if (!ok && argv) {
        _cleanup_free_ char *line = sv_qemu_argv_to_string(argv);

        fprintf(stderr, "# argv for %s:\n%s", name, line);
    }
    result(ok, name, why);
    sv_json_free(ret);
    sv_qmp_close(mon);
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    for (size_t i = 0; i < nfds; i++)
        if (fds[i].src >= 0)
            close(fds[i].src);
    sv_qemu_argv_free(argv);
    sv_domain_def_free(def);
    {
        _cleanup_free_ char *cmd = sv_asprintf("rm -rf '%s'", tmp);

        if (system(cmd) != 0)
            fprintf(stderr, "# cannot remove %s\n", tmp);
    }
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        run_golden(argv[1]);
    } else if (argc == 5 && strcmp(argv[1], "--run") == 0) {
        size_t n;
        char **names;

        /* Taps go into a private network namespace, never the host's. */
        if (unshare(CLONE_NEWNET) < 0) {
            printf("1..0 # SKIP cannot create a network namespace: %s\n", strerror(errno));
            return 0;
        }
        names = sv_test_list_cases(argv[2], NULL, &n);
        for (size_t i = 0; i < n; i++) {
            run_one(argv[2], names[i], argv[3], argv[4]);
            free(names[i]);
        }
        free(names);
    } else {
        fprintf(stderr, "usage: %s DATADIR | --run DATADIR KERNEL INITRD\n", argv[0]);
        return 2;
    }
    printf("1..%d\n", n_pass + n_fail);
    printf("# %d passed, %d failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
