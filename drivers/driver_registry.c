/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "driver.h"

#include <stddef.h>

/* Set once at start, read by every worker thread afterwards. */
static const sv_hv_driver *hv_driver;
static const sv_net_driver *net_driver;

void sv_hv_driver_register(const sv_hv_driver *drv)
{
    __atomic_store_n(&hv_driver, drv, __ATOMIC_RELEASE);
}

const sv_hv_driver *sv_hv_driver_get(void)
{
    return __atomic_load_n(&hv_driver, __ATOMIC_ACQUIRE);
}

void sv_net_driver_register(const sv_net_driver *drv)
{
    __atomic_store_n(&net_driver, drv, __ATOMIC_RELEASE);
}

const sv_net_driver *sv_net_driver_get(void)
{
    return __atomic_load_n(&net_driver, __ATOMIC_ACQUIRE);
}
