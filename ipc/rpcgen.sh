#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run rpcgen and make its output independent of where the .x file lives:
# rpcgen writes '#include "<path of input>.h"' into the XDR routines and
# derives the header guard from the path, which breaks out-of-tree builds.
# Optional values, strings and arrays go through our stricter routines
# (ipc/xdr_strict.c).
#   rpcgen.sh -h|-c INPUT.x OUTPUT
set -eu
mode=$1
input=$2
output=$3
base=$(basename "$input" .x)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$input" "$tmp/$base.x"
(cd "$tmp" && rpcgen "$mode" -o "$base.out" "$base.x")
sed -e 's/\bxdr_\(pointer\|string\|array\) (/sv_xdr_\1 (/' "$tmp/$base.out" > "$output"
