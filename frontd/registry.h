/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Registries of named objects (domains, networks): the in-memory maps by
 * name, UUID and id, backed by the config store (util/sv_store.h).
 *
 * This header is the generic part shared by domain_registry.h and
 * network_registry.h; procedure modules use those.
 *
 * Locking
 * -------
 * Every object has its own mutex; the registry has one mutex protecting its
 * maps.  The order is object -> registry: code holding an object lock may
 * take the registry lock (briefly, to change the maps), never the reverse.
 * Lookups therefore find and reference the object under the registry lock,
 * release it, then lock the object and re-check that it was not removed in
 * between.  Long operations (a hypervisor start) must not keep the object
 * lock: they take the object's job (sv_obj_begin_job) and may unlock while
 * it is held.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "sv_util.h"

/* Record an error worded the way libvirt words it: the fixed text of code
 * ("Domain not found", "Requested operation is not valid", ...), ": ", then
 * the formatted detail.  virsh prints the message as is, so users and
 * scripts see the same text as with libvirt. */
void sv_report(int from, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Give the current error (set by code that does not add the fixed text,
 * such as the XML parsers) libvirt's fixed text for its code, once. */
void sv_report_add_prefix(void);

/* Every def struct of drivers/conf starts with these two fields. */
typedef struct sv_def_head {
    char *name;
    unsigned char uuid[SV_UUID_LEN];
} sv_def_head;

typedef struct sv_obj sv_obj;
typedef struct sv_objlist sv_objlist;

/* What differs between object kinds. */
typedef struct sv_obj_class {
    const char *kind;   /* "domain", "network": used in error messages */
    int err_from;       /* SV_FROM_* of errors about these objects */
    int err_missing;    /* SV_ERR_NO_DOMAIN / SV_ERR_NO_NETWORK */
    size_t obj_size;    /* size of the kind's struct, which embeds sv_obj first */
    /* Parse a stored config; NULL with sv_error set. */
    void *(*parse)(const char *xml, size_t len);
    /* The XML the store keeps for a persistent config (malloc'd). */
    char *(*format_config)(const void *def);
    void (*def_free)(void *def);
    /* Optional: set the kind's own fields of a new (zeroed) object. */
    void (*obj_init)(sv_obj *obj);
    /* Optional: release the kind's own fields when the object is freed. */
    void (*obj_clear)(sv_obj *obj);
} sv_obj_class;

struct sv_obj {
    const sv_obj_class *klass;
    pthread_mutex_t lock;
    pthread_cond_t job_cond;
    int refs;                  /* atomic */
    sv_objlist *list;
    /* Map keys: copies of the def's name/uuid, constant while listed. */
    char *name;
    unsigned char uuid[SV_UUID_LEN];
    int id;                    /* -1 unless the kind uses ids and it is active */
    /* Fields below are protected by lock. */
    void *def;                 /* live config while active, else persistent config */
    void *new_def;             /* persistent config to restore at stop (active only) */
    bool active;
    bool persistent;
    bool autostart;
    bool updated;              /* persistent config redefined while active */
    bool removing;             /* being unlinked: lookups no longer return it */
    bool job;                  /* a long operation owns the object */
    unsigned long long job_start_ms;   /* when the job began (CLOCK_MONOTONIC) */
};

/* One of obj's (locked) booleans, for the is-active style queries. */
typedef enum { SV_OBJ_ACTIVE, SV_OBJ_PERSISTENT, SV_OBJ_UPDATED, SV_OBJ_AUTOSTART } sv_obj_flag;
int sv_obj_get_flag(const sv_obj *obj, sv_obj_flag flag);

/* The persistent config of obj (new_def when set, else def). */
void *sv_obj_persistent_def(const sv_obj *obj);

/* Unlock and drop the caller's reference; NULL is accepted. */
void sv_obj_end(sv_obj *obj);
void sv_obj_ref(sv_obj *obj);
void sv_obj_unref(sv_obj *obj);

/* Wait (obj locked) until no other job owns obj, then own it.  Fails with
 * the kind's "not found" error when the object was removed meanwhile. */
int sv_obj_begin_job(sv_obj *obj);
void sv_obj_end_job(sv_obj *obj);

/* Record the kind's "not found" error: "no <kind> with matching name 'x'",
 * "... uuid 'u'" or, when name is given with a uuid, "... uuid 'u' (name)"
 * (the wording for an object handle the client still holds). */
void sv_obj_error_no_name(const sv_obj_class *klass, const char *name);
void sv_obj_error_no_uuid(const sv_obj_class *klass, const unsigned char uuid[SV_UUID_LEN],
                          const char *name);

/* ---- the registry ---------------------------------------------------- */

/* Open the registry over the store directory dir (created when missing) and
 * load every stored object.  An object that cannot be read or parsed, whose
 * name differs from its file name, or that repeats a name/UUID already
 * loaded is reported on stderr and skipped; its file is left alone.
 * *ret_failed (may be NULL) receives how many were skipped. */
int sv_objlist_open(const sv_obj_class *klass, const char *dir, sv_objlist **ret,
                    size_t *ret_failed);
/* Drop every object and close.  Callers must have stopped using it. */
void sv_objlist_free(sv_objlist *list);

/* Referenced and locked object, or NULL (no error set) when absent. */
sv_obj *sv_objlist_find_name(sv_objlist *list, const char *name);
sv_obj *sv_objlist_find_uuid(sv_objlist *list, const unsigned char uuid[SV_UUID_LEN]);
sv_obj *sv_objlist_find_id(sv_objlist *list, int id);

/* Make *def the persistent config: a new object, or (same name and UUID)
 * the new config of an existing one, and write it to the store.  On success
 * *def is taken, *ret_updated says whether an object existed, *ret_obj is
 * the object, referenced and locked.  Errors (code 9 OPERATION_FAILED):
 * same UUID with another name, same name with another UUID, object being
 * removed; store errors.  An existing object is changed only once no
 * lifecycle job owns it (the call waits). */
int sv_objlist_define(sv_objlist *list, void **def, bool *ret_updated, sv_obj **ret_obj);

/* Add *def as the live config of an object about to be started (create
 * from XML): a new transient object, or an inactive persistent object with
 * the same name and UUID (its config is kept as new_def).  The object is
 * not yet active; the caller marks it so once started, or calls
 * sv_objlist_stopped() on failure.  Errors: as define, plus
 * OPERATION_INVALID when the object is active. */
int sv_objlist_add_live(sv_objlist *list, void **def, sv_obj **ret_obj);

/* Write the persistent config of obj (locked, persistent) to the store. */
int sv_objlist_save(sv_obj *obj);

/* Undefine (obj locked): delete the stored config and autostart flag; an
 * active object becomes transient, an inactive one is removed. */
int sv_objlist_undefine(sv_obj *obj);

/* Set or clear the autostart flag (obj locked); persistent objects only. */
int sv_objlist_set_autostart(sv_obj *obj, bool autostart);

/* obj (locked) starts running: active, with id (or -1) entered in the id
 * map.  When the persistent config is also the live one, live_def (a copy
 * the caller made, may be NULL to keep sharing) becomes def and the
 * persistent config moves to new_def. */
void sv_objlist_started(sv_obj *obj, int id, void *live_def);
/* obj (locked) stopped: inactive, id -1, the persistent config back in def;
 * a transient object is removed from the registry. */
void sv_objlist_stopped(sv_obj *obj);

/* Remove obj (locked) from the maps; it stays valid for its holders. */
void sv_objlist_remove(sv_obj *obj);

/* Referenced (unlocked) objects for which match() (called with the object
 * locked) is true, sorted by name.  match may be NULL.  Free with
 * sv_objlist_collect_free(). */
typedef bool (*sv_obj_match_fn)(sv_obj *obj, void *opaque);
void sv_objlist_collect(sv_objlist *list, sv_obj_match_fn match, void *opaque,
                        sv_obj ***ret_objs, size_t *ret_n);
void sv_objlist_collect_free(sv_obj **objs, size_t n);
/* How many objects match. */
size_t sv_objlist_count(sv_objlist *list, sv_obj_match_fn match, void *opaque);

/* List-flag filtering (virConnectListAll*): flag groups are ANDed, the bits
 * of one group ORed; a group with none or all of its bits set matches any
 * value.  True when value passes the group {yes, no}. */
bool sv_list_group_match(unsigned flags, unsigned yes, unsigned no, bool value);
/* INVALID_ARG "unsupported flags (0x..) in function <api>" for bits outside
 * known (libvirt's virCheckFlags). */
int sv_check_flags(unsigned flags, unsigned known, int from, const char *api);

/* The next domain id (1, 2, ...; wraps before INT_MAX, skipping ids in use). */
int sv_objlist_next_id(sv_objlist *list);

const sv_obj_class *sv_objlist_class(const sv_objlist *list);

/* ---- daemon start/stop ----------------------------------------------- */

/* Load every persistent domain and network from config_dir (created when
 * missing); state_dir holds runtime status.  Returns 0 or -1 with sv_error set.
 * Corrupt objects are reported on stderr and skipped, never deleted. */
int sv_registry_init(const char *config_dir, const char *state_dir, bool session);
void sv_registry_shutdown(void);
