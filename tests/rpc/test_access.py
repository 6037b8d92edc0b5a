# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sockets, configuration and access: socket modes from the config file,
max_clients, a bad config refused with its line, the pid file lock,
SO_PEERCRED refusal of another uid, and --libvirt-sockets (virsh and
python3-libvirt reach the daemon with a plain qemu:///session URI).

usage: test_access.py SEPVIRT_FRONTD
"""
import os
import socket
import stat
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svdaemon  # noqa: E402
from svdaemon import ERROR, OK, call  # noqa: E402

t = svdaemon.Tap()
NOBODY = 65534


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def modes_and_limits(binary):
    d = svdaemon.Daemon(binary, config='# test config\nunix_sock_rw_perms = "0770"\n'
                                       'unix_sock_ro_perms = 0750\nmax_clients = 3\n')
    try:
        t.ok(mode(d.sock) == 0o770 and mode(d.sock_ro) == 0o750,
             "socket modes from the config file", (oct(mode(d.sock)), oct(mode(d.sock_ro))))
        with open(os.path.join(d.run, "sepvirt-frontd.pid")) as f:
            t.ok(int(f.read()) == d.proc.pid, "pid file holds the daemon's pid")

        conns = [svdaemon.open_connection(d.sock) for _ in range(3)]
        extra = svdaemon.connect(d.sock, timeout=5)
        try:
            extra.sendall(call(66, 0))
            refused = svdaemon.recv_message(extra) is None
        except (ConnectionResetError, BrokenPipeError):
            refused = True
        t.ok(refused, "4th connection refused with max_clients = 3")
        extra.close()
        for c in conns:
            c.close()
        time.sleep(0.2)
        again = svdaemon.open_connection(d.sock)
        t.ok(again is not None, "a connection is accepted again once others closed")
        again.close()

        # A second daemon on the same runtime directory must refuse to start.
        p = subprocess.run([binary, "--session", "--runtime-dir", d.run, "--config-dir", d.conf,
                            "--state-dir", d.state], capture_output=True, text=True, timeout=30,
                           env=d.env)
        t.ok(p.returncode != 0 and "another sepvirt-frontd is running" in p.stderr,
             "second instance refused by the pid file lock", p.stderr)
        t.ok(d.alive() and os.path.exists(d.sock), "first instance unaffected")
    finally:
        d.stop()


def bad_config(binary):
    try:
        svdaemon.Daemon(binary, config="max_clients = 10\nunix_sock_rw_perm = 0700\n")
        t.ok(False, "unknown setting refused")
    except RuntimeError as e:
        t.ok("sepvirt-frontd.conf:2: unknown setting 'unix_sock_rw_perm'" in str(e),
             "unknown setting refused, naming file and line", e)
    try:
        svdaemon.Daemon(binary, config="unix_sock_ro_perms = 0999\n")
        t.ok(False, "bad mode refused")
    except RuntimeError as e:
        t.ok("invalid value '0999' for 'unix_sock_ro_perms'" in str(e), "bad octal mode refused", e)


def example_config(binary):
    """docs/examples/sepvirt-frontd.conf, every setting uncommented (but the
    group, which may not exist here), is accepted as it stands."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                        "examples", "sepvirt-frontd.conf")
    with open(path) as f:
        lines = [ln[1:] if ln.startswith("#") and "=" in ln and "unix_sock_group" not in ln
                 else ln for ln in f]
    settings = [ln.split("=")[0].strip() for ln in lines if not ln.startswith("#") and "=" in ln]
    d = svdaemon.Daemon(binary, config="".join(lines))
    try:
        t.ok(d.alive() and len(settings) == 6,
             "docs/examples/sepvirt-frontd.conf accepted with its %d settings" % len(settings),
             settings)
    finally:
        d.stop()


CLIENT = r"""
import os, socket, struct, sys
sys.path.insert(0, %r)
from svdaemon import call, recv_message, decode_error
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(%r)
s.sendall(call(66, 0))
h, p = recv_message(s)
print(h[5], *decode_error(p)[:2], decode_error(p)[2] if h[5] else "")
s.sendall(call(59, 1))
h, p = recv_message(s)
print(h[5], *decode_error(p)[:2], decode_error(p)[2] if h[5] else "")
"""


def other_uid(binary):
    if os.geteuid() != 0:
        t.skip("another uid is refused (SO_PEERCRED)", "needs root to run a client as nobody")
        return
    # Open the file modes so that only the daemon's own check stands.
    d = svdaemon.Daemon(binary, config='unix_sock_rw_perms = "0777"\n')
    try:
        for path in (d.tmp, d.run):
            os.chmod(path, 0o755)
        script = CLIENT % (os.path.dirname(os.path.abspath(__file__)), d.sock)
        p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=30, preexec_fn=lambda: os.setuid(NOBODY))
        lines = p.stdout.splitlines()
        t.ok(len(lines) == 2 and lines[0].startswith("%d 45 46 authentication failed" % ERROR),
             "AUTH_LIST from uid %d refused with AUTH_FAILED" % NOBODY, p.stdout + p.stderr)
        t.ok(len(lines) == 2 and lines[1] == "%d 39 7 authentication required" % ERROR,
             "other procedures: authentication required", p.stdout + p.stderr)
        # The daemon's own uid still gets [NONE].
        s = svdaemon.connect(d.sock)
        s.sendall(call(66, 0))
        h, payload = svdaemon.recv_message(s)
        s.close()
        t.ok(h[5] == OK and payload == struct.pack(">II", 1, 0), "own uid: AUTH_LIST = [NONE]")
    finally:
        d.stop()


def libvirt_sockets(binary):
    # The client library takes qemu:///session to mean the per-user socket
    # only when it does not run as root: as root, run daemon and clients
    # as nobody.
    uid = NOBODY if os.geteuid() == 0 else None
    d = svdaemon.Daemon(binary, extra_args=["--libvirt-sockets"], uid=uid)
    try:
        lvdir = os.path.join(d.env["XDG_RUNTIME_DIR"], "libvirt")
        t.ok(all(os.path.exists(os.path.join(lvdir, n)) for n in ("libvirt-sock", "virtqemud-sock")),
             "--libvirt-sockets: libvirt-sock and virtqemud-sock in $XDG_RUNTIME_DIR/libvirt")
        env = dict(d.env, LIBVIRT_AUTOSTART="0")
        env.pop("LIBVIRT_DEFAULT_URI", None)
        p = subprocess.run(["virsh", "-c", "qemu:///session", "hostname"], capture_output=True,
                           text=True, timeout=60, env=env, preexec_fn=d.preexec)
        t.ok(p.returncode == 0 and p.stdout.strip() == socket.gethostname(),
             "virsh -c qemu:///session reaches sepvirt-frontd", p.stdout + p.stderr)
        script = ("import libvirt; c = libvirt.open('qemu:///session'); "
                  "print(c.getType(), c.getURI()); c.close()")
        p = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True,
                           timeout=60, env=env, preexec_fn=d.preexec)
        t.ok(p.stdout.strip() == "QEMU qemu:///session", "python3-libvirt open('qemu:///session')",
             p.stdout + p.stderr)
    finally:
        run_dir = d.run
        d.stop()
    t.ok(not os.path.exists(os.path.join(run_dir, "sepvirt-frontd.pid")), "pid file removed at exit")


def main():
    binary = sys.argv[1]
    modes_and_limits(binary)
    bad_config(binary)
    example_config(binary)
    other_uid(binary)
    libvirt_sockets(binary)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
