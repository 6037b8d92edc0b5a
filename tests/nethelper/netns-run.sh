#!/usr/bin/env bash
# Run a command inside a fresh network namespace that is deleted afterwards,
# also when the command fails or is killed.  Exit 77 (meson: skipped) when
# not root or when network namespaces are unavailable.
#   netns-run.sh COMMAND [ARGS...]
set -u
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
  echo "# SKIP: needs root and iproute2"; exit 77
fi
ns="svnh-$$-$RANDOM"
if ! ip netns add "$ns" 2>/dev/null; then
  echo "# SKIP: cannot create a network namespace"; exit 77
fi
cleanup() { ip netns del "$ns" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ip -n "$ns" link set lo up
# The host's link list must be the same afterwards (names, flags, MTUs,
# masters; devices that other programs add or remove meanwhile are not
# compared).
before=$(ip -o link show | sed 's/^[0-9]*: //')
ip netns exec "$ns" "$@"
rc=$?
after=$(ip -o link show | sed 's/^[0-9]*: //')
changed=$(comm -23 <(sort <<<"$before") <(sort <<<"$after") | while read -r line; do
  name=${line%%:*}
  grep -q "^$name[:@]" <<<"$after" && echo "$line"
done)
if [ -n "$changed" ]; then
  echo "not ok - host links changed:"; echo "$changed"; exit 1
fi
exit $rc
