#!/usr/bin/env bash
# Start the installed QEMU with every golden argv (see test_xml2argv.c).
set -euo pipefail
bin=$1 data=$2 guestdir=$3
bash "$(dirname "$0")/../guest/build-guest.sh" "$guestdir" >&2
exec "$bin" --run "$data" "$guestdir/vmlinuz" "$guestdir/initrd.img"
