#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Guests outlive sepvirt-frontd (DESIGN invariant 3):
#   - kill -9 frontd while three guests run (one paused, one transient):
#     the launcher restarts it, and it lists them running with the same
#     ids and states; they can be shut down afterwards;
#   - kill -9 a QEMU: the guest goes shut off (crashed), STOPPED/FAILED;
#   - kill -9 of the spawn and net helpers: the guest runs on and is ended
#     through the restarted helpers;
#   - a QEMU that dies while frontd is down: after the restart the guest is
#     shut off (crashed) and nothing of it is left;
#   - sepvirtd itself stops and starts again: a running guest is adopted
#     (though the new spawn helper did not start it) and an autostart guest
#     starts.
# In system mode the daemon runs in a network namespace and one guest has
# a tap on a bridge: its device survives the restart and goes with it.
#
#   restart.sh BUILD MODE          MODE session|system
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
if [ "$2" = system ]; then
    lc_init system virsh yes
    nic="<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"
else
    lc_init session virsh
    nic=""
fi
lc_start_daemon
lc_events_start

a=${LC_PREFIX}a b=${LC_PREFIX}b c=${LC_PREFIX}c
lc_check "define a" lc_cli define "$(lc_write_xml "$a")"
lc_check "define b" lc_cli define "$(lc_write_xml "$b" "" "$nic")"
lc_check "start a" lc_cli start "$a"
lc_check "start b" lc_cli start "$b"
lc_check "create c (transient)" lc_cli create "$(lc_write_xml "$c")"
for d in "$a" "$b" "$c"; do
    lc_check "$d boots" lc_wait_serial "$d" SEPVIRT-GUEST-READY 90
done
lc_check "suspend b" lc_cli suspend "$b"
ids_before="$(lc_cli domid "$a") $(lc_cli domid "$b") $(lc_cli domid "$c")"
lc_check "ids 1 2 3" test "$ids_before" = "1 2 3"
if [ -n "$nic" ]; then
    tap=$(lc_cli domiflist "$b" | awk '/vnet/ {print $1}')
    lc_check "b has a tap on br0" bash -c "ip -n $LC_NS link show master br0 | grep -q ' $tap:'"
fi

old=$(lc_frontd_pid)
kill -KILL "$old"
lc_check "the launcher restarts frontd" lc_wait_frontd "$old"
lc_events_start
ids_after="$(lc_cli domid "$a") $(lc_cli domid "$b") $(lc_cli domid "$c")"
lc_check "same ids after the restart ($ids_after)" test "$ids_after" = "$ids_before"
lc_check "a running" lc_wait_state "$a" "running (booted)" 5
lc_check "b still paused (user)" lc_wait_state "$b" "paused (user)" 5
lc_check "c running" lc_wait_state "$c" "running (booted)" 5
list=$(lc_cli list --name --transient)
lc_check "c listed as transient" test "$list" = "$c"
if [ -n "$nic" ]; then
    lc_check "b keeps its tap in the live XML" bash -c "[ \"\$1\" = \"\$2\" ]" _ \
        "$(lc_cli domiflist "$b" | awk '/vnet/ {print $1}')" "$tap"
fi
lc_check "resume b after the restart" lc_cli resume "$b"
lc_check "a shuts down" lc_shutdown_wait "$a"
lc_check "b shuts down" lc_shutdown_wait "$b"
for _ in $(seq 30); do
    lc_cli shutdown "$c" >/dev/null 2>&1 || break
    sleep 2
done
lc_check "c shut down and is gone" lc_not lc_cli dominfo "$c"
if [ -n "$nic" ]; then
    lc_check "b's tap is gone" lc_not ip -n "$LC_NS" link show "$tap"
fi
lc_check_clean "after the shutdowns"

# kill -9 of a QEMU while frontd watches.
lc_check "start a again" lc_cli start "$a"
lc_check "start b again" lc_cli start "$b"
pid=$(pgrep -f "guest=$a,")
lc_check "a's QEMU found" test -n "$pid"
kill -KILL $pid
lc_check "a: shut off (crashed)" lc_wait_state "$a" "shut off (crashed)" 10
lc_check "a: Stopped Failed" bash -c "sleep 0.5; grep -q \"domain '$a': Stopped Failed\" '$LC_TMP/events.txt'"

# kill -9 of b's QEMU while frontd is down (the launcher held stopped).
pid=$(pgrep -f "guest=$b,")
kill -STOP "$LC_LAUNCHER"
old=$(lc_frontd_pid)
kill -KILL "$old" $pid
sleep 0.5
kill -CONT "$LC_LAUNCHER"
lc_check "frontd restarted" lc_wait_frontd "$old"
lc_check "b: shut off (crashed)" lc_wait_state "$b" "shut off (crashed)" 10
lc_check_clean "after the crashes"

# kill -9 of both helpers while a guest runs: the launcher restarts them and
# hands frontd the new connections; the guest is still ended through them.
lc_check "start a for the helper restart" lc_cli start "$a"
helpers=$(pgrep -P "$LC_LAUNCHER" -f 'sepvirt-(spawn|net)helper' | tr '\n' ' ')
lc_check "two helpers found ($helpers)" test "$(wc -w <<<"$helpers")" = 2
# shellcheck disable=SC2086
kill -KILL $helpers
lc_check "both restarted" bash -c "for i in \$(seq 50); do [ \$(pgrep -P $LC_LAUNCHER -f 'sepvirt-(spawn|net)helper' | wc -l) = 2 ] && exit 0; sleep 0.1; done; exit 1"
lc_check "a still running" lc_wait_state "$a" "running (booted)" 2
lc_check "destroy through the new helpers" lc_cli destroy "$a"
lc_check_clean "after the helper restart"

# sepvirtd itself stops (the guests keep running) and starts again: it
# adopts the guest of the earlier launcher and autostarts the other.
lc_check "autostart a" lc_cli autostart "$a"
lc_check "start b once more" lc_cli start "$b"
lc_check "b boots" lc_wait_serial_count "$b" SEPVIRT-GUEST-READY 1 90
bpid=$(pgrep -f "guest=$b,")
old_launcher=$LC_LAUNCHER
lc_stop_daemon
lc_check "b outlives sepvirtd" kill -0 $bpid
lc_start_daemon
lc_events_start
lc_check "b adopted by the new sepvirtd" lc_wait_state "$b" "running (booted)" 10
lc_check "a autostarted" lc_wait_state "$a" "running (booted)" 30
lc_check "a boots" lc_wait_serial "$a" SEPVIRT-GUEST-READY 90
lc_check "b (of the earlier sepvirtd) shuts down" lc_shutdown_wait "$b"
lc_check "destroy a" lc_cli destroy "$a"
lc_check "autostart off" lc_cli autostart --disable "$a"
lc_check_clean "after the daemon restart"
# b's cgroup leaf stayed in the group of the launcher that started it.
[ "$LC_MODE" = system ] && rmdir /sys/fs/cgroup/unified/sepvirt-test-$old_launcher/qemu.* \
    /sys/fs/cgroup/unified/sepvirt-test-$old_launcher 2>/dev/null
launcher=$LC_LAUNCHER
lc_stop_daemon
lc_check_cgroup_gone "$launcher"
