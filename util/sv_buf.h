/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Growable text buffer used by the XML formatters and the CLI.
 * Allocation failure aborts (as g_malloc does): a daemon that cannot
 * allocate a few bytes cannot report anything useful either.
 */
#pragma once

#include <stddef.h>

typedef struct sv_buf {
    char *data;
    size_t len;
    size_t cap;
    int indent;  /* spaces emitted by sv_buf_indent_printf */
} sv_buf;

void sv_buf_add(sv_buf *b, const char *s);
void sv_buf_addn(sv_buf *b, const char *s, size_t n);
void sv_buf_printf(sv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like sv_buf_printf, prefixed with b->indent spaces. */
void sv_buf_iprintf(sv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with XML escaping of & < > " ' */
void sv_buf_escape_xml(sv_buf *b, const char *s);
/* Return the NUL-terminated content (caller frees) and reset the buffer. */
char *sv_buf_steal(sv_buf *b);
void sv_buf_free(sv_buf *b);
