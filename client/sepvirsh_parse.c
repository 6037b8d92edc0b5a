/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command-line parsing with virsh's rules: words split like a shell
 * (quotes, backslash, ';' between commands, '#' comments) in string mode,
 * taken literally in argv mode; "--name value", "--name=value", "--" ends
 * options; remaining words fill the positional options in order.
 */
#include <stdlib.h>
#include <string.h>

#include "sepvirsh.h"
#include "sv_util.h"

typedef enum { TK_ARG, TK_SUB_END, TK_END, TK_ERROR } token_kind;

typedef struct tokenizer {
    bool argv_mode;
    const char *pos;            /* string mode */
    char *const *argv;          /* argv mode */
    int argc, argi;
} tokenizer;

static token_kind next_token(sh_ctl *ctl, tokenizer *tz, char **ret)
{
    const char *p;
    char *out, *q;
    bool sq = false, dq = false;

    *ret = NULL;
    if (tz->argv_mode) {
        if (tz->argi >= tz->argc)
            return TK_END;
        *ret = sv_strdup(tz->argv[tz->argi++]);
        return TK_ARG;
    }

    p = tz->pos;
    while (*p == ' ' || *p == '\t' || (*p == '\\' && p[1] == '\n'))
        p += *p == '\\' ? 2 : 1;
    if (*p == '\0') {
        tz->pos = p;
        return TK_END;
    }
    if (*p == ';' || *p == '\n') {
        tz->pos = p + 1;
        return TK_SUB_END;
    }
    if (*p == '#') {
        while (*p && *p != '\n')
            p++;
        tz->pos = *p ? p + 1 : p;
        return TK_SUB_END;
    }

    q = out = sv_malloc0(strlen(p) + 1);
    while (*p) {
        if (!sq && !dq && (*p == ' ' || *p == '\t' || *p == ';' || *p == '\n'))
            break;
        if (!dq && *p == '\'') {
            sq = !sq;
            p++;
            continue;
        }
        if (!sq && *p == '"') {
            dq = !dq;
            p++;
            continue;
        }
        if (!sq && *p == '\\') {
            p++;
            if (*p == '\0') {
                sh_error(ctl, "%s", "dangling \\");
                free(out);
                return TK_ERROR;
            }
            if (*p == '\n') {
                p++;
                continue;
            }
        }
        *q++ = *p++;
    }
    if (dq) {
        sh_error(ctl, "%s", "missing \"");
        free(out);
        return TK_ERROR;
    }
    tz->pos = p;
    *ret = out;
    return TK_ARG;
}

void sh_cmd_free(sh_cmd *cmds)
{
    while (cmds) {
        sh_cmd *c = cmds;

        cmds = c->next;
        while (c->opts) {
            sh_opt_val *v = c->opts;

            c->opts = v->next;
            free(v->data);
            free(v);
        }
        free(c);
    }
}

static const sh_opt_def help_opt = { "help", SH_OT_BOOL, 0, "print help for this function" };

static void add_value(sh_cmd *cmd, const sh_opt_def *def, char *data)
{
    sh_opt_val *v = sv_malloc0(sizeof(*v)), **pp = &cmd->opts;

    v->def = def;
    v->data = data;
    while (*pp)
        pp = &(*pp)->next;
    *pp = v;
}

static size_t count_opts(const sh_opt_def *opts)
{
    size_t n = 0;

    while (opts && opts[n].name)
        n++;
    return n;
}

/* Parse the options of one command; *tk receives the token that ended it. */
static int parse_one(sh_ctl *ctl, tokenizer *tz, sh_cmd *cmd, token_kind *tk)
{
    const sh_opt_def *opts = cmd->def->opts;
    size_t nopts = count_opts(opts);
    bool *seen = sv_calloc(nopts + 1, sizeof(bool));
    bool data_only = false;
    int rc = -1;

    for (;;) {
        char *tok;
        const sh_opt_def *def = NULL;
        size_t i;

        *tk = next_token(ctl, tz, &tok);
        if (*tk == TK_ERROR)
            goto out;
        if (*tk != TK_ARG)
            break;

        if (!data_only && strncmp(tok, "--", 2) == 0) {
            char *name = tok + 2, *eq;

            if (*name == '\0') {
                data_only = true;
                free(tok);
                continue;
            }
            if ((eq = strchr(name, '=')))
                *eq++ = '\0';
            if (strcmp(name, "help") == 0) {
                def = &help_opt;
            } else {
                for (i = 0; i < nopts && strcmp(opts[i].name, name) != 0; i++)
                    ;
                if (i == nopts) {
                    sh_error(ctl, "command '%s' doesn't support option --%s",
                             cmd->def->name, name);
                    free(tok);
                    goto out;
                }
                if (seen[i] && opts[i].type != SH_OT_ARGV) {
                    sh_error(ctl, "option --%s already seen", name);
                    free(tok);
                    goto out;
                }
                seen[i] = true;
                def = &opts[i];
            }
            if (def->type == SH_OT_BOOL) {
                if (eq) {
                    sh_error(ctl, "invalid '=' after option --%s", def->name);
                    free(tok);
                    goto out;
                }
                add_value(cmd, def, NULL);
            } else if (eq) {
                add_value(cmd, def, sv_strdup(eq));
            } else {
                char *val;

                *tk = next_token(ctl, tz, &val);
                if (*tk == TK_ERROR) {
                    free(tok);
                    goto out;
                }
                if (*tk != TK_ARG) {
                    sh_error(ctl, "expected syntax: --%s <%s>", def->name,
                             def->type == SH_OT_INT ? "number" : "string");
                    free(tok);
                    goto out;
                }
                add_value(cmd, def, val);
            }
            free(tok);
            continue;
        }

        /* Positional: the first non-boolean option not given yet. */
        for (i = 0; i < nopts; i++) {
            if (opts[i].type == SH_OT_BOOL || (opts[i].flags & SH_OFLAG_REQ_OPT))
                continue;
            if (!seen[i] || opts[i].type == SH_OT_ARGV)
                break;
        }
        if (i == nopts) {
            sh_error(ctl, "unexpected data '%s'", tok);
            free(tok);
            goto out;
        }
        seen[i] = true;
        add_value(cmd, &opts[i], tok);
    }

    for (size_t i = 0; i < nopts; i++) {
        if ((opts[i].flags & SH_OFLAG_REQ) && !seen[i] && !sh_opt_bool(cmd, "help")) {
            sh_error(ctl, opts[i].type == SH_OT_DATA || opts[i].type == SH_OT_ARGV ?
                          "command '%s' requires <%s> option" :
                          "command '%s' requires --%s option",
                     cmd->def->name, opts[i].name);
            goto out;
        }
    }
    rc = 0;
 out:
    free(seen);
    return rc;
}

static int parse(sh_ctl *ctl, tokenizer *tz, sh_cmd **ret_cmds)
{
    sh_cmd *head = NULL, **tail = &head;

    for (;;) {
        char *name;
        token_kind tk = next_token(ctl, tz, &name);
        const sh_cmd_def *def;
        sh_cmd *cmd;

        if (tk == TK_ERROR)
            goto fail;
        if (tk == TK_END)
            break;
        if (tk == TK_SUB_END)
            continue;
        if (!(def = sh_cmd_lookup(name))) {
            sh_error(ctl, "unknown command: '%s'", name);
            free(name);
            goto fail;
        }
        free(name);
        cmd = sv_malloc0(sizeof(*cmd));
        cmd->def = def;
        *tail = cmd;
        tail = &cmd->next;
        if (parse_one(ctl, tz, cmd, &tk) < 0)
            goto fail;
        if (tk == TK_END)
            break;
    }
    *ret_cmds = head;
    return 0;

 fail:
    sh_cmd_free(head);
    return -1;
}

int sh_parse_string(sh_ctl *ctl, const char *line, sh_cmd **ret_cmds)
{
    tokenizer tz = { .pos = line };

    return parse(ctl, &tz, ret_cmds);
}

int sh_parse_argv(sh_ctl *ctl, int argc, char *const *argv, sh_cmd **ret_cmds)
{
    tokenizer tz = { .argv_mode = true, .argv = argv, .argc = argc };

    return parse(ctl, &tz, ret_cmds);
}

/* ---- Option access ---------------------------------------------------------- */

static const sh_opt_val *find(const sh_cmd *cmd, const char *name)
{
    for (const sh_opt_val *v = cmd->opts; v; v = v->next) {
        if (strcmp(v->def->name, name) == 0)
            return v;
    }
    return NULL;
}

bool sh_opt_bool(const sh_cmd *cmd, const char *name)
{
    return find(cmd, name) != NULL;
}

int sh_opt_string(const sh_cmd *cmd, const char *name, const char **ret)
{
    const sh_opt_val *v = find(cmd, name);

    if (!v)
        return 0;
    *ret = v->data;
    return 1;
}

int sh_opt_int(sh_ctl *ctl, const sh_cmd *cmd, const char *name, int *ret, bool positive_only)
{
    const sh_opt_val *v = find(cmd, name);
    int val;

    if (!v)
        return 0;
    if (sv_parse_int(v->data, &val) < 0 || (positive_only && val <= 0)) {
        sh_error(ctl, "Numeric value '%s' for <%s> option is malformed or out of range",
                 v->data, name);
        return -1;
    }
    *ret = val;
    return 1;
}

const sh_opt_val *sh_opt_argv(const sh_cmd *cmd, const sh_opt_val *prev)
{
    const sh_opt_val *v = prev ? prev->next : cmd->opts;

    for (; v; v = v->next) {
        if (v->def->type == SH_OT_ARGV)
            return v;
    }
    return NULL;
}
