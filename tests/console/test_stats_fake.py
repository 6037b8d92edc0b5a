# SPDX-License-Identifier: LGPL-2.1-or-later
"""Monitoring commands against console-test-frontd (fake driver, fixed
numbers): stock virsh and sepvirsh must print exactly the same, on the
normal paths and the error paths (inactive domain, unknown device, guest
agent, read-only connection).

usage: test_stats_fake.py CONSOLE_TEST_FRONTD SEPVIRSH
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "rpc"))

from svdaemon import Daemon, Tap  # noqa: E402

DOMAIN_XML = """<domain type='qemu'>
  <name>fake</name>
  <memory unit='MiB'>64</memory>
  <vcpu current='1'>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices><serial type='pty'/></devices>
</domain>
"""

# Asked of the running domain (and again, where it matters, of the stopped one).
RUNNING = [
    ["domifstat", "fake", "vnet7"],
    ["domifstat", "fake", "52:54:00:aa:bb:cc"],
    ["domifstat", "fake", "vnet9"],
    ["domblkstat", "fake"],
    ["domblkstat", "fake", "vda"],
    ["domblkstat", "fake", "vda", "--human"],
    ["domblkstat", "fake", "--human"],
    ["domblkstat", "fake", "vdz"],
    ["dommemstat", "fake"],
    ["dommemstat", "fake", "--live"],
    ["dommemstat", "fake", "--current", "--live"],
    ["domcontrol", "fake"],
    ["domifaddr", "fake"],
    ["domifaddr", "fake", "--source", "arp"],
    ["domifaddr", "fake", "--source", "arp", "--full"],
    ["domifaddr", "fake", "--source", "arp", "--interface", "vnet7"],
    ["domifaddr", "fake", "--source", "arp", "--interface", "vnet8"],
    ["domifaddr", "fake", "--source", "agent"],
    ["domifaddr", "fake", "--source", "dhcp"],
    ["vcpucount", "fake"],
    ["vcpucount", "fake", "--maximum", "--live"],
    ["vcpucount", "fake", "--maximum", "--config"],
    ["vcpucount", "fake", "--active", "--live"],
    ["vcpucount", "fake", "--current"],
    ["vcpucount", "fake", "--maximum"],
    ["vcpucount", "fake", "--live"],
    ["vcpucount", "fake", "--guest"],
    ["vcpucount", "fake", "--active", "--maximum"],
    ["vcpucount", "fake", "--current", "--live"],
    ["domifstat", "nosuch", "vnet7"],
]

STOPPED = [
    ["domifstat", "fake", "vnet7"],
    ["domblkstat", "fake"],
    ["dommemstat", "fake"],
    ["domcontrol", "fake"],
    ["domifaddr", "fake"],
    ["vcpucount", "fake"],
    ["vcpucount", "fake", "--live"],
    ["vcpucount", "fake", "--config", "--maximum"],
]


def main():
    daemon_bin, sepvirsh = sys.argv[1], sys.argv[2]
    t = Tap()
    d = Daemon(daemon_bin)
    env = dict(d.env, LANG="C", LC_ALL="C")

    def run(tool, args, ro=False):
        argv = ["virsh"] if tool == "virsh" else [sepvirsh]
        argv += (["-r"] if ro else []) + ["-c", d.uri(ro=ro)] + args
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)

    def compare(args, ro=False, want_rc=None):
        v, s = run("virsh", args, ro), run(sepvirsh, args, ro)
        same = (v.returncode, v.stdout, v.stderr) == (s.returncode, s.stdout, s.stderr)
        what = "%s%s: sepvirsh prints what virsh prints" % ("-r " if ro else "", " ".join(args))
        t.ok(same and (want_rc is None or v.returncode == want_rc), what,
             "virsh rc=%d\n%s%s\nsepvirsh rc=%d\n%s%s" % (v.returncode, v.stdout, v.stderr,
                                                           s.returncode, s.stdout, s.stderr))
        return v

    try:
        xml = os.path.join(d.tmp, "fake.xml")
        with open(xml, "w") as f:
            f.write(DOMAIN_XML)
        t.ok(run("virsh", ["define", xml]).returncode == 0, "define")
        for args in STOPPED:
            compare(args)
        t.ok(run("virsh", ["start", "fake"]).returncode == 0, "start (fake driver)")
        for args in RUNNING:
            compare(args)
        # Statistics are for read-only connections too.
        for args in (["domifstat", "fake", "vnet7"], ["dommemstat", "fake"], ["domcontrol", "fake"],
                     ["vcpucount", "fake"], ["domifaddr", "fake", "--source", "arp"]):
            compare(args, ro=True, want_rc=0)
        r = compare(["domifaddr", "fake", "--source", "agent"], ro=True, want_rc=1)
        t.ok("read only access prevents virDomainInterfaceAddresses" in r.stderr,
             "-r domifaddr --source agent is refused", r.stderr)
        r = compare(["dommemstat", "fake"], want_rc=0)
        t.ok(r.stdout == "actual 131072\nunused 100000\nlast_update 1700000000\nrss 65536\n\n",
             "dommemstat shows the driver's stats in its order", r.stdout)
        t.ok(run("virsh", ["destroy", "fake"]).returncode == 0, "destroy")
        t.ok(run("virsh", ["undefine", "fake"]).returncode == 0, "undefine")
    finally:
        status = d.stop()
    t.ok(status == 0, "daemon exits cleanly on SIGTERM", status)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
