/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cl_uri.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "sv_buf.h"
#include "sv_error.h"
#include "sv_util.h"

/* Query parameters the client consumes; they never reach the daemon. */
static const char *const client_params[] = {
    "name", "command", "socket", "auth", "sshauth", "netcat", "keyfile",
    "pkipath", "known_hosts", "known_hosts_verify", "tls_priority", "mode",
    "proxy", "no_sanity", "no_verify", "no_tty", "authfile",
};

void cl_uri_env_from_process(cl_uri_env *env)
{
    env->sepvirt_default_uri = getenv("SEPVIRT_DEFAULT_URI");
    env->libvirt_default_uri = getenv("LIBVIRT_DEFAULT_URI");
    env->sepvirt_root = getenv("SEPVIRT_ROOT");
    env->xdg_runtime_dir = getenv("XDG_RUNTIME_DIR");
    env->xdg_cache_home = getenv("XDG_CACHE_HOME");
    env->home = getenv("HOME");
    env->euid = geteuid();
    if (!env->home || env->home[0] != '/') {
        struct passwd *pw = getpwuid(env->euid);

        env->home = pw && pw->pw_dir ? pw->pw_dir : NULL;
    }
}

void cl_uri_clear(cl_uri *u)
{
    free(u->uri);
    free(u->open_name);
    free(u->socket_path);
    memset(u, 0, sizeof(*u));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Percent-decode [s, s+n); '+' stays '+' as in libvirt's URI parser. */
static char *pct_decode(const char *s, size_t n)
{
    char *out = sv_malloc0(n + 1);
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    return out;
}

static bool is_client_param(const char *key, size_t keylen)
{
    for (size_t i = 0; i < SV_ARRAY_SIZE(client_params); i++) {
        if (strlen(client_params[i]) == keylen && strncmp(client_params[i], key, keylen) == 0)
            return true;
    }
    return false;
}

/* Only absolute values count, as for the daemon. */
static bool usable(const char *dir)
{
    return dir && dir[0] == '/';
}

/* The daemon's socket for the session or system instance. */
static char *socket_path(const cl_uri_env *env, bool session, bool readonly)
{
    const char *name = readonly && !session ? CL_SOCKET_RO : CL_SOCKET;

    if (usable(env->sepvirt_root))
        return sv_asprintf("%s/run/%s", env->sepvirt_root, name);
    if (!session)
        return sv_asprintf("%s/%s", CL_SYSTEM_RUNDIR, name);
    if (usable(env->xdg_runtime_dir))
        return sv_asprintf("%s/sepvirt/%s", env->xdg_runtime_dir, name);
    if (usable(env->xdg_cache_home))
        return sv_asprintf("%s/sepvirt/run/%s", env->xdg_cache_home, name);
    return sv_asprintf("%s/.cache/sepvirt/run/%s", usable(env->home) ? env->home : "", name);
}

int cl_uri_parse(const char *uri, bool readonly, const cl_uri_env *env, cl_uri *ret)
{
    cl_uri u = { 0 };
    _cleanup_free_ char *socket = NULL;
    _cleanup_free_ char *path = NULL;
    sv_buf passthru = { 0 };
    const char *p, *scheme_end, *authority, *path_start, *query;
    size_t driver_len;
    const char *plus;

    if (!uri || !*uri)
        uri = env->sepvirt_default_uri && *env->sepvirt_default_uri ?
              env->sepvirt_default_uri : env->libvirt_default_uri;
    if (!uri || !*uri) {
        /* No URI anywhere: pick the local daemon the way libvirt does for a
         * missing URI and let the daemon name itself (GET_URI). */
        u.probe = true;
        u.open_name = sv_strdup("");
        if (env->euid == 0) {
            u.uri = sv_strdup("qemu:///system");
        } else {
            u.uri = sv_strdup("qemu:///session");
            u.open_flags |= CL_OPEN_USER | CL_OPEN_AUTOSTART;
        }
        u.socket_path = socket_path(env, env->euid != 0, readonly);
        if (readonly)
            u.open_flags |= CL_OPEN_RO;
        *ret = u;
        return 0;
    }

    scheme_end = strstr(uri, "://");
    if (!scheme_end || scheme_end == uri) {
        sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: unable to parse URI %s", uri);
        return -1;
    }
    for (p = uri; p < scheme_end; p++) {
        if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' && *p != '.') {
            sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG,
                         "invalid argument: unable to parse URI %s", uri);
            return -1;
        }
    }
    plus = memchr(uri, '+', (size_t)(scheme_end - uri));
    driver_len = (size_t)((plus ? plus : scheme_end) - uri);
    if (driver_len != 4 || strncasecmp(uri, "qemu", 4) != 0) {
        sv_error_set(SV_FROM_NONE, SV_ERR_NO_CONNECT,
                     "no connection driver available for %s", uri);
        return -1;
    }

    authority = scheme_end + 3;
    path_start = authority + strcspn(authority, "/?");
    if (plus) {
        size_t tlen = (size_t)(scheme_end - plus - 1);

        if (tlen != 4 || strncasecmp(plus + 1, "unix", 4) != 0) {
            sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG,
                         "transport '%.*s' in URI %s is not supported; use a local "
                         "unix socket (qemu:///... or qemu+unix:///...)",
                         (int)tlen, plus + 1, uri);
            return -1;
        }
    }
    if (path_start != authority) {
        sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "remote host in URI %s is not supported; only local unix "
                     "sockets are", uri);
        return -1;
    }

    query = strchr(path_start, '?');
    path = pct_decode(path_start, query ? (size_t)(query - path_start) : strlen(path_start));
    if (query) {
        const char *q = query + 1;

        while (*q) {
            size_t len = strcspn(q, "&");
            const char *eq = memchr(q, '=', len);
            size_t keylen = eq ? (size_t)(eq - q) : len;

            if (keylen == 6 && strncmp(q, "socket", 6) == 0) {
                free(socket);
                socket = eq ? pct_decode(eq + 1, len - keylen - 1) : sv_strdup("");
            } else if (len > 0 && !is_client_param(q, keylen)) {
                sv_buf_add(&passthru, passthru.len ? "&" : "?");
                sv_buf_addn(&passthru, q, len);
            }
            q += len;
            if (*q == '&')
                q++;
        }
    }

    if (socket && !*socket) {
        sv_buf_free(&passthru);
        sv_error_set(SV_FROM_NONE, SV_ERR_INVALID_ARG,
                     "invalid argument: empty socket path in URI %s", uri);
        return -1;
    }

    u.uri = sv_strdup(uri);
    u.open_name = sv_asprintf("qemu://%s%s", path, passthru.len ? passthru.data : "");
    sv_buf_free(&passthru);

    if (readonly)
        u.open_flags |= CL_OPEN_RO;
    if (strcmp(path, "/session") == 0 && env->euid != 0) {
        u.open_flags |= CL_OPEN_USER;
        if (!socket)
            u.open_flags |= CL_OPEN_AUTOSTART;
    }

    if (socket) {
        u.socket_path = socket;
        socket = NULL;
    } else if (strcmp(path, "/system") == 0 || strcmp(path, "/session") == 0) {
        u.socket_path = socket_path(env, strcmp(path, "/session") == 0, readonly);
    } else {
        cl_uri_clear(&u);
        sv_error_set(SV_FROM_QEMU, SV_ERR_INTERNAL_ERROR,
                     "internal error: unexpected QEMU URI path '%s', try qemu:///system",
                     path);
        return -1;
    }

    *ret = u;
    return 0;
}
