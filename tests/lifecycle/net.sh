#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Guest networking through the helpers.
#   system mode (the daemon in a network namespace with bridge br0,
#   192.168.77.1/24, allowed in net.conf):
#     - a tap NIC on br0: the guest pings the host side; the tap has a
#       counter name the live XML reports; kill -9 of the QEMU → shut off
#       (crashed) and the tap is deleted;
#     - a NIC of type network (a network whose bridge is br0);
#     - a NIC of type direct: a macvtap on a veth the config allows; the
#       guest pings the veth's peer; kill -9 of the QEMU deletes it; a
#       QEMU and macvtap no status file accounts for are ended and deleted
#       by the next frontd;
#   session mode:
#     - a user NIC: passt is started for it through the spawn helper and
#       ends with the guest.
#
#   net.sh BUILD MODE          MODE session|system
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"

if [ "$2" = session ]; then
    lc_init session virsh
    lc_start_daemon
    u=${LC_PREFIX}u
    lc_check "define (user NIC)" lc_cli define "$(lc_write_xml "$u" "" \
        "<interface type='user'><model type='virtio'/></interface>")"
    lc_check "start" lc_cli start "$u"
    lc_check "boots" lc_wait_serial "$u" SEPVIRT-GUEST-READY 90
    if [ -x /usr/bin/passt ]; then
        user=$LC_UID
        [ "$(id -u)" -ne 0 ] && user=$(id -u)
        lc_check "passt runs for it" pgrep -u "$user" passt
        lc_check "QEMU uses the passt stream" grep -q "stream,id=hostnet0" "$LC_LOGDIR/$u.log"
    else
        lc_check "QEMU's user networking without passt" grep -q "user,id=hostnet0" "$LC_LOGDIR/$u.log"
    fi
    lc_check "destroy" lc_cli destroy "$u"
    lc_check "passt ended" lc_not pgrep -u "${user:-$LC_UID}" passt
    lc_check_clean "after destroy"
    lc_check "undefine" lc_cli undefine "$u"
    exit 0
fi

lc_init system virsh yes
ip -n "$LC_NS" link add vm0 type veth peer name vm0peer
ip -n "$LC_NS" addr add 192.168.78.1/24 dev vm0peer
ip -n "$LC_NS" link set vm0 up
ip -n "$LC_NS" link set vm0peer up
printf 'macvtap_parent = vm0\n' >>"$LC_ROOT/config/net.conf"
lc_start_daemon
lc_events_start

n=${LC_PREFIX}n
nic="<interface type='bridge'><source bridge='br0'/><model type='virtio'/></interface>"
lc_check "define (tap on br0)" lc_cli define "$(lc_write_xml "$n" \
    "sepvirt.ip=192.168.77.2/24 sepvirt.ping=192.168.77.1" "$nic")"
lc_check "start" lc_cli start "$n"
tap=$(lc_cli domiflist "$n" | awk '/vnet/ {print $1}')
lc_check "live XML names the tap ($tap)" test -n "$tap"
lc_check "the tap is on br0" bash -c "ip -n $LC_NS -o link show master br0 | grep -q ' $tap:'"
lc_check "the guest pings the host side" lc_wait_serial "$n" SEPVIRT-PING-OK 120
pid=$(pgrep -f "guest=$n,")
lc_check "QEMU found" test -n "$pid"
kill -KILL $pid
lc_check "kill -9 QEMU: shut off (crashed)" lc_wait_state "$n" "shut off (crashed)" 10
lc_check "its tap is deleted" lc_not ip -n "$LC_NS" link show "$tap"
lc_check "Stopped Failed" bash -c "sleep 0.5; grep -q \"domain '$n': Stopped Failed\" '$LC_TMP/events.txt'"

lc_check "start again" lc_cli start "$n"
tap2=$(lc_cli domiflist "$n" | awk '/vnet/ {print $1}')
lc_check "a new tap name ($tap2, counter-based)" bash -c "[ -n '$tap2' ] && [ '$tap2' != '$tap' ]"
lc_check "destroy" lc_cli destroy "$n"
lc_check "that tap is deleted too" lc_not ip -n "$LC_NS" link show "$tap2"
lc_check "undefine" lc_cli undefine "$n"

# type='network': the network's bridge is br0.
net=${LC_PREFIX}net
cat >"$LC_TMP/net.xml" <<EOF
<network>
  <name>$net</name>
  <forward mode='bridge'/>
  <bridge name='br0'/>
</network>
EOF
chmod 644 "$LC_TMP/net.xml"
lc_check "net-define" lc_cli net-define "$LC_TMP/net.xml"
w=${LC_PREFIX}w
lc_check "define (network NIC)" lc_cli define "$(lc_write_xml "$w" \
    "sepvirt.ip=192.168.77.3/24 sepvirt.ping=192.168.77.1" \
    "<interface type='network'><source network='$net'/><model type='virtio'/></interface>")"
lc_check "start refused while the network is inactive" lc_not lc_cli start "$w"
lc_check "net-start" lc_cli net-start "$net"
lc_check "start" lc_cli start "$w"
lc_check "the guest on the network pings the host side" lc_wait_serial "$w" SEPVIRT-PING-OK 120
lc_check "destroy" lc_cli destroy "$w"
lc_check "undefine" lc_cli undefine "$w"
lc_check "net-destroy" lc_cli net-destroy "$net"
lc_check "net-undefine" lc_cli net-undefine "$net"
# type='direct': a macvtap on a parent net.conf allows (a veth whose peer
# holds the host side).  Unlike a tap, a macvtap stays until deleted.
m=${LC_PREFIX}m
lc_check "define (direct NIC on vm0)" lc_cli define "$(lc_write_xml "$m" \
    "sepvirt.ip=192.168.78.2/24 sepvirt.ping=192.168.78.1" \
    "<interface type='direct'><source dev='vm0' mode='bridge'/><model type='virtio'/></interface>")"
lc_check "start" lc_cli start "$m"
mtap=$(lc_cli domiflist "$m" | awk '/macvtap/ {print $1}')
lc_check "a macvtap on vm0 ($mtap)" bash -c "ip -n $LC_NS -o link show '$mtap' | grep -q '@vm0'"
lc_check "the guest pings the peer through it" lc_wait_serial "$m" SEPVIRT-PING-OK 120
kill -KILL "$(pgrep -f "guest=$m,")"
lc_check "kill -9 QEMU: shut off (crashed)" lc_wait_state "$m" "shut off (crashed)" 10
lc_check "the macvtap is deleted" lc_not ip -n "$LC_NS" link show "$mtap"

# A frontd that dies in the middle of a start leaves a QEMU and a device no
# status file accounts for (simulated: the status file is removed while
# frontd is down); the next frontd ends the QEMU and deletes the device.
lc_check "start again" lc_cli start "$m"
mtap=$(lc_cli domiflist "$m" | awk '/macvtap/ {print $1}')
kill -STOP "$LC_LAUNCHER"
old=$(lc_frontd_pid)
kill -KILL "$old"
rm -f "$LC_STATE/qemu/status/$m.status"
kill -CONT "$LC_LAUNCHER"
lc_check "frontd restarted" lc_wait_frontd "$old"
lc_check "the orphaned QEMU is ended" lc_wait_no_qemu "$m"
lc_check "the orphaned macvtap is deleted" lc_not ip -n "$LC_NS" link show "$mtap"
lc_check "the domain is shut off" lc_wait_state "$m" "shut off (unknown)" 5
lc_check "its run directory is removed" lc_not ls -d "$LC_RUN/qemu/$(lc_cli domuuid "$m")"
lc_check "undefine" lc_cli undefine "$m"

lc_check_clean "at the end"
launcher=$LC_LAUNCHER
lc_stop_daemon
lc_check_cgroup_gone "$launcher"
