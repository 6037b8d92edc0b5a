#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Start and destroy latency of one daemon, through python3-libvirt.

    start_latency.py --uri URI --label L --xml FILE [--runs N] [--concurrent M]

FILE is a domain XML with @NAME@ where the name goes.  Sequential part: one
persistent guest is started (virDomainCreate: the call returns once its
vCPUs run, not paused) and destroyed N times; each call is timed.
Concurrent part: M guests are defined, then started at once from M threads
(one connection each); the wall time until all run is reported, then they
are destroyed at once.  Prints one JSON object.
"""
import argparse
import json
import statistics
import threading
import time

import libvirt


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def sequential(conn, tmpl, label, runs, settle):
    dom = conn.defineXML(tmpl.replace("@NAME@", "bench-%s" % label))
    starts, destroys = [], []
    try:
        for _ in range(runs):
            starts.append(timed(dom.create))
            if dom.state()[0] != libvirt.VIR_DOMAIN_RUNNING:
                raise SystemExit("%s: guest not running after create" % label)
            time.sleep(settle)
            destroys.append(timed(dom.destroy))
    finally:
        if dom.isActive():
            dom.destroy()
        dom.undefine()
    return starts, destroys


def concurrent(uri, conn, tmpl, label, n):
    names = ["bench-%s-c%02d" % (label, i) for i in range(n)]
    doms = [conn.defineXML(tmpl.replace("@NAME@", name)) for name in names]
    conns = [libvirt.open(uri) for _ in range(n)]
    each = [0.0] * n
    errors = []
    gate = threading.Barrier(n + 1)

    def run(i, op):
        d = conns[i].lookupByName(names[i])
        gate.wait()
        t0 = time.perf_counter()
        try:
            getattr(d, op)()
        except libvirt.libvirtError as e:
            errors.append(str(e))
        each[i] = time.perf_counter() - t0

    def wave(op):
        threads = [threading.Thread(target=run, args=(i, op)) for i in range(n)]
        for t in threads:
            t.start()
        gate.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        return time.perf_counter() - t0

    try:
        start_wall = wave("create")
        start_each = list(each)
        running = sum(1 for d in doms if d.state()[0] == libvirt.VIR_DOMAIN_RUNNING)
        destroy_wall = wave("destroy")
    finally:
        for d in doms:
            if d.isActive():
                d.destroy()
            d.undefine()
        for c in conns:
            c.close()
    if errors:
        raise SystemExit("%s: %d errors, first: %s" % (label, len(errors), errors[0]))
    return {"n": n, "running": running, "start_wall_s": start_wall,
            "start_median_s": statistics.median(start_each), "start_max_s": max(start_each),
            "destroy_wall_s": destroy_wall}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uri", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--xml", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--concurrent", type=int, default=0)
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds a guest runs before it is destroyed")
    a = ap.parse_args()
    tmpl = open(a.xml).read()
    conn = libvirt.open(a.uri)
    out = {"label": a.label}
    if a.runs:
        starts, destroys = sequential(conn, tmpl, a.label, a.runs, a.settle)
        out.update(starts=starts, destroys=destroys)
    if a.concurrent:
        out["concurrent"] = concurrent(a.uri, conn, tmpl, a.label, a.concurrent)
    conn.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
