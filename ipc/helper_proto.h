/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The helper protocol: how frontd (and the launcher) talk to the privileged
 * helpers over one SOCK_SEQPACKET socketpair per helper.
 *
 * One datagram = one message:
 *
 *     sv_helper_hdr {magic, version, type, seq, len}      16 bytes
 *     payload                                             exactly len bytes
 *     SCM_RIGHTS fds                                      0..max for the type
 *
 * Every helper has one enum of request types and one version number
 * (OpenSSH monitor.h / OpenSMTPD IMSG_VERSION habit); both ends share a
 * table that gives, per type, the exact request and reply payload sizes and
 * the most fds each direction may carry.  A request's payload is one
 * fixed-size struct; a reply carries the type with SV_HELPER_REPLY set, the
 * request's seq, then sv_helper_status followed by the reply struct.  Every
 * request gets exactly one reply, also on failure (status -errno, no fds).
 *
 * Nothing here interprets a payload: decoding is a handful of integer
 * comparisons (magic, version, known type, exact size, fd count), so the
 * privileged side never parses anything of variable shape.  Any mismatch is
 * a protocol violation; a helper that sees one logs it and exits, and the
 * launcher restarts it.  Strings inside payloads are fixed-size char arrays;
 * check them with sv_helper_str_ok() before use.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SV_HELPER_MAGIC 0x50487653u /* "SvHP" little-endian */
#define SV_HELPER_REPLY 0x8000u     /* type bit: this is a reply */
/* Largest payload of any type of any helper (the spawn helper's START with
 * 32 KiB of arguments); bounds the receive buffer.  SOCK_SEQPACKET carries
 * a datagram of this size whole. */
#define SV_HELPER_MAX_PAYLOAD (32u * 1024 + 64)
/* Most fds any message of any helper may carry. */
#define SV_HELPER_MAX_FDS 16u
typedef struct sv_helper_hdr {
    uint32_t magic;   /* SV_HELPER_MAGIC */
    uint16_t version; /* the helper's protocol version */
    uint16_t type;    /* request type, | SV_HELPER_REPLY on replies */
    uint32_t seq;     /* chosen by the requester, echoed in the reply */
    uint32_t len;     /* payload bytes after this header */
} sv_helper_hdr;

/* First bytes of every reply payload. */
typedef struct sv_helper_status {
    int32_t status;    /* 0 or -errno */
    uint32_t reserved; /* 0 */
} sv_helper_status;

/* One row of a helper's message table (shared by both ends). */
typedef struct sv_helper_msg {
    uint16_t type;        /* request type, without SV_HELPER_REPLY */
    const char *name;     /* for logs */
    uint32_t req_size;    /* exact request payload size */
    uint8_t req_max_fds;  /* most fds a request may carry */
    uint32_t rep_size;    /* exact reply struct size (after sv_helper_status) */
    uint8_t rep_max_fds;  /* most fds a successful reply may carry */
} sv_helper_msg;

typedef struct sv_helper_proto {
    const char *name;          /* "net", "spawn" */
    uint16_t version;          /* bumped whenever the message set changes */
    const sv_helper_msg *msgs;
    size_t nmsgs;
} sv_helper_proto;

/*
 * Type 1 of every helper is PING: it answers the helper's name and version,
 * so a peer built from other sources is caught at connect, and the launcher
 * can check any helper's health with the same call.
 */
#define SV_HELPER_PING 1u
#define SV_HELPER_NAME_MAX 16

typedef struct sv_helper_ping_req {
    uint32_t nonce;    /* echoed */
    uint32_t reserved; /* 0 */
} sv_helper_ping_req;

typedef struct sv_helper_ping_rep {
    uint32_t nonce;
    uint16_t version;
    uint16_t reserved;
    char name[SV_HELPER_NAME_MAX];
} sv_helper_ping_rep;

#define SV_HELPER_MSG_PING \
    { SV_HELPER_PING, "PING", sizeof(sv_helper_ping_req), 0, sizeof(sv_helper_ping_rep), 0 }

/* Payloads of several helpers: the request of a paged LIST, and the reply
 * of a request that answers nothing but its status (all zero). */
typedef struct sv_helper_list_req {
    uint32_t start;    /* index of the first entry wanted */
    uint32_t reserved; /* 0 */
} sv_helper_list_req;

typedef struct sv_helper_empty_rep {
    uint64_t reserved;
} sv_helper_empty_rep;

/* Direction of a message, for the strict checks. */
typedef enum sv_helper_dir {
    SV_HELPER_DIR_REQUEST,
    SV_HELPER_DIR_REPLY,
} sv_helper_dir;

/* What sv_helper_decode() found in a well-formed datagram. */
typedef struct sv_helper_view {
    sv_helper_hdr hdr;
    const sv_helper_msg *msg;
    int status;              /* replies: 0 or -errno */
    const uint8_t *payload;  /* the struct, inside the caller's buffer */
    size_t payload_len;      /* == req_size / rep_size */
} sv_helper_view;

/* Row of proto for a request type, or NULL. */
const sv_helper_msg *sv_helper_proto_find(const sv_helper_proto *proto, uint16_t type);

/*
 * Pure decoder of one received datagram (buf/len) that came with nfds fds.
 * Checks: header complete, magic, version == proto->version, reply bit
 * matches dir, type known, len field == bytes present == exact size for the
 * type, nfds <= max for the type; replies also: status in [-4095, 0],
 * reserved 0, and no fds unless status is 0.
 * Returns 0 and fills *ret_view, or:
 *   -EBADMSG          short header, bad magic, len field != bytes present,
 *                     bad reply status word
 *   -EPROTONOSUPPORT  version mismatch
 *   -EPROTO           request where a reply was expected or vice versa,
 *                     fds on a failed reply
 *   -ENOMSG           unknown type
 *   -EMSGSIZE         payload size is not the type's exact size
 *   -ETOOMANYREFS     more fds than the type allows
 */
int sv_helper_decode(const sv_helper_proto *proto, sv_helper_dir dir, const uint8_t *buf,
                     size_t len, size_t nfds, sv_helper_view *ret_view);

/*
 * Send one message: header + payload (len bytes) + nfds fds.  The fds stay
 * owned by the caller.  Return 0 or -errno.
 */
int sv_helper_send(int sock, const sv_helper_proto *proto, uint16_t type, uint32_t seq,
                   const void *payload, size_t len, const int *fds, size_t nfds);

/*
 * Send the reply to request (type, seq): status, then the reply struct and,
 * only when status is 0, the fds.
 */
int sv_helper_send_reply(int sock, const sv_helper_proto *proto, uint16_t type, uint32_t seq,
                         int status, const void *rep, size_t rep_len, const int *fds, size_t nfds);

/*
 * Receive one message and decode it strictly (see sv_helper_decode).  On
 * success: *ret_hdr, the payload (after the status word for replies) copied
 * to buf (bufsize must hold it, else -ENOBUFS), received fds (O_CLOEXEC) in
 * fds[0..*ret_nfds) owned by the caller, and for replies *ret_status.
 * fds must have room for SV_HELPER_MAX_FDS.  Errors, all with no fd left
 * open: those of sv_helper_decode, -ECONNRESET on end of stream, -EMSGSIZE
 * for a truncated datagram, -ETOOMANYREFS for truncated control data,
 * -EPROTO for a control message other than SCM_RIGHTS, -errno from recvmsg.
 * ret_status may be NULL for requests.
 */
int sv_helper_recv(int sock, const sv_helper_proto *proto, sv_helper_dir dir,
                   sv_helper_hdr *ret_hdr, void *buf, size_t bufsize,
                   int *fds, size_t *ret_nfds, int *ret_status);

/*
 * Helper side.  A handler gets the request struct and fds (it may take an fd
 * by setting its slot to -1; the rest are closed after it returns), fills
 * the reply struct (zeroed beforehand) and reply fds (*rep_nfds, at most the
 * type's max; they are sent then closed), and returns 0 or -errno.  On
 * failure any reply fds are closed and a zero reply is sent.
 */
typedef int (*sv_helper_handler)(void *ctx, const void *req, int *fds, size_t nfds,
                                 void *rep, int *rep_fds, size_t *rep_nfds);

typedef struct sv_helper_dispatch {
    uint16_t type;
    sv_helper_handler handler;
} sv_helper_dispatch;

/*
 * Check at start-up that the dispatch table handles every type of proto,
 * exactly once, and nothing else (PING is answered by sv_helper_serve_one
 * itself and must not be listed).  Return 0 or -EINVAL.
 */
int sv_helper_dispatch_check(const sv_helper_proto *proto,
                             const sv_helper_dispatch *table, size_t n);

/*
 * Receive one request, run its handler (a type without one is answered
 * -ENOSYS), send the reply.  Returns 0 to go on, -ECONNRESET when the peer
 * closed, or another negative errno for a protocol violation or transport
 * failure: the helper logs it and exits.  If ret_type is not NULL it
 * receives the request's type (for logs).
 */
int sv_helper_serve_one(int sock, const sv_helper_proto *proto, const sv_helper_dispatch *table,
                        size_t n, void *ctx, uint16_t *ret_type);

/*
 * A helper's serving life: check the table (sv_helper_dispatch_check), then
 * serve requests on sock until the peer closes or breaks the protocol.
 * Returns the helper's exit status: 0 (peer closed), 2 (table does not
 * match proto), 3 (protocol violation or transport error, logged; the
 * launcher starts a new helper).
 */
int sv_helper_serve(int sock, const sv_helper_proto *proto, const sv_helper_dispatch *table,
                    size_t n, void *ctx);

/* One line on stderr, prefixed with the program's name: the log of every
 * privileged process (the launcher passes stderr on). */
void sv_helper_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Close fds[0..n) that are >= 0 and set them to -1. */
void sv_helper_close_fds(int *fds, size_t n);

/* true if s[0..size) holds a NUL with only NULs after it (so two equal
 * strings are equal arrays), and at least one byte before it unless
 * may_be_empty. */
bool sv_helper_str_ok(const char *s, size_t size, bool may_be_empty);
/* true if s[0..size) is all zero (reserved fields, padding). */
bool sv_helper_zero(const void *s, size_t size);
