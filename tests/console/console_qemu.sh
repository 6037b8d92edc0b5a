#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Console and monitoring on a real guest through the whole daemon
# (sepvirtd, its helpers, frontd with the QEMU driver; tests/lifecycle/lib.sh
# sets it up and cleans up, also on failure):
#   - `virsh console` and `sepvirsh console` on a pseudo-terminal
#     (console_check.py): replayed boot marker, live heartbeat, a command in
#     the guest's shell, Ctrl-], a second session refused, --force;
#   - domifstat, domblkstat, dommemstat, domcontrol, vcpucount, domifaddr:
#     sepvirsh prints what virsh prints, and the numbers make sense.
# system mode adds a tap NIC on a bridge in a network namespace: the guest
# pings the host side, so domifstat counts packets both ways and
# `domifaddr --source arp` finds the guest's address.
#
#   console_qemu.sh BUILD MODE        MODE session|system
#
# Prints TAP.
BUILD=$(realpath "$1")
MODE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lifecycle/lib.sh"

if [ "$MODE" = system ]; then
    lc_init system virsh yes
else
    lc_init session virsh
fi
lc_start_daemon

SEPVIRSH=$BUILD/client/sepvirsh
dom=${LC_PREFIX}con
disk=$LC_TMP/$dom.qcow2
qemu-img create -q -f qcow2 "$disk" 64M || lc_bail "qemu-img failed"
chmod 666 "$disk"
[ "$MODE" = session ] && [ "$(id -u)" -eq 0 ] && chown "$LC_UID:$LC_UID" "$disk"

mac=52:54:00:5e:0c:01
cmdline="sepvirt.heartbeat=1"
nic=
if [ "$MODE" = system ]; then
    cmdline="$cmdline sepvirt.ip=192.168.77.9/24 sepvirt.ping=192.168.77.1"
    nic="<interface type='bridge'><mac address='$mac'/><source bridge='br0'/><model type='virtio'/></interface>"
fi
xml=$LC_TMP/$dom.xml
cat >"$xml" <<EOF
<domain type='qemu'>
  <name>$dom</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LC_KERNEL</kernel>
    <initrd>$LC_INITRD</initrd>
    <cmdline>console=ttyS0 quiet $cmdline</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$disk'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    $nic
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='virtio'/>
  </devices>
</domain>
EOF
chmod 644 "$xml"

lc_check "define" lc_cli define "$xml"
lc_check "console of a stopped domain is refused" lc_not lc_cli console "$dom"
lc_check "start" lc_cli start "$dom"
lc_check "boots" lc_wait_serial "$dom" SEPVIRT-GUEST-READY 90

# ---- consoles --------------------------------------------------------------------
cp "$HERE/console_check.py" "$HERE/ptyproc.py" "$LC_TMP/"
chmod 644 "$LC_TMP/console_check.py" "$LC_TMP/ptyproc.py"
# Whoever comes first sees the replayed boot marker: virsh in session
# mode, sepvirsh in system mode.
clients=(virsh "$SEPVIRSH")
[ "$MODE" = system ] && clients=("$SEPVIRSH" virsh)
# console_check.py CLIENT [first], its PASS/FAIL lines as TAP (prefix $1).
consoles() {
    local prefix=$1 line
    shift
    while IFS= read -r line; do
        case $line in
            PASS\ *) lc_ok "$prefix${line#PASS }" ;;
            FAIL\ *) lc_fail "$prefix${line#FAIL }" ;;
            *) echo "$line" ;;
        esac
    done < <(lc_as_user /usr/bin/python3 "$LC_TMP/console_check.py" "$1" "$LC_URI" "$dom" ${2:-} 2>&1)
}
consoles "" "${clients[0]}" first
consoles "" "${clients[1]}"

# ---- monitoring --------------------------------------------------------------------
vsh() { lc_as_user virsh -c "$LC_URI" "$@" 2>&1; echo "rc=$?"; }
ssh_() { lc_as_user "$SEPVIRSH" -c "$LC_URI" "$@" 2>&1; echo "rc=$?"; }

# The same output from both (counters may move between the two calls:
# a few tries).
same() {
    local a b
    for _ in 1 2 3; do
        a=$(vsh "$@") b=$(ssh_ "$@")
        [ "$a" = "$b" ] && { lc_ok "$*: sepvirsh prints what virsh prints"; return 0; }
        sleep 0.5
    done
    lc_fail "$*: sepvirsh prints what virsh prints" "virsh:" "$a" "sepvirsh:" "$b"
}

value() { awk -v k="$2" 'NF >= 2 && $(NF-1) == k { print $NF }' <<<"$1"; }

if [ "$MODE" = system ]; then
    lc_check "the guest pings the host side" lc_wait_serial "$dom" SEPVIRT-PING-OK 120
fi

same domblkstat "$dom"
same domblkstat "$dom" vda
same domblkstat "$dom" vda --human
same domblkstat "$dom" vdz
out=$(vsh domblkstat "$dom" vda)
lc_check "domblkstat: the guest read its disk" test "$(value "$out" rd_req)" -gt 0
lc_check "domblkstat: bytes read" test "$(value "$out" rd_bytes)" -gt 0
same domblkstat "$dom" "$disk"

same domcontrol "$dom"
lc_check "domcontrol: ok" test "$(vsh domcontrol "$dom" | head -1)" = ok
same vcpucount "$dom"
same vcpucount "$dom" --maximum --live
lc_check "vcpucount: one vCPU" test "$(vsh vcpucount "$dom" --current --live | head -1)" = 1
same domifaddr "$dom"

# dommemstat: rss moves all the time; the stats' names and actual must agree.
v=$(vsh dommemstat "$dom") s=$(ssh_ dommemstat "$dom")
names=$(awk 'NF == 2 {print $1}' <<<"$v" | tr '\n' ' ')
# libvirt's order: the balloon's size, what the guest reported, QEMU's RSS.
lc_check "dommemstat: actual first, rss last ($names)" bash -c "[[ '$names' == 'actual '*'rss ' ]]"
lc_check "dommemstat: the same stats from both" test "$(awk '{print $1}' <<<"$v")" = "$(awk '{print $1}' <<<"$s")"
lc_check "dommemstat: actual is the balloon's 128 MiB" test "$(value "$v" actual)" = 131072
rss=$(value "$v" rss)
lc_check "dommemstat: rss of QEMU is plausible ($rss KiB)" test "${rss:-0}" -gt 10000 -a "${rss:-0}" -lt 2000000

if [ "$MODE" = system ]; then
    tap=$(lc_cli domiflist "$dom" | awk '/vnet/ {print $1}')
    lc_check "the NIC has its tap ($tap)" test -n "$tap"
    same domifstat "$dom" "$tap"
    same domifstat "$dom" "$mac"
    out=$(vsh domifstat "$dom" "$tap")
    # The guest sent the pings (its tx) and got the replies (its rx).
    lc_check "domifstat: the guest sent packets" test "$(value "$out" tx_packets)" -gt 0
    lc_check "domifstat: the guest received packets" test "$(value "$out" rx_packets)" -gt 0
    same domifaddr "$dom" --source arp
    lc_check "domifaddr --source arp: the guest's address" \
        bash -c "grep -q '$mac    ipv4         192.168.77.9/0' <<<'$(vsh domifaddr "$dom" --source arp)'"
else
    same domifstat "$dom" 52:54:00:00:00:99
fi

# A restarted frontd connects to the serial port again: consoles work and
# the first session starts from the port's log.
old=$(lc_frontd_pid)
kill -KILL "$old"
lc_check "kill -9 frontd: the launcher restarts it" lc_wait_frontd "$old"
consoles "after the restart: " "${clients[1]}" first

lc_check "destroy" lc_cli destroy "$dom"
same domblkstat "$dom"
lc_check_clean "after destroy"
lc_check "undefine" lc_cli undefine "$dom"
