# SPDX-License-Identifier: LGPL-2.1-or-later
"""Malformed packets: each closes only its own connection (or, for a
well-formed call to an unknown program/procedure, gets an error reply), and
the daemon keeps serving good clients.

usage: test_malformed.py SEPVIRT_FRONTD
"""
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svdaemon  # noqa: E402
from svdaemon import (CALL, CALL_WITH_FDS, ERROR, KEEPALIVE_PROGRAM, MESSAGE, OK,  # noqa: E402
                      REMOTE_PROGRAM, REPLY, REPLY_WITH_FDS, call, message, xdr_string)

t = svdaemon.Tap()
rng = random.Random(20261125)

# Procedure numbers used below.
AUTH_LIST, OPEN, GET_HOSTNAME, SUPPORTS_FEATURE = 66, 1, 59, 60
LOOKUP_BY_NAME, CB_REGISTER = 23, 316


def u32(*v):
    return struct.pack(">" + "I" * len(v), *v)


def closed_by_peer(s):
    """True when the daemon closed the connection (EOF or reset)."""
    try:
        while True:
            data = s.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def bad_packets():
    """(name, bytes, half_close) of packets that must close the connection."""
    out = []
    # Length word below the minimum or above 32 MiB + 4.
    for n in (0, 1, 4, 12, 24, 27):
        out.append(("length %d" % n, u32(n) + b"\0" * 24, False))
    for n in (0x02000005, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x10000000, 0x02000100):
        out.append(("oversized length 0x%x" % n, u32(n) + b"\0" * 24, False))
    # Truncated: the length promises more than arrives before EOF.
    good = call(OPEN, 1, u32(1) + xdr_string("qemu:///session") + u32(0))
    for cut in (2, 4, 10, 27, 28, 40, len(good) - 1):
        out.append(("truncated at %d of %d" % (cut, len(good)), good[:cut], True))
    # Bad message types and statuses.
    for mtype in (7, 8, 99, 0x7FFFFFFF, -1, -7):
        out.append(("message type %d" % mtype, message(REMOTE_PROGRAM, 1, GET_HOSTNAME, mtype, 3, OK), False))
    for mtype, status in ((CALL, ERROR), (CALL, 2), (CALL, -1), (MESSAGE, ERROR), (CALL, 12345)):
        out.append(("type %d status %d" % (mtype, status),
                    message(REMOTE_PROGRAM, 1, GET_HOSTNAME, mtype, 3, status), False))
    # Types a client must not send.
    for mtype in (REPLY, REPLY_WITH_FDS, CALL_WITH_FDS):
        out.append(("client sends type %d" % mtype,
                    message(REMOTE_PROGRAM, 1, GET_HOSTNAME, mtype, 3, OK, u32(0)), False))
    out.append(("CALL_WITH_FDS with 33 fds", message(REMOTE_PROGRAM, 1, GET_HOSTNAME, CALL_WITH_FDS, 3, OK, u32(33)), False))
    # Strings: negative, over 4 MiB, longer than the packet, bad pointer flags.
    for n in (0xFFFFFFFF, 0x80000000, 0xFFFFFFFC, 4194305, 4194304 + 1024, 1000, 17):
        out.append(("OPEN name length 0x%x" % n, call(OPEN, 1, u32(1, n) + b"abcd" + u32(0)), False))
    for flag in (2, 3, 0xFFFFFFFF, 0x80000000):
        out.append(("OPEN name pointer flag %d" % flag, call(OPEN, 1, u32(flag) + xdr_string("x") + u32(0)), False))
    # A real huge string: 4 MiB + 1 bytes declared and sent.
    huge = b"a" * 4194308
    out.append(("OPEN name of 4 MiB + 1 bytes", call(OPEN, 1, u32(1, 4194305) + huge + u32(0)), False))
    # Argument sizes that do not match the procedure.
    out.append(("SUPPORTS_FEATURE without args", call(SUPPORTS_FEATURE, 1), False))
    out.append(("SUPPORTS_FEATURE with trailing bytes", call(SUPPORTS_FEATURE, 1, u32(10, 0)), False))
    out.append(("AUTH_LIST with args", call(AUTH_LIST, 1, u32(0)), False))
    out.append(("OPEN with 2 bytes", call(OPEN, 1, b"\0\0"), False))
    out.append(("REGISTER_ANY dom flag 7", call(CB_REGISTER, 1, u32(0, 7)), False))
    # Keepalive with a payload or a wrong version.
    out.append(("PING with payload", message(KEEPALIVE_PROGRAM, 1, 1, MESSAGE, 0, OK, u32(1)), False))
    out.append(("PING version 2", message(KEEPALIVE_PROGRAM, 2, 1, MESSAGE, 0, OK), False))
    # Garbage: random bytes whose first word is a bad length.
    while len(out) < 150:
        n = rng.randrange(1, 200)
        g = bytes(rng.randrange(256) for _ in range(n))
        ln = struct.unpack(">I", (g + b"\0\0\0\0")[:4])[0]
        if 28 <= ln <= 0x02000004:
            g = b"\xff" + g[1:]
        # Fewer than 4 bytes are only recognisably bad at end of file.
        out.append(("garbage %d bytes" % n, g, n < 4))
    # Garbage after a valid length and a valid header: random payload for a
    # procedure with arguments (most fail to decode exactly).
    while len(out) < 190:
        n = rng.randrange(1, 64)
        payload = bytes(rng.randrange(256) for _ in range(n))
        if n % 4 == 0:
            payload = payload[:-1]   # never a multiple of 4: cannot be valid XDR
        out.append(("random OPEN args (%d bytes)" % n, call(OPEN, 1, payload), False))
    # Random header words (valid length, invalid type).
    while len(out) < 210:
        mtype = rng.choice([7, 9, 100, 2 ** 31 - 1]) if rng.random() < 0.5 else -rng.randrange(1, 100)
        out.append(("random header type %d" % mtype,
                    message(rng.randrange(2 ** 32), rng.randrange(2 ** 32), rng.randrange(-2 ** 31, 2 ** 31),
                            mtype, rng.randrange(2 ** 32), 0), False))
    return out


def error_packets():
    """(name, bytes, proc, serial, code, text) answered with an error reply."""
    return [
        ("unknown program", message(0x12345678, 1, 1, CALL, 7, OK), 1, 7, 39,
         "Cannot find program 305419896 version 1"),
        ("REMOTE version 2", message(REMOTE_PROGRAM, 2, GET_HOSTNAME, CALL, 8, OK), GET_HOSTNAME, 8, 39,
         "Cannot find program 536903814 version 2"),
        ("keepalive program as CALL", message(KEEPALIVE_PROGRAM, 1, 1, CALL, 9, OK), 1, 9, 39,
         "Cannot find program"),
        ("unknown procedure 999", call(999, 10), 999, 10, 39, "unknown procedure: 999"),
        ("procedure 0", call(0, 11), 0, 11, 39, "unknown procedure: 0"),
        ("negative procedure", call(-5, 12), -5, 12, 39, "unknown procedure: -5"),
        ("call before open", call(GET_HOSTNAME, 13), GET_HOSTNAME, 13, 1, "connection not open"),
        ("lookup before open", call(LOOKUP_BY_NAME, 14, xdr_string("x")), LOOKUP_BY_NAME, 14, 1,
         "connection not open"),
    ]


def check_error_reply(s, proc, serial, code, text):
    m = svdaemon.recv_message(s)
    if m is None:
        return False, "connection closed"
    hdr, payload = m
    ecode, _, emsg = svdaemon.decode_error(payload) if hdr[5] == ERROR else (None, None, None)
    ok = (hdr[2] == proc and hdr[3] == REPLY and hdr[4] == serial and hdr[5] == ERROR and
          ecode == code and emsg is not None and text in emsg)
    return ok, (hdr, ecode, emsg)


def good_client_works(d):
    s = svdaemon.open_connection(d.sock)
    s.sendall(call(GET_HOSTNAME, 2))
    hdr, payload = svdaemon.recv_message(s)
    s.close()
    (n,) = struct.unpack(">I", payload[:4])
    return hdr[5] == OK and payload[4:4 + n].decode() == socket.gethostname()


def main():
    d = svdaemon.Daemon(sys.argv[1])
    try:
        run(d)
    finally:
        d.stop()
    return t.done()


def run(d):
    bads = bad_packets()
    closed_ok = []
    for name, data, half_close in bads:
        s = svdaemon.connect(d.sock, timeout=5)
        # Half the cases after a successful open, half on a fresh connection.
        if rng.random() < 0.5:
            s.close()
            s = svdaemon.open_connection(d.sock)
            s.settimeout(5)
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if half_close:
            s.shutdown(socket.SHUT_WR)
        if not closed_by_peer(s):
            closed_ok.append(name)
        s.close()
    t.ok(not closed_ok, "%d malformed packets, each on its own connection, each closed it" % len(bads),
         "\n".join(closed_ok[:20]))

    errs = error_packets()
    failures = []
    for name, data, proc, serial, code, text in errs:
        s = svdaemon.connect(d.sock)
        s.sendall(data)
        ok, detail = check_error_reply(s, proc, serial, code, text)
        if not ok:
            failures.append("%s: %s" % (name, detail))
        # The connection stays usable after an error reply.
        s.sendall(call(AUTH_LIST, 99))
        m = svdaemon.recv_message(s)
        if m is None or m[0][4] != 99 or m[0][5] != OK:
            failures.append("%s: connection unusable afterwards" % name)
        s.close()
    t.ok(not failures, "%d bad calls answered with libvirt's error replies" % len(errs),
         "\n".join(failures))

    # Mixed on one connection: good calls, error cases, then one malformed
    # packet; every reply before it arrives, then the connection closes.
    mixed_fail = []
    for round_ in range(10):
        s = svdaemon.open_connection(d.sock)
        serial = 100
        expected = []
        stream = b""
        for _ in range(rng.randrange(3, 12)):
            if rng.random() < 0.5:
                stream += call(GET_HOSTNAME, serial)
                expected.append((serial, OK))
            else:
                name, data, proc, _, code, text = rng.choice(errs[:6])
                hdr = list(struct.unpack(">IIIiiIi", data[:28]))
                hdr[5] = serial
                stream += struct.pack(">IIIiiIi", *hdr) + data[28:]
                expected.append((serial, ERROR))
            serial += 1
        stream += message(KEEPALIVE_PROGRAM, 1, 1, MESSAGE, 0, OK)   # PING
        expected.append(("pong", OK))
        name, bad, half = rng.choice([b for b in bads if not b[2] and len(b[1]) < 100000])
        stream += bad
        s.sendall(stream)
        got = []
        while True:
            m = svdaemon.recv_message(s)
            if m is None:
                break
            hdr, _ = m
            got.append(("pong", hdr[5]) if hdr[0] == KEEPALIVE_PROGRAM and hdr[2] == 2
                       else (hdr[4], hdr[5]))
        s.close()
        if sorted(got, key=str) != sorted(expected, key=str):
            mixed_fail.append("round %d (%s): got %s expected %s" % (round_, name, got, expected))
    t.ok(not mixed_fail, "mixed good/error/malformed on one connection (10 rounds)",
         "\n".join(mixed_fail))

    total = len(bads) + len(errs) + 10
    t.ok(total >= 200, "at least 200 malformed packets sent (%d)" % total)
    t.ok(d.alive(), "daemon still running", d.log_text())
    t.ok(good_client_works(d), "a good client is served afterwards")

    # And the stock library still works too.
    try:
        import libvirt
        libvirt.registerErrorHandler(lambda ctx, err: None, None)
        conn = libvirt.open(d.uri())
        t.ok(conn.getHostname() == socket.gethostname(), "python3-libvirt served afterwards")
        conn.close()
    except ImportError:
        t.skip("python3-libvirt served afterwards", "python3-libvirt not installed")


if __name__ == "__main__":
    sys.exit(main())
