# SPDX-License-Identifier: LGPL-2.1-or-later
"""python3-libvirt against sepvirt-frontd: connection API, several threads
on one connection (out-of-order replies), keepalive, events, close callback.

usage: /usr/bin/python3 test_python.py SEPVIRT_FRONTD
"""
import os
import re
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svdaemon  # noqa: E402

try:
    import libvirt
except ImportError:
    print("1..0 # SKIP python3-libvirt not installed")
    sys.exit(77)

t = svdaemon.Tap()
libvirt.registerErrorHandler(lambda ctx, err: None, None)


def basic(d):
    conn = libvirt.open(d.uri())
    t.ok(conn.getHostname() == socket.gethostname(), "getHostname")
    info = conn.getInfo()
    with open("/proc/meminfo") as f:
        memtotal = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    t.ok(info[0] == os.uname().machine and info[1] == memtotal // 1024 and info[2] == os.cpu_count(),
         "getInfo: arch, memory MiB, cpus", info)
    caps = ET.fromstring(conn.getCapabilities())
    t.ok(caps.findtext("host/cpu/arch") == os.uname().machine, "getCapabilities")
    t.ok(conn.getType() == "QEMU", "getType")
    t.ok(conn.getVersion() > 1000000, "getVersion is QEMU's", conn.getVersion())
    t.ok(conn.getLibVersion() == 9000000, "getLibVersion")
    t.ok(conn.isSecure() == 1, "isSecure")
    t.ok(ET.fromstring(conn.getSysinfo()).tag == "sysinfo", "getSysinfo")
    t.ok(conn.getMaxVcpus("qemu") == 16, "getMaxVcpus(qemu)")
    t.ok(conn.getFreeMemory() > 0, "getFreeMemory")
    t.ok(conn.close() == 0, "close")


def threads_on_one_connection(d):
    conn = libvirt.open(d.uri())
    errors = []

    def worker(n):
        try:
            for i in range(200):
                if (i + n) % 3 == 0:
                    assert conn.getHostname() == socket.gethostname()
                elif (i + n) % 3 == 1:
                    assert conn.getInfo()[2] == os.cpu_count()
                else:
                    assert conn.getLibVersion() == 9000000
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    ths = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for th in ths:
        th.start()
    for th in ths:
        th.join()
    conn.close()
    t.ok(not errors, "8 threads x 200 calls on one connection", "\n".join(errors[:5]))


def events_and_keepalive(d):
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    th = threading.Thread(target=loop, daemon=True)
    th.start()

    conn = libvirt.open(d.uri())
    # Client pings after 1 s of silence and gives up after 2 unanswered.
    t.ok(conn.setKeepAlive(1, 2) == 0, "setKeepAlive accepted (server supports keepalive)")
    time.sleep(4)
    t.ok(conn.isAlive() == 1, "connection alive after 4 s of keepalive pings")

    got = []
    cb_id = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                        lambda c, dom, ev, detail, opaque: got.append((dom.name(), ev)),
                                        None)
    t.ok(cb_id >= 0, "domainEventRegisterAny")
    net_id = conn.networkEventRegisterAny(None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                          lambda c, net, ev, detail, opaque: got.append((net.name(), ev)),
                                          None)
    t.ok(net_id >= 0, "networkEventRegisterAny")

    xml = ("<domain type='qemu'><name>evtest</name><memory>65536</memory>"
           "<os><type>hvm</type></os></domain>")
    try:
        dom = conn.defineXML(xml)
    except libvirt.libvirtError as e:
        dom = None
        if e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT:
            t.skip("DEFINED event delivered", "no domain procedures linked")
        else:
            t.ok(False, "defineXML for the event test", e)
    if dom is not None:
        deadline = time.time() + 5
        while not got and time.time() < deadline:
            time.sleep(0.05)
        t.ok(("evtest", libvirt.VIR_DOMAIN_EVENT_DEFINED) in got, "DEFINED event delivered", got)
        dom.undefine()

    # The python wrappers return None and raise on failure.
    try:
        conn.domainEventDeregisterAny(cb_id)
        conn.networkEventDeregisterAny(net_id)
        err = None
    except libvirt.libvirtError as e:
        err = e
    t.ok(err is None, "domainEventDeregisterAny / networkEventDeregisterAny", err)

    closed = []
    conn.registerCloseCallback(lambda c, reason, opaque: closed.append(reason), None)
    status = d.stop()
    deadline = time.time() + 10
    while not closed and time.time() < deadline:
        time.sleep(0.05)
    t.ok(status == 0, "daemon stopped cleanly with a client connected", status)
    t.ok(closed and closed[0] in (libvirt.VIR_CONNECT_CLOSE_REASON_EOF,
                                  libvirt.VIR_CONNECT_CLOSE_REASON_ERROR),
         "close callback fired when the daemon went away", closed)
    stop.set()


def main():
    d = svdaemon.Daemon(sys.argv[1])
    try:
        basic(d)
        threads_on_one_connection(d)
        events_and_keepalive(d)
    finally:
        d.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
