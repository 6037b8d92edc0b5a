/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain and network registries: in-memory objects backed by the config
 * store.  Owned by the procedure modules (proc_domain.c, proc_network.c). */
#pragma once

#include <stdbool.h>

/* Load every persistent domain and network from config_dir (created when
 * missing); state_dir holds runtime status.  Returns 0 or -1 with sv_error set.
 * Corrupt objects are reported on stderr and skipped, never deleted. */
int sv_registry_init(const char *config_dir, const char *state_dir, bool session);
void sv_registry_shutdown(void);
