/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain management commands: define/undefine, XML, autostart, metadata,
 * descriptions and the lifecycle (start/destroy/shutdown/...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sepvirsh.h"
#include "sv_buf.h"
#include "sv_util.h"

#define OPT_DOMAIN(help) { "domain", SH_OT_DATA, SH_OFLAG_REQ, help }
#define OPT_END { NULL, 0, 0, NULL }

static bool exclusive(sh_ctl *ctl, const sh_cmd *cmd, const char *a, const char *b)
{
    if (sh_opt_bool(cmd, a) && sh_opt_bool(cmd, b)) {
        sh_error(ctl, "Options --%s and --%s are mutually exclusive", a, b);
        return false;
    }
    return true;
}

/* --current/--live/--config to SEPVIRT_DOMAIN_AFFECT_* (false on conflict). */
static bool affect_flags(sh_ctl *ctl, const sh_cmd *cmd, unsigned int *ret_flags)
{
    if (!exclusive(ctl, cmd, "current", "live") || !exclusive(ctl, cmd, "current", "config"))
        return false;
    *ret_flags = 0;
    if (sh_opt_bool(cmd, "config"))
        *ret_flags |= SEPVIRT_DOMAIN_AFFECT_CONFIG;
    if (sh_opt_bool(cmd, "live"))
        *ret_flags |= SEPVIRT_DOMAIN_AFFECT_LIVE;
    return true;
}

/* ---- define / create / undefine --------------------------------------------- */

static bool cmd_define(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *from = NULL;
    _cleanup_free_ char *xml = NULL;
    sepvirt_domain *dom;

    sh_opt_string(cmd, "file", &from);
    if (!(xml = sh_read_file(ctl, from)))
        return false;
    if (sh_opt_bool(cmd, "validate"))
        dom = sepvirt_domain_define_xml_flags(ctl->conn, xml, SEPVIRT_DOMAIN_DEFINE_VALIDATE);
    else
        dom = sepvirt_domain_define_xml(ctl->conn, xml);
    if (!dom) {
        sh_error(ctl, "Failed to define domain from %s", from);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' defined from %s\n", sepvirt_domain_get_name(dom), from);
    sepvirt_domain_free(dom);
    return true;
}

static bool cmd_create(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *from = NULL;
    _cleanup_free_ char *xml = NULL;
    sepvirt_domain *dom;
    unsigned int flags = 0;

    if (sh_opt_bool(cmd, "console") || sh_opt_bool(cmd, "pass-fds")) {
        sh_error(ctl, "%s", "--console and --pass-fds are not supported by sepvirsh yet");
        return false;
    }
    sh_opt_string(cmd, "file", &from);
    if (!(xml = sh_read_file(ctl, from)))
        return false;
    if (sh_opt_bool(cmd, "paused"))
        flags |= SEPVIRT_DOMAIN_START_PAUSED;
    if (sh_opt_bool(cmd, "autodestroy"))
        flags |= SEPVIRT_DOMAIN_START_AUTODESTROY;
    if (sh_opt_bool(cmd, "validate"))
        flags |= SEPVIRT_DOMAIN_START_VALIDATE;
    if (!(dom = sepvirt_domain_create_xml(ctl->conn, xml, flags))) {
        sh_error(ctl, "Failed to create domain from %s", from);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' created from %s\n", sepvirt_domain_get_name(dom), from);
    sepvirt_domain_free(dom);
    return true;
}

static const struct {
    const char *opt;
    unsigned int flag;
} undefine_flags[] = {
    { "managed-save", SEPVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE },
    { "snapshots-metadata", SEPVIRT_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA },
    { "checkpoints-metadata", SEPVIRT_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA },
    { "nvram", SEPVIRT_DOMAIN_UNDEFINE_NVRAM },
    { "keep-nvram", SEPVIRT_DOMAIN_UNDEFINE_KEEP_NVRAM },
    { "tpm", SEPVIRT_DOMAIN_UNDEFINE_TPM },
    { "keep-tpm", SEPVIRT_DOMAIN_UNDEFINE_KEEP_TPM },
};

static bool cmd_undefine(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom;
    const char *name;
    unsigned int flags = 0;
    int rc;

    if (!exclusive(ctl, cmd, "nvram", "keep-nvram") || !exclusive(ctl, cmd, "tpm", "keep-tpm"))
        return false;
    if (sh_opt_bool(cmd, "remove-all-storage") || sh_opt_bool(cmd, "wipe-storage") ||
        sh_opt_bool(cmd, "storage")) {
        sh_error(ctl, "%s", "removing storage volumes is not supported by sepvirsh");
        return false;
    }
    for (size_t i = 0; i < SV_ARRAY_SIZE(undefine_flags); i++) {
        if (sh_opt_bool(cmd, undefine_flags[i].opt))
            flags |= undefine_flags[i].flag;
    }
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, &name)))
        return false;

    rc = sepvirt_domain_undefine_flags(dom, flags);
    if (rc < 0 && !(flags & SEPVIRT_DOMAIN_UNDEFINE_NVRAM)) {
        const sepvirt_error *e = sepvirt_last_error();

        /* Daemons without UNDEFINE_FLAGS: the plain call, as virsh does. */
        if (e && (e->code == SEPVIRT_ERR_NO_SUPPORT || e->code == SEPVIRT_ERR_INVALID_ARG)) {
            sh_reset_error(ctl);
            rc = sepvirt_domain_undefine(dom);
        }
    }
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to undefine domain '%s'", name);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' has been undefined\n", name);
    return true;
}

/* ---- dumpxml ---------------------------------------------------------------------- */

static bool cmd_dumpxml(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom;
    unsigned int flags = 0;
    char *xml;

    if (sh_opt_bool(cmd, "inactive"))
        flags |= SEPVIRT_DOMAIN_XML_INACTIVE;
    if (sh_opt_bool(cmd, "security-info"))
        flags |= SEPVIRT_DOMAIN_XML_SECURE;
    if (sh_opt_bool(cmd, "update-cpu"))
        flags |= SEPVIRT_DOMAIN_XML_UPDATE_CPU;
    if (sh_opt_bool(cmd, "migratable"))
        flags |= SEPVIRT_DOMAIN_XML_MIGRATABLE;
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, NULL)))
        return false;
    xml = sepvirt_domain_get_xml_desc(dom, flags);
    sepvirt_domain_free(dom);
    if (!xml)
        return false;
    sh_print(ctl, "%s", xml);
    free(xml);
    return true;
}

/* ---- autostart, metadata, desc ------------------------------------------------------ */

static bool cmd_autostart(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name;
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME,
                                           &name);
    bool on = !sh_opt_bool(cmd, "disable");
    int rc;

    if (!dom)
        return false;
    rc = sepvirt_domain_set_autostart(dom, on);
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, on ? "Failed to mark domain '%s' as autostarted" :
                           "Failed to unmark domain '%s' as autostarted", name);
        return false;
    }
    sh_print_extra(ctl, on ? "Domain '%s' marked as autostarted\n" :
                             "Domain '%s' unmarked as autostarted\n", name);
    return true;
}

static bool cmd_metadata(sh_ctl *ctl, const sh_cmd *cmd)
{
    bool edit = sh_opt_bool(cmd, "edit"), rem = sh_opt_bool(cmd, "remove");
    const char *uri = NULL, *key = NULL, *set = NULL;
    unsigned int flags;
    sepvirt_domain *dom;
    bool ret = false;

    if (!affect_flags(ctl, cmd, &flags) || !exclusive(ctl, cmd, "edit", "set") ||
        !exclusive(ctl, cmd, "remove", "set") || !exclusive(ctl, cmd, "remove", "edit"))
        return false;
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, NULL)))
        return false;
    sh_opt_string(cmd, "uri", &uri);
    sh_opt_string(cmd, "key", &key);
    sh_opt_string(cmd, "set", &set);

    if (!key && (set || edit)) {
        sh_error(ctl, "%s", "namespace key is required when modifying metadata");
    } else if (edit) {
        sh_error(ctl, "%s", "--edit is not supported by sepvirsh; use --set");
    } else if (set || rem) {
        if (sepvirt_domain_set_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT, set, key, uri,
                                        flags) == 0) {
            sh_print_extra(ctl, "%s\n", rem ? "Metadata removed" : "Metadata modified");
            ret = true;
        }
    } else {
        char *data = sepvirt_domain_get_metadata(dom, SEPVIRT_DOMAIN_METADATA_ELEMENT, uri,
                                                 flags);

        if (data) {
            sh_print(ctl, "%s\n", data);
            free(data);
            ret = true;
        }
    }
    sepvirt_domain_free(dom);
    return ret;
}

static bool cmd_desc(sh_ctl *ctl, const sh_cmd *cmd)
{
    bool title = sh_opt_bool(cmd, "title");
    unsigned int flags;
    sepvirt_domain *dom;
    const sh_opt_val *w;
    sv_buf desc = { 0 };
    bool have_desc = false, ret = false;

    if (!affect_flags(ctl, cmd, &flags))
        return false;
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, NULL)))
        return false;
    for (w = sh_opt_argv(cmd, NULL); w; w = sh_opt_argv(cmd, w)) {
        if (have_desc)
            sv_buf_add(&desc, " ");
        sv_buf_add(&desc, w->data);
        have_desc = true;
    }

    if (sh_opt_bool(cmd, "edit")) {
        sh_error(ctl, "%s", "--edit is not supported by sepvirsh; give the new text");
    } else if (have_desc) {
        if (sepvirt_domain_set_metadata(dom, title ? SEPVIRT_DOMAIN_METADATA_TITLE :
                                                     SEPVIRT_DOMAIN_METADATA_DESCRIPTION,
                                        desc.data, NULL, NULL, flags) < 0) {
            sh_error(ctl, "%s", title ? "Failed to set new domain title" :
                                        "Failed to set new domain description");
        } else {
            sh_print_extra(ctl, "%s", title ? "Domain title updated successfully" :
                                              "Domain description updated successfully");
            ret = true;
        }
    } else {
        /* virsh asks with the XML-inactive bit, which equals AFFECT_CONFIG. */
        char *text = sh_domain_description(ctl, dom, title,
                                           sh_opt_bool(cmd, "config") ?
                                           SEPVIRT_DOMAIN_XML_INACTIVE : 0);

        if (text) {
            if (*text)
                sh_print(ctl, "%s", text);
            else
                sh_print_extra(ctl, title ? "No title for domain: %s" :
                                            "No description for domain: %s",
                               sepvirt_domain_get_name(dom));
            free(text);
            ret = true;
        }
    }
    sv_buf_free(&desc);
    sepvirt_domain_free(dom);
    return ret;
}

/* ---- domid, domname, domuuid -------------------------------------------------------- */

static bool cmd_domid(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYNAME | SH_BYUUID, NULL);
    unsigned int id;

    if (!dom)
        return false;
    id = sepvirt_domain_get_id(dom);
    if (id == (unsigned int)-1)
        sh_print(ctl, "%s\n", "-");
    else
        sh_print(ctl, "%d\n", (int)id);
    sepvirt_domain_free(dom);
    return true;
}

static bool cmd_domname(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID, NULL);

    if (!dom)
        return false;
    sh_print(ctl, "%s\n", sepvirt_domain_get_name(dom));
    sepvirt_domain_free(dom);
    return true;
}

static bool cmd_domuuid(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYNAME, NULL);
    char uuid[SEPVIRT_UUID_STRING_BUFLEN];

    if (!dom)
        return false;
    if (sepvirt_domain_get_uuid_string(dom, uuid) == 0)
        sh_print(ctl, "%s\n", uuid);
    else
        sh_error(ctl, "%s", "failed to get domain UUID");
    sepvirt_domain_free(dom);
    return true;
}

/* ---- Lifecycle ---------------------------------------------------------------------- */

static bool cmd_start(sh_ctl *ctl, const sh_cmd *cmd)
{
    sepvirt_domain *dom;
    unsigned int flags = 0;
    bool ret = false;
    int rc;

    if (sh_opt_bool(cmd, "console") || sh_opt_bool(cmd, "pass-fds")) {
        sh_error(ctl, "%s", "--console and --pass-fds are not supported by sepvirsh yet");
        return false;
    }
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYNAME | SH_BYUUID, NULL)))
        return false;
    if (sepvirt_domain_get_id(dom) != (unsigned int)-1) {
        sh_error(ctl, "%s", "Domain is already active");
        goto out;
    }
    if (sh_opt_bool(cmd, "paused"))
        flags |= SEPVIRT_DOMAIN_START_PAUSED;
    if (sh_opt_bool(cmd, "autodestroy"))
        flags |= SEPVIRT_DOMAIN_START_AUTODESTROY;
    if (sh_opt_bool(cmd, "bypass-cache"))
        flags |= SEPVIRT_DOMAIN_START_BYPASS_CACHE;
    if (sh_opt_bool(cmd, "force-boot"))
        flags |= SEPVIRT_DOMAIN_START_FORCE_BOOT;
    if (sh_opt_bool(cmd, "reset-nvram"))
        flags |= SEPVIRT_DOMAIN_START_RESET_NVRAM;
    /* Prefer the older call unless a flag must be passed, like virsh. */
    rc = flags ? sepvirt_domain_create_with_flags(dom, flags) : sepvirt_domain_create(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to start domain '%s'", sepvirt_domain_get_name(dom));
        goto out;
    }
    sh_print_extra(ctl, "Domain '%s' started\n", sepvirt_domain_get_name(dom));
    ret = true;
 out:
    sepvirt_domain_free(dom);
    return ret;
}

static bool cmd_destroy(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name;
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME,
                                           &name);
    unsigned int flags = 0;
    int rc;

    if (!dom)
        return false;
    if (sh_opt_bool(cmd, "graceful"))
        flags |= SEPVIRT_DOMAIN_DESTROY_GRACEFUL;
    if (sh_opt_bool(cmd, "remove-logs"))
        flags |= SEPVIRT_DOMAIN_DESTROY_REMOVE_LOGS;
    rc = flags ? sepvirt_domain_destroy_flags(dom, flags) : sepvirt_domain_destroy(dom);
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to destroy domain '%s'", name);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' destroyed\n", name);
    return true;
}

/* --mode acpi,agent,... for shutdown and reboot; false on an unknown word. */
static bool parse_mode(sh_ctl *ctl, const sh_cmd *cmd, unsigned int *ret_flags)
{
    static const struct {
        const char *word;
        unsigned int flag;
    } modes[] = {
        { "acpi", SEPVIRT_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", SEPVIRT_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", SEPVIRT_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", SEPVIRT_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", SEPVIRT_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    const char *mode;
    _cleanup_free_ char *copy = NULL;
    char *save = NULL;

    *ret_flags = 0;
    if (sh_opt_string(cmd, "mode", &mode) <= 0)
        return true;
    copy = sv_strdup(mode);
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        size_t i;

        for (i = 0; i < SV_ARRAY_SIZE(modes) && strcmp(modes[i].word, w) != 0; i++)
            ;
        if (i == SV_ARRAY_SIZE(modes)) {
            sh_error(ctl, "Unknown mode %s value, expecting 'acpi', 'agent', 'initctl', "
                          "'signal', or 'paravirt'", w);
            return false;
        }
        *ret_flags |= modes[i].flag;
    }
    return true;
}

static bool cmd_shutdown(sh_ctl *ctl, const sh_cmd *cmd)
{
    unsigned int flags;
    const char *name;
    sepvirt_domain *dom;
    int rc;

    if (!parse_mode(ctl, cmd, &flags))
        return false;
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, &name)))
        return false;
    rc = flags ? sepvirt_domain_shutdown_flags(dom, flags) : sepvirt_domain_shutdown(dom);
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to shutdown domain '%s'", name);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' is being shutdown\n", name);
    return true;
}

static bool cmd_reboot(sh_ctl *ctl, const sh_cmd *cmd)
{
    unsigned int flags;
    const char *name;
    sepvirt_domain *dom;
    int rc;

    if (!parse_mode(ctl, cmd, &flags))
        return false;
    if (!(dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME, &name)))
        return false;
    rc = sepvirt_domain_reboot(dom, flags);
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to reboot domain '%s'", name);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' is being rebooted\n", name);
    return true;
}

/* reset, suspend, resume: one call; "Domain 'X' <done>" or
 * "Failed to <verb> domain 'X'". */
static bool simple_lifecycle(sh_ctl *ctl, const sh_cmd *cmd, int (*fn)(sepvirt_domain *),
                             const char *done, const char *verb)
{
    const char *name;
    sepvirt_domain *dom = sh_lookup_domain(ctl, cmd, "domain", SH_BYID | SH_BYUUID | SH_BYNAME,
                                           &name);
    int rc;

    if (!dom)
        return false;
    rc = fn(dom);
    sepvirt_domain_free(dom);
    if (rc < 0) {
        sh_error(ctl, "Failed to %s domain '%s'", verb, name);
        return false;
    }
    sh_print_extra(ctl, "Domain '%s' %s\n", name, done);
    return true;
}

static int reset_dom(sepvirt_domain *dom)
{
    return sepvirt_domain_reset(dom, 0);
}

static bool cmd_reset(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple_lifecycle(ctl, cmd, reset_dom, "was reset", "reset");
}

static bool cmd_suspend(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple_lifecycle(ctl, cmd, sepvirt_domain_suspend, "suspended", "suspend");
}

static bool cmd_resume(sh_ctl *ctl, const sh_cmd *cmd)
{
    return simple_lifecycle(ctl, cmd, sepvirt_domain_resume, "resumed", "resume");
}

/* ---- Option tables ---------------------------------------------------------------------- */

static const sh_opt_def opts_define[] = {
    { "file", SH_OT_DATA, SH_OFLAG_REQ, "file containing an XML domain description" },
    { "validate", SH_OT_BOOL, 0, "validate the XML against the schema" },
    OPT_END,
};

static const sh_opt_def opts_create[] = {
    { "file", SH_OT_DATA, SH_OFLAG_REQ, "file containing an XML domain description" },
    { "console", SH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", SH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", SH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "pass-fds", SH_OT_STRING, SH_OFLAG_REQ_OPT, "pass file descriptors N,M,... to the guest" },
    { "validate", SH_OT_BOOL, 0, "validate the XML against the schema" },
    OPT_END,
};

static const sh_opt_def opts_undefine[] = {
    OPT_DOMAIN("domain name or uuid"),
    { "managed-save", SH_OT_BOOL, 0, "remove domain managed state file" },
    { "storage", SH_OT_STRING, SH_OFLAG_REQ_OPT, "remove associated storage volumes" },
    { "remove-all-storage", SH_OT_BOOL, 0, "remove all associated storage volumes" },
    { "wipe-storage", SH_OT_BOOL, 0, "wipe data on the removed volumes" },
    { "snapshots-metadata", SH_OT_BOOL, 0, "remove all domain snapshot metadata (vm must be inactive)" },
    { "checkpoints-metadata", SH_OT_BOOL, 0, "remove all domain checkpoint metadata (vm must be inactive)" },
    { "nvram", SH_OT_BOOL, 0, "remove nvram file" },
    { "keep-nvram", SH_OT_BOOL, 0, "keep nvram file" },
    { "tpm", SH_OT_BOOL, 0, "remove TPM state" },
    { "keep-tpm", SH_OT_BOOL, 0, "keep TPM state" },
    OPT_END,
};

static const sh_opt_def opts_dumpxml[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "inactive", SH_OT_BOOL, 0, "show inactive defined XML" },
    { "security-info", SH_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", SH_OT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", SH_OT_BOOL, 0, "provide XML suitable for migrations" },
    OPT_END,
};

static const sh_opt_def opts_autostart[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "disable", SH_OT_BOOL, 0, "disable autostarting" },
    OPT_END,
};

static const sh_opt_def opts_metadata[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "uri", SH_OT_DATA, SH_OFLAG_REQ, "URI of the namespace" },
    { "live", SH_OT_BOOL, 0, "modify/get running state" },
    { "config", SH_OT_BOOL, 0, "modify/get persistent state" },
    { "current", SH_OT_BOOL, 0, "modify/get current state" },
    { "edit", SH_OT_BOOL, 0, "use an editor to change the metadata" },
    { "key", SH_OT_STRING, 0, "key to be used as a namespace identifier" },
    { "set", SH_OT_STRING, 0, "new metadata to set" },
    { "remove", SH_OT_BOOL, 0, "remove the metadata corresponding to an uri" },
    OPT_END,
};

static const sh_opt_def opts_desc[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "live", SH_OT_BOOL, 0, "modify/get running state" },
    { "config", SH_OT_BOOL, 0, "modify/get persistent state" },
    { "current", SH_OT_BOOL, 0, "modify/get current state" },
    { "title", SH_OT_BOOL, 0, "modify/get the title instead of description" },
    { "edit", SH_OT_BOOL, 0, "open an editor to modify the description" },
    { "new-desc", SH_OT_ARGV, 0, "message" },
    OPT_END,
};

static const sh_opt_def opts_start[] = {
    OPT_DOMAIN("name of the inactive domain"),
    { "console", SH_OT_BOOL, 0, "attach to console after creation" },
    { "paused", SH_OT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", SH_OT_BOOL, 0, "automatically destroy the guest when virsh disconnects" },
    { "bypass-cache", SH_OT_BOOL, 0, "avoid file system cache when loading" },
    { "force-boot", SH_OT_BOOL, 0, "force fresh boot by discarding any managed save" },
    { "pass-fds", SH_OT_STRING, SH_OFLAG_REQ_OPT, "pass file descriptors N,M,... to the guest" },
    { "reset-nvram", SH_OT_BOOL, 0, "re-initialize NVRAM from its pristine template" },
    OPT_END,
};

static const sh_opt_def opts_destroy[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "graceful", SH_OT_BOOL, 0, "terminate gracefully" },
    { "remove-logs", SH_OT_BOOL, 0, "remove domain logs" },
    OPT_END,
};

static const sh_opt_def opts_mode[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    { "mode", SH_OT_STRING, SH_OFLAG_REQ_OPT, "shutdown mode: acpi|agent|initctl|signal|paravirt" },
    OPT_END,
};

static const sh_opt_def opts_domid[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain name or uuid" },
    { NULL, 0, 0, NULL },
};

static const sh_opt_def opts_domname[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain id or uuid" },
    { NULL, 0, 0, NULL },
};

static const sh_opt_def opts_domuuid[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "domain id or name" },
    { NULL, 0, 0, NULL },
};

static const sh_opt_def opts_domain_only[] = {
    OPT_DOMAIN("domain name, id or uuid"),
    OPT_END,
};

const sh_cmd_def sh_domain_cmds[] = {
    { "autostart", cmd_autostart, opts_autostart, "autostart a domain", 0 },
    { "console", sh_cmd_console, sh_opts_console, "connect to the guest console", 0 },
    { "create", cmd_create, opts_create, "create a domain from an XML file", 0 },
    { "define", cmd_define, opts_define, "define (but don't start) a domain from an XML file", 0 },
    { "desc", cmd_desc, opts_desc, "show or set domain's description or title", 0 },
    { "destroy", cmd_destroy, opts_destroy, "destroy (stop) a domain", 0 },
    { "domid", cmd_domid, opts_domid, "convert a domain name or UUID to domain id", 0 },
    { "domname", cmd_domname, opts_domname, "convert a domain id or UUID to domain name", 0 },
    { "domuuid", cmd_domuuid, opts_domuuid, "convert a domain name or id to domain UUID", 0 },
    { "dumpxml", cmd_dumpxml, opts_dumpxml, "domain information in XML", 0 },
    { "metadata", cmd_metadata, opts_metadata, "show or set domain's custom XML metadata", 0 },
    { "reboot", cmd_reboot, opts_mode, "reboot a domain", 0 },
    { "reset", cmd_reset, opts_domain_only, "reset a domain", 0 },
    { "resume", cmd_resume, opts_domain_only, "resume a domain", 0 },
    { "shutdown", cmd_shutdown, opts_mode, "gracefully shutdown a domain", 0 },
    { "start", cmd_start, opts_start, "start a (previously defined) inactive domain", 0 },
    { "suspend", cmd_suspend, opts_domain_only, "suspend a domain", 0 },
    { "undefine", cmd_undefine, opts_undefine, "undefine a domain", 0 },
    { "vcpucount", sh_cmd_vcpucount, sh_opts_vcpucount, "domain vcpu counts", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};
