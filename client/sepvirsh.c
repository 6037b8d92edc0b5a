/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirsh main program: global options, connection, running commands.
 * Behaviour mirrors virsh: one argument is parsed as a command string
 * (';' separates commands), several arguments are one command, none starts
 * the interactive shell; each command's output is followed by an empty
 * line unless -q; the exit status is that of the last command.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sepvirsh.h"
#include "sv_util.h"

const sh_cmd_group sh_groups[] = {
    { "Domain Management", "domain", sh_domain_cmds },
    { "Domain Monitoring", "monitor", sh_monitor_cmds },
    { "Domain Events", "events", sh_event_cmds },
    { "Host and Hypervisor", "host", sh_host_cmds },
    { "Networking", "network", sh_network_cmds },
    { "Virsh itself", "virsh", sh_shell_cmds },
    { NULL, NULL, NULL },
};

const sh_cmd_def *sh_cmd_lookup(const char *name)
{
    for (const sh_cmd_group *g = sh_groups; g->name; g++) {
        for (const sh_cmd_def *c = g->cmds; c->name; c++) {
            if (strcmp(c->name, name) == 0)
                return c;
        }
    }
    return NULL;
}

/* ---- Output ---------------------------------------------------------------- */

void sh_print(sh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    (void)ctl;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void sh_print_extra(sh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void sh_error(sh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    (void)ctl;
    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void sh_reset_error(sh_ctl *ctl)
{
    sepvirt_error_free(ctl->last_error);
    ctl->last_error = NULL;
    sepvirt_reset_last_error();
}

void sh_report_error(sh_ctl *ctl)
{
    if (ctl->last_error)
        sh_error(ctl, "%s", ctl->last_error->message);
    sh_reset_error(ctl);
}

/* Library error hook: keep the latest error until a command reports it,
 * as virsh's error handler does. */
static void on_lib_error(void *opaque, const sepvirt_error *err)
{
    sh_ctl *ctl = opaque;

    if (!err)
        return;
    sepvirt_error_free(ctl->last_error);
    ctl->last_error = sepvirt_save_last_error();
}

/* ---- Connection ------------------------------------------------------------ */

bool sh_connect(sh_ctl *ctl, const char *name, bool readonly)
{
    sepvirt_conn *conn;

    conn = readonly ? sepvirt_conn_open_readonly(name) : sepvirt_conn_open(name);
    if (!conn) {
        sh_error(ctl, "%s", "failed to connect to the hypervisor");
        sh_report_error(ctl);
        return false;
    }
    if (ctl->conn)
        sepvirt_conn_close(ctl->conn);
    ctl->conn = conn;
    ctl->readonly = readonly;
    if (ctl->keepalive_interval > 0)
        sepvirt_conn_set_keepalive(conn, ctl->keepalive_interval,
                                   (unsigned int)ctl->keepalive_count);
    sh_reset_error(ctl);
    return true;
}

/* ---- Running commands -------------------------------------------------------- */

static void print_cmd_help(sh_ctl *ctl, const sh_cmd_def *def);

bool sh_run(sh_ctl *ctl, const sh_cmd *cmds)
{
    bool ret = true;

    for (const sh_cmd *cmd = cmds; cmd; cmd = cmd->next) {
        struct timespec before, after;

        sh_reset_error(ctl);
        clock_gettime(CLOCK_MONOTONIC, &before);
        if (sh_opt_bool(cmd, "help")) {
            print_cmd_help(ctl, cmd->def);
            ret = true;
        } else if (!(cmd->def->flags & SH_CMD_NOCONNECT) && !ctl->conn) {
            sh_error(ctl, "%s", "no valid connection");
            ret = false;
        } else {
            ret = cmd->def->handler(ctl, cmd);
        }
        clock_gettime(CLOCK_MONOTONIC, &after);
        if (!ret)
            sh_report_error(ctl);
        if (strcmp(cmd->def->name, "quit") == 0 || strcmp(cmd->def->name, "exit") == 0)
            break;
        if (ctl->timing)
            sh_print(ctl, "\n(Time: %.3f ms)\n\n",
                     (after.tv_sec - before.tv_sec) * 1000.0 +
                     (after.tv_nsec - before.tv_nsec) / 1e6);
        else
            sh_print_extra(ctl, "\n");
        fflush(stdout);
    }
    return ret;
}

/* ---- Help -------------------------------------------------------------------- */

static const char *opt_type_name(const sh_opt_def *o)
{
    return o->type == SH_OT_INT ? "number" : "string";
}

static void print_cmd_help(sh_ctl *ctl, const sh_cmd_def *def)
{
    const sh_opt_def *o;

    sh_print(ctl, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name, def->help, def->name);
    for (o = def->opts; o && o->name; o++) {
        bool positional = o->type != SH_OT_BOOL && !(o->flags & SH_OFLAG_REQ_OPT);
        bool req = o->flags & SH_OFLAG_REQ;

        if (o->type == SH_OT_BOOL)
            sh_print(ctl, " [--%s]", o->name);
        else if (o->type == SH_OT_ARGV)
            sh_print(ctl, req ? " <%s>..." : " [<%s>]...", o->name);
        else if (positional)
            sh_print(ctl, req ? " <%s>" : " [<%s>]", o->name);
        else
            sh_print(ctl, req ? " --%s <%s>" : " [--%s <%s>]", o->name, opt_type_name(o));
    }
    sh_print(ctl, "\n\n");
    if (def->opts && def->opts[0].name) {
        sh_print(ctl, "  OPTIONS\n");
        for (o = def->opts; o->name; o++) {
            char buf[128];

            if (o->type == SH_OT_BOOL)
                snprintf(buf, sizeof(buf), "--%s", o->name);
            else if (o->flags & SH_OFLAG_REQ_OPT)
                snprintf(buf, sizeof(buf), "--%s <%s>", o->name, opt_type_name(o));
            else
                snprintf(buf, sizeof(buf), "[--%s] <%s>", o->name, opt_type_name(o));
            sh_print(ctl, "    %-15s  %s\n", buf, o->help);
        }
        sh_print(ctl, "\n");
    }
}

static void print_group(sh_ctl *ctl, const sh_cmd_group *g)
{
    sh_print(ctl, " %s (help keyword '%s'):\n", g->name, g->keyword);
    for (const sh_cmd_def *c = g->cmds; c->name; c++)
        sh_print(ctl, "    %-30s %s\n", c->name, c->help);
    sh_print(ctl, "\n");
}

static bool cmd_help(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name;
    const sh_cmd_def *def;

    if (sh_opt_string(cmd, "command", &name) <= 0) {
        sh_print(ctl, "Grouped commands:\n\n");
        for (const sh_cmd_group *g = sh_groups; g->name; g++)
            print_group(ctl, g);
        return true;
    }
    for (const sh_cmd_group *g = sh_groups; g->name; g++) {
        if (strcmp(g->keyword, name) == 0 || strcmp(g->name, name) == 0) {
            print_group(ctl, g);
            return true;
        }
    }
    if (!(def = sh_cmd_lookup(name))) {
        sh_error(ctl, "command or command group '%s' doesn't exist", name);
        return false;
    }
    print_cmd_help(ctl, def);
    return true;
}

static bool cmd_quit(sh_ctl *ctl, const sh_cmd *cmd)
{
    (void)ctl;
    (void)cmd;
    return true;
}

static bool cmd_connect(sh_ctl *ctl, const sh_cmd *cmd)
{
    const char *name = NULL;
    bool ro = sh_opt_bool(cmd, "readonly");

    if (sh_opt_string(cmd, "name", &name) > 0) {
        free(ctl->connname);
        ctl->connname = sv_strdup(name);
    }
    return sh_connect(ctl, ctl->connname, ro);
}

static const sh_opt_def opts_help[] = {
    { "command", SH_OT_STRING, 0, "Prints global help, command specific help, or help for a group of related commands" },
    { NULL, 0, 0, NULL },
};

static const sh_opt_def opts_connect[] = {
    { "name", SH_OT_STRING, 0, "hypervisor connection URI" },
    { "readonly", SH_OT_BOOL, 0, "read-only connection" },
    { NULL, 0, 0, NULL },
};

/* Commands that need no connection; listed with the host commands. */
const sh_cmd_def sh_shell_cmds[] = {
    { "exit", cmd_quit, NULL, "quit this interactive terminal", SH_CMD_NOCONNECT },
    { "help", cmd_help, opts_help, "print help", SH_CMD_NOCONNECT },
    { "quit", cmd_quit, NULL, "quit this interactive terminal", SH_CMD_NOCONNECT },
    { "connect", cmd_connect, opts_connect, "(re)connect to hypervisor", SH_CMD_NOCONNECT },
    { NULL, NULL, NULL, NULL, 0 },
};

/* ---- main -------------------------------------------------------------------- */

static void usage(void)
{
    printf("\n"
           "sepvirsh [options]... [<command_string>]\n"
           "sepvirsh [options]... <command> [args...]\n\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -d | --debug=NUM        debug level [0-4] (accepted, ignored)\n"
           "    -h | --help             this help\n"
           "    -k | --keepalive-interval=NUM\n"
           "                            keepalive interval in seconds, 0 for disable\n"
           "    -K | --keepalive-count=NUM\n"
           "                            number of possible missed keepalive messages\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -t | --timing           print timing information\n"
           "    -v                      short version\n"
           "    -V                      long version\n"
           "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
           "  commands (non interactive mode):\n\n");
    for (const sh_cmd_group *g = sh_groups; g->name; g++) {
        printf(" %s (help keyword '%s')\n", g->name, g->keyword);
        for (const sh_cmd_def *c = g->cmds; c->name; c++)
            printf("    %-30s %s\n", c->name, c->help);
        printf("\n");
    }
    printf("  (specify help <group> for details about the commands in the group)\n\n"
           "  (specify help <command> for details about the command)\n\n");
}

static void version(bool lng)
{
    if (!lng) {
        printf("%s\n", SEPVIRT_VERSION_STRING);
        return;
    }
    printf("sepvirsh command line tool of sepvirt %s\n\n"
           "Compiled with support for:\n"
           " Hypervisors: QEMU/KVM\n"
           " Networking: Network\n"
           " Miscellaneous: Daemon Remote\n", SEPVIRT_VERSION_STRING);
}

static int parse_global(sh_ctl *ctl, int argc, char **argv, bool *ret_exit, int *ret_code)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "debug", required_argument, NULL, 'd' },
        { "escape", required_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { "keepalive-interval", required_argument, NULL, 'k' },
        { "keepalive-count", required_argument, NULL, 'K' },
        { "log", required_argument, NULL, 'l' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "timing", no_argument, NULL, 't' },
        { "version", optional_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    int c, n;

    *ret_exit = false;
    while ((c = getopt_long(argc, argv, "+:c:d:e:hk:K:l:qrtvV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            free(ctl->connname);
            ctl->connname = sv_strdup(optarg);
            break;
        case 'e': {
            size_t len = strlen(optarg);
            char e = optarg[1];

            /* virsh: "^" and one of a-z @-_, or one character other than "^". */
            if (!((len == 2 && optarg[0] == '^' && ((e >= 'a' && e <= 'z') || (e >= '@' && e <= '_'))) ||
                  (len == 1 && optarg[0] != '^'))) {
                sh_error(ctl, "Invalid string '%s' for escape sequence", optarg);
                return -1;
            }
            ctl->escape = optarg;
            break;
        }
        case 'd':
        case 'l':
            break;   /* accepted for virsh compatibility */
        case 'h':
            usage();
            *ret_exit = true;
            *ret_code = EXIT_SUCCESS;
            return 0;
        case 'k':
            if (sv_parse_int(optarg, &n) < 0 || n < 0) {
                sh_error(ctl, "Invalid value for option %s", "-k");
                return -1;
            }
            ctl->keepalive_interval = n;
            break;
        case 'K':
            if (sv_parse_int(optarg, &n) < 0 || n < 0) {
                sh_error(ctl, "Invalid value for option %s", "-K");
                return -1;
            }
            ctl->keepalive_count = n;
            break;
        case 'q':
            ctl->quiet = true;
            break;
        case 'r':
            ctl->readonly = true;
            break;
        case 't':
            ctl->timing = true;
            break;
        case 'v':
            if (optarg && strcmp(optarg, "long") == 0)
                version(true);
            else if (!optarg || strcmp(optarg, "short") == 0)
                version(false);
            else {
                sh_error(ctl, "unknown version type '%s'", optarg);
                return -1;
            }
            *ret_exit = true;
            *ret_code = EXIT_SUCCESS;
            return 0;
        case 'V':
            version(true);
            *ret_exit = true;
            *ret_code = EXIT_SUCCESS;
            return 0;
        case ':':
            sh_error(ctl, "option '-%c' requires an argument", optopt);
            return -1;
        default:
            if (optopt)
                sh_error(ctl, "unsupported option '-%c'. See --help.", optopt);
            else
                sh_error(ctl, "unsupported option '%s'. See --help.", argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    sh_ctl ctl = { .keepalive_interval = 5, .keepalive_count = 6 };
    sh_cmd *cmds = NULL;
    bool done = false, ok;
    int code = EXIT_FAILURE;
    const char *env;

    setlocale(LC_ALL, "");
    if ((env = getenv("SEPVIRSH_DEFAULT_CONNECT_URI")) && *env)
        ctl.connname = sv_strdup(env);
    else if ((env = getenv("VIRSH_DEFAULT_CONNECT_URI")) && *env)
        ctl.connname = sv_strdup(env);
    sepvirt_set_error_func(&ctl, on_lib_error);

    if (parse_global(&ctl, argc, argv, &done, &code) < 0)
        goto out;
    if (done)
        goto out;

    if (optind == argc) {
        ctl.interactive = true;
        sh_connect(&ctl, ctl.connname, ctl.readonly);
        ok = sh_interactive(&ctl);
    } else {
        int r = argc - optind == 1 ?
                sh_parse_string(&ctl, argv[optind], &cmds) :
                sh_parse_argv(&ctl, argc - optind, argv + optind, &cmds);

        if (r < 0)
            goto out;
        if (!sh_connect(&ctl, ctl.connname, ctl.readonly))
            goto out;
        ok = sh_run(&ctl, cmds);
    }
    code = ok ? EXIT_SUCCESS : EXIT_FAILURE;

 out:
    fflush(stdout);
    sh_cmd_free(cmds);
    if (ctl.conn)
        sepvirt_conn_close(ctl.conn);
    sepvirt_set_error_func(NULL, NULL);
    sepvirt_error_free(ctl.last_error);
    free(ctl.connname);
    return code;
}
