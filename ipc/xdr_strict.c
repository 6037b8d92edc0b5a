/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stricter replacements for libtirpc routines used by the generated code
 * (see rpcgen.sh).  Linked into svipc_xdr with the generated routines.
 */
#include "remote_protocol.h"

/* Like xdr_pointer, but the presence word must be exactly 0 or 1: anything
 * else is a malformed message, not "present". */
bool_t sv_xdr_pointer(XDR *xdrs, char **objpp, u_int obj_size, xdrproc_t xdr_obj)
{
    u_int present = *objpp != NULL;

    if (!xdr_u_int(xdrs, &present) || present > 1)
        return FALSE;
    if (!present) {
        *objpp = NULL;
        return TRUE;
    }
    return xdr_reference(xdrs, objpp, obj_size, xdr_obj);
}
