/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the domain procedure modules (proc_domain*.c): resolving the
 * domain a call names and filling the domain a reply names, plus the
 * handlers the other files contribute to the one sv_procs_domain table.
 */
#pragma once

#include "dispatch.h"
#include "domain_registry.h"

/* virDomainModificationImpact */
enum {
    SV_DOMAIN_AFFECT_CURRENT = 0,
    SV_DOMAIN_AFFECT_LIVE = 1 << 0,
    SV_DOMAIN_AFFECT_CONFIG = 1 << 1,
};

/* One table entry: args/ret structs remote_<n>_args / remote_<n>_ret. */
#define SV_PROC_ENTRY(num, n, handler, flags, api)                              \
    { REMOTE_PROC_##num, (xdrproc_t)xdr_remote_##n##_args, sizeof(remote_##n##_args), \
      (xdrproc_t)xdr_remote_##n##_ret, sizeof(remote_##n##_ret), handler, flags, api }
/* Entry of a procedure that returns nothing. */
#define SV_PROC_ENTRY_NORET(num, n, handler, flags, api)                        \
    { REMOTE_PROC_##num, (xdrproc_t)xdr_remote_##n##_args, sizeof(remote_##n##_args), \
      NULL, 0, handler, flags, api }
/* Entry of a procedure that takes no arguments. */
#define SV_PROC_ENTRY_NOARGS(num, n, handler, flags, api)                       \
    { REMOTE_PROC_##num, NULL, 0,                                                 \
      (xdrproc_t)xdr_remote_##n##_ret, sizeof(remote_##n##_ret), handler, flags, api }

/* The domain dom names (by UUID, as libvirt does), referenced and locked;
 * NULL with "Domain not found: no domain with matching uuid 'U' (name)". */
sv_domain_obj *sv_proc_domain_get(const remote_nonnull_domain *dom);
/* Fill a reply's domain from d (locked): name (malloc'd), uuid, id. */
void sv_proc_domain_ret(remote_nonnull_domain *out, const sv_domain_obj *d);
/* INVALID_ARG "unsupported flags (0x..) in function api" for unknown bits. */
#define sv_proc_check_flags(flags, known, api) sv_check_flags(flags, known, SV_FROM_QEMU, api)
/* Resolve AFFECT_CURRENT in *flags to LIVE (active domain) or CONFIG, and
 * check d (locked) has what the flags ask for: "domain is not running",
 * "transient domains do not have any persistent config". */
int sv_proc_domain_impact(const sv_domain_obj *d, unsigned *flags);
/* The one def the flags select (LIVE and CONFIG together: INVALID_ARG),
 * after sv_proc_domain_impact; NULL with the error set. */
sv_domain_def *sv_proc_domain_one_def(sv_domain_obj *d, unsigned *flags);
/* Lifecycle event for d (locked) to every registered client. */
void sv_proc_domain_event(const sv_domain_obj *d, int event, int detail);

/* proc_domain_info.c */
int sv_proc_domain_get_xml_desc(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_info(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_state(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_os_type(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_max_memory(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_max_vcpus(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_vcpus_flags(sv_client *c, void *args, void *ret);
int sv_proc_domain_has_managed_save_image(sv_client *c, void *args, void *ret);
int sv_proc_domain_snapshot_num(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_security_label(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_security_label_list(sv_client *c, void *args, void *ret);
int sv_proc_domain_get_messages(sv_client *c, void *args, void *ret);

/* proc_domain_metadata.c */
int sv_proc_domain_get_metadata(sv_client *c, void *args, void *ret);
int sv_proc_domain_set_metadata(sv_client *c, void *args, void *ret);

/* proc_domain_lifecycle.c: through the hypervisor driver */
int sv_proc_domain_create(sv_client *c, void *args, void *ret);
int sv_proc_domain_create_with_flags(sv_client *c, void *args, void *ret);
int sv_proc_domain_create_xml(sv_client *c, void *args, void *ret);
int sv_proc_domain_destroy(sv_client *c, void *args, void *ret);
int sv_proc_domain_destroy_flags(sv_client *c, void *args, void *ret);
int sv_proc_domain_shutdown(sv_client *c, void *args, void *ret);
int sv_proc_domain_shutdown_flags(sv_client *c, void *args, void *ret);
int sv_proc_domain_reboot(sv_client *c, void *args, void *ret);
int sv_proc_domain_reset(sv_client *c, void *args, void *ret);
int sv_proc_domain_suspend(sv_client *c, void *args, void *ret);
int sv_proc_domain_resume(sv_client *c, void *args, void *ret);
