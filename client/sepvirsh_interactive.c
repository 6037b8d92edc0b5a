/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Interactive mode: "sepvirsh # " prompt, history kept in
 * ~/.cache/sepvirt/sepvirsh_history.  Line editing comes from GNU readline
 * when sepvirsh was built with it (HAVE_READLINE), otherwise lines are read
 * plainly and the history file is still kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifdef HAVE_READLINE
# include <readline/history.h>
# include <readline/readline.h>
#endif

#include "sepvirsh.h"
#include "sv_util.h"

#define HISTORY_MAX 500

static char *history_path(void)
{
    const char *cache = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (cache && *cache)
        return sv_asprintf("%s/sepvirt/sepvirsh_history", cache);
    if (home && *home)
        return sv_asprintf("%s/.cache/sepvirt/sepvirsh_history", home);
    return NULL;
}

/* mkdir -p of the file's directory. */
static void make_parent(const char *path)
{
    _cleanup_free_ char *dir = sv_strdup(path);

    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return;
        *p = '/';
    }
}

#ifdef HAVE_READLINE
static char *read_line(const char *prompt)
{
    return readline(prompt);
}

static void history_load(const char *path)
{
    using_history();
    stifle_history(HISTORY_MAX);
    if (path)
        read_history(path);
}

static void history_add(const char *line)
{
    add_history(line);
}

static void history_save(const char *path)
{
    if (!path)
        return;
    make_parent(path);
    write_history(path);
}
#else
static char **hist;
static size_t nhist;

static char *read_line(const char *prompt)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    fputs(prompt, stdout);
    fflush(stdout);
    if ((n = getline(&line, &cap, stdin)) < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

static void history_add(const char *line)
{
    if (nhist == HISTORY_MAX) {
        free(hist[0]);
        memmove(hist, hist + 1, (nhist - 1) * sizeof(*hist));
        nhist--;
    }
    hist = sv_realloc(hist, (nhist + 1) * sizeof(*hist));
    hist[nhist++] = sv_strdup(line);
}

static void history_load(const char *path)
{
    FILE *f = path ? fopen(path, "re") : NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f)
        return;
    while ((n = getline(&line, &cap, f)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = '\0';
        if (*line)
            history_add(line);
    }
    free(line);
    fclose(f);
}

static void history_save(const char *path)
{
    FILE *f;

    if (path) {
        make_parent(path);
        if ((f = fopen(path, "we"))) {
            for (size_t i = 0; i < nhist; i++)
                fprintf(f, "%s\n", hist[i]);
            fclose(f);
        }
    }
    for (size_t i = 0; i < nhist; i++)
        free(hist[i]);
    free(hist);
    hist = NULL;
    nhist = 0;
}
#endif

bool sh_interactive(sh_ctl *ctl)
{
    _cleanup_free_ char *path = history_path();
    bool ret = true;

    if (!ctl->quiet)
        sh_print(ctl, "Welcome to sepvirsh, the virtualization interactive terminal.\n\n"
                      "Type:  'help' for help with commands\n"
                      "       'quit' to quit\n\n");
    history_load(path);
    for (;;) {
        char *line = read_line(ctl->readonly ? "sepvirsh > " : "sepvirsh # ");
        sh_cmd *cmds = NULL;
        bool quit = false;

        if (!line)
            break;
        if (*line)
            history_add(line);
        if (sh_parse_string(ctl, line, &cmds) == 0 && cmds) {
            for (const sh_cmd *c = cmds; c; c = c->next) {
                if (strcmp(c->def->name, "quit") == 0 || strcmp(c->def->name, "exit") == 0)
                    quit = true;
            }
            ret = sh_run(ctl, cmds);
        }
        sh_cmd_free(cmds);
        free(line);
        if (quit)
            break;
    }
    /* Like virsh: end the last prompt line, also after quit. */
    sh_print(ctl, "\n");
    history_save(path);
    return ret;
}
