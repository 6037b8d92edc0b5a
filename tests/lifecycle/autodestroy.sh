#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# VIR_DOMAIN_START_AUTODESTROY: a guest started with it is destroyed when
# the connection that started it closes, and only then:
#   - `virsh start --autodestroy` as a one-shot command: the guest is shut
#     off (destroyed) once virsh exited, its QEMU (and, in system mode, its
#     tap) gone, STOPPED/DESTROYED announced;
#   - python3-libvirt: one connection starts a transient guest (createXML)
#     and a persistent one (createWithFlags) with the flag; another
#     connection with an event callback closing changes nothing; the first
#     client killed with SIGKILL ends both: the transient one leaves the
#     domain list, the persistent one is shut off (destroyed), and a third
#     connection's callback saw STOPPED/DESTROYED for each;
#   - a guest destroyed and started again without the flag by another
#     connection survives the close (virConnectClose) of the first one;
#   - `sepvirsh start --autodestroy` behaves like virsh;
#   - frontd stopped (SIGTERM) and restarted by the launcher: the guest
#     runs on (registrations end with frontd, guests do not).
#
#   autodestroy.sh BUILD MODE          MODE session|system
#
# Prints TAP.
BUILD=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
mode=${2:-session}
if [ "$mode" = system ]; then lc_init system virsh yes; else lc_init session virsh; fi
lc_start_daemon
lc_events_start

py=/usr/bin/python3
# The starting client: "pair URI XML NAME" creates XML (transient) and
# starts the defined NAME; "one URI NAME STOPFILE" starts NAME and closes
# its connection once STOPFILE exists.  Both with AUTODESTROY; "pid N"
# first, "ready" once started.
cat >"$LC_TMP/starter.py" <<'PY'
import libvirt, os, sys, time
print("pid", os.getpid(), flush=True)
c = libvirt.open(sys.argv[2])
if sys.argv[1] == "pair":
    c.createXML(open(sys.argv[3]).read(), libvirt.VIR_DOMAIN_START_AUTODESTROY)
    c.lookupByName(sys.argv[4]).createWithFlags(libvirt.VIR_DOMAIN_START_AUTODESTROY)
    print("ready", flush=True)
    time.sleep(600)
else:
    c.lookupByName(sys.argv[3]).createWithFlags(libvirt.VIR_DOMAIN_START_AUTODESTROY)
    print("ready", flush=True)
    while not os.path.exists(sys.argv[4]):
        time.sleep(0.05)
    c.close()
    print("closed", flush=True)
PY
# A connection with a lifecycle callback: "NAME EVENT DETAIL" lines.
# "watch URI" runs until killed; "brief URI" closes after a second.
cat >"$LC_TMP/watcher.py" <<'PY'
import libvirt, os, sys, threading, time
print("pid", os.getpid(), flush=True)
libvirt.virEventRegisterDefaultImpl()
c = libvirt.open(sys.argv[2])
def cb(conn, dom, event, detail, opaque):
    print(dom.name(), event, detail, flush=True)
c.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, None)
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                 daemon=True).start()
print("ready", flush=True)
time.sleep(600 if sys.argv[1] == "watch" else 1)
c.close()
PY
# Names of every domain, as listAllDomains gives them.
cat >"$LC_TMP/names.py" <<'PY'
import libvirt, sys
print("\n".join(d.name() for d in libvirt.open(sys.argv[1]).listAllDomains()))
PY
chmod 644 "$LC_TMP"/*.py

# wait_line FILE TEXT [SECONDS]: a line of FILE is TEXT.
wait_line() {
    for _ in $(seq $((${3:-30} * 10))); do
        grep -qx -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# bg OUT CMD...: run a script above as the daemon's user in the
# background; sets $bg_pid, of the shell around it.
bg() {
    local out=$1
    shift
    : >"$out"
    chmod 666 "$out"
    lc_as_user "$@" >>"$out" 2>&1 &
    bg_pid=$!
    LC_PIDS+=("$bg_pid")
}

# py_pid OUT: the pid the script said (and the cleanup ends it).
py_pid() {
    local pid
    for _ in $(seq 100); do
        pid=$(sed -n 's/^pid //p' "$1")
        [ -n "$pid" ] && break
        sleep 0.1
    done
    LC_PIDS+=("$pid")
    echo "$pid"
}

qemu_pid() { pgrep -f "guest=$1," | head -n 1; }

# "STATE (REASON)" stays for SECONDS (nothing acts late).
stays() {
    sleep "$3"
    [ "$(lc_cli domstate --reason "$1" 2>/dev/null)" = "$2" ]
}

# One-shot CLI start with --autodestroy (the client under test).
one_shot() {
    local d=$1 nic=
    [ "$mode" = system ] && nic="<interface type='bridge'><source bridge='br0'/></interface>"
    lc_check "$LC_CLIENT: define $d" lc_cli define "$(lc_write_xml "$d" "" "$nic")"
    lc_check "$LC_CLIENT: start --autodestroy $d (one-shot)" lc_cli start --autodestroy "$d"
    lc_check "$LC_CLIENT: shut off (destroyed) after the client exited" \
        lc_wait_state "$d" "shut off (destroyed)" 10
    lc_check "$LC_CLIENT: its QEMU is gone" lc_wait_no_qemu "$d"
    lc_check "$LC_CLIENT: events of $d arrived" lc_wait_events "$d" 5
    local got; got=$(lc_events_of "$d" | tr '\n' ',')
    lc_check "$LC_CLIENT: events of $d as for a destroy: $got" test "$got" = \
        "Defined Added,Resumed Unpaused,Started Booted,Shutdown Finished after host request,Stopped Destroyed,"
    lc_check_clean "$LC_CLIENT one-shot"
}

# ---- (1) virsh one-shot --------------------------------------------------------
one_shot "${LC_PREFIX}v"

# ---- (2) python3-libvirt: two guests, other connections, SIGKILL ---------------
t=${LC_PREFIX}t
p=${LC_PREFIX}p
lc_check "define $p" lc_cli define "$(lc_write_xml "$p")"
bg "$LC_TMP/watch.out" $py "$LC_TMP/watcher.py" watch "$LC_URI"
lc_check "watcher connected" wait_line "$LC_TMP/watch.out" ready
watch_pid=$(py_pid "$LC_TMP/watch.out")
bg "$LC_TMP/pair.out" $py "$LC_TMP/starter.py" pair "$LC_URI" "$(lc_write_xml "$t")" "$p"
lc_check "createXML and createWithFlags with AUTODESTROY" wait_line "$LC_TMP/pair.out" ready 60
pair_pid=$(py_pid "$LC_TMP/pair.out")
lc_check "$t running" lc_wait_state "$t" "running (booted)" 5
lc_check "$p running" lc_wait_state "$p" "running (booted)" 5
tpid=$(qemu_pid "$t")
ppid_=$(qemu_pid "$p")
bg "$LC_TMP/brief.out" $py "$LC_TMP/watcher.py" brief "$LC_URI"
brief_pid=$bg_pid
lc_check "another connection with a callback closes" wait "$brief_pid"
lc_check "$t still runs after the other close" stays "$t" "running (booted)" 2
lc_check "$p still runs after the other close" stays "$p" "running (booted)" 0
lc_check "same QEMUs" test "$(qemu_pid "$t") $(qemu_pid "$p")" = "$tpid $ppid_"
lc_check "SIGKILL of the starter ($pair_pid)" kill -KILL "$pair_pid"
lc_check "SIGKILL of the starter: $p shut off (destroyed)" lc_wait_state "$p" "shut off (destroyed)" 10
# listAllDomains (python3-libvirt) without t, with p.
gone_from_list() {
    local names
    for _ in $(seq 50); do
        names=$(lc_as_user $py "$LC_TMP/names.py" "$LC_URI") &&
            ! grep -qx -- "$t" <<<"$names" && grep -qx -- "$p" <<<"$names" && return 0
        sleep 0.2
    done
    return 1
}
lc_check "$t left listAllDomains, $p stays" gone_from_list
lc_check "$t's QEMU is gone" lc_wait_no_qemu "$t"
lc_check "$p's QEMU is gone" lc_wait_no_qemu "$p"
# virDomainEventType STOPPED = 5, detail DESTROYED = 1
lc_check "watcher saw $t STOPPED/DESTROYED" wait_line "$LC_TMP/watch.out" "$t 5 1" 5
lc_check "watcher saw $p STOPPED/DESTROYED" wait_line "$LC_TMP/watch.out" "$p 5 1" 5
kill "$watch_pid" 2>/dev/null
lc_check_clean "after the SIGKILL"

# ---- (3) a later run of the guest is not the one registered ------------------------
r=${LC_PREFIX}r
lc_check "define $r" lc_cli define "$(lc_write_xml "$r")"
bg "$LC_TMP/one.out" $py "$LC_TMP/starter.py" one "$LC_URI" "$r" "$LC_TMP/stop-r"
one_pid=$bg_pid
lc_check "start $r with AUTODESTROY" wait_line "$LC_TMP/one.out" ready 60
id1=$(lc_cli domid "$r")
lc_check "another connection destroys $r" lc_cli destroy "$r"
lc_check "and starts it without the flag" lc_cli start "$r"
id2=$(lc_cli domid "$r")
rpid=$(qemu_pid "$r")
lc_check "a new run ($id1 -> $id2)" test -n "$id1" -a -n "$id2" -a "$id1" != "$id2"
touch "$LC_TMP/stop-r"
lc_check "the first connection closes (virConnectClose)" wait_line "$LC_TMP/one.out" closed 10
wait "$one_pid" 2>/dev/null
lc_check "$r still runs" stays "$r" "running (booted)" 3
lc_check "same run ($id2) and QEMU" test "$(lc_cli domid "$r") $(qemu_pid "$r")" = "$id2 $rpid"
lc_check "destroy $r" lc_cli destroy "$r"
lc_check_clean "after the later run"

# ---- (4) sepvirsh one-shot ----------------------------------------------------------
LC_CLIENT=sepvirsh
one_shot "${LC_PREFIX}s"

# ---- (5) frontd stops: the guest outlives it ------------------------------------
k=${LC_PREFIX}k
lc_check "define $k" lc_cli define "$(lc_write_xml "$k")"
bg "$LC_TMP/keep.out" $py "$LC_TMP/starter.py" one "$LC_URI" "$k" "$LC_TMP/stop-k"
lc_check "start $k with AUTODESTROY" wait_line "$LC_TMP/keep.out" ready 60
py_pid "$LC_TMP/keep.out" >/dev/null
kpid=$(qemu_pid "$k")
old=$(lc_frontd_pid)
kill -TERM "$old"
lc_check "frontd stopped (SIGTERM) and restarted" lc_wait_frontd "$old"
lc_check "$k runs on" lc_wait_state "$k" "running (booted)" 10
lc_check "$k still runs" stays "$k" "running (booted)" 2
lc_check "same QEMU" test "$(qemu_pid "$k")" = "$kpid"
touch "$LC_TMP/stop-k"
lc_check "destroy $k" lc_cli destroy "$k"
lc_check_clean "after the frontd restart"
