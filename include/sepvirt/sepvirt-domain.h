/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: domains.  Flag and enum values are libvirt's, so a number
 * means the same thing here, on the wire and in virsh.
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_DOMAIN_H
#define SEPVIRT_DOMAIN_H

#include <sepvirt/sepvirt-common.h>
#include <sepvirt/sepvirt-host.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SEPVIRT_DOMAIN_NOSTATE = 0,
    SEPVIRT_DOMAIN_RUNNING = 1,
    SEPVIRT_DOMAIN_BLOCKED = 2,
    SEPVIRT_DOMAIN_PAUSED = 3,
    SEPVIRT_DOMAIN_SHUTDOWN = 4,    /* being shut down */
    SEPVIRT_DOMAIN_SHUTOFF = 5,
    SEPVIRT_DOMAIN_CRASHED = 6,
    SEPVIRT_DOMAIN_PMSUSPENDED = 7,
} sepvirt_domain_state;

/* Reasons for the states a domain is most often in. */
typedef enum {
    SEPVIRT_DOMAIN_RUNNING_UNKNOWN = 0,
    SEPVIRT_DOMAIN_RUNNING_BOOTED = 1,
    SEPVIRT_DOMAIN_RUNNING_MIGRATED = 2,
    SEPVIRT_DOMAIN_RUNNING_RESTORED = 3,
    SEPVIRT_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    SEPVIRT_DOMAIN_RUNNING_UNPAUSED = 5,
    SEPVIRT_DOMAIN_RUNNING_WAKEUP = 8,
    SEPVIRT_DOMAIN_RUNNING_CRASHED = 9,
} sepvirt_domain_running_reason;

typedef enum {
    SEPVIRT_DOMAIN_PAUSED_UNKNOWN = 0,
    SEPVIRT_DOMAIN_PAUSED_USER = 1,
    SEPVIRT_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    SEPVIRT_DOMAIN_PAUSED_CRASHED = 10,
    SEPVIRT_DOMAIN_PAUSED_STARTING_UP = 11,
} sepvirt_domain_paused_reason;

typedef enum {
    SEPVIRT_DOMAIN_SHUTOFF_UNKNOWN = 0,
    SEPVIRT_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    SEPVIRT_DOMAIN_SHUTOFF_DESTROYED = 2,
    SEPVIRT_DOMAIN_SHUTOFF_CRASHED = 3,
    SEPVIRT_DOMAIN_SHUTOFF_MIGRATED = 4,
    SEPVIRT_DOMAIN_SHUTOFF_SAVED = 5,
    SEPVIRT_DOMAIN_SHUTOFF_FAILED = 6,
    SEPVIRT_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    SEPVIRT_DOMAIN_SHUTOFF_DAEMON = 8,
} sepvirt_domain_shutoff_reason;

/* sepvirt_conn_list_all_domains(): groups are ANDed, bits in a group ORed,
 * 0 lists everything. */
typedef enum {
    SEPVIRT_LIST_DOMAINS_ACTIVE = 1 << 0,
    SEPVIRT_LIST_DOMAINS_INACTIVE = 1 << 1,
    SEPVIRT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    SEPVIRT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    SEPVIRT_LIST_DOMAINS_RUNNING = 1 << 4,
    SEPVIRT_LIST_DOMAINS_PAUSED = 1 << 5,
    SEPVIRT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    SEPVIRT_LIST_DOMAINS_OTHER = 1 << 7,
    SEPVIRT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    SEPVIRT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    SEPVIRT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    SEPVIRT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    SEPVIRT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    SEPVIRT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
    SEPVIRT_LIST_DOMAINS_HAS_CHECKPOINT = 1 << 14,
    SEPVIRT_LIST_DOMAINS_NO_CHECKPOINT = 1 << 15,
} sepvirt_list_domains_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_XML_SECURE = 1 << 0,     /* include secrets */
    SEPVIRT_DOMAIN_XML_INACTIVE = 1 << 1,   /* persistent config, not live */
    SEPVIRT_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    SEPVIRT_DOMAIN_XML_MIGRATABLE = 1 << 3,
} sepvirt_domain_xml_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_DEFINE_VALIDATE = 1 << 0,  /* validate against the schema */
} sepvirt_domain_define_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE = 1 << 0,
    SEPVIRT_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 1 << 1,
    SEPVIRT_DOMAIN_UNDEFINE_NVRAM = 1 << 2,
    SEPVIRT_DOMAIN_UNDEFINE_KEEP_NVRAM = 1 << 3,
    SEPVIRT_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 1 << 4,
    SEPVIRT_DOMAIN_UNDEFINE_TPM = 1 << 5,
    SEPVIRT_DOMAIN_UNDEFINE_KEEP_TPM = 1 << 6,
} sepvirt_domain_undefine_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_START_PAUSED = 1 << 0,
    SEPVIRT_DOMAIN_START_AUTODESTROY = 1 << 1,
    SEPVIRT_DOMAIN_START_BYPASS_CACHE = 1 << 2,
    SEPVIRT_DOMAIN_START_FORCE_BOOT = 1 << 3,
    SEPVIRT_DOMAIN_START_VALIDATE = 1 << 4,
    SEPVIRT_DOMAIN_START_RESET_NVRAM = 1 << 5,
} sepvirt_domain_start_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_DESTROY_DEFAULT = 0,
    SEPVIRT_DOMAIN_DESTROY_GRACEFUL = 1 << 0,
    SEPVIRT_DOMAIN_DESTROY_REMOVE_LOGS = 1 << 1,
} sepvirt_domain_destroy_flag_values;

/* Shutdown and reboot methods (0 = let the daemon choose). */
typedef enum {
    SEPVIRT_DOMAIN_SHUTDOWN_DEFAULT = 0,
    SEPVIRT_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1 << 0,
    SEPVIRT_DOMAIN_SHUTDOWN_GUEST_AGENT = 1 << 1,
    SEPVIRT_DOMAIN_SHUTDOWN_INITCTL = 1 << 2,
    SEPVIRT_DOMAIN_SHUTDOWN_SIGNAL = 1 << 3,
    SEPVIRT_DOMAIN_SHUTDOWN_PARAVIRT = 1 << 4,
} sepvirt_domain_shutdown_flag_values;

typedef enum {
    SEPVIRT_DOMAIN_METADATA_DESCRIPTION = 0,
    SEPVIRT_DOMAIN_METADATA_TITLE = 1,
    SEPVIRT_DOMAIN_METADATA_ELEMENT = 2,   /* custom element under <metadata> */
} sepvirt_domain_metadata_type;

/* Which definition a change affects (metadata). */
typedef enum {
    SEPVIRT_DOMAIN_AFFECT_CURRENT = 0,
    SEPVIRT_DOMAIN_AFFECT_LIVE = 1 << 0,
    SEPVIRT_DOMAIN_AFFECT_CONFIG = 1 << 1,
} sepvirt_domain_modification_impact;

typedef struct sepvirt_domain_info {
    int state;                       /* sepvirt_domain_state */
    unsigned long long max_mem_kib;
    unsigned long long memory_kib;
    unsigned int nr_virt_cpu;
    unsigned long long cpu_time_ns;
} sepvirt_domain_info;

typedef struct sepvirt_security_label {
    char label[4097];                /* empty when unlabelled */
    int enforcing;
} sepvirt_security_label;

/* ---- Handles ------------------------------------------------------------*/
int sepvirt_domain_ref(sepvirt_domain *dom);
int sepvirt_domain_free(sepvirt_domain *dom);
const char *sepvirt_domain_get_name(sepvirt_domain *dom);
/* Runtime id, or (unsigned int)-1 when the domain is not running. */
unsigned int sepvirt_domain_get_id(sepvirt_domain *dom);
int sepvirt_domain_get_uuid(sepvirt_domain *dom, unsigned char ret_uuid[SEPVIRT_UUID_BUFLEN]);
int sepvirt_domain_get_uuid_string(sepvirt_domain *dom, char ret_uuid[SEPVIRT_UUID_STRING_BUFLEN]);
/* The connection the handle belongs to (borrowed, no new reference). */
sepvirt_conn *sepvirt_domain_get_conn(sepvirt_domain *dom);

/* ---- Lookup and listing (new references) ---------------------------------*/
sepvirt_domain *sepvirt_domain_lookup_by_name(sepvirt_conn *conn, const char *name);
sepvirt_domain *sepvirt_domain_lookup_by_uuid(sepvirt_conn *conn,
                                              const unsigned char uuid[SEPVIRT_UUID_BUFLEN]);
sepvirt_domain *sepvirt_domain_lookup_by_uuid_string(sepvirt_conn *conn, const char *uuid);
sepvirt_domain *sepvirt_domain_lookup_by_id(sepvirt_conn *conn, int id);
/* Returns the number of domains.  With ret_domains non-NULL it is set to a
 * malloc'ed array of new references; release it with
 * sepvirt_domain_list_free(). */
int sepvirt_conn_list_all_domains(sepvirt_conn *conn, sepvirt_domain ***ret_domains,
                                  unsigned int flags);
void sepvirt_domain_list_free(sepvirt_domain **domains, int n);

/* ---- Definition -----------------------------------------------------------*/
sepvirt_domain *sepvirt_domain_define_xml(sepvirt_conn *conn, const char *xml);
sepvirt_domain *sepvirt_domain_define_xml_flags(sepvirt_conn *conn, const char *xml,
                                                unsigned int flags);
int sepvirt_domain_undefine(sepvirt_domain *dom);
int sepvirt_domain_undefine_flags(sepvirt_domain *dom, unsigned int flags);
char *sepvirt_domain_get_xml_desc(sepvirt_domain *dom, unsigned int flags);

/* ---- State -----------------------------------------------------------------*/
int sepvirt_domain_get_info(sepvirt_domain *dom, sepvirt_domain_info *ret_info);
/* ret_reason may be NULL. */
int sepvirt_domain_get_state(sepvirt_domain *dom, int *ret_state, int *ret_reason,
                             unsigned int flags);
char *sepvirt_domain_get_os_type(sepvirt_domain *dom);
int sepvirt_domain_is_active(sepvirt_domain *dom);      /* 1, 0, or -1 */
int sepvirt_domain_is_persistent(sepvirt_domain *dom);  /* 1, 0, or -1 */
int sepvirt_domain_get_autostart(sepvirt_domain *dom, int *ret_autostart);
int sepvirt_domain_set_autostart(sepvirt_domain *dom, int autostart);
int sepvirt_domain_has_managed_save_image(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_get_security_label(sepvirt_domain *dom, sepvirt_security_label *ret_label);
/* Messages the daemon recorded for the domain (tainting, deprecations).
 * Returns the count; *ret_msgs is a NULL-terminated malloc'ed array of
 * malloc'ed strings. */
int sepvirt_domain_get_messages(sepvirt_domain *dom, char ***ret_msgs, unsigned int flags);

/* Metadata: type TITLE/DESCRIPTION (uri NULL) or ELEMENT (uri names the
 * namespace; key is its prefix when setting).  metadata NULL removes.
 * Getting absent metadata fails with SEPVIRT_ERR_NO_DOMAIN_METADATA. */
char *sepvirt_domain_get_metadata(sepvirt_domain *dom, int type, const char *uri,
                                  unsigned int flags);
int sepvirt_domain_set_metadata(sepvirt_domain *dom, int type, const char *metadata,
                                const char *key, const char *uri, unsigned int flags);

/* ---- Lifecycle ---------------------------------------------------------------
 * create/create_with_flags start a defined domain and refresh the handle's
 * id; create_xml starts a transient domain. */
sepvirt_domain *sepvirt_domain_create_xml(sepvirt_conn *conn, const char *xml,
                                          unsigned int flags);
int sepvirt_domain_create(sepvirt_domain *dom);
int sepvirt_domain_create_with_flags(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_destroy(sepvirt_domain *dom);
int sepvirt_domain_destroy_flags(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_shutdown(sepvirt_domain *dom);
int sepvirt_domain_shutdown_flags(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_reboot(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_reset(sepvirt_domain *dom, unsigned int flags);
int sepvirt_domain_suspend(sepvirt_domain *dom);
int sepvirt_domain_resume(sepvirt_domain *dom);

#ifdef __cplusplus
}
#endif
#endif
