/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain monitoring commands: list, dominfo, domstate, domid/name/uuid. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sepvirsh.h"
#include "sepvirsh_format.h"
#include "sv_util.h"

static const sh_opt_def opts_domain[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

/* virshDomainState: GET_STATE, or GET_INFO when the daemon lacks it. */
int sh_domain_state(sh_ctl *ctl, sepvirt_domain *dom, int *ret_reason)
{
    static bool use_info;
    sepvirt_domain_info info;
    int state;

    if (ret_reason)
        *ret_reason = -1;
    if (!use_info) {
        const sepvirt_error *e;

        if (sepvirt_domain_get_state(dom, &state, ret_reason, 0) == 0)
            return state;
        e = sepvirt_last_error();
        if (!e || e->code != SEPVIRT_ERR_NO_SUPPORT)
            return -1;
        use_info = true;
    }
    (void)ctl;
    if (sepvirt_domain_get_info(dom, &info) < 0)
        return -1;
    return info.state;
}

/* Title or description: "" when the domain has none, NULL on error. */
char *sh_domain_description(sh_ctl *ctl, sepvirt_domain *dom, bool title,
                                unsigned int flags)
{
    char *s = sepvirt_domain_get_metadata(dom, title ? SEPVIRT_DOMAIN_METADATA_TITLE :
                                                       SEPVIRT_DOMAIN_METADATA_DESCRIPTION,
                                          NULL, flags);
    const sepvirt_error *e;

    if (s)
        return s;
    e = sepvirt_last_error();
    if (e && e->code == SEPVIRT_ERR_NO_DOMAIN_METADATA) {
        sh_reset_error(ctl);
        return sv_strdup("");
    }
    return NULL;
}

/* ---- list ------------------------------------------------------------------- */

static int domain_sorter(const void *a, const void *b)
{
    sepvirt_domain *da = *(sepvirt_domain *const *)a;
    sepvirt_domain *db = *(sepvirt_domain *const *)b;
    unsigned int ida = sepvirt_domain_get_id(da), idb = sepvirt_domain_get_id(db);
    unsigned int inactive = (unsigned int)-1;

    if (ida == inactive && idb == inactive)
        return strcasecmp(sepvirt_domain_get_name(da), sepvirt_domain_get_name(db));
    if (ida != inactive && idb != inactive)
        return ida > idb ? 1 : ida < idb ? -1 : 0;
    return ida != inactive ? -1 : 1;
}

static const sh_opt_def opts_list[] = {
    { "inactive", SH_OT_BOOL, 0, "list inactive domains" },
    { "all", SH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", SH_OT_BOOL, 0, "list transient domains" },
    { "persistent", SH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", SH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", SH_OT_BOOL, 0, "list domains without a snapshot" },
    { "with-checkpoint", SH_OT_BOOL, 0, "list domains with existing checkpoint" },
    { "without-checkpoint", SH_OT_BOOL, 0, "list domains without a checkpoint" },
    { "state-running", SH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", SH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", SH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", SH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", SH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", SH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", SH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", SH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", SH_OT_BOOL, 0, "list uuid's only" },
    { "name", SH_OT_BOOL, 0, "list domain names only" },
    { "id", SH_OT_BOOL, 0, "list domain IDs only" },
    { "table", SH_OT_BOOL, 0, "list table (default)" },
    { "managed-save", SH_OT_BOOL, 0, "mark inactive domains with managed save state" },
    { "title", SH_OT_BOOL, 0, "show domain title" },
    { NULL, 0, 0, NULL },
};

static const struct {
    const char *opt;
    unsigned int flag;
} list_filters[] = {
    { "persistent", SEPVIRT_LIST_DOMAINS_PERSISTENT },
    { "transient", SEPVIRT_LIST_DOMAINS_TRANSIENT },
    { "with-managed-save", SEPVIRT_LIST_DOMAINS_MANAGEDSAVE },
    { "without-managed-save", SEPVIRT_LIST_DOMAINS_NO_MANAGEDSAVE },
    { "autostart", SEPVIRT_LIST_DOMAINS_AUTOSTART },
    { "no-autostart", SEPVIRT_LIST_DOMAINS_NO_AUTOSTART },
    { "with-snapshot", SEPVIRT_LIST_DOMAINS_HAS_SNAPSHOT },
    { "without-snapshot", SEPVIRT_LIST_DOMAINS_NO_SNAPSHOT },
    { "with-checkpoint", SEPVIRT_LIST_DOMAINS_HAS_CHECKPOINT },
    { "without-checkpoint", SEPVIRT_LIST_DOMAINS_NO_CHECKPOINT },
    { "state-running", SEPVIRT_LIST_DOMAINS_RUNNING },
    { "state-paused", SEPVIRT_LIST_DOMAINS_PAUSED },
    { "state-shutoff", SEPVIRT_LIST_DOMAINS_SHUTOFF },
    { "state-other", SEPVIRT_LIST_DOMAINS_OTHER },
};

static bool list_row(sh_ctl *ctl, sh_table *table, sepvirt_domain *dom, bool managed,
                     bool opt_title, bool opt_uuid, const char *id_buf)
{
    const char *cells[5];
    size_t n = 0;
    char uuid[SEPVIRT_UUID_STRING_BUFLEN];
    _cleanup_free_ char *title = NULL;
    int state = sh_domain_state(ctl, dom, NULL);

    /* The domain may have gone away since the listing. */
    if (state < 0)
        return true;
    cells[n++] = id_buf;
    cells[n++] = sepvirt_domain_get_name(dom);
    if (managed && state == SEPVIRT_DOMAIN_SHUTOFF &&
        sepvirt_domain_has_managed_save_image(dom, 0) > 0)
        cells[n++] = "saved";
    else
        cells[n++] = sh_domain_state_str(state);
    if (opt_title) {
        if (!(title = sh_domain_description(ctl, dom, true, 0)))
            return false;
        cells[n++] = title;
    }
    if (opt_uuid) {
        sepvirt_domain_get_uuid_string(dom, uuid);
        cells[n++] = uuid;
    }
    sh_table_addv(table, cells, n);
    return true;
}

static bool cmd_list(sh_ctl *ctl, const sh_cmd *cmd)
{
    bool managed = sh_opt_bool(cmd, "managed-save");
    bool opt_title = sh_opt_bool(cmd, "title");
    bool opt_table = sh_opt_bool(cmd, "table");
    bool opt_uuid = sh_opt_bool(cmd, "uuid");
    bool opt_name = sh_opt_bool(cmd, "name");
    bool opt_id = sh_opt_bool(cmd, "id");
    unsigned int flags = SEPVIRT_LIST_DOMAINS_ACTIVE;
    sepvirt_domain **doms = NULL;
    sh_table *table = NULL;
    bool ret = false;
    int n;

    if (sh_opt_bool(cmd, "inactive") || sh_opt_bool(cmd, "state-shutoff"))
        flags = SEPVIRT_LIST_DOMAINS_INACTIVE;
    if (sh_opt_bool(cmd, "all"))
        flags = SEPVIRT_LIST_DOMAINS_INACTIVE | SEPVIRT_LIST_DOMAINS_ACTIVE;
    for (size_t i = 0; i < SV_ARRAY_SIZE(list_filters); i++) {
        if (sh_opt_bool(cmd, list_filters[i].opt))
            flags |= list_filters[i].flag;
    }
    if (opt_table && opt_name) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", "table", "name");
        return false;
    }
    if (opt_table && opt_id) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", "table", "id");
        return false;
    }
    if (!opt_uuid && !opt_name && !opt_id)
        opt_table = true;

    if ((n = sepvirt_conn_list_all_domains(ctl->conn, &doms, flags)) < 0) {
        sh_error(ctl, "%s", "Failed to list domains");
        return false;
    }
    qsort(doms, (size_t)n, sizeof(*doms), domain_sorter);

    if (opt_table) {
        if (opt_title && opt_uuid)
            table = sh_table_new("Id", "Name", "State", "Title", "UUID", NULL);
        else if (opt_title)
            table = sh_table_new("Id", "Name", "State", "Title", NULL);
        else if (opt_uuid)
            table = sh_table_new("Id", "Name", "State", "UUID", NULL);
        else
            table = sh_table_new("Id", "Name", "State", NULL);
    }

    for (int i = 0; i < n; i++) {
        unsigned int id = sepvirt_domain_get_id(doms[i]);
        char id_buf[32];
        const char *sep = "";

        if (id != (unsigned int)-1)
            snprintf(id_buf, sizeof(id_buf), "%d", (int)id);
        else
            strcpy(id_buf, "-");

        if (opt_table) {
            if (!list_row(ctl, table, doms[i], managed, opt_title, opt_uuid, id_buf))
                goto out;
            continue;
        }
        if (opt_uuid) {
            char uuid[SEPVIRT_UUID_STRING_BUFLEN];

            sepvirt_domain_get_uuid_string(doms[i], uuid);
            sh_print(ctl, "%s", uuid);
            sep = " ";
        }
        if (opt_id) {
            /* IDs only: inactive domains have none to print. */
            if (id == (unsigned int)-1 && !opt_uuid && !opt_name)
                continue;
            sh_print(ctl, "%s%s", sep, id_buf);
            sep = " ";
        }
        if (opt_name)
            sh_print(ctl, "%s%s", sep, sepvirt_domain_get_name(doms[i]));
        sh_print(ctl, "\n");
    }
    if (opt_table) {
        char *text = sh_table_format(table, !ctl->quiet);

        sh_print(ctl, "%s", text);
        free(text);
    }
    ret = true;
 out:
    sh_table_free(table);
    sepvirt_domain_list_free(doms, n);
    return ret;
}

/* ---- dominfo -------------------------------------------------------------------- */

static bool cmd_dominfo(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME,
                                           NULL);
    sepvirt_domain_info info;
    sepvirt_security_model secmodel;
    char uuid[SEPVIRT_UUID_STRING_BUFLEN];
    char *ostype, **msgs = NULL;
    unsigned int id;
    int persistent, autostart, managed, nmsgs;
    bool ret = true;

    if (!dom)
        return false;

    id = sepvirt_domain_get_id(dom);
    if (id == (unsigned int)-1)
        sh_print(ctl, "%-15s %s\n", "Id:", "-");
    else
        sh_print(ctl, "%-15s %d\n", "Id:", (int)id);
    sh_print(ctl, "%-15s %s\n", "Name:", sepvirt_domain_get_name(dom));
    if (sepvirt_domain_get_uuid_string(dom, uuid) == 0)
        sh_print(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((ostype = sepvirt_domain_get_os_type(dom))) {
        sh_print(ctl, "%-15s %s\n", "OS Type:", ostype);
        free(ostype);
    }

    if (sepvirt_domain_get_info(dom, &info) == 0) {
        sh_print(ctl, "%-15s %s\n", "State:", sh_domain_state_str(info.state));
        sh_print(ctl, "%-15s %d\n", "CPU(s):", (int)info.nr_virt_cpu);
        if (info.cpu_time_ns != 0)
            sh_print(ctl, "%-15s %.1lfs\n", "CPU time:", info.cpu_time_ns / 1000000000.0);
        /* virsh compares against UINT_MAX ("no limit" from 32-bit days). */
        if (info.max_mem_kib != UINT_MAX)
            sh_print(ctl, "%-15s %llu KiB\n", "Max memory:", info.max_mem_kib);
        else
            sh_print(ctl, "%-15s %s\n", "Max memory:", "no limit");
        sh_print(ctl, "%-15s %llu KiB\n", "Used memory:", info.memory_kib);
    } else {
        ret = false;
    }

    persistent = sepvirt_domain_is_persistent(dom);
    if (persistent < 0)
        sh_print(ctl, "%-15s %s\n", "Persistent:", "unknown");
    else
        sh_print(ctl, "%-15s %s\n", "Persistent:", persistent ? "yes" : "no");

    if (sepvirt_domain_get_autostart(dom, &autostart) == 0)
        sh_print(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");

    managed = sepvirt_domain_has_managed_save_image(dom, 0);
    if (managed < 0)
        sh_print(ctl, "%-15s %s\n", "Managed save:", "unknown");
    else
        sh_print(ctl, "%-15s %s\n", "Managed save:", managed ? "yes" : "no");

    if (sepvirt_node_get_security_model(ctl->conn, &secmodel) < 0) {
        const sepvirt_error *e = sepvirt_last_error();

        if (!e || e->code != SEPVIRT_ERR_NO_SUPPORT) {
            sepvirt_domain_free(dom);
            return false;
        }
        sh_reset_error(ctl);
    } else if (secmodel.model[0] != '\0') {
        sepvirt_security_label label;

        sh_print(ctl, "%-15s %s\n", "Security model:", secmodel.model);
        sh_print(ctl, "%-15s %s\n", "Security DOI:", secmodel.doi);
        if (sepvirt_domain_get_security_label(dom, &label) < 0) {
            sepvirt_domain_free(dom);
            return false;
        }
        if (label.label[0] != '\0')
            sh_print(ctl, "%-15s %s (%s)\n", "Security label:", label.label,
                     label.enforcing ? "enforcing" : "permissive");
    }

    if ((nmsgs = sepvirt_domain_get_messages(dom, &msgs, 0)) > 0) {
        for (int i = 0; i < nmsgs; i++)
            sh_print(ctl, "%-15s %s\n", i == 0 ? "Messages:" : "", msgs[i]);
    }
    if (nmsgs >= 0) {
        for (int i = 0; i < nmsgs; i++)
            free(msgs[i]);
        free(msgs);
    }
    sepvirt_domain_free(dom);
    return ret;
}

/* ---- domstate ----------------------------------------------------------------------- */

static const sh_opt_def opts_domstate[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name, id or uuid" },
    { "reason", SH_OT_BOOL, 0, "also print reason for the state" },
    { NULL, 0, 0, NULL },
};

static bool cmd_domstate(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME,
                                           NULL);
    int state, reason;

    if (!dom)
        return false;
    state = sh_domain_state(ctl, dom, &reason);
    sepvirt_domain_free(dom);
    if (state < 0)
        return false;
    if (sh_opt_bool(cmd, "reason"))
        sh_print(ctl, "%s (%s)\n", sh_domain_state_str(state), sh_domain_reason_str(state, reason));
    else
        sh_print(ctl, "%s\n", sh_domain_state_str(state));
    return true;
}

const sh_cmd_def sh_monitor_cmds[] = {
    { "domblkstat", sh_cmd_domblkstat, sh_opts_domblkstat, "get device block stats for a domain", 0 },
    { "domcontrol", sh_cmd_domcontrol, opts_domain, "domain control interface state", 0 },
    { "domifaddr", sh_cmd_domifaddr, sh_opts_domifaddr,
      "Get network interfaces' addresses for a running domain", 0 },
    { "domifstat", sh_cmd_domifstat, sh_opts_domifstat, "get network interface stats for a domain", 0 },
    { "dominfo", cmd_dominfo, opts_domain, "domain information", 0 },
    { "dommemstat", sh_cmd_dommemstat, sh_opts_dommemstat, "get memory statistics for a domain", 0 },
    { "domstate", cmd_domstate, opts_domstate, "domain state", 0 },
    { "list", cmd_list, opts_list, "list domains", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
