/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resolving <domain>/<network> arguments and reading XML files, as virsh. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sepvirsh.h"
#include "sv_util.h"

/* virsh reads at most this much XML from a file (VSH_MAX_XML_FILE). */
#define SH_MAX_XML_FILE (10 * 1024 * 1024)

/* A decimal int that is the whole string (virStrToLong_i semantics). */
static bool parse_id(const char *s, int *ret)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < -2147483647L - 1 || v > 2147483647L)
        return false;
    *ret = (int)v;
    return true;
}

sepvirt_domain *sh_lookup_domain(sh_ctl *ctl, const sh_cmd *cmd, const char *optname,
                                 unsigned int by, const char **ret_name)
{
    sepvirt_domain *dom = NULL;
    const char *n;
    int id;

    if (sh_opt_string(cmd, optname, &n) <= 0) {
        sh_error(ctl, "command '%s' requires <%s> option", cmd->def->name, optname);
        return NULL;
    }
    if (ret_name)
        *ret_name = n;
    if ((by & SH_BYID) && parse_id(n, &id) && id >= 0)
        dom = sepvirt_domain_lookup_by_id(ctl->conn, id);
    if (!dom && (by & SH_BYUUID) && strlen(n) == SEPVIRT_UUID_STRING_BUFLEN - 1)
        dom = sepvirt_domain_lookup_by_uuid_string(ctl->conn, n);
    if (!dom && (by & SH_BYNAME))
        dom = sepvirt_domain_lookup_by_name(ctl->conn, n);
    /* virsh reports only its own message for a domain lookup. */
    sh_reset_error(ctl);
    if (!dom)
        sh_error(ctl, "failed to get domain '%s'", n);
    return dom;
}

sepvirt_network *sh_lookup_network(sh_ctl *ctl, const sh_cmd *cmd, unsigned int by,
                                   const char **ret_name)
{
    sepvirt_network *net = NULL;
    const char *n;

    if (sh_opt_string(cmd, "network", &n) <= 0) {
        sh_error(ctl, "command '%s' requires <%s> option", cmd->def->name, "network");
        return NULL;
    }
    if (ret_name)
        *ret_name = n;
    if ((by & SH_BYUUID) && strlen(n) == SEPVIRT_UUID_STRING_BUFLEN - 1)
        net = sepvirt_network_lookup_by_uuid_string(ctl->conn, n);
    if (!net && (by & SH_BYNAME))
        net = sepvirt_network_lookup_by_name(ctl->conn, n);
    /* Unlike domains, the library's reason stays and is printed after. */
    if (!net)
        sh_error(ctl, "failed to get network '%s'", n);
    return net;
}

char *sh_read_file(sh_ctl *ctl, const char *path)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t len = 0, cap = 4096;
    char *data;

    /* virsh tells opening from reading apart; sv_read_file cannot. */
    if (fd < 0) {
        sh_error(ctl, "Failed to open file '%s': %s", path, strerror(errno));
        return NULL;
    }
    data = sv_malloc0(cap);
    for (;;) {
        ssize_t n;

        if (len + 1 >= cap) {
            if (cap > SH_MAX_XML_FILE) {
                sh_error(ctl, "File '%s' is too large", path);
                free(data);
                return NULL;
            }
            cap *= 2;
            data = sv_realloc(data, cap);
        }
        n = read(fd, data + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            sh_error(ctl, "Failed to read file '%s': %s", path, strerror(errno));
            free(data);
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    data[len] = '\0';
    return data;
}
