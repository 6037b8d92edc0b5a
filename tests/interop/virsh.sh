#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Debian's virsh against a private sepvirt-frontd (session mode): the domain
# and network commands of issue 3, read-write and read-only (-r), with their
# exact output; `virsh event --all --loop` and `net-event --loop` must see
# the lifecycle events.  Then python3-libvirt runs python_api.py against the
# same daemon.
#
#   virsh.sh FRONTD DATADIR
#
# Prints TAP.  Skips without virsh.
set -u

FRONTD=$(realpath "$1")
DATA=$(realpath "$2")
HERE=$(dirname "$(realpath "$0")")

if ! command -v virsh >/dev/null 2>&1; then
    echo "1..0 # SKIP virsh (libvirt-clients) not installed"
    exit 0
fi

TMP=$(mktemp -d /tmp/sepvirt-procs-interop.XXXXXX)
DAEMON_PID=
BG_PIDS=()
cleanup() {
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    if [ -n "$DAEMON_PID" ]; then
        kill "$DAEMON_PID" 2>/dev/null
        wait "$DAEMON_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

mkdir -p "$TMP/run" "$TMP/cfg" "$TMP/state" "$TMP/home"
export HOME=$TMP/home XDG_RUNTIME_DIR=$TMP/run XDG_CONFIG_HOME=$TMP/home/.config \
       XDG_CACHE_HOME=$TMP/home/.cache LC_ALL=C.UTF-8
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI

start_daemon() {
    "$FRONTD" --session --runtime-dir "$TMP/run" --config-dir "$TMP/cfg" \
        --state-dir "$TMP/state" >>"$TMP/frontd.log" 2>&1 &
    DAEMON_PID=$!
    for _ in $(seq 100); do
        [ -S "$TMP/run/sepvirt-sock" ] && return 0
        sleep 0.05
    done
    echo "Bail out! sepvirt-frontd did not create its socket"
    cat "$TMP/frontd.log"
    exit 1
}

stop_daemon() {
    kill "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    DAEMON_PID=
    rm -f "$TMP/run/sepvirt-sock" "$TMP/run/sepvirt-sock-ro"
}

start_daemon
URI="qemu+unix:///session?socket=$TMP/run/sepvirt-sock"
RO_URI="qemu+unix:///session?socket=$TMP/run/sepvirt-sock-ro"
cd "$DATA" || exit 1

n=0
failed=0

# is NAME WANT_RC [-r] VIRSH-ARGS... <<EOF (expected stdout) EOF
# err NAME WANT_RC [-r] VIRSH-ARGS... <<EOF (expected stderr) EOF
# Compare exactly (trailing newlines aside).
compare() {
    local stream=$1 name=$2 want_rc=$3 uri=$URI opt=()
    shift 3
    if [ "${1:-}" = "-r" ]; then
        uri=$RO_URI
        opt=(-r)
        shift
    fi
    local want got rc
    want=$(cat)
    virsh "${opt[@]}" -c "$uri" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    got=$(cat "$TMP/$stream")
    n=$((n + 1))
    if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
        echo "ok $n - $name"
    else
        failed=$((failed + 1))
        echo "not ok $n - $name"
        echo "# virsh ${opt[*]} $*: rc $rc (want $want_rc)"
        diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
        sed 's/^/# stderr: /' "$TMP/err"
    fi
}
is() { compare out "$@"; }
err() { compare err "$@"; }

# check NAME CONDITION...: a shell condition as a test.
check() {
    local name=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $name"
    else
        failed=$((failed + 1))
        echo "not ok $n - $name"
    fi
}

# Domain and network event listeners, registered before the next change.
start_listeners() {
    virsh -c "$URI" event --all --loop --timeout 30 >"$TMP/events" 2>&1 &
    EVENTS_PID=$!
    virsh -c "$URI" net-event --event lifecycle --loop --timeout 30 >"$TMP/net-events" 2>&1 &
    NET_EVENTS_PID=$!
    BG_PIDS+=("$EVENTS_PID" "$NET_EVENTS_PID")
    sleep 1
}
start_listeners

# ---- define and list -------------------------------------------------------

is "list --all on an empty daemon" 0 list --all <<'EOF'
 Id   Name   State
--------------------
EOF
is "define" 0 define vm1.xml <<'EOF'
Domain 'vm1' defined from vm1.xml
EOF
is "define --validate (redefine)" 0 define --validate vm1.xml <<'EOF'
Domain 'vm1' defined from vm1.xml
EOF
is "define a second domain" 0 define vm2.xml <<'EOF'
Domain 'vm2' defined from vm2.xml
EOF
sed 's/11111111-/99999999-/' vm1.xml >"$TMP/dup-uuid.xml"
err "define: same name, other uuid" 1 define "$TMP/dup-uuid.xml" <<EOF
error: Failed to define domain from $TMP/dup-uuid.xml
error: operation failed: domain 'vm1' already exists with uuid 11111111-2222-3333-4444-555555555555
EOF
sed 's/<name>vm1</<name>vm3</' vm1.xml >"$TMP/dup-name.xml"
err "define: same uuid, other name" 1 define "$TMP/dup-name.xml" <<EOF
error: Failed to define domain from $TMP/dup-name.xml
error: operation failed: domain 'vm1' is already defined with uuid 11111111-2222-3333-4444-555555555555
EOF
echo '<domain type="qemu"><name>bad' >"$TMP/bad.xml"
check "define: malformed XML is refused" \
    bash -c "! virsh -c '$URI' define '$TMP/bad.xml' >/dev/null 2>&1"

is "list --all" 0 list --all <<'EOF'
 Id   Name   State
-----------------------
 -    vm1    shut off
 -    vm2    shut off
EOF
is "list (active only)" 0 list <<'EOF'
 Id   Name   State
--------------------
EOF
is "list --inactive" 0 list --inactive <<'EOF'
 Id   Name   State
-----------------------
 -    vm1    shut off
 -    vm2    shut off
EOF
is "list --all --persistent" 0 list --all --persistent <<'EOF'
 Id   Name   State
-----------------------
 -    vm1    shut off
 -    vm2    shut off
EOF
is "list --all --transient" 0 list --all --transient <<'EOF'
 Id   Name   State
--------------------
EOF
is "list --all --name" 0 list --all --name <<'EOF'
vm1
vm2
EOF
is "list --all --title" 0 list --all --title <<'EOF'
 Id   Name   State      Title
----------------------------------
 -    vm1    shut off   First VM
 -    vm2    shut off   
EOF

# ---- information ----------------------------------------------------------

is "dominfo" 0 dominfo vm1 <<'EOF'
Id:             -
Name:           vm1
UUID:           11111111-2222-3333-4444-555555555555
OS Type:        hvm
State:          shut off
CPU(s):         2
Max memory:     131072 KiB
Used memory:    131072 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
EOF
is "domstate" 0 domstate vm1 <<'EOF'
shut off
EOF
is "domstate --reason" 0 domstate --reason vm1 <<'EOF'
shut off (unknown)
EOF
is "domid of an inactive domain" 0 domid vm1 <<'EOF'
-
EOF
is "domname by uuid" 0 domname 11111111-2222-3333-4444-555555555555 <<'EOF'
vm1
EOF
is "domuuid" 0 domuuid vm1 <<'EOF'
11111111-2222-3333-4444-555555555555
EOF
err "domstate of an unknown domain" 1 domstate nope <<'EOF'
error: failed to get domain 'nope'
EOF
for flags in "" --inactive --security-info; do
    virsh -c "$URI" dumpxml $flags vm1 >"$TMP/dump" 2>&1
    check "dumpxml $flags" grep -q "<uuid>11111111-2222-3333-4444-555555555555</uuid>" "$TMP/dump"
done
is "dumpxml --xpath" 0 dumpxml vm1 --xpath '/domain/name' <<'EOF'
<name>vm1</name>
EOF

# ---- autostart ------------------------------------------------------------

is "autostart" 0 autostart vm1 <<'EOF'
Domain 'vm1' marked as autostarted
EOF
check "autostart link in the store" test -L "$TMP/cfg/qemu/autostart/vm1.xml"
is "list --all --autostart" 0 list --all --autostart <<'EOF'
 Id   Name   State
-----------------------
 -    vm1    shut off
EOF
is "list --all --no-autostart" 0 list --all --no-autostart <<'EOF'
 Id   Name   State
-----------------------
 -    vm2    shut off
EOF
is "autostart --disable" 0 autostart --disable vm1 <<'EOF'
Domain 'vm1' unmarked as autostarted
EOF
check "autostart link removed" test ! -e "$TMP/cfg/qemu/autostart/vm1.xml"

# ---- metadata ---------------------------------------------------------------

is "desc without a description" 0 desc vm1 <<'EOF'
No description for domain: vm1
EOF
is "desc --title" 0 desc --title vm1 <<'EOF'
First VM
EOF
is "desc --new-desc" 0 desc vm1 --new-desc "A test machine" <<'EOF'
Domain description updated successfully
EOF
is "desc" 0 desc vm1 <<'EOF'
A test machine
EOF
is "desc --title --new-desc" 0 desc vm1 --title --new-desc "Renamed title" <<'EOF'
Domain title updated successfully
EOF
is "desc --title --config" 0 desc vm1 --title --config <<'EOF'
Renamed title
EOF
err "metadata: element absent" 1 metadata vm1 http://example.org/app <<'EOF'
error: metadata not found: Requested metadata element is not present
EOF
is "metadata --set" 0 metadata vm1 http://example.org/app --key app --set '<cfg><x y="1"/></cfg>' <<'EOF'
Metadata modified
EOF
is "metadata get" 0 metadata vm1 http://example.org/app <<'EOF'
<cfg>
  <x y="1"/>
</cfg>
EOF
check "metadata kept in the stored config" \
    grep -q '<app:cfg xmlns:app="http://example.org/app">' "$TMP/cfg/qemu/vm1.xml"
is "metadata --remove" 0 metadata vm1 http://example.org/app --remove <<'EOF'
Metadata removed
EOF
err "metadata removed" 1 metadata vm1 http://example.org/app <<'EOF'
error: metadata not found: Requested metadata element is not present
EOF

# ---- read-only connection ---------------------------------------------------

is "-r list --all" 0 -r list --all <<'EOF'
 Id   Name   State
-----------------------
 -    vm1    shut off
 -    vm2    shut off
EOF
is "-r domstate --reason" 0 -r domstate --reason vm1 <<'EOF'
shut off (unknown)
EOF
err "-r define is refused" 1 -r define vm1.xml <<'EOF'
error: Failed to define domain from vm1.xml
error: operation forbidden: read only access prevents virDomainDefineXML
EOF
err "-r autostart is refused" 1 -r autostart vm1 <<'EOF'
error: Failed to mark domain 'vm1' as autostarted
error: operation forbidden: read only access prevents virDomainSetAutostart
EOF
err "-r undefine is refused" 1 -r undefine vm1 <<'EOF'
error: Failed to undefine domain 'vm1'
error: operation forbidden: read only access prevents virDomainUndefineFlags
EOF
err "-r dumpxml --security-info is refused" 1 -r dumpxml --security-info vm1 <<'EOF'
error: operation forbidden: virDomainGetXMLDesc with secure flag
EOF

# ---- lifecycle without a hypervisor driver ----------------------------------

err "start without a hypervisor driver" 1 start vm1 <<'EOF'
error: Failed to start domain 'vm1'
error: this function is not supported by the connection driver: virDomainCreate
EOF
err "destroy of an inactive domain" 1 destroy vm1 <<'EOF'
error: Failed to destroy domain 'vm1'
error: this function is not supported by the connection driver: virDomainDestroy
EOF

# ---- persistence across a daemon restart -------------------------------------

virsh -c "$URI" autostart vm2 >/dev/null
kill "$EVENTS_PID" "$NET_EVENTS_PID" 2>/dev/null
wait "$EVENTS_PID" "$NET_EVENTS_PID" 2>/dev/null
cp "$TMP/events" "$TMP/events.1"
stop_daemon
echo '<domain><name>broken' >"$TMP/cfg/qemu/broken.xml"
start_daemon
is "domains reloaded after a restart" 0 list --all --autostart <<'EOF'
 Id   Name   State
-----------------------
 -    vm2    shut off
EOF
check "corrupt config reported on stderr" grep -q "broken.xml" "$TMP/frontd.log"
check "corrupt config left in place" test -f "$TMP/cfg/qemu/broken.xml"
rm -f "$TMP/cfg/qemu/broken.xml"
start_listeners

# ---- networks ----------------------------------------------------------------

is "net-define" 0 net-define net1.xml <<'EOF'
Network net1 defined from net1.xml
EOF
is "net-list --all" 0 net-list --all <<'EOF'
 Name   State      Autostart   Persistent
-------------------------------------------
 net1   inactive   no          yes
EOF
is "net-list (active only)" 0 net-list <<'EOF'
 Name   State   Autostart   Persistent
----------------------------------------
EOF
is "net-info" 0 net-info net1 <<'EOF'
Name:           net1
UUID:           aaaaaaaa-2222-3333-4444-555555555555
Active:         no
Persistent:     yes
Autostart:      no
Bridge:         svtest0
EOF
is "net-dumpxml --xpath" 0 net-dumpxml net1 --xpath '/network/bridge/@name' <<'EOF'
 name="svtest0"
EOF
virsh -c "$URI" net-dumpxml net1 >"$TMP/netdump" 2>&1
check "net-dumpxml" grep -q "<uuid>aaaaaaaa-2222-3333-4444-555555555555</uuid>" "$TMP/netdump"
is "net-autostart" 0 net-autostart net1 <<'EOF'
Network net1 marked as autostarted
EOF
is "net-start" 0 net-start net1 <<'EOF'
Network net1 started
EOF
is "net-list after start" 0 net-list <<'EOF'
 Name   State    Autostart   Persistent
-----------------------------------------
 net1   active   yes         yes
EOF
err "net-start of an active network" 1 net-start net1 <<'EOF'
error: Failed to start network net1
error: Requested operation is not valid: network is already active
EOF
is "net-destroy" 0 net-destroy net1 <<'EOF'
Network net1 destroyed
EOF
err "net-destroy of an inactive network" 1 net-destroy net1 <<'EOF'
error: Failed to destroy network net1
error: Requested operation is not valid: network 'net1' is not active
EOF
is "net-autostart --disable" 0 net-autostart --disable net1 <<'EOF'
Network net1 unmarked as autostarted
EOF
err "-r net-undefine is refused" 1 -r net-undefine net1 <<'EOF'
error: Failed to undefine network net1
error: operation forbidden: read only access prevents virNetworkUndefine
EOF
is "net-undefine" 0 net-undefine net1 <<'EOF'
Network net1 has been undefined
EOF
err "net-info of an unknown network" 1 net-info net1 <<'EOF'
error: failed to get network 'net1'
error: Network not found: no network with matching name 'net1'
EOF

# ---- undefine ----------------------------------------------------------------

is "undefine" 0 undefine vm1 <<'EOF'
Domain 'vm1' has been undefined
EOF
is "undefine the other" 0 undefine vm2 <<'EOF'
Domain 'vm2' has been undefined
EOF
check "configs deleted" test ! -e "$TMP/cfg/qemu/vm1.xml" -a ! -e "$TMP/cfg/qemu/vm2.xml"
is "list --all after undefine" 0 list --all <<'EOF'
 Id   Name   State
--------------------
EOF

# ---- events ------------------------------------------------------------------

# The listeners stop at their timeout; stop them now that all is done.
sleep 1
kill -INT "$EVENTS_PID" "$NET_EVENTS_PID" 2>/dev/null
wait "$EVENTS_PID" "$NET_EVENTS_PID" 2>/dev/null
grep -h "^event 'lifecycle'" "$TMP/events.1" "$TMP/events" >"$TMP/dom-events"
cat >"$TMP/dom-events.want" <<'EOF'
event 'lifecycle' for domain 'vm1': Defined Added
event 'lifecycle' for domain 'vm1': Defined Updated
event 'lifecycle' for domain 'vm2': Defined Added
event 'lifecycle' for domain 'vm1': Undefined Removed
event 'lifecycle' for domain 'vm2': Undefined Removed
EOF
check "virsh event --all --loop saw DEFINED/UNDEFINED" diff -u "$TMP/dom-events.want" "$TMP/dom-events"
grep "^event 'lifecycle'" "$TMP/net-events" >"$TMP/net-events.got"
cat >"$TMP/net-events.want" <<'EOF'
event 'lifecycle' for network net1: Defined
event 'lifecycle' for network net1: Started
event 'lifecycle' for network net1: Stopped
event 'lifecycle' for network net1: Undefined
EOF
check "virsh net-event --loop saw the network lifecycle" \
    diff -u "$TMP/net-events.want" "$TMP/net-events.got"

# ---- python3-libvirt ---------------------------------------------------------

if /usr/bin/python3 -c 'import libvirt' 2>/dev/null; then
    /usr/bin/python3 "$HERE/python_api.py" "$URI" "$DATA" >"$TMP/py.tap" 2>"$TMP/py.err"
    pyrc=$?
    while read -r line; do
        case $line in
            "ok "*) n=$((n + 1)); echo "ok $n - python: ${line#ok * - }" ;;
            "not ok "*) n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - python: ${line#not ok * - }" ;;
        esac
    done <"$TMP/py.tap"
    if [ "$pyrc" != 0 ] && ! grep -q "^not ok" "$TMP/py.tap"; then
        n=$((n + 1)); failed=$((failed + 1))
        echo "not ok $n - python_api.py exited with $pyrc"
        sed 's/^/# /' "$TMP/py.err"
    fi
else
    echo "# python3-libvirt not installed: API checks skipped"
fi

echo "1..$n"
[ "$failed" = 0 ]
