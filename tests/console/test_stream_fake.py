# SPDX-License-Identifier: LGPL-2.1-or-later
"""Console streams against console-test-frontd (sepvirt-frontd with the fake
driver of fake_driver.c): stock virsh and sepvirsh on a pseudo-terminal,
python3-libvirt's stream API, and raw packets for the protocol corners
(unknown streams, holes, abort/finish confirmations, flow control both
ways, a client that disconnects).

usage: test_stream_fake.py CONSOLE_TEST_FRONTD SEPVIRSH
"""
import os
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "rpc"))
sys.path.insert(0, HERE)

from ptyproc import PtyProc  # noqa: E402
from svdaemon import (CALL, ERROR, OK, REMOTE_PROGRAM, REPLY, STREAM, Daemon, Tap,  # noqa: E402
                      call, decode_error, message, open_connection, recv_message,
                      xdr_string)

CONTINUE = 2
STREAM_HOLE = 6
PROC_LOOKUP_BY_NAME = 23
PROC_OPEN_CONSOLE = 201
PROC_LIST_ALL = 273

DOMAIN_XML = """<domain type='qemu'>
  <name>fake</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <serial type='pty'/>
    <console type='pty'/>
    <serial type='file'><source path='/tmp/sv-console-fake.log'/></serial>
  </devices>
</domain>
"""


def err(body):
    """A reply payload for a failure message: the error it carries, if any."""
    try:
        return decode_error(body)
    except (struct.error, UnicodeDecodeError):
        return body


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Raw:
    """A raw protocol connection with a console stream helper."""

    def __init__(self, path):
        self.s = open_connection(path)
        self.serial = 10

    def next_serial(self):
        self.serial += 1
        return self.serial

    def call(self, proc, payload=b""):
        serial = self.next_serial()
        self.s.sendall(call(proc, serial, payload))
        while True:
            hdr, body = recv_message(self.s)
            if hdr[3] == REPLY and hdr[4] == serial:
                return hdr, body

    def dom(self, name):
        hdr, body = self.call(PROC_LOOKUP_BY_NAME, xdr_string(name))
        assert hdr[5] == OK, decode_error(body)
        return body

    def open_console(self, name, flags=0, dev=None):
        """(serial, reply header, reply payload)."""
        dev_arg = struct.pack(">I", 0) if dev is None else struct.pack(">I", 1) + xdr_string(dev)
        hdr, body = self.call(PROC_OPEN_CONSOLE, self.dom(name) + dev_arg + struct.pack(">I", flags))
        return self.serial, hdr, body

    def stream(self, serial, status, data=b"", mtype=STREAM):
        self.s.sendall(message(REMOTE_PROGRAM, 1, PROC_OPEN_CONSOLE, mtype, serial, status, data))

    def read_until(self, serial, want, timeout=20):
        """Stream data until want (bytes) shows up: (data, last header)."""
        self.s.settimeout(timeout)
        chunks = []
        tail = b""
        while want not in tail:
            m = recv_message(self.s)
            if m is None:
                break
            hdr, body = m
            if hdr[3] == STREAM and hdr[4] == serial:
                if hdr[5] != CONTINUE or not body:
                    return b"".join(chunks), hdr
                chunks.append(body)
                tail = tail[-len(want):] + body
        return b"".join(chunks), None

    def next_stream_packet(self, serial, timeout=10):
        self.s.settimeout(timeout)
        while True:
            m = recv_message(self.s)
            if m is None:
                return None, None
            if m[0][3] == STREAM and m[0][4] == serial:
                return m

    def close(self):
        self.s.close()


def main():
    daemon_bin, sepvirsh = sys.argv[1], sys.argv[2]
    t = Tap()
    d = Daemon(daemon_bin)
    uri = d.uri()
    env = dict(d.env, LANG="C", LC_ALL="C")
    env.pop("LIBVIRT_DEFAULT_URI", None)

    def virsh(*args, timeout=30):
        return subprocess.run(["virsh", "-c", uri] + list(args), env=env, timeout=timeout,
                              capture_output=True, text=True)

    def console(tool, *args):
        if tool == "virsh":
            return PtyProc(["virsh", "-c", uri, "console", "fake"] + list(args), env=env)
        return PtyProc([sepvirsh, "-c", uri, "console", "fake"] + list(args), env=env)

    try:
        xml = os.path.join(d.tmp, "fake.xml")
        with open(xml, "w") as f:
            f.write(DOMAIN_XML)
        r = virsh("define", xml)
        t.ok(r.returncode == 0, "define", r.stderr)
        r = virsh("console", "fake")
        t.ok(r.returncode == 1 and "domain is not running" in r.stderr,
             "console of an inactive domain is refused", r.stderr)
        r = virsh("start", "fake")
        t.ok(r.returncode == 0, "start (fake driver)", r.stderr)

        for tool in os.environ.get("SV_CONSOLE_TOOLS", "virsh sepvirsh").split():
            # Attach, talk, detach with Ctrl-].
            a = console(tool)
            t.ok(a.expect(b"Connected to domain 'fake'") and a.expect(b"Escape character is ^] (Ctrl + ])"),
                 "%s console: banner" % tool, a.text())
            t.ok(a.expect(b"FAKE-GUEST-READY"), "%s console: guest output arrives" % tool, a.text())
            a.send(b"hello there\r")
            t.ok(a.expect(b"you said: hello there"), "%s console: input reaches the guest" % tool,
                 a.text())
            a.send(b"\x1d")
            st = a.wait()
            t.ok(st == 0, "%s console: Ctrl-] detaches with status 0" % tool, "%s\n%s" % (st, a.text()))

            # One session per device; --force takes it over.
            a = console(tool)
            a.expect(b"FAKE-GUEST-READY")
            b = console(tool)
            st = b.wait()
            t.ok(st == 1 and b"error: operation failed: Active console session exists for this domain"
                 in b.out, "%s console: a second session is refused" % tool, "%s\n%s" % (st, b.text()))
            c = console(tool, "--force")
            t.ok(c.expect(b"FAKE-GUEST-READY"), "%s console --force attaches" % tool, c.text())
            st = a.wait()
            t.ok(st == 1 and b"error: stream had I/O failure" in a.out,
                 "%s console: the forced-out session ends with libvirt's error" % tool,
                 "%s\n%s" % (st, a.text()))
            c.send(b"after force\r")
            t.ok(c.expect(b"you said: after force"), "%s console: the new session works" % tool,
                 c.text())
            c.send(b"\x1d")
            t.ok(c.wait() == 0, "%s console --force: detaches" % tool, c.text())

            # The guest closing its end: the console ends cleanly.
            e = console(tool, "--safe")
            e.expect(b"FAKE-GUEST-READY")
            e.send(b"bye\r")
            st = e.wait()
            t.ok(st == 0, "%s console: the guest's end of file ends the session" % tool,
                 "%s\n%s" % (st, e.text()))

            # Device names.
            e = console(tool, "--devname", "serial7")
            st = e.wait()
            t.ok(st == 1 and b"cannot find character device serial7" in e.out,
                 "%s console --devname of a missing device" % tool, e.text())
            e = console(tool, "--devname", "serial1")
            st = e.wait()
            t.ok(st == 1 and b"character device serial1 is not using a PTY" in e.out,
                 "%s console --devname of a file serial port" % tool, e.text())
            e = console(tool, "--devname", "serial0")
            t.ok(e.expect(b"FAKE-GUEST-READY"), "%s console --devname serial0" % tool, e.text())
            e.send(b"\x1d")
            e.wait()

        # sepvirsh also runs with stdin on a pipe: its end stops the input
        # only, the escape character detaches.
        p = subprocess.Popen([sepvirsh, "-c", uri, "console", "fake"], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            p.stdin.write(b"piped line\r")
            p.stdin.flush()
            time.sleep(1)
            out, errout = p.communicate(b"\x1d", timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            out, errout = p.communicate()
        t.ok(p.returncode == 0 and b"you said: piped line" in out,
             "sepvirsh console with stdin on a pipe", out + errout)

        # A read-only connection may not open consoles.
        r = PtyProc(["virsh", "-r", "-c", d.uri(ro=True), "console", "fake"], env=env)
        st = r.wait()
        t.ok(st == 1 and b"read only access prevents virDomainOpenConsole" in r.out,
             "read-only connections are refused", r.text())

        python_stream_tests(t, d)
        raw_tests(t, d)

        r = virsh("destroy", "fake")
        t.ok(r.returncode == 0, "destroy", r.stderr)
        r = virsh("undefine", "fake")
        t.ok(r.returncode == 0, "undefine", r.stderr)
        t.ok(d.alive(), "the daemon is still running")
    finally:
        status = d.stop()
    t.ok(status == 0, "daemon exits cleanly on SIGTERM", status)
    return t.done()


def python_stream_tests(t, d):
    """python3-libvirt: blocking stream API through libvirt's own client."""
    code = r"""
import libvirt, sys
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName("fake")
st = conn.newStream(0)
dom.openConsole(None, st, 0)
data = b""
while b"FAKE-GUEST-READY" not in data:
    data += st.recv(1024)
st.send(b"from python\r")
while b"you said: from python" not in data:
    data += st.recv(1024)
try:
    dom.openConsole(None, conn.newStream(0), 0)
    print("second-open-succeeded")
except libvirt.libvirtError as e:
    print("second:", e.get_error_message())
st2 = conn.newStream(0)
dom.openConsole(None, st2, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
try:
    while True:
        if not st.recv(1024):
            print("first: eof")
            break
except libvirt.libvirtError as e:
    print("first:", e.get_error_message())
data = b""
while b"FAKE-GUEST-READY" not in data:
    data += st2.recv(1024)
st2.finish()
print("done")
"""
    r = subprocess.run(["/usr/bin/python3", "-c", code, d.uri()], capture_output=True, text=True,
                       timeout=60, env=d.env)
    out = r.stdout
    t.ok(r.returncode == 0 and "done" in out, "python3-libvirt: console stream send/recv/finish",
         out + r.stderr)
    t.ok("second: operation failed: Active console session exists for this domain" in out,
         "python3-libvirt: second open refused", out)
    t.ok("first: stream had I/O failure" in out, "python3-libvirt: FORCE ends the first stream "
         "with an error", out)


def raw_tests(t, d):
    # Finish: data written first, then an empty OK confirms.
    c = Raw(d.sock)
    serial, hdr, body = c.open_console("fake")
    t.ok(hdr[5] == OK and body == b"", "raw: OPEN_CONSOLE replies void", err(body))
    data, _ = c.read_until(serial, b"FAKE-GUEST-READY")
    t.ok(b"FAKE-GUEST-READY" in data, "raw: data arrives as CONTINUE packets")
    c.stream(serial, CONTINUE, b"raw input\r")
    data, _ = c.read_until(serial, b"you said: raw input")
    t.ok(b"you said: raw input" in data, "raw: CONTINUE packets reach the backend")

    # Packets of an unknown stream are dropped; the connection lives on.
    c.stream(serial + 1000, CONTINUE, b"nobody")
    c.stream(serial + 1000, OK)
    hdr, body = c.call(PROC_LIST_ALL, struct.pack(">iI", 1, 0))
    t.ok(hdr[5] == OK, "raw: unknown stream packets are ignored", err(body))

    c.stream(serial, OK)
    hdr, body = c.next_stream_packet(serial)
    t.ok(hdr is not None and hdr[5] == OK and body == b"", "raw: finish is confirmed with OK", hdr)
    # Late packets of the finished stream: ignored too.
    c.stream(serial, CONTINUE, b"late")
    hdr, body = c.call(PROC_LIST_ALL, struct.pack(">iI", 1, 0))
    t.ok(hdr[5] == OK, "raw: packets after the finish are ignored", err(body))

    # Abort: confirmed with OK as well; the session is free again.
    serial, hdr, body = c.open_console("fake")
    t.ok(hdr[5] == OK, "raw: the device is free after finish", err(body))
    c.read_until(serial, b"FAKE-GUEST-READY")
    c.stream(serial, ERROR)
    hdr, body = c.next_stream_packet(serial)
    t.ok(hdr is not None and hdr[5] == OK and body == b"", "raw: abort is confirmed with OK", hdr)

    # Server-side end of file: an empty CONTINUE, then our finish.
    serial, hdr, body = c.open_console("fake")
    c.read_until(serial, b"FAKE-GUEST-READY")
    c.stream(serial, CONTINUE, b"bye\r")
    data, last = c.read_until(serial, b"\0never")
    t.ok(last is not None and last[5] == CONTINUE, "raw: the backend's EOF is an empty CONTINUE",
         last)
    c.stream(serial, OK)
    hdr, body = c.next_stream_packet(serial)
    t.ok(hdr is not None and hdr[5] == OK, "raw: finish after EOF is confirmed", hdr)

    # A hole on a stream that is not sparse closes the connection.
    serial, hdr, body = c.open_console("fake")
    c.read_until(serial, b"FAKE-GUEST-READY")
    c.stream(serial, CONTINUE, struct.pack(">qI", 4096, 0), mtype=STREAM_HOLE)
    c.s.settimeout(10)
    try:
        while recv_message(c.s) is not None:
            pass
        closed = True
    except OSError:
        closed = True
    t.ok(closed, "raw: STREAM_HOLE closes the connection")
    c.close()

    # The disconnected client's session is gone: open again without force.
    c = Raw(d.sock)
    serial, hdr, body = c.open_console("fake")
    t.ok(hdr[5] == OK, "raw: a disconnected client's session is freed", err(body))

    # Output flow control: the client reads nothing while the guest floods.
    c.read_until(serial, b"FAKE-GUEST-READY")
    base = rss_kib(d.proc.pid)
    total = 40 * 1000 * 1000
    c.stream(serial, CONTINUE, b"flood %d\r" % total)
    time.sleep(2)
    grown = rss_kib(d.proc.pid) - base
    r = subprocess.run(["virsh", "-c", d.uri(), "list", "--all"], env=d.env, capture_output=True,
                       text=True, timeout=20)
    t.ok(r.returncode == 0 and "fake" in r.stdout, "raw: other clients are served during a flood",
         r.stderr)
    t.ok(grown < 16 * 1024, "raw: a client that does not read costs bounded memory (%d KiB)" % grown)
    data, last = c.read_until(serial, b"FLOOD-DONE", timeout=120)
    got = data.count(b"x")
    want = total // 66 * 64 + min(total % 66, 64)
    t.ok(b"FLOOD-DONE" in data and got == want,
         "raw: every byte of the flood arrives (%d of %d)" % (got, want))

    # Input flow control: the guest stops reading; the daemon stops reading
    # the client once its request limit is reached, and nothing blocks.
    c.stream(serial, CONTINUE, b"sleep 4\r")
    time.sleep(0.5)
    base = rss_kib(d.proc.pid)
    chunk = b"y" * 200000
    sent = [0]

    def pump():
        try:
            for _ in range(250):           # 50 MB
                c.s.sendall(message(REMOTE_PROGRAM, 1, PROC_OPEN_CONSOLE, STREAM, serial,
                                    CONTINUE, chunk))
                sent[0] += len(chunk)
        except OSError:
            pass

    c.s.settimeout(60)
    th = threading.Thread(target=pump, daemon=True)
    th.start()
    time.sleep(2)
    stalled = sent[0] < 50 * 1000 * 1000
    grown = rss_kib(d.proc.pid) - base
    r = subprocess.run(["virsh", "-c", d.uri(), "list", "--all"], env=d.env, capture_output=True,
                       text=True, timeout=20)
    t.ok(stalled and r.returncode == 0, "raw: a guest that does not read stalls only its client "
         "(sent %d bytes)" % sent[0], r.stderr)
    t.ok(grown < 48 * 1024, "raw: queued input is bounded (%d KiB)" % grown)
    data, _ = c.read_until(serial, b"AWAKE", timeout=60)
    th.join(120)
    t.ok(not th.is_alive() and sent[0] == 50 * 1000 * 1000,
         "raw: the input flows again once the guest reads")
    c.stream(serial, OK)
    hdr, _ = c.next_stream_packet(serial, timeout=60)
    t.ok(hdr is not None and hdr[5] == OK, "raw: finish after the input flood", hdr)
    c.close()


if __name__ == "__main__":
    sys.exit(main())
