/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sv_error.h"

#include <stdio.h>
#include <string.h>

static _Thread_local sv_error last_error;
static _Thread_local int have_error;

void sv_error_setv(int domain, int code, const char *fmt, va_list ap)
{
    last_error.code = code;
    last_error.domain = domain;
    vsnprintf(last_error.message, sizeof(last_error.message), fmt, ap);
    have_error = 1;
}

void sv_error_set(int domain, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sv_error_setv(domain, code, fmt, ap);
    va_end(ap);
}

void sv_error_set_errno(int domain, int errnum, const char *fmt, ...)
{
    char text[SV_ERROR_MSG_MAX / 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    sv_error_set(domain, SV_ERR_SYSTEM_ERROR, "%s: %s", text, strerror(errnum));
}

const sv_error *sv_error_last(void)
{
    return have_error ? &last_error : NULL;
}

const char *sv_error_message(void)
{
    return have_error ? last_error.message : "unknown error";
}

void sv_error_reset(void)
{
    have_error = 0;
    last_error.code = 0;
    last_error.domain = 0;
    last_error.message[0] = '\0';
}
