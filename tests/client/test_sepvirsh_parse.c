/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sepvirsh command-line parsing (client/sepvirsh_parse.c) against a small
 * command table; errors must read as virsh's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sepvirsh.h"

static char last_err[512];

/* The parser's two outside references, provided here. */
void sh_error(sh_ctl *ctl, const char *fmt, ...)
{
    va_list ap;

    (void)ctl;
    va_start(ap, fmt);
    vsnprintf(last_err, sizeof(last_err), fmt, ap);
    va_end(ap);
}

static const sh_opt_def opts_dom[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "" },
    { "reason", SH_OT_BOOL, 0, "" },
    { NULL, 0, 0, NULL },
};
static const sh_opt_def opts_meta[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "" },
    { "uri", SH_OT_DATA, SH_OFLAG_REQ, "" },
    { "key", SH_OT_STRING, 0, "" },
    { "mode", SH_OT_STRING, SH_OFLAG_REQ_OPT, "" },
    { "timeout", SH_OT_INT, 0, "" },
    { "remove", SH_OT_BOOL, 0, "" },
    { NULL, 0, 0, NULL },
};
static const sh_opt_def opts_desc[] = {
    { "domain", SH_OT_DATA, SH_OFLAG_REQ, "" },
    { "title", SH_OT_BOOL, 0, "" },
    { "new-desc", SH_OT_ARGV, 0, "" },
    { NULL, 0, 0, NULL },
};

static const sh_cmd_def cmds[] = {
    { "domstate", NULL, opts_dom, "", 0 },
    { "metadata", NULL, opts_meta, "", 0 },
    { "desc", NULL, opts_desc, "", 0 },
    { "hostname", NULL, NULL, "", 0 },
    { NULL, NULL, NULL, NULL, 0 },
};

const sh_cmd_def *sh_cmd_lookup(const char *name)
{
    for (const sh_cmd_def *c = cmds; c->name; c++) {
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

static sh_ctl ctl;

static sh_cmd *parse_ok(const char *line)
{
    sh_cmd *c = NULL;

    last_err[0] = '\0';
    assert_int_equal(sh_parse_string(&ctl, line, &c), 0);
    assert_string_equal(last_err, "");
    return c;
}

static void parse_fails(const char *line, const char *err)
{
    sh_cmd *c = NULL;

    last_err[0] = '\0';
    assert_int_equal(sh_parse_string(&ctl, line, &c), -1);
    assert_null(c);
    assert_string_equal(last_err, err);
}

static const char *str(const sh_cmd *c, const char *name)
{
    const char *v = NULL;

    return sh_opt_string(c, name, &v) > 0 ? v : NULL;
}

static void test_positional_and_named(void **state)
{
    sh_cmd *c;

    (void)state;
    c = parse_ok("domstate alpha --reason");
    assert_string_equal(c->def->name, "domstate");
    assert_string_equal(str(c, "domain"), "alpha");
    assert_true(sh_opt_bool(c, "reason"));
    assert_null(c->next);
    sh_cmd_free(c);

    c = parse_ok("metadata --uri=http://x/ alpha --key k");
    assert_string_equal(str(c, "domain"), "alpha");
    assert_string_equal(str(c, "uri"), "http://x/");
    assert_string_equal(str(c, "key"), "k");
    assert_false(sh_opt_bool(c, "remove"));
    sh_cmd_free(c);

    /* Positional words fill non-boolean options in order, except
     * options that must be named. */
    c = parse_ok("metadata a u k 5");
    assert_string_equal(str(c, "key"), "k");
    assert_string_equal(str(c, "timeout"), "5");
    assert_null(str(c, "mode"));
    sh_cmd_free(c);

    /* After "--" everything is data, even words starting with --. */
    c = parse_ok("domstate -- --weird");
    assert_string_equal(str(c, "domain"), "--weird");
    sh_cmd_free(c);
}

static void test_quoting_and_separators(void **state)
{
    sh_cmd *c;

    (void)state;
    c = parse_ok("domstate 'a b'; hostname ;; domstate \"c\\\"d\" # comment ; hostname");
    assert_string_equal(str(c, "domain"), "a b");
    assert_string_equal(c->next->def->name, "hostname");
    assert_string_equal(str(c->next->next, "domain"), "c\"d");
    assert_null(c->next->next->next);
    sh_cmd_free(c);

    c = parse_ok("domstate a\\ b\n hostname");
    assert_string_equal(str(c, "domain"), "a b");
    assert_string_equal(c->next->def->name, "hostname");
    sh_cmd_free(c);

    /* A backslash is literal inside single quotes. */
    c = parse_ok("domstate 'x\\y'");
    assert_string_equal(str(c, "domain"), "x\\y");
    sh_cmd_free(c);

    c = parse_ok("");
    assert_null(c);
}

static void test_argv(void **state)
{
    sh_cmd *c;
    const sh_opt_val *w;
    char *const argv[] = { "desc", "alpha", "new", "text;", "--title", "more" };

    (void)state;
    c = parse_ok("desc alpha one two --title three");
    assert_true(sh_opt_bool(c, "title"));
    w = sh_opt_argv(c, NULL);
    assert_string_equal(w->data, "one");
    w = sh_opt_argv(c, w);
    assert_string_equal(w->data, "two");
    w = sh_opt_argv(c, w);
    assert_string_equal(w->data, "three");
    assert_null(sh_opt_argv(c, w));
    sh_cmd_free(c);

    /* argv mode takes words literally: ';' is just text. */
    assert_int_equal(sh_parse_argv(&ctl, 6, argv, &c), 0);
    w = sh_opt_argv(c, sh_opt_argv(c, NULL));
    assert_string_equal(w->data, "text;");
    assert_true(sh_opt_bool(c, "title"));
    sh_cmd_free(c);
}

static void test_int_option(void **state)
{
    sh_cmd *c;
    int v = 0;

    (void)state;
    c = parse_ok("metadata a u --timeout 7");
    assert_int_equal(sh_opt_int(&ctl, c, "timeout", &v, true), 1);
    assert_int_equal(v, 7);
    sh_cmd_free(c);
    c = parse_ok("metadata a u --timeout 0");
    assert_int_equal(sh_opt_int(&ctl, c, "timeout", &v, true), -1);
    assert_string_equal(last_err,
                        "Numeric value '0' for <timeout> option is malformed or out of range");
    sh_cmd_free(c);
    c = parse_ok("metadata a u");
    assert_int_equal(sh_opt_int(&ctl, c, "timeout", &v, true), 0);
    sh_cmd_free(c);
}

static void test_errors(void **state)
{
    (void)state;
    parse_fails("foo", "unknown command: 'foo'");
    parse_fails("hostname; foo", "unknown command: 'foo'");
    parse_fails("domstate", "command 'domstate' requires <domain> option");
    parse_fails("metadata a", "command 'metadata' requires <uri> option");
    parse_fails("domstate a b", "unexpected data 'b'");
    parse_fails("domstate a --bogus", "command 'domstate' doesn't support option --bogus");
    parse_fails("domstate a --reason --reason", "option --reason already seen");
    parse_fails("domstate a --reason=1", "invalid '=' after option --reason");
    parse_fails("metadata a u --key", "expected syntax: --key <string>");
    parse_fails("metadata a u --timeout", "expected syntax: --timeout <number>");
    parse_fails("domstate a\\", "dangling \\");
    parse_fails("domstate \"a", "missing \"");
    parse_fails("hostname x", "unexpected data 'x'");
    /* --help stands in for required options. */
    sh_cmd_free(parse_ok("domstate --help"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positional_and_named),
        cmocka_unit_test(test_quoting_and_separators),
        cmocka_unit_test(test_argv),
        cmocka_unit_test(test_int_option),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
