/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests for the bounded JSON parser used on QMP output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sv_json.h"
#include "sv_util.h"

static sv_json *parse(const char *s)
{
    return sv_json_parse(s, strlen(s));
}

static void roundtrip(const char *in, const char *expect)
{
    sv_json *v = parse(in);
    sv_buf b = {0};

    assert_non_null(v);
    sv_json_append(&b, v);
    assert_string_equal(b.data, expect);
    sv_buf_free(&b);
    sv_json_free(v);
}

static void test_values(void **state)
{
    (void)state;
    roundtrip(" {\"a\": [1, -2, 3.5, true, false, null], \"b\": \"x\\ny\"} ",
              "{\"a\":[1,-2,3.5,true,false,null],\"b\":\"x\\ny\"}");
    roundtrip("\"\\u00e9\\ud83d\\ude00\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"");
    roundtrip("[]", "[]");
    roundtrip("{}", "{}");
    roundtrip("9223372036854775807", "9223372036854775807");
}

static void test_getters(void **state)
{
    sv_json *v = parse("{\"return\": {\"status\": \"running\", \"running\": true, \"n\": 42}}");
    const char *s;
    bool b;
    int64_t n;

    (void)state;
    assert_non_null(v);
    sv_json *r = sv_json_get(v, "return");
    assert_true(sv_json_get_string(r, "status", &s));
    assert_string_equal(s, "running");
    assert_true(sv_json_get_bool(r, "running", &b));
    assert_true(b);
    assert_true(sv_json_get_int(r, "n", &n));
    assert_int_equal(n, 42);
    assert_false(sv_json_get_int(r, "status", &n));
    assert_null(sv_json_get(r, "missing"));
    sv_json_free(v);
}

static void test_rejects(void **state)
{
    static const char *const bad[] = {
        "", "{", "}", "[1,]", "{\"a\"}", "{\"a\":}", "tru", "nul", "01x", "-", "1.", "1e",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u0000\"", "\"\\udc00\"", "\"\\ud800x\"",
        "{} {}", "[1 2]", "{1:2}", "\"a\tb\"",
    };
    char deep[200];

    (void)state;
    for (size_t i = 0; i < SV_ARRAY_SIZE(bad); i++) {
        sv_json *v = parse(bad[i]);

        if (v)
            fail_msg("accepted bad JSON: %s", bad[i]);
    }
    memset(deep, '[', sizeof(deep) - 1);
    deep[sizeof(deep) - 1] = '\0';
    assert_null(parse(deep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_rejects),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
