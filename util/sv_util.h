/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Small helpers shared by every unprivileged component. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define SV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation wrappers: abort on failure (see sv_buf.h for why). */
void *sv_malloc0(size_t n);
void *sv_calloc(size_t nmemb, size_t size);
void *sv_realloc(void *p, size_t n);
char *sv_strdup(const char *s);      /* NULL in, NULL out */
char *sv_strndup(const char *s, size_t n);
char *sv_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Cleanup attributes, systemd style. */
static inline void sv_freep(void *p) { free(*(void **)p); }
static inline void sv_closep(int *fd) { if (*fd >= 0) close(*fd); }
#define _cleanup_free_ __attribute__((cleanup(sv_freep)))
#define _cleanup_close_ __attribute__((cleanup(sv_closep)))

bool sv_streq(const char *a, const char *b);   /* NULL-safe */

/* Parse a decimal/hex (0x) unsigned/signed integer; whole string must match.
 * Return 0 or -EINVAL / -ERANGE. */
int sv_parse_u64(const char *s, uint64_t *ret);
int sv_parse_u32(const char *s, uint32_t *ret);
int sv_parse_int(const char *s, int *ret);

/* UUIDs: raw 16 bytes, text is the canonical 36-char form. */
#define SV_UUID_LEN 16
#define SV_UUID_STRLEN 37
int sv_uuid_parse(const char *s, unsigned char uuid[SV_UUID_LEN]); /* 0 / -EINVAL; accepts with or without dashes */
void sv_uuid_format(const unsigned char uuid[SV_UUID_LEN], char out[SV_UUID_STRLEN]);
int sv_uuid_generate(unsigned char uuid[SV_UUID_LEN]);              /* v4 from getrandom */

/* MAC addresses */
#define SV_MAC_LEN 6
#define SV_MAC_STRLEN 18
int sv_mac_parse(const char *s, unsigned char mac[SV_MAC_LEN]);    /* 0 / -EINVAL */
void sv_mac_format(const unsigned char mac[SV_MAC_LEN], char out[SV_MAC_STRLEN]);
/* 52:54:00:xx:xx:xx with random low three bytes (libvirt's QEMU prefix). */
void sv_mac_generate(unsigned char mac[SV_MAC_LEN]);

/* Read a whole file (NUL-terminated, *ret_len excludes NUL).
 * Refuses files over max_size with -EFBIG.  Return 0 or -errno. */
int sv_read_file(const char *path, size_t max_size, char **ret_data, size_t *ret_len);
