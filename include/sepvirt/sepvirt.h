/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsepvirt — the public C API of sepvirt.
 *
 * One prefix (sepvirt_ / SEPVIRT_), opaque reference-counted handles,
 * libvirt's numbering for every flag, state, event and error code.
 * See sepvirt-common.h for ownership rules and error reporting.
 */
#ifndef SEPVIRT_H
#define SEPVIRT_H

#include <sepvirt/sepvirt-common.h>
#include <sepvirt/sepvirt-host.h>
#include <sepvirt/sepvirt-domain.h>
#include <sepvirt/sepvirt-network.h>
#include <sepvirt/sepvirt-event.h>
#include <sepvirt/sepvirt-stream.h>
#include <sepvirt/sepvirt-domain-stats.h>

#endif
