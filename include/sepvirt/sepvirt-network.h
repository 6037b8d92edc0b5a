/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt: virtual networks.  Values are libvirt's.
 * Include <sepvirt/sepvirt.h> rather than this file.
 */
#ifndef SEPVIRT_NETWORK_H
#define SEPVIRT_NETWORK_H

#include <sepvirt/sepvirt-common.h>
#include <sepvirt/sepvirt-host.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SEPVIRT_LIST_NETWORKS_INACTIVE = 1 << 0,
    SEPVIRT_LIST_NETWORKS_ACTIVE = 1 << 1,
    SEPVIRT_LIST_NETWORKS_PERSISTENT = 1 << 2,
    SEPVIRT_LIST_NETWORKS_TRANSIENT = 1 << 3,
    SEPVIRT_LIST_NETWORKS_AUTOSTART = 1 << 4,
    SEPVIRT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} sepvirt_list_networks_flag_values;

typedef enum {
    SEPVIRT_NETWORK_XML_INACTIVE = 1 << 0,
} sepvirt_network_xml_flag_values;

typedef enum {
    SEPVIRT_NETWORK_DEFINE_VALIDATE = 1 << 0,
} sepvirt_network_define_flag_values;

int sepvirt_network_ref(sepvirt_network *net);
int sepvirt_network_free(sepvirt_network *net);
const char *sepvirt_network_get_name(sepvirt_network *net);
int sepvirt_network_get_uuid(sepvirt_network *net, unsigned char ret_uuid[SEPVIRT_UUID_BUFLEN]);
int sepvirt_network_get_uuid_string(sepvirt_network *net,
                                    char ret_uuid[SEPVIRT_UUID_STRING_BUFLEN]);
sepvirt_conn *sepvirt_network_get_conn(sepvirt_network *net);

sepvirt_network *sepvirt_network_lookup_by_name(sepvirt_conn *conn, const char *name);
sepvirt_network *sepvirt_network_lookup_by_uuid(sepvirt_conn *conn,
                                                const unsigned char uuid[SEPVIRT_UUID_BUFLEN]);
sepvirt_network *sepvirt_network_lookup_by_uuid_string(sepvirt_conn *conn, const char *uuid);
/* Same contract as sepvirt_conn_list_all_domains(). */
int sepvirt_conn_list_all_networks(sepvirt_conn *conn, sepvirt_network ***ret_nets,
                                   unsigned int flags);
void sepvirt_network_list_free(sepvirt_network **nets, int n);

sepvirt_network *sepvirt_network_define_xml(sepvirt_conn *conn, const char *xml);
sepvirt_network *sepvirt_network_define_xml_flags(sepvirt_conn *conn, const char *xml,
                                                  unsigned int flags);
/* Create and start a transient network. */
sepvirt_network *sepvirt_network_create_xml(sepvirt_conn *conn, const char *xml);
int sepvirt_network_undefine(sepvirt_network *net);
int sepvirt_network_create(sepvirt_network *net);    /* start */
int sepvirt_network_destroy(sepvirt_network *net);   /* stop */
char *sepvirt_network_get_xml_desc(sepvirt_network *net, unsigned int flags);
int sepvirt_network_is_active(sepvirt_network *net);
int sepvirt_network_is_persistent(sepvirt_network *net);
int sepvirt_network_get_autostart(sepvirt_network *net, int *ret_autostart);
int sepvirt_network_set_autostart(sepvirt_network *net, int autostart);
char *sepvirt_network_get_bridge_name(sepvirt_network *net);

#ifdef __cplusplus
}
#endif
#endif
