/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Directory-backed store of named objects: each object is one file
 * <dir>/<name><suffix> (domain XML in qemu/, networks/, nwfilter/, runtime
 * status files, ...).  Writes are atomic: a crash or a full disk leaves
 * either the complete old or the complete new content, never a mix.
 *
 * Where the directories live
 * --------------------------
 *   system mode   config  /etc/sepvirt         (qemu/, networks/, nwfilter/)
 *                 state   /var/lib/sepvirt
 *                 runtime /run/sepvirt
 *   session mode  config  $XDG_CONFIG_HOME/sepvirt   (default ~/.config/sepvirt)
 *                 state   $XDG_DATA_HOME/sepvirt     (default ~/.local/share/sepvirt)
 *                 runtime $XDG_RUNTIME_DIR/sepvirt   (default ~/.cache/sepvirt/run)
 *
 * System paths are fixed rather than derived from the install prefix so the
 * launcher, the helpers' root-owned config and the install script always
 * agree.  Session state goes to XDG_DATA_HOME, not XDG_STATE_HOME, because
 * it holds what /var/lib holds for the system daemon (disk images, leases,
 * saved state) and libvirt users expect it next to ~/.local/share/libvirt.
 *
 * An override root (argument, else $SEPVIRT_ROOT) replaces all of that with
 * <root>/config, <root>/state and <root>/run in both modes; tests use it.
 *
 * Names
 * -----
 * A name is 1..SV_STORE_NAME_MAX bytes, contains no '/' and no control
 * character, and does not start with '.', so it always names a file inside
 * the store's directory and never collides with the store's own dot-files
 * (temporary files are ".<name><suffix>.tmp-XXXXXXXX").
 *
 * Errors: functions return 0 or a negative errno and set sv_error.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Sub-directories of the config root per object kind (libvirt's names). */
#define SV_STORE_DOMAINS "qemu"
#define SV_STORE_NETWORKS "networks"
#define SV_STORE_NWFILTERS "nwfilter"
/* The flag that marks objects to start when the daemon starts. */
#define SV_STORE_AUTOSTART "autostart"

#define SV_STORE_NAME_MAX 200
/* Objects larger than this are refused on read (-EFBIG). */
#define SV_STORE_OBJECT_MAX (64u * 1024 * 1024)

typedef struct sv_store_paths {
    char *config;
    char *state;
    char *runtime;
} sv_store_paths;

/* Compute the roots for system or session mode.  root may be NULL (then
 * $SEPVIRT_ROOT is used when set and non-empty).  Relative XDG variables are
 * ignored as the XDG spec asks.  Free with sv_store_paths_clear(). */
int sv_store_paths_get(bool session, const char *root, sv_store_paths *ret);
void sv_store_paths_clear(sv_store_paths *p);

typedef struct sv_store sv_store;

/* Open the store in dir, creating missing directories with mode 0700.
 * suffix (e.g. ".xml"; NULL means none) is appended to names to form file
 * names.  Close with sv_store_close(). */
int sv_store_open(const char *dir, const char *suffix, sv_store **ret);
void sv_store_close(sv_store *s);
static inline void sv_store_closep(sv_store **s) { sv_store_close(*s); }
#define _cleanup_store_ __attribute__((cleanup(sv_store_closep)))

const char *sv_store_dir(const sv_store *s);

/* 0 if name is acceptable, -EINVAL (sv_error set) otherwise. */
int sv_store_name_check(const char *name);

/* Replace (or create) object name with exactly len bytes of data.  Writes a
 * temporary file in the same directory (O_EXCL, mode 0600), fsyncs it,
 * renames it over the object and fsyncs the directory.  On any failure the
 * temporary file is removed and the old object is untouched. */
int sv_store_write(sv_store *s, const char *name, const void *data, size_t len);
/* Read the object (NUL-terminated; *ret_len, may be NULL, excludes the NUL).
 * -ENOENT when it does not exist. */
int sv_store_read(sv_store *s, const char *name, char **ret_data, size_t *ret_len);
bool sv_store_exists(sv_store *s, const char *name);
/* Remove the object durably.  -ENOENT when it does not exist.  Flags set on
 * the name are not touched. */
int sv_store_delete(sv_store *s, const char *name);

/* Sorted, NULL-terminated names of the objects present (temporary files and
 * anything that is not a regular file with a valid name are skipped).  Free
 * with sv_store_names_free(). */
int sv_store_list(sv_store *s, char ***ret_names, size_t *ret_n);
void sv_store_names_free(char **names);

/* Called once per object by sv_store_load_all(): error is 0 and data/len the
 * content, or error is a negative errno (data NULL, sv_error set) when the
 * file could not be read.  Return 0 to accept the object, a negative errno
 * to report it as corrupt (leave sv_error set to say why): the loader counts
 * it and goes on.  The file is never deleted. */
typedef int (*sv_store_load_cb)(const char *name, const char *data, size_t len,
                                int error, void *opaque);

/* Load every object in name order.  Leftover temporary files of a writer
 * that crashed are removed first, so call it at start-up, before any writer
 * of this store runs.  *ret_failed (may be NULL) receives the number of
 * objects that were unreadable or rejected by cb.  Fails only when the
 * directory cannot be read. */
int sv_store_load_all(sv_store *s, sv_store_load_cb cb, void *opaque, size_t *ret_failed);

/* Named flags (e.g. SV_STORE_AUTOSTART) are symlinks
 * <dir>/<flag>/<name><suffix> -> ../<name><suffix>, the layout libvirt uses
 * for autostart; set and cleared atomically and durably.  Setting a flag
 * that is set, or clearing one that is clear, succeeds. */
int sv_store_set_flag(sv_store *s, const char *name, const char *flag, bool on);
bool sv_store_get_flag(sv_store *s, const char *name, const char *flag);
/* Sorted names carrying the flag (whether or not the object exists). */
int sv_store_list_flag(sv_store *s, const char *flag, char ***ret_names, size_t *ret_n);
