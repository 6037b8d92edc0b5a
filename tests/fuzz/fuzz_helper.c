/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer target for the helper protocol decoder (ipc/helper_proto.c),
 * against the message tables of every helper.  Input: one control byte
 * (bits 0-4: how many fds came with the datagram, bit 5: decode as a
 * reply, bits 6-7: which helper's table), then the datagram.  Every
 * successful decode must honour the guarantees the helpers rely on: exact
 * payload size for the type, fd count within the type's limit, payload
 * inside the buffer.  The same bytes then go through a real socketpair
 * into sv_helper_recv.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helper_net.h"
#include "helper_proto.h"
#include "helper_spawn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const sv_helper_proto *pick(unsigned which)
{
    switch (which) {
    case 0: return sv_helper_net_proto();
    case 1: return sv_helper_spawn_proto();
    default: return sv_helper_launcher_proto();
    }
}

static void check_view(const sv_helper_proto *proto, sv_helper_dir dir, const uint8_t *buf,
                       size_t len, size_t nfds, const sv_helper_view *v)
{
    bool reply = dir == SV_HELPER_DIR_REPLY;
    size_t want = reply ? v->msg->rep_size : v->msg->req_size;

    if (v->payload_len != want || v->payload < buf || v->payload + v->payload_len > buf + len ||
        nfds > (reply ? v->msg->rep_max_fds : v->msg->req_max_fds) ||
        v->hdr.magic != SV_HELPER_MAGIC || v->hdr.version != proto->version ||
        (reply && (v->status > 0 || (v->status < 0 && nfds))))
        abort();
    /* Handlers read the payload's strings with this; it must stay in bounds. */
    for (size_t off = 0; off + IFNAMSIZ <= v->payload_len; off += IFNAMSIZ)
        (void)sv_helper_str_ok((const char *)v->payload + off, IFNAMSIZ, true);
}

static void through_socket(const sv_helper_proto *proto, sv_helper_dir dir,
                           const uint8_t *buf, size_t len)
{
    static int sv[2] = { -1, -1 };
    uint8_t out[SV_HELPER_MAX_PAYLOAD];
    int fds[SV_HELPER_MAX_FDS], status;
    sv_helper_hdr hdr;
    size_t nfds = 0;

    if (sv[0] < 0 && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        abort();
    /* An empty datagram reads as end of stream: nothing else to learn. */
    if (len == 0 || send(sv[0], buf, len, MSG_DONTWAIT) != (ssize_t)len)
        return;
    if (sv_helper_recv(sv[1], proto, dir, &hdr, out, sizeof(out), fds, &nfds, &status) == 0) {
        for (size_t i = 0; i < nfds; i++)
            close(fds[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const sv_helper_proto *proto;
    sv_helper_dir dir;
    sv_helper_view v;
    size_t nfds;

    if (size < 1)
        return 0;
    nfds = data[0] & 0x1f;
    dir = (data[0] & 0x20) ? SV_HELPER_DIR_REPLY : SV_HELPER_DIR_REQUEST;
    proto = pick(data[0] >> 6);
    data++;
    size--;
    if (sv_helper_decode(proto, dir, data, size, nfds, &v) == 0)
        check_view(proto, dir, data, size, nfds, &v);
    if (size <= 65536)
        through_socket(proto, dir, data, size);
    return 0;
}
