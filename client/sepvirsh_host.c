/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host and hypervisor commands: uri, version, hostname, nodeinfo, ... */
#include <stdlib.h>

#include "sepvirsh.h"
#include "sepvirsh_format.h"

/* Print a string the library returned (and free it), or virsh's error. */
static bool print_text(sh_ctl *ctl, char *text, bool newline, const char *what)
{
    if (!text) {
        sh_error(ctl, "failed to get %s", what);
        return false;
    }
    sh_print(ctl, newline ? "%s\n" : "%s", text);
    free(text);
    return true;
}

static bool cmd_uri(sh_ctl *ctl, const sh_cmd *cmd)
{
    (void)cmd;
    return print_text(ctl, sepvirt_conn_get_uri(ctl->conn), true, "URI");
}

static bool cmd_hostname(sh_ctl *ctl, const sh_cmd *cmd)
{
    (void)cmd;
    return print_text(ctl, sepvirt_conn_get_hostname(ctl->conn), true, "hostname");
}

static bool cmd_capabilities(sh_ctl *ctl, const sh_cmd *cmd)
{
    (void)cmd;
    return print_text(ctl, sepvirt_conn_get_capabilities(ctl->conn), true, "capabilities");
}

static bool cmd_sysinfo(sh_ctl *ctl, const sh_cmd *cmd)
{
    (void)cmd;
    return print_text(ctl, sepvirt_conn_get_sysinfo(ctl->conn, 0), false, "sysinfo");
}

static bool cmd_nodeinfo(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_node_info info;
    char *text;

    (void)cmd;
    if (sepvirt_node_get_info(ctl->conn, &info) < 0) {
        sh_error(ctl, "%s", "failed to get node information");
        return false;
    }
    text = sh_format_nodeinfo(&info);
    sh_print(ctl, "%s", text);
    free(text);
    return true;
}

static bool cmd_version(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *type = sepvirt_conn_get_type(ctl->conn);
    unsigned long v;
    char buf[32];

    if (!type) {
        sh_error(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    /* The client library here is libsepvirt, so these two lines name it;
     * the hypervisor lines below come from the daemon as with virsh. */
    sh_version_str(SEPVIRT_VERSION_NUMBER, buf);
    sh_print(ctl, "Compiled against library: sepvirt %s\n", buf);
    sh_version_str(sepvirt_lib_version(), buf);
    sh_print(ctl, "Using library: sepvirt %s\n", buf);
    sh_print(ctl, "Using API: %s %s\n", type, buf);

    if (sepvirt_conn_get_version(ctl->conn, &v) < 0) {
        sh_error(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (v == 0) {
        sh_print(ctl, "Cannot extract running %s hypervisor version\n", type);
    } else {
        sh_version_str(v, buf);
        sh_print(ctl, "Running hypervisor: %s %s\n", type, buf);
    }

    if (sh_opt_bool(cmd, "daemon")) {
        if (sepvirt_conn_get_lib_version(ctl->conn, &v) < 0) {
            sh_error(ctl, "%s", "failed to get the daemon version");
        } else {
            sh_version_str(v, buf);
            sh_print(ctl, "Running against daemon: %s\n", buf);
        }
    }
    return true;
}

static const sh_opt_def opts_version[] = {
    { "daemon", SH_OT_BOOL, 0, "report daemon version too" },
    { NULL, 0, 0, NULL },
};

const sh_cmd_def sh_host_cmds[] = {
    { "capabilities", cmd_capabilities, NULL, "capabilities", 0 },
    { "hostname", cmd_hostname, NULL, "print the hypervisor hostname", 0 },
    { "nodeinfo", cmd_nodeinfo, NULL, "node information", 0 },
    { "sysinfo", cmd_sysinfo, NULL, "print the hypervisor sysinfo", 0 },
    { "uri", cmd_uri, NULL, "print the hypervisor canonical URI", 0 },
    { "version", cmd_version, opts_version, "show version", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
