#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the guest's own power-off and reboot lead to (on_poweroff,
# on_reboot), with the events libvirt sends for them:
#   - on_poweroff restart: an ACPI power-off resets and restarts the guest,
#     without lifecycle events;
#   - on_poweroff preserve: the guest stays "in shutdown" until destroyed;
#   - on_reboot destroy: a reboot inside the guest ends it (shut off
#     (shutdown)), with SHUTDOWN/GUEST then STOPPED/SHUTDOWN;
#   - a reboot inside the guest with on_reboot restart: a REBOOT event and
#     it keeps running.
#
#   actions.sh BUILD MODE          MODE session|system
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
lc_init "$2" virsh
command -v socat >/dev/null || lc_skip_all "socat not installed"
lc_start_daemon
lc_events_start

# define_boot NAME XML-AFTER-FEATURES: define, start, wait for the marker.
define_boot() {
    lc_check "define $1 ${2:-}" lc_cli define "$(LC_XML_EXTRA=${2:-} lc_write_xml "$1")"
    lc_check "start $1" lc_cli start "$1"
    lc_check "$1 boots" lc_wait_serial "$1" SEPVIRT-GUEST-READY 90
}

# on_poweroff restart
p=${LC_PREFIX}p
define_boot "$p" "<on_poweroff>restart</on_poweroff>"
sleep 1
lc_check "ACPI power-off" lc_cli shutdown "$p"
lc_check "the guest boots again" lc_wait_serial_count "$p" SEPVIRT-GUEST-READY 2 90
lc_check "still running" lc_wait_state "$p" "running (booted)" 5
lc_check "destroy" lc_cli destroy "$p"
got=$(lc_events_of "$p" | grep -v '^reboot$' | tr '\n' ',')
# libvirt announces no SHUTDOWN for a domain whose power-off restarts it,
# not even for the SIGTERM of a destroy.
lc_check "no Shutdown/Stopped event for the restart ($got)" \
    test "$got" = "Defined Added,Resumed Unpaused,Started Booted,Stopped Destroyed,"

# on_poweroff preserve
k=${LC_PREFIX}k
define_boot "$k" "<on_poweroff>preserve</on_poweroff>"
sleep 1
lc_check "ACPI power-off" lc_cli shutdown "$k"
lc_check "powers off" lc_wait_serial "$k" SEPVIRT-POWEROFF 30
lc_check "kept: in shutdown" lc_wait_state "$k" "in shutdown (unknown)" 5
sleep 1
lc_check "still in shutdown" lc_wait_state "$k" "in shutdown (unknown)" 1
lc_check "destroy" lc_cli destroy "$k"
lc_check "shut off (destroyed)" lc_wait_state "$k" "shut off (destroyed)" 5

# on_reboot destroy: a reboot inside the guest ends it
r=${LC_PREFIX}r
define_boot "$r" "<on_reboot>destroy</on_reboot>"
lc_check "reboot -f inside the guest" lc_serial_type "$r" "reboot -f"
lc_check "shut off (shutdown)" lc_wait_state "$r" "shut off (shutdown)" 30
lc_wait_events "$r" 5
got=$(lc_events_of "$r" | tr '\n' ',')
lc_check "events ($got)" test "$got" = \
    "Defined Added,Resumed Unpaused,Started Booted,Shutdown Finished after guest request,Stopped Shutdown,"

# on_reboot restart (the default): QEMU resets itself
b=${LC_PREFIX}b
define_boot "$b"
lc_check "reboot -f inside the guest" lc_serial_type "$b" "reboot -f"
lc_check "boots again" lc_wait_serial_count "$b" SEPVIRT-GUEST-READY 2 90
lc_check "a reboot event" lc_wait_reboot "$b"
lc_check "still running (booted)" lc_wait_state "$b" "running (booted)" 5
lc_check "destroy" lc_cli destroy "$b"
for d in "$p" "$k" "$r" "$b"; do lc_cli undefine "$d" >/dev/null; done
lc_check_clean "at the end"
launcher=$LC_LAUNCHER
lc_stop_daemon
lc_check_cgroup_gone "$launcher"
