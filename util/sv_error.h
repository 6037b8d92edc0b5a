/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Thread-local "last error" for the unprivileged code (conf, frontd,
 * client).  Codes and domains are libvirt's virErrorNumber/virErrorDomain
 * values so the RPC layer can forward them unchanged.
 */
#pragma once

#include <stdarg.h>

enum {
    SV_ERR_OK = 0,
    SV_ERR_INTERNAL_ERROR = 1,
    SV_ERR_NO_MEMORY = 2,
    SV_ERR_NO_SUPPORT = 3,
    SV_ERR_NO_CONNECT = 5,
    SV_ERR_INVALID_CONN = 6,
    SV_ERR_INVALID_DOMAIN = 7,
    SV_ERR_INVALID_ARG = 8,
    SV_ERR_OPERATION_FAILED = 9,
    SV_ERR_XML_ERROR = 27,
    SV_ERR_DOM_EXIST = 28,
    SV_ERR_OPERATION_DENIED = 29,
    SV_ERR_OPEN_FAILED = 30,
    SV_ERR_XML_DETAIL = 35,
    SV_ERR_INVALID_NETWORK = 36,
    SV_ERR_NETWORK_EXIST = 37,
    SV_ERR_SYSTEM_ERROR = 38,
    SV_ERR_RPC = 39,
    SV_ERR_NO_DOMAIN = 42,
    SV_ERR_NO_NETWORK = 43,
    SV_ERR_AUTH_FAILED = 45,
    SV_ERR_OPERATION_INVALID = 55,
    SV_ERR_CONFIG_UNSUPPORTED = 67,
    SV_ERR_OPERATION_TIMEOUT = 68,
    SV_ERR_ARGUMENT_UNSUPPORTED = 74,
    SV_ERR_NO_DOMAIN_METADATA = 80,
    SV_ERR_OPERATION_UNSUPPORTED = 84,
    SV_ERR_RESOURCE_BUSY = 87,
    SV_ERR_ACCESS_DENIED = 88,
    SV_ERR_NO_NWFILTER = 82,
    SV_ERR_INVALID_NWFILTER = 81,
    SV_ERR_NO_NETWORK_METADATA = 111,
};

enum {
    SV_FROM_NONE = 0,
    SV_FROM_RPC = 7,
    SV_FROM_QEMU = 10,
    SV_FROM_REMOTE = 13,
    SV_FROM_NETWORK = 19,
    SV_FROM_DOMAIN = 20,
    SV_FROM_NWFILTER = 33,
    SV_FROM_CONF = 27,
    SV_FROM_AUTH = 46,
    SV_FROM_ACCESS = 55,
};

#define SV_ERROR_MSG_MAX 1024

typedef struct sv_error {
    int code;    /* SV_ERR_* (virErrorNumber) */
    int domain;  /* SV_FROM_* (virErrorDomain) */
    char message[SV_ERROR_MSG_MAX];
} sv_error;

/* Record an error; replaces any earlier one on this thread. */
void sv_error_set(int domain, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sv_error_setv(int domain, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Record a system error: message is "<text>: strerror(errnum)". */
void sv_error_set_errno(int domain, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The last error on this thread, or NULL when none is set. */
const sv_error *sv_error_last(void);
/* Message of the last error, or "unknown error". Never NULL. */
const char *sv_error_message(void);
void sv_error_reset(void);
