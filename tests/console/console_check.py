# SPDX-License-Identifier: LGPL-2.1-or-later
"""Console sessions on a real guest (tests/guest, booted with
sepvirt.heartbeat=1), for console_qemu.sh: one client's session shows what
the guest printed before (replayed: SEPVIRT-GUEST-READY) and its
heartbeat, runs a command in the guest's shell, detaches with Ctrl-];
a second session is refused, --force takes over and the forced-out one
ends with libvirt's error.

usage: console_check.py CLIENT URI DOMAIN [first]
  CLIENT: virsh or a sepvirsh path; first: this is the guest's first
  session, which starts with what the guest printed before (later ones
  get only what was printed while nobody was attached)

Prints "PASS what" / "FAIL what" lines (details as "# ..." lines).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ptyproc import PtyProc  # noqa: E402


def check(cond, what, proc=None):
    print("%s %s" % ("PASS" if cond else "FAIL", what))
    if not cond and proc is not None:
        for line in proc.text()[-1500:].splitlines():
            print("# " + line)
    sys.stdout.flush()
    return cond


def run_in_guest(proc, command, want):
    """Type command into the guest's shell until its output shows up (the
    shell may be between two lives: init restarts it on the serial port)."""
    for _ in range(3):
        mark = len(proc.out)
        proc.send(b"\r" + command + b"\r")
        if proc.expect(want, 10, start=mark):
            return True
    return False


def main():
    client, uri, dom = sys.argv[1:4]
    first = sys.argv[4:5] == ["first"]
    name = "virsh" if client == "virsh" else "sepvirsh"
    env = dict(os.environ, LANG="C", LC_ALL="C")

    def console(*extra):
        return PtyProc([client, "-c", uri, "console", dom] + list(extra), env=env)

    a = console()
    check(a.expect(b"Escape character is ^] (Ctrl + ])"), "%s console: attaches" % name, a)
    if first:
        check(a.expect(b"SEPVIRT-GUEST-READY", 20),
              "%s console: the boot marker printed before the session is shown" % name, a)
    mark = len(a.out)
    check(a.expect(b"SEPVIRT-HEARTBEAT", 20, start=mark), "%s console: live heartbeat" % name, a)
    # The arithmetic proves the guest's shell ran it (the echo of the
    # typed line holds no "hi-42").
    check(run_in_guest(a, b"echo hi-$((6*7))", b"hi-42"),
          "%s console: a command typed reaches the guest shell" % name, a)

    b = console()
    st = b.wait(30)
    check(st == 1 and b"error: operation failed: Active console session exists for this domain"
          in b.out, "%s console: a second session is refused" % name, b)

    c = console("--force")
    check(c.expect(b"Escape character is ^]"), "%s console --force attaches" % name, c)
    st = a.wait(30)
    check(st == 1 and b"error: stream had I/O failure" in a.out,
          "%s console: the first session is forced out" % name, a)
    check(run_in_guest(c, b"echo forced-$((40+2))", b"forced-42"),
          "%s console --force: the guest answers" % name, c)
    c.send(b"\x1d")
    st = c.wait(30)
    check(st == 0, "%s console: Ctrl-] detaches with status 0" % name, c)

    d = console()
    check(d.expect(b"SEPVIRT-HEARTBEAT", 20), "%s console: attaches again after the detach" % name, d)
    d.send(b"\x1d")
    check(d.wait(30) == 0, "%s console: detaches again" % name, d)
    for p in (a, b, c, d):
        p.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
