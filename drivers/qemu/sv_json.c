/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_util.h"

typedef struct parser {
    const char *p;
    const char *end;
} parser;

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bool take_literal(parser *ps, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, lit, n) != 0)
        return false;
    ps->p += n;
    return true;
}

static int hex4(const char *s, unsigned *ret)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++) {
        char c = s[i];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *ret = v;
    return 0;
}

static void put_utf8(sv_buf *b, unsigned cp)
{
    char out[4];
    size_t n;

    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    sv_buf_addn(b, out, n);
}

/* Parses a string literal starting at the opening quote. */
static char *parse_string(parser *ps)
{
    sv_buf b = {0};

    ps->p++;
    while (ps->p < ps->end) {
        char c = *ps->p++;

        if (c == '"')
            return sv_buf_steal(&b);
        if ((unsigned char)c < 0x20)
            break;
        if (c != '\\') {
            sv_buf_addn(&b, &c, 1);
            continue;
        }
        if (ps->p >= ps->end)
            break;
        c = *ps->p++;
        switch (c) {
        case '"': case '\\': case '/': sv_buf_addn(&b, &c, 1); break;
        case 'b': sv_buf_add(&b, "\b"); break;
        case 'f': sv_buf_add(&b, "\f"); break;
        case 'n': sv_buf_add(&b, "\n"); break;
        case 'r': sv_buf_add(&b, "\r"); break;
        case 't': sv_buf_add(&b, "\t"); break;
        case 'u': {
            unsigned cp, lo;

            if (ps->end - ps->p < 4 || hex4(ps->p, &cp) < 0)
                goto fail;
            ps->p += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
                    hex4(ps->p + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
                    goto fail;
                ps->p += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                goto fail;
            }
            if (cp == 0)
                goto fail;
            put_utf8(&b, cp);
            break;
        }
        default:
            goto fail;
        }
    }
fail:
    sv_buf_free(&b);
    return NULL;
}

static sv_json *new_value(sv_json_type type)
{
    sv_json *v = sv_malloc0(sizeof(*v));

    v->type = type;
    return v;
}

static sv_json *parse_number(parser *ps)
{
    const char *start = ps->p;
    bool integer = true;
    char buf[64];
    sv_json *v;
    size_t len;
    char *endp;

    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
        return NULL;
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '.') {
        integer = false;
        ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
            return NULL;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        integer = false;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
            return NULL;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            ps->p++;
    }
    len = (size_t)(ps->p - start);
    if (len >= sizeof(buf))
        return NULL;
    memcpy(buf, start, len);
    buf[len] = '\0';
    v = new_value(SV_JSON_NUMBER);
    v->number = strtod(buf, NULL);
    if (integer) {
        errno = 0;
        v->integer = strtoll(buf, &endp, 10);
        v->is_integer = errno == 0;
    }
    return v;
}

static sv_json *parse_value(parser *ps, int depth);

static bool parse_container(parser *ps, sv_json *v, int depth, char close)
{
    bool object = close == '}';

    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return true;
    }
    for (;;) {
        char *key = NULL;
        sv_json *item;

        skip_ws(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"' || !(key = parse_string(ps)))
                return false;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                return false;
            }
            ps->p++;
        }
        item = parse_value(ps, depth + 1);
        if (!item) {
            free(key);
            return false;
        }
        v->items = sv_realloc(v->items, (v->n + 1) * sizeof(*v->items));
        if (object)
            v->keys = sv_realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
        v->items[v->n] = item;
        if (object)
            v->keys[v->n] = key;
        v->n++;
        skip_ws(ps);
        if (ps->p >= ps->end)
            return false;
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            return true;
        }
        return false;
    }
}

static sv_json *parse_value(parser *ps, int depth)
{
    sv_json *v;

    if (depth > SV_JSON_MAX_DEPTH)
        return NULL;
    skip_ws(ps);
    if (ps->p >= ps->end)
        return NULL;
    switch (*ps->p) {
    case '{':
    case '[':
        v = new_value(*ps->p == '{' ? SV_JSON_OBJECT : SV_JSON_ARRAY);
        if (!parse_container(ps, v, depth, *ps->p == '{' ? '}' : ']')) {
            sv_json_free(v);
            return NULL;
        }
        return v;
    case '"': {
        char *s = parse_string(ps);

        if (!s)
            return NULL;
        v = new_value(SV_JSON_STRING);
        v->string = s;
        return v;
    }
    case 't':
    case 'f':
        if (take_literal(ps, "true") || take_literal(ps, "false")) {
            v = new_value(SV_JSON_BOOL);
            v->boolean = ps->p[-1] == 'e' && ps->p[-2] == 'u';
            return v;
        }
        return NULL;
    case 'n':
        return take_literal(ps, "null") ? new_value(SV_JSON_NULL) : NULL;
    default:
        return parse_number(ps);
    }
}

sv_json *sv_json_parse(const char *text, size_t len)
{
    parser ps = {text, text + len};
    sv_json *v = parse_value(&ps, 0);

    if (!v)
        return NULL;
    skip_ws(&ps);
    if (ps.p != ps.end) {
        sv_json_free(v);
        return NULL;
    }
    return v;
}

void sv_json_free(sv_json *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        sv_json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
    free(v);
}

sv_json *sv_json_get(const sv_json *v, const char *key)
{
    if (!v || v->type != SV_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return v->items[i];
    return NULL;
}

bool sv_json_get_string(const sv_json *v, const char *key, const char **ret)
{
    sv_json *m = sv_json_get(v, key);

    if (!m || m->type != SV_JSON_STRING)
        return false;
    *ret = m->string;
    return true;
}

bool sv_json_get_int(const sv_json *v, const char *key, int64_t *ret)
{
    sv_json *m = sv_json_get(v, key);

    if (!m || m->type != SV_JSON_NUMBER || !m->is_integer)
        return false;
    *ret = m->integer;
    return true;
}

bool sv_json_get_bool(const sv_json *v, const char *key, bool *ret)
{
    sv_json *m = sv_json_get(v, key);

    if (!m || m->type != SV_JSON_BOOL)
        return false;
    *ret = m->boolean;
    return true;
}

void sv_json_append_string(sv_buf *b, const char *s)
{
    sv_buf_add(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        switch (c) {
        case '"': sv_buf_add(b, "\\\""); break;
        case '\\': sv_buf_add(b, "\\\\"); break;
        case '\n': sv_buf_add(b, "\\n"); break;
        case '\r': sv_buf_add(b, "\\r"); break;
        case '\t': sv_buf_add(b, "\\t"); break;
        default:
            if (c < 0x20)
                sv_buf_printf(b, "\\u%04x", c);
            else
                sv_buf_addn(b, s, 1);
        }
    }
    sv_buf_add(b, "\"");
}

void sv_json_append(sv_buf *b, const sv_json *v)
{
    switch (v->type) {
    case SV_JSON_NULL: sv_buf_add(b, "null"); break;
    case SV_JSON_BOOL: sv_buf_add(b, v->boolean ? "true" : "false"); break;
    case SV_JSON_NUMBER:
        if (v->is_integer)
            sv_buf_printf(b, "%lld", (long long)v->integer);
        else if (isfinite(v->number))
            sv_buf_printf(b, "%.17g", v->number);
        else
            sv_buf_add(b, "null");
        break;
    case SV_JSON_STRING: sv_json_append_string(b, v->string); break;
    case SV_JSON_ARRAY:
    case SV_JSON_OBJECT:
        sv_buf_add(b, v->type == SV_JSON_ARRAY ? "[" : "{");
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                sv_buf_add(b, ",");
            if (v->type == SV_JSON_OBJECT) {
                sv_json_append_string(b, v->keys[i]);
                sv_buf_add(b, ":");
            }
            sv_json_append(b, v->items[i]);
        }
        sv_buf_add(b, v->type == SV_JSON_ARRAY ? "]" : "}");
        break;
    }
}
