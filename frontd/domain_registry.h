/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The domain registry: every defined or running domain, its configs, id,
 * state and reason.  Procedures and the hypervisor driver (drivers/driver.h)
 * work on sv_domain_obj; see registry.h for the locking rules.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "domain_conf.h"
#include "registry.h"

/* virDomainState */
typedef enum {
    SV_DOMAIN_NOSTATE = 0,
    SV_DOMAIN_RUNNING = 1,
    SV_DOMAIN_BLOCKED = 2,
    SV_DOMAIN_PAUSED = 3,
    SV_DOMAIN_SHUTDOWN = 4,
    SV_DOMAIN_SHUTOFF = 5,
    SV_DOMAIN_CRASHED = 6,
    SV_DOMAIN_PMSUSPENDED = 7,
} sv_domain_state;

/* Reasons used by the registry itself (the rest are the driver's, with
 * libvirt's values: see spec/libvirt-wire.md 4.4). */
enum {
    SV_DOMAIN_RUNNING_BOOTED = 1,
    SV_DOMAIN_PAUSED_USER = 1,
    SV_DOMAIN_SHUTOFF_UNKNOWN = 0,
    SV_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    SV_DOMAIN_SHUTOFF_DESTROYED = 2,
    SV_DOMAIN_SHUTOFF_FAILED = 6,
};

/* virDomainEventType and the details the registry's users emit. */
enum {
    SV_DOMAIN_EVENT_DEFINED = 0,
    SV_DOMAIN_EVENT_UNDEFINED = 1,
    SV_DOMAIN_EVENT_STARTED = 2,
    SV_DOMAIN_EVENT_SUSPENDED = 3,
    SV_DOMAIN_EVENT_RESUMED = 4,
    SV_DOMAIN_EVENT_STOPPED = 5,
    SV_DOMAIN_EVENT_SHUTDOWN = 6,
    SV_DOMAIN_EVENT_DEFINED_ADDED = 0,
    SV_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    SV_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
};

/* virConnectListAllDomainsFlags */
enum {
    SV_LIST_DOMAINS_ACTIVE = 1 << 0,
    SV_LIST_DOMAINS_INACTIVE = 1 << 1,
    SV_LIST_DOMAINS_PERSISTENT = 1 << 2,
    SV_LIST_DOMAINS_TRANSIENT = 1 << 3,
    SV_LIST_DOMAINS_RUNNING = 1 << 4,
    SV_LIST_DOMAINS_PAUSED = 1 << 5,
    SV_LIST_DOMAINS_SHUTOFF = 1 << 6,
    SV_LIST_DOMAINS_OTHER = 1 << 7,
    SV_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    SV_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    SV_LIST_DOMAINS_AUTOSTART = 1 << 10,
    SV_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    SV_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    SV_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    SV_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    SV_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
    SV_LIST_DOMAINS_ALL_FLAGS = (1 << 16) - 1,
};

typedef struct sv_domain_obj {
    sv_obj obj;                 /* first: the generic object */
    sv_domain_state state;      /* protected by obj.lock */
    int reason;
    /* The hypervisor driver's runtime data, freed with the object. */
    void *priv;
    void (*priv_free)(void *priv);
} sv_domain_obj;

/* Open <config_dir>/qemu and load the persistent domains. */
int sv_domains_init(const char *config_dir);
void sv_domains_shutdown(void);
const sv_obj_class *sv_domain_class(void);

static inline sv_domain_def *sv_domain_obj_def(const sv_domain_obj *d)
{
    return (sv_domain_def *)d->obj.def;
}

/* Referenced and locked, or NULL (no error set). */
sv_domain_obj *sv_domain_find_name(const char *name);
sv_domain_obj *sv_domain_find_uuid(const unsigned char uuid[SV_UUID_LEN]);
sv_domain_obj *sv_domain_find_id(int id);
/* Unlock and unreference; NULL is accepted. */
void sv_domain_obj_end(sv_domain_obj *d);

/* Define *def (see sv_objlist_define): *ret_updated false for a new domain. */
int sv_domain_define(sv_domain_def **def, bool *ret_updated, sv_domain_obj **ret);
/* Undefine (d locked): config and autostart flag deleted; a running domain
 * becomes transient, an inactive one disappears. */
int sv_domain_undefine(sv_domain_obj *d);
int sv_domain_set_autostart(sv_domain_obj *d, bool autostart);

/* Domains matching virConnectListAllDomains flags, referenced (unlocked),
 * sorted by name.  Unknown flag bits: INVALID_ARG.  Free with
 * sv_objlist_collect_free((sv_obj **)objs, n). */
int sv_domain_list(unsigned flags, sv_domain_obj ***ret_objs, size_t *ret_n);
/* Number of active (or inactive) domains. */
size_t sv_domain_count(bool active);

/* ---- for the hypervisor driver (d locked, inside a job) -------------- */

/* The state and reason; the reason goes to *ret_reason when non-NULL. */
sv_domain_state sv_domain_get_state(const sv_domain_obj *d, int *ret_reason);
void sv_domain_set_state(sv_domain_obj *d, sv_domain_state state, int reason);

/* Add *def as the live config of a domain about to start from XML (create):
 * new transient domain or an inactive defined one with the same name/UUID. */
int sv_domain_add_live(sv_domain_def **def, sv_domain_obj **ret);
/* The domain now runs: gets the next id, live_def (may be NULL: a copy of
 * the persistent config is made) becomes the live config, state/reason set. */
int sv_domain_mark_running(sv_domain_obj *d, sv_domain_def *live_def,
                           sv_domain_state state, int reason);
/* The domain stopped: id -1, shut off with reason, persistent config back;
 * a transient domain leaves the registry. */
void sv_domain_mark_shutoff(sv_domain_obj *d, int reason);
