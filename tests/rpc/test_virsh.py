# SPDX-License-Identifier: LGPL-2.1-or-later
"""Debian's virsh against sepvirt-frontd: the connection-level commands.

usage: test_virsh.py SEPVIRT_FRONTD
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svdaemon  # noqa: E402

t = svdaemon.Tap()


def virsh(d, *args, ro_socket=False, readonly=False):
    cmd = ["virsh", "-q"]
    if readonly:
        cmd.append("-r")
    cmd += ["-c", d.uri(ro_socket), *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=d.env)
    return p.returncode, p.stdout, p.stderr


def main():
    if not shutil.which("virsh"):
        print("1..0 # SKIP virsh not installed")
        return 77
    d = svdaemon.Daemon(sys.argv[1])
    try:
        run_checks(d)
        t.ok(d.alive(), "daemon still running after all commands", d.log_text())
    finally:
        run_dir = d.run
        status = d.stop()
    t.ok(status == 0, "daemon exits 0 on SIGTERM", "status %s" % status)
    t.ok(not os.path.exists(os.path.join(run_dir, "sepvirt-sock")),
         "sockets removed at shutdown")
    return t.done()


def run_checks(d):
    rc, out, err = virsh(d, "version", "--daemon")
    qemu = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True)
    m = re.search(r"version (\d+)\.(\d+)\.(\d+)", qemu.stdout)
    want = "%d.%d.%d" % tuple(int(x) for x in m.groups()) if m else None
    t.ok(rc == 0 and "Running hypervisor: QEMU %s" % want in out, "virsh version: hypervisor",
         out + err)
    t.ok("Using API: QEMU" in out and "Running against daemon: 9.0.0" in out,
         "virsh version: API type and daemon version", out)

    rc, out, err = virsh(d, "hostname")
    t.ok(rc == 0 and out.strip() == socket.gethostname(), "virsh hostname", out + err)

    rc, out, err = virsh(d, "uri")
    t.ok(rc == 0 and out.strip() == d.uri(), "virsh uri", out + err)

    rc, out, err = virsh(d, "nodeinfo")
    fields = dict(line.split(":", 1) for line in out.strip().splitlines() if ":" in line)
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    with open("/proc/meminfo") as f:
        memtotal = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    t.ok(rc == 0 and fields.get("CPU(s)") == str(os.cpu_count()), "nodeinfo: CPU count", out + err)
    t.ok(fields.get("Memory size") == "%d KiB" % memtotal, "nodeinfo: memory = MemTotal", out)
    t.ok(fields.get("CPU model") == os.uname().machine, "nodeinfo: model = arch", out)
    try:
        prod = (int(fields["NUMA cell(s)"]) * int(fields["CPU socket(s)"]) *
                int(fields["Core(s) per socket"]) * int(fields["Thread(s) per core"]))
    except (KeyError, ValueError):
        prod = -1
    t.ok(prod == os.cpu_count(), "nodeinfo: topology multiplies to the CPU count", out)

    rc, out, err = virsh(d, "capabilities")
    try:
        caps = ET.fromstring(out)
    except ET.ParseError as e:
        caps = None
        err += str(e)
    t.ok(rc == 0 and caps is not None and caps.tag == "capabilities", "capabilities is XML", err)
    if caps is not None:
        t.ok(caps.findtext("host/cpu/arch") == os.uname().machine, "capabilities: host arch")
        t.ok(re.fullmatch(r"[0-9a-f-]{36}", caps.findtext("host/uuid") or "") is not None,
             "capabilities: host uuid")
        arch = caps.find("guest/arch[@name='x86_64']")
        types = sorted(dom.get("type") for dom in arch.findall("domain")) if arch is not None else []
        want = ["kvm", "qemu"] if os.path.exists("/dev/kvm") else ["qemu"]
        t.ok(types == want, "capabilities: guest domain types %s" % want, types)
        t.ok(caps.findtext("guest/os_type") == "hvm" and
             arch is not None and arch.findtext("emulator", "").endswith("qemu-system-x86_64"),
             "capabilities: hvm guest with the emulator path")
        machines = [m.text for m in arch.findall("machine")] if arch is not None else []
        t.ok("pc" in machines and "q35" in machines, "capabilities: machine aliases pc, q35",
             machines)

    rc, out, err = virsh(d, "sysinfo")
    try:
        si = ET.fromstring(out)
    except ET.ParseError:
        si = None
    t.ok(rc == 0 and si is not None and si.tag == "sysinfo" and si.get("type") == "smbios",
         "sysinfo is <sysinfo type='smbios'>", out + err)
    if os.path.exists("/sys/class/dmi/id/sys_vendor") and si is not None:
        with open("/sys/class/dmi/id/sys_vendor") as f:
            vendor = f.read().strip()
        t.ok(si.findtext("system/entry[@name='manufacturer']") == vendor,
             "sysinfo: system manufacturer from DMI")
    elif si is not None:
        t.ok(si.find("processor") is not None, "sysinfo: processor section without DMI")

    rc, out, err = virsh(d, "maxvcpus", "--type", "qemu")
    t.ok(rc == 0 and out.strip() == "16", "maxvcpus --type qemu", out + err)

    rc, out, err = virsh(d, "freecell")
    t.ok(rc == 0 and re.search(r"Total: \d+ KiB", out) is not None, "freecell", out + err)

    # Read-only socket: reading works...
    rc, out, err = virsh(d, "hostname", ro_socket=True, readonly=True)
    t.ok(rc == 0 and out.strip() == socket.gethostname(), "virsh -r hostname on the ro socket",
         out + err)

    # ...mutating is refused.  With -r the client library refuses by itself;
    # without -r the request reaches the daemon, which refuses it.
    tmp = tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False)
    tmp.write("<domain type='qemu'><name>rotest</name><memory>65536</memory>"
              "<os><type>hvm</type></os></domain>")
    tmp.close()
    try:
        rc, out, err = virsh(d, "define", tmp.name, ro_socket=True, readonly=True)
        t.ok(rc != 0 and "read only access prevents virDomainDefineXML" in err,
             "virsh -r define refused", out + err)
        rc, out, err = virsh(d, "define", tmp.name, ro_socket=True)
        if "unknown procedure" in err:
            t.skip("define on the ro socket refused by the daemon", "no domain procedures linked")
        else:
            t.ok(rc != 0 and "operation forbidden: read only access prevents" in err,
                 "define on the ro socket refused by the daemon", out + err)
        rc, out, err = virsh(d, "list", "--all", "--name")
        t.ok(rc != 0 or "rotest" not in out, "refused define left no domain", out + err)
    finally:
        os.unlink(tmp.name)

    # An unknown procedure becomes "not supported" on the client side.
    rc, out, err = virsh(d, "nodememstats")
    t.ok(rc != 0 and "unknown procedure: 228" in err, "unimplemented procedure: clean error",
         out + err)


if __name__ == "__main__":
    sys.exit(main())
