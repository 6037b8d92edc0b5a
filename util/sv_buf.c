/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_buf.h"
#include "sv_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_reserve(sv_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = sv_realloc(b->data, cap);
    b->cap = cap;
}

void sv_buf_addn(sv_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sv_buf_add(sv_buf *b, const char *s)
{
    sv_buf_addn(b, s, strlen(s));
}

static void buf_vprintf(sv_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        abort();
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void sv_buf_printf(sv_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sv_buf_iprintf(sv_buf *b, const char *fmt, ...)
{
    va_list ap;

    buf_reserve(b, (size_t)b->indent);
    memset(b->data + b->len, ' ', (size_t)b->indent);
    b->len += (size_t)b->indent;
    b->data[b->len] = '\0';
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sv_buf_escape_xml(sv_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sv_buf_add(b, "&amp;"); break;
        case '<': sv_buf_add(b, "&lt;"); break;
        case '>': sv_buf_add(b, "&gt;"); break;
        case '"': sv_buf_add(b, "&quot;"); break;
        case '\'': sv_buf_add(b, "&apos;"); break;
        default: sv_buf_addn(b, s, 1); break;
        }
    }
}

char *sv_buf_steal(sv_buf *b)
{
    char *s = b->data ? b->data : sv_strdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void sv_buf_free(sv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
