#!/usr/bin/env bash
# Install every Debian 12 package sepvirt needs to build and test.
# Idempotent and quiet when everything is already present.
set -euo pipefail

pkgs=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
  libxml2-dev libxml2-utils libtirpc-dev libgnutls28-dev gnutls-bin
  libnl-3-dev libnl-route-3-dev libseccomp-dev libcap-ng-dev libcmocka-dev
  qemu-system-x86 qemu-utils openvswitch-switch nftables iptables ebtables
  dnsmasq-base passt busybox-static socat iproute2 cpio
  libvirt-clients python3-libvirt
  libreadline-dev
)
if [ "${SV_WITH_LIBVIRTD:-0}" = 1 ]; then
  pkgs+=(libvirt-daemon-system)
fi

# System users: sepvirt-frontd runs as "sepvirt", spawned VMs as
# "sepvirt-qemu" (sepvirtd --system refuses to start without them).
if [ "$(id -u)" -eq 0 ]; then
  for u in sepvirt sepvirt-qemu; do
    getent passwd "$u" >/dev/null ||
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$u"
  done
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
