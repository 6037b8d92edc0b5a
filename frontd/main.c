/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirt-frontd: the unprivileged daemon speaking libvirt's remote
 * protocol on UNIX sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autodestroy.h"
#include "config.h"
#include "dispatch.h"
#include "frontd.h"
#include "helper_conn.h"
#include "listen.h"
#include "qemu_driver.h"
#include "registry.h"
#include "server.h"
#include "sv_config.h"
#include "sv_error.h"
#include "sv_store.h"
#include "sv_util.h"
#include "workers.h"

#define SOCK_RW "sepvirt-sock"
#define SOCK_RO "sepvirt-sock-ro"
#define PID_FILE "sepvirt-frontd.pid"

typedef struct options {
    bool session;
    bool libvirt_sockets;
    const char *runtime_dir;
    const char *config_dir;
    const char *state_dir;
} options;

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: sepvirt-frontd [OPTION]...\n"
            "Serve the libvirt remote protocol (stock virsh, python3-libvirt) on UNIX sockets.\n\n"
            "  --session            per-user daemon (default when not root)\n"
            "  --system             system daemon (default for root)\n"
            "  --runtime-dir DIR    directory for sockets and the pid file\n"
            "  --config-dir DIR     persistent configuration (and " SV_FRONTD_CONFIG_FILE ")\n"
            "  --state-dir DIR      state directory\n"
            "  --libvirt-sockets    also listen at libvirt's standard socket paths\n"
            "  --version            print the version and exit\n"
            "  --help               print this help and exit\n");
}

static int parse_options(int argc, char **argv, options *o)
{
    enum { OPT_SESSION = 256, OPT_SYSTEM, OPT_RUNTIME, OPT_CONFIG, OPT_STATE, OPT_LIBVIRT,
           OPT_VERSION, OPT_HELP };
    static const struct option longopts[] = {
        { "session", no_argument, NULL, OPT_SESSION },
        { "system", no_argument, NULL, OPT_SYSTEM },
        { "runtime-dir", required_argument, NULL, OPT_RUNTIME },
        { "config-dir", required_argument, NULL, OPT_CONFIG },
        { "state-dir", required_argument, NULL, OPT_STATE },
        { "libvirt-sockets", no_argument, NULL, OPT_LIBVIRT },
        { "version", no_argument, NULL, OPT_VERSION },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 },
    };
    int c;

    o->session = geteuid() != 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_SESSION: o->session = true; break;
        case OPT_SYSTEM: o->session = false; break;
        case OPT_RUNTIME: o->runtime_dir = optarg; break;
        case OPT_CONFIG: o->config_dir = optarg; break;
        case OPT_STATE: o->state_dir = optarg; break;
        case OPT_LIBVIRT: o->libvirt_sockets = true; break;
        case OPT_VERSION: printf("sepvirt-frontd %s\n", SV_VERSION); exit(0);
        case OPT_HELP: usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return -1;
    }
    return 0;
}

/* Write our pid and keep the file locked for the daemon's lifetime, so a
 * second instance with the same runtime directory refuses to start. */
static int pidfile_create(const char *path)
{
    char buf[32];
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    int len;

    if (fd < 0) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot open %s", path);
        return -1;
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        sv_error_set(SV_FROM_NONE, SV_ERR_OPERATION_FAILED,
                     "another sepvirt-frontd is running (%s is locked)", path);
        close(fd);
        return -1;
    }
    len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)len) != len) {
        sv_error_set_errno(SV_FROM_NONE, errno, "cannot write %s", path);
        close(fd);
        return -1;
    }
    return fd;
}

static int listen_at(const char *dir, const char *name, bool readonly,
                     const sv_frontd_config *cfg, bool session)
{
    _cleanup_free_ char *path = sv_asprintf("%s/%s", dir, name);
    sv_listener *l;

    if (sv_listener_open(path, readonly, session,
                         readonly ? cfg->unix_sock_ro_perms : cfg->unix_sock_rw_perms,
                         cfg->unix_sock_group, &l) < 0)
        return -1;
    return sv_server_add_listener(l);
}

/* libvirt's own socket locations (remote_sockets.c): the client picks
 * virtqemud-sock when it exists, else libvirt-sock, so offer both. */
static int listen_libvirt(const sv_frontd_config *cfg, bool session)
{
    _cleanup_free_ char *dir = NULL;

    if (session) {
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        const char *home = getenv("HOME");

        if (xdg && *xdg == '/')
            dir = sv_asprintf("%s/libvirt", xdg);
        else
            dir = sv_asprintf("%s/.cache/libvirt", home && *home ? home : "/");
        return listen_at(dir, "libvirt-sock", false, cfg, true) < 0 ||
               listen_at(dir, "virtqemud-sock", false, cfg, true) < 0 ? -1 : 0;
    }
    dir = sv_strdup("/run/libvirt");
    return listen_at(dir, "libvirt-sock", false, cfg, false) < 0 ||
           listen_at(dir, "libvirt-sock-ro", true, cfg, false) < 0 ||
           listen_at(dir, "virtqemud-sock", false, cfg, false) < 0 ||
           listen_at(dir, "virtqemud-sock-ro", true, cfg, false) < 0 ? -1 : 0;
}

static int fail(void)
{
    fprintf(stderr, "sepvirt-frontd: %s\n", sv_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    options o = { 0 };
    sv_store_paths sp = { 0 };
    sv_frontd_paths paths = { 0 };
    sv_frontd_config cfg;
    _cleanup_free_ char *conf_path = NULL, *pid_path = NULL;
    int pidfd, r, status = 0;

    if (parse_options(argc, argv, &o) < 0)
        return 2;
    if (sv_store_paths_get(o.session, NULL, &sp) < 0)
        return fail();
    paths.session = o.session;
    paths.config_dir = sv_strdup(o.config_dir ? o.config_dir : sp.config);
    paths.state_dir = sv_strdup(o.state_dir ? o.state_dir : sp.state);
    paths.runtime_dir = sv_strdup(o.runtime_dir ? o.runtime_dir : sp.runtime);
    sv_store_paths_clear(&sp);
    sv_frontd_paths_set(&paths);

    sv_frontd_config_defaults(&cfg, o.session);
    conf_path = sv_asprintf("%s/%s", paths.config_dir, SV_FRONTD_CONFIG_FILE);
    if (sv_frontd_config_load(&cfg, conf_path) < 0)
        return fail();

    r = sv_mkdir_p(paths.runtime_dir, o.session ? 0700 : 0755);
    if (r < 0) {
        fprintf(stderr, "sepvirt-frontd: cannot create %s: %s\n", paths.runtime_dir, strerror(-r));
        return 1;
    }
    pid_path = sv_asprintf("%s/%s", paths.runtime_dir, PID_FILE);
    pidfd = pidfile_create(pid_path);
    if (pidfd < 0)
        return fail();

    /* Signals are blocked here, before any thread exists. */
    if (sv_server_init(&cfg) < 0 || sv_dispatch_init() < 0 ||
        sv_registry_init(paths.config_dir, paths.state_dir, o.session) < 0) {
        status = fail();
        goto out_pid;
    }
    /* Helper connections and the QEMU driver (which reconnects to running
     * guests) before any client can ask about a domain. */
    if (sv_helper_conn_init() < 0 || sv_qemu_driver_init() < 0) {
        status = fail();
        goto out_helpers;
    }
    if (listen_at(paths.runtime_dir, SOCK_RW, false, &cfg, o.session) < 0 ||
        listen_at(paths.runtime_dir, SOCK_RO, true, &cfg, o.session) < 0 ||
        (o.libvirt_sockets && listen_libvirt(&cfg, o.session) < 0) ||
        sv_workers_start(cfg.max_workers) < 0) {
        status = fail();
        sv_server_shutdown();
        goto out_helpers;
    }

    if (sv_server_run() < 0)
        status = fail();

    /* Guests outlive frontd, also those of connections it now closes. */
    sv_autodestroy_stop();
    sv_server_shutdown();
    sv_workers_stop();
out_helpers:
    sv_qemu_driver_shutdown();
    sv_helper_conn_shutdown();
    sv_registry_shutdown();
    sv_server_free();
out_pid:
    unlink(pid_path);
    close(pidfd);
    sv_frontd_config_clear(&cfg);
    free(paths.config_dir);
    free(paths.state_dir);
    free(paths.runtime_dir);
    return status;
}
