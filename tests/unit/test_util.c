/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* util/: integer parsing, UUID and MAC handling, unit scaling, the string
 * builder's XML escaping, the thread-local error and sv_read_file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sv_buf.h"
#include "sv_error.h"
#include "sv_util.h"
#include "xml_util.h"

/* ---- integers ------------------------------------------------------------ */

static void test_parse_u64(void **state)
{
    static const struct {
        const char *in;
        int rc;
        uint64_t value;
    } cases[] = {
        {"0", 0, 0},
        {"1", 0, 1},
        {"4096", 0, 4096},
        {"18446744073709551615", 0, UINT64_MAX},
        {"0x10", 0, 16},
        {"0XfF", 0, 255},
        {"0xffffffffffffffff", 0, UINT64_MAX},
        {"18446744073709551616", -ERANGE, 0},
        {"99999999999999999999999", -ERANGE, 0},
        {"0x10000000000000000", -ERANGE, 0},
        {"", -EINVAL, 0},
        {"-1", -EINVAL, 0},
        {"-0", -EINVAL, 0},
        {"+1", -EINVAL, 0},
        {" 1", -EINVAL, 0},
        {"\t1", -EINVAL, 0},
        {"1 ", -EINVAL, 0},
        {"1k", -EINVAL, 0},
        {"0x", -EINVAL, 0},
        {"abc", -EINVAL, 0},
        {"1.5", -EINVAL, 0},
    };
    uint64_t v;

    for (size_t i = 0; i < SV_ARRAY_SIZE(cases); i++) {
        v = 12345;
        print_message("u64 '%s'\n", cases[i].in);
        assert_int_equal(sv_parse_u64(cases[i].in, &v), cases[i].rc);
        if (cases[i].rc == 0)
            assert_true(v == cases[i].value);
        else
            assert_true(v == 12345);     /* untouched on failure */
    }
    assert_int_equal(sv_parse_u64(NULL, &v), -EINVAL);
    /* Decimal or 0x hex, never octal. */
    assert_int_equal(sv_parse_u64("010", &v), 0);
    assert_true(v == 10);
    assert_int_equal(sv_parse_u64("08", &v), 0);
    assert_true(v == 8);
    assert_int_equal(sv_parse_u64("0x", &v), -EINVAL);
    assert_int_equal(sv_parse_u64("0x-1", &v), -EINVAL);
}

static void test_parse_u32(void **state)
{
    uint32_t v = 7;

    assert_int_equal(sv_parse_u32("4294967295", &v), 0);
    assert_true(v == UINT32_MAX);
    assert_int_equal(sv_parse_u32("0", &v), 0);
    assert_true(v == 0);
    assert_int_equal(sv_parse_u32("0xffffffff", &v), 0);
    assert_true(v == UINT32_MAX);
    v = 7;
    assert_int_equal(sv_parse_u32("4294967296", &v), -ERANGE);
    assert_int_equal(sv_parse_u32("18446744073709551616", &v), -ERANGE);
    assert_int_equal(sv_parse_u32("-1", &v), -EINVAL);
    assert_int_equal(sv_parse_u32("", &v), -EINVAL);
    assert_int_equal(sv_parse_u32("12x", &v), -EINVAL);
    assert_int_equal(sv_parse_u32(NULL, &v), -EINVAL);
    assert_true(v == 7);
}

static void test_parse_int(void **state)
{
    int v = 5;

    assert_int_equal(sv_parse_int("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(sv_parse_int("-1", &v), 0);
    assert_int_equal(v, -1);
    assert_int_equal(sv_parse_int("2147483647", &v), 0);
    assert_int_equal(v, INT32_MAX);
    assert_int_equal(sv_parse_int("-2147483648", &v), 0);
    assert_int_equal(v, INT32_MIN);
    /* Decimal only: a leading zero is not octal, 0x is not hex. */
    assert_int_equal(sv_parse_int("010", &v), 0);
    assert_int_equal(v, 10);
    v = 5;
    assert_int_equal(sv_parse_int("0x10", &v), -EINVAL);
    assert_int_equal(sv_parse_int("2147483648", &v), -ERANGE);
    assert_int_equal(sv_parse_int("-2147483649", &v), -ERANGE);
    assert_int_equal(sv_parse_int("99999999999999999999", &v), -ERANGE);
    assert_int_equal(sv_parse_int("", &v), -EINVAL);
    assert_int_equal(sv_parse_int(" 1", &v), -EINVAL);
    assert_int_equal(sv_parse_int("1 ", &v), -EINVAL);
    assert_int_equal(sv_parse_int("--1", &v), -EINVAL);
    assert_int_equal(sv_parse_int("-", &v), -EINVAL);
    assert_int_equal(sv_parse_int(NULL, &v), -EINVAL);
    assert_int_equal(v, 5);
}

/* ---- UUID ---------------------------------------------------------------- */

static void test_uuid(void **state)
{
    static const unsigned char want[SV_UUID_LEN] = {
        0xc7, 0xa5, 0xfd, 0xbd, 0xed, 0xaf, 0x91, 0x45,
        0x5d, 0x9e, 0x40, 0x12, 0x0b, 0x65, 0x71, 0x6b,
    };
    static const char *const bad[] = {
        "",
        "c7a5fdbd-edaf-9145-5d9e-40120b65716",       /* one digit short */
        "c7a5fdbd-edaf-9145-5d9e-40120b65716b0",     /* one digit long */
        "c7a5fdbd-edaf-9145-5d9e-40120b65716b-",     /* trailing dash */
        "c7a5fdbd-edaf-9145-5d9e-40120b65716g",      /* not hex */
        "c7a5fdbd edaf-9145-5d9e-40120b65716b",      /* space */
        "c-7a5fdbd-edaf-9145-5d9e-40120b65716b",     /* dash inside a byte */
        "{c7a5fdbd-edaf-9145-5d9e-40120b65716b}",
    };
    unsigned char u[SV_UUID_LEN], u2[SV_UUID_LEN];
    char text[SV_UUID_STRLEN];

    assert_int_equal(sv_uuid_parse("c7a5fdbd-edaf-9145-5d9e-40120b65716b", u), 0);
    assert_memory_equal(u, want, SV_UUID_LEN);
    assert_int_equal(sv_uuid_parse("C7A5FDBDEDAF91455D9E40120B65716B", u), 0);
    assert_memory_equal(u, want, SV_UUID_LEN);
    sv_uuid_format(u, text);
    assert_string_equal(text, "c7a5fdbd-edaf-9145-5d9e-40120b65716b");
    assert_int_equal(strlen(text), SV_UUID_STRLEN - 1);

    memset(u, 0xaa, sizeof(u));
    for (size_t i = 0; i < SV_ARRAY_SIZE(bad); i++) {
        print_message("uuid '%s'\n", bad[i]);
        assert_int_equal(sv_uuid_parse(bad[i], u2), -EINVAL);
    }
    assert_int_equal(sv_uuid_parse(NULL, u2), -EINVAL);

    /* Generated: random version 4 / RFC 4122 variant, and they differ. */
    assert_int_equal(sv_uuid_generate(u), 0);
    assert_int_equal(sv_uuid_generate(u2), 0);
    assert_memory_not_equal(u, u2, SV_UUID_LEN);
    assert_int_equal(u[6] >> 4, 4);
    assert_int_equal(u[8] >> 6, 2);
    sv_uuid_format(u, text);
    assert_int_equal(text[14], '4');
    assert_int_equal(sv_uuid_parse(text, u2), 0);
    assert_memory_equal(u, u2, SV_UUID_LEN);
}

/* ---- MAC ----------------------------------------------------------------- */

static void test_mac(void **state)
{
    static const unsigned char want[SV_MAC_LEN] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};
    static const char *const bad[] = {
        "", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:", "52:54:00:ab:cd:ef:01",
        "52-54-00-ab-cd-ef", "5254.00ab.cdef", "525400abcdef", "52:54:00:ab:cd:eg",
        "2:54:00:ab:cd:ef", "52:54:00:ab:cd:e", " 52:54:00:ab:cd:ef", "52:54:00:ab:cd:ef ",
        "52::54:00:ab:cd",
    };
    unsigned char m[SV_MAC_LEN], m2[SV_MAC_LEN];
    char text[SV_MAC_STRLEN];

    assert_int_equal(sv_mac_parse("52:54:00:ab:cd:ef", m), 0);
    assert_memory_equal(m, want, SV_MAC_LEN);
    assert_int_equal(sv_mac_parse("52:54:00:AB:CD:EF", m), 0);
    assert_memory_equal(m, want, SV_MAC_LEN);
    sv_mac_format(m, text);
    assert_string_equal(text, "52:54:00:ab:cd:ef");
    for (size_t i = 0; i < SV_ARRAY_SIZE(bad); i++) {
        print_message("mac '%s'\n", bad[i]);
        assert_int_equal(sv_mac_parse(bad[i], m2), -EINVAL);
    }

    /* Generated: QEMU's 52:54:00 prefix (unicast, locally administered). */
    sv_mac_generate(m);
    assert_int_equal(m[0], 0x52);
    assert_int_equal(m[1], 0x54);
    assert_int_equal(m[2], 0x00);
    assert_int_equal(m[0] & 1, 0);
    {
        bool differ = false;

        for (int i = 0; i < 8 && !differ; i++) {
            sv_mac_generate(m2);
            differ = memcmp(m, m2, SV_MAC_LEN) != 0;
        }
        assert_true(differ);
    }
    sv_mac_format(m, text);
    assert_int_equal(sv_mac_parse(text, m2), 0);
    assert_memory_equal(m, m2, SV_MAC_LEN);
}

/* ---- unit scaling -------------------------------------------------------- */

static void test_scale_to_bytes(void **state)
{
    static const struct {
        const char *unit;
        uint64_t scale;
    } units[] = {
        {"b", 1}, {"bytes", 1},
        {"k", 1024}, {"KiB", 1024}, {"KB", 1000},
        {"M", 1ull << 20}, {"MiB", 1ull << 20}, {"MB", 1000000},
        {"G", 1ull << 30}, {"GiB", 1ull << 30}, {"GB", 1000000000},
        {"T", 1ull << 40}, {"TiB", 1ull << 40}, {"TB", 1000000000000ull},
        {"P", 1ull << 50}, {"PiB", 1ull << 50}, {"PB", 1000000000000000ull},
        {"E", 1ull << 60}, {"EiB", 1ull << 60}, {"EB", 1000000000000000000ull},
    };
    uint64_t v;

    for (size_t i = 0; i < SV_ARRAY_SIZE(units); i++) {
        uint64_t max = UINT64_MAX / units[i].scale;

        print_message("unit %s\n", units[i].unit);
        assert_int_equal(sv_scale_to_bytes(3, units[i].unit, &v), 0);
        assert_true(v == 3 * units[i].scale);
        assert_int_equal(sv_scale_to_bytes(0, units[i].unit, &v), 0);
        assert_true(v == 0);
        /* The largest value that fits, and one more. */
        assert_int_equal(sv_scale_to_bytes(max, units[i].unit, &v), 0);
        assert_true(v == max * units[i].scale);
        if (units[i].scale > 1) {
            v = 42;
            assert_int_equal(sv_scale_to_bytes(max + 1, units[i].unit, &v), -ERANGE);
            assert_true(v == 42);
        }
    }
    assert_int_equal(sv_scale_to_bytes(UINT64_MAX, "b", &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(sv_scale_to_bytes(16, "EiB", &v), -ERANGE);
    assert_int_equal(sv_scale_to_bytes(15, "EiB", &v), 0);
    assert_int_equal(sv_scale_to_bytes(18, "EB", &v), 0);
    assert_int_equal(sv_scale_to_bytes(19, "EB", &v), -ERANGE);
    assert_int_equal(sv_scale_to_bytes(1, "", &v), -EINVAL);
    assert_int_equal(sv_scale_to_bytes(1, "XiB", &v), -EINVAL);
    assert_int_equal(sv_scale_to_bytes(1, "KiBs", &v), -EINVAL);
    assert_int_equal(sv_scale_to_bytes(1, " KiB", &v), -EINVAL);
    /* libvirt's units are case-insensitive: kib, K, mb, GIB, Bytes. */
    assert_int_equal(sv_scale_to_bytes(2, "kib", &v), 0);
    assert_int_equal(v, 2048);
    assert_int_equal(sv_scale_to_bytes(2, "K", &v), 0);
    assert_int_equal(v, 2048);
    assert_int_equal(sv_scale_to_bytes(2, "mb", &v), 0);
    assert_int_equal(v, 2000000);
    assert_int_equal(sv_scale_to_bytes(1, "GIB", &v), 0);
    assert_int_equal(v, 1073741824);
    assert_int_equal(sv_scale_to_bytes(5, "Bytes", &v), 0);
    assert_int_equal(v, 5);
}

/* ---- sv_buf -------------------------------------------------------------- */

static void test_buf_escape(void **state)
{
    sv_buf b = {0};
    char *s;

    sv_buf_escape_xml(&b, "a<b>&\"c\"'d'");
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    sv_buf_free(&b);

    /* Already-escaped text is escaped again, UTF-8 passes through. */
    sv_buf_escape_xml(&b, "&amp; é ✓");
    assert_string_equal(b.data, "&amp;amp; é ✓");
    sv_buf_free(&b);

    sv_buf_escape_xml(&b, "");
    s = sv_buf_steal(&b);
    assert_string_equal(s, "");
    free(s);

    /* sv_buf_attr (xml_util.h) escapes values and skips NULL. */
    sv_buf_add(&b, "<x");
    sv_buf_attr(&b, "a", "it's <1> & \"2\"");
    sv_buf_attr(&b, "b", NULL);
    sv_buf_add(&b, "/>");
    assert_string_equal(b.data, "<x a='it&apos;s &lt;1&gt; &amp; &quot;2&quot;'/>");
    sv_buf_free(&b);
}

static void test_buf_build(void **state)
{
    sv_buf b = {0};
    char *s;
    size_t total = 0;

    sv_buf_add(&b, "<a>\n");
    b.indent = 2;
    sv_buf_iprintf(&b, "<b n='%d'/>\n", 5);
    b.indent = 0;
    sv_buf_printf(&b, "%s", "</a>\n");
    sv_buf_addn(&b, "xyz", 2);
    assert_string_equal(b.data, "<a>\n  <b n='5'/>\n</a>\nxy");
    assert_int_equal(b.len, strlen(b.data));
    s = sv_buf_steal(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);

    /* Growth well past the initial capacity keeps content and length. */
    for (int i = 0; i < 20000; i++) {
        sv_buf_printf(&b, "%d,", i);
        total += (size_t)snprintf(NULL, 0, "%d,", i);
    }
    assert_int_equal(b.len, total);
    assert_int_equal(strlen(b.data), total);
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_memory_equal(b.data + total - 6, "19999,", 6);
    sv_buf_free(&b);
    sv_buf_free(&b);
    assert_null(b.data);
}

/* ---- sv_error ------------------------------------------------------------ */

static void test_error(void **state)
{
    const sv_error *e;

    sv_error_reset();
    assert_null(sv_error_last());
    assert_string_equal(sv_error_message(), "unknown error");

    sv_error_set(SV_FROM_DOMAIN, SV_ERR_XML_DETAIL, "bad <%s> at line %d", "disk", 3);
    e = sv_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, SV_ERR_XML_DETAIL);
    assert_int_equal(e->domain, SV_FROM_DOMAIN);
    assert_string_equal(sv_error_message(), "bad <disk> at line 3");

    sv_error_set_errno(SV_FROM_CONF, ENOSPC, "cannot save '%s'", "x.xml");
    assert_int_equal(sv_error_last()->code, SV_ERR_SYSTEM_ERROR);
    assert_string_equal(sv_error_message(), "cannot save 'x.xml': No space left on device");

    /* Long messages are truncated, never overflow. */
    {
        char big[4 * SV_ERROR_MSG_MAX];

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        sv_error_set(SV_FROM_NONE, SV_ERR_INTERNAL_ERROR, "%s", big);
        assert_int_equal(strlen(sv_error_message()), SV_ERROR_MSG_MAX - 1);
        sv_error_set_errno(SV_FROM_NONE, EIO, "%s", big);
        assert_true(strlen(sv_error_message()) < SV_ERROR_MSG_MAX);
    }
    sv_error_reset();
    assert_null(sv_error_last());
}

/* ---- strings and files --------------------------------------------------- */

static void test_streq_strdup(void **state)
{
    _cleanup_free_ char *a = sv_strdup("abc");
    _cleanup_free_ char *b = sv_strndup("abcdef", 3);
    _cleanup_free_ char *c = sv_asprintf("%s-%d", "x", 7);

    assert_true(sv_streq(a, b));
    assert_true(sv_streq(NULL, NULL));
    assert_false(sv_streq(a, NULL));
    assert_false(sv_streq(NULL, a));
    assert_false(sv_streq(a, "abd"));
    assert_null(sv_strdup(NULL));
    assert_string_equal(c, "x-7");
}

static void test_read_file(void **state)
{
    char path[] = "/tmp/sv-util-XXXXXX";
    int fd = mkstemp(path);
    char *data = NULL;
    size_t len = 99;

    assert_true(fd >= 0);
    /* Empty file: an empty NUL-terminated string. */
    assert_int_equal(sv_read_file(path, 100, &data, &len), 0);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);

    assert_int_equal(write(fd, "hello\0world", 11), 11);
    close(fd);
    assert_int_equal(sv_read_file(path, 11, &data, &len), 0);
    assert_int_equal(len, 11);
    assert_memory_equal(data, "hello\0world", 12);
    free(data);
    data = NULL;
    assert_int_equal(sv_read_file(path, 10, &data, &len), -EFBIG);
    assert_null(data);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(sv_read_file(path, 10, &data, &len), -ENOENT);
    assert_int_equal(sv_read_file("/", 10, &data, &len), -EISDIR);
    assert_null(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_parse_u32),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_mac),
        cmocka_unit_test(test_scale_to_bytes),
        cmocka_unit_test(test_buf_escape),
        cmocka_unit_test(test_buf_build),
        cmocka_unit_test(test_error),
        cmocka_unit_test(test_streq_strdup),
        cmocka_unit_test(test_read_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
