/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sepvirsh: a virsh-compatible shell over libsepvirt.  Command names,
 * options, output and exit codes follow Debian's virsh 9.0 so that
 * scripts written for virsh keep working.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include <sepvirt/sepvirt.h>

/* ---- Command definitions ------------------------------------------------ */

typedef enum {
    SH_OT_BOOL,     /* --flag */
    SH_OT_STRING,   /* --name value, or positional unless SH_OFLAG_REQ_OPT */
    SH_OT_INT,      /* like STRING, checked by sh_opt_int() */
    SH_OT_DATA,     /* positional argument (also accepted as --name value) */
    SH_OT_ARGV,     /* all remaining positional words; must be last */
} sh_opt_type;

enum {
    SH_OFLAG_REQ = 1 << 0,      /* must be given */
    SH_OFLAG_REQ_OPT = 1 << 1,  /* only as --name value, never positional */
};

typedef struct sh_opt_def {
    const char *name;
    sh_opt_type type;
    unsigned int flags;
    const char *help;
} sh_opt_def;

typedef struct sh_ctl sh_ctl;
typedef struct sh_cmd sh_cmd;
typedef bool (*sh_handler)(sh_ctl *ctl, const sh_cmd *cmd);

enum {
    SH_CMD_NOCONNECT = 1 << 0,  /* runs without a connection */
};

typedef struct sh_cmd_def {
    const char *name;
    sh_handler handler;
    const sh_opt_def *opts;     /* NULL-name terminated, or NULL */
    const char *help;           /* one line */
    unsigned int flags;
} sh_cmd_def;

/* Command tables, one per file, each terminated by a NULL name. */
extern const sh_cmd_def sh_host_cmds[];
extern const sh_cmd_def sh_domain_cmds[];
extern const sh_cmd_def sh_monitor_cmds[];
extern const sh_cmd_def sh_network_cmds[];
extern const sh_cmd_def sh_event_cmds[];
extern const sh_cmd_def sh_shell_cmds[];
/* Commands of sepvirsh_console.c and sepvirsh_stats.c, listed in the
 * domain and monitoring tables (virsh's groups and order). */
bool sh_cmd_console(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_console[];
bool sh_cmd_vcpucount(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_vcpucount[];
bool sh_cmd_domblkstat(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_domblkstat[];
bool sh_cmd_domcontrol(sh_ctl *ctl, const sh_cmd *cmd);
bool sh_cmd_domifaddr(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_domifaddr[];
bool sh_cmd_domifstat(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_domifstat[];
bool sh_cmd_dommemstat(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_dommemstat[];
/* net-event lives with the event code, listed with the network commands. */
bool sh_cmd_net_event(sh_ctl *ctl, const sh_cmd *cmd);
extern const sh_opt_def sh_opts_net_event[];

typedef struct sh_cmd_group {
    const char *name;      /* "Domain Management" */
    const char *keyword;   /* "domain" */
    const sh_cmd_def *cmds;
} sh_cmd_group;

extern const sh_cmd_group sh_groups[];
const sh_cmd_def *sh_cmd_lookup(const char *name);

/* ---- Parsed commands (sepvirsh_parse.c) ------------------------------------ */

typedef struct sh_opt_val {
    const sh_opt_def *def;
    char *data;                 /* NULL for booleans */
    struct sh_opt_val *next;
} sh_opt_val;

struct sh_cmd {
    const sh_cmd_def *def;
    sh_opt_val *opts;
    struct sh_cmd *next;
};

/* Parse one string ("cmd --opt x; cmd2 ...", shell-like quoting) or an
 * argv vector (one command, words taken literally).  On a syntax error,
 * print it and return -1 (nothing of the input runs). */
int sh_parse_string(sh_ctl *ctl, const char *line, sh_cmd **ret_cmds);
int sh_parse_argv(sh_ctl *ctl, int argc, char *const *argv, sh_cmd **ret_cmds);
void sh_cmd_free(sh_cmd *cmds);

bool sh_opt_bool(const sh_cmd *cmd, const char *name);
/* 1 and *ret set when given, 0 when absent. */
int sh_opt_string(const sh_cmd *cmd, const char *name, const char **ret);
/* 1 when given and valid, 0 when absent, -1 (error printed) when malformed;
 * positive_only refuses values <= 0 like virsh's timeout parser. */
int sh_opt_int(sh_ctl *ctl, const sh_cmd *cmd, const char *name, int *ret, bool positive_only);
/* Next ARGV word after prev (NULL: first); NULL when none left. */
const sh_opt_val *sh_opt_argv(const sh_cmd *cmd, const sh_opt_val *prev);

/* ---- Shell state and output (sepvirsh.c) ------------------------------------ */

struct sh_ctl {
    sepvirt_conn *conn;
    char *connname;             /* URI to (re)connect to; NULL = default */
    bool readonly;
    bool quiet;
    bool timing;
    bool interactive;
    int keepalive_interval;
    int keepalive_count;
    const char *escape;         /* -e: console escape sequence, NULL = "^]" */
    sepvirt_error *last_error;  /* library error saved as it was raised */
};

void sh_print(sh_ctl *ctl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Suppressed by -q. */
void sh_print_extra(sh_ctl *ctl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "error: ..." on stderr. */
void sh_error(sh_ctl *ctl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print the saved library error, if any, then forget it. */
void sh_report_error(sh_ctl *ctl);
void sh_reset_error(sh_ctl *ctl);
/* (Re)connect to ctl->connname; prints virsh's messages on failure. */
bool sh_connect(sh_ctl *ctl, const char *name, bool readonly);
/* Run parsed commands; returns the success of the last one. */
bool sh_run(sh_ctl *ctl, const sh_cmd *cmds);

/* ---- Object lookup (sepvirsh_lookup.c) ----------------------------------------- */

enum {
    SH_BYID = 1 << 0,
    SH_BYUUID = 1 << 1,
    SH_BYNAME = 1 << 2,
};

/* Resolve option `optname` as virsh does (id, then uuid, then name, as
 * allowed by `by`); prints "failed to get domain 'X'" on failure. */
sepvirt_domain *sh_lookup_domain(sh_ctl *ctl, const sh_cmd *cmd, const char *optname,
                                 unsigned int by, const char **ret_name);
sepvirt_network *sh_lookup_network(sh_ctl *ctl, const sh_cmd *cmd, unsigned int by,
                                   const char **ret_name);
/* virsh's virshDomainState: GET_STATE, falling back to GET_INFO; -1 on error. */
int sh_domain_state(sh_ctl *ctl, sepvirt_domain *dom, int *ret_reason);
/* Title or description of a domain: "" when none, NULL on error. */
char *sh_domain_description(sh_ctl *ctl, sepvirt_domain *dom, bool title, unsigned int flags);
/* Read a whole XML file given by option "file"; prints errors. */
char *sh_read_file(sh_ctl *ctl, const char *path);

/* ---- Interactive mode (sepvirsh_interactive.c) ---------------------------------- */

/* Prompt, read, run until quit/EOF.  Returns the success of the last command. */
bool sh_interactive(sh_ctl *ctl);
