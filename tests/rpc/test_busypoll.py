# SPDX-License-Identifier: LGPL-2.1-or-later
"""The event loop's adaptive busy polling (frontd/busypoll.h): calls are
answered with it on (the default) and off (busy_poll_us = 0), an idle
daemon stops polling right after a burst of calls and after sparse calls,
and out-of-range values are refused with the config line.

usage: test_busypoll.py SEPVIRT_FRONTD
"""
import os
import sys
import time

import libvirt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svdaemon  # noqa: E402

t = svdaemon.Tap()
TICK = os.sysconf("SC_CLK_TCK")
CPUS = sorted(os.sched_getaffinity(0))


def cpu_seconds(pid):
    """user + system CPU time of every thread of pid."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def sleeps(pid):
    """Times any thread of pid blocked (voluntary context switches)."""
    n = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        n += int(line.split()[1])
        except FileNotFoundError:
            pass
    return n


def idle_cpu(pid, seconds=1.0):
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return cpu_seconds(pid) - before


def split_cpus(d):
    """Daemon on one CPU, this client on another, when there are two: left
    alone, the scheduler may put both on one CPU, where the client runs
    while the daemon waits and polling rightly turns itself off."""
    if len(CPUS) < 2:
        return False
    for tid in os.listdir("/proc/%d/task" % d.proc.pid):
        os.sched_setaffinity(int(tid), {CPUS[0]})
    os.sched_setaffinity(0, {CPUS[1]})
    return True


def burst(d, label, calls=3000):
    """Returns how often the daemon slept during the back-to-back calls, or
    None when it could not be given a CPU of its own."""
    split = split_cpus(d)
    conn = libvirt.open(d.uri())
    try:
        conn.defineXML("<domain type='qemu'><name>bp</name><memory>65536</memory>"
                       "<os><type>hvm</type></os></domain>")
        ok = 0
        before = cpu_seconds(d.proc.pid)
        slept = sleeps(d.proc.pid)
        for _ in range(calls):
            if conn.lookupByName("bp").info()[0] == libvirt.VIR_DOMAIN_SHUTOFF:
                ok += 1
        slept = sleeps(d.proc.pid) - slept
        t.ok(ok == calls, "%s: %d back-to-back lookupByName+info answered "
             "(daemon CPU %.2f s, slept %d times)"
             % (label, calls, cpu_seconds(d.proc.pid) - before, slept), "%d of %d" % (ok, calls))
        # Sparse calls, 20 ms apart, as a monitoring tool makes them.
        before = cpu_seconds(d.proc.pid)
        for _ in range(50):
            conn.getHostname()
            time.sleep(0.02)
        used = cpu_seconds(d.proc.pid) - before
        t.ok(used < 0.25, "%s: 50 calls 20 ms apart cost the daemon %.2f s of CPU (< 0.25)"
             % (label, used))
    finally:
        conn.close()
    used = idle_cpu(d.proc.pid)
    t.ok(used < 0.1, "%s: idle daemon after the calls uses %.2f s CPU in 1 s (< 0.1)"
         % (label, used))
    return slept if split else None


def main():
    binary = sys.argv[1]
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    slept = {}
    for label, config in (("default (polling on)", None),
                          ("busy_poll_us = 10000", "busy_poll_us = 10000\n"),
                          ("busy_poll_us = 0", "busy_poll_us = 0\n")):
        d = svdaemon.Daemon(binary, config=config)
        try:
            slept[label] = burst(d, label)
            t.ok(d.alive(), "%s: daemon still up" % label)
        finally:
            t.ok(d.stop() == 0, "%s: daemon exits cleanly" % label)
    # Without polling the loop thread blocks in epoll_wait between any two
    # calls; polling catches the next call instead.  A 10 ms window covers
    # even a client that is preempted now and then on a loaded machine.
    if None in slept.values():
        t.skip("the loop polled between calls", "needs two CPUs")
    else:
        t.ok(slept["busy_poll_us = 10000"] * 4 < slept["busy_poll_us = 0"],
             "the loop polled between calls: slept %d times with polling, %d without"
             % (slept["busy_poll_us = 10000"], slept["busy_poll_us = 0"]))
    for value in ("10001", "-1", "lots"):
        try:
            svdaemon.Daemon(binary, config="max_clients = 8\nbusy_poll_us = %s\n" % value)
            t.ok(False, "busy_poll_us = %s refused" % value)
        except RuntimeError as e:
            t.ok("sepvirt-frontd.conf:2: invalid value '%s' for 'busy_poll_us'" % value in str(e),
                 "busy_poll_us = %s refused, naming file and line" % value, e)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
