# SPDX-License-Identifier: LGPL-2.1-or-later
"""Test fixture: a private sepvirt-frontd in session mode.

Everything lives under one temporary directory (runtime, config, state,
XDG_RUNTIME_DIR); the daemon is stopped with SIGTERM at the end (killed if
it does not stop) and the directory removed, also when the test fails.
"""
import atexit
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

# meson test stops a test that times out with SIGTERM: turn it into an
# exit so that the cleanup (atexit, finally) still stops the daemon.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

REMOTE_PROGRAM = 0x20008086
KEEPALIVE_PROGRAM = 0x6B656570

# message types / status
CALL, REPLY, MESSAGE, STREAM, CALL_WITH_FDS, REPLY_WITH_FDS = 0, 1, 2, 3, 4, 5
OK, ERROR = 0, 1


class Daemon:
    def __init__(self, binary, extra_args=(), config=None, uid=None):
        """uid: run the daemon as this uid (and gid), owning the temp dir."""
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix="sv-rpc-test-")
        self.preexec = None
        self.run = os.path.join(self.tmp, "run")
        self.conf = os.path.join(self.tmp, "config")
        self.state = os.path.join(self.tmp, "state")
        os.makedirs(self.conf)
        if config:
            with open(os.path.join(self.conf, "sepvirt-frontd.conf"), "w") as f:
                f.write(config)
        self.env = dict(os.environ, XDG_RUNTIME_DIR=os.path.join(self.tmp, "xdg"),
                        HOME=self.tmp, SEPVIRT_ROOT=self.tmp)
        self.log = open(os.path.join(self.tmp, "daemon.log"), "w+")
        if uid is not None:
            for root, dirs, files in os.walk(self.tmp):
                for n in [root] + [os.path.join(root, x) for x in dirs + files]:
                    os.chown(n, uid, uid)

            def drop():
                os.setgid(uid)
                os.setgroups([])
                os.setuid(uid)
            self.preexec = drop
        self.proc = subprocess.Popen(
            [binary, "--session", "--runtime-dir", self.run, "--config-dir", self.conf,
             "--state-dir", self.state, *extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env, preexec_fn=self.preexec)
        atexit.register(self.stop)
        self.sock = os.path.join(self.run, "sepvirt-sock")
        self.sock_ro = os.path.join(self.run, "sepvirt-sock-ro")
        deadline = time.time() + 20
        while not (os.path.exists(self.sock) and os.path.exists(self.sock_ro)):
            if self.proc.poll() is not None:
                raise RuntimeError("daemon exited early: " + self.log_text())
            if time.time() > deadline:
                raise RuntimeError("daemon did not create its sockets")
            time.sleep(0.02)

    def uri(self, ro=False):
        return "qemu+unix:///session?socket=" + (self.sock_ro if ro else self.sock)

    def log_text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM; returns the exit status.  Idempotent."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        status = self.proc.returncode
        self.proc = None
        if status != 0:
            # Show why (sanitizer reports, fatal errors) in the test log.
            for line in self.log_text().splitlines()[-60:]:
                print("# daemon: " + line)
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return status


def pack_header(prog, vers, proc, mtype, serial, status):
    return struct.pack(">IIiiIi", prog, vers, proc, mtype, serial, status)


def message(prog, vers, proc, mtype, serial, status, payload=b""):
    body = pack_header(prog, vers, proc, mtype, serial, status) + payload
    return struct.pack(">I", len(body) + 4) + body


def call(proc, serial, payload=b""):
    return message(REMOTE_PROGRAM, 1, proc, CALL, serial, OK, payload)


def xdr_string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def recv_message(sock):
    """(header tuple, payload) or None at EOF."""
    lw = recv_exact(sock, 4)
    if lw is None:
        return None
    (length,) = struct.unpack(">I", lw)
    rest = recv_exact(sock, length - 4)
    if rest is None:
        return None
    return struct.unpack(">IIiiIi", rest[:24]), rest[24:]


def decode_error(payload):
    """(code, domain, message) of a remote_error payload."""
    code, domain, has_msg = struct.unpack(">iiI", payload[:12])
    msg = None
    if has_msg:
        (n,) = struct.unpack(">I", payload[12:16])
        msg = payload[16:16 + n].decode()
    return code, domain, msg


def connect(path, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def open_connection(path):
    """A raw connection that did AUTH_LIST and CONNECT_OPEN (serials 0, 1)."""
    s = connect(path)
    s.sendall(call(66, 0))
    hdr, _ = recv_message(s)
    assert hdr[3] == REPLY and hdr[5] == OK, hdr
    s.sendall(call(1, 1, struct.pack(">I", 1) + xdr_string("qemu:///session") + struct.pack(">I", 0)))
    hdr, payload = recv_message(s)
    assert hdr[5] == OK, decode_error(payload)
    return s


class Tap:
    """Minimal TAP output with a final plan."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=None):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, what))
        if not cond and detail:
            for line in str(detail).splitlines():
                print("# " + line)
        return cond

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0
