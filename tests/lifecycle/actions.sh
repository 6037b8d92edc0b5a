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

# on_poweroff restart
p=${LC_PREFIX}p
lc_check "define (on_poweroff restart)" \
    lc_cli define "$(LC_XML_EXTRA="<on_poweroff>restart</on_poweroff>" lc_write_xml "$p")"
lc_check "start" lc_cli start "$p"
lc_check "boots" lc_wait_serial "$p" SEPVIRT-GUEST-READY 90
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
lc_check "define (on_poweroff preserve)" \
    lc_cli define "$(LC_XML_EXTRA="<on_poweroff>preserve</on_poweroff>" lc_write_xml "$k")"
lc_check "start" lc_cli start "$k"
lc_check "boots" lc_wait_serial "$k" SEPVIRT-GUEST-READY 90
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
lc_check "define (on_reboot destroy)" \
    lc_cli define "$(LC_XML_EXTRA="<on_reboot>destroy</on_reboot>" lc_write_xml "$r")"
lc_check "start" lc_cli start "$r"
lc_check "boots" lc_wait_serial "$r" SEPVIRT-GUEST-READY 90
lc_check "reboot -f inside the guest" lc_serial_type "$r" "reboot -f"
lc_check "shut off (shutdown)" lc_wait_state "$r" "shut off (shutdown)" 30
lc_wait_events "$r" 5
got=$(lc_events_of "$r" | tr '\n' ',')
lc_check "events ($got)" test "$got" = \
    "Defined Added,Resumed Unpaused,Started Booted,Shutdown Finished after guest request,Stopped Shutdown,"

# on_reboot restart (the default): QEMU resets itself
b=${LC_PREFIX}b
lc_check "define" lc_cli define "$(lc_write_xml "$b")"
lc_check "start" lc_cli start "$b"
lc_check "boots" lc_wait_serial "$b" SEPVIRT-GUEST-READY 90
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
