#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Start and destroy latency of the same guest XML against sepvirtd and
# against Debian's libvirtd, in one run (bench/start_latency.py does the
# timing through python3-libvirt):
#   - start: virDomainCreate until it returns with the vCPUs running (the
#     paused -S phase is part of it, a --paused start is not measured);
#   - destroy: virDomainDestroy of a guest that ran for half a second;
#   - 20 guests started at once from 20 connections, then destroyed at once.
# Prints the medians and the ratio sepvirtd/libvirtd.
#
#   bench/start.sh [RUNS [CONCURRENT [ROUNDS]]]     (default 6 20 2)
#
# RUNS starts per daemon and round; rounds alternate between the daemons so
# that other load on the machine hits both alike (median of RUNS x ROUNDS).
# Needs root: sepvirtd runs in system mode (`sepvirtd --system --root DIR`,
# VMs as sepvirt-qemu) and libvirtd as qemu:///system, each in a network
# namespace of its own; libvirtd also in a private mount namespace (its
# /run, /var/lib, /var/cache, /var/log and /etc/libvirt are temporary), so
# neither touches host state.  The guest is the TCG test guest
# (tests/guest/build-guest.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-6}
conc=${2:-20}
rounds=${3:-2}
build=${SV_BUILD:-build}
py=/usr/bin/python3

if [ "$(id -u)" -ne 0 ]; then
  echo "bench/start.sh: needs root (system-mode daemons)" >&2
  exit 1
fi
command -v libvirtd >/dev/null || {
  echo "bench/start.sh: libvirtd missing (SV_WITH_LIBVIRTD=1 bash scripts/install-deps.sh)" >&2
  exit 1
}
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null
build=$(realpath "$build")
bash tests/guest/build-guest.sh "$build/guest" >&2

tmp=$(mktemp -d /tmp/sv-bench-start.XXXXXX)
chmod 755 "$tmp"
ns_sv=svbst-sv-$$
ns_lv=svbst-lv-$$
spid=
LIBVIRTD_PID=
cleanup() {
  # Guests of this run first (their names carry the labels below).
  for p in $(pgrep -f "guest=bench-(sv|lv)$$" || true); do kill -KILL "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in $spid $LIBVIRTD_PID; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  ip netns del "$ns_sv" 2>/dev/null || true
  ip netns del "$ns_lv" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=bench/start-libvirtd.sh
. bench/start-libvirtd.sh

cat >"$tmp/guest.xml" <<EOF
<domain type='qemu'>
  <name>@NAME@</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$build/guest/vmlinuz</kernel>
    <initrd>$build/guest/initrd.img</initrd>
    <cmdline>console=ttyS0 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='none'/>
  </devices>
</domain>
EOF

# ---- sepvirtd (system mode, private root) --------------------------------
mkdir -p "$tmp/sv/config"
printf 'qemu /usr/bin/qemu-system-x86_64 sepvirt-qemu sepvirt-qemu devices=kvm,net/tun\n' \
  >"$tmp/sv/config/spawn.conf"
chmod 644 "$tmp/sv/config/spawn.conf"
ip netns add "$ns_sv"
ip netns exec "$ns_sv" env SEPVIRT_FRONTD="$build/frontd/sepvirt-frontd" \
  "$build/helpers/sepvirtd" --system --root "$tmp/sv" >"$tmp/sepvirtd.log" 2>&1 &
spid=$!
sv_wait_socket "$tmp/sv/run/sepvirt-sock" sepvirtd
sv_uri="qemu+unix:///system?socket=$tmp/sv/run/sepvirt-sock"

# ---- libvirtd (qemu:///system, private namespaces) ------------------------
sv_start_libvirtd "$tmp/lv" "$ns_lv" "$tmp/libvirtd.log"
lv_uri=$LIBVIRTD_URI

# ---- measure ---------------------------------------------------------------
for r in $(seq "$rounds"); do
  "$py" bench/start_latency.py --uri "$sv_uri" --label "sv$$" --xml "$tmp/guest.xml" \
    --runs "$runs" >>"$tmp/sv.json"
  "$py" bench/start_latency.py --uri "$lv_uri" --label "lv$$" --xml "$tmp/guest.xml" \
    --runs "$runs" >>"$tmp/lv.json"
done
"$py" bench/start_latency.py --uri "$sv_uri" --label "sv$$" --xml "$tmp/guest.xml" \
  --runs 0 --concurrent "$conc" >>"$tmp/sv.json"
"$py" bench/start_latency.py --uri "$lv_uri" --label "lv$$" --xml "$tmp/guest.xml" \
  --runs 0 --concurrent "$conc" >>"$tmp/lv.json"

"$py" - "$tmp/sv.json" "$tmp/lv.json" <<'PY'
import datetime, json, os, platform, statistics, sys

def load(path):
    runs = [json.loads(line) for line in open(path)]
    starts = [s for r in runs for s in r.get("starts", [])]
    destroys = [s for r in runs for s in r.get("destroys", [])]
    conc = [r["concurrent"] for r in runs if "concurrent" in r][0]
    return starts, destroys, conc

sv, lv = load(sys.argv[1]), load(sys.argv[2])
ms = lambda s: s * 1000
print("Start/destroy benchmark: same TCG guest XML, python3-libvirt; %s, %d CPUs, %s"
      % (platform.node(), os.cpu_count(), datetime.date.today()))
print("  %-10s %14s %14s %14s %14s" % ("", "start median", "start min-max", "destroy median",
                                       "destroy min-max"))
for name, (st, de, _) in (("sepvirtd", sv), ("libvirtd", lv)):
    print("  %-10s %11.1f ms %6.0f-%-5.0f ms %11.1f ms %6.0f-%-5.0f ms  (n=%d)"
          % (name, ms(statistics.median(st)), ms(min(st)), ms(max(st)),
             ms(statistics.median(de)), ms(min(de)), ms(max(de)), len(st)))
rs = statistics.median(sv[0]) / statistics.median(lv[0])
rd = statistics.median(sv[1]) / statistics.median(lv[1])
print("  ratio sepvirtd/libvirtd: start %.3f (target <= 0.5), destroy %.3f" % (rs, rd))
for name, (_, _, c) in (("sepvirtd", sv), ("libvirtd", lv)):
    print("  %-10s %d guests at once: all running after %.2f s (per call median %.2f s, max %.2f s, "
          "%d running); destroyed at once in %.2f s"
          % (name, c["n"], c["start_wall_s"], c["start_median_s"], c["start_max_s"], c["running"],
             c["destroy_wall_s"]))
PY
