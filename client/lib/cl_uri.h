/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Connection URI -> socket path, CONNECT_OPEN name and flags, following
 * libvirt's rules for the remote driver (shared/spec/libvirt-wire.md §3.1)
 * with sepvirt's socket locations.
 */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* CONNECT_OPEN flag bits (libvirt's remote driver open flags). */
enum {
    CL_OPEN_RO = 1 << 0,
    CL_OPEN_USER = 1 << 1,
    CL_OPEN_AUTOSTART = 1 << 2,
};

/* Where sepvirt-frontd listens (see util/sv_store.c for its directories):
 * system /run/sepvirt; session $XDG_RUNTIME_DIR/sepvirt, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/sepvirt/run; both $SEPVIRT_ROOT/run
 * when that is set. */
#define CL_SYSTEM_RUNDIR "/run/sepvirt"
#define CL_SOCKET "sepvirt-sock"
#define CL_SOCKET_RO "sepvirt-sock-ro"

/* Everything the parser reads from the environment, passed in so that the
 * rules can be tested without touching the process environment. */
typedef struct cl_uri_env {
    const char *sepvirt_default_uri;   /* $SEPVIRT_DEFAULT_URI */
    const char *libvirt_default_uri;   /* $LIBVIRT_DEFAULT_URI */
    const char *sepvirt_root;          /* $SEPVIRT_ROOT */
    const char *xdg_runtime_dir;       /* $XDG_RUNTIME_DIR */
    const char *xdg_cache_home;        /* $XDG_CACHE_HOME */
    const char *home;                  /* $HOME, else the passwd entry */
    uid_t euid;
} cl_uri_env;

typedef struct cl_uri {
    char *uri;          /* what sepvirt_conn_get_uri() reports */
    char *open_name;    /* name sent in CONNECT_OPEN ("" = daemon decides) */
    char *socket_path;
    unsigned int open_flags;  /* CL_OPEN_* */
    bool probe;         /* no URI anywhere: ask the daemon with GET_URI */
} cl_uri;

/* Fill env from the process environment. */
void cl_uri_env_from_process(cl_uri_env *env);

/* Parse uri (NULL/"" = default from env).  On failure returns -1 with
 * sv_error set (message suitable for "error: %s"). */
int cl_uri_parse(const char *uri, bool readonly, const cl_uri_env *env, cl_uri *ret);
void cl_uri_clear(cl_uri *u);
