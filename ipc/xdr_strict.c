/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Stricter replacements for the libtirpc routines the generated code calls
 * (rpcgen.sh substitutes them).  Linked into svipc_xdr with that code.
 *
 * libtirpc allocates a string or an array as soon as it has read the
 * length word, before it knows whether that many bytes follow, so a
 * 40-byte message could make the decoder allocate megabytes.  When the
 * decoding runs under sv_rpc_decode_payload() the end of the payload is
 * known and every length is checked against the bytes actually left
 * (each XDR array element takes at least 4 bytes) before anything is
 * allocated.  Strings with an embedded NUL, which C code would silently
 * truncate, and optional-value flags other than 0 and 1 are refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "remote_protocol.h"

static __thread u_int decode_end;
static __thread int decode_end_set;

void sv_xdr_set_decode_end(int set, u_int end)
{
    decode_end_set = set;
    decode_end = end;
}

/* Whether bytes more bytes can follow the current position. */
static int fits(XDR *xdrs, uint64_t bytes)
{
    u_int pos;

    if (!decode_end_set)
        return 1;
    pos = xdr_getpos(xdrs);
    return pos <= decode_end && bytes <= decode_end - pos;
}

/* Read the next 4-byte word without consuming it. */
static int peek_u_int(XDR *xdrs, u_int *ret)
{
    u_int pos = xdr_getpos(xdrs);

    return xdr_u_int(xdrs, ret) && xdr_setpos(xdrs, pos);
}

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

bool_t sv_xdr_string(XDR *xdrs, char **sp, u_int maxsize)
{
    char pad[4];
    u_int size, padlen;

    if (xdrs->x_op != XDR_DECODE)
        return xdr_string(xdrs, sp, maxsize);
    if (!xdr_u_int(xdrs, &size) || size > maxsize)
        return FALSE;
    padlen = (4 - size % 4) % 4;
    if (!fits(xdrs, (uint64_t)size + padlen))
        return FALSE;
    /* Not libtirpc's xdr_string: it reads the padding into one static
     * buffer that every thread shares, a data race between threads that
     * decode at the same time. */
    if (!*sp) {
        if (!(*sp = malloc((size_t)size + 1)))
            return FALSE;
        (*sp)[0] = '\0';
    }
    /* The caller's xdr_free releases the string on failure. */
    if (!XDR_GETBYTES(xdrs, *sp, size) || !XDR_GETBYTES(xdrs, pad, padlen))
        return FALSE;
    (*sp)[size] = '\0';
    return strlen(*sp) == size;
}

bool_t sv_xdr_array(XDR *xdrs, char **addrp, u_int *sizep, u_int maxsize, u_int elsize,
                    xdrproc_t elproc)
{
    u_int count;

    if (xdrs->x_op == XDR_DECODE &&
        (!peek_u_int(xdrs, &count) || count > maxsize || !fits(xdrs, 4 + 4 * (uint64_t)count)))
        return FALSE;
    return xdr_array(xdrs, addrp, sizep, maxsize, elsize, elproc);
}
