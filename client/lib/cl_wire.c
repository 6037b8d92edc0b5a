/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cl_wire.h"

#include <stdlib.h>
#include <string.h>

#include "sv_error.h"
#include "sv_util.h"

int cl_wire_encode(const remote_message_header *hdr, xdrproc_t filter, void *body,
                   char **ret_buf, size_t *ret_len)
{
    size_t cap = 4096;

    for (;;) {
        char *buf = sv_malloc0(cap);
        XDR xdr;
        bool ok;
        unsigned int used;

        xdrmem_create(&xdr, buf + CL_WIRE_LEN_SIZE, (unsigned int)(cap - CL_WIRE_LEN_SIZE),
                      XDR_ENCODE);
        ok = xdr_remote_message_header(&xdr, (remote_message_header *)hdr) &&
             (!filter || filter(&xdr, body, 0));
        used = xdr_getpos(&xdr);
        xdr_destroy(&xdr);
        if (ok) {
            uint32_t len = htonl(used + CL_WIRE_LEN_SIZE);

            memcpy(buf, &len, sizeof(len));
            *ret_buf = buf;
            *ret_len = used + CL_WIRE_LEN_SIZE;
            return 0;
        }
        free(buf);
        /* xdrmem gives no "too small" signal distinct from bad data:
         * grow up to the protocol maximum, then give up. */
        if (cap >= CL_WIRE_MAX_LEN) {
            sv_error_set(SV_FROM_RPC, SV_ERR_RPC,
                         "Unable to encode message payload");
            return -1;
        }
        cap = cap * 4 > CL_WIRE_MAX_LEN ? CL_WIRE_MAX_LEN : cap * 4;
    }
}

int cl_wire_decode_header(const char *buf, size_t len, remote_message_header *ret_hdr)
{
    XDR xdr;
    bool ok;

    if (len < CL_WIRE_HEADER_SIZE) {
        sv_error_set(SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message header");
        return -1;
    }
    xdrmem_create(&xdr, (char *)buf, CL_WIRE_HEADER_SIZE, XDR_DECODE);
    ok = xdr_remote_message_header(&xdr, ret_hdr);
    xdr_destroy(&xdr);
    if (!ok) {
        sv_error_set(SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message header");
        return -1;
    }
    return 0;
}

int cl_wire_decode_body(const char *buf, size_t len, xdrproc_t filter, void *ret)
{
    XDR xdr;
    bool ok;

    xdrmem_create(&xdr, (char *)buf, (unsigned int)len, XDR_DECODE);
    ok = filter(&xdr, ret, 0) && xdr_getpos(&xdr) == len;
    xdr_destroy(&xdr);
    if (!ok) {
        xdr_free(filter, ret);
        sv_error_set(SV_FROM_RPC, SV_ERR_RPC, "Unable to decode message payload");
        return -1;
    }
    return 0;
}

int cl_wire_frame_len(const unsigned char word[CL_WIRE_LEN_SIZE], uint32_t *ret_len)
{
    uint32_t len;

    memcpy(&len, word, sizeof(len));
    len = ntohl(len);
    if (len < CL_WIRE_LEN_SIZE + CL_WIRE_HEADER_SIZE || len > CL_WIRE_MAX_LEN) {
        sv_error_set(SV_FROM_RPC, SV_ERR_RPC, "packet %u bytes received from server too %s",
                     len, len > CL_WIRE_MAX_LEN ? "large" : "small");
        return -1;
    }
    *ret_len = len;
    return 0;
}
