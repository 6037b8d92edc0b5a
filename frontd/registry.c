/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "registry.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain_registry.h"
#include "network_registry.h"
#include "sv_error.h"
#include "sv_store.h"

/* ---- errors --------------------------------------------------------- */

/* libvirt's fixed texts (virErrorMsg with detail) for the codes we raise. */
static const char *code_prefix(int code)
{
    switch (code) {
    case SV_ERR_INTERNAL_ERROR: return "internal error";
    case SV_ERR_NO_SUPPORT: return "this function is not supported by the connection driver";
    case SV_ERR_INVALID_ARG: return "invalid argument";
    case SV_ERR_OPERATION_FAILED: return "operation failed";
    case SV_ERR_XML_ERROR: return "XML error";
    case SV_ERR_OPERATION_DENIED: return "operation forbidden";
    case SV_ERR_NO_DOMAIN: return "Domain not found";
    case SV_ERR_NO_NETWORK: return "Network not found";
    case SV_ERR_OPERATION_INVALID: return "Requested operation is not valid";
    case SV_ERR_CONFIG_UNSUPPORTED: return "unsupported configuration";
    case SV_ERR_OPERATION_TIMEOUT: return "Timed out during operation";
    case SV_ERR_ARGUMENT_UNSUPPORTED: return "argument unsupported";
    case SV_ERR_NO_DOMAIN_METADATA: return "metadata not found";
    case SV_ERR_NO_NETWORK_METADATA: return "metadata not found";
    case SV_ERR_OPERATION_UNSUPPORTED: return "Operation not supported";
    case SV_ERR_RESOURCE_BUSY: return "resource busy";
    case SV_ERR_ACCESS_DENIED: return "access denied";
    default: return NULL;   /* XML_DETAIL, SYSTEM_ERROR, RPC: detail only */
    }
}

void sv_report(int from, int code, const char *fmt, ...)
{
    char detail[SV_ERROR_MSG_MAX];
    const char *prefix = code_prefix(code);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (prefix)
        sv_error_set(from, code, "%s: %s", prefix, detail);
    else
        sv_error_set(from, code, "%s", detail);
}

void sv_report_add_prefix(void)
{
    const sv_error *e = sv_error_last();
    const char *prefix;
    char detail[SV_ERROR_MSG_MAX];
    size_t plen;

    if (!e || !(prefix = code_prefix(e->code)))
        return;
    plen = strlen(prefix);
    if (strncmp(e->message, prefix, plen) == 0 && e->message[plen] == ':')
        return;
    snprintf(detail, sizeof(detail), "%s", e->message);
    sv_error_set(e->domain, e->code, "%s: %s", prefix, detail);
}

/* ---- hash maps -------------------------------------------------------- */

/* Chained hash map of objects keyed by one of their key fields.  The key is
 * read from the object itself, so nodes store nothing else. */
typedef enum { KEY_NAME, KEY_UUID, KEY_ID } key_kind;

typedef struct hnode {
    struct hnode *next;
    sv_obj *obj;
} hnode;

typedef struct hmap {
    key_kind kind;
    hnode **buckets;
    size_t nbuckets;
    size_t n;
} hmap;

struct sv_objlist {
    const sv_obj_class *klass;
    pthread_mutex_t lock;      /* protects the maps and next_id */
    hmap by_name, by_uuid, by_id;
    int next_id;
    sv_store *store;
};

static void key_of(key_kind kind, const sv_obj *obj, const void **ret_key, size_t *ret_len)
{
    if (kind == KEY_NAME) {
        *ret_key = obj->name;
        *ret_len = strlen(obj->name);
    } else if (kind == KEY_UUID) {
        *ret_key = obj->uuid;
        *ret_len = SV_UUID_LEN;
    } else {
        *ret_key = &obj->id;
        *ret_len = sizeof(obj->id);
    }
}

static size_t hash_bytes(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 14695981039346656037ull;   /* FNV-1a */

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

static void hmap_init(hmap *m, key_kind kind)
{
    m->kind = kind;
    m->nbuckets = 64;
    m->buckets = sv_calloc(m->nbuckets, sizeof(*m->buckets));
    m->n = 0;
}

static void hmap_clear(hmap *m)
{
    for (size_t i = 0; i < m->nbuckets; i++) {
        hnode *n = m->buckets[i];

        while (n) {
            hnode *next = n->next;

            free(n);
            n = next;
        }
    }
    free(m->buckets);
    m->buckets = NULL;
    m->nbuckets = m->n = 0;
}

static size_t hmap_slot(const hmap *m, const sv_obj *obj)
{
    const void *key;
    size_t len;

    key_of(m->kind, obj, &key, &len);
    return hash_bytes(key, len) % m->nbuckets;
}

static sv_obj *hmap_find(const hmap *m, const void *key, size_t len)
{
    for (hnode *n = m->buckets[hash_bytes(key, len) % m->nbuckets]; n; n = n->next) {
        const void *k;
        size_t klen;

        key_of(m->kind, n->obj, &k, &klen);
        if (klen == len && memcmp(k, key, len) == 0)
            return n->obj;
    }
    return NULL;
}

static void hmap_grow(hmap *m)
{
    hnode **old = m->buckets;
    size_t nold = m->nbuckets;

    m->nbuckets *= 2;
    m->buckets = sv_calloc(m->nbuckets, sizeof(*m->buckets));
    for (size_t i = 0; i < nold; i++) {
        hnode *n = old[i];

        while (n) {
            hnode *next = n->next;
            size_t slot = hmap_slot(m, n->obj);

            n->next = m->buckets[slot];
            m->buckets[slot] = n;
            n = next;
        }
    }
    free(old);
}

static void hmap_insert(hmap *m, sv_obj *obj)
{
    hnode *n = sv_malloc0(sizeof(*n));
    size_t slot;

    if (m->n >= m->nbuckets)
        hmap_grow(m);
    slot = hmap_slot(m, obj);
    n->obj = obj;
    n->next = m->buckets[slot];
    m->buckets[slot] = n;
    m->n++;
}

static bool hmap_erase(hmap *m, sv_obj *obj)
{
    for (hnode **pp = &m->buckets[hmap_slot(m, obj)]; *pp; pp = &(*pp)->next) {
        if ((*pp)->obj == obj) {
            hnode *n = *pp;

            *pp = n->next;
            free(n);
            m->n--;
            return true;
        }
    }
    return false;
}

/* ---- objects ---------------------------------------------------------- */

int sv_obj_get_flag(const sv_obj *obj, sv_obj_flag flag)
{
    switch (flag) {
    case SV_OBJ_ACTIVE: return obj->active;
    case SV_OBJ_PERSISTENT: return obj->persistent;
    case SV_OBJ_UPDATED: return obj->updated;
    case SV_OBJ_AUTOSTART: return obj->autostart;
    }
    return 0;
}

void *sv_obj_persistent_def(const sv_obj *obj)
{
    return obj->new_def ? obj->new_def : obj->def;
}

void sv_obj_ref(sv_obj *obj)
{
    __atomic_add_fetch(&obj->refs, 1, __ATOMIC_RELAXED);
}

static void obj_free(sv_obj *obj)
{
    const sv_obj_class *klass = obj->klass;

    if (klass->obj_clear)
        klass->obj_clear(obj);
    if (obj->new_def)
        klass->def_free(obj->new_def);
    if (obj->def)
        klass->def_free(obj->def);
    free(obj->name);
    pthread_cond_destroy(&obj->job_cond);
    pthread_mutex_destroy(&obj->lock);
    free(obj);
}

void sv_obj_unref(sv_obj *obj)
{
    if (__atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL) == 0)
        obj_free(obj);
}

void sv_obj_end(sv_obj *obj)
{
    if (!obj)
        return;
    pthread_mutex_unlock(&obj->lock);
    sv_obj_unref(obj);
}

void sv_obj_error_no_name(const sv_obj_class *klass, const char *name)
{
    sv_report(klass->err_from, klass->err_missing, "no %s with matching name '%s'",
              klass->kind, name);
}

void sv_obj_error_no_uuid(const sv_obj_class *klass, const unsigned char uuid[SV_UUID_LEN],
                          const char *name)
{
    char uuidstr[SV_UUID_STRLEN];

    sv_uuid_format(uuid, uuidstr);
    if (name)
        sv_report(klass->err_from, klass->err_missing, "no %s with matching uuid '%s' (%s)",
                  klass->kind, uuidstr, name);
    else
        sv_report(klass->err_from, klass->err_missing, "no %s with matching uuid '%s'",
                  klass->kind, uuidstr);
}

int sv_obj_begin_job(sv_obj *obj)
{
    struct timespec now;

    while (obj->job && !obj->removing)
        pthread_cond_wait(&obj->job_cond, &obj->lock);
    if (obj->removing) {
        sv_obj_error_no_uuid(obj->klass, obj->uuid, obj->name);
        return -1;
    }
    obj->job = true;
    clock_gettime(CLOCK_MONOTONIC, &now);
    obj->job_start_ms = (unsigned long long)now.tv_sec * 1000 + (unsigned long long)now.tv_nsec / 1000000;
    return 0;
}

void sv_obj_end_job(sv_obj *obj)
{
    obj->job = false;
    pthread_cond_broadcast(&obj->job_cond);
}

/* A new object owning def, locked, with one reference for the maps and one
 * for the caller. */
static sv_obj *obj_new(sv_objlist *list, void *def)
{
    const sv_def_head *head = def;
    sv_obj *obj = sv_malloc0(list->klass->obj_size);

    pthread_mutex_init(&obj->lock, NULL);
    pthread_cond_init(&obj->job_cond, NULL);
    obj->refs = 2;
    obj->klass = list->klass;
    obj->list = list;
    obj->name = sv_strdup(head->name);
    memcpy(obj->uuid, head->uuid, SV_UUID_LEN);
    obj->id = -1;
    obj->def = def;
    if (list->klass->obj_init)
        list->klass->obj_init(obj);
    /* The caller holds list->lock, and everywhere else an object's lock
     * comes first.  The object is not published yet, so nobody else can
     * hold its lock: a try-lock cannot fail, and cannot deadlock. */
    if (pthread_mutex_trylock(&obj->lock) != 0)
        abort();
    return obj;
}

/* Caller holds list->lock. */
static void list_link(sv_objlist *list, sv_obj *obj)
{
    hmap_insert(&list->by_name, obj);
    hmap_insert(&list->by_uuid, obj);
}

/* Caller holds list->lock; drops the maps' reference. */
static void list_unlink(sv_objlist *list, sv_obj *obj)
{
    bool listed = hmap_erase(&list->by_uuid, obj);

    hmap_erase(&list->by_name, obj);
    if (obj->id >= 0)
        hmap_erase(&list->by_id, obj);
    if (listed)
        sv_obj_unref(obj);
}

void sv_objlist_remove(sv_obj *obj)
{
    sv_objlist *list = obj->list;

    obj->removing = true;
    pthread_cond_broadcast(&obj->job_cond);
    pthread_mutex_lock(&list->lock);
    list_unlink(list, obj);
    pthread_mutex_unlock(&list->lock);
}

/* ---- lookups ---------------------------------------------------------- */

/* Turn a map hit (found under list->lock, which the caller now releases)
 * into a referenced, locked object, or NULL when it is being removed. */
static sv_obj *lookup(sv_objlist *list, const hmap *m, const void *key, size_t len)
{
    sv_obj *obj;

    pthread_mutex_lock(&list->lock);
    obj = hmap_find(m, key, len);
    if (obj)
        sv_obj_ref(obj);
    pthread_mutex_unlock(&list->lock);
    if (!obj)
        return NULL;
    pthread_mutex_lock(&obj->lock);
    if (obj->removing) {
        sv_obj_end(obj);
        return NULL;
    }
    return obj;
}

sv_obj *sv_objlist_find_name(sv_objlist *list, const char *name)
{
    return lookup(list, &list->by_name, name, strlen(name));
}

sv_obj *sv_objlist_find_uuid(sv_objlist *list, const unsigned char uuid[SV_UUID_LEN])
{
    return lookup(list, &list->by_uuid, uuid, SV_UUID_LEN);
}

sv_obj *sv_objlist_find_id(sv_objlist *list, int id)
{
    sv_obj *obj;

    if (id < 0)
        return NULL;
    obj = lookup(list, &list->by_id, &id, sizeof(id));
    /* The id may have been released between the map hit and the lock. */
    if (obj && obj->id != id) {
        sv_obj_end(obj);
        return NULL;
    }
    return obj;
}

/* ---- define / undefine ------------------------------------------------ */

int sv_objlist_save(sv_obj *obj)
{
    const sv_obj_class *klass = obj->klass;
    _cleanup_free_ char *xml = klass->format_config(sv_obj_persistent_def(obj));

    if (!xml)
        return -1;
    return sv_store_write(obj->list->store, obj->name, xml, strlen(xml)) < 0 ? -1 : 0;
}

/* Under list->lock: refuse def when it clashes with a listed object; return
 * the object with the same name and UUID (referenced, unlocked), or NULL
 * with *ret_clash false when there is none. */
static sv_obj *find_same_locked(sv_objlist *list, const sv_def_head *def, bool *ret_clash)
{
    const sv_obj_class *klass = list->klass;
    char uuidstr[SV_UUID_STRLEN];
    sv_obj *obj = hmap_find(&list->by_uuid, def->uuid, SV_UUID_LEN);

    *ret_clash = true;
    if (obj) {
        if (strcmp(obj->name, def->name) != 0) {
            sv_uuid_format(obj->uuid, uuidstr);
            sv_report(klass->err_from, SV_ERR_OPERATION_FAILED,
                      "%s '%s' is already defined with uuid %s", klass->kind, obj->name, uuidstr);
            return NULL;
        }
        sv_obj_ref(obj);
        *ret_clash = false;
        return obj;
    }
    obj = hmap_find(&list->by_name, def->name, strlen(def->name));
    if (obj) {
        sv_uuid_format(obj->uuid, uuidstr);
        sv_report(klass->err_from, SV_ERR_OPERATION_FAILED,
                  "%s '%s' already exists with uuid %s", klass->kind, def->name, uuidstr);
        return NULL;
    }
    *ret_clash = false;
    return NULL;
}

/* Find the object def names, or create and list it (then *ret_created).
 * Returns it referenced and locked, or NULL with the error set. */
static sv_obj *find_or_create(sv_objlist *list, void *def, bool *ret_created)
{
    const sv_def_head *head = def;
    bool clash;
    sv_obj *obj;

    if (sv_store_name_check(head->name) < 0)
        return NULL;
    pthread_mutex_lock(&list->lock);
    obj = find_same_locked(list, head, &clash);
    if (!obj && !clash) {
        obj = obj_new(list, def);
        list_link(list, obj);
        pthread_mutex_unlock(&list->lock);
        *ret_created = true;
        return obj;
    }
    pthread_mutex_unlock(&list->lock);
    if (!obj)
        return NULL;
    pthread_mutex_lock(&obj->lock);
    if (obj->removing) {
        sv_report(list->klass->err_from, SV_ERR_OPERATION_FAILED,
                  "%s '%s' is already being removed", list->klass->kind, obj->name);
        sv_obj_end(obj);
        return NULL;
    }
    *ret_created = false;
    return obj;
}

int sv_objlist_define(sv_objlist *list, void **def, bool *ret_updated, sv_obj **ret_obj)
{
    bool created, was_persistent, was_updated;
    void *old;
    sv_obj *obj = find_or_create(list, *def, &created);

    if (!obj)
        return -1;
    if (created) {
        obj->persistent = true;
        if (sv_objlist_save(obj) < 0) {
            obj->def = NULL;   /* stays the caller's */
            sv_objlist_remove(obj);
            sv_obj_end(obj);
            return -1;
        }
        *def = NULL;
        *ret_updated = false;
        *ret_obj = obj;
        return 0;
    }

    /* A lifecycle operation may be using the configs with the lock
     * dropped: wait for it to finish before replacing one. */
    if (sv_obj_begin_job(obj) < 0) {
        sv_obj_end(obj);
        return -1;
    }
    was_persistent = obj->persistent;
    was_updated = obj->updated;
    if (obj->active) {
        old = obj->new_def;
        obj->new_def = *def;
        obj->updated = true;
    } else {
        old = obj->def;
        obj->def = *def;
    }
    obj->persistent = true;
    if (sv_objlist_save(obj) < 0) {
        if (obj->active)
            obj->new_def = old;
        else
            obj->def = old;
        obj->persistent = was_persistent;
        obj->updated = was_updated;
        sv_obj_end_job(obj);
        sv_obj_end(obj);
        return -1;
    }
    sv_obj_end_job(obj);
    if (old)
        list->klass->def_free(old);
    *def = NULL;
    *ret_updated = true;
    *ret_obj = obj;
    return 0;
}

int sv_objlist_add_live(sv_objlist *list, void **def, sv_obj **ret_obj)
{
    const sv_obj_class *klass = list->klass;
    bool created;
    sv_obj *obj = find_or_create(list, *def, &created);

    if (!obj)
        return -1;
    if (!created) {
        if (obj->active || obj->job) {
            sv_report(klass->err_from, SV_ERR_OPERATION_INVALID,
                      "%s '%s' is already active", klass->kind, obj->name);
            sv_obj_end(obj);
            return -1;
        }
        /* Keep the persistent config to restore when it stops. */
        obj->new_def = obj->def;
        obj->def = *def;
    }
    *def = NULL;
    *ret_obj = obj;
    return 0;
}

int sv_objlist_undefine(sv_obj *obj)
{
    const sv_obj_class *klass = obj->klass;
    int r;

    if (!obj->persistent) {
        sv_report(klass->err_from, SV_ERR_OPERATION_INVALID,
                  "cannot undefine transient %s", klass->kind);
        return -1;
    }
    r = sv_store_set_flag(obj->list->store, obj->name, SV_STORE_AUTOSTART, false);
    if (r < 0)
        return -1;
    r = sv_store_delete(obj->list->store, obj->name);
    if (r < 0 && r != -ENOENT)
        return -1;
    obj->autostart = false;
    obj->persistent = false;
    if (obj->active) {
        if (obj->new_def) {
            klass->def_free(obj->new_def);
            obj->new_def = NULL;
        }
    } else {
        sv_objlist_remove(obj);
    }
    return 0;
}

int sv_objlist_set_autostart(sv_obj *obj, bool autostart)
{
    const sv_obj_class *klass = obj->klass;

    if (!obj->persistent) {
        sv_report(klass->err_from, SV_ERR_OPERATION_INVALID,
                  "cannot set autostart for transient %s", klass->kind);
        return -1;
    }
    if (obj->autostart == autostart)
        return 0;
    if (sv_store_set_flag(obj->list->store, obj->name, SV_STORE_AUTOSTART, autostart) < 0)
        return -1;
    obj->autostart = autostart;
    return 0;
}

/* ---- running state ---------------------------------------------------- */

int sv_objlist_next_id(sv_objlist *list)
{
    int id;

    pthread_mutex_lock(&list->lock);
    do {
        id = list->next_id;
        list->next_id = id == INT_MAX ? 1 : id + 1;
    } while (hmap_find(&list->by_id, &id, sizeof(id)));
    pthread_mutex_unlock(&list->lock);
    return id;
}

void sv_objlist_started(sv_obj *obj, int id, void *live_def)
{
    sv_objlist *list = obj->list;

    if (live_def && !obj->new_def) {
        obj->new_def = obj->def;
        obj->def = live_def;
    } else if (live_def) {
        list->klass->def_free(live_def);
    }
    obj->active = true;
    if (id >= 0) {
        pthread_mutex_lock(&list->lock);
        if (obj->id >= 0)
            hmap_erase(&list->by_id, obj);
        obj->id = id;
        if (!obj->removing)
            hmap_insert(&list->by_id, obj);
        pthread_mutex_unlock(&list->lock);
    }
}

void sv_objlist_stopped(sv_obj *obj)
{
    sv_objlist *list = obj->list;

    obj->active = false;
    obj->updated = false;
    if (obj->id >= 0) {
        pthread_mutex_lock(&list->lock);
        hmap_erase(&list->by_id, obj);
        obj->id = -1;
        pthread_mutex_unlock(&list->lock);
    }
    if (obj->new_def) {
        list->klass->def_free(obj->def);
        obj->def = obj->new_def;
        obj->new_def = NULL;
    }
    if (!obj->persistent && !obj->removing)
        sv_objlist_remove(obj);
}

/* ---- listing ---------------------------------------------------------- */

static int obj_cmp_name(const void *a, const void *b)
{
    const sv_obj *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

void sv_objlist_collect(sv_objlist *list, sv_obj_match_fn match, void *opaque,
                        sv_obj ***ret_objs, size_t *ret_n)
{
    sv_obj **objs;
    size_t n = 0, kept = 0;

    pthread_mutex_lock(&list->lock);
    objs = sv_calloc(list->by_uuid.n + 1, sizeof(*objs));
    for (size_t i = 0; i < list->by_uuid.nbuckets; i++) {
        for (hnode *hn = list->by_uuid.buckets[i]; hn; hn = hn->next) {
            sv_obj_ref(hn->obj);
            objs[n++] = hn->obj;
        }
    }
    pthread_mutex_unlock(&list->lock);

    for (size_t i = 0; i < n; i++) {
        bool keep;

        pthread_mutex_lock(&objs[i]->lock);
        keep = !objs[i]->removing && (!match || match(objs[i], opaque));
        pthread_mutex_unlock(&objs[i]->lock);
        if (keep)
            objs[kept++] = objs[i];
        else
            sv_obj_unref(objs[i]);
    }
    qsort(objs, kept, sizeof(*objs), obj_cmp_name);
    *ret_objs = objs;
    *ret_n = kept;
}

void sv_objlist_collect_free(sv_obj **objs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sv_obj_unref(objs[i]);
    free(objs);
}

size_t sv_objlist_count(sv_objlist *list, sv_obj_match_fn match, void *opaque)
{
    sv_obj **objs;
    size_t n;

    sv_objlist_collect(list, match, opaque, &objs, &n);
    sv_objlist_collect_free(objs, n);
    return n;
}

bool sv_list_group_match(unsigned flags, unsigned yes, unsigned no, bool value)
{
    unsigned g = flags & (yes | no);

    if (g == 0 || g == (yes | no))
        return true;
    return (g & (value ? yes : no)) != 0;
}

int sv_check_flags(unsigned flags, unsigned known, int from, const char *api)
{
    if (flags & ~known) {
        sv_report(from, SV_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                  flags & ~known, api);
        return -1;
    }
    return 0;
}

const sv_obj_class *sv_objlist_class(const sv_objlist *list)
{
    return list->klass;
}

/* ---- open / load / free ----------------------------------------------- */

/* Objects are loaded before any client runs: no lock contention, but the
 * checks are the same as for a define. */
static int load_one(const char *name, const char *data, size_t len, int error, void *opaque)
{
    sv_objlist *list = opaque;
    const sv_obj_class *klass = list->klass;
    const sv_def_head *head;
    void *def;
    bool clash;
    sv_obj *obj;

    if (error < 0)
        goto corrupt;
    def = klass->parse(data, len);
    if (!def)
        goto corrupt;
    head = def;
    if (strcmp(head->name, name) != 0) {
        sv_error_set(klass->err_from, SV_ERR_INTERNAL_ERROR,
                     "the file name does not match the %s name '%s'", klass->kind, head->name);
        klass->def_free(def);
        goto corrupt;
    }
    pthread_mutex_lock(&list->lock);
    obj = find_same_locked(list, head, &clash);
    if (obj || clash) {
        pthread_mutex_unlock(&list->lock);
        if (obj) {
            sv_obj_unref(obj);
            sv_error_set(klass->err_from, SV_ERR_INTERNAL_ERROR, "duplicate %s", klass->kind);
        }
        klass->def_free(def);
        goto corrupt;
    }
    obj = obj_new(list, def);
    list_link(list, obj);
    pthread_mutex_unlock(&list->lock);
    obj->persistent = true;
    obj->autostart = sv_store_get_flag(list->store, name, SV_STORE_AUTOSTART);
    sv_obj_end(obj);
    return 0;

corrupt:
    fprintf(stderr, "sepvirt: skipping %s config '%s/%s.xml': %s\n",
            klass->kind, sv_store_dir(list->store), name, sv_error_message());
    return -EINVAL;
}

int sv_objlist_open(const sv_obj_class *klass, const char *dir, sv_objlist **ret,
                    size_t *ret_failed)
{
    sv_objlist *list = sv_malloc0(sizeof(*list));
    size_t failed = 0;

    list->klass = klass;
    pthread_mutex_init(&list->lock, NULL);
    hmap_init(&list->by_name, KEY_NAME);
    hmap_init(&list->by_uuid, KEY_UUID);
    hmap_init(&list->by_id, KEY_ID);
    list->next_id = 1;
    if (sv_store_open(dir, ".xml", &list->store) < 0 ||
        sv_store_load_all(list->store, load_one, list, &failed) < 0) {
        sv_objlist_free(list);
        return -1;
    }
    *ret = list;
    if (ret_failed)
        *ret_failed = failed;
    return 0;
}

void sv_objlist_free(sv_objlist *list)
{
    if (!list)
        return;
    /* Unlink everything first: objects still referenced elsewhere then
     * see removing and drop out of every later lookup. */
    for (size_t i = 0; i < list->by_uuid.nbuckets; i++) {
        hnode *n;

        while ((n = list->by_uuid.buckets[i])) {
            sv_obj *obj = n->obj;

            /* Our own reference keeps obj alive until it is unlocked. */
            sv_obj_ref(obj);
            pthread_mutex_lock(&obj->lock);
            obj->removing = true;
            pthread_mutex_lock(&list->lock);
            list_unlink(list, obj);
            pthread_mutex_unlock(&list->lock);
            pthread_mutex_unlock(&obj->lock);
            sv_obj_unref(obj);
        }
    }
    hmap_clear(&list->by_name);
    hmap_clear(&list->by_uuid);
    hmap_clear(&list->by_id);
    sv_store_close(list->store);
    pthread_mutex_destroy(&list->lock);
    free(list);
}

/* ---- daemon start/stop ------------------------------------------------ */

int sv_registry_init(const char *config_dir, const char *state_dir, bool session)
{
    (void)state_dir;
    (void)session;
    if (sv_domains_init(config_dir) < 0)
        return -1;
    if (sv_networks_init(config_dir) < 0) {
        sv_domains_shutdown();
        return -1;
    }
    return 0;
}

void sv_registry_shutdown(void)
{
    sv_networks_shutdown();
    sv_domains_shutdown();
}
