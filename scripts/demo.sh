#!/usr/bin/env bash
# The main job: install, build, start sepvirt in session mode with its
# defaults, and boot a demo VM (a tiny Debian kernel + busybox guest, TCG).
#
#   scripts/demo.sh          start (or reuse) the daemon and boot the VM
#   scripts/demo.sh --stop   destroy the demo VM and stop the daemon
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

bash scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

export SEPVIRT_FRONTD=$src/build/frontd/sepvirt-frontd
export SEPVIRT_NETHELPER=$src/build/helpers/sepvirt-nethelper
export SEPVIRT_SPAWNHELPER=$src/build/helpers/sepvirt-spawnhelper
export LD_LIBRARY_PATH=$src/build/client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
sepvirsh=$src/build/client/sepvirsh
uri=qemu:///session

# Session mode is for ordinary users: when run as root, the demo runs the
# daemon and the client as the unprivileged user sepvirt-demo.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  id sepvirt-demo >/dev/null 2>&1 ||
    useradd --system --create-home --home-dir /var/lib/sepvirt-demo --shell /usr/sbin/nologin sepvirt-demo
  home=$(getent passwd sepvirt-demo | cut -d: -f6)
  uid=$(id -u sepvirt-demo)
  export HOME=$home XDG_RUNTIME_DIR=/tmp/sepvirt-demo-$uid
  unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME
  mkdir -p "$XDG_RUNTIME_DIR" && chown sepvirt-demo: "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  as_user=(setpriv --reuid=sepvirt-demo --regid=sepvirt-demo --init-groups)
elif [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR=/tmp/sepvirt-demo-$(id -u)
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi
run=$XDG_RUNTIME_DIR/sepvirt
conf=${XDG_CONFIG_HOME:-$HOME/.config}/sepvirt
sv() { "${as_user[@]}" "$sepvirsh" -c "$uri" "$@"; }

if [ "${1:-}" = "--stop" ]; then
  sv destroy demo 2>/dev/null || true
  sv undefine demo 2>/dev/null || true
  [ -f "$run/sepvirtd.pid" ] && kill "$(cat "$run/sepvirtd.pid")" 2>/dev/null || true
  echo "demo stopped"
  exit 0
fi

# Session mode runs with its defaults: without a spawn.conf in $conf the
# launcher lets QEMU and passt (user networking) run as this user.
"${as_user[@]}" mkdir -p "$conf"

if ! sv -q uri >/dev/null 2>&1; then
  echo "== starting sepvirtd --session (sockets in $run)"
  "${as_user[@]}" "$src/build/helpers/sepvirtd" --session >"$XDG_RUNTIME_DIR/sepvirtd.log" 2>&1 </dev/null &
  echo $! >"$XDG_RUNTIME_DIR/sepvirtd.pid"
  for _ in $(seq 100); do
    sv -q uri >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
mkdir -p "$run" && cp "$XDG_RUNTIME_DIR/sepvirtd.pid" "$run/sepvirtd.pid" 2>/dev/null || true

echo "== building the demo guest (Debian kernel + busybox)"
bash tests/guest/build-guest.sh build/guest >/dev/null
guest=$src/build/guest

"${as_user[@]}" tee "$XDG_RUNTIME_DIR/demo.xml" >/dev/null <<XML
<domain type='qemu'>
  <name>demo</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$guest/vmlinuz</kernel>
    <initrd>$guest/initrd.img</initrd>
    <cmdline>console=ttyS0 quiet sepvirt.heartbeat=1</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <interface type='user'><model type='virtio'/></interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
  </devices>
</domain>
XML

sv destroy demo >/dev/null 2>&1 || true
sv undefine demo >/dev/null 2>&1 || true
sv define "$XDG_RUNTIME_DIR/demo.xml"
sv start demo
sv list --all

echo "== waiting for the guest's serial console"
log=$(mktemp)
timeout 60 "${as_user[@]}" "$sepvirsh" -c "$uri" console demo </dev/null >"$log" 2>&1 &
cpid=$!
for _ in $(seq 120); do
  grep -q 'SEPVIRT-GUEST-READY\|SEPVIRT-HEARTBEAT' "$log" 2>/dev/null && break
  sleep 0.5
done
kill "$cpid" 2>/dev/null || true
wait "$cpid" 2>/dev/null || true
grep -a 'SEPVIRT-' "$log" | head -3
if ! grep -q 'SEPVIRT-' "$log"; then
  rm -f "$log"
  echo "demo: the guest did not print its marker" >&2
  exit 1
fi
rm -f "$log"
sv dominfo demo
cat <<MSG
== the demo VM runs.
   ${as_user[*]} env XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR $sepvirsh -c $uri console demo    (Ctrl-] leaves)
   ${as_user[*]} virsh -c 'qemu+unix:///session?socket=$run/sepvirt-sock' list
   bash scripts/demo.sh --stop
MSG
