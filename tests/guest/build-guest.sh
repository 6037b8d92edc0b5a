#!/usr/bin/env bash
# Build the tiny test guest from Debian packages: a Debian 6.1 kernel and an
# initramfs of busybox-static plus the virtio/ACPI modules.  Nothing built
# here is committed; the result is cached in OUTDIR.
#
#   tests/guest/build-guest.sh OUTDIR     → OUTDIR/vmlinuz, OUTDIR/initrd.img
#
# Guest behaviour (kernel command line knobs, all optional):
#   prints "SEPVIRT-GUEST-READY" on the serial console once init runs;
#   busybox acpid powers the guest off on the ACPI power button;
#   sepvirt.ip=A.B.C.D/N     configure eth0 (virtio-net) with that address
#   sepvirt.ping=A.B.C.D     ping that peer, print SEPVIRT-PING-OK/FAIL
#   sepvirt.heartbeat=1      print "SEPVIRT-HEARTBEAT n" every second
# A shell runs on the serial console (ttyS0).
set -euo pipefail

out=${1:?usage: build-guest.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Bump when the guest changes, so cached guests are rebuilt.
format=2
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] &&
   [ "$(cat "$out/format" 2>/dev/null)" = "$format" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kernel package linux-image-amd64 currently depends on.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kpkg" ]; then
  apt-get update -qq
  kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$kpkg" ] || { echo "build-guest: cannot find a linux-image package" >&2; exit 1; }
(cd "$work" && apt-get download "$kpkg" >/dev/null 2>&1) || {
  echo "build-guest: apt-get download $kpkg failed" >&2; exit 1; }
dpkg-deb -x "$work"/linux-image-*.deb "$work/k"
kver=$(ls "$work/k/lib/modules" | head -1)

[ -x /bin/busybox ] && file_is_static=$(ldd /bin/busybox 2>&1 | grep -c 'not a dynamic' || true)
if [ "${file_is_static:-0}" = 0 ]; then
  echo "build-guest: /bin/busybox is not busybox-static (install busybox-static)" >&2; exit 1
fi

root="$work/root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc/acpi/PWRF,lib/modules,usr/bin,usr/sbin,run,var/run}
cp /bin/busybox "$root/bin/busybox"
# Load order matters: dependencies first.
mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover
virtio_net virtio_blk virtio_console virtio_balloon virtio-rng button evdev"
for m in $mods; do
  f=$(find "$work/k/lib/modules/$kver" -name "$m.ko*" | head -1)
  [ -n "$f" ] || { echo "build-guest: module $m missing from $kpkg" >&2; exit 1; }
  case "$f" in
    *.ko.xz) xz -dc "$f" > "$root/lib/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$f" > "$root/lib/modules/$m.ko" ;;
    *) cp "$f" "$root/lib/modules/$m.ko" ;;
  esac
done
echo "$mods" | tr ' \n' '  ' > "$root/lib/modules/order"

cat > "$root/etc/acpi/PWRF/00000080" <<'SH'
#!/bin/sh
echo "SEPVIRT-POWEROFF" > /dev/ttyS0
poweroff -f
SH
chmod +x "$root/etc/acpi/PWRF/00000080"

cat > "$root/init" <<'SH'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko 2>/dev/null; done
echo "SEPVIRT-GUEST-READY" > /dev/ttyS0
acpid -c /etc/acpi -l /tmp/acpid.log
ip link set lo up
arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p" | head -1; }
addr=$(arg sepvirt.ip)
peer=$(arg sepvirt.ping)
if [ -n "$addr" ]; then
  i=0
  while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
  ip addr add "$addr" dev eth0
  ip link set eth0 up
fi
if [ -n "$peer" ]; then
  if ping -c 3 -W 2 "$peer" >/dev/null 2>&1 || ping -c 5 -W 2 "$peer" >/dev/null 2>&1; then
    echo "SEPVIRT-PING-OK" > /dev/ttyS0
  else
    echo "SEPVIRT-PING-FAIL" > /dev/ttyS0
  fi
fi
if [ "$(arg sepvirt.heartbeat)" = 1 ]; then
  ( n=0; while true; do echo "SEPVIRT-HEARTBEAT $n" > /dev/ttyS0; n=$((n+1)); sleep 1; done ) &
fi
while true; do setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'; done
SH
chmod +x "$root/init"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.img.tmp"
cp "$work/k/boot/vmlinuz-$kver" "$out/vmlinuz.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
echo "$format" > "$out/format"
echo "build-guest: $kpkg → $out"
