#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Starts that cannot work fail with a clear error and leave nothing behind
# (session mode: no privileges, so a tap cannot be had either):
# a kernel QEMU cannot open, an unknown network, a bridge NIC without
# CAP_NET_ADMIN, an <emulator> that is not the configured QEMU, and no
# 'qemu' kind in spawn.conf.
#
#   errors.sh BUILD
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
lc_init session virsh
lc_start_daemon

# lc_fails NAME WANT CLI-ARGS...: the command fails and stderr says WANT.
lc_fails() {
    local name=$1 want=$2 err
    shift 2
    if err=$(lc_cli "$@" 2>&1 >/dev/null); then
        lc_fail "$name" "it succeeded"
    elif grep -qF -- "$want" <<<"$err"; then
        lc_ok "$name"
    else
        lc_fail "$name" "wanted: $want" "got: $err"
    fi
}

k=${LC_PREFIX}k
sed 's|<kernel>.*</kernel>|<kernel>/nonexistent/vmlinuz</kernel>|' "$(lc_write_xml "$k")" >"$LC_TMP/k2.xml"
chmod 644 "$LC_TMP/k2.xml"
lc_check "define (missing kernel)" lc_cli define "$LC_TMP/k2.xml"
lc_fails "QEMU's own error is reported" \
    "internal error: qemu unexpectedly closed the monitor: qemu: could not open kernel file '/nonexistent/vmlinuz'" \
    start "$k"
lc_check "shut off (failed)" lc_wait_state "$k" "shut off (failed)" 1

n=${LC_PREFIX}n
lc_check "define (unknown network)" lc_cli define "$(lc_write_xml "$n" "" \
    "<interface type='network'><source network='nope'/></interface>")"
lc_fails "unknown network" "Network not found: no network with matching name 'nope'" start "$n"

b=${LC_PREFIX}b
lc_check "define (bridge NIC)" lc_cli define "$(lc_write_xml "$b" "" \
    "<interface type='bridge'><source bridge='br0'/></interface>")"
lc_fails "no tap without privileges" "net helper: create tap: Operation not permitted" start "$b"

e=${LC_PREFIX}e
sed 's|<devices>|<devices><emulator>/usr/local/bin/my-qemu</emulator>|' "$(lc_write_xml "$e")" >"$LC_TMP/e2.xml"
chmod 644 "$LC_TMP/e2.xml"
lc_check "define (other emulator)" lc_cli define "$LC_TMP/e2.xml"
lc_fails "another emulator is refused" \
    "unsupported configuration: emulator '/usr/local/bin/my-qemu'" start "$e"

a=${LC_PREFIX}a
lc_check "define" lc_cli define "$(lc_write_xml "$a")"
lc_check "start" lc_cli start "$a"
lc_fails "start while running" "Domain is already active" start "$a"
lc_check "destroy" lc_cli destroy "$a"
lc_check_clean "after the failed starts"

# Without a 'qemu' kind the spawn helper refuses; the error says where.
# (An empty file: without any file session mode has QEMU by default.)
: >"$LC_HOME/.config/sepvirt/spawn.conf"
[ "$(id -u)" -eq 0 ] && chown "$LC_UID:$LC_UID" "$LC_HOME/.config/sepvirt/spawn.conf"
lc_stop_daemon
lc_start_daemon
lc_fails "no qemu kind in spawn.conf" "spawn.conf has no 'qemu' kind" start "$a"
lc_check_clean "at the end"
