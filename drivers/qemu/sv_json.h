/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Minimal JSON value model for the QMP monitor.  QMP output is untrusted
 * (a compromised guest may control what QEMU says), so the parser bounds
 * nesting depth and input size and never recurses without a limit.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sv_buf.h"

#define SV_JSON_MAX_DEPTH 64

typedef enum sv_json_type {
    SV_JSON_NULL,
    SV_JSON_BOOL,
    SV_JSON_NUMBER,
    SV_JSON_STRING,
    SV_JSON_ARRAY,
    SV_JSON_OBJECT,
} sv_json_type;

typedef struct sv_json sv_json;
struct sv_json {
    sv_json_type type;
    bool boolean;
    bool is_integer;       /* number had no fraction/exponent and fits int64 */
    int64_t integer;
    double number;
    char *string;          /* SV_JSON_STRING (NUL-free: \u0000 is refused) */
    size_t n;              /* array/object element count */
    sv_json **items;       /* array elements / object values */
    char **keys;           /* object keys (parallel to items) */
};

/* Parse exactly one JSON value (surrounding whitespace allowed).
 * Returns NULL on malformed input, over-deep nesting or trailing garbage. */
sv_json *sv_json_parse(const char *text, size_t len);
void sv_json_free(sv_json *v);

/* Object member lookup; NULL when v is not an object or has no such key. */
sv_json *sv_json_get(const sv_json *v, const char *key);
/* Typed getters: return false when absent or of another type. */
bool sv_json_get_string(const sv_json *v, const char *key, const char **ret);
bool sv_json_get_int(const sv_json *v, const char *key, int64_t *ret);
bool sv_json_get_bool(const sv_json *v, const char *key, bool *ret);

/* Append s as a JSON string literal (quoted, escaped). */
void sv_json_append_string(sv_buf *b, const char *s);
/* Serialize a value compactly. */
void sv_json_append(sv_buf *b, const sv_json *v);
