#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# RPC benchmark: the same python3-libvirt loop (N x lookupByName + info)
# against sepvirt-frontd and against Debian's libvirtd, in one run; prints
# calls/s of both, the ratio, and both daemons' RSS.
#
#   bench/run-rpc.sh [LOOPS [ROUNDS]]   (default 20000 loops, 3 rounds)
#   SV_BENCH_CPU=N bench/run-rpc.sh ... both daemons (every thread) and the
#                                       client run on CPU N only
#
# Both daemons run side by side and the rounds alternate between them, so
# that load from elsewhere on the machine hits both alike; the median
# round of each is reported.  RSS is read after the last round.
#
# sepvirt-frontd runs in session mode under a temporary directory.
# libvirtd (qemu:///system; needs root and libvirt-daemon-system) runs in a
# network namespace and a private mount namespace whose /run, /var/lib,
# /var/cache, /var/log, /etc/libvirt, /etc/passwd and /etc/group are
# private, with its socket in the temporary directory: it starts no
# network, touches no host state and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
loops=${1:-20000}
rounds=${2:-3}
build=${SV_BUILD:-build}
py=/usr/bin/python3

if [ ! -x "$build/frontd/sepvirt-frontd" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
  ninja -C "$build" frontd/sepvirt-frontd >/dev/null
fi
frontd=$(realpath "$build/frontd/sepvirt-frontd")

tmp=$(mktemp -d /tmp/sv-bench-rpc.XXXXXX)
ns=svbench-rpc-$$
fpid=
lpid=
cleanup() {
  for p in $fpid $lpid; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=bench/start-libvirtd.sh
. bench/start-libvirtd.sh

# ---- sepvirt-frontd ------------------------------------------------------
mkdir -p "$tmp/sv"
SEPVIRT_ROOT="$tmp/sv" XDG_RUNTIME_DIR="$tmp/sv/xdg" "$frontd" --session \
  --runtime-dir "$tmp/sv/run" --config-dir "$tmp/sv/config" --state-dir "$tmp/sv/state" \
  >"$tmp/frontd.log" 2>&1 &
fpid=$!
sv_wait_socket "$tmp/sv/run/sepvirt-sock" sepvirt-frontd

# ---- libvirtd ------------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v libvirtd >/dev/null; then
  sv_start_libvirtd "$tmp" "$ns" "$tmp/libvirtd.log"
  lpid=$LIBVIRTD_PID
fi

# ---- optional: everything on one CPU ------------------------------------
# Unpinned, the scheduler puts a client and the daemon thread it wakes on
# different CPUs whenever one is idle, so every call pays two cross-CPU
# wake-ups; on a virtual machine each is an IPI to a halted vCPU and costs
# more than the call itself.  On one CPU the wake-ups are plain context
# switches, and the figures show what each daemon costs per call.
pin=()
if [ -n "${SV_BENCH_CPU:-}" ]; then
  for p in $fpid $lpid; do taskset -a -p -c "$SV_BENCH_CPU" "$p" >/dev/null; done
  pin=(taskset -c "$SV_BENCH_CPU")
fi

# ---- alternate rounds ----------------------------------------------------
for r in $(seq "$rounds"); do
  "${pin[@]}" "$py" bench/rpc_bench.py --label sepvirt-frontd --loops "$loops" --pid "$fpid" \
    --uri "qemu+unix:///session?socket=$tmp/sv/run/sepvirt-sock" >>"$tmp/sv.json"
  if [ -n "$lpid" ]; then
    "${pin[@]}" "$py" bench/rpc_bench.py --label libvirtd --loops "$loops" --pid "$lpid" \
      --uri "qemu+unix:///system?socket=$tmp/lvsock/libvirt-sock" >>"$tmp/lv.json"
  fi
done

"$py" - "$tmp/sv.json" "$tmp/lv.json" <<'PY'
import datetime, json, os, platform, statistics, sys

def load(path):
    if not os.path.exists(path):
        return None
    runs = [json.loads(line) for line in open(path)]
    med = statistics.median(r["loops_per_s"] for r in runs)
    return {"label": runs[0]["label"], "loops": runs[0]["loops"], "rounds": len(runs),
            "loops_per_s": med, "all": [r["loops_per_s"] for r in runs],
            "rss_before_kib": runs[0]["rss_before_kib"], "rss_after_kib": runs[-1]["rss_after_kib"]}

sv, lv = load(sys.argv[1]), load(sys.argv[2])
pin = os.environ.get("SV_BENCH_CPU")
print("RPC benchmark: %d x (lookupByName + info) per round, median of %d rounds, "
      "python3-libvirt; %s, %d CPUs%s, load %.1f, %s"
      % (sv["loops"], sv["rounds"], platform.node(), os.cpu_count(),
         " (daemons and client on CPU %s)" % pin if pin else "", os.getloadavg()[0],
         datetime.date.today()))
for r in (sv, lv):
    if r:
        print("  %-15s %8.0f loops/s %8.0f RPCs/s  (rounds: %s)  RSS %6d KiB fresh, %6d KiB after"
              % (r["label"], r["loops_per_s"], 2 * r["loops_per_s"],
                 " ".join("%.0f" % x for x in r["all"]), r["rss_before_kib"], r["rss_after_kib"]))
if lv:
    print("  speed ratio sepvirt/libvirtd: %.2fx (target >= 3x)   RSS ratio: %.3f (target <= 0.25)"
          % (sv["loops_per_s"] / lv["loops_per_s"], sv["rss_after_kib"] / lv["rss_after_kib"]))
else:
    print("  libvirtd: not run (needs root and libvirt-daemon-system:"
          " SV_WITH_LIBVIRTD=1 bash scripts/install-deps.sh)")
PY

# ---- the kernel's floor, for reading the figures above --------------------
if command -v cc >/dev/null && cc -O2 -o "$tmp/pingpong" bench/pingpong.c 2>/dev/null; then
  "$tmp/pingpong" 50000
fi
