/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

void *sv_malloc0(size_t n)
{
    return sv_calloc(1, n ? n : 1);
}

void *sv_calloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        abort();
    return p;
}

void *sv_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        abort();
    return q;
}

char *sv_strdup(const char *s)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        abort();
    return d;
}

char *sv_strndup(const char *s, size_t n)
{
    char *d = strndup(s, n);

    if (!d)
        abort();
    return d;
}

char *sv_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (r < 0)
        abort();
    return s;
}

bool sv_streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

int sv_parse_u64(const char *s, uint64_t *ret)
{
    unsigned long long v;
    char *end;

    if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
        return -EINVAL;
    errno = 0;
    /* Decimal, or hexadecimal with 0x: never octal, so "010" is ten. */
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (!isxdigit((unsigned char)s[2]))
            return -EINVAL;
        v = strtoull(s + 2, &end, 16);
    } else {
        v = strtoull(s, &end, 10);
    }
    if (errno == ERANGE)
        return -ERANGE;
    if (errno || *end)
        return -EINVAL;
    *ret = v;
    return 0;
}

int sv_parse_u32(const char *s, uint32_t *ret)
{
    uint64_t v;
    int r = sv_parse_u64(s, &v);

    if (r < 0)
        return r;
    if (v > UINT32_MAX)
        return -ERANGE;
    *ret = (uint32_t)v;
    return 0;
}

int sv_parse_int(const char *s, int *ret)
{
    long v;
    char *end;

    if (!s || !*s || isspace((unsigned char)*s))
        return -EINVAL;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
        return -ERANGE;
    if (errno || *end)
        return -EINVAL;
    *ret = (int)v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int sv_uuid_parse(const char *s, unsigned char uuid[SV_UUID_LEN])
{
    size_t n = 0;

    if (!s)
        return -EINVAL;
    while (*s && n < SV_UUID_LEN) {
        int hi, lo;

        if (*s == '-') {
            s++;
            continue;
        }
        hi = hexval(s[0]);
        lo = hi < 0 ? -1 : hexval(s[1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        uuid[n++] = (unsigned char)(hi << 4 | lo);
        s += 2;
    }
    if (n != SV_UUID_LEN || *s)
        return -EINVAL;
    return 0;
}

void sv_uuid_format(const unsigned char u[SV_UUID_LEN], char out[SV_UUID_STRLEN])
{
    snprintf(out, SV_UUID_STRLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
             u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void random_bytes(unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);

        if (r < 0) {
            if (errno == EINTR)
                continue;
            abort();
        }
        p += r;
        n -= (size_t)r;
    }
}

int sv_uuid_generate(unsigned char uuid[SV_UUID_LEN])
{
    random_bytes(uuid, SV_UUID_LEN);
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    return 0;
}

int sv_mac_parse(const char *s, unsigned char mac[SV_MAC_LEN])
{
    for (int i = 0; i < SV_MAC_LEN; i++) {
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

        if (hi < 0 || lo < 0)
            return -EINVAL;
        mac[i] = (unsigned char)(hi << 4 | lo);
        s += 2;
        if (i < SV_MAC_LEN - 1) {
            if (*s != ':')
                return -EINVAL;
            s++;
        }
    }
    return *s ? -EINVAL : 0;
}

void sv_mac_format(const unsigned char m[SV_MAC_LEN], char out[SV_MAC_STRLEN])
{
    snprintf(out, SV_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
             m[0], m[1], m[2], m[3], m[4], m[5]);
}

void sv_mac_generate(unsigned char mac[SV_MAC_LEN])
{
    mac[0] = 0x52;
    mac[1] = 0x54;
    mac[2] = 0x00;
    random_bytes(mac + 3, 3);
}

int sv_read_file(const char *path, size_t max_size, char **ret_data, size_t *ret_len)
{
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    _cleanup_free_ char *data = NULL;
    size_t len = 0, cap = 0;

    if (fd < 0)
        return -errno;
    for (;;) {
        ssize_t n;

        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            data = sv_realloc(data, cap + 1);
        }
        n = read(fd, data + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max_size)
            return -EFBIG;
    }
    if (!data)
        data = sv_malloc0(1);
    data[len] = '\0';
    *ret_data = data;
    data = NULL;
    if (ret_len)
        *ret_len = len;
    return 0;
}
