# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the benchmarks: start Debian's libvirtd (qemu:///system) so it
# touches no host state, and wait for a daemon's socket.
#
#   sv_start_libvirtd DIR NETNS LOG
#
# libvirtd runs as root in network namespace NETNS (created here; the caller
# deletes it) and a private mount namespace whose /run, /var/lib,
# /var/cache, /var/log, /etc/libvirt, /etc/passwd and /etc/group are
# temporary or copies under DIR; its socket is DIR/lvsock/libvirt-sock.
# QEMU runs as root without a security driver, cgroups or virtlogd: the
# cheapest configuration libvirtd offers.  Sets LIBVIRTD_PID and
# LIBVIRTD_URI; returns non-zero when the socket does not appear.

sv_start_libvirtd() {
  local dir=$1 ns=$2 log=$3
  mkdir -p "$dir/etc-libvirt" "$dir/lvsock"
  cat >"$dir/etc-libvirt/libvirtd.conf" <<EOF
unix_sock_dir = "$dir/lvsock"
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0700"
EOF
  cat >"$dir/etc-libvirt/qemu.conf" <<'EOF'
user = "root"
group = "root"
security_driver = "none"
stdio_handler = "file"
cgroup_controllers = [ ]
EOF
  # The qemu driver resolves its built-in user libvirt-qemu before it reads
  # qemu.conf; that account exists only once libvirt-daemon-system's
  # maintainer scripts ran, so the namespace gets passwd/group copies with it.
  cp /etc/passwd "$dir/passwd"
  cp /etc/group "$dir/group"
  getent passwd libvirt-qemu >/dev/null ||
    echo "libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin" >>"$dir/passwd"
  getent group libvirt-qemu >/dev/null || echo "libvirt-qemu:x:64055:" >>"$dir/group"
  getent group kvm >/dev/null || echo "kvm:x:64056:" >>"$dir/group"
  getent group libvirt >/dev/null || echo "libvirt:x:64057:" >>"$dir/group"
  ip netns add "$ns"
  # Every step execs, so $! is libvirtd itself.
  ip netns exec "$ns" unshare --mount --propagation private bash -euo pipefail -c '
    dir=$1
    for d in /run /var/lib /var/cache /var/log; do mount -t tmpfs tmpfs "$d"; mkdir "$d/libvirt"; done
    mount --bind "$dir/etc-libvirt" /etc/libvirt
    mount --bind "$dir/passwd" /etc/passwd
    mount --bind "$dir/group" /etc/group
    ip link set lo up
    exec libvirtd
  ' _ "$dir" >"$log" 2>&1 &
  LIBVIRTD_PID=$!
  LIBVIRTD_URI="qemu+unix:///system?socket=$dir/lvsock/libvirt-sock"
  sv_wait_socket "$dir/lvsock/libvirt-sock" libvirtd
}

# sv_wait_socket PATH WHAT: wait up to 20 s for the socket PATH that WHAT
# creates; non-zero, with a message, when it does not appear.
sv_wait_socket() {
  for _ in $(seq 400); do [ -S "$1" ] && return 0; sleep 0.05; done
  echo "bench: $2 did not create $1" >&2
  return 1
}
