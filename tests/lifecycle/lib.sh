# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared by the lifecycle tests: a private sepvirtd (session or system mode)
# with real QEMU guests, the clients (stock virsh or sepvirsh), event
# capture, TAP output, leak checks, and cleanup that also runs on failure.
#
# A test sets BUILD (the meson build directory) and sources this file, then
# calls lc_init MODE CLIENT [NETNS]:
#   MODE    session: `sepvirtd --session` with private XDG directories, run
#                    as an unprivileged uid when the test runs as root
#           system:  `sepvirtd --system --root DIR` (root only; skipped
#                    otherwise), VMs as sepvirt-qemu
#   CLIENT  virsh (Debian's) or sepvirsh
#   NETNS   yes: the whole daemon runs in a network namespace the test
#           creates, with bridge br0 (192.168.77.1/24) the net helper may use
# The guest is tests/guest/build-guest.sh's, cached in $BUILD/guest.

set -u

LC_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LC_UID=${SV_LIFECYCLE_UID:-61234}
LC_N=0
LC_FAILED=0
LC_PIDS=()          # background clients (event listeners)
LC_LAUNCHER=
LC_NS=
LC_PREFIX="lc$$"    # every domain name starts with it: our QEMUs are findable

lc_ok() { LC_N=$((LC_N + 1)); echo "ok $LC_N - $1"; }
lc_fail() { LC_N=$((LC_N + 1)); LC_FAILED=$((LC_FAILED + 1)); echo "not ok $LC_N - $1"; shift; for l in "$@"; do echo "# $l"; done; }
lc_check() { local what=$1; shift; if "$@" >/dev/null; then lc_ok "$what"; else lc_fail "$what"; fi; }
lc_not() { ! "$@" >/dev/null 2>&1; }
lc_skip_all() { echo "1..0 # SKIP $1"; trap - EXIT; exit 0; }
lc_bail() { echo "Bail out! $1"; lc_dump; exit 1; }

lc_dump() {
    for f in "$LC_TMP/launcher.log" "$LC_TMP/events.txt"; do
        [ -f "$f" ] && { echo "# --- $f"; tail -n 40 "$f" | sed 's/^/# /'; }
    done
    for f in "$LC_LOGDIR"/*.log; do
        [ -f "$f" ] && { echo "# --- $f"; tail -n 15 "$f" | sed 's/^/# /'; }
    done
    return 0
}

# Run a command as the daemon's user (and in its namespace for system mode).
lc_as_user() {
    local e=(LC_ALL=C.UTF-8)

    [ "$LC_MODE" = session ] &&
        e+=(HOME="$LC_HOME" XDG_RUNTIME_DIR="$LC_XDG" XDG_CONFIG_HOME="$LC_HOME/.config"
            XDG_DATA_HOME="$LC_HOME/.local/share" XDG_CACHE_HOME="$LC_HOME/.cache")
    if [ "$LC_MODE" = session ] && [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$LC_UID" --regid="$LC_UID" --clear-groups env "${e[@]}" "$@"
    else
        env "${e[@]}" "$@"
    fi
}

# The client under test: lc_cli ARGS...
lc_cli() {
    if [ "$LC_CLIENT" = virsh ]; then
        lc_as_user virsh -q -c "$LC_URI" "$@"
    else
        lc_as_user "$BUILD/client/sepvirsh" -q -c "$LC_URI" "$@"
    fi
}

lc_init() {
    LC_MODE=$1 LC_CLIENT=$2
    local netns=${3:-no}

    if [ "$LC_MODE" = system ] && [ "$(id -u)" -ne 0 ]; then
        lc_skip_all "system mode needs root"
    fi
    if [ "$LC_CLIENT" = virsh ] && ! command -v virsh >/dev/null; then
        lc_skip_all "virsh (libvirt-clients) not installed"
    fi
    [ -x /usr/bin/qemu-system-x86_64 ] || lc_skip_all "qemu-system-x86_64 not installed"
    bash "$LC_SRC/tests/guest/build-guest.sh" "$BUILD/guest" >&2 || lc_bail "cannot build the test guest"
    LC_KERNEL=$BUILD/guest/vmlinuz
    LC_INITRD=$BUILD/guest/initrd.img

    if [ "$LC_MODE" = session ] && [ "$(id -u)" -eq 0 ] &&
       ! setpriv --reuid="$LC_UID" --regid="$LC_UID" --clear-groups \
            test -x "$BUILD/helpers/sepvirtd" -a -r "$LC_KERNEL" -a -r "$LC_INITRD"; then
        lc_skip_all "uid $LC_UID cannot reach $BUILD (session mode runs as that user)"
    fi
    LC_TMP=$(mktemp -d "/tmp/sv-lc-$LC_MODE.XXXXXX")
    chmod 755 "$LC_TMP"
    trap lc_cleanup EXIT
    trap 'exit 1' INT TERM
    if [ "$LC_MODE" = session ]; then
        LC_HOME=$LC_TMP/home
        LC_XDG=$LC_TMP/xdg
        mkdir -p "$LC_HOME/.config/sepvirt" "$LC_XDG"
        chmod 700 "$LC_XDG"
        # No spawn.conf: session mode runs QEMU and passt by default.
        [ "$(id -u)" -eq 0 ] && chown -R "$LC_UID:$LC_UID" "$LC_HOME" "$LC_XDG"
        LC_RUN=$LC_XDG/sepvirt
        LC_STATE=$LC_HOME/.local/share/sepvirt
    else
        LC_ROOT=$LC_TMP/root
        mkdir -p "$LC_ROOT/config"
        printf 'qemu  /usr/bin/qemu-system-x86_64  sepvirt-qemu sepvirt-qemu devices=kvm,net/tun\n' \
            >"$LC_ROOT/config/spawn.conf"
        [ -x /usr/bin/passt ] &&
            printf 'passt /usr/bin/passt  sepvirt-qemu sepvirt-qemu\n' >>"$LC_ROOT/config/spawn.conf"
        printf 'bridge = br0\n' >"$LC_ROOT/config/net.conf"
        chmod 644 "$LC_ROOT/config/spawn.conf" "$LC_ROOT/config/net.conf"
        LC_RUN=$LC_ROOT/run
        LC_STATE=$LC_ROOT/state
    fi
    LC_LOGDIR=$LC_STATE/qemu/log
    LC_SOCK=$LC_RUN/sepvirt-sock
    LC_URI="qemu+unix:///$LC_MODE?socket=$LC_SOCK"
    if [ "$netns" = yes ]; then
        LC_NS=svlc$$
        ip netns add "$LC_NS" || lc_bail "cannot create network namespace"
        ip -n "$LC_NS" link set lo up
        ip -n "$LC_NS" link add br0 type bridge
        ip -n "$LC_NS" addr add 192.168.77.1/24 dev br0
        ip -n "$LC_NS" link set br0 up
    fi
}

lc_start_daemon() {
    local env=(SEPVIRT_FRONTD="$BUILD/frontd/sepvirt-frontd"
               SEPVIRT_NETHELPER="$BUILD/helpers/sepvirt-nethelper"
               SEPVIRT_SPAWNHELPER="$BUILD/helpers/sepvirt-spawnhelper")
    local cmd=() ns=()

    [ -n "$LC_NS" ] && ns=(ip netns exec "$LC_NS")
    if [ "$LC_MODE" = session ]; then
        env+=(HOME="$LC_HOME" XDG_RUNTIME_DIR="$LC_XDG" XDG_CONFIG_HOME="$LC_HOME/.config"
              XDG_DATA_HOME="$LC_HOME/.local/share")
        [ "$(id -u)" -eq 0 ] && cmd=(setpriv --reuid="$LC_UID" --regid="$LC_UID" --clear-groups)
        cmd+=(env "${env[@]}" "$BUILD/helpers/sepvirtd" --session)
    else
        cmd=(env "${env[@]}" "$BUILD/helpers/sepvirtd" --system --root "$LC_ROOT")
    fi
    # Every step execs, so $! is the launcher itself.
    "${ns[@]}" "${cmd[@]}" >>"$LC_TMP/launcher.log" 2>&1 &
    LC_LAUNCHER=$!
    lc_wait_frontd "" || lc_bail "sepvirt-frontd did not come up"
}

# Wait until a frontd other than pid $1 answers on the socket.
lc_wait_frontd() {
    local old=$1 pid
    for _ in $(seq 200); do
        pid=$(cat "$LC_RUN/sepvirt-frontd.pid" 2>/dev/null)
        if [ -n "$pid" ] && [ "$pid" != "$old" ] && [ -S "$LC_SOCK" ] &&
           lc_cli uri >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

lc_frontd_pid() { cat "$LC_RUN/sepvirt-frontd.pid"; }

lc_stop_daemon() {
    [ -n "$LC_LAUNCHER" ] || return 0
    kill -TERM "$LC_LAUNCHER" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$LC_LAUNCHER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$LC_LAUNCHER" 2>/dev/null
    wait "$LC_LAUNCHER" 2>/dev/null
    LC_LAUNCHER=
}

# A test guest's XML: lc_domain_xml NAME [EXTRA-CMDLINE [DEVICES-XML]]
# ($LC_XML_EXTRA goes after <features>, e.g. <on_poweroff>).
lc_domain_xml() {
    cat <<EOF
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$LC_KERNEL</kernel>
    <initrd>$LC_INITRD</initrd>
    <cmdline>console=ttyS0 quiet ${2:-}</cmdline>
  </os>
  <features><acpi/></features>
  ${LC_XML_EXTRA:-}
  <devices>
    ${3:-}
    <serial type='pty'/>
    <console type='pty'/>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

# Write a domain XML file readable by the daemon's user; prints its path.
lc_write_xml() {
    local f=$LC_TMP/$1.xml
    lc_domain_xml "$@" >"$f"
    chmod 644 "$f"
    echo "$f"
}

# Make a file the daemon's frontd must open its own.
lc_give_daemon() {
    if [ "$(id -u)" -eq 0 ]; then
        if [ "$LC_MODE" = session ]; then chown "$LC_UID:$LC_UID" "$@"; else chown sepvirt:sepvirt "$@"; fi
    fi
}

# ---- waiting ---------------------------------------------------------------

lc_serial_log() { echo "$LC_LOGDIR/$1.serial0.log"; }

# lc_wait_serial DOMAIN TEXT [SECONDS]
lc_wait_serial() {
    local f; f=$(lc_serial_log "$1")
    for _ in $(seq $((${3:-60} * 10))); do
        grep -q "$2" "$f" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# lc_wait_serial_count DOMAIN TEXT N [SECONDS]: TEXT printed N times.
lc_wait_serial_count() {
    local f; f=$(lc_serial_log "$1")
    for _ in $(seq $((${4:-60} * 10))); do
        [ "$(grep -c "$2" "$f" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}

# lc_wait_state DOMAIN "STATE (REASON)" [SECONDS]
lc_wait_state() {
    for _ in $(seq $((${3:-30} * 10))); do
        [ "$(lc_cli domstate --reason "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# ACPI power-off: pressed again every 2 s until the guest is off (its acpid
# may not listen yet right after the boot marker).
lc_shutdown_wait() {
    for _ in $(seq 30); do
        lc_cli shutdown "$1" >/dev/null 2>&1
        lc_wait_state "$1" "shut off (shutdown)" 2 && return 0
    done
    return 1
}

# lc_console_expect DOMAIN TEXT: TEXT shows up in a console session of
# the client under test (`virsh console` wants a terminal: tests/console's
# ptyproc gives it one); the session then detaches with Ctrl-].
lc_console_expect() {
    local cli=(virsh)

    [ "$LC_CLIENT" = sepvirsh ] && cli=("$BUILD/client/sepvirsh")
    lc_as_user /usr/bin/python3 - "$LC_SRC/tests/console" "$2" "${cli[@]}" -c "$LC_URI" \
        console "$1" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from ptyproc import PtyProc
p = PtyProc(sys.argv[3:])
ok = p.expect(sys.argv[2].encode(), 30)
p.send(b"\x1d")
p.wait(5)
sys.exit(0 if ok else 1)
PY
}

# Type a line on the guest's serial console (its shell), through the
# socket frontd made for the port.
lc_serial_type() {
    local sock; sock="$LC_RUN/qemu/$(lc_cli domuuid "$1")/serial0.sock"
    # Held open a moment: QEMU reads as fast as the UART takes it, and what
    # is unread when the connection closes is lost.
    { printf '\n%s\n' "$2"; sleep 2; } | timeout 5 socat -u - "UNIX-CONNECT:$sock"
}

# ---- events --------------------------------------------------------------------

# Start listening (again, after a frontd restart ended the last listener).
lc_events_start() {
    if [ "$LC_CLIENT" = virsh ]; then
        lc_as_user virsh -c "$LC_URI" event --all --loop >>"$LC_TMP/events.txt" 2>&1 &
    else
        lc_as_user "$BUILD/client/sepvirsh" -c "$LC_URI" event --all --loop >>"$LC_TMP/events.txt" 2>&1 &
    fi
    LC_PIDS+=($!)
    sleep 0.5
}

# Lifecycle/reboot events of one domain seen so far, one per line, without
# the "event '...' for domain 'NAME': " part ("reboot" for reboot events).
lc_events_of() {
    sed -n -e "s/^event 'lifecycle' for domain '$1': //p" \
           -e "s/^event 'reboot' for domain '$1'\$/reboot/p" "$LC_TMP/events.txt"
}

# lc_wait_events DOMAIN COUNT: until COUNT events of DOMAIN arrived.
lc_wait_events() {
    for _ in $(seq 100); do
        [ "$(lc_events_of "$1" | wc -l)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

lc_wait_reboot() {
    for _ in $(seq 50); do
        lc_events_of "$1" | grep -q '^reboot$' && return 0
        sleep 0.1
    done
    return 1
}

# ---- leaks -------------------------------------------------------------------

# QEMU/passt processes of this test (their command lines name our domains).
lc_our_pids() { pgrep -f "guest=$LC_PREFIX" 2>/dev/null; }

# lc_wait_no_qemu DOMAIN: its QEMU ends within 5 s.
lc_wait_no_qemu() {
    for _ in $(seq 50); do
        pgrep -f "guest=$1," >/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# Nothing of a stopped guest may stay: processes, run directories and
# sockets, status files, host devices (netns), cgroup leaves.
lc_check_clean() {
    local what=$1 left=()
    local p; p=$(lc_our_pids | tr '\n' ' ')
    [ -n "$p" ] && left+=("processes: $p")
    [ -n "$(ls -A "$LC_RUN/qemu" 2>/dev/null)" ] && left+=("run dirs: $(ls "$LC_RUN/qemu")")
    local socks; socks=$(find "$LC_RUN" -name '*.sock' 2>/dev/null | tr '\n' ' ')
    [ -n "$socks" ] && left+=("sockets: $socks")
    [ -n "$(ls -A "$LC_STATE/qemu/status" 2>/dev/null)" ] && left+=("status: $(ls "$LC_STATE/qemu/status")")
    if [ -n "$LC_NS" ]; then
        local devs; devs=$(ip -n "$LC_NS" -o link show 2>/dev/null | grep -oE '(vnet|macvtap)[0-9]+' | tr '\n' ' ')
        [ -n "$devs" ] && left+=("devices: $devs")
    fi
    if [ "$LC_MODE" = system ] && [ -n "$LC_LAUNCHER" ]; then
        local cg=/sys/fs/cgroup/unified/sepvirt-test-$LC_LAUNCHER
        local leaves; leaves=$(ls "$cg" 2>/dev/null | grep -E '^(qemu|passt)\.' | tr '\n' ' ')
        [ -n "$leaves" ] && left+=("cgroup leaves: $leaves")
    fi
    if [ ${#left[@]} -eq 0 ]; then lc_ok "$what: nothing left behind"; else lc_fail "$what: nothing left behind" "${left[@]}"; fi
}

# After the daemon stopped: its cgroup group is gone too.
lc_check_cgroup_gone() {
    local pid=$1
    [ "$LC_MODE" = system ] || return 0
    lc_check "cgroup group removed" test ! -d "/sys/fs/cgroup/unified/sepvirt-test-$pid"
}

lc_cleanup() {
    local rc=$?
    for p in "${LC_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    # Our guests first, so the launcher can reap them and drop their leaves.
    for p in $(lc_our_pids); do kill -KILL "$p" 2>/dev/null; done
    sleep 0.3
    lc_stop_daemon
    [ -n "$LC_NS" ] && ip netns del "$LC_NS" 2>/dev/null
    if [ "$LC_FAILED" -ne 0 ] || [ "$rc" -ne 0 ]; then
        lc_dump
    fi
    rm -rf "$LC_TMP"
    echo "1..$LC_N"
    [ "$LC_FAILED" -eq 0 ] && [ "$rc" -eq 0 ]
    exit $?
}
