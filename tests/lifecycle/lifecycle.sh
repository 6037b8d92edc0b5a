#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One guest through its whole life with a real QEMU, as a user would run it:
# define → start → the serial marker (in the port's log and through
# `console`) → suspend/resume → shutdown (ACPI:
# shut off (shutdown)) → start → reboot → destroy (shut off (destroyed)) →
# undefine, and a transient guest (create → destroy); `event --all --loop`
# must see exactly the events libvirtd 9.0 sends for the same steps, and
# nothing may be left behind.
#
#   lifecycle.sh BUILD MODE CLIENT     MODE session|system, CLIENT virsh|sepvirsh
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
lc_init "$2" "$3"
lc_start_daemon
lc_events_start

dom=${LC_PREFIX}a
# A disk image frontd opens and hands to QEMU as an fd.
truncate -s 16M "$LC_TMP/disk.img"
lc_give_daemon "$LC_TMP/disk.img"
xml=$(lc_write_xml "$dom" "" "<disk type='file' device='disk'><driver name='qemu' type='raw'/>
      <source file='$LC_TMP/disk.img'/><target dev='vda' bus='virtio'/></disk>")

lc_check "define" lc_cli define "$xml"
lc_check "start" lc_cli start "$dom"
lc_check "running (booted)" lc_wait_state "$dom" "running (booted)" 5
lc_check "domid is 1" test "$(lc_cli domid "$dom")" = 1
lc_check "QEMU got the disk as an fd" grep -q '"filename":"/dev/fdset/1"' "$LC_LOGDIR/$dom.log"
lc_check "serial marker" lc_wait_serial "$dom" SEPVIRT-GUEST-READY 90
lc_check "serial marker through console" lc_console_expect "$dom" SEPVIRT-GUEST-READY

lc_check "suspend" lc_cli suspend "$dom"
lc_check "paused (user)" lc_wait_state "$dom" "paused (user)" 5
lc_check "resume" lc_cli resume "$dom"
lc_check "running (unpaused)" lc_wait_state "$dom" "running (unpaused)" 5
info=$(lc_cli dominfo "$dom")
lc_check "dominfo: CPU time counts" grep -qE '^CPU time: +[0-9.]+s' <<<"$info"

lc_check "shutdown powers off through ACPI" lc_shutdown_wait "$dom"
lc_check "shut off: no id" test "$(lc_cli domid "$dom")" = "-"

lc_check "start again" lc_cli start "$dom"
lc_check "running again" lc_wait_state "$dom" "running (booted)" 5
lc_check "a new id" test "$(lc_cli domid "$dom")" = 2
lc_check "serial marker again" lc_wait_serial "$dom" SEPVIRT-GUEST-READY 90
# The guest powers off on the button; the driver resets and runs it again.
sleep 1
lc_check "reboot" lc_cli reboot "$dom"
lc_check "the guest boots again" lc_wait_serial_count "$dom" SEPVIRT-GUEST-READY 2 90
lc_check "still running" lc_wait_state "$dom" "running (booted)" 5
lc_check "a reboot event" lc_wait_reboot "$dom"
lc_check "destroy" lc_cli destroy "$dom"
lc_check "shut off (destroyed)" lc_wait_state "$dom" "shut off (destroyed)" 5
lc_check_clean "after destroy"
lc_check "undefine" lc_cli undefine "$dom"

# A transient guest disappears when it stops.
tdom=${LC_PREFIX}t
txml=$(lc_write_xml "$tdom")
lc_check "create (transient)" lc_cli create "$txml"
lc_check "transient runs" lc_wait_state "$tdom" "running (booted)" 5
lc_check "transient destroyed" lc_cli destroy "$tdom"
lc_check "transient is gone" lc_not lc_cli dominfo "$tdom"

lc_wait_events "$dom" 13
lc_wait_events "$tdom" 4
want=$(cat <<'EOF'
Defined Added
Resumed Unpaused
Started Booted
Suspended Paused
Resumed Unpaused
Shutdown Finished after guest request
Stopped Shutdown
Resumed Unpaused
Started Booted
Shutdown Finished after host request
Stopped Destroyed
Undefined Removed
EOF
)
got=$(lc_events_of "$dom" | grep -v '^reboot$')
if [ "$got" = "$want" ]; then
    lc_ok "events of the persistent guest as libvirtd sends them"
else
    # shellcheck disable=SC2046
    lc_fail "events of the persistent guest as libvirtd sends them" $(diff <(echo "$want") <(echo "$got") | tr ' ' '_')
fi
twant=$(printf 'Resumed Unpaused\nStarted Booted\nShutdown Finished after host request\nStopped Destroyed\n')
got=$(lc_events_of "$tdom")
if [ "$got" = "$twant" ]; then
    lc_ok "events of the transient guest"
else
    # shellcheck disable=SC2046
    lc_fail "events of the transient guest" $(diff <(echo "$twant") <(echo "$got") | tr ' ' '_')
fi
lc_check_clean "at the end"
launcher=$LC_LAUNCHER
lc_stop_daemon
lc_check_cgroup_gone "$launcher"
