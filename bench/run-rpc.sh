#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# RPC benchmark: the same python3-libvirt loop (N x lookupByName + info)
# against sepvirt-frontd and against Debian's libvirtd, in one run; prints
# calls/s of both, the ratio, and both daemons' RSS.
#
#   bench/run-rpc.sh [LOOPS]        (default 20000; needs root for libvirtd)
#
# sepvirt-frontd runs in session mode under a temporary directory.
# libvirtd (qemu:///system) runs inside a network namespace and a private
# mount namespace whose /run, /var/lib, /var/cache, /var/log and
# /etc/libvirt are empty tmpfs/private directories, so it starts no
# network, touches no host state and leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."
loops=${1:-20000}
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
cleanup() {
  [ -n "$fpid" ] && kill "$fpid" 2>/dev/null && wait "$fpid" 2>/dev/null || true
  if [ -f "$tmp/libvirtd.pid" ]; then
    kill "$(cat "$tmp/libvirtd.pid")" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- sepvirt-frontd ------------------------------------------------------
mkdir -p "$tmp/sv"
SEPVIRT_ROOT="$tmp/sv" XDG_RUNTIME_DIR="$tmp/sv/xdg" "$frontd" --session \
  --runtime-dir "$tmp/sv/run" --config-dir "$tmp/sv/config" --state-dir "$tmp/sv/state" \
  >"$tmp/frontd.log" 2>&1 &
fpid=$!
for _ in $(seq 200); do [ -S "$tmp/sv/run/sepvirt-sock" ] && break; sleep 0.05; done
"$py" bench/rpc_bench.py --label sepvirt-frontd --loops "$loops" --pid "$fpid" \
  --uri "qemu+unix:///session?socket=$tmp/sv/run/sepvirt-sock" >"$tmp/sv.json"
kill "$fpid"; wait "$fpid" 2>/dev/null || true; fpid=

# ---- libvirtd ------------------------------------------------------------
have_libvirtd=0
if [ "$(id -u)" -eq 0 ] && command -v libvirtd >/dev/null; then
  have_libvirtd=1
  mkdir -p "$tmp/etc-libvirt"
  cat >"$tmp/etc-libvirt/libvirtd.conf" <<'EOF'
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0700"
EOF
  # libvirtd's qemu driver resolves its built-in user libvirt-qemu before it
  # reads qemu.conf; that account exists only once the package's maintainer
  # scripts ran.  Give the namespace private passwd/group copies that have
  # it (the host's files are not touched); no guest is started, so the
  # driver may run as root.
  cat >"$tmp/etc-libvirt/qemu.conf" <<'EOF'
user = "root"
group = "root"
security_driver = "none"
EOF
  cp /etc/passwd "$tmp/passwd"
  cp /etc/group "$tmp/group"
  getent passwd libvirt-qemu >/dev/null ||
    echo "libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin" >>"$tmp/passwd"
  getent group libvirt-qemu >/dev/null || echo "libvirt-qemu:x:64055:" >>"$tmp/group"
  getent group kvm >/dev/null || echo "kvm:x:64056:" >>"$tmp/group"
  getent group libvirt >/dev/null || echo "libvirt:x:64057:" >>"$tmp/group"
  ip netns add "$ns"
  ip netns exec "$ns" unshare --mount --propagation private bash -euo pipefail -c '
    tmp=$1; loops=$2; py=$3
    for d in /run /var/lib /var/cache /var/log; do mount -t tmpfs tmpfs "$d"; mkdir "$d/libvirt"; done
    mount --bind "$tmp/etc-libvirt" /etc/libvirt
    mount --bind "$tmp/passwd" /etc/passwd
    mount --bind "$tmp/group" /etc/group
    ip link set lo up
    libvirtd --daemon --pid-file="$tmp/libvirtd.pid"
    for _ in $(seq 400); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.05; done
    pid=$(cat "$tmp/libvirtd.pid")
    "$py" bench/rpc_bench.py --label libvirtd --loops "$loops" --pid "$pid" \
      --uri qemu:///system >"$tmp/lv.json"
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$tmp/libvirtd.pid"
  ' _ "$tmp" "$loops" "$py"
fi

"$py" - "$tmp/sv.json" "$tmp/lv.json" "$have_libvirtd" <<'PY'
import json, sys, os, datetime, platform
sv = json.load(open(sys.argv[1]))
lv = json.load(open(sys.argv[2])) if sys.argv[3] == "1" and os.path.exists(sys.argv[2]) else None
print("RPC benchmark: %d x (lookupByName + info), python3-libvirt, %s, %d CPUs, %s"
      % (sv["loops"], platform.node(), os.cpu_count(), datetime.date.today()))
def row(r):
    print("  %-15s %9.0f loops/s  %9.0f RPCs/s   RSS %6d KiB before, %6d KiB after"
          % (r["label"], r["loops_per_s"], r["rpcs_per_s"], r["rss_before_kib"], r["rss_after_kib"]))
row(sv)
if lv:
    row(lv)
    ratio = sv["loops_per_s"] / lv["loops_per_s"]
    rss = sv["rss_after_kib"] / lv["rss_after_kib"]
    print("  speed ratio sepvirt/libvirtd: %.2fx (target >= 3x)   RSS ratio: %.3f (target <= 0.25)"
          % (ratio, rss))
else:
    print("  libvirtd: not run (needs root and libvirt-daemon-system:"
          " SV_WITH_LIBVIRTD=1 bash scripts/install-deps.sh)")
PY
