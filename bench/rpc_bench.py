# SPDX-License-Identifier: LGPL-2.1-or-later
"""RPC round-trip benchmark with python3-libvirt: N x (lookupByName + info)
against one daemon; prints one JSON line with loops/s, RPCs/s and the
daemon's RSS before and after.

usage: /usr/bin/python3 rpc_bench.py --uri URI --pid PID [--loops N] [--name NAME]

The domain NAME is defined first (a small inactive TCG domain) and
undefined afterwards when the benchmark created it.
"""
import argparse
import json
import sys
import time

import libvirt

DOMAIN_XML = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='KiB'>65536</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
</domain>
"""


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uri", required=True)
    ap.add_argument("--pid", type=int, required=True, help="daemon pid, for its RSS")
    ap.add_argument("--loops", type=int, default=20000)
    ap.add_argument("--name", default="svbench")
    ap.add_argument("--label", default="daemon")
    a = ap.parse_args()

    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    rss_before = rss_kib(a.pid)
    conn = libvirt.open(a.uri)
    created = False
    try:
        conn.lookupByName(a.name)
    except libvirt.libvirtError:
        conn.defineXML(DOMAIN_XML.format(name=a.name))
        created = True

    for _ in range(500):                       # warm-up
        conn.lookupByName(a.name).info()
    t0 = time.perf_counter()
    for _ in range(a.loops):
        conn.lookupByName(a.name).info()
    elapsed = time.perf_counter() - t0
    rss_after = rss_kib(a.pid)

    if created:
        conn.lookupByName(a.name).undefine()
    conn.close()
    print(json.dumps({
        "label": a.label,
        "loops": a.loops,
        "seconds": round(elapsed, 3),
        "loops_per_s": round(a.loops / elapsed, 1),
        "rpcs_per_s": round(2 * a.loops / elapsed, 1),
        "rss_before_kib": rss_before,
        "rss_after_kib": rss_after,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
