/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Network commands: net-list, net-define, net-start, net-info, ... */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sepvirsh.h"
#include "sepvirsh_format.h"
#include "sv_util.h"

#define OPT_NETWORK(help) { "network", SH_OT_DATA, SH_OFLAG_REQ, help }
#define OPT_END { NULL, 0, 0, NULL }

static int network_sorter(const void *a, const void *b)
{
    return strcasecmp(sepvirt_network_get_name(*(sepvirt_network *const *)a),
                      sepvirt_network_get_name(*(sepvirt_network *const *)b));
}

static bool cmd_net_list(sh_ctl *ctl, const sh_cmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "persistent", SEPVIRT_LIST_NETWORKS_PERSISTENT },
        { "transient", SEPVIRT_LIST_NETWORKS_TRANSIENT },
        { "autostart", SEPVIRT_LIST_NETWORKS_AUTOSTART },
        { "no-autostart", SEPVIRT_LIST_NETWORKS_NO_AUTOSTART },
    };
    bool opt_name = sh_opt_bool(cmd, "name");
    bool opt_table = sh_opt_bool(cmd, "table");
    bool opt_uuid = sh_opt_bool(cmd, "uuid");
    unsigned int flags = SEPVIRT_LIST_NETWORKS_ACTIVE;
    sepvirt_network **nets = NULL;
    sh_table *table = NULL;
    int n;

    if (sh_opt_bool(cmd, "inactive"))
        flags = SEPVIRT_LIST_NETWORKS_INACTIVE;
    if (sh_opt_bool(cmd, "all"))
        flags = SEPVIRT_LIST_NETWORKS_ACTIVE | SEPVIRT_LIST_NETWORKS_INACTIVE;
    for (size_t i = 0; i < SV_ARRAY_SIZE(filters); i++) {
        if (sh_opt_bool(cmd, filters[i].opt))
            flags |= filters[i].flag;
    }
    if (opt_table + opt_name + opt_uuid > 1) {
        sh_error(ctl, "%s", "Only one argument from --table, --name and --uuid may be specified.");
        return false;
    }
    if (!opt_uuid && !opt_name)
        opt_table = true;

    if ((n = sepvirt_conn_list_all_networks(ctl->conn, &nets, flags)) < 0) {
        sh_error(ctl, "%s", "Failed to list networks");
        return false;
    }
    qsort(nets, (size_t)n, sizeof(*nets), network_sorter);

    if (opt_table)
        table = sh_table_new("Name", "State", "Autostart", "Persistent", NULL);
    for (int i = 0; i < n; i++) {
        if (opt_table) {
            int autostart = 0;
            const char *astr;

            if (sepvirt_network_get_autostart(nets[i], &autostart) < 0)
                astr = "no autostart";
            else
                astr = autostart ? "yes" : "no";
            /* virsh tests these results for truth, so an error (-1)
             * reads as "active"/"yes"; keep that. */
            sh_table_add(table, sepvirt_network_get_name(nets[i]),
                         sepvirt_network_is_active(nets[i]) ? "active" : "inactive", astr,
                         sepvirt_network_is_persistent(nets[i]) ? "yes" : "no", NULL);
        } else if (opt_uuid) {
            char uuid[SEPVIRT_UUID_STRING_BUFLEN];

            sepvirt_network_get_uuid_string(nets[i], uuid);
            sh_print(ctl, "%s\n", uuid);
        } else {
            sh_print(ctl, "%s\n", sepvirt_network_get_name(nets[i]));
        }
    }
    if (opt_table) {
        char *text = sh_table_format(table, !ctl->quiet);

        sh_print(ctl, "%s", text);
        free(text);
        sh_table_free(table);
    }
    sepvirt_network_list_free(nets, n);
    return true;
}

/* net-define and net-create: read a file, make a network. */
static bool xml_command(sh_ctl *ctl, const sh_cmd *cmd, bool create)
{
    const char *from = NULL;
    _cleanup_free_ char *xml = NULL;
    sepvirt_network *net;

    sh_opt_string(cmd, "file", &from);
    if (!(xml = sh_read_file(ctl, from)))
        return false;
    if (create)
        net = sepvirt_network_create_xml(ctl->conn, xml);
    else if (sh_opt_bool(cmd, "validate"))
        net = sepvirt_network_define_xml_flags(ctl->conn, xml, SEPVIRT_NETWORK_DEFINE_VALIDATE);
    else
        net = sepvirt_network_define_xml(ctl->conn, xml);
    if (!net) {
        sh_error(ctl, create ? "Failed to create network from %s" :
                               "Failed to define network from %s", from);
        return false;
    }
    sh_print_extra(ctl, create ? "Network %s created from %s\n" :
                                 "Network %s defined from %s\n",
                   sepvirt_network_get_name(net), from);
    sepvirt_network_free(net);
    return true;
}

static bool cmd_net_define(sh_ctl *ctl, const sh_cmd *cmd)
{
    return xml_command(ctl, cmd, false);
}

static bool cmd_net_create(sh_ctl *ctl, const sh_cmd *cmd)
{
    return xml_command(ctl, cmd, true);
}

/* net-start/-destroy/-undefine: one call; "Network X <done>" or
 * "Failed to <verb> network X". */
static bool simple(sh_ctl *ctl, const sh_cmd *cmd, int (*fn)(sepvirt_network *),
                   const char *done, const char *verb)
{
    const char *name;
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYUUID | SH_BYNAME, &name);
    int rc;

    if (!net)
        return false;
    rc = fn(net);
    sepvirt_network_free(net);
    if (rc < 0) {
        sh_error(ctl, "Failed to %s network %s", verb, name);
        return false;
    }
    sh_print_extra(ctl, "Network %s %s\n", name, done);
    return true;
}

static bool cmd_net_start(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple(ctl, cmd, sepvirt_network_create, "started", "start");
}

static bool cmd_net_destroy(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple(ctl, cmd, sepvirt_network_destroy, "destroyed", "destroy");
}

static bool cmd_net_undefine(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple(ctl, cmd, sepvirt_network_undefine, "has been undefined", "undefine");
}

static bool cmd_net_autostart(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name;
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYUUID | SH_BYNAME, &name);
    bool on = !sh_opt_bool(cmd, "disable");
    int rc;

    if (!net)
        return false;
    rc = sepvirt_network_set_autostart(net, on);
    sepvirt_network_free(net);
    if (rc < 0) {
        sh_error(ctl, on ? "failed to mark network %s as autostarted" :
                           "failed to unmark network %s as autostarted", name);
        return false;
    }
    sh_print_extra(ctl, on ? "Network %s marked as autostarted\n" :
                             "Network %s unmarked as autostarted\n", name);
    return true;
}

static bool cmd_net_dumpxml(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYUUID | SH_BYNAME, NULL);
    char *xml;

    if (!net)
        return false;
    xml = sepvirt_network_get_xml_desc(net, sh_opt_bool(cmd, "inactive") ?
                                            SEPVIRT_NETWORK_XML_INACTIVE : 0);
    sepvirt_network_free(net);
    if (!xml)
        return false;
    sh_print(ctl, "%s", xml);
    free(xml);
    return true;
}

static bool cmd_net_info(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYUUID | SH_BYNAME, NULL);
    char uuid[SEPVIRT_UUID_STRING_BUFLEN];
    int active, persistent, autostart;
    char *bridge;

    if (!net)
        return false;
    sh_print(ctl, "%-15s %s\n", "Name:", sepvirt_network_get_name(net));
    if (sepvirt_network_get_uuid_string(net, uuid) == 0)
        sh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((active = sepvirt_network_is_active(net)) >= 0)
        sh_print(ctl, "%-15s %s\n", "Active:", active ? "yes" : "no");
    persistent = sepvirt_network_is_persistent(net);
    if (persistent < 0)
        sh_print(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        sh_print(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");
    if (sepvirt_network_get_autostart(net, &autostart) < 0)
        sh_print(ctl, "%-15s %s\n", "Autostart:", "no autostart");
    else
        sh_print(ctl, "%-15s %s\n", "Autostart:", autostart ? "yes" : "no");
    if ((bridge = sepvirt_network_get_bridge_name(net))) {
        sh_print(ctl, "%-15s %s\n", "Bridge:", bridge);
        free(bridge);
    }
    sepvirt_network_free(net);
    return true;
}

static bool cmd_net_uuid(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYNAME, NULL);
    char uuid[SEPVIRT_UUID_STRING_BUFLEN];

    if (!net)
        return false;
    if (sepvirt_network_get_uuid_string(net, uuid) == 0)
        sh_print(ctl, "%s\n", uuid);
    else
        sh_error(ctl, "%s", "failed to get network UUID");
    sepvirt_network_free(net);
    return true;
}

static bool cmd_net_name(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_network *net = sh_lookup_network(ctl, cmd, SH_BYUUID, NULL);

    if (!net)
        return false;
    sh_print(ctl, "%s\n", sepvirt_network_get_name(net));
    sepvirt_network_free(net);
    return true;
}

static const sh_opt_def opts_net_list[] = {
    { "inactive", SH_OT_BOOL, 0, "list inactive networks" },
    { "all", SH_OT_BOOL, 0, "list inactive & active networks" },
    { "persistent", SH_OT_BOOL, 0, "list persistent networks" },
    { "transient", SH_OT_BOOL, 0, "list transient networks" },
    { "autostart", SH_OT_BOOL, 0, "list networks with autostart enabled" },
    { "no-autostart", SH_OT_BOOL, 0, "list networks with autostart disabled" },
    { "uuid", SH_OT_BOOL, 0, "list uuid's only" },
    { "name", SH_OT_BOOL, 0, "list network names only" },
    { "table", SH_OT_BOOL, 0, "list table (default)" },
    OPT_END,
};

static const sh_opt_def opts_net_define[] = {
    { "file", SH_OT_DATA, SH_OFLAG_REQ, "file containing an XML network description" },
    { "validate", SH_OT_BOOL, 0, "validate the XML against the schema" },
    OPT_END,
};

static const sh_opt_def opts_net_create[] = {
    { "file", SH_OT_DATA, SH_OFLAG_REQ, "file containing an XML network description" },
    OPT_END,
};

static const sh_opt_def opts_network[] = {
    OPT_NETWORK("network name or uuid"),
    OPT_END,
};

static const sh_opt_def opts_net_autostart[] = {
    OPT_NETWORK("network name or uuid"),
    { "disable", SH_OT_BOOL, 0, "disable autostarting" },
    OPT_END,
};

static const sh_opt_def opts_net_dumpxml[] = {
    OPT_NETWORK("network name or uuid"),
    { "inactive", SH_OT_BOOL, 0, "show inactive defined XML" },
    OPT_END,
};

static const sh_opt_def opts_net_uuid[] = {
    OPT_NETWORK("network name"),
    OPT_END,
};

static const sh_opt_def opts_net_name[] = {
    OPT_NETWORK("network uuid"),
    OPT_END,
};

const sh_cmd_def sh_network_cmds[] = {
    { "net-autostart", cmd_net_autostart, opts_net_autostart, "autostart a network", 0 },
    { "net-create", cmd_net_create, opts_net_create, "create a network from an XML file", 0 },
    { "net-define", cmd_net_define, opts_net_define,
      "define an inactive persistent virtual network or modify an existing persistent one from an XML file", 0 },
    { "net-destroy", cmd_net_destroy, opts_network, "destroy (stop) a network", 0 },
    { "net-dumpxml", cmd_net_dumpxml, opts_net_dumpxml, "network information in XML", 0 },
    { "net-event", sh_cmd_net_event, sh_opts_net_event, "Network Events", 0 },
    { "net-info", cmd_net_info, opts_network, "network information", 0 },
    { "net-list", cmd_net_list, opts_net_list, "list networks", 0 },
    { "net-name", cmd_net_name, opts_net_name, "convert a network UUID to network name", 0 },
    { "net-start", cmd_net_start, opts_network, "start a (previously defined) inactive network", 0 },
    { "net-undefine", cmd_net_undefine, opts_network, "undefine a persistent network", 0 },
    { "net-uuid", cmd_net_uuid, opts_net_uuid, "convert a network name to network UUID", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
