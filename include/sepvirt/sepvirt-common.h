/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: versioning, opaque handle types and error objects.
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_COMMON_H
#define SEPVIRT_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ---------------------------------------------------------
 * Numbers are encoded like libvirt's: major * 1,000,000 + minor * 1,000 +
 * micro.  SEPVIRT_VERSION_NUMBER is the version of these headers;
 * sepvirt_lib_version() tells the version of the library actually loaded. */
#define SEPVIRT_VERSION_MAJOR 0
#define SEPVIRT_VERSION_MINOR 1
#define SEPVIRT_VERSION_MICRO 0
#define SEPVIRT_VERSION_STRING "0.1.0"
#define SEPVIRT_VERSION_NUMBER \
    (SEPVIRT_VERSION_MAJOR * 1000000UL + SEPVIRT_VERSION_MINOR * 1000UL + \
     SEPVIRT_VERSION_MICRO)
/* True when the headers are at least version major.minor.micro. */
#define SEPVIRT_CHECK_VERSION(major, minor, micro) \
    (SEPVIRT_VERSION_NUMBER >= (major) * 1000000UL + (minor) * 1000UL + (micro))

/* Version of the loaded library, encoded as above. */
unsigned long sepvirt_lib_version(void);

/* ---- Handles ---------------------------------------------------------
 * All handles are opaque and reference counted.
 *  - sepvirt_conn: one connection to a daemon; safe to use from several
 *    threads at once (calls are matched to replies by serial number).
 *  - sepvirt_domain / sepvirt_network: a reference to one object on a
 *    connection.  Every function returning one gives the caller a new
 *    reference that it releases with sepvirt_domain_free() /
 *    sepvirt_network_free().  A handle keeps its connection alive: the
 *    connection is torn down when it was closed AND its last handle freed.
 * Strings returned as `char *` belong to the caller (free() them); strings
 * returned as `const char *` belong to the handle and live as long as it. */
typedef struct sepvirt_conn sepvirt_conn;
typedef struct sepvirt_domain sepvirt_domain;
typedef struct sepvirt_network sepvirt_network;

#define SEPVIRT_UUID_BUFLEN 16
#define SEPVIRT_UUID_STRING_BUFLEN 37

/* ---- Errors ----------------------------------------------------------
 * Codes and domains are libvirt's virErrorNumber / virErrorDomain values,
 * so errors forwarded by a daemon keep their numbers; the names below are
 * the ones this API uses itself, other numbers can arrive from a daemon.
 *
 * Every failing call (NULL or -1 return) records the error twice: as the
 * calling thread's last error (sepvirt_last_error()) and, for calls on a
 * connection, as that connection's last error (sepvirt_conn_last_error()). */
typedef enum {
    SEPVIRT_ERR_OK = 0,
    SEPVIRT_ERR_INTERNAL_ERROR = 1,
    SEPVIRT_ERR_NO_MEMORY = 2,
    SEPVIRT_ERR_NO_SUPPORT = 3,
    SEPVIRT_ERR_NO_CONNECT = 5,
    SEPVIRT_ERR_INVALID_CONN = 6,
    SEPVIRT_ERR_INVALID_DOMAIN = 7,
    SEPVIRT_ERR_INVALID_ARG = 8,
    SEPVIRT_ERR_OPERATION_FAILED = 9,
    SEPVIRT_ERR_XML_ERROR = 27,
    SEPVIRT_ERR_DOM_EXIST = 28,
    SEPVIRT_ERR_OPERATION_DENIED = 29,
    SEPVIRT_ERR_OPEN_FAILED = 30,
    SEPVIRT_ERR_XML_DETAIL = 35,
    SEPVIRT_ERR_INVALID_NETWORK = 36,
    SEPVIRT_ERR_NETWORK_EXIST = 37,
    SEPVIRT_ERR_SYSTEM_ERROR = 38,
    SEPVIRT_ERR_RPC = 39,
    SEPVIRT_ERR_NO_DOMAIN = 42,
    SEPVIRT_ERR_NO_NETWORK = 43,
    SEPVIRT_ERR_AUTH_FAILED = 45,
    SEPVIRT_ERR_OPERATION_INVALID = 55,
    SEPVIRT_ERR_CONFIG_UNSUPPORTED = 67,
    SEPVIRT_ERR_OPERATION_TIMEOUT = 68,
    SEPVIRT_ERR_ARGUMENT_UNSUPPORTED = 74,
    SEPVIRT_ERR_NO_DOMAIN_METADATA = 80,
    SEPVIRT_ERR_OPERATION_UNSUPPORTED = 84,
    SEPVIRT_ERR_ACCESS_DENIED = 88,
} sepvirt_error_code;

typedef enum {
    SEPVIRT_FROM_NONE = 0,
    SEPVIRT_FROM_RPC = 7,
    SEPVIRT_FROM_QEMU = 10,
    SEPVIRT_FROM_REMOTE = 13,
    SEPVIRT_FROM_NETWORK = 19,
    SEPVIRT_FROM_DOMAIN = 20,
    SEPVIRT_FROM_URI = 45,
    SEPVIRT_FROM_AUTH = 46,
    SEPVIRT_FROM_ACCESS = 55,
} sepvirt_error_domain;

typedef enum {
    SEPVIRT_ERR_LEVEL_NONE = 0,
    SEPVIRT_ERR_LEVEL_WARNING = 1,
    SEPVIRT_ERR_LEVEL_ERROR = 2,
} sepvirt_error_level;

typedef struct sepvirt_error {
    int code;       /* sepvirt_error_code (virErrorNumber) */
    int domain;     /* sepvirt_error_domain (virErrorDomain) */
    int level;      /* sepvirt_error_level */
    char *message;  /* human-readable, never NULL in a set error */
} sepvirt_error;

/* The calling thread's last error, or NULL if the last call succeeded or
 * none failed yet.  Owned by the library; valid until this thread's next
 * libsepvirt call. */
const sepvirt_error *sepvirt_last_error(void);
/* Forget the calling thread's last error. */
void sepvirt_reset_last_error(void);
/* Copy of the calling thread's last error (NULL when none); the caller
 * releases it with sepvirt_error_free(). */
sepvirt_error *sepvirt_save_last_error(void);
/* The last error recorded on conn by any thread, copied into a new object
 * the caller releases with sepvirt_error_free(); NULL when none. */
sepvirt_error *sepvirt_conn_last_error(sepvirt_conn *conn);
void sepvirt_conn_reset_last_error(sepvirt_conn *conn);
void sepvirt_error_free(sepvirt_error *err);

/* Called on the failing thread each time a call raises an error (like
 * libvirt's virSetErrorFunc); err is valid only during the call.  NULL
 * removes the hook. */
typedef void (*sepvirt_error_func)(void *opaque, const sepvirt_error *err);
void sepvirt_set_error_func(void *opaque, sepvirt_error_func func);

#ifdef __cplusplus
}
#endif
#endif
