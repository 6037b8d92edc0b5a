/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "registry.h"

int sv_registry_init(const char *config_dir, const char *state_dir, bool session)
{
    (void)config_dir;
    (void)state_dir;
    (void)session;
    return 0;
}

void sv_registry_shutdown(void)
{
}
