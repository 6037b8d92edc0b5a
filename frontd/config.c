/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sv_error.h"
#include "sv_util.h"

#define CONFIG_FILE_MAX (64u * 1024)

void sv_frontd_config_defaults(sv_frontd_config *cfg, bool session)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->unix_sock_ro_perms = session ? 0700 : 0777;
    cfg->unix_sock_rw_perms = 0700;
    cfg->max_clients = 1024;
    cfg->max_workers = 4;
    cfg->max_client_requests = 16;
    cfg->busy_poll_us = 200;
}

void sv_frontd_config_clear(sv_frontd_config *cfg)
{
    free(cfg->unix_sock_group);
    cfg->unix_sock_group = NULL;
}

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* A '#' outside double quotes starts a comment ("#x = \"y\"" included). */
static void strip_comment(char *line)
{
    bool quoted = false;

    for (; *line; line++) {
        if (*line == '"')
            quoted = !quoted;
        else if (*line == '#' && !quoted) {
            *line = '\0';
            return;
        }
    }
}

static int parse_perms(const char *v, mode_t *ret)
{
    char *end;
    unsigned long m;

    if (!*v)
        return -EINVAL;
    errno = 0;
    m = strtoul(v, &end, 8);
    if (errno || *end || m > 0777)
        return -EINVAL;
    *ret = (mode_t)m;
    return 0;
}

static int parse_count(const char *v, unsigned min, unsigned max, unsigned *ret)
{
    uint32_t n;

    if (sv_parse_u32(v, &n) < 0 || n < min || n > max)
        return -EINVAL;
    *ret = n;
    return 0;
}

/* Apply one "key = value"; returns 0, -ENOENT (unknown key), -EINVAL. */
static int apply(sv_frontd_config *cfg, const char *key, const char *value)
{
    if (strcmp(key, "unix_sock_group") == 0) {
        if (!*value)
            return -EINVAL;
        free(cfg->unix_sock_group);
        cfg->unix_sock_group = sv_strdup(value);
        return 0;
    }
    if (strcmp(key, "unix_sock_ro_perms") == 0)
        return parse_perms(value, &cfg->unix_sock_ro_perms);
    if (strcmp(key, "unix_sock_rw_perms") == 0)
        return parse_perms(value, &cfg->unix_sock_rw_perms);
    if (strcmp(key, "max_clients") == 0)
        return parse_count(value, 1, 1000000, &cfg->max_clients);
    if (strcmp(key, "max_workers") == 0)
        return parse_count(value, 1, 256, &cfg->max_workers);
    if (strcmp(key, "max_client_requests") == 0)
        return parse_count(value, 1, 1024, &cfg->max_client_requests);
    if (strcmp(key, "busy_poll_us") == 0)
        return parse_count(value, 0, 10000, &cfg->busy_poll_us);
    return -ENOENT;
}

int sv_frontd_config_load(sv_frontd_config *cfg, const char *path)
{
    _cleanup_free_ char *data = NULL;
    char *line, *save = NULL;
    unsigned lineno = 0;
    size_t len;
    int r;

    r = sv_read_file(path, CONFIG_FILE_MAX, &data, &len);
    if (r == -ENOENT)
        return 0;
    if (r < 0) {
        sv_error_set_errno(SV_FROM_NONE, -r, "cannot read %s", path);
        return -1;
    }

    /* strtok_r would merge empty lines and break the line count. */
    for (line = data; line; line = save) {
        char *eq, *key, *value;
        size_t vlen;

        lineno++;
        save = strchr(line, '\n');
        if (save)
            *save++ = '\0';
        strip_comment(line);
        line = trim(line);
        if (!*line)
            continue;
        eq = strchr(line, '=');
        if (!eq) {
            sv_error_set(SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED,
                         "%s:%u: expected 'key = value'", path, lineno);
            return -1;
        }
        *eq = '\0';
        key = trim(line);
        value = trim(eq + 1);
        vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"') {
            char *close = strchr(value + 1, '"');
            const char *rest = close ? trim(close + 1) : "";
            if (!close || (*rest && *rest != '#')) {
                sv_error_set(SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED,
                             "%s:%u: bad quoting in value of '%s'", path, lineno, key);
                return -1;
            }
            *close = '\0';
            value++;
        }
        r = apply(cfg, key, value);
        if (r == -ENOENT) {
            sv_error_set(SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED,
                         "%s:%u: unknown setting '%s'", path, lineno, key);
            return -1;
        }
        if (r < 0) {
            sv_error_set(SV_FROM_NONE, SV_ERR_CONFIG_UNSUPPORTED,
                         "%s:%u: invalid value '%s' for '%s'", path, lineno, value, key);
            return -1;
        }
    }
    return 0;
}
